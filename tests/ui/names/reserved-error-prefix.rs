
sfn_workflow::workflow! {
    Demo {
        start_at: Stop,
        states: {
            Stop: Fail { error: "States.OrderRejected", cause: "no stock" },
        }
    }
}

fn main() {}
