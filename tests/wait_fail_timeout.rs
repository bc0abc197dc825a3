//! Wait (seconds, timestamp, and both from the input), Fail with `error_path` and
//! `cause_path`, and the whole execution's `timeout_seconds`, under tokio's paused clock.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use serde_json::{json, Value};
use sfn_workflow::Error;
use tokio::time::Instant;

sfn_workflow::workflow! {
    WaitSeconds {
        start_at: Pause,
        states: {
            Pause: Wait { seconds: 90, input_path: "$.order", output_path: "$.id", next: Done },
            Done: Succeed {},
        }
    }
}

#[tokio::test(start_paused = true)]
async fn wait_seconds_passes_its_input_through_its_paths() {
    let start = Instant::now();
    let out = WaitSeconds.run(json!({"order": {"id": 7}})).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(90));
    assert_eq!(out, json!(7));
}

sfn_workflow::workflow! {
    WaitFromInput {
        start_at: Pick,
        states: {
            Pick: Pass { parameters: {"delay.$": "$.delay"}, next: Pause },
            Pause: Wait { seconds_path: "$.delay", end: true },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn wait_seconds_path_reads_the_input_and_refuses_what_is_not_seconds() {
    let start = Instant::now();
    assert_eq!(
        WaitFromInput.run(json!({"delay": 30})).await.unwrap(),
        json!({"delay": 30})
    );
    assert_eq!(start.elapsed(), Duration::from_secs(30));
    for bad in [
        json!({"delay": -1}),
        json!({"delay": "soon"}),
        json!({"delay": 1.5}),
    ] {
        let err = WaitFromInput.run(bad.clone()).await.unwrap_err();
        assert_eq!(err.name(), "States.Runtime", "{bad}");
    }
}

sfn_workflow::workflow! {
    WaitUntil {
        start_at: Pause,
        states: { Pause: Wait { timestamp_path: "$.at", end: true } }
    }
}

sfn_workflow::workflow! {
    WaitUntilLiteral {
        start_at: Pause,
        states: { Pause: Wait { timestamp: "2001-01-01T00:00:00Z", end: true } }
    }
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    let date = t.date();
    let clock = t.time();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        date.year(),
        u8::from(date.month()),
        date.day(),
        clock.hour(),
        clock.minute(),
        clock.second()
    )
}

#[tokio::test(start_paused = true)]
async fn wait_until_a_timestamp_waits_the_time_left_and_not_at_all_for_the_past() {
    let in_an_hour = rfc3339(time::OffsetDateTime::now_utc() + time::Duration::hours(1));
    let start = Instant::now();
    WaitUntil.run(json!({"at": in_an_hour})).await.unwrap();
    let waited = start.elapsed();
    // Whole seconds in the timestamp: within a second of an hour.
    assert!(
        waited > Duration::from_secs(3599) && waited <= Duration::from_secs(3600),
        "{waited:?}"
    );

    let start = Instant::now();
    WaitUntilLiteral.run(json!({})).await.unwrap();
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "a timestamp in the past does not wait"
    );

    let err = WaitUntil
        .run(json!({"at": "2026-11-21 20:00:00Z"}))
        .await
        .unwrap_err();
    assert_eq!(err.name(), "States.Runtime");
}

sfn_workflow::workflow! {
    FailFromInput {
        start_at: Stop,
        states: { Stop: Fail { error_path: "$.problem.code", cause_path: "$.problem.detail" } }
    }
}

#[tokio::test(start_paused = true)]
async fn fail_reads_its_error_and_cause_from_the_input() {
    let err = FailFromInput
        .run(json!({"problem": {"code": "OutOfStock", "detail": "no blue ones"}}))
        .await
        .unwrap_err();
    assert_eq!(err, Error::new("OutOfStock", "no blue ones"));
    let err = FailFromInput
        .run(json!({"problem": {"code": 7}}))
        .await
        .unwrap_err();
    assert_eq!(err.name(), "States.Runtime");
}

static DROPPED: AtomicU32 = AtomicU32::new(0);

struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, Ordering::SeqCst);
    }
}

async fn slow(input: Value) -> Result<Value, Error> {
    let _guard = Guard;
    let secs = input["secs"].as_u64().unwrap_or(0);
    tokio::time::sleep(Duration::from_secs(secs)).await;
    Ok(json!("done"))
}

sfn_workflow::workflow! {
    Bounded {
        timeout_seconds: 10,
        start_at: Work,
        states: { Work: Task { resource: "arn:slow", handler: slow, end: true } }
    }
}

#[tokio::test(start_paused = true)]
async fn the_execution_timeout_fails_with_states_timeout_and_cancels_the_work() {
    assert_eq!(Bounded.run(json!({"secs": 3})).await, Ok(json!("done")));
    let dropped_before = DROPPED.load(Ordering::SeqCst);
    let start = Instant::now();
    let err = Bounded.run(json!({"secs": 60})).await.unwrap_err();
    assert_eq!(err.name(), "States.Timeout");
    assert_eq!(start.elapsed(), Duration::from_secs(10));
    assert_eq!(
        DROPPED.load(Ordering::SeqCst),
        dropped_before + 1,
        "the running task was dropped"
    );
    assert_eq!(Bounded::asl()["TimeoutSeconds"], json!(10));
}
