// A handler that is not one, between two Tasks joined by typed edges: one error, at it; the
// edges that would carry its values report nothing more.
async fn reserve(order: u64) -> Result<u64, sfn_workflow::Error> {
    Ok(order)
}

async fn charge(order: u64) -> u64 {
    order
}

async fn ship(order: u64) -> Result<u64, sfn_workflow::Error> {
    Ok(order)
}

sfn_workflow::workflow! {
    Shop {
        start_at: Reserve,
        states: {
            Reserve: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:reserve", handler: reserve, next: Charge },
            Charge: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:charge", handler: charge, next: Ship },
            Ship: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:ship", handler: ship, end: true },
        }
    }
}

fn main() {}
