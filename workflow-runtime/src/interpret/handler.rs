//! Type-erased task handlers: what an interpreter registers for its Task states.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::Value;

use crate::task::{TaskContext, TaskHandler};
use crate::Error;

pub(super) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
/// A handler over JSON, given the attempt's context only if it takes one: building the
/// context object is most of what an interpreted Task would cost otherwise.
type HandlerFn =
    dyn Fn(Value, Option<TaskContext>) -> BoxFuture<'static, Result<Value, Error>> + Send + Sync;

/// A task handler with its types erased: JSON in, JSON out. Any [`TaskHandler`] becomes one
/// with [`DynHandler::new`]; [`DynHandler::from_fn`] makes one from a closure over JSON.
#[derive(Clone)]
pub struct DynHandler {
    pub(super) call: Arc<HandlerFn>,
    takes_context: bool,
    /// What errors name as their handler: the erased handler's Rust path.
    name: &'static str,
    /// Whether it answers for the Task's integration as a whole (a mocked response).
    answers_for_integration: bool,
}

impl fmt::Debug for DynHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DynHandler")
    }
}

impl DynHandler {
    /// Erases `handler`'s types.
    pub fn new<H, M>(handler: H) -> Self
    where
        H: TaskHandler<M> + 'static,
        M: 'static,
    {
        Self::with_deps(handler, Arc::new(()))
    }

    /// Erases the types of `handler`, which is called with `deps`: a handler that takes
    /// `&D`, such as one of a workflow declared with `deps: D`.
    pub fn with_deps<H, M, D>(handler: H, deps: Arc<D>) -> Self
    where
        H: TaskHandler<M, D> + 'static,
        M: 'static,
        D: Send + Sync + 'static,
    {
        let name = handler.name();
        let handler = Arc::new(handler);
        let call = Arc::new(move |input, context: Option<TaskContext>| {
            let handler = Arc::clone(&handler);
            let deps = Arc::clone(&deps);
            let call: BoxFuture<'static, _> = Box::pin(async move {
                let input = H::decode(input)?;
                // `context` is there whenever `H` takes one.
                let context = move || context.unwrap_or_else(|| TaskContext::new(Value::Null));
                crate::task::encode(handler.call_typed(&deps, input, context).await?)
            });
            call
        });
        Self {
            call,
            takes_context: H::TAKES_CONTEXT,
            name,
            answers_for_integration: false,
        }
    }

    /// The handler, called `name` in the errors it raises ([`Error::handler`]).
    #[must_use]
    pub fn named(mut self, name: &'static str) -> Self {
        self.name = name;
        self
    }

    /// A handler from a function of the JSON input and the attempt's context.
    pub fn from_fn<F, Fut>(f: F) -> Self
    where
        F: Fn(Value, TaskContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Value, Error>> + Send + 'static,
    {
        Self {
            call: Arc::new(move |input, context: Option<TaskContext>| {
                let context = context.unwrap_or_else(|| TaskContext::new(Value::Null));
                Box::pin(f(input, context))
            }),
            takes_context: true,
            name: std::any::type_name::<F>(),
            answers_for_integration: false,
        }
    }

    /// The handler, answering for the service integration of the Task it runs as a whole:
    /// it receives the Task's effective input and returns the integration's response as AWS
    /// gives it (for `arn:aws:states:::lambda:invoke`, the `Invoke` response with its
    /// `Payload`), as a mocked response in a Step Functions Local mock file does. Without it,
    /// a handler stands for the work ([`crate::integration`]).
    #[must_use]
    pub fn answering_for_integration(mut self) -> Self {
        self.answers_for_integration = true;
        self
    }
}

/// The marker of [`DynHandler`]'s [`TaskHandler`] shape.
#[derive(Debug)]
pub enum Erased {}

// Not offered in the help of a handler that does not fit: users write `async fn`s.
#[diagnostic::do_not_recommend]
impl<D> TaskHandler<Erased, D> for DynHandler {
    type Input = Value;
    type Output = Value;
    // Whatever a registered handler is, it may read the context object.
    const TAKES_CONTEXT: bool = true;

    fn decode(input: Value) -> Result<Value, Error> {
        Ok(input)
    }

    fn name(&self) -> &'static str {
        self.name
    }

    fn answers_for_integration(&self) -> bool {
        self.answers_for_integration
    }

    fn call_typed(
        &self,
        _deps: &D,
        input: Value,
        context: impl FnOnce() -> TaskContext + Send,
    ) -> impl Future<Output = Result<Value, Error>> + Send {
        (self.call)(input, self.takes_context.then(context))
    }
}
