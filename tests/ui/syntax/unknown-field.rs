
sfn_workflow::workflow! {
    Demo {
        start_at: Start,
        states: {
            Start: Pass { reslt: 1, end: true },
        }
    }
}

fn main() {}
