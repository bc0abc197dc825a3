sfn_workflow::workflow! {
    Demo {
        start_at: Race,
        states: {
            Race: Parallel {
                branches: [
                    { start_at: A, states: { A: Pass { end: true } } },
                    { start_at: B, states: { B: Pass { end: true } } },
                ],
                quorum: { count: 3, timeout_seconds: 15 },
                end: true,
            },
        }
    }
}

fn main() {}
