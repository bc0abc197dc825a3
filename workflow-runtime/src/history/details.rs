//! The details of each event type, as AWS's API reference names their fields (the
//! `...EventDetails` types). Made only when an execution is recorded.

use std::time::Duration;

use serde_json::{Map, Value};

use super::Worker;
use crate::Error;

/// The longest input or output text an event holds: AWS's `...EventDetails` fields are at
/// most 262,144 bytes, and a longer one is cut there with its `...Details.truncated` set.
pub(crate) const MAX_DATA_BYTES: usize = 262_144;

/// The region the events name: the one of the execution's local ARN.
pub(crate) const REGION: &str = "local";

/// `value` as the JSON text an event holds.
pub(crate) fn text(value: &Value) -> String {
    value.to_string()
}

/// A Rust value's JSON text as an event holds it: through `serde_json::Value`, so that its
/// keys come in the same order as a JSON value's (a handler's output reads the same whether
/// the workflow is generated code or interpreted).
pub(crate) fn typed_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .map(|value| value.to_string())
        .unwrap_or_default()
}

/// Inserts `text` as `field` (`input` or `output`) with its `inputDetails` or
/// `outputDetails` (`{"truncated": ...}`).
fn data(details: &mut Map<String, Value>, field: &str, text: &str) {
    let truncated = text.len() > MAX_DATA_BYTES;
    let kept = if truncated {
        let mut end = MAX_DATA_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        &text[..end]
    } else {
        text
    };
    let details_field = match field {
        "input" => "inputDetails",
        _ => "outputDetails",
    };
    details.insert(field.into(), kept.into());
    let mut flag = Map::new();
    flag.insert("truncated".into(), truncated.into());
    details.insert(details_field.into(), Value::Object(flag));
}

fn one(field: &str, value: impl Into<Value>) -> Map<String, Value> {
    let mut details = Map::new();
    details.insert(field.into(), value.into());
    details
}

/// `stateEnteredEventDetails`: the state's name and raw input.
pub(crate) fn entered(name: &str, input: &str) -> Map<String, Value> {
    let mut details = one("name", name);
    data(&mut details, "input", input);
    details
}

/// `stateExitedEventDetails`: the state's name and output.
pub(crate) fn exited(name: &str, output: &str) -> Map<String, Value> {
    let mut details = one("name", name);
    data(&mut details, "output", output);
    details
}

/// A `...StateExited`'s `assignedVariables` (each variable's value as JSON text) and
/// `assignedVariablesDetails`, added to its `details`.
pub(crate) fn assigned(details: &mut Map<String, Value>, assigned: &Map<String, Value>) {
    let texts: Map<String, Value> = assigned
        .iter()
        .map(|(name, value)| (name.clone(), Value::String(text(value))))
        .collect();
    details.insert("assignedVariables".into(), Value::Object(texts));
    details.insert(
        "assignedVariablesDetails".into(),
        serde_json::json!({"truncated": false}),
    );
}

/// `executionStartedEventDetails`: the execution's input.
pub(crate) fn execution_started(input: &str) -> Map<String, Value> {
    let mut details = Map::new();
    data(&mut details, "input", input);
    details
}

/// `executionSucceededEventDetails`, and the output of a Lambda function or activity.
pub(crate) fn output(output: &str) -> Map<String, Value> {
    let mut details = Map::new();
    data(&mut details, "output", output);
    details
}

/// The `error` and `cause` of a failure (`cause` left out when empty, as AWS does).
pub(crate) fn failure(error: &Error) -> Map<String, Value> {
    // An unnamed error (a Fail state without `Error`) has no `error`, as AWS gives it.
    let mut details = Map::new();
    if !error.is_unnamed() {
        details.insert("error".into(), error.name().into());
    }
    if !error.cause().is_empty() {
        details.insert("cause".into(), error.cause().into());
    }
    details
}

/// `evaluationFailedEventDetails`: the error a JSONata expression of the state called `state`
/// gave, and where in the state the expression is (`location`: `Output/result`).
pub(crate) fn evaluation_failed(error: &Error, location: &str, state: &str) -> Map<String, Value> {
    let mut details = failure(error);
    details.insert("location".into(), location.into());
    details.insert("state".into(), state.into());
    details
}

/// `mapStateStartedEventDetails`: how many items the Map has.
pub(crate) fn map_started(length: usize) -> Map<String, Value> {
    one("length", length)
}

/// `mapIteration...EventDetails`: the Map state's name and the item's index.
pub(crate) fn iteration(name: &str, index: usize) -> Map<String, Value> {
    let mut details = one("name", name);
    details.insert("index".into(), index.into());
    details
}

/// What a Task's attempt events say of its work.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Work<'a> {
    /// The Task's `Resource`.
    pub(crate) resource: &'a str,
    /// Its `TimeoutSeconds`, if any.
    pub(crate) timeout: Option<Duration>,
    /// Its `HeartbeatSeconds`, if any.
    pub(crate) heartbeat: Option<Duration>,
}

impl Work<'_> {
    /// Who does the work: which events its attempts record.
    pub(crate) fn worker(&self) -> Worker {
        Worker::of(self.resource)
    }

    /// A service integration's `resourceType` and `resource`: `lambda` and `invoke` for
    /// `arn:aws:states:::lambda:invoke`; `local` and the whole resource for one that is not
    /// an ARN.
    /// The pattern stays with the resource: `states` and `startExecution.sync:2`.
    fn service(&self) -> Map<String, Value> {
        let path = self
            .resource
            .strip_prefix("arn:")
            .and_then(|rest| rest.splitn(5, ':').nth(4));
        let suffix =
            workflow_asl::Integration::parse(self.resource).map_or("", |i| i.pattern.suffix());
        let path = path.and_then(|path| {
            // Split before the pattern's suffix, whose `.sync:2` has a colon of its own.
            let call = path.strip_suffix(suffix).unwrap_or(path);
            let (kind, _) = call.rsplit_once(':')?;
            Some((kind, &path[kind.len() + 1..]))
        });
        let (kind, action) = path.unwrap_or(("local", self.resource));
        let mut details = one("resourceType", kind);
        details.insert("resource".into(), action.into());
        details
    }

    fn limits(&self, details: &mut Map<String, Value>) {
        if let Some(timeout) = self.timeout {
            details.insert("timeoutInSeconds".into(), timeout.as_secs().into());
        }
        if let Some(heartbeat) = self.heartbeat {
            if self.worker() != Worker::Lambda {
                details.insert("heartbeatInSeconds".into(), heartbeat.as_secs().into());
            }
        }
    }

    /// `taskScheduledEventDetails` (the parameters as JSON text), or the Lambda function's
    /// or activity's scheduled details (the input, the ARN).
    pub(crate) fn scheduled(&self, parameters: &str) -> Map<String, Value> {
        let mut details = match self.worker() {
            Worker::Service => {
                let mut details = self.service();
                details.insert("region".into(), REGION.into());
                details.insert("parameters".into(), parameters.into());
                details
            }
            Worker::Lambda | Worker::Activity => {
                let mut details = one("resource", self.resource);
                data(&mut details, "input", parameters);
                details
            }
        };
        self.limits(&mut details);
        details
    }

    /// `taskStartedEventDetails`; nothing for a Lambda function or an activity.
    pub(crate) fn started(&self) -> Option<Map<String, Value>> {
        (self.worker() == Worker::Service).then(|| self.service())
    }

    /// `taskSucceededEventDetails` (or the Lambda function's or activity's): the output.
    pub(crate) fn succeeded(&self, text: &str) -> Map<String, Value> {
        let mut details = match self.worker() {
            Worker::Service => self.service(),
            Worker::Lambda | Worker::Activity => Map::new(),
        };
        data(&mut details, "output", text);
        details
    }

    /// `taskFailedEventDetails` or `taskTimedOutEventDetails` (or the Lambda function's or
    /// activity's): the error and cause.
    pub(crate) fn failed(&self, error: &Error) -> Map<String, Value> {
        let mut details = match self.worker() {
            Worker::Service => self.service(),
            Worker::Lambda | Worker::Activity => Map::new(),
        };
        details.extend(failure(error));
        details
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // AWS's API reference, `TaskScheduledEventDetails`: `resourceType` is the service
    // (`lambda`), `resource` the action (`invoke`), `parameters` the JSON text.
    #[test]
    fn a_service_integration_is_named_by_service_and_action() {
        let work = Work {
            resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
            timeout: Some(Duration::from_secs(5)),
            heartbeat: None,
        };
        assert_eq!(
            Value::Object(work.scheduled("{}")),
            serde_json::json!({"resourceType": "lambda", "resource": "invoke.waitForTaskToken",
                "region": "local", "parameters": "{}", "timeoutInSeconds": 5})
        );
        let sdk = Work {
            resource: "arn:aws:states:::aws-sdk:s3:getObject",
            ..work
        };
        assert_eq!(
            Value::Object(sdk.service()),
            serde_json::json!({"resourceType": "aws-sdk:s3", "resource": "getObject"})
        );
    }

    // AWS's API reference: input and output fields are at most 262,144 bytes; a longer one is
    // cut, its `...Details.truncated` true.
    #[test]
    fn long_data_is_truncated_on_a_character_boundary() {
        let long = "é".repeat(MAX_DATA_BYTES / 2 + 1);
        let details = output(&long);
        let kept = details["output"].as_str().unwrap();
        assert!(kept.len() <= MAX_DATA_BYTES);
        assert_eq!(details["outputDetails"]["truncated"], true);
        assert_eq!(output("1")["outputDetails"]["truncated"], false);
    }
}
