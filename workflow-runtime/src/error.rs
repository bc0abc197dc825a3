//! ASL errors: a name that `Retry` and `Catch` match on, and a human-readable cause.

use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt;

use serde_json::{json, Value};

/// Error names this crate raises itself. They are outside the `States.` prefix, which ASL
/// reserves for its own names; `States.ALL` and `States.TaskFailed` match all of them.
pub mod names {
    /// A task panicked. The cause is the panic message.
    pub const TASK_PANICKED: &str = "Workflow.TaskPanicked";
    /// A task's input did not deserialize into the handler's input type.
    pub const INVALID_TASK_INPUT: &str = "Workflow.InvalidTaskInput";
    /// A task's output did not serialize to JSON.
    pub const INVALID_TASK_OUTPUT: &str = "Workflow.InvalidTaskOutput";
    /// A quorum Parallel can no longer be met: too many branches failed. The cause is the
    /// quorum report as JSON.
    pub const QUORUM_IMPOSSIBLE: &str = "Workflow.QuorumImpossible";
    /// A quorum read from a path is not a whole number from 1 to the number of branches.
    pub const INVALID_QUORUM: &str = "Workflow.InvalidQuorum";
    /// An interpreted Task state has no handler: none was registered for its name or its
    /// resource. Like `States.Runtime`, it is not retried or caught: it is a setup mistake.
    pub const NO_HANDLER: &str = "Workflow.NoHandler";
    /// A typed `run`'s input did not serialize to JSON.
    pub const INVALID_EXECUTION_INPUT: &str = "Workflow.InvalidExecutionInput";
    /// An execution's output did not deserialize into the workflow's declared `output` type.
    pub const INVALID_EXECUTION_OUTPUT: &str = "Workflow.InvalidExecutionOutput";
}

/// An ASL error: what a failed state reports, and what `Retry` and `Catch` match.
///
/// Its JSON form, the output of a caught error and of a failed execution, is
/// `{"Error": name, "Cause": cause}`. An error that failed a state also says where: the
/// state ([`Error::state`]) and, when a Task's handler raised it, the handler
/// ([`Error::handler`]). That is for people reading it; ASL never sees it, and two errors
/// with the same name and cause are equal wherever they arose.
#[derive(Debug, Clone)]
pub struct Error {
    name: Cow<'static, str>,
    // Boxed, as the detail is: an `Error` stays as small as a name and a `String`, so that
    // every `Result` a state returns stays small.
    cause: Box<str>,
    detail: Option<Box<Detail>>,
}

/// What few errors carry: where the error arose (the innermost state it failed, and the
/// handler that raised it), and what may handle it when that is not its name's rule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Detail {
    state: Option<String>,
    handler: Option<&'static str>,
    reach: Reach,
    /// The error has no name at all (`null`), as a Fail state without `Error` gives.
    unnamed: bool,
    /// Where in its state the JSONata expression that gave it is (`Output/total`), until
    /// its `EvaluationFailed` event is recorded.
    evaluated: Option<Box<str>>,
}

/// Which `ErrorEquals` entries match an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Reach {
    /// Its name's rule ([`matches`]).
    #[default]
    ByName,
    /// Its name's rule, and `States.ALL` too: `States.DataLimitExceeded` for a Task's result
    /// past the payload quota, which AWS's recorded behaviour shows a `States.ALL` catcher
    /// catching.
    AlsoAll,
    /// None: the error ends the execution, whatever retriers and catchers say (the history
    /// quota reached).
    Nothing,
}

/// The longest cause AWS keeps, in characters: the `cause` of the Step Functions API's error
/// details (`ExecutionFailedEventDetails`, `SendTaskFailure`...) is at most 32,768 long. A
/// longer cause is cut there.
pub const MAX_CAUSE_CHARS: usize = 32_768;

/// `cause`, cut after [`MAX_CAUSE_CHARS`] characters.
fn bounded(mut cause: String) -> Box<str> {
    // Bytes first: a cause of at most that many bytes has at most that many characters.
    if cause.len() > MAX_CAUSE_CHARS {
        if let Some((end, _)) = cause.char_indices().nth(MAX_CAUSE_CHARS) {
            cause.truncate(end);
        }
    }
    cause.into_boxed_str()
}

impl Error {
    /// An error called `name` (matched by `error_equals`) with a human-readable `cause`.
    pub fn new(name: impl Into<Cow<'static, str>>, cause: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            cause: bounded(cause.into()),
            detail: None,
        }
    }

    /// An error that ends the execution: no retrier retries it and no catcher catches it,
    /// whatever their `ErrorEquals` say. AWS ends an execution so when it reaches its history
    /// quota, and when an `InputPath` or `OutputPath` matches nothing.
    pub fn ending_execution(name: impl Into<Cow<'static, str>>, cause: impl Into<String>) -> Self {
        Self::new(name, cause).reaching(Reach::Nothing)
    }

    /// An error with no name (`null` in its JSON, where [`Error::name`] is empty), with a
    /// `cause`: what a Fail state without `Error` fails with, as AWS does (issue 15).
    pub fn unnamed(cause: impl Into<String>) -> Self {
        let mut error = Self::new("", cause);
        error.detail.get_or_insert_with(Box::default).unnamed = true;
        error
    }

    /// Whether the error has no name ([`Error::unnamed`]).
    #[must_use]
    pub fn is_unnamed(&self) -> bool {
        self.detail.as_deref().is_some_and(|d| d.unnamed)
    }

    /// The error, matched by `States.ALL` too, whatever its name.
    pub(crate) fn also_matched_by_all(self) -> Self {
        self.reaching(Reach::AlsoAll)
    }

    fn reaching(mut self, reach: Reach) -> Self {
        self.detail.get_or_insert_with(Box::default).reach = reach;
        self
    }

    fn reach(&self) -> Reach {
        self.detail.as_deref().map_or(Reach::ByName, |d| d.reach)
    }

    /// Whether the error ends its execution whatever retriers and catchers say
    /// ([`Error::ending_execution`]).
    #[must_use]
    pub fn ends_execution(&self) -> bool {
        self.reach() == Reach::Nothing
    }

    /// Whether an `ErrorEquals` list matches this error: by [`matches()`] on its name, except
    /// for the few errors whose reach AWS decides otherwise.
    #[must_use]
    pub fn is_matched_by<S: AsRef<str>>(&self, error_equals: &[S]) -> bool {
        match self.reach() {
            Reach::Nothing => false,
            Reach::ByName => any_matches(error_equals, &self.name),
            Reach::AlsoAll => {
                any_matches(error_equals, &self.name)
                    || error_equals
                        .iter()
                        .any(|p| p.as_ref() == workflow_asl::errors::ALL)
            }
        }
    }

    /// The error's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The error's cause.
    #[must_use]
    pub fn cause(&self) -> &str {
        &self.cause
    }

    /// The state the error failed: the innermost one, inside branches and item processors
    /// (`None` for an error that did not come out of a state).
    #[must_use]
    pub fn state(&self) -> Option<&str> {
        self.detail.as_deref().and_then(|d| d.state.as_deref())
    }

    /// The handler that raised the error, when a Task's handler did: its Rust path, such as
    /// `orders::charge_card`.
    #[must_use]
    pub fn handler(&self) -> Option<&str> {
        self.detail.as_deref().and_then(|d| d.handler)
    }

    /// The error, as failing the state `state`, unless it already names a state further in.
    #[must_use]
    pub fn in_state(self, state: &str) -> Self {
        self.located(state, None)
    }

    /// The error, as raised by `handler` in the Task state `state`, unless it already names
    /// where it arose.
    #[must_use]
    pub fn in_handler(self, state: &str, handler: &'static str) -> Self {
        self.located(state, Some(handler))
    }

    /// The error, as given by the JSONata expression at `location` in its state (`Output`,
    /// `Assign/rate`...): its state's failure records AWS's `EvaluationFailed` event.
    #[cfg_attr(not(feature = "jsonata"), allow(dead_code))]
    pub(crate) fn evaluated_at(mut self, location: String) -> Self {
        self.detail.get_or_insert_with(Box::default).evaluated = Some(location.into());
        self
    }

    /// Where the JSONata expression that gave the error is, taken: its `EvaluationFailed`
    /// event is recorded once.
    pub(crate) fn take_evaluation(&mut self) -> Option<Box<str>> {
        self.detail.as_deref_mut().and_then(|d| d.evaluated.take())
    }

    /// The error with `cause` in place of its cause, and all else kept.
    pub(crate) fn with_cause(mut self, cause: String) -> Self {
        self.cause = bounded(cause);
        self
    }

    fn located(mut self, state: &str, handler: Option<&'static str>) -> Self {
        let detail = self.detail.get_or_insert_with(Box::default);
        if detail.state.is_none() {
            detail.state = Some(state.to_owned());
            detail.handler = handler;
        }
        self
    }

    /// `{"Error": name, "Cause": cause}`, the error output ASL defines.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let name = if self.is_unnamed() {
            Value::Null
        } else {
            Value::from(&*self.name)
        };
        json!({"Error": name, "Cause": self.cause})
    }
}

/// Errors are equal when their ASL name and cause are: where they arose is not part of them.
impl PartialEq for Error {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.cause == other.cause
    }
}

impl Eq for Error {}

/// `Name: cause`, then where the error arose: `(state `Charge`, handler `orders::charge`)`.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_unnamed() {
            f.write_str("(an error with no name)")?;
        } else {
            f.write_str(&self.name)?;
        }
        if !self.cause.is_empty() {
            write!(f, ": {}", self.cause)?;
        }
        match (self.state(), self.handler()) {
            (Some(state), Some(handler)) => write!(f, " (state `{state}`, handler `{handler}`)"),
            (Some(state), None) => write!(f, " (state `{state}`)"),
            _ => Ok(()),
        }
    }
}

impl std::error::Error for Error {}

/// The error type of a Task handler: anything that can say which ASL error it is.
///
/// Implement it for your own error enum to name each variant; `Retry` and `Catch` then match
/// those names.
///
/// ```
/// use workflow_runtime::{Error, TaskError};
///
/// enum PaymentError { Declined(String), GatewayDown }
///
/// impl TaskError for PaymentError {
///     fn into_error(self) -> Error {
///         match self {
///             PaymentError::Declined(why) => Error::new("PaymentDeclined", why),
///             PaymentError::GatewayDown => Error::new("GatewayUnavailable", "the gateway did not answer"),
///         }
///     }
/// }
///
/// let error = PaymentError::Declined("over the limit".into()).into_error();
/// assert_eq!((error.name(), error.cause()), ("PaymentDeclined", "over the limit"));
/// # let _ = PaymentError::GatewayDown;
/// ```
///
/// Plain messages (`String`, `&str`, boxed errors, `std::io::Error`) become `States.TaskFailed`
/// with the message as the cause.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the error type of a Task handler",
    label = "this error type has no ASL error name",
    note = "implement `TaskError` for `{Self}` to say which ASL error name each value stands for, or return `sfn_workflow::Error` (a name and a cause) directly"
)]
pub trait TaskError {
    /// The ASL error this value stands for.
    fn into_error(self) -> Error;
}

impl TaskError for Error {
    fn into_error(self) -> Error {
        self
    }
}

impl TaskError for Infallible {
    fn into_error(self) -> Error {
        match self {}
    }
}

impl TaskError for String {
    fn into_error(self) -> Error {
        Error::new(workflow_asl::errors::TASK_FAILED, self)
    }
}

impl TaskError for &str {
    fn into_error(self) -> Error {
        Error::new(workflow_asl::errors::TASK_FAILED, self)
    }
}

impl TaskError for Box<dyn std::error::Error + Send + Sync> {
    fn into_error(self) -> Error {
        Error::new(workflow_asl::errors::TASK_FAILED, self.to_string())
    }
}

impl TaskError for std::io::Error {
    fn into_error(self) -> Error {
        Error::new(workflow_asl::errors::TASK_FAILED, self.to_string())
    }
}

/// Whether one `ErrorEquals` entry (`pattern`) matches an error called `error`.
///
/// An exact name matches itself. `States.ALL` matches every error but `States.Runtime` and
/// `States.DataLimitExceeded`, and `States.TaskFailed` matches every error but
/// `States.Timeout` (and, being a wildcard too, not the two terminal ones).
#[must_use]
pub fn matches(pattern: &str, error: &str) -> bool {
    use workflow_asl::errors::{ALL, DATA_LIMIT_EXCEEDED, RUNTIME, TASK_FAILED, TIMEOUT};
    if pattern == error {
        return true;
    }
    let terminal = error == RUNTIME || error == DATA_LIMIT_EXCEEDED;
    match pattern {
        ALL => !terminal,
        TASK_FAILED => !terminal && error != TIMEOUT,
        _ => false,
    }
}

/// Whether any entry of an `ErrorEquals` list matches `error`.
#[must_use]
pub fn any_matches<S: AsRef<str>>(error_equals: &[S], error: &str) -> bool {
    error_equals.iter().any(|p| matches(p.as_ref(), error))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Issue 15: a Fail state without `Error` fails with no error name: `null` in its JSON,
    // and said so in its message rather than as an empty name.
    #[test]
    fn an_unnamed_error_is_null_in_json_and_says_so() {
        let e = Error::unnamed("why").in_state("F");
        assert_eq!(e.to_json(), json!({"Error": null, "Cause": "why"}));
        assert_eq!(e.to_string(), "(an error with no name): why (state `F`)");
        assert!(e.is_unnamed() && !Error::new("E", "").is_unnamed());
    }

    #[test]
    fn error_output_is_asl_shaped() {
        let e = Error::new("PaymentDeclined", "card expired");
        assert_eq!(
            e.to_json(),
            json!({"Error": "PaymentDeclined", "Cause": "card expired"})
        );
        assert_eq!(e.to_string(), "PaymentDeclined: card expired");
    }

    #[test]
    fn plain_messages_are_task_failures() {
        assert_eq!("boom".into_error().name(), "States.TaskFailed");
        assert_eq!(String::from("boom").into_error().cause(), "boom");
    }

    mod matching {
        use super::super::{any_matches, matches};
        use workflow_asl::errors::{
            ALL, DATA_LIMIT_EXCEEDED, HEARTBEAT_TIMEOUT, RUNTIME, TASK_FAILED, TIMEOUT,
        };

        #[test]
        fn exact_names_match_themselves_only() {
            assert!(matches("PaymentDeclined", "PaymentDeclined"));
            assert!(!matches("PaymentDeclined", "Payment"));
            assert!(matches(TIMEOUT, TIMEOUT));
        }

        #[test]
        fn all_matches_everything_but_terminal_errors() {
            assert!(matches(ALL, "MyError"));
            assert!(matches(ALL, TIMEOUT));
            assert!(!matches(ALL, RUNTIME));
            assert!(!matches(ALL, DATA_LIMIT_EXCEEDED));
        }

        #[test]
        fn task_failed_matches_everything_but_timeout() {
            assert!(matches(TASK_FAILED, "MyError"));
            assert!(matches(TASK_FAILED, HEARTBEAT_TIMEOUT));
            assert!(!matches(TASK_FAILED, TIMEOUT));
            assert!(!matches(TASK_FAILED, RUNTIME));
        }

        #[test]
        fn lists_match_when_any_entry_does() {
            assert!(any_matches(&["A", "B"], "B"));
            assert!(!any_matches(&["A", "B"], "C"));
            assert!(!any_matches::<&str>(&[], "C"));
        }
    }
}
