async fn work(v: serde_json::Value) -> Result<serde_json::Value, sfn_workflow::Error> {
    Ok(v)
}

sfn_workflow::workflow! {
    Demo {
        start_at: Work,
        states: {
            Work: Task { resource: "arn:work", handler: work, timeout_seconds: 30, heartbeat_seconds: 30, end: true },
        }
    }
}

fn main() {}
