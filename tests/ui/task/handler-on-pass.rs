async fn charge(v: serde_json::Value) -> Result<serde_json::Value, workflow::Error> { Ok(v) }
workflow::workflow! {
    Demo {
        start_at: Start,
        states: {
            Start: Pass { handler: charge, end: true },
        }
    }
}

fn main() {}
