sfn_workflow::workflow! {
    Orders {
        query_language: JSONata,
        start_at: Pick,
        states: {
            Pick: Pass { input_path: "$.order", end: true },
        }
    }
}

fn main() {}
