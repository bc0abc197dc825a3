// `deps` belongs to the workflow, not to one branch; and it names a type.
sfn_workflow::workflow! {
    Orders {
        deps: "Shop",
        start_at: Both,
        states: {
            Both: Parallel {
                branches: [{ deps: Shop, start_at: A, states: { A: Pass { end: true } } }],
                end: true,
            },
        }
    }
}

fn main() {}
