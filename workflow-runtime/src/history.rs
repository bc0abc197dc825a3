//! An execution's history as AWS counts it: the events `GetExecutionHistory` would return,
//! numbered from 1, and the quota on how many one execution may have.
//!
//! Each state records the events AWS records for it (its `...StateEntered` and
//! `...StateExited`, a Task's `TaskScheduled`, `TaskStarted` and outcome per attempt, a
//! Parallel's and a Map's `...Started` and outcome, a Map's `MapIterationStarted` and outcome
//! per item) and the execution its `ExecutionStarted` and outcome. Only their count is kept
//! today. AWS fails an execution whose history reaches its quota (25,000 events, see
//! [`crate::limits`]): the last event it may record is the quota-th, and unless that one
//! is `ExecutionSucceeded` the execution fails there with `States.Runtime`, "The execution
//! reached the maximum number of history events (25000).", which no retrier or catcher sees
//! (AWS's "Avoid reaching the history quota", and its recorded behaviour).

use std::sync::atomic::{AtomicU32, Ordering};

use workflow_asl::{errors, StateType};

use crate::Error;

/// The type of a history event, as AWS's `HistoryEvent.type` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
#[allow(missing_docs)] // AWS's names say it.
pub enum EventType {
    ExecutionStarted,
    ExecutionSucceeded,
    ExecutionFailed,
    ExecutionTimedOut,
    StateEntered(StateType),
    StateExited(StateType),
    TaskScheduled,
    TaskStarted,
    TaskSucceeded,
    TaskFailed,
    TaskTimedOut,
    ParallelStateStarted,
    ParallelStateSucceeded,
    ParallelStateFailed,
    MapStateStarted,
    MapStateSucceeded,
    MapStateFailed,
    MapIterationStarted,
    MapIterationSucceeded,
    MapIterationFailed,
}

/// The events one execution has recorded, counted against its quota: from 1, its
/// `ExecutionStarted`, recorded as it is made.
#[derive(Debug)]
pub(crate) struct Count(AtomicU32);

impl Default for Count {
    fn default() -> Self {
        Self(AtomicU32::new(1))
    }
}

impl Count {
    /// Records one more event of type `event`, under a quota of `quota` events.
    ///
    /// # Errors
    /// `States.Runtime` ending the execution when `event` would be the quota-th event and is
    /// not `ExecutionSucceeded`, or past the quota.
    pub(crate) fn record(&self, event: EventType, quota: u32) -> Result<u32, Error> {
        let id = self.0.fetch_add(1, Ordering::Relaxed).saturating_add(1);
        if id < quota || (id == quota && event == EventType::ExecutionSucceeded) {
            return Ok(id);
        }
        Err(reached(quota))
    }

    /// Records `n` more events, none of them `ExecutionSucceeded`, under a quota of `quota`
    /// events: as [`Count::record`] `n` times, in one step.
    ///
    /// # Errors
    /// As [`Count::record`], when the last of them would be the quota-th event or past it.
    #[inline]
    pub(crate) fn record_n(&self, n: u32, quota: u32) -> Result<(), Error> {
        let last = self.0.fetch_add(n, Ordering::Relaxed).saturating_add(n);
        if last < quota {
            return Ok(());
        }
        Err(reached(quota))
    }

    /// How many events were recorded.
    pub(crate) fn get(&self) -> u32 {
        self.0.load(Ordering::Relaxed)
    }
}

/// The error that ends an execution at its history quota.
#[cold]
fn reached(quota: u32) -> Error {
    Error::ending_execution(
        errors::RUNTIME,
        format!("The execution reached the maximum number of history events ({quota})."),
    )
}

impl Clone for Count {
    fn clone(&self) -> Self {
        Self(AtomicU32::new(self.get()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // AWS's "Avoid reaching the history quota": with 24,999 events recorded, the 25,000th may
    // only be `ExecutionSucceeded`; any other fails the execution (recorded AWS history: the
    // 25,000th event is `ExecutionFailed`, `States.Runtime`, this cause).
    #[test]
    fn the_quota_th_event_may_only_be_the_execution_succeeding() {
        let count = Count::default();
        for _ in 0..3 {
            count.record(EventType::TaskStarted, 5).unwrap();
        }
        let last = Count::clone(&count);
        assert_eq!(last.record(EventType::ExecutionSucceeded, 5), Ok(5));
        let e = count.record(EventType::TaskSucceeded, 5).unwrap_err();
        assert_eq!(e.name(), errors::RUNTIME);
        assert_eq!(
            e.cause(),
            "The execution reached the maximum number of history events (5)."
        );
        assert!(e.ends_execution());
    }
}
