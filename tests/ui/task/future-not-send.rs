// A handler whose future holds a value that is not `Send` across an `.await`: rustc says
// which value, held where.
async fn charge(order: serde_json::Value) -> Result<serde_json::Value, sfn_workflow::Error> {
    let counter = std::rc::Rc::new(1);
    tokio::task::yield_now().await;
    let _ = counter;
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
