sfn_workflow::workflow! {
    Demo {
        start_at: Pause,
        states: {
            Pause: Wait { end: true },
        }
    }
}

fn main() {}
