
sfn_workflow::workflow! {
    Demo {
        start_at: Fan,
        states: {
            Fan: Parallel {
                branches: [{ start_at: A, states: { A: Pass { end: true } } }],
                retry: [{ jitter_strategy: HALF }],
                end: true,
            },
        }
    }
}

fn main() {}
