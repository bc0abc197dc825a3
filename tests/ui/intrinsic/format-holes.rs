sfn_workflow::workflow! {
    Demo {
        start_at: Compute,
        states: {
            Compute: Pass { parameters: {"text.$": "States.Format('{} of {}', $.done)"}, end: true },
        }
    }
}

fn main() {}
