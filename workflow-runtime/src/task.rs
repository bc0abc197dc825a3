//! Task handlers: ordinary `async fn`s with serde input and output, called with JSON.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use futures_util::FutureExt;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::error::names;
use crate::{Error, TaskError};

/// What a running task can see and do: read the context object, and send heartbeats.
///
/// A handler that takes it as a second argument (`async fn(Input, TaskContext)`) gets one per
/// attempt. When the Task has `heartbeat_seconds`, an attempt that goes that long without a
/// [`TaskContext::heartbeat`] fails with `States.HeartbeatTimeout`.
#[derive(Debug, Clone)]
pub struct TaskContext {
    object: Arc<Object>,
    last_beat: Arc<Mutex<Instant>>,
    /// The execution's count of Task runs per state, when made by a running execution.
    visits: Option<crate::context::Visits>,
    /// The attempt's task token and where its answer goes, for a Task that waits for a
    /// callback (`.waitForTaskToken`).
    callback: Option<crate::callback::Callback>,
    /// The execution's callback registry, when made by a running execution.
    callbacks: Option<crate::callback::Callbacks>,
}

/// The context object of one attempt: given whole, or made from its parts when first read,
/// so that an attempt whose handler never reads it (a mocked response, a heartbeat) costs no
/// copy of the execution's input.
#[derive(Debug)]
struct Object {
    made: std::sync::OnceLock<Value>,
    attempt: Option<Attempt>,
}

/// What one attempt's context object says of it, and of its execution.
#[derive(Debug)]
struct Attempt {
    state: String,
    entered: std::time::SystemTime,
    retries: u32,
    execution: Arc<crate::context::Facts>,
}

impl TaskContext {
    /// A context for one attempt, with the context object it sees.
    #[must_use]
    pub fn new(context_object: Value) -> Self {
        Self {
            object: Arc::new(Object {
                made: std::sync::OnceLock::from(context_object),
                attempt: None,
            }),
            last_beat: Arc::new(Mutex::new(Instant::now())),
            visits: None,
            callback: None,
            callbacks: None,
        }
    }

    /// A context for one attempt of the Task state `state` of `execution`, entered at
    /// `entered`, after `retries` retries, holding the attempt's `callback` when it waits
    /// for one.
    pub(crate) fn in_execution(
        execution: &crate::Execution,
        state: &str,
        entered: std::time::SystemTime,
        retries: u32,
        callback: Option<crate::callback::Callback>,
    ) -> Self {
        Self {
            object: Arc::new(Object {
                made: std::sync::OnceLock::new(),
                attempt: Some(Attempt {
                    state: state.to_owned(),
                    entered,
                    retries,
                    execution: execution.facts(),
                }),
            }),
            last_beat: Arc::new(Mutex::new(Instant::now())),
            visits: Some(execution.visits()),
            callback,
            callbacks: Some(execution.callbacks().clone()),
        }
    }

    /// The registry through which the execution's Tasks that wait for a callback are
    /// answered: a handler that holds another Task's token (passed in its input, as
    /// `$$.Execution.Input.TaskToken` is to a child workflow) answers it here. `None` for a
    /// context made outside an execution.
    #[must_use]
    pub fn callbacks(&self) -> Option<&crate::callback::Callbacks> {
        self.callbacks.as_ref()
    }

    /// The attempt's task token (`$$.Task.Token`) and the registry that answers it, for a
    /// Task whose resource ends in `.waitForTaskToken`; `None` for any other.
    #[must_use]
    pub fn callback(&self) -> Option<&crate::callback::Callback> {
        self.callback.as_ref()
    }

    /// The attempt's task token (`$$.Task.Token`), for a Task that waits for a callback.
    #[must_use]
    pub fn task_token(&self) -> Option<&str> {
        self.callback.as_ref().map(crate::callback::Callback::token)
    }

    /// This attempt's number among the runs of its state's Task in the execution, from 0:
    /// every attempt, retry and visit by a loop or a Map takes the next number, as Step
    /// Functions Local numbers mocked responses. The count lives and ends with the execution;
    /// a context made outside one always says 0.
    pub(crate) fn next_run_number(&self) -> u64 {
        let Some(visits) = &self.visits else {
            return 0;
        };
        let state = match &self.object.attempt {
            Some(attempt) => attempt.state.as_str(),
            None => self.context_object()["State"]["Name"]
                .as_str()
                .unwrap_or_default(),
        };
        let mut visits = visits
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let count = visits.entry(state.to_owned()).or_insert(0);
        *count += 1;
        *count - 1
    }

    /// The context object (`$$`): the execution, the state's name, entry time and retry count.
    #[must_use]
    pub fn context_object(&self) -> &Value {
        let object = &*self.object;
        object.made.get_or_init(|| match &object.attempt {
            Some(a) => {
                let mut made = a.execution.object(&a.state, a.entered, a.retries);
                if let Some(callback) = &self.callback {
                    made["Task"] = serde_json::json!({"Token": callback.token()});
                }
                made
            }
            None => Value::Null,
        })
    }

    /// How many retries came before this attempt (`$$.State.RetryCount`).
    #[must_use]
    pub fn retry_count(&self) -> u64 {
        match &self.object.attempt {
            Some(attempt) => u64::from(attempt.retries),
            None => self.context_object()["State"]["RetryCount"]
                .as_u64()
                .unwrap_or(0),
        }
    }

    /// Tells the state the task is alive, so that `heartbeat_seconds` starts over.
    pub fn heartbeat(&self) {
        if let Ok(mut last) = self.last_beat.lock() {
            *last = Instant::now();
        }
    }

    /// The cell its heartbeats go to, shared with a callback's registry.
    pub(crate) fn beat(&self) -> crate::callback::Beat {
        Arc::clone(&self.last_beat)
    }

    fn last_beat(&self) -> Instant {
        self.last_beat
            .lock()
            .map_or_else(|_| Instant::now(), |last| *last)
    }
}

/// A function a Task state can run: an `async fn` taking its input, and optionally the
/// workflow's dependencies before it and a [`TaskContext`] after it:
///
/// | shape | for |
/// |---|---|
/// | `async fn(Input) -> Result<Output, E>` | a pure step |
/// | `async fn(&Deps, Input) -> Result<Output, E>` | a step that uses a client, a pool, configuration |
/// | `async fn(Input, TaskContext) -> Result<Output, E>` | heartbeats, or reading the context object |
/// | `async fn(&Deps, Input, TaskContext) -> Result<Output, E>` | both |
/// | `async fn() -> Result<Output, E>`, `async fn(&Deps) -> Result<Output, E>` | a step that ignores its input |
///
/// `Input` implements `serde::Deserialize`, `Output` implements `serde::Serialize`, `E`
/// implements [`TaskError`], and the future is `Send`. `Deps` is the type a workflow declares
/// with `deps: Deps` (`D` here; `()` for a workflow without one), so a method
/// `async fn charge(&self, order: Order)` of the dependencies' type is a handler too
/// (`handler: Shop::charge`). A handler that takes no `&Deps` fits every workflow.
///
/// In `workflow!`, a handler is named by its path (`handler: charge`, `handler:
/// Shop::charge`). Where a handler is passed as a value, as to
/// [`crate::interpret::Interpreter::handle_state`] in a test, a closure of the same shape
/// works too (`|order: Order| async move { ... }`).
///
/// `M` is a marker that names the function's shape; it never needs to be written.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the handler of a Task state",
    label = "expected an `async fn(Input) -> Result<Output, E>`, which may take `&Deps` first (this workflow's `deps` are `{D}`)",
    note = "a Task handler is an `async fn` that takes its input (a type that implements `serde::Deserialize`), optionally preceded by `&Deps` (the very type the workflow declares with `deps: Deps`) and followed by a `sfn_workflow::TaskContext`, and returns `Result<Output, E>` where `Output` implements `serde::Serialize` and `E` implements `sfn_workflow::TaskError`; its future must be `Send`"
)]
pub trait TaskHandler<M, D = ()>: Send + Sync {
    /// What the handler takes (`()` for a handler without an argument).
    type Input: Send;
    /// What the handler returns when it succeeds.
    type Output: Serialize + Send;

    /// Whether the handler takes a [`TaskContext`], through which it can read the whole
    /// context object (`$$`), the execution's input included.
    const TAKES_CONTEXT: bool = false;

    /// The handler's name in errors it raises ([`Error::handler`]): its Rust path, such as
    /// `orders::charge_card`.
    fn name(&self) -> &'static str {
        std::any::type_name::<Self>()
    }

    /// Whether the handler answers for a service integration as a whole, as a mocked
    /// response does: its input is the Task's effective input and its output the result,
    /// whatever the resource. A handler written for a Task stands for the work instead (the
    /// Lambda function of `arn:aws:states:::lambda:invoke`), and [`crate::integration`] shapes
    /// what it receives and returns as AWS does.
    #[doc(hidden)]
    fn answers_for_integration(&self) -> bool {
        false
    }

    /// The handler's input from JSON.
    ///
    /// # Errors
    /// `Workflow.InvalidTaskInput` when the JSON does not fit [`Self::Input`].
    fn decode(input: Value) -> Result<Self::Input, Error>;

    /// Runs the handler with the workflow's dependencies on a typed input. Every failure, a
    /// panic included, comes back as an [`Error`]. `context` makes the attempt's
    /// [`TaskContext`]; only a handler that takes one calls it, so the others never pay for
    /// building the context object.
    fn call_typed(
        &self,
        deps: &D,
        input: Self::Input,
        context: impl FnOnce() -> TaskContext + Send,
    ) -> impl Future<Output = Result<Self::Output, Error>> + Send;

    /// Deserializes `input`, runs the handler, and serializes its output.
    fn call(
        &self,
        deps: &D,
        input: Value,
        context: TaskContext,
    ) -> impl Future<Output = Result<Value, Error>> + Send {
        let started =
            Self::decode(input).map(|input| self.call_typed(deps, input, move || context));
        async move { encode(started?.await?) }
    }
}

/// A Task handler that can take the output `X` of the Task before it, as a Rust value: one
/// whose input type is `X`, or one that takes no input.
///
/// `workflow!` requires it on each typed edge (a Task whose output flows straight into the
/// next Task), so that a type mismatch between the two handlers is a build error.
#[diagnostic::on_unimplemented(
    message = "this Task's handler does not take `{X}`, the output of the Task before it",
    label = "this handler's input is not `{X}`",
    note = "a Task whose output flows straight into the next Task (no `result_selector`, `result_path` or `output_path` on the first, no `input_path` or `parameters` on the second) passes it as a Rust value, so the second handler must take the type the first returns; to convert through JSON instead, give either state such a field (`result_path: \"$\"` changes nothing else)"
)]
pub trait Accepts<X, M, D = ()>: TaskHandler<M, D> {
    /// The handler's input made from the previous Task's output.
    fn accept(output: X) -> Self::Input;
}

fn deserialize<I: DeserializeOwned>(input: Value) -> Result<I, Error> {
    serde_json::from_value::<I>(input).map_err(|e| {
        Error::new(
            names::INVALID_TASK_INPUT,
            format!("the task's input does not fit its input type: {e}"),
        )
    })
}

/// A task's output as JSON.
///
/// # Errors
/// `Workflow.InvalidTaskOutput` when it does not serialize.
pub fn encode<O: Serialize>(output: O) -> Result<Value, Error> {
    serde_json::to_value(output).map_err(|e| {
        Error::new(
            names::INVALID_TASK_OUTPUT,
            format!("the task's output does not serialize to JSON: {e}"),
        )
    })
}

/// Starts a handler; a plain fn returning a future may panic before its first poll.
fn start<Fut>(f: impl FnOnce() -> Fut) -> Result<Fut, Error> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| panicked(payload.as_ref()))
}

/// The shapes of handlers that borrow the workflow's dependencies. An `async fn(&D, I)`
/// returns a future that borrows `D` for as long as the call lasts, for every such borrow; a
/// bound with an explicit future type cannot say that, these traits can. Only the handler
/// impls name them.
#[doc(hidden)]
pub mod shapes {
    use std::future::Future;

    use super::TaskContext;

    /// One shape: a trait for the functions that take `&'d D` and then `$arg`s, naming the
    /// future of a call and what it resolves to.
    macro_rules! shape {
        ($(#[$doc:meta])* $name:ident [$($param:ident),*] ($($arg:ty),*)) => {
            $(#[$doc])*
            pub trait $name<'d, D: 'd, $($param),*>:
                Fn(&'d D, $($arg),*) -> <Self as $name<'d, D, $($param),*>>::Fut
            {
                /// The future of one call.
                type Fut: Future<Output = <Self as $name<'d, D, $($param),*>>::Out> + Send + 'd;
                /// What it resolves to.
                type Out;
            }

            impl<'d, D: 'd, $($param,)* F, Fut> $name<'d, D, $($param),*> for F
            where
                F: Fn(&'d D, $($arg),*) -> Fut,
                Fut: Future + Send + 'd,
            {
                type Fut = Fut;
                type Out = Fut::Output;
            }
        };
    }

    shape!(
        /// `async fn(&D) -> R`.
        WithDeps [] ()
    );
    shape!(
        /// `async fn(&D, I) -> R`.
        WithDepsInput [I] (I)
    );
    shape!(
        /// `async fn(&D, I, TaskContext) -> R`.
        WithDepsInputContext [I] (I, TaskContext)
    );
}

use self::shapes::{WithDeps, WithDepsInput, WithDepsInputContext};

/// The marker of the shapes that take `&D` first.
#[doc(hidden)]
#[derive(Debug)]
pub enum UsesDeps {}

impl<F, Fut, I, O, E, D> TaskHandler<fn(I) -> Result<O, E>, D> for F
where
    F: Fn(I) -> Fut + Send + Sync,
    Fut: Future<Output = Result<O, E>> + Send,
    I: DeserializeOwned + Send,
    O: Serialize + Send,
    E: TaskError,
{
    type Input = I;
    type Output = O;

    fn decode(input: Value) -> Result<I, Error> {
        deserialize(input)
    }

    fn call_typed(
        &self,
        _deps: &D,
        input: I,
        _context: impl FnOnce() -> TaskContext + Send,
    ) -> impl Future<Output = Result<O, Error>> + Send {
        guarded(|| self(input))
    }
}

impl<F, I, O, E, D> Accepts<I, fn(I) -> Result<O, E>, D> for F
where
    F: TaskHandler<fn(I) -> Result<O, E>, D, Input = I>,
{
    fn accept(output: I) -> I {
        output
    }
}

impl<F, Fut, I, O, E, D> TaskHandler<fn(I, TaskContext) -> Result<O, E>, D> for F
where
    F: Fn(I, TaskContext) -> Fut + Send + Sync,
    Fut: Future<Output = Result<O, E>> + Send,
    I: DeserializeOwned + Send,
    O: Serialize + Send,
    E: TaskError,
{
    type Input = I;
    type Output = O;
    const TAKES_CONTEXT: bool = true;

    fn decode(input: Value) -> Result<I, Error> {
        deserialize(input)
    }

    fn call_typed(
        &self,
        _deps: &D,
        input: I,
        context: impl FnOnce() -> TaskContext + Send,
    ) -> impl Future<Output = Result<O, Error>> + Send {
        guarded(|| self(input, context()))
    }
}

impl<F, I, O, E, D> Accepts<I, fn(I, TaskContext) -> Result<O, E>, D> for F
where
    F: TaskHandler<fn(I, TaskContext) -> Result<O, E>, D, Input = I>,
{
    fn accept(output: I) -> I {
        output
    }
}

impl<F, Fut, O, E, D> TaskHandler<fn() -> Result<O, E>, D> for F
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<O, E>> + Send,
    O: Serialize + Send,
    E: TaskError,
{
    type Input = ();
    type Output = O;

    fn decode(_input: Value) -> Result<(), Error> {
        Ok(())
    }

    fn call_typed(
        &self,
        _deps: &D,
        _input: (),
        _context: impl FnOnce() -> TaskContext + Send,
    ) -> impl Future<Output = Result<O, Error>> + Send {
        guarded(self)
    }
}

/// A handler without an argument takes any output before it, and ignores it.
impl<F, X, O, E, D> Accepts<X, fn() -> Result<O, E>, D> for F
where
    F: TaskHandler<fn() -> Result<O, E>, D, Input = ()>,
{
    fn accept(_output: X) {}
}

impl<F, I, O, E, D> TaskHandler<(UsesDeps, fn(I) -> Result<O, E>), D> for F
where
    F: for<'d> WithDepsInput<'d, D, I, Out = Result<O, E>> + Send + Sync,
    D: Sync,
    I: DeserializeOwned + Send,
    O: Serialize + Send,
    E: TaskError,
{
    type Input = I;
    type Output = O;

    fn decode(input: Value) -> Result<I, Error> {
        deserialize(input)
    }

    fn call_typed(
        &self,
        deps: &D,
        input: I,
        _context: impl FnOnce() -> TaskContext + Send,
    ) -> impl Future<Output = Result<O, Error>> + Send {
        guarded(|| self(deps, input))
    }
}

impl<F, I, O, E, D> Accepts<I, (UsesDeps, fn(I) -> Result<O, E>), D> for F
where
    F: TaskHandler<(UsesDeps, fn(I) -> Result<O, E>), D, Input = I>,
{
    fn accept(output: I) -> I {
        output
    }
}

impl<F, I, O, E, D> TaskHandler<(UsesDeps, fn(I, TaskContext) -> Result<O, E>), D> for F
where
    F: for<'d> WithDepsInputContext<'d, D, I, Out = Result<O, E>> + Send + Sync,
    D: Sync,
    I: DeserializeOwned + Send,
    O: Serialize + Send,
    E: TaskError,
{
    type Input = I;
    type Output = O;
    const TAKES_CONTEXT: bool = true;

    fn decode(input: Value) -> Result<I, Error> {
        deserialize(input)
    }

    fn call_typed(
        &self,
        deps: &D,
        input: I,
        context: impl FnOnce() -> TaskContext + Send,
    ) -> impl Future<Output = Result<O, Error>> + Send {
        guarded(|| self(deps, input, context()))
    }
}

impl<F, I, O, E, D> Accepts<I, (UsesDeps, fn(I, TaskContext) -> Result<O, E>), D> for F
where
    F: TaskHandler<(UsesDeps, fn(I, TaskContext) -> Result<O, E>), D, Input = I>,
{
    fn accept(output: I) -> I {
        output
    }
}

impl<F, O, E, D> TaskHandler<(UsesDeps, fn() -> Result<O, E>), D> for F
where
    F: for<'d> WithDeps<'d, D, Out = Result<O, E>> + Send + Sync,
    D: Sync,
    O: Serialize + Send,
    E: TaskError,
{
    type Input = ();
    type Output = O;

    fn decode(_input: Value) -> Result<(), Error> {
        Ok(())
    }

    fn call_typed(
        &self,
        deps: &D,
        _input: (),
        _context: impl FnOnce() -> TaskContext + Send,
    ) -> impl Future<Output = Result<O, Error>> + Send {
        guarded(|| self(deps))
    }
}

/// A handler that takes only the dependencies takes any output before it, and ignores it.
impl<F, X, O, E, D> Accepts<X, (UsesDeps, fn() -> Result<O, E>), D> for F
where
    F: TaskHandler<(UsesDeps, fn() -> Result<O, E>), D, Input = ()>,
{
    fn accept(_output: X) {}
}

/// Starts a handler with `call` and returns its future, through which a panic (in `call` or
/// in the handler) or a handler error becomes an [`Error`].
///
/// Built from combinators rather than an `async fn`, so that the future is hardly larger
/// than the handler's own: it is moved into the state machine of every Task that runs it.
fn guarded<Fut, O, E>(call: impl FnOnce() -> Fut) -> impl Future<Output = Result<O, Error>>
where
    Fut: Future<Output = Result<O, E>>,
    E: TaskError,
{
    match start(call) {
        Ok(handler) => {
            futures_util::future::Either::Left(AssertUnwindSafe(handler).catch_unwind().map(
                |outcome| match outcome {
                    Ok(Ok(output)) => Ok(output),
                    Ok(Err(error)) => Err(error.into_error()),
                    Err(payload) => Err(panicked(payload.as_ref())),
                },
            ))
        }
        Err(error) => futures_util::future::Either::Right(std::future::ready(Err(error))),
    }
}

/// The error a panic becomes: `Workflow.TaskPanicked`, with the panic message as the cause.
fn panicked(payload: &(dyn std::any::Any + Send)) -> Error {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "the task panicked with a non-string payload".to_owned());
    tracing::warn!(cause = %message, "task panicked");
    Error::new(names::TASK_PANICKED, message)
}

/// Calls `handler` with `input` and `context`; with a `heartbeat` interval, an attempt that
/// sends no heartbeat for that long is dropped and fails with `States.HeartbeatTimeout`.
///
/// A plain function rather than an `async fn`: the handler's own future is returned as it is
/// when there is no heartbeat to watch, which keeps rustc's `Send` check of the generated
/// state machine free of the handler's generic marker type.
pub fn call<'h, H: TaskHandler<M, D>, M, D>(
    handler: &'h H,
    deps: &'h D,
    input: Value,
    context: TaskContext,
    heartbeat: Option<Duration>,
) -> impl Future<Output = Result<Value, Error>> + Send + use<'h, H, M, D> {
    let watched = context.clone();
    watch(handler.call(deps, input, context), watched, heartbeat)
}

/// [`call`] with a typed input and output, and the context made only if something needs it:
/// a handler that takes one, or the heartbeat watchdog.
pub fn call_typed<'h, H: TaskHandler<M, D>, M, D, C>(
    handler: &'h H,
    deps: &'h D,
    input: H::Input,
    context: C,
    heartbeat: Option<Duration>,
) -> impl Future<Output = Result<H::Output, Error>> + Send + use<'h, H, M, D, C>
where
    C: FnOnce() -> TaskContext + Send,
{
    match heartbeat {
        None => futures_util::future::Either::Left(handler.call_typed(deps, input, context)),
        Some(_) => {
            let context = context();
            let watched = context.clone();
            futures_util::future::Either::Right(watch(
                handler.call_typed(deps, input, move || context),
                watched,
                heartbeat,
            ))
        }
    }
}

/// `work`, failed with `States.HeartbeatTimeout` when `context` goes silent for `heartbeat`.
fn watch<R>(
    work: impl Future<Output = Result<R, Error>> + Send,
    context: TaskContext,
    heartbeat: Option<Duration>,
) -> impl Future<Output = Result<R, Error>> + Send {
    match heartbeat {
        None => futures_util::future::Either::Left(work),
        Some(interval) => futures_util::future::Either::Right(
            futures_util::future::select(Box::pin(work), Box::pin(watchdog(context, interval)))
                .map(|either| match either {
                    futures_util::future::Either::Left((result, _)) => result,
                    futures_util::future::Either::Right((error, _)) => Err(error),
                }),
        ),
    }
}

/// Resolves when `context` has sent no heartbeat for `interval`.
pub(crate) async fn watchdog(context: TaskContext, interval: Duration) -> Error {
    loop {
        let deadline = context.last_beat() + interval;
        if Instant::now() >= deadline {
            return Error::new(
                workflow_asl::errors::HEARTBEAT_TIMEOUT,
                format!("the task sent no heartbeat for {} s", interval.as_secs()),
            );
        }
        tokio::time::sleep_until(deadline).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    // A Task's context is made from its parts, and its context object only when read: it is
    // the object the execution would make for that state, attempt and entry time.
    #[test]
    fn an_attempt_s_context_object_is_made_when_read_as_the_execution_makes_it() {
        let execution = crate::Execution::new("Ctx", &json!({"big": [1, 2, 3]}));
        let entered = std::time::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let context = TaskContext::in_execution(&execution, "Charge", entered, 2, None);
        assert_eq!(context.retry_count(), 2);
        assert!(
            context.object.made.get().is_none(),
            "not made before it is read"
        );
        assert_eq!(
            context.context_object(),
            &execution.context_object_at("Charge", entered, 2)
        );
        // Attempts count per state name, whether or not the object was made.
        let other = TaskContext::in_execution(&execution, "Charge", entered, 0, None);
        assert_eq!((context.next_run_number(), other.next_run_number()), (0, 1));
    }

    fn ctx() -> TaskContext {
        TaskContext::new(json!({"State": {"RetryCount": 2}}))
    }

    #[derive(Deserialize)]
    struct In {
        n: i64,
    }

    async fn double(i: In) -> Result<i64, Error> {
        Ok(i.n * 2)
    }

    async fn explode(_: In) -> Result<i64, Error> {
        panic!("kaboom")
    }

    async fn refuse(_: Value) -> Result<(), String> {
        Err("no".into())
    }

    async fn no_input() -> Result<&'static str, Error> {
        Ok("done")
    }

    #[tokio::test]
    async fn a_handler_may_take_no_input() {
        assert_eq!(
            call(&no_input, &(), json!({"ignored": true}), ctx(), None).await,
            Ok(json!("done"))
        );
    }

    #[tokio::test]
    async fn typed_input_and_output() {
        assert_eq!(
            call(&double, &(), json!({"n": 21}), ctx(), None).await,
            Ok(json!(42))
        );
    }

    #[tokio::test]
    async fn bad_input_is_an_error_not_a_panic() {
        let e = call(&double, &(), json!({"n": "x"}), ctx(), None)
            .await
            .unwrap_err();
        assert_eq!(e.name(), names::INVALID_TASK_INPUT);
    }

    #[tokio::test]
    async fn a_panic_becomes_an_error() {
        let e = call(&explode, &(), json!({"n": 1}), ctx(), None)
            .await
            .unwrap_err();
        assert_eq!((e.name(), e.cause()), (names::TASK_PANICKED, "kaboom"));
    }

    #[tokio::test]
    async fn user_errors_keep_their_name() {
        let e = call(&refuse, &(), json!(null), ctx(), None)
            .await
            .unwrap_err();
        assert_eq!(e, Error::new("States.TaskFailed", "no"));
    }
}
