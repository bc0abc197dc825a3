
sfn_workflow::workflow! {
    Demo {
        start_at: Start,
        states: {
            Start: Pass { result: 1 },
        }
    }
}

fn main() {}
