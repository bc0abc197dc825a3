/// The error type does not implement `TaskError`, so it has no ASL name.
struct Declined;
async fn charge(v: serde_json::Value) -> Result<serde_json::Value, Declined> { Ok(v) }
sfn_workflow::workflow! {
    Demo {
        start_at: Charge,
        states: {
            Charge: Task { resource: "arn:charge", handler: charge, end: true },
        }
    }
}

fn main() {}
