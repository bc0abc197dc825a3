//! A whole execution, limited by the definition's `TimeoutSeconds`.

use std::future::Future;

use futures_util::future::Either;
use futures_util::FutureExt;
use serde_json::Value;
use workflow_asl::errors;

use super::seconds;
use crate::Error;

/// A whole execution: `run` limited to the definition's top-level `TimeoutSeconds`, past which
/// it is dropped (every state in it cancelled) and the execution fails with `States.Timeout`.
///
/// # Errors
/// The execution's error, or `States.Timeout`.
pub fn execute<F>(
    definition: &workflow_asl::StateMachine,
    run: F,
) -> impl Future<Output = Result<Value, Error>>
where
    F: Future<Output = Result<Value, Error>>,
{
    // Not an `async fn`, whose future would hold `run` twice over.
    let Some(limit) = seconds(definition.timeout_seconds.as_ref()) else {
        return Either::Left(run);
    };
    Either::Right(tokio::time::timeout(limit, run).map(move |outcome| {
        outcome.unwrap_or_else(|_| {
            Err(Error::new(
                errors::TIMEOUT,
                format!(
                    "the execution ran longer than its TimeoutSeconds ({} s)",
                    limit.as_secs()
                ),
            ))
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

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
        let e = execute(&definition, slow).await.unwrap_err();
        assert_eq!(e.name(), errors::TIMEOUT);
        let quick = async { Ok(Value::Bool(true)) };
        assert_eq!(execute(&definition, quick).await, Ok(Value::Bool(true)));
    }
}
