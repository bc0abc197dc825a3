
sfn_workflow::workflow! {
    Demo {
        start_at: Fan,
        states: {
            Fan: Parallel {
                branches: [{ start_at: A, states: { A: Pass { end: true } } }],
                retry: [{ error_equals: ["States.ALL", "States.Timeout"] }],
                end: true,
            },
        }
    }
}

fn main() {}
