// Only a Parallel's `branches` take a template.
sfn_workflow::workflow! {
    Replicas {
        start_at: Ask,
        states: {
            Ask: Pass { result: for replica in ["a", "b"] { "name": replica }, end: true },
        }
    }
}

fn main() {}
