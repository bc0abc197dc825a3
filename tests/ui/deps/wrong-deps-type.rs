// A handler that borrows another type than the workflow's `deps` is an error at the handler.
struct Shop;
struct Warehouse;

async fn reserve(_warehouse: &Warehouse, order: serde_json::Value) -> Result<serde_json::Value, sfn_workflow::Error> {
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
