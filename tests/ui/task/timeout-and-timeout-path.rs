// A timeout given both as a number and as a path, and a heartbeat path that is not a
// reference path.
async fn work(v: serde_json::Value) -> Result<serde_json::Value, sfn_workflow::Error> {
    Ok(v)
}

sfn_workflow::workflow! {
    Demo {
        start_at: Work,
        states: {
            Work: Task {
                resource: "arn:work",
                handler: work,
                timeout_seconds: 30,
                timeout_seconds_path: "$.limits.timeout",
                heartbeat_seconds_path: "$.limits[*]",
                end: true,
            },
        }
    }
}

fn main() {}
