//! Map: run one iteration per item, at most `max_concurrency` at a time.
//!
//! The output is every iteration's output, in item order. Without a tolerance, the first
//! iteration to fail fails the Map with its own error. With one (`tolerated_count`,
//! `tolerated_percentage`), a failed item's slot holds its `{"Error", "Cause"}`, and the
//! moment the failures exceed the tolerance the Map fails with
//! `States.ExceedToleratedFailureThreshold`. Either way the iterations still running are
//! dropped in that same poll, and items not started yet never start.

use std::future::Future;

use futures_util::stream::{self, StreamExt};
use serde_json::Value;
use workflow_asl::errors;

use crate::Error;

/// How many failed items a Map tolerates: a count, a percentage of the items, or both (the
/// first exceeded fails it).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tolerance {
    /// Failed items tolerated.
    pub count: Option<u64>,
    /// Failed items tolerated, as a percentage of all items.
    pub percentage: Option<f64>,
}

impl Tolerance {
    fn is_set(self) -> bool {
        self.count.is_some() || self.percentage.is_some()
    }

    fn exceeded(self, failed: usize, total: usize) -> bool {
        let failed_u64 = u64::try_from(failed).unwrap_or(u64::MAX);
        self.count.is_some_and(|c| failed_u64 > c)
            || self.percentage.is_some_and(|p| {
                // Whole-item arithmetic: failed / total > p / 100.
                let (failed, total) = (failed as f64, total as f64);
                failed * 100.0 > p * total
            })
    }
}

/// Runs `iteration(index, item)` for every item, `max_concurrency` at a time (0: all at once).
///
/// # Errors
/// The first failure when no tolerance is set; `States.ExceedToleratedFailureThreshold` when
/// the failures exceed it.
pub async fn map<F, Fut>(
    items: Vec<Value>,
    max_concurrency: usize,
    tolerance: Tolerance,
    iteration: F,
) -> Result<Value, Error>
where
    F: Fn(usize, Value) -> Fut,
    Fut: Future<Output = Result<Value, Error>>,
{
    let total = items.len();
    let limit = if max_concurrency == 0 {
        total.max(1)
    } else {
        max_concurrency
    };
    let iteration = &iteration;
    let mut running = stream::iter(items.into_iter().enumerate())
        .map(|(i, item)| async move { (i, iteration(i, item).await) })
        .buffer_unordered(limit);
    let mut outputs: Vec<Value> = vec![Value::Null; total];
    let mut failed = 0;
    // Unconstrained by tokio's cooperative budget: past its 128 operations per poll, every
    // other iteration's timer would answer "not yet" and wake itself again, so that each
    // poll of the Map went over all n iterations to advance 128 of them (a Map of 100k Waits
    // took 2 s, of 1M over 300 s). The iterations still yield where they wait, and loops
    // inside them every `STATES_BETWEEN_YIELDS` states.
    while let Some((i, result)) = tokio::task::coop::unconstrained(running.next()).await {
        match result {
            Ok(output) => outputs[i] = output,
            // An error that ends the execution (its history quota reached) is never tolerated.
            Err(error) if !tolerance.is_set() || error.ends_execution() => return Err(error),
            Err(error) => {
                failed += 1;
                if tolerance.exceeded(failed, total) {
                    return Err(Error::new(
                        errors::EXCEED_TOLERATED_FAILURE_THRESHOLD,
                        // ASL's name and cause only: where the error arose is not part of a Cause.
                        format!(
                            "{failed} of {total} items failed, more than tolerated; the last: {}",
                            if error.cause().is_empty() {
                                error.name().to_owned()
                            } else {
                                format!("{}: {}", error.name(), error.cause())
                            }
                        ),
                    ));
                }
                outputs[i] = error.to_json();
            }
        }
    }
    Ok(Value::Array(outputs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_by_count_and_by_percentage() {
        let count = Tolerance {
            count: Some(1),
            percentage: None,
        };
        assert!(!count.exceeded(1, 10) && count.exceeded(2, 10));
        let pct = Tolerance {
            count: None,
            percentage: Some(25.0),
        };
        assert!(!pct.exceeded(1, 4) && pct.exceeded(2, 4));
        assert!(!Tolerance::default().is_set());
    }
}
