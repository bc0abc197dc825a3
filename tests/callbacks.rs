//! Callbacks (`.waitForTaskToken`, issue 16 part 2): a Task hands its task token on and waits
//! for `SendTaskSuccess`, `SendTaskFailure` or `SendTaskHeartbeat` with it.
//!
//! Sources of the expected behaviour: the AWS Step Functions developer guide, "Wait for a
//! Callback with Task Token" (the token is `$$.Task.Token`, the result is the success's
//! output, `HeartbeatSeconds` bounds the silence between heartbeats, `TimeoutSeconds` the
//! wait); the API reference of `SendTaskSuccess` / `SendTaskFailure` (the failure's `error`
//! and `cause` fail the Task, and a spent token is refused with `TaskDoesNotExist` or
//! `TaskTimedOut`); and the Step Functions Local guide on mocked service integrations (a
//! mocked response of a callback Task is its result).

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sfn_workflow::callback::{CallbackError, Callbacks};
use sfn_workflow::interpret::Interpreter;
use sfn_workflow::mock::MockConfig;
use sfn_workflow::{Error, RunOptions, TaskContext};
use tokio::sync::mpsc;

/// The message the Task sends: what a queue consumer would get.
#[derive(Debug, Deserialize, Serialize)]
struct Request {
    token: String,
    amount: u64,
}

/// The parameters of SQS's `SendMessage`, as the Task gives them.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SendMessage {
    queue_url: String,
    message_body: Request,
}

/// Where the messages go: the dependencies of the workflow.
struct Outbox {
    sent: mpsc::UnboundedSender<Request>,
}

impl Outbox {
    /// Stands for SQS: the message goes to whoever reads the outbox.
    async fn send(&self, message: SendMessage) -> Result<Value, Error> {
        assert!(message.queue_url.ends_with("/approvals"));
        self.sent
            .send(message.message_body)
            .map_err(|_| Error::new("Outbox.Closed", "nobody reads the outbox"))?;
        Ok(json!({"MessageId": "m-1"}))
    }
}

sfn_workflow::workflow! {
    Approval {
        deps: Outbox,
        start_at: Ask,
        states: {
            Ask: Task {
                resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                parameters: {
                    "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
                    "MessageBody": {"token.$": "$$.Task.Token", "amount.$": "$.amount"}
                },
                handler: Outbox::send,
                heartbeat_seconds: 60,
                timeout_seconds: 3600,
                result_path: "$.decision",
                catch: [{ error_equals: ["Rejected"], result_path: "$.rejection", next: Refused }],
                end: true,
            },
            Refused: Pass { end: true },
        }
    }
}

/// A workflow with its outbox, and the receiving end of the outbox.
fn approval() -> (Approval, mpsc::UnboundedReceiver<Request>) {
    let (sent, received) = mpsc::unbounded_channel();
    (Approval::new(Outbox { sent }), received)
}

// The token reaches the service through `Parameters`; the answer sent with it is the result.
#[tokio::test(start_paused = true)]
async fn the_answer_sent_with_the_token_is_the_result() {
    let (workflow, mut outbox) = approval();
    let callbacks = Callbacks::new();
    let approver = {
        let callbacks = callbacks.clone();
        tokio::spawn(async move {
            let request = outbox.recv().await.unwrap();
            assert_eq!(request.amount, 120);
            // A heartbeat, then the answer, as a person taking their time would.
            tokio::time::sleep(Duration::from_secs(50)).await;
            callbacks.send_heartbeat(&request.token).unwrap();
            tokio::time::sleep(Duration::from_secs(50)).await;
            callbacks
                .send_success(&request.token, json!({"approved": true, "by": "ana"}))
                .unwrap();
            request.token
        })
    };
    let (output, _) = workflow
        .run_with(
            json!({"amount": 120}),
            &RunOptions::new().callbacks(callbacks.clone()),
        )
        .await;
    assert_eq!(
        output.unwrap(),
        json!({"amount": 120, "decision": {"approved": true, "by": "ana"}})
    );
    // The token is spent.
    let token = approver.await.unwrap();
    assert_eq!(
        callbacks.send_success(&token, json!(null)),
        Err(CallbackError::TaskDoesNotExist(token))
    );
    assert!(callbacks.waiting().is_empty());
}

// `SendTaskFailure`: the error and cause fail the Task, and its catcher sees them.
#[tokio::test(start_paused = true)]
async fn a_failure_sent_with_the_token_is_caught() {
    let (workflow, mut outbox) = approval();
    let callbacks = Callbacks::new();
    let answerer = callbacks.clone();
    tokio::spawn(async move {
        let request = outbox.recv().await.unwrap();
        answerer
            .send_failure(&request.token, "Rejected", "over the budget")
            .unwrap();
    });
    let (output, _) = workflow
        .run_with(
            json!({"amount": 9_000}),
            &RunOptions::new().callbacks(callbacks),
        )
        .await;
    assert_eq!(
        output.unwrap()["rejection"],
        json!({"Error": "Rejected", "Cause": "over the budget"})
    );
}

// `HeartbeatSeconds`: 60 s without a heartbeat fails the Task with `States.HeartbeatTimeout`,
// and the token is refused afterwards.
#[tokio::test(start_paused = true)]
async fn silence_past_the_heartbeat_fails_the_task() {
    let (workflow, mut outbox) = approval();
    let callbacks = Callbacks::new();
    let (output, _) = workflow
        .run_with(
            json!({"amount": 1}),
            &RunOptions::new().callbacks(callbacks.clone()),
        )
        .await;
    let error = output.unwrap_err();
    assert_eq!(error.name(), "States.HeartbeatTimeout");
    let request = outbox.recv().await.unwrap();
    assert!(callbacks.send_heartbeat(&request.token).is_err());
}

sfn_workflow::workflow! {
    Patient {
        deps: Outbox,
        start_at: Ask,
        states: {
            Ask: Task {
                resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                parameters: {
                    "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
                    "MessageBody": {"token.$": "$$.Task.Token", "amount.$": "$.amount"}
                },
                handler: Outbox::send,
                timeout_seconds: 300,
                retry: [{ error_equals: ["States.Timeout"], max_attempts: 1, interval_seconds: 1 }],
                end: true,
            },
        }
    }
}

// `TimeoutSeconds` bounds the whole wait; a retried attempt has a token of its own, and only
// the waiting one is answered.
#[tokio::test(start_paused = true)]
async fn each_attempt_waits_with_its_own_token() {
    let (sent, mut outbox) = mpsc::unbounded_channel();
    let workflow = Patient::new(Outbox { sent });
    let callbacks = Callbacks::new();
    let answerer = callbacks.clone();
    let answering = tokio::spawn(async move {
        let first = outbox.recv().await.unwrap();
        // The first attempt times out after 300 s; the retry sends a new token.
        let second = outbox.recv().await.unwrap();
        assert_ne!(first.token, second.token);
        assert!(answerer.send_success(&first.token, json!("late")).is_err());
        answerer.send_success(&second.token, json!("ok")).unwrap();
    });
    let (output, _) = workflow
        .run_with(
            json!({"amount": 5}),
            &RunOptions::new().callbacks(callbacks),
        )
        .await;
    assert_eq!(output.unwrap(), json!("ok"));
    answering.await.unwrap();
}

/// A handler that answers its own callback through its context: the handle works without a
/// registry given to the run.
async fn self_approving(request: Value, context: TaskContext) -> Result<Value, Error> {
    let callback = context.callback().cloned().expect("a callback Task");
    assert_eq!(request["token"], json!(callback.token()));
    assert_eq!(context.task_token(), Some(callback.token()));
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        callback.success(json!({"approved": "by itself"})).unwrap();
    });
    Ok(Value::Null)
}

const DEFINITION: &str = r#"{"StartAt": "Ask", "States": {"Ask": {"Type": "Task",
    "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
    "Parameters": {"FunctionName": "approve", "Payload": {"token.$": "$$.Task.Token", "amount.$": "$.amount"}},
    "End": true}}}"#;

// The interpreter runs the same pattern; `lambda:invoke.waitForTaskToken` hands the function
// its `Payload`, and the result is the callback's output, not an `Invoke` response.
#[tokio::test(start_paused = true)]
async fn an_interpreted_callback_task_waits_for_its_answer() {
    let mut interpreter = Interpreter::from_json("Approval", DEFINITION).unwrap();
    interpreter.handle_state("Ask", self_approving).unwrap();
    let output = interpreter.run(json!({"amount": 3})).await.unwrap();
    assert_eq!(output, json!({"approved": "by itself"}));
}

// Step Functions Local: a callback Task's mocked response is its result, with no wait.
#[tokio::test(start_paused = true)]
async fn a_mock_file_answers_a_callback_task() {
    let config = MockConfig::from_json(
        r#"{"StateMachines": {"Approval": {"TestCases": {"Approved": {"Ask": "Yes"}, "Rejected": {"Ask": "No"}}}},
            "MockedResponses": {
              "Yes": {"0": {"Return": {"approved": true}}},
              "No": {"0": {"Throw": {"Error": "Rejected", "Cause": "no"}}}}}"#,
    )
    .unwrap();
    let mut interpreter = Interpreter::from_json("Approval", DEFINITION).unwrap();
    config
        .apply(&mut interpreter, "Approval", "Approved")
        .unwrap();
    assert_eq!(
        interpreter.run(json!({"amount": 3})).await.unwrap(),
        json!({"approved": true})
    );
    config
        .apply(&mut interpreter, "Approval", "Rejected")
        .unwrap();
    assert_eq!(
        interpreter
            .run(json!({"amount": 3}))
            .await
            .unwrap_err()
            .name(),
        "Rejected"
    );
}

// A handler's own error fails the attempt before any wait; for `lambda:invoke` it is a
// function error, and the registry keeps nothing.
#[tokio::test(start_paused = true)]
async fn a_handler_error_fails_the_task_without_waiting() {
    let mut interpreter = Interpreter::from_json("Approval", DEFINITION).unwrap();
    interpreter
        .handle_state("Ask", |_: Value| async {
            Err::<Value, _>(Error::new("Unreachable", "the approver is away"))
        })
        .unwrap();
    let callbacks = Callbacks::new();
    let (outcome, _) = interpreter
        .run_with(
            json!({"amount": 3}),
            &RunOptions::new().callbacks(callbacks.clone()),
        )
        .await;
    let error = outcome.unwrap_err();
    assert_eq!(error.name(), "Unreachable");
    let cause: Value = serde_json::from_str(error.cause()).unwrap();
    assert_eq!(cause["errorMessage"], json!("the approver is away"));
    assert!(callbacks.waiting().is_empty());
}

// Nothing bounds the wait but the year an execution may last on AWS: on the paused clock, a
// callback nobody sends ends the Task with `States.Timeout` at once, not never.
#[tokio::test(start_paused = true)]
async fn a_callback_nobody_sends_ends_after_a_year() {
    let definition = r#"{"StartAt": "Ask", "States": {"Ask": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": true}}}"#;
    let mut interpreter = Interpreter::from_json("Forgotten", definition).unwrap();
    interpreter
        .handle_state("Ask", |_: Value| async { Ok::<_, Error>(Value::Null) })
        .unwrap();
    let started = tokio::time::Instant::now();
    let error = interpreter.run(json!({})).await.unwrap_err();
    assert_eq!(error.name(), "States.Timeout");
    assert_eq!(started.elapsed(), sfn_workflow::callback::LONGEST_WAIT);
}
