sfn_workflow::workflow! {
    Demo {
        start_at: Stop,
        states: {
            Stop: Fail { error: "Rejected", error_path: "$.code" },
        }
    }
}

fn main() {}
