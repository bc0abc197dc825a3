async fn charge(v: serde_json::Value) -> Result<serde_json::Value, sfn_workflow::Error> { Ok(v) }
sfn_workflow::workflow! {
    Demo {
        start_at: Charge,
        states: {
            Charge: Task { resource: "arn:charge", handler: charge, catch: [{ next: Refund }], next: Done },
            Done: Succeed {},
        }
    }
}

fn main() {}
