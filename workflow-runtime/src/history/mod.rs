//! An execution's history as AWS records it: the events `GetExecutionHistory` returns,
//! numbered from 1, each pointing at the event before it on its path through the workflow,
//! and the quota on how many one execution may have.
//!
//! Each state records the events AWS records for it: its `...StateEntered` and
//! `...StateExited`; a Task's `TaskScheduled`, `TaskStarted` and outcome per attempt (the
//! `LambdaFunction...` events for a plain Lambda ARN, `Activity...` for an activity); a
//! Parallel's and a Map's `...Started` and outcome, a Map's `MapIterationStarted` and outcome
//! per item; `...StateAborted` and `MapIterationAborted` for what was running when its
//! branch or iteration was cancelled; `EvaluationFailed` after a state's entry when one of
//! its JSONata expressions failed; and the execution its `ExecutionStarted` and outcome.
//!
//! Every execution counts its events. One run with a [`Recorder`] also keeps them, with
//! their details, as [`HistoryEvent`]s in AWS's shape, and hands each to its [`Listener`]
//! as it happens; without one, nothing but the count is made ([`Recorder`] says how ids,
//! `previousEventId` and the order of concurrent branches' events are given).
//!
//! AWS fails an execution whose history reaches its quota (25,000 events, see
//! [`crate::limits`]): the last event it may record is the quota-th, and unless that one
//! is `ExecutionSucceeded` the execution fails there with `States.Runtime`, "The execution
//! reached the maximum number of history events (25000).", which no retrier or catcher sees
//! (AWS's "Avoid reaching the history quota", and its recorded behaviour).

pub(crate) mod details;
mod event;
mod recorder;

use std::sync::atomic::{AtomicU32, Ordering};

use workflow_asl::{errors, StateType};

use crate::Error;

pub use self::event::{History, HistoryEvent};
pub(crate) use self::recorder::{Abort, Cursor};
pub use self::recorder::{Listener, Recorder};

/// The type of a history event, as AWS's `HistoryEvent.type` names it ([`EventType::name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
#[allow(missing_docs)] // AWS's names say it.
pub enum EventType {
    ExecutionStarted,
    ExecutionSucceeded,
    ExecutionFailed,
    ExecutionTimedOut,
    /// `PassStateEntered`, `TaskStateEntered`, ... `FailStateEntered`.
    StateEntered(StateType),
    /// `PassStateExited`, `TaskStateExited`, ...
    StateExited(StateType),
    /// `TaskStateAborted`, `WaitStateAborted`, `ParallelStateAborted`, `MapStateAborted`: the
    /// state was running when its branch or iteration was cancelled.
    StateAborted(StateType),
    TaskScheduled,
    TaskStarted,
    TaskSucceeded,
    TaskFailed,
    TaskTimedOut,
    LambdaFunctionScheduled,
    LambdaFunctionStarted,
    LambdaFunctionSucceeded,
    LambdaFunctionFailed,
    LambdaFunctionTimedOut,
    ActivityScheduled,
    ActivityStarted,
    ActivitySucceeded,
    ActivityFailed,
    ActivityTimedOut,
    ParallelStateStarted,
    ParallelStateSucceeded,
    ParallelStateFailed,
    MapStateStarted,
    MapStateSucceeded,
    MapStateFailed,
    MapIterationStarted,
    MapIterationSucceeded,
    MapIterationFailed,
    MapIterationAborted,
    /// A JSONata expression of a state failed or gave nothing (AWS's
    /// `EvaluationFailedEventDetails`: `error`, `cause`, `location`, `state`).
    EvaluationFailed,
}

impl EventType {
    /// AWS's name of the type (`HistoryEvent.type`).
    #[must_use]
    pub fn name(self) -> &'static str {
        use StateType as S;
        match self {
            Self::ExecutionStarted => "ExecutionStarted",
            Self::ExecutionSucceeded => "ExecutionSucceeded",
            Self::ExecutionFailed => "ExecutionFailed",
            Self::ExecutionTimedOut => "ExecutionTimedOut",
            Self::StateEntered(kind) => match kind {
                S::Pass => "PassStateEntered",
                S::Task => "TaskStateEntered",
                S::Choice => "ChoiceStateEntered",
                S::Wait => "WaitStateEntered",
                S::Succeed => "SucceedStateEntered",
                S::Fail => "FailStateEntered",
                S::Parallel => "ParallelStateEntered",
                S::Map => "MapStateEntered",
            },
            Self::StateExited(kind) => match kind {
                S::Pass => "PassStateExited",
                S::Task => "TaskStateExited",
                S::Choice => "ChoiceStateExited",
                S::Wait => "WaitStateExited",
                S::Succeed => "SucceedStateExited",
                // AWS has no such event: a Fail state never exits.
                S::Fail => "FailStateExited",
                S::Parallel => "ParallelStateExited",
                S::Map => "MapStateExited",
            },
            Self::StateAborted(kind) => match kind {
                S::Wait => "WaitStateAborted",
                S::Parallel => "ParallelStateAborted",
                S::Map => "MapStateAborted",
                _ => "TaskStateAborted",
            },
            Self::TaskScheduled => "TaskScheduled",
            Self::TaskStarted => "TaskStarted",
            Self::TaskSucceeded => "TaskSucceeded",
            Self::TaskFailed => "TaskFailed",
            Self::TaskTimedOut => "TaskTimedOut",
            Self::LambdaFunctionScheduled => "LambdaFunctionScheduled",
            Self::LambdaFunctionStarted => "LambdaFunctionStarted",
            Self::LambdaFunctionSucceeded => "LambdaFunctionSucceeded",
            Self::LambdaFunctionFailed => "LambdaFunctionFailed",
            Self::LambdaFunctionTimedOut => "LambdaFunctionTimedOut",
            Self::ActivityScheduled => "ActivityScheduled",
            Self::ActivityStarted => "ActivityStarted",
            Self::ActivitySucceeded => "ActivitySucceeded",
            Self::ActivityFailed => "ActivityFailed",
            Self::ActivityTimedOut => "ActivityTimedOut",
            Self::ParallelStateStarted => "ParallelStateStarted",
            Self::ParallelStateSucceeded => "ParallelStateSucceeded",
            Self::ParallelStateFailed => "ParallelStateFailed",
            Self::MapStateStarted => "MapStateStarted",
            Self::MapStateSucceeded => "MapStateSucceeded",
            Self::MapStateFailed => "MapStateFailed",
            Self::MapIterationStarted => "MapIterationStarted",
            Self::MapIterationSucceeded => "MapIterationSucceeded",
            Self::MapIterationFailed => "MapIterationFailed",
            Self::MapIterationAborted => "MapIterationAborted",
            Self::EvaluationFailed => "EvaluationFailed",
        }
    }

    /// The field of `HistoryEvent` that holds this type's details, when it has any (AWS's API
    /// reference, `HistoryEvent`).
    #[must_use]
    pub fn details_field(self) -> Option<&'static str> {
        Some(match self {
            Self::ExecutionStarted => "executionStartedEventDetails",
            Self::ExecutionSucceeded => "executionSucceededEventDetails",
            Self::ExecutionFailed => "executionFailedEventDetails",
            Self::ExecutionTimedOut => "executionTimedOutEventDetails",
            Self::StateEntered(_) => "stateEnteredEventDetails",
            Self::StateExited(_) => "stateExitedEventDetails",
            Self::TaskScheduled => "taskScheduledEventDetails",
            Self::TaskStarted => "taskStartedEventDetails",
            Self::TaskSucceeded => "taskSucceededEventDetails",
            Self::TaskFailed => "taskFailedEventDetails",
            Self::TaskTimedOut => "taskTimedOutEventDetails",
            Self::LambdaFunctionScheduled => "lambdaFunctionScheduledEventDetails",
            Self::LambdaFunctionSucceeded => "lambdaFunctionSucceededEventDetails",
            Self::LambdaFunctionFailed => "lambdaFunctionFailedEventDetails",
            Self::LambdaFunctionTimedOut => "lambdaFunctionTimedOutEventDetails",
            Self::ActivityScheduled => "activityScheduledEventDetails",
            Self::ActivityStarted => "activityStartedEventDetails",
            Self::ActivitySucceeded => "activitySucceededEventDetails",
            Self::ActivityFailed => "activityFailedEventDetails",
            Self::ActivityTimedOut => "activityTimedOutEventDetails",
            Self::MapStateStarted => "mapStateStartedEventDetails",
            Self::MapIterationStarted => "mapIterationStartedEventDetails",
            Self::MapIterationSucceeded => "mapIterationSucceededEventDetails",
            Self::MapIterationFailed => "mapIterationFailedEventDetails",
            Self::MapIterationAborted => "mapIterationAbortedEventDetails",
            Self::EvaluationFailed => "evaluationFailedEventDetails",
            Self::StateAborted(_)
            | Self::LambdaFunctionStarted
            | Self::ParallelStateStarted
            | Self::ParallelStateSucceeded
            | Self::ParallelStateFailed
            | Self::MapStateSucceeded
            | Self::MapStateFailed => return None,
        })
    }

    /// Whether the events after this one on its path point at it: all do but those AWS
    /// records beside the path (recorded AWS histories: the event after a
    /// `MapIterationSucceeded`, `MapStateSucceeded` or `ParallelStateSucceeded` points at the
    /// event before it).
    pub(crate) fn moves_cursor(self) -> bool {
        !matches!(
            self,
            Self::ExecutionStarted
                | Self::ParallelStateSucceeded
                | Self::MapStateSucceeded
                | Self::MapIterationStarted
                | Self::MapIterationSucceeded
                | Self::MapIterationFailed
                | Self::MapIterationAborted
        )
    }
}

/// Who did a Task's work, as its resource says: which events its attempts record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Worker {
    /// A service integration, or a resource that is not an ARN: `Task...` events.
    Service,
    /// A Lambda function's ARN: `LambdaFunction...` events.
    Lambda,
    /// An activity's ARN: `Activity...` events.
    Activity,
}

impl Worker {
    /// The worker a Task's `resource` names.
    pub(crate) fn of(resource: &str) -> Self {
        match workflow_asl::Resource::of(resource) {
            workflow_asl::Resource::LambdaFunction => Self::Lambda,
            workflow_asl::Resource::Activity => Self::Activity,
            workflow_asl::Resource::Integration(_) | workflow_asl::Resource::Other => Self::Service,
        }
    }

    /// The event types of an attempt's schedule, start, success, failure and time-out.
    pub(crate) fn events(self) -> [EventType; 5] {
        use EventType as E;
        match self {
            Self::Service => [
                E::TaskScheduled,
                E::TaskStarted,
                E::TaskSucceeded,
                E::TaskFailed,
                E::TaskTimedOut,
            ],
            Self::Lambda => [
                E::LambdaFunctionScheduled,
                E::LambdaFunctionStarted,
                E::LambdaFunctionSucceeded,
                E::LambdaFunctionFailed,
                E::LambdaFunctionTimedOut,
            ],
            Self::Activity => [
                E::ActivityScheduled,
                E::ActivityStarted,
                E::ActivitySucceeded,
                E::ActivityFailed,
                E::ActivityTimedOut,
            ],
        }
    }
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

    // AWS's API reference, `HistoryEvent.type`: a Task on a Lambda function's ARN records
    // `LambdaFunction...` events, on an activity's `Activity...`, on anything else `Task...`.
    #[test]
    fn a_resource_names_its_worker() {
        let of = Worker::of;
        assert_eq!(of("arn:aws:lambda:us-east-1:1:function:f"), Worker::Lambda);
        assert_eq!(
            of("arn:aws:lambda:us-east-1:1:function:f:PROD"),
            Worker::Lambda
        );
        assert_eq!(
            of("arn:aws:states:us-east-1:1:activity:a"),
            Worker::Activity
        );
        assert_eq!(of("arn:aws:states:::lambda:invoke"), Worker::Service);
        assert_eq!(of("arn:aws:states:::aws-sdk:s3:getObject"), Worker::Service);
        assert_eq!(of("not-an-arn"), Worker::Service);
    }

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
