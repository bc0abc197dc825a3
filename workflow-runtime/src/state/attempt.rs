//! The driver of a state that does work which may fail (Task, Parallel, Map): attempts
//! retried under `Retry`, errors caught under `Catch`, results placed by the data-flow fields.

use std::future::Future;
use std::time::Duration;

use futures_util::future::Either;
use serde_json::Value;
use workflow_asl::{errors, State, StateType};

use super::{failure, no_details, transition, Exits, Step};
use crate::context::ContextObject;
use crate::history::EventType;
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
    /// The attempt's task token (`$$.Task.Token`), for a Task that waits for a callback.
    pub token: Option<std::sync::Arc<str>>,
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

/// What a Task at the start of a typed edge hands on: a step as any state takes, or its
/// output as a Rust value for the next state.
#[derive(Debug)]
pub enum Handoff<T, O> {
    /// Where to go, with JSON.
    Step(Step<T>),
    /// To state `T`, with the Task's output as it is.
    Typed(T, O),
}

impl<T, O: serde::Serialize> Handoff<T, O> {
    /// The hand-off as a step with JSON, for a state whose next state takes JSON: a typed
    /// output becomes the JSON it would have been (only a state without `ResultSelector`,
    /// `ResultPath` or `OutputPath` hands on a typed output, so its output is its result).
    ///
    /// # Errors
    /// `Workflow.InvalidTaskOutput` when a typed output does not serialize.
    pub fn into_step(self) -> Result<Step<T>, Error> {
        match self {
            Self::Step(step) => Ok(step),
            Self::Typed(next, output) => Ok(Step::Next(next, crate::task::encode(output)?)),
        }
    }
}

/// [`retry_and_catch`]'s retry and catch around attempts with any result `R`, which `finish` turns into
/// the state's hand-off (given the raw input, the result and the context object).
pub(crate) fn attempts<'a, T, R, O, F, Fut, Fin>(
    name: &'a str,
    state: &'a State,
    execution: &'a Execution,
    input: Value,
    exits: Exits<'a, T>,
    attempt: F,
    finish: Fin,
) -> impl Future<Output = Result<Handoff<T, O>, Error>> + 'a
where
    T: Copy + 'a,
    R: 'a,
    O: serde::Serialize + 'a,
    F: FnMut(Value, Attempt) -> Fut + 'a,
    Fut: Future<Output = Result<R, Error>> + 'a,
    Fin: FnOnce(Value, R, &dyn ContextObject) -> Result<Handoff<T, O>, Error> + 'a,
{
    // Not an `async fn`, whose future would hold the one it awaits and its arguments.
    super::in_span(
        name,
        attempts_in_span(name, state, execution, input, exits, attempt, finish),
    )
}

/// [`attempts`], in the state's span.
async fn attempts_in_span<T, R, O: serde::Serialize, F, Fut>(
    name: &str,
    state: &State,
    execution: &Execution,
    input: Value,
    exits: Exits<'_, T>,
    mut attempt: F,
    finish: impl FnOnce(Value, R, &dyn ContextObject) -> Result<Handoff<T, O>, Error>,
) -> Result<Handoff<T, O>, Error>
where
    T: Copy,
    F: FnMut(Value, Attempt) -> Fut,
    Fut: Future<Output = Result<R, Error>>,
{
    tracing::debug!("entering state");
    let text = super::input_text(execution, &input);
    super::entered(execution, state.kind, name, text.as_deref()).map_err(|e| e.in_state(name))?;
    drop(text);
    let entered = std::time::SystemTime::now();
    let context = execution.context_at(name, entered, 0);
    let mut input = input;
    let catches = state.catch.is_some();
    let outcome = async {
        let retriers = state.retry.as_deref().unwrap_or_default();
        // Each attempt's effective input is made anew: `$$.State.RetryCount` changes.
        // A Task that waits for a callback gives each attempt a task token of its own.
        let callback = state.kind == StateType::Task
            && state
                .resource
                .as_deref()
                .is_some_and(|r| r.ends_with(".waitForTaskToken"));
        let result = retry::retry(name, retriers, |retries| {
            let token = callback.then(crate::callback::new_token);
            let context = execution
                .context_at(name, entered, retries)
                .with_token(token.as_deref());
            let effective = data::effective_input(state, &input, &context).and_then(|effective| {
                if state.parameters.is_some() {
                    execution.check(&effective, &|| super::effective_input(name))?;
                }
                Ok(effective)
            });
            // An expression's failure is recorded per attempt, as it happens (a Map's
            // `Items` and `ItemSelector`, inside the attempt, record theirs there).
            match effective {
                Ok(effective) => Either::Left(attempt(
                    effective,
                    Attempt {
                        retries,
                        entered,
                        token,
                    },
                )),
                Err(error) => Either::Right(std::future::ready(Err(super::evaluation_failed(
                    execution, error, name,
                )))),
            }
        })
        .await;
        // A Parallel's or a Map's failure is recorded once no retrier runs it again (AWS's
        // recorded histories: no `MapStateFailed` between a Map's attempts).
        let result = result.map_err(|error| match state.kind {
            StateType::Parallel => {
                failure(execution, error, EventType::ParallelStateFailed, no_details)
            }
            StateType::Map => failure(execution, error, EventType::MapStateFailed, no_details),
            _ => error,
        })?;
        // `finish` reads the raw input only to place the result in it (a `ResultPath`); a
        // catcher reads it to place an error, should `finish` fail. One copy serves both
        // only when both may need it.
        let reads_input =
            state.result_path.is_some() || state.output.is_some() || state.assign.is_some();
        let raw = match (reads_input, catches) {
            (false, _) => Value::Null,
            (true, false) => std::mem::take(&mut input),
            (true, true) => input.clone(),
        };
        let handoff = finish(raw, result, &context)?;
        exited(execution, state, name, &handoff)?;
        Ok(handoff)
    }
    .await;
    let error = match outcome {
        Ok(handoff) => return Ok(handoff),
        // An expression of `finish` (`Output`, `Assign`) that failed, recorded before a
        // catcher's work.
        Err(error) => super::evaluation_failed(execution, error, name),
    };
    let catchers = state.catch.as_deref().unwrap_or_default();
    let Some(index) = catch::find(catchers, &error) else {
        tracing::debug!(state = name, error = error.name(), "state failed");
        return Err(error.in_state(name));
    };
    tracing::info!(
        state = name,
        error = error.name(),
        cause = error.cause(),
        catcher = index,
        "caught error"
    );
    let output = catch::output_in(state, &catchers[index], input, &error, &context)
        .map_err(|e| super::evaluation_failed(execution, e, name).in_state(name))?;
    let target = exits.catch.get(index).copied().ok_or_else(|| {
        Error::new(
            workflow_asl::errors::RUNTIME,
            format!("state `{name}` has no target for catcher {index}"),
        )
        .in_state(name)
    })?;
    let handoff = Handoff::Step(Step::Next(target, output));
    exited(execution, state, name, &handoff).map_err(|e| e.in_state(name))?;
    Ok(handoff)
}

/// Records that the state exited, once its output (when it is JSON) is within the
/// execution's limits: a typed output, never JSON, is not measured.
fn exited<T, O: serde::Serialize>(
    execution: &Execution,
    state: &State,
    name: &str,
    handoff: &Handoff<T, O>,
) -> Result<(), Error> {
    match handoff {
        Handoff::Step(Step::Next(_, output) | Step::End(output)) => {
            super::exited(execution, state.kind, name, output)
        }
        Handoff::Typed(_, output) => super::handed_on(execution, state.kind, name, output),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn state(definition: Value) -> State {
        serde_json::from_value(definition).unwrap()
    }

    // The States Language specification, "Error handling": a retrier retries the attempt
    // (here after 1 s, then 2 s: IntervalSeconds 1, BackoffRate 2), and the attempt's context
    // counts the retries.
    #[tokio::test(start_paused = true)]
    async fn retries_until_an_attempt_succeeds() {
        let s = state(json!({"Type": "Task", "Resource": "r", "End": true,
            "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1, "BackoffRate": 2}]}));
        let ex = Execution::new("T", &json!({}));
        let calls = AtomicU32::new(0);
        let start = tokio::time::Instant::now();
        let step = retry_and_catch::<u8, _, _>(
            "T",
            &s,
            &ex,
            json!({"x": 1}),
            Exits {
                next: None,
                catch: &[],
            },
            |input, attempt| {
                calls.fetch_add(1, Ordering::SeqCst);
                async move {
                    if attempt.retries < 2 {
                        Err(Error::new("Busy", "try again"))
                    } else {
                        Ok(json!({"got": input, "retries": attempt.retries}))
                    }
                }
            },
        )
        .await
        .unwrap();
        assert_eq!(step, Step::End(json!({"got": {"x": 1}, "retries": 2})));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        assert_eq!(start.elapsed(), Duration::from_secs(3));
    }

    // "Error handling": the first matching catcher sends `{"Error", "Cause"}`, placed at its
    // `ResultPath`, to its `Next`; an error no catcher matches fails the state.
    #[tokio::test]
    async fn a_catcher_routes_the_error_output() {
        let s = state(json!({"Type": "Task", "Resource": "r", "Next": "N",
            "Catch": [{"ErrorEquals": ["Declined"], "ResultPath": "$.error", "Next": "C"}]}));
        let ex = Execution::new("T", &json!({}));
        let exits = Exits {
            next: Some(1u8),
            catch: &[2u8],
        };
        let failing = |name: &'static str| {
            move |_: Value, _: Attempt| async move { Err::<Value, _>(Error::new(name, "no")) }
        };
        let step = retry_and_catch("T", &s, &ex, json!({"a": 1}), exits, failing("Declined"))
            .await
            .unwrap();
        assert_eq!(
            step,
            Step::Next(
                2,
                json!({"a": 1, "error": {"Error": "Declined", "Cause": "no"}})
            )
        );
        let e = retry_and_catch("T", &s, &ex, json!({"a": 1}), exits, failing("Other"))
            .await
            .unwrap_err();
        assert_eq!(e.name(), "Other");
    }
}
