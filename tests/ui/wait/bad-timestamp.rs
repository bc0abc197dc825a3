sfn_workflow::workflow! {
    Demo {
        start_at: Pause,
        states: {
            Pause: Wait { timestamp: "2026-11-21 20:00:00", end: true },
        }
    }
}

fn main() {}
