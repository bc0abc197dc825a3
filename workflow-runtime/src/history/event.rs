//! One event of an execution's history, and the whole history, in the shape of AWS's
//! `HistoryEvent` and `GetExecutionHistory` (the AWS Step Functions API reference).

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use super::EventType;

/// One event of an execution's history: AWS's `HistoryEvent`.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEvent {
    /// Its number in the execution's history, from 1.
    pub id: u64,
    /// The id of the event before it on its path through the workflow (0 for none): the
    /// state before it, or the Parallel or Map state a branch or iteration started from.
    pub previous_event_id: u64,
    /// When it happened, on the clock the execution ran on: tokio's, so virtual when the
    /// clock is paused.
    pub timestamp: SystemTime,
    /// Its type.
    pub kind: EventType,
    /// Its details: the object AWS gives under [`EventType::details_field`] (`name`,
    /// `input`, `output`, `error`, `cause`, `resource`, `index`, ...), `None` for a type
    /// that has none.
    pub details: Option<Map<String, Value>>,
    /// The state the event belongs to (`None` for the execution's own events): not part of
    /// AWS's shape (AWS's tools find it by following `previousEventId`), kept for tools
    /// such as the execution page ([`crate::report`]).
    pub state: Option<Arc<str>>,
}

impl HistoryEvent {
    /// The detail called `field` (`"name"`, `"input"`, `"output"`, `"error"`, `"cause"`,
    /// `"index"`...).
    #[must_use]
    pub fn detail(&self, field: &str) -> Option<&Value> {
        self.details.as_ref()?.get(field)
    }

    /// The detail called `field`, when it is a string.
    #[must_use]
    pub fn detail_str(&self, field: &str) -> Option<&str> {
        self.detail(field).and_then(Value::as_str)
    }

    /// The name of the state the event is about, for a state's `...Entered` and `...Exited`
    /// (and the Map state's, for a `MapIteration...`).
    #[must_use]
    pub fn state_name(&self) -> Option<&str> {
        self.detail_str("name")
    }

    /// The event as AWS's API gives it: `id`, `previousEventId`, `timestamp` (seconds since
    /// the Unix epoch, with milliseconds), `type`, and its details under their field.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut event = Map::new();
        event.insert("id".into(), self.id.into());
        event.insert("previousEventId".into(), self.previous_event_id.into());
        event.insert("timestamp".into(), epoch_seconds(self.timestamp));
        event.insert("type".into(), self.kind.name().into());
        if let (Some(field), Some(details)) = (self.kind.details_field(), &self.details) {
            event.insert(field.into(), Value::Object(details.clone()));
        }
        Value::Object(event)
    }
}

impl Serialize for HistoryEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

/// `time` as AWS's API writes a timestamp: seconds since the Unix epoch, to the millisecond.
fn epoch_seconds(time: SystemTime) -> Value {
    let millis = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    // Exact for every millisecond count below 2^53 (year 285,000).
    #[allow(clippy::cast_precision_loss)]
    let seconds = millis as f64 / 1000.0;
    serde_json::Number::from_f64(seconds).map_or(Value::Null, Value::Number)
}

/// A whole execution history: what `GetExecutionHistory` returns, oldest event first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// The events, in the order of their ids.
    pub events: Vec<HistoryEvent>,
    /// The histories of the child executions a Distributed Map ran, each under its execution's
    /// id, in the order they ended: AWS keeps them apart from the parent's, as here (they are
    /// not in [`History::to_json`]).
    pub children: Vec<(String, History)>,
}

impl History {
    /// The history as `GetExecutionHistory`'s response: `{"events": [...]}`.
    #[must_use]
    pub fn to_json(&self) -> Value {
        serde_json::json!({ "events": self.events.iter().map(HistoryEvent::to_json).collect::<Vec<_>>() })
    }

    /// The events' types, in order: what a test most often compares.
    #[must_use]
    pub fn types(&self) -> Vec<&'static str> {
        self.events.iter().map(|e| e.kind.name()).collect()
    }

    /// The `...Entered` and `...Exited` events of the state called `name` (a state in a
    /// Map's iterations or a Parallel's branches has one pair per run).
    pub fn of_state<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a HistoryEvent> + 'a {
        self.events.iter().filter(move |e| {
            matches!(
                e.kind,
                EventType::StateEntered(_) | EventType::StateExited(_)
            ) && e.state_name() == Some(name)
        })
    }
}

impl Serialize for History {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'a> IntoIterator for &'a History {
    type Item = &'a HistoryEvent;
    type IntoIter = std::slice::Iter<'a, HistoryEvent>;

    fn into_iter(self) -> Self::IntoIter {
        self.events.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use workflow_asl::StateType;

    // AWS's API reference, `HistoryEvent`: `id`, `previousEventId`, `timestamp` (seconds and
    // fractional milliseconds since the epoch), `type` and the type's details field.
    #[test]
    fn an_event_has_aws_shape() {
        let mut details = Map::new();
        details.insert("name".into(), "A".into());
        details.insert("input".into(), "{}".into());
        let event = HistoryEvent {
            id: 2,
            previous_event_id: 0,
            timestamp: UNIX_EPOCH + Duration::from_millis(1_700_000_000_123),
            kind: EventType::StateEntered(StateType::Pass),
            details: Some(details),
            state: Some("A".into()),
        };
        assert_eq!(
            event.to_json(),
            serde_json::json!({"id": 2, "previousEventId": 0, "timestamp": 1_700_000_000.123,
                "type": "PassStateEntered",
                "stateEnteredEventDetails": {"name": "A", "input": "{}"}})
        );
        assert_eq!(event.state_name(), Some("A"));
    }
}
