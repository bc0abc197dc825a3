
sfn_workflow::workflow! {
    Demo {
        start_at: Fan,
        states: {
            Fan: Parallel {
                branches: [{ start_at: Work, states: { Work: Pass { next: Done } } }],
                next: Done,
            },
            Done: Succeed {},
        }
    }
}

fn main() {}
