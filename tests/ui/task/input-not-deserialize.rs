// A handler whose input type cannot be read from JSON: serde's message, at the handler.
struct Order {
    id: u32,
}

async fn charge(order: Order) -> Result<u32, sfn_workflow::Error> {
    Ok(order.id)
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
