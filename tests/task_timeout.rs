//! A Task's `timeout_seconds`: each attempt is limited, fails with `States.Timeout`, and
//! retriers and catchers see it (`States.TaskFailed` does not match it).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use serde_json::{json, Value};
use sfn_workflow::Error;
use tokio::time::Instant;

static ATTEMPTS: AtomicU32 = AtomicU32::new(0);
static DROPPED: AtomicU32 = AtomicU32::new(0);

struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, Ordering::SeqCst);
    }
}

/// Slow on its first two attempts (60 s), quick after (1 s).
async fn slow_then_quick(_: Value) -> Result<Value, Error> {
    let attempt = ATTEMPTS.fetch_add(1, Ordering::SeqCst) + 1;
    let _guard = Guard;
    let secs = if attempt <= 2 { 60 } else { 1 };
    tokio::time::sleep(Duration::from_secs(secs)).await;
    Ok(json!({"attempt": attempt}))
}

sfn_workflow::workflow! {
    Retried {
        start_at: Call,
        states: {
            Call: Task {
                resource: "arn:aws:lambda:us-east-1:123456789012:function:slow",
                handler: slow_then_quick,
                timeout_seconds: 10,
                retry: [
                    { error_equals: ["States.TaskFailed"], max_attempts: 5 },
                    { error_equals: ["States.Timeout"], interval_seconds: 1, backoff_rate: 1, max_attempts: 2 },
                ],
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn each_attempt_times_out_and_is_retried_on_states_timeout() {
    let start = Instant::now();
    let out = Retried.run(json!({})).await.unwrap();
    assert_eq!(out, json!({"attempt": 3}));
    // Two attempts cut off at 10 s, a second between attempts, then a 1 s attempt.
    assert_eq!(start.elapsed(), Duration::from_secs(10 + 1 + 10 + 1 + 1));
    assert_eq!(
        DROPPED.load(Ordering::SeqCst),
        3,
        "the timed-out attempts were dropped"
    );
}

async fn never_done(_: Value) -> Result<Value, Error> {
    std::future::pending().await
}

sfn_workflow::workflow! {
    Caught {
        start_at: Call,
        states: {
            Call: Task {
                resource: "arn:aws:lambda:us-east-1:123456789012:function:stuck",
                handler: never_done,
                timeout_seconds: 3,
                catch: [
                    { error_equals: ["States.TaskFailed"], next: Wrong },
                    { error_equals: ["States.Timeout"], result_path: "$.error", next: "Too slow" },
                ],
                end: true,
            },
            Wrong: Fail { error: "WrongCatcher" },
            "Too slow": Pass { result: true, result_path: "$.gave_up", end: true },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_timeout_is_caught_by_states_timeout_not_by_task_failed() {
    let start = Instant::now();
    let out = Caught.run(json!({"id": 1})).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(3));
    assert_eq!(out["id"], json!(1));
    assert_eq!(out["gave_up"], json!(true));
    assert_eq!(out["error"]["Error"], json!("States.Timeout"));
    assert_eq!(Caught::asl()["States"]["Call"]["TimeoutSeconds"], json!(3));
}
