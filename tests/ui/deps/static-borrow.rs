// A handler that borrows the dependencies only for `'static` cannot be given the workflow's
// borrow, which lasts one call: it is not a handler, and says so.
struct Shop;

async fn reserve(_shop: &'static Shop, order: serde_json::Value) -> Result<serde_json::Value, sfn_workflow::Error> {
    Ok(order)
}

sfn_workflow::workflow! {
    Orders {
        deps: Shop,
        start_at: Reserve,
        states: {
            Reserve: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:reserve", handler: reserve, end: true },
        }
    }
}

fn main() {
    let _ = Orders::new(Shop);
}
