//! The probe through which generated code asks whether a handler takes a `TaskContext`.

use std::marker::PhantomData;
use std::sync::Arc;

use crate::interpret::{DynHandler, Interpreter};
use crate::task::TaskHandler;

/// Whether a Task handler of a workflow whose dependencies are `D` can read the context
/// object, asked without requiring it to be a handler:
/// `(&Probe::<_, D>::of(&handler)).takes_context()` is [`TaskHandler::TAKES_CONTEXT`] for a
/// handler, and `true` for anything else (whose use as a handler is a build error reported
/// where it is used, once). Generated code asks it of every handler to learn whether an
/// execution must keep its input for `$$.Execution.Input`.
#[doc(hidden)]
#[derive(Debug)]
pub struct Probe<'a, H, D>(&'a H, PhantomData<fn(&D)>);

impl<'a, H, D> Probe<'a, H, D> {
    /// Asks about `handler`.
    pub fn of(handler: &'a H) -> Self {
        Self(handler, PhantomData)
    }

    /// What it asks about.
    pub(crate) fn handler(&self) -> &'a H {
        self.0
    }
}

/// See [`Probe`]: chosen by method resolution when the handler is one.
#[doc(hidden)]
pub trait ProbeHandler<M> {
    /// Whether the handler takes a [`crate::TaskContext`].
    fn takes_context(&self) -> bool;
}

impl<H: TaskHandler<M, D>, M, D> ProbeHandler<M> for Probe<'_, H, D> {
    fn takes_context(&self) -> bool {
        H::TAKES_CONTEXT
    }
}

/// See [`Probe`]: chosen by method resolution (one auto-reference further) when the value is
/// not a handler.
#[doc(hidden)]
pub trait ProbeOther {
    /// `true`: what is not a handler is not known not to read the context.
    fn takes_context(&self) -> bool {
        true
    }
}

impl<H, D> ProbeOther for &Probe<'_, H, D> {}

/// See [`Probe`]: registers a handler in an interpreter under its state's name, chosen by
/// method resolution when the value is a handler. Generated code registers every Task's
/// handler this way for `interpreter()`, so that a value that is not a handler is reported
/// once, where the Task uses it, and not again here.
#[doc(hidden)]
pub trait RegisterHandler<M, D> {
    /// Registers the handler for the Task state `state`, called with `deps`.
    fn register(&self, interpreter: &mut Interpreter, state: &str, deps: &Arc<D>);
}

impl<H, M, D> RegisterHandler<M, D> for Probe<'_, H, D>
where
    H: TaskHandler<M, D> + Copy + 'static,
    M: 'static,
    D: Send + Sync + 'static,
{
    fn register(&self, interpreter: &mut Interpreter, state: &str, deps: &Arc<D>) {
        // The macro wrote both the definition and `state`: it is one of its Task states.
        let handler = DynHandler::with_deps(*self.0, Arc::clone(deps)).named(self.0.name());
        let _ = interpreter.handle_dyn(state, handler);
    }
}

/// See [`RegisterHandler`]: what is not a handler registers nothing (the build fails anyway).
#[doc(hidden)]
pub trait RegisterOther<D> {
    /// Nothing.
    fn register(&self, _interpreter: &mut Interpreter, _state: &str, _deps: &Arc<D>) {}
}

impl<H, D> RegisterOther<D> for &Probe<'_, H, D> {}

/// See [`Probe`]: registers a child workflow (`workflow: Child`) in an interpreter under
/// its Task's name, chosen by method resolution when the value is one; what is not registers
/// nothing ([`RegisterNotChild`]), the build failing once where the Task uses it.
#[doc(hidden)]
pub trait RegisterChild {
    /// Registers the child for the Task state `state`.
    fn register_child(&self, interpreter: &mut Interpreter, state: &str);
}

impl<W, D> RegisterChild for Probe<'_, W, D>
where
    W: crate::integration::nested::ChildWorkflow + Clone,
{
    fn register_child(&self, interpreter: &mut Interpreter, state: &str) {
        interpreter.handle_workflow(state, self.0.clone());
    }
}

/// See [`RegisterChild`].
#[doc(hidden)]
pub trait RegisterNotChild {
    /// Nothing.
    fn register_child(&self, _interpreter: &mut Interpreter, _state: &str) {}
}

impl<W, D> RegisterNotChild for &Probe<'_, W, D> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, TaskContext};

    #[derive(serde::Deserialize)]
    struct In {
        n: i64,
    }

    async fn double(i: In) -> Result<i64, Error> {
        Ok(i.n * 2)
    }

    async fn with_context(i: In, context: TaskContext) -> Result<i64, Error> {
        Ok(i.n + i64::try_from(context.retry_count()).unwrap_or(0))
    }

    #[test]
    // The borrow is the generated code's form, which must work for handlers and others alike.
    #[allow(clippy::needless_borrow)]
    fn the_probe_tells_which_handlers_read_the_context() {
        async fn not_a_handler(a: u64, b: u32) -> u64 {
            a + u64::from(b)
        }
        struct Shop;
        async fn with_deps(_: &Shop, i: In, _: TaskContext) -> Result<i64, Error> {
            Ok(i.n)
        }
        assert!(!(&Probe::<_, ()>::of(&double)).takes_context());
        assert!((&Probe::<_, ()>::of(&with_context)).takes_context());
        assert!((&Probe::<_, Shop>::of(&with_deps)).takes_context());
        assert!(
            (&Probe::<_, ()>::of(&not_a_handler)).takes_context(),
            "what is not a handler is kept on the safe side"
        );
        assert!((&Probe::<_, ()>::of(&42)).takes_context());
    }
}
