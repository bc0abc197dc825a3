
sfn_workflow::workflow! {
    Demo {
        start_at: Fan,
        states: {
            Fan: Parallel {
                branches: [{ start_at: A, states: { A: Pass { end: true } } }],
                catch: [{ error_equals: ["Declined"] }],
                end: true,
            },
        }
    }
}

fn main() {}
