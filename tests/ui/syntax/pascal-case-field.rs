// A field written with its ASL name.
sfn_workflow::workflow! {
    Demo {
        start_at: Start,
        states: {
            Start: Pass { ResultPath: "$.r", end: true },
        }
    }
}

fn main() {}
