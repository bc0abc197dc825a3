// A handler that is a plain `fn`: the message says to make it `async`.
fn charge(order: serde_json::Value) -> Result<serde_json::Value, sfn_workflow::Error> {
    Ok(order)
}

sfn_workflow::workflow! {
    Shop {
        start_at: Charge,
        states: {
            Charge: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:charge", handler: charge, end: true },
        }
    }
}

fn main() {}
