sfn_workflow::workflow! {
    Demo {
        timeout_seconds: 300,
        start_at: Fan,
        states: {
            Fan: Parallel {
                branches: [{ timeout_seconds: 60, start_at: A, states: { A: Pass { end: true } } }],
                end: true,
            },
        }
    }
}

fn main() {}
