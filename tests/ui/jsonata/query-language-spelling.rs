sfn_workflow::workflow! {
    Orders {
        query_language: Jsonata,
        start_at: Done,
        states: {
            Done: Succeed {},
        }
    }
}

fn main() {}
