
sfn_workflow::workflow! {
    Demo {
        start_at: Fan,
        states: {
            Fan: Parallel {
                branches: [{ start_at: A, states: { A: Pass { end: true } } }],
                retry: [{ max_attempts: 2 }, { error_equals: ["States.Timeout"], max_attempts: 5 }],
                end: true,
            },
        }
    }
}

fn main() {}
