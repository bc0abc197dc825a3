
sfn_workflow::workflow! {
    Demo {
        start_at: Stop,
        states: {
            Stop: Fail { error: "Rejected", end: true },
        }
    }
}

fn main() {}
