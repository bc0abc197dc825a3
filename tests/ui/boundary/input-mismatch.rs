// The Task a workflow starts at takes the execution's input as it is: its handler must take
// the workflow's declared `input`.
#[derive(serde::Serialize, serde::Deserialize)]
struct Order {
    id: u32,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Refund {
    id: u32,
}

async fn refund(refund: Refund) -> Result<Refund, sfn_workflow::Error> {
    Ok(refund)
}

sfn_workflow::workflow! {
    Orders {
        input: Order,
        start_at: Refund,
        states: {
            Refund: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:refund", handler: refund, end: true },
        }
    }
}

fn main() {
    let _ = Order { id: 1 }.id;
}
