//! A human approval: the workflow asks for an expense to be approved and waits, with a task
//! token, until an approver answers (`.waitForTaskToken`). The approver here is a second
//! tokio task reading the approval queue, as a queue consumer or an HTTP handler behind an
//! "approve" link would be; it answers through the `Callbacks` registry the run was given.
//!
//! ```text
//! cargo run --example approval                                         # 1,200.00 for a laptop: approved
//! cargo run --example approval -- '{"name": "yacht", "amount": 90000000}'
//!                                                                      # over the approver's limit: ExpenseRejected
//! cargo run --example approval -- '{"name": "desk", "amount": 30000, "silent": true}'
//!                                                                      # the approver never answers: no heartbeat for an hour, NoAnswer
//! cargo run --example approval -- --asl                                # the ASL export
//! ```
//!
//! The approver sends a heartbeat as soon as it reads the request (the Task's
//! `heartbeat_seconds` is an hour), takes two minutes to decide, then sends the success or the
//! failure. Nothing global: the queue is the workflow's dependency, the registry the run's
//! option.

use std::process::ExitCode;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sfn_workflow::callback::Callbacks;
use sfn_workflow::Error;
use tokio::sync::mpsc;

/// An expense to approve: the workflow's input.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Expense {
    pub(crate) name: String,
    /// In cents.
    pub(crate) amount: u64,
    /// An expense the approver ignores (to show the heartbeat time-out).
    #[serde(default)]
    pub(crate) silent: bool,
}

/// What the approver reads: the expense, and the token to answer with.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ApprovalRequest {
    pub(crate) token: String,
    pub(crate) expense: Expense,
}

/// The parameters of SQS's `SendMessage`, as the Task gives them.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct SendMessage {
    pub(crate) queue_url: String,
    pub(crate) message_body: ApprovalRequest,
}

/// The approval queue: in a service, an SQS client; here, a channel to the approver.
#[derive(Debug)]
pub(crate) struct ApprovalQueue {
    pub(crate) sender: mpsc::UnboundedSender<ApprovalRequest>,
}

impl ApprovalQueue {
    /// Sends the request: what `SendMessage` does on AWS. Its response is dropped: the
    /// Task's result is the approver's answer.
    pub(crate) async fn send(&self, message: SendMessage) -> Result<Value, Error> {
        tracing::info!(
            queue = message.queue_url,
            expense = message.message_body.expense.name,
            "approval requested"
        );
        self.sender
            .send(message.message_body)
            .map_err(|_| Error::new("Queue.Closed", "no approver reads the approval queue"))?;
        Ok(json!({"MessageId": "local"}))
    }
}

sfn_workflow::workflow! {
    /// Asks for an expense to be approved, and waits for the answer.
    pub ExpenseApproval {
        deps: ApprovalQueue,
        start_at: "Request approval",
        states: {
            "Request approval": Task {
                resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                parameters: {
                    "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
                    "MessageBody": {"token.$": "$$.Task.Token", "expense.$": "$"}
                },
                handler: ApprovalQueue::send,
                heartbeat_seconds: 3600,
                timeout_seconds: 604800,
                result_path: "$.approval",
                catch: [
                    { error_equals: ["Rejected"], result_path: "$.rejection", next: Rejected },
                    { error_equals: ["States.HeartbeatTimeout", "States.Timeout"], result_path: "$.silence", next: "No answer" },
                ],
                next: Approved,
            },
            Approved: Succeed {},
            Rejected: Fail { error: "ExpenseRejected", cause: "the approver rejected the expense" },
            "No answer": Fail { error: "NoAnswer", cause: "the approver did not answer in time" },
        }
    }
}

/// The most the approver approves alone, in cents.
pub(crate) const LIMIT_CENTS: u64 = 500_000;

/// The approver: reads each request, says it is on it (a heartbeat), decides, and answers
/// with the request's token.
pub(crate) async fn approver(
    mut requests: mpsc::UnboundedReceiver<ApprovalRequest>,
    callbacks: Callbacks,
) {
    while let Some(request) = requests.recv().await {
        let expense = request.expense;
        if expense.silent {
            continue;
        }
        let token = request.token.as_str();
        let _ = callbacks.send_heartbeat(token);
        tokio::time::sleep(Duration::from_secs(120)).await;
        let answered = if expense.amount <= LIMIT_CENTS {
            callbacks.send_success(
                token,
                json!({"approved_by": "ana", "expense": expense.name}),
            )
        } else {
            callbacks.send_failure(
                token,
                "Rejected",
                &format!(
                    "{} cents is over the limit of {LIMIT_CENTS}",
                    expense.amount
                ),
            )
        };
        if let Err(e) = answered {
            tracing::warn!(error = %e, "the answer was not delivered");
        }
    }
}

// One thread, so that tokio's clock can be paused: the approver's two minutes and an hour of
// silence then pass at once.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    let (sender, requests) = mpsc::unbounded_channel();
    let callbacks = Callbacks::new();
    tokio::spawn(approver(requests, callbacks.clone()));
    let workflow = ExpenseApproval::new(ApprovalQueue { sender });
    let options = sfn_workflow::cli::Options {
        default_input: json!({"name": "laptop", "amount": 120_000}),
        callbacks: Some(callbacks),
    };
    tokio::time::pause();
    sfn_workflow::cli::main_with(&workflow, &sfn_workflow::cli::args(), &options).await
}
