//! Parallel: every branch gets the input, the output is in declaration order, and the first
//! failure fails the state and cancels the branches still running.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use serde_json::{json, Value};
use sfn_workflow::Error;
use tokio::time::Instant;

#[path = "../examples/parallel.rs"]
#[allow(dead_code)]
mod seed;

#[tokio::test(start_paused = true)]
async fn the_seed_gives_each_branch_the_input_and_keeps_branch_order() {
    let out = seed::ParallelStateMachine
        .run(json!({"id": 7}))
        .await
        .unwrap();
    assert_eq!(
        out,
        json!([
            {"id": 7, "parallel_branch_1": {"message": "hello parallel branch 1"}},
            {"id": 7, "parallel_branch_2": {"message": "hello parallel branch 2"}},
            {"id": 7, "parallel_branch_3": {"message": "hello parallel branch 3"}},
        ])
    );
}

async fn sleep_then_echo(input: Value) -> Result<Value, Error> {
    let secs = input["sleep"].as_u64().unwrap_or(0);
    tokio::time::sleep(Duration::from_secs(secs)).await;
    Ok(input["tag"].clone())
}

sfn_workflow::workflow! {
    /// Three branches finishing in reverse order of declaration.
    Race {
        start_at: Fan,
        states: {
            Fan: Parallel {
                branches: [
                    { start_at: Slow, states: { Slow: Task { resource: "arn:slow", handler: sleep_then_echo, parameters: {"sleep": 3, "tag": "slow"}, end: true } } },
                    { start_at: Fast, states: { Fast: Task { resource: "arn:fast", handler: sleep_then_echo, parameters: {"sleep": 1, "tag": "fast"}, end: true } } },
                    { start_at: Mid, states: { Mid: Task { resource: "arn:mid", handler: sleep_then_echo, parameters: {"sleep": 2, "tag": "mid"}, end: true } } },
                ],
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn output_is_in_declaration_order_and_branches_run_concurrently() {
    let start = Instant::now();
    let out = Race.run(json!({})).await.unwrap();
    assert_eq!(out, json!(["slow", "fast", "mid"]));
    // Concurrent: as long as the slowest branch, not the sum of all three.
    assert_eq!(start.elapsed(), Duration::from_secs(3));
}

static STARTED: AtomicU32 = AtomicU32::new(0);
static FINISHED: AtomicU32 = AtomicU32::new(0);
static DROPPED: AtomicU32 = AtomicU32::new(0);

/// Counts its own drop: proves a cancelled branch's future was dropped, not left running.
struct DropGuard;

impl Drop for DropGuard {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, Ordering::SeqCst);
    }
}

async fn long_work(_: Value) -> Result<Value, Error> {
    STARTED.fetch_add(1, Ordering::SeqCst);
    let _guard = DropGuard;
    tokio::time::sleep(Duration::from_secs(60)).await;
    FINISHED.fetch_add(1, Ordering::SeqCst);
    Ok(json!("done"))
}

async fn fail_after_a_second(_: Value) -> Result<Value, Error> {
    tokio::time::sleep(Duration::from_secs(1)).await;
    Err(Error::new("Boom", "branch 2 failed"))
}

sfn_workflow::workflow! {
    FirstFailureCancels {
        start_at: Fan,
        states: {
            Fan: Parallel {
                branches: [
                    { start_at: Long1, states: { Long1: Task { resource: "arn:long", handler: long_work, end: true } } },
                    { start_at: Failing, states: { Failing: Task { resource: "arn:fail", handler: fail_after_a_second, end: true } } },
                    { start_at: Long2, states: { Long2: Task { resource: "arn:long", handler: long_work, end: true } } },
                ],
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn the_first_failure_fails_the_state_and_drops_the_other_branches() {
    let start = Instant::now();
    let err = FirstFailureCancels.run(json!({})).await.unwrap_err();
    assert_eq!(err, Error::new("Boom", "branch 2 failed"));
    // The state failed when the failure happened, not when the siblings would have finished.
    assert_eq!(start.elapsed(), Duration::from_secs(1));
    assert_eq!(STARTED.load(Ordering::SeqCst), 2);
    // Both siblings were dropped before `run` returned, and neither ever finished.
    assert_eq!(DROPPED.load(Ordering::SeqCst), 2);
    tokio::time::sleep(Duration::from_secs(120)).await;
    assert_eq!(FINISHED.load(Ordering::SeqCst), 0);
}

sfn_workflow::workflow! {
    /// A Parallel inside a branch of a Parallel, with a Pass after it.
    Nested {
        start_at: Outer,
        states: {
            Outer: Parallel {
                branches: [
                    { start_at: Inner, states: {
                        Inner: Parallel {
                            branches: [
                                { start_at: A, states: { A: Pass { result: "a", end: true } } },
                                { start_at: B, states: { B: Pass { result: "b", end: true } } },
                            ],
                            next: Wrap,
                        },
                        Wrap: Pass { parameters: {"inner.$": "$"}, end: true },
                    } },
                    { start_at: C, states: { C: Pass { result: "c", end: true } } },
                ],
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn parallels_nest() {
    assert_eq!(
        Nested.run(json!({})).await.unwrap(),
        json!([{"inner": ["a", "b"]}, "c"])
    );
}
