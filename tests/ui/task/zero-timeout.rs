async fn charge(v: serde_json::Value) -> Result<serde_json::Value, sfn_workflow::Error> {
    Ok(v)
}

sfn_workflow::workflow! {
    Demo {
        start_at: Charge,
        states: {
            Charge: Task { resource: "arn:charge", handler: charge, timeout_seconds: 0, end: true },
        }
    }
}

fn main() {}
