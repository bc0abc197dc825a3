sfn_workflow::workflow! {
    Demo {
        start_at: Pause,
        states: {
            Pause: Wait { seconds: 10, timestamp_path: "$.until", end: true },
        }
    }
}

fn main() {}
