//! The driver of a state that does work which may fail (Task, Parallel, Map): attempts
//! retried under `Retry`, errors caught under `Catch`, results placed by the data-flow fields.

use std::future::Future;
use std::time::Duration;

use futures_util::future::Either;
use serde_json::Value;
use workflow_asl::{errors, State};

use super::{transition, Exits, Step};
use crate::__private::Handoff;
use crate::{catch, data, retry, Error, Execution};

/// Which attempt of a state is running: what the context object says of it.
///
/// It owns its data, so that the closure given one needs no higher-ranked signature.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// How many retries came before this attempt (`$$.State.RetryCount`).
    pub retries: u32,
    /// When the state was entered (`$$.State.EnteredTime`).
    pub entered: std::time::SystemTime,
}

/// A state that does work which may fail (Task, Parallel): its effective input goes to
/// `attempt`, retried under the state's `Retry`; an error that is not retried is matched
/// against the state's `Catch`, whose target (from `exits.catch`) gets the error output; a
/// result goes through `ResultSelector`, `ResultPath` and `OutputPath`.
///
/// # Errors
/// The error no catcher matched.
pub async fn retry_and_catch<T, F, Fut>(
    name: &str,
    state: &State,
    execution: &Execution,
    input: Value,
    exits: Exits<'_, T>,
    attempt: F,
) -> Result<Step<T>, Error>
where
    T: Copy,
    F: FnMut(Value, Attempt) -> Fut,
    Fut: Future<Output = Result<Value, Error>>,
{
    let handoff = attempts(
        name,
        state,
        execution,
        input,
        exits,
        attempt,
        |input, result, context| {
            let output = data::state_output(state, input, result, context)?;
            Ok(Handoff::<T, ()>::Step(transition(exits.next, output)))
        },
    )
    .await?;
    handoff.into_step()
}

/// [`run`]'s retry and catch around attempts with any result `R`, which `finish` turns into
/// the state's hand-off (given the raw input, the result and the context object).
pub(crate) async fn attempts<T, R, O, F, Fut>(
    name: &str,
    state: &State,
    execution: &Execution,
    input: Value,
    exits: Exits<'_, T>,
    mut attempt: F,
    finish: impl FnOnce(Value, R, &dyn Fn() -> Value) -> Result<Handoff<T, O>, Error>,
) -> Result<Handoff<T, O>, Error>
where
    T: Copy,
    F: FnMut(Value, Attempt) -> Fut,
    Fut: Future<Output = Result<R, Error>>,
{
    tracing::debug!(state = name, "entering state");
    let entered = std::time::SystemTime::now();
    let context = || execution.context_object_at(name, entered, 0);
    let mut input = input;
    let catches = state.catch.is_some();
    let outcome = async {
        let retriers = state.retry.as_deref().unwrap_or_default();
        // Each attempt's effective input is made anew: `$$.State.RetryCount` changes.
        let result = retry::retry(name, retriers, |retries| {
            let context = || execution.context_object_at(name, entered, retries);
            match data::effective_input(state, &input, &context) {
                Ok(effective) => Either::Left(attempt(effective, Attempt { retries, entered })),
                Err(error) => Either::Right(std::future::ready(Err(error))),
            }
        })
        .await?;
        // `finish` reads the raw input only to place the result in it (a `ResultPath`); a
        // catcher reads it to place an error, should `finish` fail. One copy serves both
        // only when both may need it.
        let raw = match (&state.result_path, catches) {
            (None, _) => Value::Null,
            (Some(_), false) => std::mem::take(&mut input),
            (Some(_), true) => input.clone(),
        };
        finish(raw, result, &context)
    }
    .await;
    let error = match outcome {
        Ok(handoff) => return Ok(handoff),
        Err(error) => error,
    };
    let catchers = state.catch.as_deref().unwrap_or_default();
    let Some(index) = catch::find(catchers, &error) else {
        tracing::debug!(state = name, error = error.name(), "state failed");
        return Err(error);
    };
    tracing::info!(
        state = name,
        error = error.name(),
        cause = error.cause(),
        catcher = index,
        "caught error"
    );
    let output = catch::output(&catchers[index], input, &error)?;
    let target = exits.catch.get(index).copied().ok_or_else(|| {
        Error::new(
            workflow_asl::errors::RUNTIME,
            format!("state `{name}` has no target for catcher {index}"),
        )
    })?;
    Ok(Handoff::Step(Step::Next(target, output)))
}

/// `work`, failed with `States.Timeout` when it runs longer than `limit`.
pub(crate) async fn limited<R>(
    limit: Option<Duration>,
    work: impl Future<Output = Result<R, Error>>,
) -> Result<R, Error> {
    match limit {
        None => work.await,
        Some(limit) => tokio::time::timeout(limit, work).await.unwrap_or_else(|_| {
            Err(Error::new(
                errors::TIMEOUT,
                format!(
                    "the task ran longer than its TimeoutSeconds ({} s)",
                    limit.as_secs()
                ),
            ))
        }),
    }
}
