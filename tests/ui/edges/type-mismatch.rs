// Two Tasks in a row with no data-flow field between them pass a Rust value, so the second
// must take what the first returns.
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Order {
    id: String,
}

#[derive(Serialize, Deserialize)]
struct Quote {
    cents: u64,
}

async fn price(order: Order) -> Result<Quote, sfn_workflow::Error> {
    Ok(Quote { cents: order.id.len() as u64 })
}

async fn ship(order: Order) -> Result<String, sfn_workflow::Error> {
    Ok(order.id)
}

sfn_workflow::workflow! {
    Shop {
        start_at: Price,
        states: {
            Price: Task { resource: "arn:price", handler: price, next: Ship },
            Ship: Task { resource: "arn:ship", handler: ship, end: true },
        }
    }
}

fn main() {}
