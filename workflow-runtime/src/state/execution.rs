//! A whole execution, limited by the definition's `TimeoutSeconds`.

use std::future::Future;
use std::time::Duration;

use futures_util::future::Either;
use futures_util::FutureExt;
use serde_json::Value;
use tracing::Instrument;
use workflow_asl::errors;

use super::seconds;
use crate::{Error, Execution};

/// A whole execution: `run`, in the execution's `tracing` span ([`Execution::span`]) when a
/// subscriber wants it, limited to the definition's top-level `TimeoutSeconds`, past which it
/// is dropped (every state in it cancelled) and the execution fails with `States.Timeout`.
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
