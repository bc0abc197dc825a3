sfn_workflow::workflow! {
    Demo {
        start_at: Stop,
        states: {
            Stop: Fail { error: "Rejected", next: Retry },
            Retry: Succeed {},
        }
    }
}

fn main() {}
