//! Catch: the first matching catcher wins, the error output lands at its `result_path`, and
//! what `States.ALL` does not match is not caught.

use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::{json, Value};
use sfn_workflow::Error;

#[path = "../examples/catch.rs"]
#[allow(dead_code)]
mod example;

#[tokio::test(start_paused = true)]
async fn the_example_routes_a_declined_payment() {
    let out = example::ChargeOrCatch
        .run(json!({"order_id": "o-1", "amount_cents": 20_000}))
        .await
        .unwrap();
    assert_eq!(
        out,
        json!({
            "order_id": "o-1",
            "amount_cents": 20_000,
            "error": {"Error": "PaymentDeclined", "Cause": "the card's limit is 10000 cents"},
            "status": "declined"
        })
    );
    let out = example::ChargeOrCatch
        .run(json!({"order_id": "o-2", "amount_cents": 500}))
        .await
        .unwrap();
    assert_eq!(
        out["payment"],
        json!({"order_id": "o-2", "charged_cents": 500})
    );
}

async fn declines(_: Value) -> Result<Value, Error> {
    Err(Error::new("Declined", "no funds"))
}

sfn_workflow::workflow! {
    Placement {
        start_at: Charge,
        states: {
            Charge: Task {
                resource: "arn:charge",
                handler: declines,
                catch: [
                    { error_equals: ["Declined"], result_path: "$.failure.details", next: AtPath },
                    { next: Replaced },
                ],
                end: true,
            },
            AtPath: Pass { end: true },
            Replaced: Pass { end: true },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn error_output_is_placed_at_the_catchers_result_path() {
    let out = Placement.run(json!({"order": 1})).await.unwrap();
    assert_eq!(
        out,
        json!({"order": 1, "failure": {"details": {"Error": "Declined", "Cause": "no funds"}}})
    );
}

sfn_workflow::workflow! {
    Defaults {
        start_at: Charge,
        states: {
            Charge: Task { resource: "arn:charge", handler: declines, catch: [{ error_equals: ["States.TaskFailed"], next: Handled }], end: true },
            Handled: Pass { end: true },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn without_result_path_the_error_output_replaces_the_input() {
    assert_eq!(
        Defaults.run(json!({"order": 1})).await.unwrap(),
        json!({"Error": "Declined", "Cause": "no funds"})
    );
}

sfn_workflow::workflow! {
    Discard {
        start_at: Charge,
        states: {
            Charge: Task { resource: "arn:charge", handler: declines, catch: [{ result_path: null, next: Handled }], end: true },
            Handled: Pass { end: true },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_null_result_path_keeps_the_input() {
    assert_eq!(
        Discard.run(json!({"order": 1})).await.unwrap(),
        json!({"order": 1})
    );
}

sfn_workflow::workflow! {
    FirstWins {
        start_at: Charge,
        states: {
            Charge: Task {
                resource: "arn:charge",
                handler: declines,
                catch: [
                    { error_equals: ["Other"], next: Wrong },
                    { error_equals: ["States.TaskFailed"], result_path: "$.by", next: First },
                    { error_equals: ["Declined"], next: Wrong },
                ],
                end: true,
            },
            First: Pass { result: "first matching catcher", result_path: "$.winner", end: true },
            Wrong: Fail { error: "WrongCatcher" },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn the_first_matching_catcher_wins() {
    let out = FirstWins.run(json!({})).await.unwrap();
    assert_eq!(out["winner"], json!("first matching catcher"));
}

static RETRIED: AtomicU32 = AtomicU32::new(0);

async fn declines_counting(_: Value) -> Result<Value, Error> {
    RETRIED.fetch_add(1, Ordering::SeqCst);
    Err(Error::new("Declined", "no funds"))
}

sfn_workflow::workflow! {
    RetryThenCatch {
        start_at: Charge,
        states: {
            Charge: Task {
                resource: "arn:charge",
                handler: declines_counting,
                retry: [{ max_attempts: 2 }],
                catch: [{ next: Handled }],
                end: true,
            },
            Handled: Pass { end: true },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn catch_applies_once_retries_are_used_up() {
    assert_eq!(
        RetryThenCatch.run(json!({})).await.unwrap()["Error"],
        json!("Declined")
    );
    assert_eq!(RETRIED.load(Ordering::SeqCst), 3);
}

async fn echo(v: Value) -> Result<Value, Error> {
    Ok(v)
}

sfn_workflow::workflow! {
    /// `output_path` names nothing in the output: `States.Runtime`, which `States.ALL` does not
    /// match.
    RuntimeNotCaught {
        start_at: T,
        states: {
            T: Task { resource: "arn:t", handler: echo, output_path: "$.missing", catch: [{ next: Handled }], end: true },
            Handled: Pass { end: true },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn states_all_does_not_catch_runtime_errors() {
    assert_eq!(
        RuntimeNotCaught.run(json!({})).await.unwrap_err().name(),
        "States.Runtime"
    );
}

sfn_workflow::workflow! {
    /// A branch fails through a Fail state; the Parallel catches it.
    BranchFailure {
        start_at: Fan,
        states: {
            Fan: Parallel {
                branches: [
                    { start_at: Ok1, states: { Ok1: Pass { end: true } } },
                    { start_at: Stop, states: { Stop: Fail { error: "BranchBroke", cause: "on purpose" } } },
                ],
                catch: [{ error_equals: ["BranchBroke"], result_path: "$.error", next: Recovered }],
                end: true,
            },
            Recovered: Pass { result: true, result_path: "$.recovered", end: true },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_parallel_catches_a_branch_failure() {
    let out = BranchFailure.run(json!({"id": 1})).await.unwrap();
    assert_eq!(
        out,
        json!({"id": 1, "error": {"Error": "BranchBroke", "Cause": "on purpose"}, "recovered": true})
    );
}
