// A Task that ends the workflow with its result as the output must return the workflow's
// declared `output`.
#[derive(serde::Serialize, serde::Deserialize)]
struct Receipt {
    id: u32,
}

async fn ship(id: u32) -> Result<String, sfn_workflow::Error> {
    Ok(format!("shipped {id}"))
}

sfn_workflow::workflow! {
    Orders {
        output: Receipt,
        start_at: Ship,
        states: {
            Ship: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:ship", handler: ship, end: true },
        }
    }
}

fn main() {
    let _ = Receipt { id: 1 }.id;
}
