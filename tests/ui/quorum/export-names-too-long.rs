// The export names generated states after the quorum state and its branches; AWS refuses
// names over 80 characters, so this is caught at compile time rather than at deploy time.
sfn_workflow::workflow! {
    Demo {
        start_at: "Wait until enough of the regional replicas have acknowledged the write",
        states: {
            "Wait until enough of the regional replicas have acknowledged the write": Parallel {
                branches: [
                    { start_at: "Replica in us-east-1", states: { "Replica in us-east-1": Pass { end: true } } },
                    { start_at: "Replica in eu-west-1", states: { "Replica in eu-west-1": Pass { end: true } } },
                ],
                quorum: { count: 1 },
                end: true,
            },
        }
    }
}

fn main() {}
