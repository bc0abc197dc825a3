//! Parallel: run every branch on a copy of the input, all at once.
//!
//! Two combinators: [`all`] for a plain Parallel state, [`quorum::quorum`] for one that moves
//! on once enough branches succeeded.
//!
//! [`all`] has `join` semantics: it succeeds with every branch's output in declaration order,
//! and the first branch to fail fails it at once. The branches still running are dropped in
//! that same poll: a branch's future is never polled again, so any work it awaits is
//! cancelled and its destructors run before the Parallel's error is returned.

pub mod quorum;

use std::future::Future;

use futures_util::future::try_join_all;
use serde_json::Value;

use crate::Error;

/// Runs `branches` branch futures concurrently, built by `branch(index)`.
///
/// # Errors
/// The error of the first branch that fails.
pub async fn all<F, Fut>(branches: usize, branch: F) -> Result<Value, Error>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = Result<Value, Error>>,
{
    // Unconstrained by tokio's cooperative budget, as a Map's iterations are: see
    // `crate::map::map`.
    tokio::task::coop::unconstrained(try_join_all((0..branches).map(branch)))
        .await
        .map(Value::Array)
}
