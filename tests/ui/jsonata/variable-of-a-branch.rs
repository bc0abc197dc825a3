sfn_workflow::workflow! {
    Fanout {
        start_at: Both,
        states: {
            Both: Parallel {
                branches: [
                    { start_at: Left, states: { Left: Pass { assign: {"side": "left"}, end: true } } },
                ],
                next: After,
            },
            After: Pass { parameters: {"side.$": "$side"}, end: true },
        }
    }
}

fn main() {}
