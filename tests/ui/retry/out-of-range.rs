
sfn_workflow::workflow! {
    Demo {
        start_at: Fan,
        states: {
            Fan: Parallel {
                branches: [{ start_at: A, states: { A: Pass { end: true } } }],
                retry: [{ interval_seconds: -1, max_attempts: -2, backoff_rate: 0.5, max_delay_seconds: 0 }],
                end: true,
            },
        }
    }
}

fn main() {}
