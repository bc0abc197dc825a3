sfn_workflow::workflow! {
    Demo {
        start_at: Each,
        states: {
            Each: Map {
                max_concurrency: 2,
                max_concurrency_path: "$.limit",
                item_processor: { start_at: P, states: { P: Pass { end: true } } },
                end: true,
            },
        }
    }
}

fn main() {}
