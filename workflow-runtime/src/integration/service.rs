//! Services that answer a Task's integration for real, as AWS would: the way a run calls
//! DynamoDB (with the `aws` feature, `integration::dynamodb`) and, the same way, any other
//! (SQS, SNS, EventBridge, S3...).
//!
//! A [`Service`] says which integrations it answers and answers a call with the Task's
//! effective input (the API's parameters, in the integration's PascalCase) with the response
//! AWS's integration returns. [`crate::interpret::Interpreter::handle_service`] hands it every
//! Task of the definition it answers, after the handlers given by state name (so a mocked
//! response still wins) and before none: a handler given later by resource replaces it.

use std::future::Future;
use std::pin::Pin;

use serde_json::Value;
use workflow_asl::Integration;

use crate::Error;

/// A boxed, `Send` future that borrows nothing: what a service's call returns.
pub type Call = Pin<Box<dyn Future<Output = Result<Value, Error>> + Send + 'static>>;

/// A service that answers integrations for real.
pub trait Service: Send + Sync + 'static {
    /// The service's name in errors and traces (`DynamoDB`).
    fn name(&self) -> &str;

    /// Whether it answers `integration` (its service, API and pattern).
    fn answers(&self, integration: &Integration<'_>) -> bool;

    /// Calls the API `integration` names with `parameters`: the integration's result, or
    /// the error AWS's integration reports (named `SERVICE.ErrorCode`, such as
    /// `DynamoDB.ConditionalCheckFailedException`).
    fn call(&self, integration: Integration<'_>, parameters: Value) -> Call;
}

/// A service whose calls take no time on a paused clock: each call runs to its end on a
/// runtime of its own (`runtime`, on another thread) while the run that made it waits,
/// blocked. On tokio's paused clock a run's time moves only when all its tasks wait, so a
/// call waiting on the network would otherwise let the clock jump to the next timer (a
/// quorum's time-out firing while a write is in flight); blocked, the clock stands still,
/// as it does for a mocked response. For runs on the paused clock only (`asl run` without
/// `--real-time`, tests): on a real clock, give the service itself.
pub struct Frozen<S> {
    service: std::sync::Arc<S>,
    runtime: std::sync::Arc<tokio::runtime::Runtime>,
}

impl<S> std::fmt::Debug for Frozen<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Frozen")
    }
}

impl<S: Service> Frozen<S> {
    /// `service`, whose calls run on `runtime` (one that drives the service's I/O: built
    /// with `enable_all`).
    pub fn new(service: S, runtime: tokio::runtime::Runtime) -> Self {
        Self {
            service: std::sync::Arc::new(service),
            runtime: std::sync::Arc::new(runtime),
        }
    }
}

impl<S: Service> Service for Frozen<S> {
    fn name(&self) -> &str {
        self.service.name()
    }

    fn answers(&self, integration: &Integration<'_>) -> bool {
        self.service.answers(integration)
    }

    fn call(&self, integration: Integration<'_>, parameters: Value) -> Call {
        let call = self.service.call(integration, parameters);
        let runtime = std::sync::Arc::clone(&self.runtime);
        // Another thread: a runtime cannot be blocked on from within one.
        let outcome = std::thread::scope(|scope| {
            scope
                .spawn(move || runtime.block_on(call))
                .join()
                .unwrap_or_else(|_| {
                    Err(Error::new(
                        crate::error::names::TASK_PANICKED,
                        "the service's call panicked",
                    ))
                })
        });
        Box::pin(std::future::ready(outcome))
    }
}
