//! A Task's `heartbeat_seconds`, and handlers that take a `TaskContext` to send heartbeats
//! and read the context object.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};
use sfn_workflow::{Error, TaskContext};
use tokio::time::Instant;

#[derive(Deserialize)]
struct Job {
    /// How many 5-second steps to work.
    steps: u64,
    /// After how many steps to stop sending heartbeats.
    beats: u64,
}

/// Works in 5-second steps, sending a heartbeat after each of the first `beats`.
async fn long_job(job: Job, context: TaskContext) -> Result<Value, Error> {
    for step in 0..job.steps {
        tokio::time::sleep(Duration::from_secs(5)).await;
        if step < job.beats {
            context.heartbeat();
        }
    }
    Ok(
        json!({"done": job.steps, "state": context.context_object()["State"]["Name"], "retry": context.retry_count()}),
    )
}

sfn_workflow::workflow! {
    Watched {
        start_at: Work,
        states: {
            Work: Task {
                resource: "arn:aws:lambda:us-east-1:123456789012:function:long-job",
                handler: long_job,
                timeout_seconds: 600,
                heartbeat_seconds: 8,
                catch: [{ error_equals: ["States.HeartbeatTimeout"], result_path: "$.error", next: Silent }],
                end: true,
            },
            Silent: Pass { result: true, result_path: "$.went_silent", end: true },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn heartbeats_keep_a_long_task_alive() {
    let start = Instant::now();
    let out = Watched
        .run(json!({"steps": 12, "beats": 12}))
        .await
        .unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(60));
    assert_eq!(out, json!({"done": 12, "state": "Work", "retry": 0}));
}

#[tokio::test(start_paused = true)]
async fn a_task_that_goes_silent_fails_with_states_heartbeat_timeout() {
    let start = Instant::now();
    let out = Watched.run(json!({"steps": 12, "beats": 3})).await.unwrap();
    // The third heartbeat at 15 s; silence for 8 s after it.
    assert_eq!(start.elapsed(), Duration::from_secs(23));
    assert_eq!(out["went_silent"], json!(true));
    assert_eq!(out["error"]["Error"], json!("States.HeartbeatTimeout"));
}

#[tokio::test(start_paused = true)]
async fn a_task_that_never_beats_times_out_after_one_interval() {
    let start = Instant::now();
    let out = Watched.run(json!({"steps": 2, "beats": 0})).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(8));
    assert_eq!(out["error"]["Error"], json!("States.HeartbeatTimeout"));
}

sfn_workflow::workflow! {
    /// The same task, with its limits read from the input after `input_path`.
    FromInput {
        start_at: Work,
        states: {
            Work: Task {
                resource: "arn:aws:lambda:us-east-1:123456789012:function:long-job",
                handler: long_job,
                input_path: "$.job",
                timeout_seconds_path: "$.limits.timeout",
                heartbeat_seconds_path: "$.limits.heartbeat",
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn limits_can_come_from_the_input() {
    let job = |steps: u64, beats: u64, timeout: Value, heartbeat: Value| json!({"job": {"steps": steps, "beats": beats, "limits": {"timeout": timeout, "heartbeat": heartbeat}}});
    let start = Instant::now();
    let out = FromInput.run(job(4, 4, json!(30), json!(8))).await.unwrap();
    assert_eq!(out["done"], json!(4));
    assert_eq!(start.elapsed(), Duration::from_secs(20));

    let start = Instant::now();
    let error = FromInput
        .run(job(4, 1, json!(30), json!(8)))
        .await
        .unwrap_err();
    assert_eq!(error.name(), "States.HeartbeatTimeout");
    assert_eq!(start.elapsed(), Duration::from_secs(13));

    let start = Instant::now();
    let error = FromInput
        .run(job(12, 12, json!(30), json!(8)))
        .await
        .unwrap_err();
    assert_eq!(error.name(), "States.Timeout");
    assert_eq!(start.elapsed(), Duration::from_secs(30));

    for bad in [json!(0), json!("30"), json!(-1), Value::Null] {
        let error = FromInput
            .run(job(1, 1, bad.clone(), json!(8)))
            .await
            .unwrap_err();
        assert_eq!(error.name(), "States.Runtime", "{bad}");
        assert!(
            error.cause().contains("TimeoutSecondsPath"),
            "{}",
            error.cause()
        );
    }
    let asl = FromInput::asl();
    assert_eq!(
        asl["States"]["Work"]["TimeoutSecondsPath"],
        json!("$.limits.timeout")
    );
    assert_eq!(
        asl["States"]["Work"]["HeartbeatSecondsPath"],
        json!("$.limits.heartbeat")
    );
}
