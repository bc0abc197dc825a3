//! The approval example (`examples/approval.rs`): a Task that waits for a human's answer
//! (`.waitForTaskToken`), answered by a second tokio task through the run's `Callbacks`.
//! Its three endings follow its definition: approved (the answer is the result), rejected
//! (`SendTaskFailure`'s `Rejected`, caught), and no answer (an hour without a heartbeat,
//! `States.HeartbeatTimeout` as the developer guide's "Wait for a Callback with Task Token"
//! says, caught).

use std::time::Duration;

use serde_json::json;
use sfn_workflow::callback::Callbacks;
use sfn_workflow::RunOptions;
use tokio::sync::mpsc;
use tokio::time::Instant;

#[path = "../examples/approval.rs"]
#[allow(dead_code)]
mod approval;

use approval::{approver, ApprovalQueue, ExpenseApproval};

/// The workflow and a running approver, answering through one registry.
fn approval() -> (ExpenseApproval, RunOptions) {
    let (sender, requests) = mpsc::unbounded_channel();
    let callbacks = Callbacks::new();
    tokio::spawn(approver(requests, callbacks.clone()));
    (
        ExpenseApproval::new(ApprovalQueue { sender }),
        RunOptions::new().callbacks(callbacks).keep_history(),
    )
}

#[tokio::test(start_paused = true)]
async fn an_expense_within_the_limit_is_approved_after_two_minutes() {
    let (workflow, options) = approval();
    let started = Instant::now();
    let (output, history) = workflow
        .run_with(json!({"name": "laptop", "amount": 120_000}), &options)
        .await;
    assert_eq!(
        output.unwrap(),
        json!({"name": "laptop", "amount": 120_000,
            "approval": {"approved_by": "ana", "expense": "laptop"}})
    );
    assert_eq!(started.elapsed(), Duration::from_secs(120));
    // The Task's events: scheduled with the message (the token in it), started, and
    // succeeded with the answer.
    let types = history.types();
    assert_eq!(
        types[..5],
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded"
        ]
    );
    let scheduled = history.events[2].to_json();
    let parameters: serde_json::Value = serde_json::from_str(
        scheduled["taskScheduledEventDetails"]["parameters"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        parameters["MessageBody"]["token"].as_str().map(str::len),
        Some(64)
    );
}

#[tokio::test(start_paused = true)]
async fn an_expense_over_the_limit_is_rejected() {
    let (workflow, options) = approval();
    let (output, _) = workflow
        .run_with(json!({"name": "yacht", "amount": 90_000_000}), &options)
        .await;
    let error = output.unwrap_err();
    assert_eq!(error.name(), "ExpenseRejected");
    assert_eq!(error.state(), Some("Rejected"));
}

#[tokio::test(start_paused = true)]
async fn an_unanswered_request_times_out_after_an_hour_of_silence() {
    let (workflow, options) = approval();
    let started = Instant::now();
    let (output, _) = workflow
        .run_with(
            json!({"name": "desk", "amount": 30_000, "silent": true}),
            &options,
        )
        .await;
    assert_eq!(output.unwrap_err().name(), "NoAnswer");
    assert_eq!(started.elapsed(), Duration::from_secs(3600));
}
