
sfn_workflow::workflow! {
    Demo {
        start_at: Start,
        states: {
            Start: Pass { result: 1, result_path: "$.items[*]", end: true },
        }
    }
}

fn main() {}
