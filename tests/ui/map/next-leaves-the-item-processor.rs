sfn_workflow::workflow! {
    Demo {
        start_at: Each,
        states: {
            Each: Map {
                item_processor: { start_at: Work, states: { Work: Pass { next: Done } } },
                next: Done,
            },
            Done: Succeed {},
        }
    }
}

fn main() {}
