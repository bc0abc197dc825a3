//! A workflow within a workflow, after the public `workflow-within-a-workflow` pattern (in
//! `tests/data/asl-corpus/`): the main workflow starts the same child three ways, as
//! `states:startExecution` Tasks.
//!
//! - "Start new workflow and continue": starts the child and goes on at once (the result is
//!   `StartExecution`'s response).
//! - "Start new workflow and wait for completion" (`.sync:2`): waits until the child ends;
//!   `$.Output` is its output.
//! - "Start new workflow and wait for callback" (`.waitForTaskToken`): passes its task token
//!   in the child's input, and waits until the child's "Callback" Task answers with it.
//!
//! The child waits a second, calls back if it was asked to, waits another second, and
//! reports. Each child is an execution of its own: `--history FILE` writes the children's
//! histories beside the main one.
//!
//! ```text
//! cargo run --example nested              # about two seconds: both branches' answers
//! cargo run --example nested -- --asl     # the main workflow's ASL (the child's: `Nested::asl()`)
//! cargo run --example nested -- --policy  # states:StartExecution, and what `.sync` needs
//! ```

use std::process::ExitCode;

use serde::Deserialize;
use serde_json::{json, Value};
use sfn_workflow::{Error, TaskContext};

/// What the child's "Callback" function receives: the token to answer, and what to say.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CallbackRequest {
    pub(crate) task_token: String,
    pub(crate) message: String,
}

/// Stands for the corpus's callback Lambda function: it answers the parent's task token
/// (`SendTaskSuccess`) through the execution's callback registry.
pub(crate) async fn send_callback(
    request: CallbackRequest,
    context: TaskContext,
) -> Result<Value, Error> {
    let callbacks = context.callbacks().ok_or_else(|| {
        Error::new(
            "Callback.Unavailable",
            "this Task runs outside an execution",
        )
    })?;
    callbacks
        .send_success(&request.task_token, json!({"Message": request.message}))
        .map_err(|e| Error::new("Callback.Failed", e.to_string()))?;
    Ok(json!({"sent": true}))
}

sfn_workflow::workflow! {
    /// The child: two long-running jobs, and a callback between them when asked for one.
    pub Nested {
        start_at: "First long-running job",
        states: {
            "First long-running job": Wait { seconds: 1, next: "Need callback?" },
            "Need callback?": Choice {
                choices: [{ variable: "$.NeedCallback", boolean_equals: true, next: Callback }],
                default: "Second long-running job",
            },
            Callback: Task {
                resource: "arn:aws:states:::lambda:invoke",
                parameters: {
                    "FunctionName": "${NestingPatternCallbackLambdaFunction}",
                    "Payload": {
                        "TaskToken.$": "$$.Execution.Input.TaskToken",
                        "Message": "Callback right after the first long-running job is completed"
                    }
                },
                handler: send_callback,
                next: "Second long-running job",
            },
            "Second long-running job": Wait { seconds: 1, next: "Report completion" },
            "Report completion": Pass {
                result: "The whole execution is completed including both long-running jobs",
                end: true,
            },
        }
    }
}

sfn_workflow::workflow! {
    /// Combines workflows with `states:startExecution` and its integration patterns.
    pub NestingPattern {
        comment: "An example of combining workflows using a Step Functions StartExecution task state with various integration patterns.",
        start_at: "Start new workflow and continue",
        states: {
            "Start new workflow and continue": Task {
                comment: "Start an execution of another Step Functions state machine and continue",
                resource: "arn:aws:states:::states:startExecution",
                parameters: {
                    "StateMachineArn": "${NestingPatternAnotherStateMachineArn}",
                    "Input": {"NeedCallback": false, "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"}
                },
                workflow: Nested,
                next: "Start in parallel",
            },
            "Start in parallel": Parallel {
                comment: "Start two executions of the same state machine in parallel",
                branches: [
                    {
                        start_at: "Start new workflow and wait for completion",
                        states: {
                            "Start new workflow and wait for completion": Task {
                                comment: "Start an execution and wait for its completion",
                                resource: "arn:aws:states:::states:startExecution.sync:2",
                                parameters: {
                                    "StateMachineArn": "${NestingPatternAnotherStateMachineArn}",
                                    "Input": {"NeedCallback": false, "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"}
                                },
                                workflow: Nested,
                                output_path: "$.Output",
                                end: true,
                            },
                        }
                    },
                    {
                        start_at: "Start new workflow and wait for callback",
                        states: {
                            "Start new workflow and wait for callback": Task {
                                comment: "Start an execution and wait for it to call back with a task token",
                                resource: "arn:aws:states:::states:startExecution.waitForTaskToken",
                                parameters: {
                                    "StateMachineArn": "${NestingPatternAnotherStateMachineArn}",
                                    "Input": {
                                        "NeedCallback": true,
                                        "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id",
                                        "TaskToken.$": "$$.Task.Token"
                                    }
                                },
                                workflow: Nested,
                                end: true,
                            },
                        }
                    },
                ],
                end: true,
            },
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    sfn_workflow::cli::main(&NestingPattern).await
}
