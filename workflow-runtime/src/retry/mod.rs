//! Retry mechanism: run an attempt, and after a matching error sleep and run it again.
//!
//! The policy (which retrier matches, how long to wait) is in [`policy`]; this module only
//! loops and sleeps, on tokio's clock, so a paused clock makes retries instant in tests.

pub mod policy;

use std::future::Future;

use workflow_asl::Retrier;

use crate::Error;
pub use policy::{Backoff, Decision};

/// Runs `attempt(retries)` (`retries` being how many retries came before it, what
/// `$$.State.RetryCount` says) until it succeeds or `retriers` stop retrying its error, which
/// is then returned. `state` names the state in the log events.
///
/// Each call of `attempt` starts a fresh attempt; the future of a failed attempt has already
/// completed, so nothing of it is still running when the next one starts. Dropping the
/// returned future cancels the attempt in flight (or the sleep) at once.
pub async fn retry<R, F, Fut>(state: &str, retriers: &[Retrier], mut attempt: F) -> Result<R, Error>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<R, Error>>,
{
    let mut backoff = Backoff::new(retriers);
    let mut retries = 0;
    loop {
        let error = match attempt(retries).await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let Some(decision) = backoff.next(&error, fastrand::f64) else {
            return Err(error);
        };
        tracing::info!(
            state,
            error = error.name(),
            cause = error.cause(),
            retry = decision.retry,
            delay_ms = u64::try_from(decision.delay.as_millis()).unwrap_or(u64::MAX),
            "retrying state"
        );
        tokio::time::sleep(decision.delay).await;
        retries += 1;
    }
}
