sfn_workflow::workflow! {
    Demo {
        start_at: Compute,
        states: {
            Compute: Pass { parameters: {"count.$": "States.ArrayLenght($.items)"}, end: true },
        }
    }
}

fn main() {}
