sfn_workflow::workflow! {
    Demo {
        start_at: Compute,
        states: {
            Compute: Pass { parameters: {"sum.$": "States.MathAdd($.a)"}, end: true },
        }
    }
}

fn main() {}
