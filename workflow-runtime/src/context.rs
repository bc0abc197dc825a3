//! The execution's context object (`$$`): what paths starting with `$$` read.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use workflow_asl::timestamp;

use serde_json::{json, Value};

/// One execution of a workflow: its identity, start time and input.
///
/// Generated code makes one per `run` and hands it to every state; `$$.Execution.Input` and
/// the other `$$` paths read it. Its names and times are formatted on first use: a run that
/// reads no `$$` path never pays for them.
#[derive(Debug, Clone)]
pub struct Execution {
    workflow: Cow<'static, str>,
    number: u64,
    started: SystemTime,
    id: OnceLock<String>,
    input: Value,
    /// How many times each state's Task has run in this execution, made on first use (only
    /// mocked responses count them): it ends with the execution.
    visits: OnceLock<Visits>,
}

/// Task runs per state name, shared by an execution's task contexts.
pub(crate) type Visits = std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, u64>>>;

/// This process's id, asked of the system once.
fn process_id() -> u32 {
    static ID: OnceLock<u32> = OnceLock::new();
    *ID.get_or_init(std::process::id)
}

impl Execution {
    /// A new execution of the workflow called `workflow` on `input`, named uniquely within
    /// this process.
    #[must_use]
    pub fn new(workflow: &str, input: &Value) -> Self {
        Self::named(Cow::Owned(workflow.to_owned()), input)
    }

    /// [`Execution::new`] for a workflow whose name is a literal, as generated code's are:
    /// the name is not copied. `input` is `None` when nothing in the workflow can read the
    /// context object (no `$$` path, no handler that takes a `TaskContext`): the input is then
    /// not copied either, and `$$.Execution.Input` would read `null`.
    #[must_use]
    pub fn of(workflow: &'static str, input: Option<&Value>) -> Self {
        Self::named(Cow::Borrowed(workflow), input.unwrap_or(&Value::Null))
    }

    fn named(workflow: Cow<'static, str>, input: &Value) -> Self {
        static COUNT: AtomicU64 = AtomicU64::new(0);
        Self {
            workflow,
            number: COUNT.fetch_add(1, Ordering::Relaxed),
            started: SystemTime::now(),
            id: OnceLock::new(),
            input: input.clone(),
            visits: OnceLock::new(),
        }
    }

    /// The execution's count of Task runs per state, made on first use.
    pub(crate) fn visits(&self) -> Visits {
        std::sync::Arc::clone(self.visits.get_or_init(Visits::default))
    }

    /// The execution's name: unique within this process.
    fn name(&self) -> String {
        let millis = self
            .started
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis();
        format!("{}-{millis}-{}", process_id(), self.number)
    }

    /// The execution's input.
    #[must_use]
    pub fn input(&self) -> &Value {
        &self.input
    }

    /// The execution's id (an ARN-shaped string).
    #[must_use]
    pub fn id(&self) -> &str {
        self.id.get_or_init(|| {
            format!(
                "arn:aws:states:local:000000000000:execution:{}:{}",
                self.workflow,
                self.name()
            )
        })
    }

    /// The `tracing` span of this execution, `execution{workflow=.. execution=..}`, in which
    /// every state's span and event is recorded, so that concurrent executions' lines can be
    /// told apart. Its fields are formatted only when a subscriber wants the span.
    #[must_use]
    pub fn span(&self) -> tracing::Span {
        tracing::info_span!(
            "execution",
            workflow = %self.workflow,
            execution = %self.name_in_id()
        )
    }

    /// The execution's name, as its id ends.
    fn name_in_id(&self) -> &str {
        self.id().rsplit(':').next().unwrap_or_default()
    }

    /// The context object as a state called `state`, entered just now, sees it on its first
    /// attempt.
    #[must_use]
    pub fn context_object(&self, state: &str) -> Value {
        self.context_object_at(state, SystemTime::now(), 0)
    }

    /// The context object as a state called `state`, entered at `entered`, sees it after
    /// `retry_count` retries. It is made only when something reads it: states keep the
    /// entry time as a `SystemTime` and format it here.
    #[must_use]
    pub fn context_object_at(&self, state: &str, entered: SystemTime, retry_count: u32) -> Value {
        let entered_time = timestamp::format(entered);
        json!({
            "Execution": {"Id": self.id(), "Name": self.name(), "StartTime": timestamp::format(self.started), "Input": self.input},
            "StateMachine": {
                "Id": format!("arn:aws:states:local:000000000000:stateMachine:{}", self.workflow),
                "Name": self.workflow,
            },
            "State": {"Name": state, "EnteredTime": entered_time, "RetryCount": retry_count},
        })
    }
}

/// The current time as an ASL timestamp.
#[must_use]
pub fn now() -> String {
    timestamp::format(SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_context_object_carries_the_execution_input_and_state_name() {
        let e = Execution::new("Demo", &json!({"quorum": 2}));
        let c = e.context_object("Fan");
        assert_eq!(c["Execution"]["Input"]["quorum"], json!(2));
        assert_eq!(c["State"]["Name"], json!("Fan"));
        assert_eq!(c["StateMachine"]["Name"], json!("Demo"));
        assert_ne!(Execution::new("Demo", &json!({})).id(), e.id());
    }
}
