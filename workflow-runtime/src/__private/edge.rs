//! Typed edges: a Task's output handed to the next Task as a Rust value, without JSON.
//!
//! Only generated code uses these (through `__private`): the macro decides at compile time
//! which Tasks are joined by a typed edge, and where the handlers' types must agree.

use std::future::Future;

use futures_util::future::Either;
use serde_json::Value;
use workflow_asl::{errors, State, StateType};

use crate::context::ContextObject;
use crate::history::details::Work;
use crate::integration::Shape;
use crate::state::{
    attempts, failed, limited, literal_seconds, scheduled, succeeded, succeeded_text, task,
    task_attempt, task_limits, transition, Exits, Handoff,
};
use crate::task::{self, TaskHandler};
use crate::{data, Error, Execution};

use super::check::{Invalid, Valid};

/// The input of a Task at the end of a typed edge: JSON, when it was reached some other way
/// or needs its input as JSON, or the previous Task's output made into its handler's input.
#[derive(Debug)]
pub enum Edge<I> {
    /// The state's raw input.
    Json(Value),
    /// The handler's input, passed without JSON.
    Typed(I),
}

/// The input of the Task at the end of a typed edge, made from the output of the Task before
/// it. The value passes as it is, unless the state needs its input as JSON (to retry it, to
/// place a caught error or a result in it, or to read a limit from it): then it is serialized
/// once, here.
fn accept<H, M, D, X>(state: &State, output: X) -> Result<Edge<H::Input>, Error>
where
    H: task::Accepts<X, M, D>,
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

/// The input of the Task at the end of a typed edge (whose handler is `to`, first so that a
/// mismatch is reported there), made from the value in `slot`, carried from the Task whose
/// handler is `from`. `to` must take what `from`
/// returns, which makes a mismatch a build error; `deps` names the workflow's dependencies
/// type, which both handlers must fit. The value passes as it is, unless the state needs its
/// input as JSON (to retry it, to place a caught error or a result in it, or to read a limit
/// from it): then it is serialized once, here. Each handler comes as the generated code's
/// checked handle (see `check`): where either is not a handler, its own Task reports it and
/// the edge asks nothing more.
///
/// # Errors
/// `Workflow.InvalidTaskOutput` when the value must become JSON and does not serialize;
/// `States.Runtime` if the slot does not hold `from`'s output, which the generated code never
/// lets happen.
#[allow(clippy::type_complexity)]
pub fn accept_from<A, MA, VA, B, MB, VB, D>(
    _to: (&B, VB),
    _from: (&A, VA),
    _deps: &D,
    state: &State,
    slot: &mut Option<Carried>,
) -> Result<Edge<B::Input>, Error>
where
    A: TaskHandler<MA, D>,
    A::Output: 'static,
    B: TaskHandler<MB, D>,
    (VB, VA): Fits<A::Output, B, MB, D>,
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
    <(VB, VA)>::input(state, output)
}

/// How the output `X` of one Task becomes the input of the next, whose handler is `B`,
/// implemented for the pair of checks (the next Task's handler's, then the previous one's):
/// passed as it is between two handlers (which must agree), through JSON where either end is
/// not a handler (the build fails anyway, with that handler's own error).
#[diagnostic::on_unimplemented(
    message = "this Task's handler does not take `{X}`, the output of the Task before it",
    label = "this handler's input is not `{X}`",
    note = "a Task whose output flows straight into the next Task (no `result_selector`, `result_path` or `output_path` on the first, no `input_path` or `parameters` on the second) passes it as a Rust value, so the second handler must take the type the first returns; to convert through JSON instead, give either state such a field (`result_path: \"$\"` changes nothing else)"
)]
pub trait Fits<X, B: TaskHandler<MB, D>, MB, D> {
    /// `B`'s input from `output`.
    ///
    /// # Errors
    /// As [`accept_from`].
    fn input(state: &State, output: X) -> Result<Edge<B::Input>, Error>;
}

#[diagnostic::do_not_recommend]
impl<X, B, MB, D> Fits<X, B, MB, D> for (Valid, Valid)
where
    B: task::Accepts<X, MB, D>,
    X: serde::Serialize,
{
    fn input(state: &State, output: X) -> Result<Edge<B::Input>, Error> {
        accept::<B, MB, D, X>(state, output)
    }
}

#[diagnostic::do_not_recommend]
impl<X: serde::Serialize, B: TaskHandler<MB, D>, MB, D, V> Fits<X, B, MB, D> for (Invalid, V) {
    fn input(_state: &State, output: X) -> Result<Edge<B::Input>, Error> {
        task::encode(output).map(Edge::Json)
    }
}

#[diagnostic::do_not_recommend]
impl<X: serde::Serialize, B: TaskHandler<MB, D>, MB, D> Fits<X, B, MB, D> for (Valid, Invalid) {
    fn input(_state: &State, output: X) -> Result<Edge<B::Input>, Error> {
        task::encode(output).map(Edge::Json)
    }
}

/// A Task that is not plain ([`State::is_plain_task`]) at either end of a typed edge (see
/// [`accept_from`]). With `typed_out` (its output flows straight into the next Task), a
/// success hands its output on as a Rust value; a caught error goes on as JSON, as in
/// [`task()`].
///
/// A plain function returning a `Send` future rather than an `async fn`, for the reason
/// [`task::call`] gives: the generated state machine's `Send` check then never needs the
/// handler's marker type `M` (whose output type may hold a `'static` borrow). The future is
/// boxed: retries, timers and data flow make it large, and the state machine that awaits it
/// is moved as a whole.
///
/// # Errors
/// As [`task()`].
#[allow(clippy::too_many_arguments, clippy::manual_async_fn)]
pub fn task_edge<'a, T, H, M, D>(
    name: &'a str,
    state: &'a State,
    execution: &'a Execution,
    input: Edge<H::Input>,
    exits: Exits<'a, T>,
    (handler, deps): (&'a H, &'a D),
    typed_out: bool,
) -> impl Future<Output = Result<Handoff<T, H::Output>, Error>> + Send + use<'a, T, H, M, D>
where
    T: Copy + Send + Sync,
    H: TaskHandler<M, D>,
    D: Sync,
{
    Box::pin(async move {
        // The output as the Task's hand-off; its exit is recorded here only outside the
        // attempt driver, which records it itself.
        let hand_on = |output: H::Output, context: &dyn ContextObject, record: bool| match exits
            .next
        {
            Some(next) if typed_out => {
                if record {
                    crate::state::handed_on(execution, StateType::Task, name, &output)?;
                }
                Ok(Handoff::Typed(next, output))
            }
            _ => {
                let output = data::state_output(state, Value::Null, task::encode(output)?, context)
                    .map_err(|e| crate::state::evaluation_failed(execution, e, name))?;
                if record {
                    crate::state::exited(execution, StateType::Task, name, &output)
                        .map_err(|e| e.in_state(name))?;
                }
                Ok(Handoff::Step(transition(exits.next, output)))
            }
        };
        let resource = state.resource.as_deref().unwrap_or_default();
        match input {
            Edge::Json(input) if !typed_out => {
                task(name, state, execution, input, exits, handler, deps)
                    .await
                    .map(Handoff::Step)
            }
            Edge::Json(input) => {
                let limits = task_limits(state, &input, &execution.context(name))?;
                attempts(
                    name,
                    state,
                    execution,
                    input,
                    exits,
                    |v, attempt| {
                        // A Task that starts a typed edge does not reshape its result
                        // (`State::hands_output_to`): its handler's output is the result.
                        task_attempt(
                            (name, resource),
                            execution,
                            (handler, deps),
                            limits,
                            (v, Shape::DIRECT),
                            attempt,
                            |_, output| Ok(output),
                        )
                    },
                    // A typed edge starts only at a Task without `ResultSelector`,
                    // `ResultPath` or `OutputPath`: its output is its result.
                    |_input, output, context| hand_on(output, context, false),
                )
                .await
            }
            // A typed input (`accept_from` gave JSON to a state with retriers, catchers, a
            // `ResultPath` or a limit path) to a state with a limit, a `ResultSelector` or an
            // `OutputPath`: one attempt.
            Edge::Typed(input) => {
                tracing::debug!(state = name, "entering state with a typed input");
                let limit = literal_seconds(state.timeout_seconds.as_ref());
                let heartbeat = literal_seconds(state.heartbeat_seconds.as_ref());
                let work = Work {
                    resource,
                    timeout: limit,
                    heartbeat,
                };
                started(execution, name, &work, handed_text(execution).as_deref())
                    .map_err(|e| e.in_state(name))?;
                // One attempt, started at once: the entry time is read when first needed (by
                // the attempt's context, made as it starts, or by a `$$` path after it).
                let entered = std::sync::OnceLock::new();
                let context = || {
                    let entered = *entered.get_or_init(std::time::SystemTime::now);
                    execution.context_object_at(name, entered, 0)
                };
                let attempt = || {
                    let entered = *entered.get_or_init(std::time::SystemTime::now);
                    task::TaskContext::in_execution(execution, name, entered, 0, None)
                };
                let output = crate::state::in_span(
                    name,
                    limited(
                        limit,
                        task::call_typed(handler, deps, input, attempt, heartbeat),
                    ),
                )
                .await
                .map_err(|e| e.in_handler(name, handler.name()));
                let output = match output {
                    Ok(output) => {
                        succeeded(execution, &work, &output)?;
                        output
                    }
                    Err(error) => return Err(failed(execution, error, &work)),
                };
                hand_on(output, &context, true)
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
pub fn plain_task<'a, H, M, D>(
    name: &'a str,
    state: &'a State,
    execution: &'a Execution,
    input: Edge<H::Input>,
    handler: &'a H,
    deps: &'a D,
) -> impl Future<Output = Result<H::Output, Error>> + Send + use<'a, H, M, D>
where
    H: TaskHandler<M, D>,
    D: Sync,
{
    // `TaskStateEntered`, `TaskScheduled` and `TaskStarted`.
    let started = if execution.recorder().is_none() {
        execution.record_n(3)
    } else {
        plain_started(name, state, execution, &input)
    };
    if let Err(error) = started {
        return Either::Right(std::future::ready(Err(error)));
    }
    let input = match input {
        Edge::Typed(input) => input,
        Edge::Json(input) => match H::decode(input) {
            Ok(input) => input,
            Err(error) => return Either::Right(std::future::ready(Err(error))),
        },
    };
    let context = move || {
        task::TaskContext::in_execution(execution, name, std::time::SystemTime::now(), 0, None)
    };
    Either::Left(crate::state::in_span(
        name,
        handler.call_typed(deps, input, context),
    ))
}

/// Records a plain Task's entry and its attempt's start, in a recorded execution: its input
/// is the JSON it was given, or the text of the output the Task before handed on.
#[cold]
#[inline(never)]
fn plain_started<I>(
    name: &str,
    state: &State,
    execution: &Execution,
    input: &Edge<I>,
) -> Result<(), Error> {
    let work = plain_work(state);
    let text = match input {
        Edge::Typed(_) => handed_text(execution),
        Edge::Json(input) => crate::state::input_text(execution, input).map(Into::into),
    };
    started(execution, name, &work, text.as_deref())
}

/// What a plain Task's events say of its work: its resource (a plain Task has no limits).
fn plain_work(state: &State) -> Work<'_> {
    Work {
        resource: state.resource.as_deref().unwrap_or_default(),
        timeout: None,
        heartbeat: None,
    }
}

/// A plain Task's result (see [`plain_task`]), its error located at the state `name` and its
/// `handler`, and its outcome recorded in the execution's history: done on the result rather
/// than inside the future, so that the future stays small.
///
/// # Errors
/// The error in `result`, located; `States.Runtime` at the history quota.
// Always inlined: the generated state loop calls it once per plain Task, and its fast path
// is one counter update.
#[inline(always)]
pub fn located<H, M, D>(
    result: Result<H::Output, Error>,
    execution: &Execution,
    name: &str,
    state: &State,
    _handler: &H,
) -> Result<H::Output, Error>
where
    H: TaskHandler<M, D>,
{
    match result {
        // `TaskSucceeded` and `TaskStateExited`.
        Ok(output) => {
            let recorded = if execution.recorder().is_none() {
                execution.record_n(2)
            } else {
                plain_succeeded(execution, name, state, &output)
            };
            match recorded {
                Ok(()) => Ok(output),
                Err(error) => Err(error.in_state(name)),
            }
        }
        Err(error) => {
            Err(plain_failed(execution, error, state).in_handler(name, std::any::type_name::<H>()))
        }
    }
}

/// Records a plain Task's success with `output`, in a recorded execution.
#[cold]
#[inline(never)]
fn plain_succeeded<O: serde::Serialize>(
    execution: &Execution,
    name: &str,
    state: &State,
    output: &O,
) -> Result<(), Error> {
    let text = crate::history::details::typed_text(output);
    succeeded_text(execution, &plain_work(state), &text)?;
    crate::state::handed_on_text(execution, StateType::Task, name, text)
}

/// A plain Task's failure, its event recorded (see [`failed`]).
#[cold]
#[inline(never)]
fn plain_failed(execution: &Execution, error: Error, state: &State) -> Error {
    failed(execution, error, &plain_work(state))
}

/// A plain Task's output as the JSON input of the state after it, within the execution's
/// limits.
///
/// # Errors
/// `Workflow.InvalidTaskOutput` when it does not serialize; `States.DataLimitExceeded` past
/// the limits.
pub fn handed_on<O: serde::Serialize>(
    execution: &Execution,
    name: &str,
    output: O,
) -> Result<Value, Error> {
    let output = task::encode(output)?;
    crate::state::check_output(execution, name, &output).map_err(|e| e.in_state(name))?;
    Ok(output)
}

/// Records that a Task on a typed edge, called `name`, was entered on `input` (its JSON
/// text, when the execution is recorded) and its one attempt at `work` started:
/// `TaskStateEntered`, `TaskScheduled` and `TaskStarted`.
#[inline]
fn started(
    execution: &Execution,
    name: &str,
    work: &Work<'_>,
    input: Option<&str>,
) -> Result<(), Error> {
    if execution.recorder().is_none() {
        return execution.record_n(3);
    }
    crate::state::entered(execution, StateType::Task, name, input)?;
    scheduled(execution, work, input)
}

/// The JSON text of the output the Task before handed on as a Rust value, when the execution
/// is recorded: the input a Task at the end of a typed edge shows.
fn handed_text(execution: &Execution) -> Option<std::sync::Arc<str>> {
    execution
        .recorder()
        .and_then(|recorder| recorder.cursor().handed_on())
}
