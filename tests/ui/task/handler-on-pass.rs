async fn charge(v: serde_json::Value) -> Result<serde_json::Value, sfn_workflow::Error> { Ok(v) }
sfn_workflow::workflow! {
    Demo {
        start_at: Start,
        states: {
            Start: Pass { handler: charge, end: true },
        }
    }
}

fn main() {}
