
sfn_workflow::workflow! {
    Demo {
        start_at: Start,
        states: {
            Start: Pass { retry: [{ max_attempts: 1 }], end: true },
        }
    }
}

fn main() {}
