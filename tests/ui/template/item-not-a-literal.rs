// A template's items are literals: strings, numbers or booleans.
sfn_workflow::workflow! {
    Replicas {
        start_at: Write,
        states: {
            Write: Parallel {
                branches: [
                    for replica in [first, second] {
                        start_at: "Ask {replica}",
                        states: { "Ask {replica}": Pass { end: true } }
                    },
                ],
                end: true,
            },
        }
    }
}

fn main() {}
