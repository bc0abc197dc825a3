
sfn_workflow::workflow! {
    Demo {
        start_at: Fan,
        states: {
            Fan: Parallel {
                branches: [{ start_at: A, states: { A: Pass { end: true } } }],
                catch: [{ next: Done }, { error_equals: ["Declined"], next: Done }],
                next: Done,
            },
            Done: Succeed {},
        }
    }
}

fn main() {}
