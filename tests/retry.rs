//! Retry under tokio's paused clock: attempt counts, the delay between attempts, the
//! `max_delay_seconds` cap, full-jitter bounds, and each retrier's own counter.

use std::sync::Mutex;
use std::time::Duration;

use serde_json::{json, Value};
use sfn_workflow::Error;
use tokio::time::Instant;

/// When each attempt of a task started, per test (tests run concurrently in one process).
struct Attempts(Mutex<Vec<Instant>>);

impl Attempts {
    const fn new() -> Self {
        Self(Mutex::new(Vec::new()))
    }

    /// Records an attempt and returns how many there were before it.
    fn record(&self) -> usize {
        let mut at = self.0.lock().unwrap();
        at.push(Instant::now());
        at.len() - 1
    }

    /// The gaps between consecutive attempts, in milliseconds.
    fn gaps_ms(&self) -> Vec<u128> {
        let at = self.0.lock().unwrap();
        at.windows(2).map(|w| (w[1] - w[0]).as_millis()).collect()
    }
}

static BACKOFF: Attempts = Attempts::new();

async fn fails_three_times(_: Value) -> Result<Value, Error> {
    if BACKOFF.record() < 3 {
        return Err(Error::new("Flaky", "not yet"));
    }
    Ok(json!("ok"))
}

sfn_workflow::workflow! {
    Backoff {
        start_at: T,
        states: {
            T: Task {
                resource: "arn:t",
                handler: fails_three_times,
                retry: [{ error_equals: ["Flaky"], interval_seconds: 1, backoff_rate: 2.0, max_attempts: 3 }],
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn delays_grow_by_the_backoff_rate_and_the_last_attempt_succeeds() {
    assert_eq!(Backoff.run(json!({})).await, Ok(json!("ok")));
    assert_eq!(BACKOFF.gaps_ms(), vec![1000, 2000, 4000]);
}

static CAPPED: Attempts = Attempts::new();

async fn always_fails(_: Value) -> Result<Value, Error> {
    CAPPED.record();
    Err(Error::new("Down", "still down"))
}

sfn_workflow::workflow! {
    Capped {
        start_at: T,
        states: {
            T: Task {
                resource: "arn:t",
                handler: always_fails,
                retry: [{ interval_seconds: 2, backoff_rate: 3, max_delay_seconds: 5, max_attempts: 4 }],
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn max_delay_caps_and_exhausted_retries_fail_with_the_last_error() {
    let err = Capped.run(json!({})).await.unwrap_err();
    assert_eq!(err, Error::new("Down", "still down"));
    // One attempt plus four retries: 2 s, then 6 s and 18 s and 54 s capped at 5 s.
    assert_eq!(CAPPED.gaps_ms(), vec![2000, 5000, 5000, 5000]);
}

static JITTERED: Attempts = Attempts::new();

async fn fails_with_jitter(_: Value) -> Result<Value, Error> {
    JITTERED.record();
    Err(Error::new("Busy", ""))
}

sfn_workflow::workflow! {
    Jittered {
        start_at: T,
        states: {
            T: Task {
                resource: "arn:t",
                handler: fails_with_jitter,
                retry: [{ interval_seconds: 8, backoff_rate: 1.0, max_attempts: 40, jitter_strategy: FULL }],
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn full_jitter_draws_each_delay_between_zero_and_the_computed_delay() {
    assert!(Jittered.run(json!({})).await.is_err());
    let gaps = JITTERED.gaps_ms();
    assert_eq!(gaps.len(), 40);
    assert!(gaps.iter().all(|g| *g <= 8000), "{gaps:?}");
    // Drawn, not fixed: 40 draws from [0, 8 s] are not all the same, and cover both halves.
    assert!(
        gaps.iter().any(|g| *g < 4000) && gaps.iter().any(|g| *g >= 4000),
        "{gaps:?}"
    );
}

static SEPARATE: Attempts = Attempts::new();

/// Fails with B, A, B, A, ...: the two retriers below count separately.
async fn alternates(_: Value) -> Result<Value, Error> {
    let n = SEPARATE.record();
    Err(Error::new(
        if n % 2 == 0 { "B" } else { "A" },
        format!("attempt {n}"),
    ))
}

sfn_workflow::workflow! {
    Separate {
        start_at: T,
        states: {
            T: Task {
                resource: "arn:t",
                handler: alternates,
                retry: [
                    { error_equals: ["A"], interval_seconds: 1, max_attempts: 1 },
                    { error_equals: ["States.ALL"], interval_seconds: 10, max_attempts: 5 },
                ],
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn each_retrier_keeps_its_own_count_and_the_first_match_decides() {
    let err = Separate.run(json!({})).await.unwrap_err();
    // B (retried by the catch-all), A (retried once by its own retrier), B (catch-all again),
    // then A with its retrier used up: not retried, although the catch-all has retries left.
    assert_eq!(err, Error::new("A", "attempt 3"));
    assert_eq!(SEPARATE.gaps_ms(), vec![10_000, 1000, 20_000]);
}

static NOT_MATCHED: Attempts = Attempts::new();

async fn fails_unmatched(_: Value) -> Result<Value, Error> {
    NOT_MATCHED.record();
    Err(Error::new("Other", "not retried"))
}

sfn_workflow::workflow! {
    Unmatched {
        start_at: T,
        states: {
            T: Task { resource: "arn:t", handler: fails_unmatched, retry: [{ error_equals: ["Flaky"] }], end: true },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn errors_no_retrier_matches_are_not_retried() {
    let start = Instant::now();
    assert_eq!(Unmatched.run(json!({})).await.unwrap_err().name(), "Other");
    assert_eq!(NOT_MATCHED.gaps_ms(), Vec::<u128>::new());
    assert_eq!(start.elapsed(), Duration::ZERO);
}
