// A broken definition reports its own error only: the code that uses the workflow type
// still type-checks against the fallback skeleton instead of piling up follow-on errors.
sfn_workflow::workflow! {
    pub Demo {
        start_at: Start,
        states: {
            Start: Pass { next: Missing },
        }
    }
}

async fn use_it() {
    let _definition = Demo::asl();
    let _output = Demo.run(serde_json::json!({})).await;
}

fn main() {
    let _ = use_it;
}
