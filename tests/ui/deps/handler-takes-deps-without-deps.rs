// A handler that borrows `&Shop` needs a workflow that declares `deps: Shop`.
struct Shop;

async fn reserve(_shop: &Shop, order: serde_json::Value) -> Result<serde_json::Value, sfn_workflow::Error> {
    Ok(order)
}

sfn_workflow::workflow! {
    Orders {
        start_at: Reserve,
        states: {
            Reserve: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:reserve", handler: reserve, end: true },
        }
    }
}

fn main() {
    let _ = Shop;
}
