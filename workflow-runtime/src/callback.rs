//! Callbacks: a Task whose resource ends in `.waitForTaskToken` calls its service (its
//! handler) with a task token, then waits until someone sends the task's success, failure or
//! heartbeat with that token.
//!
//! As the AWS Step Functions developer guide's "Wait for a Callback with Task Token" and the
//! API reference's `SendTaskSuccess`, `SendTaskFailure` and `SendTaskHeartbeat` describe it:
//!
//! - Each attempt gets its own token, `$$.Task.Token` in the state's context object, which
//!   the `Parameters` pass on (`"token.$": "$$.Task.Token"`); a handler that takes a
//!   `TaskContext` reads it with `TaskContext::task_token` too.
//! - The handler stands for the service call that hands the token on (a message sent, a
//!   function invoked, for `lambda:invoke.waitForTaskToken` with the `Payload` parameter):
//!   its error fails the attempt, and its output is dropped.
//! - The Task's result is the output [`Callbacks::send_success`] sends; a
//!   [`Callbacks::send_failure`] fails it with that error and cause, which `Retry` and `Catch`
//!   see as any other.
//! - `HeartbeatSeconds` is the longest silence between [`Callbacks::send_heartbeat`]s (or
//!   the handler's `TaskContext::heartbeat`s), past which the Task fails with
//!   `States.HeartbeatTimeout`; `TimeoutSeconds` bounds the whole wait (`States.Timeout`).
//!   Without `TimeoutSeconds` a Task waits as long as its execution may run on AWS, a year
//!   ([`LONGEST_WAIT`]): on a paused clock, a wait nobody answers ends at once.
//! - A token is good only while its attempt waits: after the answer, a time-out, a retry or
//!   the end of the execution, sending with it fails with [`CallbackError::TaskDoesNotExist`]
//!   (AWS says `TaskTimedOut` for a timed-out one).
//!
//! [`Callbacks`] is where an application answers: give one to a run with
//! [`crate::RunOptions::callbacks`] and keep a clone wherever the answer comes from (an HTTP
//! handler, another tokio task). A run given none has its own, reachable through the
//! handler's `TaskContext::callback`.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use serde_json::Value;
use tokio::sync::oneshot;

use crate::Error;

/// The longest a Task waits for a callback when nothing else bounds it: a year, the most a
/// Standard workflow's execution runs on AWS. On a paused clock a wait nobody answers then
/// ends at once, with `States.Timeout`, rather than never.
pub const LONGEST_WAIT: std::time::Duration = std::time::Duration::from_secs(365 * 24 * 3600);

/// The longest output `SendTaskSuccess` takes, in bytes (the API reference: `output` is at
/// most 262,144 bytes long).
pub const MAX_OUTPUT_BYTES: usize = 262_144;

/// The Tasks waiting for a callback, by token, and the way to answer them: cheap to clone,
/// every clone the same registry.
#[derive(Clone, Default)]
pub struct Callbacks {
    waiting: Arc<Mutex<HashMap<Arc<str>, Waiting>>>,
}

/// When an attempt last sent a heartbeat: the cell its context shares with its watchdog.
pub(crate) type Beat = Arc<Mutex<tokio::time::Instant>>;

/// One waiting attempt: where its answer goes, and when it last sent a heartbeat.
struct Waiting {
    answer: oneshot::Sender<Result<Value, Error>>,
    beat: Beat,
}

/// Two handles are equal when they are the same registry.
impl PartialEq for Callbacks {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.waiting, &other.waiting)
    }
}

impl Eq for Callbacks {}

impl fmt::Debug for Callbacks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Callbacks")
            .field("waiting", &self.waiting().len())
            .finish()
    }
}

/// Why a callback was not delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallbackError {
    /// No Task waits with this token (it never did, or it was answered, timed out or ended).
    TaskDoesNotExist(String),
    /// The output of a success is not what `SendTaskSuccess` takes.
    InvalidOutput(String),
}

impl fmt::Display for CallbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TaskDoesNotExist(token) => {
                write!(
                    f,
                    "TaskDoesNotExist: no Task waits with the token `{token}`"
                )
            }
            Self::InvalidOutput(why) => write!(f, "InvalidOutput: {why}"),
        }
    }
}

impl std::error::Error for CallbackError {}

impl Callbacks {
    /// An empty registry.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The tokens of the Tasks waiting now, in no particular order.
    #[must_use]
    pub fn waiting(&self) -> Vec<String> {
        self.lock().keys().map(ToString::to_string).collect()
    }

    /// Ends the wait of the Task holding `token` with `output` as its result
    /// (`SendTaskSuccess`).
    ///
    /// # Errors
    /// [`CallbackError::TaskDoesNotExist`] when no Task waits with `token`;
    /// [`CallbackError::InvalidOutput`] for an output past 262,144 bytes of JSON.
    pub fn send_success(&self, token: &str, output: Value) -> Result<(), CallbackError> {
        let size = serde_json::to_string(&output).map_or(0, |text| text.len());
        if size > MAX_OUTPUT_BYTES {
            return Err(CallbackError::InvalidOutput(format!(
                "the output is {size} bytes of JSON; SendTaskSuccess takes at most {MAX_OUTPUT_BYTES}"
            )));
        }
        self.answer(token, Ok(output))
    }

    /// Fails the Task holding `token` with `error` and `cause` (`SendTaskFailure`): its
    /// `Retry` and `Catch` see them as any error.
    ///
    /// # Errors
    /// [`CallbackError::TaskDoesNotExist`] when no Task waits with `token`.
    pub fn send_failure(&self, token: &str, error: &str, cause: &str) -> Result<(), CallbackError> {
        self.answer(token, Err(Error::new(error.to_owned(), cause)))
    }

    /// Tells the Task holding `token` that its work goes on (`SendTaskHeartbeat`), so that
    /// its `HeartbeatSeconds` start over.
    ///
    /// # Errors
    /// [`CallbackError::TaskDoesNotExist`] when no Task waits with `token`.
    pub fn send_heartbeat(&self, token: &str) -> Result<(), CallbackError> {
        let waiting = self.lock();
        let entry = waiting
            .get(token)
            .ok_or_else(|| CallbackError::TaskDoesNotExist(token.to_owned()))?;
        *entry.beat.lock().unwrap_or_else(PoisonError::into_inner) = tokio::time::Instant::now();
        Ok(())
    }

    fn answer(&self, token: &str, answer: Result<Value, Error>) -> Result<(), CallbackError> {
        let entry = self
            .lock()
            .remove(token)
            .ok_or_else(|| CallbackError::TaskDoesNotExist(token.to_owned()))?;
        // The attempt may have ended between the removal and now: then nobody waits.
        entry
            .answer
            .send(answer)
            .map_err(|_| CallbackError::TaskDoesNotExist(token.to_owned()))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Arc<str>, Waiting>> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers an attempt holding `token`, whose heartbeats go to `beat`: the answer,
    /// when it comes. Dropping the wait (the attempt ended some other way) forgets the token.
    pub(crate) fn wait(&self, token: Arc<str>, beat: Beat) -> Wait {
        let (answer, answered) = oneshot::channel();
        self.lock()
            .insert(Arc::clone(&token), Waiting { answer, beat });
        Wait {
            registry: self.clone(),
            token,
            answered,
        }
    }
}

/// The task token of one attempt of a Task that waits for a callback, and the registry that
/// answers it: a handle the handler can keep or hand to whatever will answer (another tokio
/// task, a queue consumer). The module says how the wait works.
#[derive(Debug, Clone)]
pub struct Callback {
    callbacks: Callbacks,
    token: Arc<str>,
}

impl Callback {
    pub(crate) fn new(callbacks: Callbacks, token: Arc<str>) -> Self {
        Self { callbacks, token }
    }

    /// The task token (`$$.Task.Token`).
    #[must_use]
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The registry the token belongs to.
    #[must_use]
    pub fn callbacks(&self) -> &Callbacks {
        &self.callbacks
    }

    /// Sends the Task's success with `output` as its result (`SendTaskSuccess`).
    ///
    /// # Errors
    /// As [`Callbacks::send_success`].
    pub fn success(&self, output: Value) -> Result<(), CallbackError> {
        self.callbacks.send_success(&self.token, output)
    }

    /// Fails the Task with `error` and `cause` (`SendTaskFailure`).
    ///
    /// # Errors
    /// As [`Callbacks::send_failure`].
    pub fn failure(&self, error: &str, cause: &str) -> Result<(), CallbackError> {
        self.callbacks.send_failure(&self.token, error, cause)
    }

    /// Tells the Task its work goes on (`SendTaskHeartbeat`).
    ///
    /// # Errors
    /// As [`Callbacks::send_heartbeat`].
    pub fn heartbeat(&self) -> Result<(), CallbackError> {
        self.callbacks.send_heartbeat(&self.token)
    }
}

/// A new task token: opaque, and unique to one attempt.
pub(crate) fn new_token() -> Arc<str> {
    let a = uuid::Uuid::new_v4();
    let b = uuid::Uuid::new_v4();
    Arc::from(format!("{}{}", a.simple(), b.simple()))
}

/// The answer to one waiting attempt.
#[derive(Debug)]
pub(crate) struct Wait {
    registry: Callbacks,
    token: Arc<str>,
    answered: oneshot::Receiver<Result<Value, Error>>,
}

impl Wait {
    /// The answer, or `States.Timeout` after [`LONGEST_WAIT`].
    pub(crate) async fn at_most_a_year(self) -> Result<Value, Error> {
        tokio::time::timeout(LONGEST_WAIT, self)
            .await
            .unwrap_or_else(|_| {
                Err(Error::new(
                    workflow_asl::errors::TIMEOUT,
                    "no callback came within a year, the longest an execution runs",
                ))
            })
    }
}

impl Future for Wait {
    type Output = Result<Value, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.answered).poll(cx).map(|answer| {
            // The registry keeps the sender while the token waits, so a closed channel
            // means the registry was dropped: nobody can answer any more.
            answer.unwrap_or_else(|_| {
                Err(Error::new(
                    workflow_asl::errors::RUNTIME,
                    "the callbacks registry was dropped while a Task waited on it",
                ))
            })
        })
    }
}

impl Drop for Wait {
    fn drop(&mut self) {
        self.registry.lock().remove(&self.token);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn beat() -> Beat {
        Arc::new(Mutex::new(tokio::time::Instant::now()))
    }

    // `SendTaskSuccess`: the output becomes the result; the token is then spent.
    #[tokio::test]
    async fn a_success_ends_the_wait_once() {
        let callbacks = Callbacks::new();
        let wait = callbacks.wait(Arc::from("t1"), beat());
        assert_eq!(callbacks.waiting(), ["t1"]);
        callbacks
            .send_success("t1", json!({"approved": true}))
            .unwrap();
        assert_eq!(wait.await, Ok(json!({"approved": true})));
        assert_eq!(
            callbacks.send_success("t1", json!(1)),
            Err(CallbackError::TaskDoesNotExist("t1".into()))
        );
    }

    // `SendTaskFailure`: the error and cause fail the Task; a dropped wait forgets its token.
    #[tokio::test]
    async fn a_failure_fails_the_wait_and_a_dropped_wait_forgets_its_token() {
        let callbacks = Callbacks::new();
        let wait = callbacks.wait(Arc::from("t2"), beat());
        callbacks
            .send_failure("t2", "Rejected", "no budget")
            .unwrap();
        assert_eq!(wait.await, Err(Error::new("Rejected", "no budget")));
        let wait = callbacks.wait(Arc::from("t3"), beat());
        drop(wait);
        assert!(callbacks.waiting().is_empty());
        assert!(callbacks.send_heartbeat("t3").is_err());
        // The API reference: `output` is at most 262,144 bytes.
        let _wait = callbacks.wait(Arc::from("t4"), beat());
        let big = json!("x".repeat(MAX_OUTPUT_BYTES));
        assert!(matches!(
            callbacks.send_success("t4", big),
            Err(CallbackError::InvalidOutput(_))
        ));
        assert_ne!(new_token(), new_token());
    }
}
