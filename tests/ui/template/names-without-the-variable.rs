// Every instance of a template is a branch, and state names are unique across the workflow:
// a name that does not use the variable is reported at the template's token.
sfn_workflow::workflow! {
    Replicas {
        start_at: Write,
        states: {
            Write: Parallel {
                branches: [
                    for replica in ["Replica 1", "Replica 2"] {
                        start_at: Ask,
                        states: { Ask: Pass { result: replica, end: true } }
                    },
                ],
                end: true,
            },
        }
    }
}

fn main() {}
