// A closure cannot be a handler: the message points at `deps`, the way to give a handler what
// it needs.
sfn_workflow::workflow! {
    Shop {
        start_at: Charge,
        states: {
            Charge: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:charge", handler: |order: serde_json::Value| async move { Ok::<_, sfn_workflow::Error>(order) }, end: true },
        }
    }
}

fn main() {}
