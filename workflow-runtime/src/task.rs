//! Task handlers: ordinary `async fn`s with serde input and output, called with JSON.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::error::names;
use crate::{Error, TaskError};

/// A function a Task state can run: `async fn(Input) -> Result<Output, E>` where `Input`
/// implements `serde::Deserialize`, `Output` implements `serde::Serialize`, and `E`
/// implements [`TaskError`]; or `async fn() -> Result<Output, E>` for a task that needs no
/// input. Closures of the same shapes work too.
///
/// `M` is a marker that names the function's shape; it never needs to be written.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the handler of a Task state",
    label = "expected an `async fn(Input) -> Result<Output, E>`",
    note = "a Task handler takes one argument whose type implements `serde::Deserialize` (or none), returns `Result<Output, E>` where `Output` implements `serde::Serialize` and `E` implements `workflow::TaskError`, and its future is `Send`"
)]
pub trait TaskHandler<M>: Send + Sync {
    /// Deserializes `input`, runs the handler, and serializes its output. Every failure,
    /// a panic included, comes back as an [`Error`].
    fn call(&self, input: Value) -> impl Future<Output = Result<Value, Error>> + Send;
}

impl<F, Fut, I, O, E> TaskHandler<fn(I) -> Result<O, E>> for F
where
    F: Fn(I) -> Fut + Send + Sync,
    Fut: Future<Output = Result<O, E>> + Send,
    I: DeserializeOwned,
    O: Serialize,
    E: TaskError,
{
    fn call(&self, input: Value) -> impl Future<Output = Result<Value, Error>> + Send {
        let started = serde_json::from_value::<I>(input)
            .map_err(|e| {
                Error::new(
                    names::INVALID_TASK_INPUT,
                    format!("the task's input does not fit its input type: {e}"),
                )
            })
            .and_then(|input| {
                // A plain fn returning a future may panic before its first poll.
                std::panic::catch_unwind(AssertUnwindSafe(|| self(input)))
                    .map_err(|payload| panicked(payload.as_ref()))
            });
        finish(started)
    }
}

impl<F, Fut, O, E> TaskHandler<fn() -> Result<O, E>> for F
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<O, E>> + Send,
    O: Serialize,
    E: TaskError,
{
    fn call(&self, _input: Value) -> impl Future<Output = Result<Value, Error>> + Send {
        let started = std::panic::catch_unwind(AssertUnwindSafe(self))
            .map_err(|payload| panicked(payload.as_ref()));
        finish(started)
    }
}

/// Awaits a started handler future: a panic becomes an error, the output becomes JSON.
async fn finish<Fut, O, E>(started: Result<Fut, Error>) -> Result<Value, Error>
where
    Fut: Future<Output = Result<O, E>>,
    O: Serialize,
    E: TaskError,
{
    let output = match AssertUnwindSafe(started?).catch_unwind().await {
        Ok(Ok(output)) => output,
        Ok(Err(error)) => return Err(error.into_error()),
        Err(payload) => return Err(panicked(payload.as_ref())),
    };
    serde_json::to_value(output).map_err(|e| {
        Error::new(
            names::INVALID_TASK_OUTPUT,
            format!("the task's output does not serialize to JSON: {e}"),
        )
    })
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

/// Calls `handler` with `input`; the generated code of a Task state calls this.
pub fn call<'h, H: TaskHandler<M>, M>(
    handler: &'h H,
    input: Value,
) -> impl Future<Output = Result<Value, Error>> + Send + use<'h, H, M> {
    handler.call(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

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
            call(&no_input, json!({"ignored": true})).await,
            Ok(json!("done"))
        );
    }

    #[tokio::test]
    async fn typed_input_and_output() {
        assert_eq!(call(&double, json!({"n": 21})).await, Ok(json!(42)));
    }

    #[tokio::test]
    async fn bad_input_is_an_error_not_a_panic() {
        let e = call(&double, json!({"n": "x"})).await.unwrap_err();
        assert_eq!(e.name(), names::INVALID_TASK_INPUT);
    }

    #[tokio::test]
    async fn a_panic_becomes_an_error() {
        let e = call(&explode, json!({"n": 1})).await.unwrap_err();
        assert_eq!((e.name(), e.cause()), (names::TASK_PANICKED, "kaboom"));
    }

    #[tokio::test]
    async fn user_errors_keep_their_name() {
        let e = call(&refuse, json!(null)).await.unwrap_err();
        assert_eq!(e, Error::new("States.TaskFailed", "no"));
    }
}
