//! Nested workflows: a Task on `arn:aws:states:::states:startExecution` starts another
//! workflow as a child execution, with its own context object and its own history.
//!
//! As the AWS Step Functions developer guide's "Start a new AWS Step Functions state machine
//! from a running execution" and the API reference's `StartExecution` and `DescribeExecution`
//! describe it, the child's input is the `Input` parameter (an object, or JSON text; `{}`
//! without one), its name the `Name` parameter (a new one without it), and the Task's result:
//!
//! | resource | waits | result |
//! |---|---|---|
//! | `states:startExecution` | no: the child runs on by itself | `{"ExecutionArn", "StartDate"}` (`StartExecution`'s response) |
//! | `states:startExecution.sync` | until the child ends | the child's description: `{"ExecutionArn", "Input", "InputDetails", "Name", "Output", "OutputDetails", "StartDate", "StateMachineArn", "Status", "StopDate"}`, `Input` and `Output` as JSON text |
//! | `states:startExecution.sync:2` | until the child ends | the same, `Input` and `Output` as JSON |
//! | `states:startExecution.waitForTaskToken` | until a callback with the token the `Input` passes on (`$$.Task.Token`) | what the callback sends ([`crate::callback`]) |
//!
//! A child that fails fails a `.sync` Task with `States.TaskFailed`, whose cause is the child's
//! description (as JSON text, `Status` `FAILED`, with the child's `Error` and `Cause`). Dates
//! are milliseconds since the epoch; ARNs are in the region `local` of the account
//! `000000000000`, as the context object's are. The child runs under its parent's quotas, its
//! callbacks are answered through the parent's registry, and its history is kept beside its
//! parent's (`History::children`) when the parent's is.

use std::future::Future;
use std::pin::Pin;
use std::time::SystemTime;

use serde_json::{json, Map, Value};
use workflow_asl::{errors, Pattern};

use crate::history::History;
use crate::{Error, Execution, RunOptions, Workflow};

/// A boxed, `Send` future that borrows nothing: what starting a child returns.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// A workflow a Task can start as a child execution: any workflow declared with `workflow!`
/// (a value of its type), or an `Interpreter` of an ASL document.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a workflow a Task can start",
    label = "expected a workflow declared with `workflow!`",
    note = "`workflow: Child` on a Task of `arn:aws:states:::states:startExecution` (`.sync`, `.sync:2`) names the child: a workflow without `deps`, whose type is its value"
)]
pub trait ChildWorkflow: Send + Sync + 'static {
    /// The child's state machine name (`$$.StateMachine.Name` in the child).
    fn name(&self) -> &str;

    /// Runs one execution of the child on `input`, as `options` say.
    fn start(
        &self,
        input: Value,
        options: RunOptions,
    ) -> BoxFuture<(Result<Value, Error>, History)>;
}

impl std::fmt::Debug for dyn ChildWorkflow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ChildWorkflow({})", self.name())
    }
}

impl<W: Workflow + Clone + Send + Sync + 'static> ChildWorkflow for W {
    fn name(&self) -> &str {
        W::NAME
    }

    fn start(
        &self,
        input: Value,
        options: RunOptions,
    ) -> BoxFuture<(Result<Value, Error>, History)> {
        let workflow = self.clone();
        Box::pin(async move { workflow.run_with(input, &options).await })
    }
}

/// The ARN of an execution called `name` of the state machine `machine`.
fn execution_arn(machine: &str, name: &str) -> String {
    format!("arn:aws:states:local:000000000000:execution:{machine}:{name}")
}

fn millis(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Starts `child` from `parent` with the Task's effective input `parameters` (its `Input`
/// and `Name`), waiting as `pattern` says: the Task's result.
///
/// # Errors
/// `States.TaskFailed` when a child that the Task waits for fails.
pub(crate) async fn start<C: ChildWorkflow + ?Sized>(
    child: &C,
    parent: &Execution,
    parameters: Value,
    pattern: Pattern,
) -> Result<Value, Error> {
    let mut parameters = match parameters {
        Value::Object(p) => p,
        _ => Map::new(),
    };
    let input = match parameters.remove("Input") {
        None | Some(Value::Null) => Value::Object(Map::new()),
        // `StartExecution` takes JSON text; the integration takes JSON too.
        Some(Value::String(text)) => serde_json::from_str(&text).unwrap_or(Value::String(text)),
        Some(input) => input,
    };
    let name = match parameters.remove("Name") {
        Some(Value::String(name)) => name,
        _ => uuid::Uuid::new_v4().to_string(),
    };
    let machine = format!(
        "arn:aws:states:local:000000000000:stateMachine:{}",
        child.name()
    );
    let arn = execution_arn(child.name(), &name);
    let mut options = RunOptions::new()
        .limits(*parent.limits())
        .callbacks(parent.callbacks().clone());
    if parent.recorder().is_some() {
        options = options.keep_history();
    }
    let started = SystemTime::now();
    let run = child.start(input.clone(), options);
    if pattern == Pattern::RequestResponse {
        // The child runs on by itself; the Task does not wait for it.
        let arn_of_child = arn.clone();
        tokio::spawn(async move {
            if let (Err(error), _) = run.await {
                tracing::info!(
                    execution = arn_of_child,
                    error = error.name(),
                    "child execution failed"
                );
            }
        });
        return Ok(json!({"ExecutionArn": arn, "StartDate": millis(started)}));
    }
    let (outcome, history) = run.await;
    if let Some(recorder) = parent.recorder() {
        recorder.adopt(arn.clone(), history);
    }
    // `.sync` gives the input and output as JSON text, `.sync:2` as JSON.
    let shaped = |value: &Value| match pattern {
        Pattern::Sync2 => value.clone(),
        _ => Value::String(value.to_string()),
    };
    let mut description = json!({
        "ExecutionArn": arn,
        "Input": shaped(&input),
        "InputDetails": {"Included": true},
        "Name": name,
        "StartDate": millis(started),
        "StateMachineArn": machine,
        "StopDate": millis(SystemTime::now()),
    });
    match outcome {
        Ok(output) => {
            description["Output"] = shaped(&output);
            description["OutputDetails"] = json!({"Included": true});
            description["Status"] = json!("SUCCEEDED");
            Ok(description)
        }
        Err(error) => {
            description["Status"] = json!("FAILED");
            description["Error"] = json!(error.name());
            description["Cause"] = json!(error.cause());
            Err(Error::new(errors::TASK_FAILED, description.to_string()))
        }
    }
}
