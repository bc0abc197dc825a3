
sfn_workflow::workflow! {
    Demo {
        start_at: Fan,
        states: {
            Fan: Parallel {
                branches: [{ start_at: Done, states: { Done: Pass { end: true } } }],
                next: Done,
            },
            Done: Succeed {},
        }
    }
}

fn main() {}
