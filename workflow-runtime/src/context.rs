//! The execution's context object (`$$`): what paths starting with `$$` read.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

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
}

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
        }
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
        let entered_time = timestamp(entered);
        json!({
            "Execution": {"Id": self.id(), "Name": self.name(), "StartTime": timestamp(self.started), "Input": self.input},
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
    timestamp(SystemTime::now())
}

/// `time` as an ASL timestamp.
#[must_use]
pub fn timestamp(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    iso8601(since.as_secs(), since.subsec_millis())
}

/// `YYYY-MM-DDThh:mm:ss.mmmZ` for a time in seconds since the Unix epoch (UTC).
fn iso8601(secs: u64, millis: u32) -> String {
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    // Days since 1970 fit an i64 for any time a SystemTime can hold.
    let z = i64::try_from(days).unwrap_or(i64::MAX - 719_468) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_timestamps() {
        assert_eq!(iso8601(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(951_782_400, 5), "2000-02-29T00:00:00.005Z");
        assert_eq!(iso8601(1_795_305_599, 999), "2026-11-21T23:59:59.999Z");
    }

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
