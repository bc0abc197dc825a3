//! Quorum: run every branch at once and move on as soon as `needed` of them succeeded.
//!
//! [`quorum`] has `select` semantics. It completes the moment one of these happens, and
//! drops every branch still running in that same poll (their futures are never polled again,
//! so the work they await is cancelled and their destructors run before it returns):
//!
//! - `needed` branches succeeded: a [`Report`];
//! - so many failed that `needed` can no longer be reached: `Workflow.QuorumImpossible`;
//! - the timeout elapsed first: `States.Timeout`.
//!
//! Branch results that are ready are counted before the timer is looked at, so a branch
//! finishing at the very instant of the timeout still counts. Both errors carry the report
//! as JSON in their `Cause`, so which branch succeeded, failed or was cut off is never lost.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use futures_util::stream::{FuturesUnordered, StreamExt};
use serde_json::{json, Value};
use workflow_asl::errors;

use crate::error::names;
use crate::Error;

/// What became of one branch.
#[derive(Debug, Clone, PartialEq)]
pub enum Fate {
    /// It succeeded with this output.
    Succeeded(Value),
    /// It failed with this error.
    Failed(Error),
    /// It was still running when the state completed, and was cancelled.
    Cancelled,
}

/// The outcome of a quorum: every branch's fate, in declaration order.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// How many successes were needed.
    pub quorum: usize,
    /// Whether the timeout fired.
    pub timed_out: bool,
    /// Each branch's name (its `StartAt`) and fate.
    pub branches: Vec<(String, Fate)>,
}

impl Report {
    /// How many branches succeeded.
    #[must_use]
    pub fn succeeded(&self) -> usize {
        self.count(|f| matches!(f, Fate::Succeeded(_)))
    }

    /// How many branches failed.
    #[must_use]
    pub fn failed(&self) -> usize {
        self.count(|f| matches!(f, Fate::Failed(_)))
    }

    fn count(&self, pred: impl Fn(&Fate) -> bool) -> usize {
        self.branches.iter().filter(|(_, f)| pred(f)).count()
    }

    /// The report as the quorum state's output (documented in the README):
    ///
    /// ```json
    /// {"quorum": 2, "outcome": "quorum_met", "quorum_met": true, "timed_out": false,
    ///  "branches": [{"name": "A", "status": "succeeded", "output": ..., "error": null},
    ///               {"name": "B", "status": "cancelled", "output": null, "error": null},
    ///               {"name": "C", "status": "failed", "output": null, "error": {"Error": ..., "Cause": ...}}]}
    /// ```
    ///
    /// `outcome` is `quorum_met`, `quorum_impossible` or `timed_out`.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let branches: Vec<Value> = self
            .branches
            .iter()
            .map(|(name, fate)| match fate {
                Fate::Succeeded(output) => {
                    json!({"name": name, "status": "succeeded", "output": output, "error": null})
                }
                Fate::Failed(error) => {
                    json!({"name": name, "status": "failed", "output": null, "error": error.to_json()})
                }
                Fate::Cancelled => json!({"name": name, "status": "cancelled", "output": null, "error": null}),
            })
            .collect();
        let met = self.succeeded() >= self.quorum;
        let outcome = if met {
            "quorum_met"
        } else if self.timed_out {
            "timed_out"
        } else {
            "quorum_impossible"
        };
        json!({
            "quorum": self.quorum,
            "outcome": outcome,
            "quorum_met": met,
            "timed_out": self.timed_out,
            "branches": branches,
        })
    }
}

/// Runs branch `i` as `branch(i)` for every name in `branch_names`, until `needed` succeeded, the
/// quorum became impossible, or `timeout` elapsed (see the module docs).
///
/// # Errors
/// `Workflow.QuorumImpossible` or `States.Timeout`, each with the report as its cause; and
/// `Workflow.InvalidQuorum` when `needed` is 0 or more than the branches.
pub async fn quorum<F, Fut>(
    branch_names: Vec<String>,
    needed: usize,
    timeout: Option<Duration>,
    mut branch: F,
) -> Result<Report, Error>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = Result<Value, Error>>,
{
    let total = branch_names.len();
    if needed == 0 || needed > total {
        return Err(Error::new(
            names::INVALID_QUORUM,
            format!("a quorum of {needed} cannot be met by {total} branches: it must be from 1 to {total}"),
        ));
    }
    // The deadline counts from the state's start, before any branch has started.
    let deadline = timeout.map(|d| tokio::time::Instant::now() + d);
    let mut timer = pin!(async {
        match deadline {
            Some(deadline) => tokio::time::sleep_until(deadline).await,
            None => std::future::pending().await,
        }
    });
    let mut fates: Vec<Option<Fate>> = vec![None; total];
    let mut running: FuturesUnordered<_> = (0..total)
        .map(|i| {
            let work = branch(i);
            async move { (i, work.await) }
        })
        .collect();
    let (mut succeeded, mut failed) = (0, 0);
    // An error that ends the execution (its history quota reached) is no branch's fate.
    let mut ending = None;
    let timed_out = poll_fn(|cx| {
        while let Poll::Ready(Some((i, result))) = running.poll_next_unpin(cx) {
            match result {
                Ok(output) => {
                    succeeded += 1;
                    fates[i] = Some(Fate::Succeeded(output));
                }
                Err(error) if error.ends_execution() => {
                    ending = Some(error);
                    return Poll::Ready(false);
                }
                Err(error) => {
                    failed += 1;
                    fates[i] = Some(Fate::Failed(error));
                }
            }
            if succeeded >= needed || total - failed < needed {
                return Poll::Ready(false);
            }
        }
        timer.as_mut().poll(cx).map(|()| true)
    })
    .await;
    // The decision is made: cancel every branch still running, now.
    drop(running);
    if let Some(error) = ending {
        return Err(error);
    }
    let report = Report {
        quorum: needed,
        timed_out,
        branches: branch_names
            .into_iter()
            .zip(fates)
            .map(|(n, f)| (n, f.unwrap_or(Fate::Cancelled)))
            .collect(),
    };
    let cause = || report.to_json().to_string();
    if timed_out {
        tracing::info!(succeeded, failed, needed, "quorum timed out");
        Err(Error::new(errors::TIMEOUT, cause()))
    } else if succeeded >= needed {
        tracing::debug!(succeeded, failed, needed, "quorum met");
        Ok(report)
    } else {
        tracing::info!(succeeded, failed, needed, "quorum impossible");
        Err(Error::new(names::QUORUM_IMPOSSIBLE, cause()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_names_every_fate_in_order() {
        let report = Report {
            quorum: 1,
            timed_out: false,
            branches: vec![
                ("A".into(), Fate::Succeeded(json!(1))),
                ("B".into(), Fate::Cancelled),
                ("C".into(), Fate::Failed(Error::new("X", "y"))),
            ],
        };
        assert_eq!(
            report.to_json(),
            json!({"quorum": 1, "outcome": "quorum_met", "quorum_met": true, "timed_out": false,
                   "branches": [{"name": "A", "status": "succeeded", "output": 1, "error": null},
                                {"name": "B", "status": "cancelled", "output": null, "error": null},
                                {"name": "C", "status": "failed", "output": null, "error": {"Error": "X", "Cause": "y"}}]})
        );
    }

    #[tokio::test]
    async fn an_impossible_quorum_count_is_refused() {
        let err = quorum(vec!["A".into()], 2, None, |_| async { Ok(json!(1)) })
            .await
            .unwrap_err();
        assert_eq!(err.name(), names::INVALID_QUORUM);
        let err = quorum(vec!["A".into()], 0, None, |_| async { Ok(json!(1)) })
            .await
            .unwrap_err();
        assert_eq!(err.name(), names::INVALID_QUORUM);
    }
}
