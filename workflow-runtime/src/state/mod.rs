//! Running one state: the functions the code generated for each state type calls, and the
//! interpreter too.
//!
//! Each takes the state's name and definition, the execution (for `$$` paths), its raw
//! input, and where it may go next (`T` is the generated code's own type for "a state of
//! this (sub)workflow"), and returns a [`Step`]: the next state with its input, or the end
//! with the (sub)workflow's output. All of ASL's rules for the state (data flow, retry,
//! catch) are applied here, not in generated code.
//!
//! - [`simple`](self): Pass, Succeed, Fail, Choice, Wait;
//! - [`retry_and_catch`]: the attempt, retry and catch driver of states that do work;
//! - [`task`], [`parallel`], [`map`]: the states that do work;
//! - [`execute`]: a whole execution under its `TimeoutSeconds`.

// `pub(crate)` so that `__private` can re-export the typed-edge `Handoff` the driver makes.
pub(crate) mod attempt;
mod execution;
mod map;
mod nested;
mod parallel;
mod simple;
mod task;

use std::time::Duration;

use serde_json::{Map, Value};
use workflow_asl::StateType;

use crate::history::{details, EventType};
use crate::{Error, Execution};

pub(crate) use self::attempt::{attempts, limited, Handoff};
pub use self::attempt::{retry_and_catch, Attempt};
pub use self::execution::{child_ended, ended, execute};
pub use self::map::{map, map_with};
pub use self::nested::start_execution;
pub use self::parallel::parallel;
pub use self::simple::{choice, fail, pass, succeed, wait, MAX_WAIT_SECONDS};
pub use self::task::task;
pub(crate) use self::task::{
    failed, scheduled, succeeded, succeeded_text, task_attempt, task_limits,
};

/// Where execution goes after a state.
#[derive(Debug, Clone, PartialEq)]
pub enum Step<T> {
    /// To state `T`, with this input.
    Next(T, Value),
    /// The (sub)workflow ends with this output.
    End(Value),
}

pub(crate) fn transition<T>(next: Option<T>, output: Value) -> Step<T> {
    match next {
        Some(state) => Step::Next(state, output),
        None => Step::End(output),
    }
}

/// Where a state that can fail may go: its `next` (`None` for `end`), and the target of each
/// catcher, in catcher order.
#[derive(Debug, Clone, Copy)]
pub struct Exits<'a, T> {
    /// The state after this one, or `None` when this one ends its (sub)workflow.
    pub next: Option<T>,
    /// The `next` of each catcher.
    pub catch: &'a [T],
}

/// The `tracing` span of the state called `name`, `state{state=..}`, inside its execution's
/// span: every event of the state is recorded in it. With the `state-spans` feature only:
/// a span around every state costs a few percent of an execution's instructions even when
/// nothing traces it (BENCHMARKS.md).
#[cfg(feature = "state-spans")]
pub(crate) fn in_span<F: std::future::Future>(
    name: &str,
    future: F,
) -> tracing::instrument::Instrumented<F> {
    use tracing::Instrument;
    future.instrument(tracing::debug_span!("state", state = %name))
}

/// Without the `state-spans` feature, a state's events carry its name as a field instead.
#[cfg(not(feature = "state-spans"))]
pub(crate) fn in_span<F: std::future::Future>(_name: &str, future: F) -> F {
    future
}

/// The state's span entered, for a state that runs without awaiting (see [`in_span`]).
#[cfg(feature = "state-spans")]
pub(crate) fn enter(name: &str) -> tracing::span::EnteredSpan {
    tracing::debug_span!("state", state = %name).entered()
}

/// Without the `state-spans` feature: nothing to enter.
#[cfg(not(feature = "state-spans"))]
pub(crate) fn enter(_name: &str) -> NoSpan {
    NoSpan
}

/// What [`enter`] gives without the `state-spans` feature: a guard of nothing.
#[cfg(not(feature = "state-spans"))]
pub(crate) struct NoSpan;

/// How many states a (sub)workflow runs between two yields to its executor.
pub const STATES_BETWEEN_YIELDS: u32 = 64;

/// Counts one more state of a (sub)workflow's loop in `count`, and says whether it is time to
/// yield ([`pace`]): a loop of states that never wait (Pass and Choice around and around)
/// would otherwise hold its thread forever, where neither the execution's `TimeoutSeconds`
/// nor an outer timeout or an abort could stop it.
#[inline]
#[must_use]
pub fn due(count: &mut u32) -> bool {
    *count = count.wrapping_add(1);
    *count % STATES_BETWEEN_YIELDS == 0
}

/// Gives the executor its thread back once: other tasks run, timers fire, and a dropped or
/// aborted execution ends there.
pub async fn pace() {
    tokio::task::yield_now().await;
}

/// Records that the state called `name`, of type `kind`, exited with `output`, once its
/// output is within the execution's limits.
///
/// # Errors
/// `States.DataLimitExceeded` for an output past the limits; `States.Runtime` at the history
/// quota.
#[inline]
pub(crate) fn exited(
    execution: &Execution,
    kind: StateType,
    name: &str,
    output: &Value,
) -> Result<(), Error> {
    check_output(execution, name, output)?;
    execution.event(EventType::StateExited(kind), || {
        Some(details::exited(name, &details::text(output)))
    })
}

/// Records that the state called `name`, of type `kind`, exited with `output`, a Rust value
/// handed on as it is to the next Task: its JSON text, made only when the execution is
/// recorded, is what the next Task's entry shows.
///
/// # Errors
/// `States.Runtime` at the history quota.
pub(crate) fn handed_on<O: serde::Serialize>(
    execution: &Execution,
    kind: StateType,
    name: &str,
    output: &O,
) -> Result<(), Error> {
    if execution.recorder().is_none() {
        return execution.record(EventType::StateExited(kind));
    }
    handed_on_text(execution, kind, name, details::typed_text(output))
}

/// [`handed_on`] in a recorded execution, the output's JSON text made: `text`.
///
/// # Errors
/// `States.Runtime` at the history quota.
pub(crate) fn handed_on_text(
    execution: &Execution,
    kind: StateType,
    name: &str,
    text: String,
) -> Result<(), Error> {
    let text: std::sync::Arc<str> = text.into();
    if let Some(recorder) = execution.recorder() {
        recorder.cursor().hand_on(std::sync::Arc::clone(&text));
    }
    execution.event(EventType::StateExited(kind), || {
        Some(details::exited(name, &text))
    })
}

/// The JSON text of a state's `input`, made only when the execution is recorded (its
/// `...StateEntered` shows it).
#[inline]
pub(crate) fn input_text(execution: &Execution, input: &Value) -> Option<String> {
    execution.recorder().map(|_| details::text(input))
}

/// Records a state that ran at once, entry and exit together: the state called `name`, of
/// type `kind`, entered on `input` (its text, from [`input_text`]), exited with `output`.
///
/// # Errors
/// `States.Runtime` at the history quota.
#[inline]
pub(crate) fn passed(
    execution: &Execution,
    kind: StateType,
    name: &str,
    input: Option<&str>,
    output: &Value,
) -> Result<(), Error> {
    if execution.recorder().is_none() {
        return execution.record_n(2);
    }
    passed_recorded(execution, kind, name, input, output)
}

/// [`passed`] in a recorded execution.
#[cold]
#[inline(never)]
fn passed_recorded(
    execution: &Execution,
    kind: StateType,
    name: &str,
    input: Option<&str>,
    output: &Value,
) -> Result<(), Error> {
    entered(execution, kind, name, input)?;
    execution.event(EventType::StateExited(kind), || {
        Some(details::exited(name, &details::text(output)))
    })
}

/// Records that the state called `name`, of type `kind`, was entered on `input` (its text,
/// from [`input_text`]).
///
/// # Errors
/// `States.Runtime` at the history quota.
#[inline]
pub(crate) fn entered(
    execution: &Execution,
    kind: StateType,
    name: &str,
    input: Option<&str>,
) -> Result<(), Error> {
    execution.event(EventType::StateEntered(kind), || {
        Some(details::entered(name, input.unwrap_or("null")))
    })
}

/// `States.DataLimitExceeded` when the output of the state called `name` is past the
/// execution's limits.
pub(crate) fn check_output(execution: &Execution, name: &str, output: &Value) -> Result<(), Error> {
    execution.check(output, &|| format!("the output of state `{name}`"))
}

/// `outcome`, with its event counted: `succeeded`, or `failed` (see [`failure`]); for an
/// execution that is not recorded.
pub(crate) fn recorded<T>(
    execution: &Execution,
    outcome: Result<T, Error>,
    (succeeded, failed): (EventType, EventType),
) -> Result<T, Error> {
    match outcome {
        Ok(value) => execution.record(succeeded).map(|()| value),
        Err(error) => Err(failure(execution, error, failed, no_details)),
    }
}

/// `error`, with the event of the failure it caused recorded (its details made by `details`
/// when the execution is recorded); an error that ends the execution passes as it is, and
/// the history quota reached by this event ends the execution instead.
#[cold]
pub(crate) fn failure(
    execution: &Execution,
    error: Error,
    event: EventType,
    details: impl FnOnce(&Error) -> Option<Map<String, Value>>,
) -> Error {
    if error.ends_execution() {
        return error;
    }
    match execution.event(event, || details(&error)) {
        Ok(()) => error,
        Err(ending) => ending,
    }
}

/// `error`, failing the state called `name`; when a JSONata expression of that state gave it,
/// AWS's `EvaluationFailed` event (the error, its cause, where the expression is) recorded
/// first, once: each place a state's failure passes calls this, and the first records it.
/// The state's `...StateEntered` must be recorded before.
#[cold]
pub(crate) fn evaluation_failed(execution: &Execution, mut error: Error, name: &str) -> Error {
    let Some(location) = error.take_evaluation() else {
        return error;
    };
    let details = || Some(details::evaluation_failed(&error, &location, name));
    match execution.event(EventType::EvaluationFailed, details) {
        Ok(()) => error,
        Err(ending) => ending,
    }
}

/// A state's entry recorded when it failed before its exit: the details of its
/// `...StateEntered`, for [`failure`].
pub(crate) fn entry<'a>(
    name: &'a str,
    input: Option<&'a str>,
) -> impl FnOnce(&Error) -> Option<Map<String, Value>> + 'a {
    move |_| Some(details::entered(name, input.unwrap_or("null")))
}

/// No details, for [`failure`].
pub(crate) fn no_details(_: &Error) -> Option<Map<String, Value>> {
    None
}

/// How a limit's cause names the effective input of the state called `name`.
pub(crate) fn effective_input(name: &str) -> String {
    format!("the input of state `{name}` after its Parameters")
}

/// A numeric field's number of seconds, when it is written as a number (a JSONata
/// expression is evaluated where the state runs).
pub(crate) fn literal_seconds(n: Option<&workflow_asl::Numeric>) -> Option<Duration> {
    seconds(n.and_then(workflow_asl::Numeric::number))
}

pub(crate) fn seconds(n: Option<&serde_json::Number>) -> Option<Duration> {
    n.and_then(serde_json::Number::as_u64)
        .map(Duration::from_secs)
}
