sfn_workflow::workflow! {
    Orders {
        query_language: JSONata,
        start_at: Total,
        states: {
            Total: Pass {
                assign: {"total": "{% $sum($states.input.lines.cents) %}"},
                next: Report,
            },
            Report: Pass {
                output: {"cents": "{% $totl %}"},
                end: true,
            },
        }
    }
}

fn main() {}
