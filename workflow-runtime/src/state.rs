//! Running one state: the functions the code generated for each state type calls.
//!
//! Each takes the state's name and definition, the execution (for `$$` paths), its raw
//! input, and where it may go next (`T` is the
//! generated code's own type for "a state of this (sub)workflow"), and returns a [`Step`]:
//! the next state with its input, or the end with the (sub)workflow's output. All of ASL's
//! rules for the state (data flow, retry, catch) are applied here, not in generated code.

use std::future::Future;

use futures_util::future::Either;
use futures_util::FutureExt;
use std::time::Duration;

use serde_json::Value;
use workflow_asl::{ReferencePath, State};

use crate::error::names;
use crate::task::{self, TaskHandler};
use crate::{catch, data, parallel, retry, Error, Execution};
use workflow_asl::errors;

/// Where execution goes after a state.
#[derive(Debug, Clone, PartialEq)]
pub enum Step<T> {
    /// To state `T`, with this input.
    Next(T, Value),
    /// The (sub)workflow ends with this output.
    End(Value),
}

fn transition<T>(next: Option<T>, output: Value) -> Step<T> {
    match next {
        Some(state) => Step::Next(state, output),
        None => Step::End(output),
    }
}

/// A Pass state: its `Result` (or its effective input) placed at `ResultPath`.
///
/// # Errors
/// The data-flow errors of [`data`].
pub fn pass<T>(
    name: &str,
    state: &State,
    execution: &Execution,
    input: Value,
    next: Option<T>,
) -> Result<Step<T>, Error> {
    tracing::debug!(state = name, "pass");
    let context = || execution.context_object(name);
    let result = match &state.result {
        Some(result) => result.clone(),
        None => data::effective_input(state, &input, &context)?,
    };
    Ok(transition(
        next,
        data::state_output(state, input, result, &context)?,
    ))
}

/// A Succeed state: ends its (sub)workflow with its input (through `InputPath`/`OutputPath`).
///
/// # Errors
/// The data-flow errors of [`data`].
pub fn succeed<T>(name: &str, state: &State, input: Value) -> Result<Step<T>, Error> {
    tracing::debug!(state = name, "succeed");
    let selected = data::input_path(state.input_path.as_ref(), input)?;
    Ok(Step::End(data::output_path(
        state.output_path.as_ref(),
        selected,
    )?))
}

/// A Fail state: fails its (sub)workflow with the state's `Error` and `Cause`, or with the
/// strings its `ErrorPath` and `CausePath` name in its input.
///
/// # Errors
/// Always: that is what the state does. `States.Runtime` when a path does not name a string.
pub fn fail<T>(name: &str, state: &State, input: &Value) -> Result<Step<T>, Error> {
    tracing::debug!(state = name, "fail");
    let text = |literal: &Option<String>, path: &Option<String>, field: &str| match path {
        None => Ok(literal.clone().unwrap_or_default()),
        Some(path) => ReferencePath::parse(path)
            .ok()
            .and_then(|p| p.get(input).and_then(Value::as_str).map(str::to_owned))
            .ok_or_else(|| {
                Error::new(
                    errors::RUNTIME,
                    format!("{field} `{path}` does not name a string in {input}"),
                )
            }),
    };
    let error = text(&state.error, &state.error_path, "ErrorPath")?;
    let cause = text(&state.cause, &state.cause_path, "CausePath")?;
    Err(Error::new(error, cause))
}

/// A Choice state: the first of its rules that matches the input (after `InputPath`) sends
/// the input (through `OutputPath`) to its target in `targets` (one per rule, in order);
/// when none matches, `default` does.
///
/// # Errors
/// `States.NoChoiceMatched` when no rule matches and there is no default; the errors of
/// [`crate::choice::evaluate`].
pub fn choice<T: Copy>(
    name: &str,
    state: &State,
    execution: &Execution,
    input: Value,
    targets: &[T],
    default: Option<T>,
) -> Result<Step<T>, Error> {
    let effective = data::input_path(state.input_path.as_ref(), input)?;
    let context = || execution.context_object(name);
    let mut chosen = default;
    for (i, rule) in state.choices.iter().flatten().enumerate() {
        if crate::choice::evaluate(rule, &effective, &context)? {
            chosen = Some(*targets.get(i).ok_or_else(|| {
                Error::new(
                    errors::RUNTIME,
                    format!("state `{name}` has no target for rule {i}"),
                )
            })?);
            tracing::debug!(state = name, rule = i, "choice matched");
            break;
        }
    }
    let Some(target) = chosen else {
        return Err(Error::new(
            errors::NO_CHOICE_MATCHED,
            format!("no rule of Choice state `{name}` matched, and it has no default"),
        ));
    };
    Ok(Step::Next(
        target,
        data::output_path(state.output_path.as_ref(), effective)?,
    ))
}

/// A Wait state: waits (on tokio's clock) for its `Seconds`, until its `Timestamp`, or as its
/// `SecondsPath` / `TimestampPath` say, then passes its input on (through `InputPath` and
/// `OutputPath`). A timestamp in the past does not wait.
///
/// # Errors
/// `States.Runtime` when a path does not name a whole number of seconds from 0 or an ASL
/// timestamp, or a data-flow path matches nothing.
pub async fn wait<T>(
    name: &str,
    state: &State,
    input: Value,
    next: Option<T>,
) -> Result<Step<T>, Error> {
    let effective = data::input_path(state.input_path.as_ref(), input)?;
    let duration = wait_duration(state, &effective)?;
    tracing::debug!(
        state = name,
        wait_ms = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX),
        "waiting"
    );
    tokio::time::sleep(duration).await;
    Ok(transition(
        next,
        data::output_path(state.output_path.as_ref(), effective)?,
    ))
}

fn wait_duration(state: &State, input: &Value) -> Result<Duration, Error> {
    let runtime = |why: String| Error::new(errors::RUNTIME, why);
    let at = |path: &str| {
        ReferencePath::parse(path)
            .ok()
            .and_then(|p| p.get(input).cloned())
            .ok_or_else(|| runtime(format!("the path `{path}` matched nothing in {input}")))
    };
    let until = |text: &str| {
        let when = workflow_asl::timestamp::parse(text).ok_or_else(|| {
            runtime(format!(
                "`{text}` is not an ASL timestamp (RFC 3339 with `T`, and `Z` or an offset)"
            ))
        })?;
        let left = when - time::OffsetDateTime::now_utc();
        Ok(Duration::try_from(left).unwrap_or(Duration::ZERO))
    };
    if let Some(seconds) = &state.seconds {
        return Ok(Duration::from_secs(seconds.as_u64().unwrap_or_default()));
    }
    if let Some(text) = &state.timestamp {
        return until(text);
    }
    if let Some(path) = &state.seconds_path {
        let value = at(path)?;
        return value.as_u64().map(Duration::from_secs).ok_or_else(|| {
            runtime(format!(
                "SecondsPath `{path}` names {value}, not a whole number of seconds from 0"
            ))
        });
    }
    if let Some(path) = &state.timestamp_path {
        let value = at(path)?;
        return match value.as_str() {
            Some(text) => until(text),
            None => Err(runtime(format!(
                "TimestampPath `{path}` names {value}, not a timestamp string"
            ))),
        };
    }
    Err(runtime(
        "a Wait state needs Seconds, Timestamp, SecondsPath or TimestampPath".into(),
    ))
}

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

/// Where a state that can fail may go: its `next` (`None` for `end`), and the target of each
/// catcher, in catcher order.
#[derive(Debug, Clone, Copy)]
pub struct Exits<'a, T> {
    /// The state after this one, or `None` when this one ends its (sub)workflow.
    pub next: Option<T>,
    /// The `next` of each catcher.
    pub catch: &'a [T],
}

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
pub async fn run<T, F, Fut>(
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
            Self::Typed(next, output) => Ok(Step::Next(next, task::encode(output)?)),
        }
    }
}

/// The input of a Task at the end of a typed edge: JSON, when it was reached some other way
/// or needs its input as JSON, or the previous Task's output made into its handler's input.
#[derive(Debug)]
pub enum Edge<I> {
    /// The state's raw input.
    Json(Value),
    /// The handler's input, passed without JSON.
    Typed(I),
}

/// [`run`]'s retry and catch around attempts with any result `R`, which `finish` turns into
/// the state's hand-off (given the raw input, the result and the context object).
async fn attempts<T, R, O, F, Fut>(
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

/// A Task state running `handler`, each attempt limited to the state's `TimeoutSeconds`
/// (`States.Timeout` past it).
///
/// A plain function returning a `Send` future, as [`task_edge`] is, for the reason
/// [`task::call`] gives.
///
/// # Errors
/// As [`run`].
#[allow(clippy::manual_async_fn)]
pub fn task<'a, T, H, M>(
    name: &'a str,
    state: &'a State,
    execution: &'a Execution,
    input: Value,
    exits: Exits<'a, T>,
    handler: &'a H,
) -> impl Future<Output = Result<Step<T>, Error>> + Send + use<'a, T, H, M>
where
    T: Copy + Send + Sync,
    H: TaskHandler<M>,
{
    async move {
        // Each attempt has its own deadline; past it the attempt is dropped.
        let (limit, heartbeat) = task_limits(state, &input)?;
        run(name, state, execution, input, exits, |v, attempt| {
            let call = task_attempt(name, execution, handler, (limit, heartbeat), v, attempt);
            async move { task::encode(call.await?) }
        })
        .await
    }
}

/// One attempt of a Task: its effective input decoded for `handler`, the call limited to
/// `limits` (`TimeoutSeconds`, `HeartbeatSeconds`), and the attempt's context made only if
/// the handler or the heartbeat watchdog asks for it.
fn task_attempt<'a, H: TaskHandler<M>, M>(
    name: &'a str,
    execution: &'a Execution,
    handler: &'a H,
    (limit, heartbeat): (Option<Duration>, Option<Duration>),
    input: Value,
    attempt: Attempt,
) -> impl Future<Output = Result<H::Output, Error>> + Send + use<'a, H, M> {
    let context = move || {
        task::TaskContext::new(execution.context_object_at(name, attempt.entered, attempt.retries))
    };
    let started =
        H::decode(input).map(|v| limited(limit, task::call_typed(handler, v, context, heartbeat)));
    async move { started?.await }
}

/// The input of the Task at the end of a typed edge, made from the output of the Task before
/// it. The value passes as it is, unless the state needs its input as JSON (to retry it, to
/// place a caught error or a result in it, or to read a limit from it): then it is serialized
/// once, here.
fn accept<H, M, X>(state: &State, output: X) -> Result<Edge<H::Input>, Error>
where
    H: task::Accepts<X, M>,
    X: serde::Serialize,
{
    let needs_json = state.retry.is_some()
        || state.catch.is_some()
        || state.result_path.is_some()
        || state.input_path.is_some()
        || state.parameters.is_some()
        || state.timeout_seconds_path.is_some()
        || state.heartbeat_seconds_path.is_some();
    if needs_json {
        task::encode(output).map(Edge::Json)
    } else {
        Ok(Edge::Typed(H::accept(output)))
    }
}

/// A typed edge's value on its way from the Task `from` (whose handler returned it) to the
/// next state, tagged with `from`'s position; boxed so that the generated state machine holds
/// one variable of one concrete type for all its edges, whatever their types (rustc's work on
/// per-edge, inferred types grew far faster than the number of edges). The box holds an
/// `Option` of the value, so that taking the value out keeps the allocation for the next
/// edge that carries the same type (see [`carry`]).
pub type Carried = (usize, Box<dyn std::any::Any + Send>);

/// The tag of a [`Carried`] slot whose value was taken.
const TAKEN: usize = usize::MAX;

/// Puts the output of the Task at position `from` in the typed-edge slot, reusing the slot's
/// allocation when it last carried a value of the same type (a chain of Tasks on one type
/// allocates once per execution, not once per edge).
pub fn carry<O: Send + 'static>(slot: &mut Option<Carried>, from: usize, output: O) {
    if let Some((tag, boxed)) = slot {
        if let Some(place) = boxed.downcast_mut::<Option<O>>() {
            *place = Some(output);
            *tag = from;
            return;
        }
    }
    *slot = Some((from, Box::new(Some(output))));
}

/// The input of the Task at the end of a typed edge (whose handler is `to`), made from the
/// value in `slot`, carried from the Task whose handler is `from`. `to` must take what `from`
/// returns, which makes a mismatch a build error. The value passes as it is, unless the state
/// needs its input as JSON (to retry it, to place a caught error or a result in it, or to read
/// a limit from it): then it is serialized once, here.
///
/// # Errors
/// `Workflow.InvalidTaskOutput` when the value must become JSON and does not serialize;
/// `States.Runtime` if the slot does not hold `from`'s output, which the generated code never
/// lets happen.
pub fn accept_from<A, MA, B, MB>(
    _from: &A,
    _to: &B,
    state: &State,
    slot: &mut Option<Carried>,
) -> Result<Edge<B::Input>, Error>
where
    A: TaskHandler<MA>,
    A::Output: 'static,
    B: task::Accepts<A::Output, MB>,
{
    let output = slot
        .as_mut()
        .and_then(|(tag, boxed)| {
            *tag = TAKEN;
            boxed.downcast_mut::<Option<A::Output>>()?.take()
        })
        .ok_or_else(|| {
            Error::new(
                errors::RUNTIME,
                "a typed edge carried no value of its Task's output type",
            )
        })?;
    accept::<B, MB, A::Output>(state, output)
}

/// A Task that is not plain ([`State::is_plain_task`]) at either end of a typed edge (see
/// [`accept_from`]). With `typed_out` (its output flows straight into the next Task), a
/// success hands its output on as a Rust value; a caught error goes on as JSON, as in
/// [`task`].
///
/// A plain function returning a `Send` future rather than an `async fn`, for the reason
/// [`task::call`] gives: the generated state machine's `Send` check then never needs the
/// handler's marker type `M` (whose output type may hold a `'static` borrow). The future is
/// boxed: retries, timers and data flow make it large, and the state machine that awaits it
/// is moved as a whole.
///
/// # Errors
/// As [`task`].
#[allow(clippy::too_many_arguments, clippy::manual_async_fn)]
pub fn task_edge<'a, T, H, M>(
    name: &'a str,
    state: &'a State,
    execution: &'a Execution,
    input: Edge<H::Input>,
    exits: Exits<'a, T>,
    handler: &'a H,
    typed_out: bool,
) -> impl Future<Output = Result<Handoff<T, H::Output>, Error>> + Send + use<'a, T, H, M>
where
    T: Copy + Send + Sync,
    H: TaskHandler<M>,
{
    Box::pin(async move {
        let hand_on = |output: H::Output, context: &dyn Fn() -> Value| match exits.next {
            Some(next) if typed_out => Ok(Handoff::Typed(next, output)),
            _ => {
                let output =
                    data::state_output(state, Value::Null, task::encode(output)?, context)?;
                Ok(Handoff::Step(transition(exits.next, output)))
            }
        };
        match input {
            Edge::Json(input) if !typed_out => task(name, state, execution, input, exits, handler)
                .await
                .map(Handoff::Step),
            Edge::Json(input) => {
                let limits = task_limits(state, &input)?;
                attempts(
                    name,
                    state,
                    execution,
                    input,
                    exits,
                    |v, attempt| task_attempt(name, execution, handler, limits, v, attempt),
                    // A typed edge starts only at a Task without `ResultSelector`,
                    // `ResultPath` or `OutputPath`: its output is its result.
                    |_input, output, context| hand_on(output, context),
                )
                .await
            }
            // A typed input (`accept_from` gave JSON to a state with retriers, catchers, a
            // `ResultPath` or a limit path) to a state with a limit, a `ResultSelector` or an
            // `OutputPath`: one attempt.
            Edge::Typed(input) => {
                tracing::debug!(state = name, "entering state with a typed input");
                // One attempt, started at once: the entry time is read when first needed (by
                // the attempt's context, made as it starts, or by a `$$` path after it).
                let entered = std::sync::OnceLock::new();
                let context = || {
                    let entered = *entered.get_or_init(std::time::SystemTime::now);
                    execution.context_object_at(name, entered, 0)
                };
                let attempt = || task::TaskContext::new(context());
                let limit = seconds(state.timeout_seconds.as_ref());
                let heartbeat = seconds(state.heartbeat_seconds.as_ref());
                let output =
                    limited(limit, task::call_typed(handler, input, attempt, heartbeat)).await?;
                hand_on(output, &context)
            }
        }
    })
}

/// A plain Task ([`State::is_plain_task`], which the generated code checked when it was
/// built) on either end of a typed edge: its handler called on `input`, its result given back
/// as it is. A failure fails the (sub)workflow: a plain Task has nothing to retry or catch it.
///
/// # Errors
/// `Workflow.InvalidTaskInput` when a JSON input does not fit the handler; the handler's
/// error or panic.
#[allow(clippy::manual_async_fn)]
pub fn plain_task<'a, H, M>(
    name: &'a str,
    execution: &'a Execution,
    input: Edge<H::Input>,
    handler: &'a H,
) -> impl Future<Output = Result<H::Output, Error>> + Send + use<'a, H, M>
where
    H: TaskHandler<M>,
{
    tracing::debug!(state = name, "entering state");
    let input = match input {
        Edge::Typed(input) => input,
        Edge::Json(input) => match H::decode(input) {
            Ok(input) => input,
            Err(error) => return Either::Right(std::future::ready(Err(error))),
        },
    };
    let context = move || {
        task::TaskContext::new(execution.context_object_at(name, std::time::SystemTime::now(), 0))
    };
    Either::Left(handler.call_typed(input, context))
}

/// `work`, failed with `States.Timeout` when it runs longer than `limit`.
async fn limited<R>(
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

/// A Parallel state whose branch `i` is run by `branch(i, input)`, with
/// [`parallel::all`]'s semantics: output in branch order, first failure cancels the rest.
/// A Parallel with a `Quorum` runs with [`parallel::quorum::quorum`]'s semantics instead:
/// its output is the quorum report.
///
/// # Errors
/// As [`run`].
pub async fn parallel<T, F, Fut>(
    name: &str,
    state: &State,
    execution: &Execution,
    input: Value,
    exits: Exits<'_, T>,
    branch: F,
) -> Result<Step<T>, Error>
where
    T: Copy,
    F: Fn(usize, Value) -> Fut,
    Fut: Future<Output = Result<Value, Error>>,
{
    let branches = state.branches.as_deref().unwrap_or_default();
    let branch = &branch;
    let Some(rule) = &state.quorum else {
        return run(name, state, execution, input, exits, |v, _| {
            // Each branch gets its own copy of the input; the last one gets the input itself.
            let last = branches.len().saturating_sub(1);
            let mut v = Some(v);
            parallel::all(branches.len(), move |i| {
                let input = if i == last { v.take() } else { v.clone() };
                branch(i, input.unwrap_or_default())
            })
        })
        .await;
    };
    let needed = quorum_count(rule, state, execution, name, &input);
    let timeout = seconds(rule.timeout_seconds.as_ref());
    let branch_names: Vec<String> = branches
        .iter()
        .map(|b| b.start_at.clone().unwrap_or_default())
        .collect();
    run(name, state, execution, input, exits, |v, _| {
        let needed = needed.clone();
        let branch_names = branch_names.clone();
        async move {
            let report =
                parallel::quorum::quorum(branch_names, needed?, timeout, |i| branch(i, v.clone()))
                    .await?;
            Ok(report.to_json())
        }
    })
    .await
}

/// A Map state running `iteration(input)` for each item: `ItemsPath` (default `$`) selects
/// the items in the effective input, `ItemSelector` (which may read `$$.Map.Item.Index` and
/// `$$.Map.Item.Value`) makes each iteration's input, and [`parallel::map::map`] runs them.
///
/// # Errors
/// As [`run`]; `States.Runtime` when `ItemsPath` does not name an array.
pub async fn map<T, F, Fut>(
    name: &str,
    state: &State,
    execution: &Execution,
    input: Value,
    exits: Exits<'_, T>,
    iteration: F,
) -> Result<Step<T>, Error>
where
    T: Copy,
    F: Fn(Value) -> Fut,
    Fut: Future<Output = Result<Value, Error>>,
{
    let number = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_u64);
    let max_concurrency = number(&state.max_concurrency)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0);
    let tolerance = parallel::map::Tolerance {
        count: number(&state.tolerated_failure_count),
        percentage: state
            .tolerated_failure_percentage
            .as_ref()
            .and_then(serde_json::Number::as_f64),
    };
    let iteration = &iteration;
    run(
        name,
        state,
        execution,
        input,
        exits,
        |effective, _| async move {
            let path = state.items_path.as_deref().unwrap_or("$");
            let items = ReferencePath::parse(path)
                .ok()
                .and_then(|p| p.get(&effective).cloned())
                .and_then(|items| items.as_array().cloned())
                .ok_or_else(|| {
                    Error::new(
                        errors::RUNTIME,
                        format!("ItemsPath `{path}` does not name an array in {effective}"),
                    )
                })?;
            let inputs = items
                .into_iter()
                .enumerate()
                .map(|(index, item)| match state.selector() {
                    None => Ok(item),
                    Some(selector) => {
                        let context = || {
                            let mut context = execution.context_object(name);
                            context["Map"] =
                                serde_json::json!({"Item": {"Index": index, "Value": item}});
                            context
                        };
                        data::template(selector, &effective, &context)
                    }
                })
                .collect::<Result<Vec<_>, _>>()?;
            parallel::map::map(inputs, max_concurrency, tolerance, |_, item| {
                iteration(item)
            })
            .await
        },
    )
    .await
}

/// How many branches a quorum needs: its `Count`, or its `CountPath` read from the state's
/// input after `InputPath` (or from the context object for `$$` paths).
fn quorum_count(
    rule: &workflow_asl::Quorum,
    state: &State,
    execution: &Execution,
    name: &str,
    input: &Value,
) -> Result<usize, Error> {
    let invalid = |why: String| Error::new(names::INVALID_QUORUM, why);
    let value = match (&rule.count, &rule.count_path) {
        (Some(count), _) => Value::Number(count.clone()),
        (None, Some(path)) => {
            let parsed = ReferencePath::parse(path)
                .map_err(|e| invalid(format!("`{path}` is not a path: {e}")))?;
            let root = if parsed.is_context() {
                execution.context_object(name)
            } else {
                data::input_path(state.input_path.as_ref(), input.clone())?
            };
            parsed
                .get(&root)
                .cloned()
                .ok_or_else(|| invalid(format!("the quorum path `{path}` matched nothing")))?
        }
        (None, None) => return Err(invalid("the quorum has no count".into())),
    };
    let branches = state.branches.as_ref().map_or(0, Vec::len);
    value
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .filter(|n| (1..=branches).contains(n))
        .ok_or_else(|| {
            invalid(format!(
                "the quorum must be a whole number from 1 to {branches}, found {value}"
            ))
        })
}

/// A whole number of seconds from the definition (`TimeoutSeconds` and the like) as a duration.
/// A Task's `TimeoutSeconds` and `HeartbeatSeconds`, written as numbers or read through
/// `TimeoutSecondsPath` and `HeartbeatSecondsPath` from its input (after `InputPath`).
fn task_limits(
    state: &State,
    input: &Value,
) -> Result<(Option<Duration>, Option<Duration>), Error> {
    if state.timeout_seconds_path.is_none() && state.heartbeat_seconds_path.is_none() {
        return Ok((
            seconds(state.timeout_seconds.as_ref()),
            seconds(state.heartbeat_seconds.as_ref()),
        ));
    }
    let selected = data::input_path(state.input_path.as_ref(), input.clone())?;
    let read = |literal: Option<&serde_json::Number>, path: Option<&String>, field: &str| {
        let Some(path) = path else {
            return Ok(seconds(literal));
        };
        ReferencePath::parse(path)
            .ok()
            .and_then(|p| p.get(&selected).and_then(Value::as_u64))
            .filter(|n| *n > 0)
            .map(|n| Some(Duration::from_secs(n)))
            .ok_or_else(|| {
                Error::new(
                    errors::RUNTIME,
                    format!("{field} `{path}` does not name a positive whole number in {selected}"),
                )
            })
    };
    let limit = read(
        state.timeout_seconds.as_ref(),
        state.timeout_seconds_path.as_ref(),
        "TimeoutSecondsPath",
    )?;
    let heartbeat = read(
        state.heartbeat_seconds.as_ref(),
        state.heartbeat_seconds_path.as_ref(),
        "HeartbeatSecondsPath",
    )?;
    Ok((limit, heartbeat))
}

fn seconds(n: Option<&serde_json::Number>) -> Option<Duration> {
    n.and_then(serde_json::Number::as_u64)
        .map(Duration::from_secs)
}
