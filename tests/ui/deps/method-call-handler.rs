// A method call on a value cannot be a handler: name the method by its type and declare `deps`.
struct Payments;

impl Payments {
    async fn charge(&self, order: serde_json::Value) -> Result<serde_json::Value, sfn_workflow::Error> {
        Ok(order)
    }
}

static CLIENT: Payments = Payments;

sfn_workflow::workflow! {
    Shop {
        start_at: Charge,
        states: {
            Charge: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:charge", handler: CLIENT.charge, end: true },
        }
    }
}

fn main() {
    let _ = CLIENT.charge(serde_json::Value::Null);
}
