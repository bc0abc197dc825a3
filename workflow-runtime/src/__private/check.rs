//! Checking a Task's handler once, with a message for what is wrong with it.
//!
//! The generated code asks `(&Probe::<_, D>::of(&handler)).checked()` once per Task. For a
//! handler, method resolution picks [`CheckHandler::checked`], which hands back the handler
//! itself and [`Valid`]. For anything else it picks [`CheckOther::checked`], whose bounds
//! diagnose the mistake, each with its own message: not a function, not `async`, no
//! `Result`, an error type without [`crate::TaskError`], an input without `Deserialize`,
//! arguments that do not fit, a future that is not `Send`. It hands back a [`StandIn`] and
//! [`Invalid`], which every use of a handle accepts, so that a wrong handler is one error
//! (or one per mistake), not one per place the handler is used.

use std::future::Future;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::probe::Probe;
use crate::error::names;
use crate::task::{shapes, Accepts, TaskHandler};
use crate::{Error, TaskContext, TaskError};

/// The handle of a handler that is one.
#[derive(Debug, Clone, Copy)]
pub struct Valid;

/// The handle of something that is not a handler: the build fails with the reason.
#[derive(Debug, Clone, Copy)]
pub struct Invalid;

/// What stands for a value that is not a handler, so that the code using it still
/// type-checks while the one error that matters is reported. It never runs: the crate that
/// names such a handler does not compile.
#[derive(Debug, Clone, Copy)]
pub struct StandIn;

/// The marker of [`StandIn`]'s [`TaskHandler`] shape.
#[derive(Debug)]
pub enum StandInShape {}

impl<D> TaskHandler<StandInShape, D> for StandIn {
    type Input = Value;
    type Output = Value;

    fn decode(input: Value) -> Result<Value, Error> {
        Ok(input)
    }

    fn call_typed(
        &self,
        _deps: &D,
        _input: Value,
        _context: impl FnOnce() -> TaskContext + Send,
    ) -> impl Future<Output = Result<Value, Error>> + Send {
        std::future::ready(Err(Error::new(
            names::NO_HANDLER,
            "a value that is not a handler ran: the build should have failed",
        )))
    }
}

impl<X, D> Accepts<X, StandInShape, D> for StandIn {
    fn accept(_output: X) -> Value {
        Value::Null
    }
}

/// See the module: chosen by method resolution when the value is a handler.
pub trait CheckHandler<'a, H, M> {
    /// The handler itself.
    fn checked(&self) -> (&'a H, Valid);

    /// The handler itself, where another use reports what is wrong with it.
    fn quiet(&self) -> (&'a H, Valid) {
        self.checked()
    }
}

impl<'a, H, M, D> CheckHandler<'a, H, M> for Probe<'a, H, D>
where
    H: TaskHandler<M, D>,
{
    fn checked(&self) -> (&'a H, Valid) {
        (self.handler(), Valid)
    }
}

/// See the module: chosen by method resolution (one auto-reference further) when the value
/// is not a handler; the bounds of [`CheckOther::checked`] say why.
pub trait CheckOther<H, D> {
    /// A stand-in, after the bounds that report the mistake.
    fn checked<Args, Kind>(&self) -> (&'static StandIn, Invalid)
    where
        H: Diagnose<D, Args, Kind>,
    {
        (&StandIn, Invalid)
    }

    /// A stand-in, reporting nothing: the handler's own Task reports what is wrong.
    fn quiet(&self) -> (&'static StandIn, Invalid) {
        (&StandIn, Invalid)
    }
}

impl<H, D> CheckOther<H, D> for &Probe<'_, H, D> {}

/// The diagnosis of a value that is not a Task handler: every condition of [`TaskHandler`]'s
/// shapes, each a bound of its own so that the one that fails is the one reported.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the handler of a Task state: it is not a function of at most three arguments",
    label = "not an `async fn`",
    note = "a Task handler is an `async fn` that takes its input (a type that implements `serde::Deserialize`), optionally preceded by `&Deps` (the type the workflow declares with `deps: Deps`) and followed by a `sfn_workflow::TaskContext`"
)]
pub trait Diagnose<D, Args, Kind> {}

impl<H, D, Args, Kind> Diagnose<D, Args, Kind> for H
where
    H: Callable<Args> + Send + Sync,
    H::Returns: Async + Send,
    <H::Returns as Async>::Resolves: IsResult,
    <<H::Returns as Async>::Resolves as IsResult>::Error: TaskError,
    <<H::Returns as Async>::Resolves as IsResult>::Output: Serialize + Send,
    Args: Arguments<D, Kind>,
    H: Borrows<D, Args, Kind>,
{
}

/// A handler that takes `&D` takes it for any borrow, as an `async fn(&D, ...)` does (the
/// workflow lends its dependencies for one call at a time), not only for `'static`: the
/// diagnosis must ask all that a [`TaskHandler`] is, or a value that is not one would pass.
pub trait Borrows<D, Args, Kind> {}

impl<H, D, Args> Borrows<D, Args, ByValue> for H {}

impl<H, D> Borrows<D, (&D,), WithDeps> for H where H: for<'d> shapes::WithDeps<'d, D> {}

impl<H, D, I> Borrows<D, (&D, I), WithDeps> for H where H: for<'d> shapes::WithDepsInput<'d, D, I> {}

impl<H, D, I> Borrows<D, (&D, I, TaskContext), WithDeps> for H where
    H: for<'d> shapes::WithDepsInputContext<'d, D, I>
{
}

/// A function of `Args`, returning `Returns`.
pub trait Callable<Args> {
    /// What a call returns.
    type Returns;
}

impl<F: Fn() -> R, R> Callable<()> for F {
    type Returns = R;
}

impl<F: Fn(A) -> R, A, R> Callable<(A,)> for F {
    type Returns = R;
}

impl<F: Fn(A, B) -> R, A, B, R> Callable<(A, B)> for F {
    type Returns = R;
}

impl<F: Fn(A, B, C) -> R, A, B, C, R> Callable<(A, B, C)> for F {
    type Returns = R;
}

/// What an `async fn` returns: a future.
#[diagnostic::on_unimplemented(
    message = "a Task handler is an `async fn`, and this one returns `{Self}`, not a future",
    label = "not `async`",
    note = "write `async fn` (a function that returns a `Send` future works too)"
)]
pub trait Async {
    /// What it resolves to.
    type Resolves;
}

#[diagnostic::do_not_recommend]
impl<R: Future> Async for R {
    type Resolves = R::Output;
}

/// A `Result`.
#[diagnostic::on_unimplemented(
    message = "a Task handler returns `Result<Output, E>`, and this one's future resolves to `{Self}`",
    label = "does not return a `Result`",
    note = "return `Ok(output)` on success, where `Output` implements `serde::Serialize`, and `Err(error)` on failure, where the error's type implements `sfn_workflow::TaskError` (`sfn_workflow::Error` does)"
)]
pub trait IsResult {
    /// The success's type.
    type Output;
    /// The error's type.
    type Error;
}

#[diagnostic::do_not_recommend]
impl<O, E> IsResult for Result<O, E> {
    type Output = O;
    type Error = E;
}

/// How a handler takes its arguments.
#[derive(Debug)]
pub enum ByValue {}
/// How a handler takes its arguments: the dependencies first.
#[derive(Debug)]
pub enum WithDeps {}

/// A handler's arguments: its input, optionally preceded by `&D` and followed by a
/// [`TaskContext`].
#[diagnostic::on_unimplemented(
    message = "a Task handler takes its input (a type that implements `serde::Deserialize`), optionally preceded by `&{D}` (this workflow's `deps`) and followed by a `TaskContext`; these arguments are `{Self}`",
    label = "its arguments do not fit",
    note = "the shapes: `(Input)`, `(Input, TaskContext)`, `(&Deps, Input)`, `(&Deps, Input, TaskContext)`, `(&Deps)` and `()`, where `Deps` is the type the workflow declares with `deps:` (`()` without one)"
)]
pub trait Arguments<D, Kind> {}

impl<D> Arguments<D, ByValue> for () {}
impl<D, I: Input> Arguments<D, ByValue> for (I,) {}
impl<D, I: Input> Arguments<D, ByValue> for (I, TaskContext) {}
impl<D: Sync> Arguments<D, WithDeps> for (&D,) {}
impl<D: Sync, I: Input> Arguments<D, WithDeps> for (&D, I) {}
impl<D: Sync, I: Input> Arguments<D, WithDeps> for (&D, I, TaskContext) {}

/// A handler's input: read from JSON, and sent to the handler wherever it runs.
#[diagnostic::on_unimplemented(
    message = "a Task handler's input is read from JSON, and `{Self}` does not implement `serde::Deserialize` (or is not `Send`)",
    label = "its input cannot be read from JSON",
    note = "derive it: `#[derive(serde::Deserialize)]`, or take `serde_json::Value`"
)]
pub trait Input {}

#[diagnostic::do_not_recommend]
impl<I: DeserializeOwned + Send> Input for I {}

#[cfg(test)]
mod tests {
    use super::*;

    async fn double(n: u64) -> Result<u64, Error> {
        Ok(n * 2)
    }

    #[test]
    // The borrow is the generated code's form.
    #[allow(clippy::needless_borrow)]
    fn a_handler_is_handed_back_as_itself() {
        let (handle, Valid) = (&Probe::<_, ()>::of(&double)).checked();
        assert!(std::ptr::eq(handle, &double));
    }

    #[tokio::test]
    async fn the_stand_in_fails_if_it_ever_runs() {
        let e = StandIn
            .call_typed(&(), Value::Null, || TaskContext::new(Value::Null))
            .await
            .unwrap_err();
        assert_eq!(e.name(), names::NO_HANDLER);
    }
}
