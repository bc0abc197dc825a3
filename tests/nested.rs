//! Nested workflows (`states:startExecution`, issue 16 part 3): a Task starts a child
//! workflow as an execution of its own.
//!
//! Sources of the expected shapes: the AWS Step Functions developer guide, "Start a new AWS
//! Step Functions state machine from a running execution" (`.sync` waits and returns the
//! child's description with `Output` as JSON text, `.sync:2` with `Output` as JSON; without a
//! suffix the Task does not wait), and the API reference's `StartExecution` (`ExecutionArn`,
//! `StartDate`) and `DescribeExecution` (the description's fields). LocalStack's recording of
//! AWS (`services/test_sfn_task_service.snapshot.json`, `test_start_execution`) shows the
//! request-response result and the `TaskScheduled` parameters.

use serde_json::{json, Value};
use sfn_workflow::interpret::Interpreter;
use sfn_workflow::Error;

async fn double(n: i64) -> Result<i64, Error> {
    if n < 0 {
        return Err(Error::new("Negative", format!("{n} is negative")));
    }
    Ok(n * 2)
}

sfn_workflow::workflow! {
    /// The child: doubles a number.
    Doubler {
        start_at: Double,
        states: {
            Double: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:double", handler: double, end: true },
        }
    }
}

sfn_workflow::workflow! {
    /// The parent: starts the child three ways.
    Parent {
        start_at: Json,
        states: {
            Json: Task {
                resource: "arn:aws:states:::states:startExecution.sync:2",
                parameters: {"StateMachineArn": "${DoublerArn}", "Input.$": "$.n", "Name": "first"},
                workflow: Doubler,
                result_selector: {"doubled.$": "$.Output", "status.$": "$.Status", "arn.$": "$.ExecutionArn"},
                result_path: "$.json",
                next: Text,
            },
            Text: Task {
                resource: "arn:aws:states:::states:startExecution.sync",
                parameters: {"StateMachineArn": "${DoublerArn}", "Input.$": "$.json.doubled"},
                workflow: Doubler,
                result_selector: {"output.$": "$.Output", "input.$": "$.Input"},
                result_path: "$.text",
                next: Detached,
            },
            Detached: Task {
                resource: "arn:aws:states:::states:startExecution",
                parameters: {"StateMachineArn": "${DoublerArn}", "Input": 1},
                workflow: Doubler,
                result_path: "$.detached",
                catch: [{ error_equals: ["States.TaskFailed"], result_path: "$.failed", next: Failed }],
                end: true,
            },
            Failed: Pass { end: true },
        }
    }
}

#[tokio::test]
async fn a_workflow_starts_its_child_with_each_pattern() {
    let output = Parent.run(json!({"n": 5})).await.unwrap();
    // `.sync:2`: the output as JSON; the ARN names the child's state machine and execution.
    assert_eq!(
        output["json"],
        json!({"doubled": 10, "status": "SUCCEEDED",
            "arn": "arn:aws:states:local:000000000000:execution:Doubler:first"})
    );
    // `.sync`: input and output as JSON text.
    assert_eq!(output["text"], json!({"output": "20", "input": "10"}));
    // No suffix: `StartExecution`'s response, without waiting.
    let detached = output["detached"].as_object().unwrap();
    let mut fields: Vec<&str> = detached.keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["ExecutionArn", "StartDate"]);
    assert!(detached["StartDate"].is_u64());
}

// A child that fails fails the `.sync` Task with `States.TaskFailed`, whose cause is the
// child's description with its error and cause.
#[tokio::test]
async fn a_failed_child_fails_the_task_with_its_description() {
    let error = Parent.run(json!({"n": -1})).await.unwrap_err();
    assert_eq!(error.name(), "States.TaskFailed");
    assert_eq!(error.state(), Some("Json"));
    let description: Value = serde_json::from_str(error.cause()).unwrap();
    assert_eq!(description["Status"], json!("FAILED"));
    assert_eq!(description["Error"], json!("Negative"));
    assert_eq!(description["Cause"], json!("-1 is negative"));
    assert_eq!(description["Input"], json!(-1));
}

// The child's history is kept beside the parent's, as AWS keeps a child execution's apart.
#[tokio::test]
async fn the_child_s_history_is_kept_beside_the_parent_s() {
    let (output, history) = Parent.run_recorded(json!({"n": 2})).await;
    output.unwrap();
    // The two children the parent waited for (the detached one is not waited for).
    assert_eq!(history.children.len(), 2);
    let (arn, child) = &history.children[0];
    assert_eq!(
        arn,
        "arn:aws:states:local:000000000000:execution:Doubler:first"
    );
    assert_eq!(child.types().first(), Some(&"ExecutionStarted"));
    assert_eq!(child.types().last(), Some(&"ExecutionSucceeded"));
    let scheduled = history
        .events
        .iter()
        .find(|e| e.kind.name() == "TaskScheduled")
        .unwrap()
        .to_json();
    assert_eq!(
        scheduled["taskScheduledEventDetails"]["resourceType"],
        json!("states")
    );
    assert_eq!(
        scheduled["taskScheduledEventDetails"]["resource"],
        json!("startExecution.sync:2")
    );
}

// The interpreter starts a child given for the Task's name or for its `StateMachineArn`:
// here an ASL document of its own, read at run time.
#[tokio::test]
async fn the_interpreter_starts_an_asl_child() {
    let parent = r#"{"StartAt": "Call", "States": {"Call": {"Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Child", "Input": {"x.$": "$.x"}},
        "OutputPath": "$.Output", "End": true}}}"#;
    let child = r#"{"StartAt": "Add", "States": {"Add": {"Type": "Pass",
        "Parameters": {"sum.$": "States.MathAdd($.x, 1)", "machine.$": "$$.StateMachine.Name"}, "End": true}}}"#;
    let mut interpreter = Interpreter::from_json("Parent", parent).unwrap();
    interpreter.handle_workflow(
        "arn:aws:states:us-east-1:123456789012:stateMachine:Child",
        Interpreter::from_json("Child", child).unwrap(),
    );
    let output = interpreter.run(json!({"x": 41})).await.unwrap();
    // The child has its own context object: its state machine is `Child`.
    assert_eq!(output, json!({"sum": 42, "machine": "Child"}));
}

// The generated interpreter of a workflow starts the same children as the generated code.
#[tokio::test]
async fn the_generated_interpreter_starts_the_same_children() {
    let generated = Parent.run(json!({"n": 3})).await.unwrap();
    let interpreted = Parent.interpreter().run(json!({"n": 3})).await.unwrap();
    assert_eq!(generated["json"]["doubled"], interpreted["json"]["doubled"]);
    assert_eq!(generated["text"], interpreted["text"]);
}
