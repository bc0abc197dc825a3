sfn_workflow::workflow! {
    Demo {
        start_at: Each,
        states: {
            Each: Map { items_path: "$.orders", end: true },
        }
    }
}

fn main() {}
