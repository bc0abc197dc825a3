sfn_workflow::workflow! {
    Orders {
        query_language: JSONata,
        start_at: Total,
        states: {
            Total: Pass {
                output: {"cents": "{% $sum($states.input.lines.cents) + %}"},
                assign: {"count": "{% $count($states.input.lines]) %}"},
                end: true,
            },
        }
    }
}

fn main() {}
