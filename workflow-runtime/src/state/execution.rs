//! A whole execution, limited by the definition's `TimeoutSeconds`.

use std::future::Future;
use std::time::Duration;

use futures_util::future::Either;
use futures_util::FutureExt;
use serde_json::Value;
use tracing::Instrument;
use workflow_asl::errors;

use super::seconds;
use std::sync::Arc;

use crate::history::{details, EventType};
use crate::{Error, Execution};

/// A whole execution: `run`, in the execution's `tracing` span
/// ([`Execution::span`]) when a subscriber wants it, limited to the definition's top-level
/// `TimeoutSeconds`, past which it is dropped (every state in it cancelled) and the execution
/// fails with `States.Timeout`. Its input was admitted before the execution was made
/// ([`crate::limits::admit`]), which recorded `ExecutionStarted`; [`ended`] records its
/// outcome ([`crate::history`]).
///
/// # Errors
/// The execution's error, or `States.Timeout`.
pub fn execute<F>(
    definition: &workflow_asl::StateMachine,
    execution: &Execution,
    run: F,
) -> impl Future<Output = Result<Value, Error>>
where
    F: Future<Output = Result<Value, Error>>,
{
    let timed_out = |limit: Duration| {
        move |outcome: Result<Result<Value, Error>, tokio::time::error::Elapsed>| {
            outcome.unwrap_or_else(|_| {
                Err(Error::new(
                    errors::TIMEOUT,
                    format!(
                        "the execution ran longer than its TimeoutSeconds ({} s)",
                        limit.as_secs()
                    ),
                ))
            })
        }
    };
    let span = execution.span();
    // A recorded execution's events are recorded on its top-level path.
    let run = match execution.recorder() {
        None => Either::Left(run),
        Some(recorder) => Either::Right(recorder.scoped(Arc::clone(recorder.root()), run)),
    };
    // Not an `async fn`, whose future would hold `run` twice over; and each arm moves `run`
    // once, into its place.
    match (
        seconds(definition.timeout_seconds.as_ref()),
        span.is_disabled(),
    ) {
        (None, true) => Either::Left(Either::Left(run)),
        (None, false) => Either::Left(Either::Right(run.instrument(span))),
        (Some(limit), true) => Either::Right(Either::Left(
            tokio::time::timeout(limit, run).map(timed_out(limit)),
        )),
        (Some(limit), false) => Either::Right(Either::Right(
            tokio::time::timeout(limit, run.instrument(span)).map(timed_out(limit)),
        )),
    }
}

/// The execution's outcome (what [`execute`] gave), its last event recorded:
/// `ExecutionSucceeded` may itself be one event too many. Done on the outcome rather than
/// inside [`execute`]'s future, which a wrapper would make larger and move once more.
///
/// # Errors
/// The execution's error; `States.Runtime` when `ExecutionSucceeded` would pass the history
/// quota.
pub fn ended(execution: &Execution, outcome: Result<Value, Error>) -> Result<Value, Error> {
    let outcome = match outcome {
        Ok(output) => match execution.record(EventType::ExecutionSucceeded) {
            Ok(()) => {
                if let Some(recorder) = execution.recorder() {
                    let details = details::output(&details::text(&output));
                    recorder.record(EventType::ExecutionSucceeded, Some(details));
                }
                return Ok(output);
            }
            Err(error) => Err(error),
        },
        Err(error) => Err(error),
    };
    let Err(error) = outcome else {
        return outcome;
    };
    // An expression's failure no state recorded (none should be left), recorded before the end.
    let state = error.state().unwrap_or_default().to_owned();
    let error = crate::state::evaluation_failed(execution, error, &state);
    let event = if error.name() == errors::TIMEOUT && error.state().is_none() {
        EventType::ExecutionTimedOut
    } else {
        EventType::ExecutionFailed
    };
    // Failing is recorded even past the quota: that is how the quota ends a run.
    let _ = execution.record(event);
    if let Some(recorder) = execution.recorder() {
        recorder.record(event, Some(details::failure(&error)));
    }
    Err(error)
}

/// The child execution `child` (of a Distributed Map) of `parent` ended with `outcome`: its
/// last event recorded, as [`ended`] does, and its history kept with the parent's
/// ([`crate::history::History::children`]).
///
/// # Errors
/// The child's error, as [`ended`] gives it.
pub fn child_ended(
    child: &Execution,
    parent: &Execution,
    outcome: Result<Value, Error>,
) -> Result<Value, Error> {
    let outcome = ended(child, outcome);
    if let (Some(recorder), Some(parent)) = (child.recorder(), parent.recorder()) {
        parent.adopt(child.id().to_owned(), recorder.take());
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    // The States Language specification, "Top-level fields": an execution that runs longer
    // than `TimeoutSeconds` fails with `States.Timeout`.
    #[tokio::test(start_paused = true)]
    async fn an_execution_past_its_timeout_fails_with_states_timeout() {
        let definition = workflow_asl::StateMachine::from_json(
            r#"{"StartAt": "W", "TimeoutSeconds": 5, "States": {"W": {"Type": "Succeed"}}}"#,
        )
        .unwrap();
        let slow = async {
            tokio::time::sleep(Duration::from_secs(10)).await;
            Ok(Value::Null)
        };
        let execution = Execution::new("T", &Value::Null);
        let e = execute(&definition, &execution, slow).await.unwrap_err();
        assert_eq!(e.name(), errors::TIMEOUT);
        let quick = async { Ok(Value::Bool(true)) };
        assert_eq!(
            execute(&definition, &execution, quick).await,
            Ok(Value::Bool(true))
        );
    }
}
