//! The serde model of an ASL definition.
//!
//! The [`State`] struct itself is generated from the field vocabulary
//! ([`vocabulary`]); this file holds everything around it. Fields left unset are left
//! out of the JSON; fields this model does not know are kept in `extra` so that nothing a
//! user wrote is lost.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Number, Value};

pub mod vocabulary;

pub use self::vocabulary::State;

/// A state machine, or one branch of a Parallel state (which has the same shape).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StateMachine {
    /// A human-readable description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The name of the state to start at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_at: Option<String>,
    /// The states, in the order they were written.
    #[serde(default)]
    pub states: States,
    /// The longest an execution may run, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<Number>,
    /// The ASL version (`"1.0"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The query language of every state that does not name its own (`JSONPath` when
    /// unset). Only a whole definition has one, not a branch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// Members this model does not know, kept as written.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl StateMachine {
    /// Reads an ASL document (JSONPath mode), keeping every member this model does not know
    /// so that it exports back unchanged.
    ///
    /// # Errors
    /// When `text` is not JSON, or not shaped as an ASL document, with the line and column.
    pub fn from_json(text: &str) -> Result<Self, ReadError> {
        // Read as AWS reads JSON (`-0` is the integer 0).
        serde_json::from_str(&crate::json_text::as_aws_reads(text)).map_err(|e| ReadError {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })
    }

    /// The state called `name` among this machine's own states (not its branches').
    #[must_use]
    pub fn state(&self, name: &str) -> Option<&State> {
        self.states.get(name)
    }
}

/// Why a text could not be read as an ASL document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The line (from 1) where reading stopped.
    pub line: usize,
    /// The column (from 1) where reading stopped.
    pub column: usize,
    /// What was wrong, with its position.
    pub message: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not an ASL document (line {}, column {}): {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ReadError {}

/// The language of a state's paths and expressions (`QueryLanguage`): JSONPath's paths,
/// `Parameters` and `ResultPath`, or JSONata's `{% %}` expressions, `Arguments` and
/// `Output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum QueryLanguage {
    /// `"JSONPath"`, the default.
    #[default]
    #[serde(rename = "JSONPath")]
    JsonPath,
    /// `"JSONata"`.
    #[serde(rename = "JSONata")]
    Jsonata,
}

impl QueryLanguage {
    /// Its ASL name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::JsonPath => "JSONPath",
            Self::Jsonata => "JSONata",
        }
    }

    /// The language called `name` in ASL.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "JSONPath" => Some(Self::JsonPath),
            "JSONata" => Some(Self::Jsonata),
            _ => None,
        }
    }
}

impl fmt::Display for QueryLanguage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A numeric field's value (`TimeoutSeconds`, `Seconds`, `MaxConcurrency`...): a number, or
/// in a JSONata state a `{% %}` expression evaluated when the state runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Numeric {
    /// A number, as written.
    Number(Number),
    /// The text of a JSONata expression, `{% %}` included.
    Expression(String),
}

impl Numeric {
    /// The number, when it is one.
    #[must_use]
    pub fn number(&self) -> Option<&Number> {
        match self {
            Self::Number(n) => Some(n),
            Self::Expression(_) => None,
        }
    }

    /// The value as JSON: a number, or the expression's text.
    #[must_use]
    pub fn to_value(&self) -> Value {
        match self {
            Self::Number(n) => Value::Number(n.clone()),
            Self::Expression(e) => Value::String(e.clone()),
        }
    }
}

impl From<Number> for Numeric {
    fn from(n: Number) -> Self {
        Self::Number(n)
    }
}

impl Serialize for Numeric {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Number(n) => n.serialize(serializer),
            Self::Expression(e) => serializer.serialize_str(e),
        }
    }
}

impl<'de> Deserialize<'de> for Numeric {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Number(n) => Ok(Self::Number(n)),
            Value::String(s) => Ok(Self::Expression(s)),
            other => Err(serde::de::Error::custom(format!(
                "expected a number or a JSONata expression, found {other}"
            ))),
        }
    }
}

/// The type of a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[allow(missing_docs)] // the variants are ASL's state types, documented by ASL
pub enum StateType {
    #[default]
    Pass,
    Task,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

impl StateType {
    /// The type's ASL name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "Pass",
            Self::Task => "Task",
            Self::Choice => "Choice",
            Self::Wait => "Wait",
            Self::Succeed => "Succeed",
            Self::Fail => "Fail",
            Self::Parallel => "Parallel",
            Self::Map => "Map",
        }
    }

    /// Every state type, in the order the documentation and messages list them.
    pub const ALL: [StateType; 8] = [
        Self::Pass,
        Self::Task,
        Self::Choice,
        Self::Parallel,
        Self::Map,
        Self::Wait,
        Self::Succeed,
        Self::Fail,
    ];

    /// Whether a state of this type ends its (sub)workflow by itself: Succeed and Fail.
    #[must_use]
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Succeed | Self::Fail)
    }

    /// Whether a state of this type transitions with `Next` or `End`.
    #[must_use]
    pub fn has_transition(self) -> bool {
        !matches!(self, Self::Succeed | Self::Fail | Self::Choice)
    }
}

impl fmt::Display for StateType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl State {
    /// A state of type `kind` with no field set.
    #[must_use]
    pub fn new(kind: StateType) -> Self {
        Self {
            kind,
            ..Self::default()
        }
    }

    /// Whether `End` is set to `true`.
    #[must_use]
    pub fn is_end(&self) -> bool {
        self.end == Some(true)
    }

    /// Map: the workflow run for each item, and the field that holds it (`ItemProcessor`, or
    /// its older name `Iterator`).
    #[must_use]
    pub fn processor(&self) -> Option<(&'static str, &StateMachine)> {
        match (&self.item_processor, &self.iterator) {
            (Some(p), _) => Some(("ItemProcessor", p)),
            (None, Some(p)) => Some(("Iterator", p)),
            (None, None) => None,
        }
    }

    /// Map: whether it is a Distributed Map (its item processor's `ProcessorConfig` says
    /// `"Mode": "DISTRIBUTED"`).
    #[must_use]
    pub fn is_distributed(&self) -> bool {
        self.processor()
            .and_then(|(_, p)| p.extra.get("ProcessorConfig"))
            .and_then(|c| c.get("Mode"))
            .and_then(Value::as_str)
            == Some("DISTRIBUTED")
    }

    /// Map: the template each item's input is made from (`ItemSelector`, or its older name
    /// `Parameters`).
    #[must_use]
    pub fn selector(&self) -> Option<&Value> {
        self.item_selector
            .as_ref()
            .or(if self.kind == StateType::Map {
                self.parameters.as_ref()
            } else {
                None
            })
    }

    /// Whether the state's output is its result as it is: it has no `ResultSelector`,
    /// `ResultPath` or `OutputPath`.
    #[must_use]
    pub fn outputs_its_result(&self) -> bool {
        self.result_selector.is_none()
            && self.result_path.is_none()
            && self.output_path.is_none()
            && self.output.is_none()
            && self.assign.is_none()
    }

    /// Whether the state's effective input is its raw input: it has no `InputPath` or
    /// `Parameters`.
    #[must_use]
    pub fn takes_its_input(&self) -> bool {
        self.input_path.is_none() && self.parameters.is_none() && self.arguments.is_none()
    }

    /// Whether this is a plain Task: one attempt, without a time limit, whose handler takes
    /// the raw input and whose result is the output (no `Retry`, `Catch`, limit or data-flow
    /// field). Running one is calling its handler, nothing more.
    #[must_use]
    pub fn is_plain_task(&self) -> bool {
        self.kind == StateType::Task
            && self.outputs_its_result()
            && self.takes_its_input()
            && self.retry.is_none()
            && self.catch.is_none()
            && self.timeout_seconds.is_none()
            && self.timeout_seconds_path.is_none()
            && self.heartbeat_seconds.is_none()
            && self.heartbeat_seconds_path.is_none()
            && !self.reshapes_result()
    }

    /// Whether this Task's result is not its handler's output as it is, as its resource says
    /// ([`crate::Integration::reshapes_result`]): the Lambda `Invoke` response, a callback's
    /// answer, a child execution's description.
    #[must_use]
    pub fn reshapes_result(&self) -> bool {
        self.resource
            .as_deref()
            .and_then(crate::Integration::parse)
            .is_some_and(|i| i.reshapes_result())
    }

    /// Whether this Task's output reaches the Task `next` unchanged: what a Rust value can
    /// carry in place of JSON (a typed edge).
    #[must_use]
    pub fn hands_output_to(&self, next: &State) -> bool {
        self.kind == StateType::Task
            && next.kind == StateType::Task
            && self.outputs_its_result()
            && next.takes_its_input()
            && !self.reshapes_result()
            && !next.reshapes_result()
    }
}

/// A Choice rule: a comparison of `Variable` (one operator, such as `NumericGreaterThan`, kept
/// in `comparison`), or a combination of rules with `And`, `Or` or `Not`. Top-level rules
/// have a `Next`; nested ones do not.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChoiceRule {
    /// The path of the value the comparison tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variable: Option<String>,
    /// Matches when every rule matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub and: Option<Vec<ChoiceRule>>,
    /// Matches when any rule matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub or: Option<Vec<ChoiceRule>>,
    /// Matches when the rule does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<ChoiceRule>>,
    /// The state to go to when this (top-level) rule matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// A human-readable description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// JSONata: the rule, a `{% %}` expression that gives `true` or `false` (or a boolean).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Value>,
    /// JSONata: the state's output when this rule matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// The variables the state assigns when this rule matches (instead of the state's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<Value>,
    /// The comparison: its operator's name and its value (`"NumericGreaterThan": 0`).
    #[serde(flatten)]
    pub comparison: Map<String, Value>,
}

/// A quorum Parallel's rule: how many branches must succeed, and how long to wait for them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Quorum {
    /// How many branches must succeed, as a literal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<Number>,
    /// How many branches must succeed, read when the state runs from its input (`$...`,
    /// after `InputPath`) or from the context object (`$$.Execution.Input...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count_path: Option<String>,
    /// How long to wait for the quorum, in seconds; without it the state waits for the
    /// quorum to be met or to become impossible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<Number>,
}

/// A retrier: which errors to retry, and how often and how long to wait.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Retrier {
    /// The error names this retrier handles.
    #[serde(default)]
    pub error_equals: Vec<String>,
    /// Seconds before the first retry (ASL default: 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_seconds: Option<Number>,
    /// How many retries at most (ASL default: 3; 0 never retries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<Number>,
    /// The factor the delay grows by with each retry (ASL default: 2.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_rate: Option<Number>,
    /// The longest delay between two attempts, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_delay_seconds: Option<Number>,
    /// `"FULL"` draws each delay at random between 0 and the computed delay; `"NONE"` does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jitter_strategy: Option<String>,
    /// Members this model does not know, kept as written.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A catcher: which errors to recover from, and where to go.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Catcher {
    /// The error names this catcher handles.
    #[serde(default)]
    pub error_equals: Vec<String>,
    /// The state to go to.
    #[serde(default)]
    pub next: String,
    /// Where `{"Error", "Cause"}` goes in the state's input; `null` discards it.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub result_path: Option<Option<String>>,
    /// JSONata: the catcher's output, made from `$states.input` and `$states.errorOutput`
    /// (by default the error output itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// The variables the catcher assigns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<Value>,
    /// Members this model does not know, kept as written.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `States` object: states by name, in the order written.
///
/// A list rather than a map, so that a document naming a state twice keeps both and the
/// rules can report the duplicate instead of one silently replacing the other. Looking a
/// name up scans a short list and, past [`States::SCANNED`] states, reads an index made on
/// first use: validating or running 100,000 states stays linear.
#[derive(Debug, Clone, Default)]
pub struct States(
    Vec<(String, State)>,
    Vec<(String, Value)>,
    std::sync::OnceLock<std::collections::HashMap<String, usize>>,
);

/// Two `States` are equal when their states and other members are: the index is a cache.
impl PartialEq for States {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0 && self.1 == other.1
    }
}

impl States {
    /// An empty `States` object.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// How many states are looked up by scanning them; past that, by an index.
    pub const SCANNED: usize = 16;

    /// Appends a state (even under a name already present).
    pub fn push(&mut self, name: impl Into<String>, state: State) {
        self.0.push((name.into(), state));
        self.2 = std::sync::OnceLock::new();
    }

    /// The first state called `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&State> {
        self.position(name).map(|i| &self.0[i].1)
    }

    /// The position of the first state called `name`.
    #[must_use]
    pub fn position(&self, name: &str) -> Option<usize> {
        if self.0.len() <= Self::SCANNED {
            return self.0.iter().position(|(n, _)| n == name);
        }
        let index = self.2.get_or_init(|| {
            let mut index = std::collections::HashMap::with_capacity(self.0.len());
            for (i, (n, _)) in self.0.iter().enumerate() {
                // The first state of a name, as the scan finds it.
                index.entry(n.clone()).or_insert(i);
            }
            index
        });
        index.get(name).copied()
    }

    /// The state at `position`.
    ///
    /// # Panics
    /// When `position` is out of range; generated code only asks for positions it was
    /// generated from.
    #[must_use]
    pub fn at(&self, position: usize) -> &State {
        &self.0[position].1
    }

    /// The name and state at `position`.
    ///
    /// # Panics
    /// When `position` is out of range; generated code only asks for positions it was
    /// generated from.
    #[must_use]
    pub fn entry(&self, position: usize) -> (&str, &State) {
        let (name, state) = &self.0[position];
        (name, state)
    }

    /// Names and states, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &State)> {
        self.0.iter().map(|(n, s)| (n.as_str(), s))
    }

    /// Names and states, in order, the states mutable.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&str, &mut State)> {
        self.0.iter_mut().map(|(n, s)| (n.as_str(), s))
    }

    /// How many states there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Members of the `States` object that are not states (not JSON objects), kept so that
    /// the document exports as it was read; the rules report each.
    #[must_use]
    pub fn others(&self) -> &[(String, Value)] {
        &self.1
    }
}

impl Serialize for States {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len() + self.1.len()))?;
        for (name, state) in &self.0 {
            map.serialize_entry(name, state)?;
        }
        for (name, value) in &self.1 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for States {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StatesVisitor;
        impl<'de> Visitor<'de> for StatesVisitor {
            type Value = States;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of states")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<States, A::Error> {
                let mut states = States::new();
                while let Some((name, value)) = map.next_entry::<String, Value>()? {
                    if value.is_object() {
                        let state = State::deserialize(value).map_err(|e| {
                            serde::de::Error::custom(format_args!("in state `{name}`: {e}"))
                        })?;
                        states.push(name, state);
                    } else {
                        states.1.push((name, value));
                    }
                }
                Ok(states)
            }
        }
        deserializer.deserialize_map(StatesVisitor)
    }
}

/// Reads a field that may be `null` (a meaningful value in ASL) as `Some(None)`.
pub(crate) fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_a_definition_with_nulls_duplicates_and_unknown_fields() {
        let text = r#"{
            "Comment": "c",
            "StartAt": "A",
            "States": {
                "A": {"Type": "Pass", "ResultPath": null, "Next": "B", "Custom": 1},
                "B": {"Type": "Task", "Resource": "arn", "Retry": [{"ErrorEquals": ["States.ALL"], "BackoffRate": 2}], "End": true},
                "A": {"Type": "Succeed"}
            }
        }"#;
        let doc: StateMachine = serde_json::from_str(text).unwrap();
        assert_eq!(doc.states.len(), 3);
        assert_eq!(doc.states.at(0).result_path, Some(None));
        assert_eq!(doc.states.at(0).extra["Custom"], json!(1));
        let back = serde_json::to_value(&doc).unwrap();
        // serde_json's map keeps one of the duplicate keys; everything else is as written.
        assert_eq!(back["States"]["B"]["Retry"][0]["BackoffRate"], json!(2));
        assert_eq!(back["States"]["A"], json!({"Type": "Succeed"}));
        assert_eq!(back["Comment"], json!("c"));
    }

    #[test]
    fn unset_fields_are_left_out() {
        let mut doc = StateMachine {
            start_at: Some("S".into()),
            ..StateMachine::default()
        };
        doc.states.push("S", State::new(StateType::Succeed));
        assert_eq!(
            serde_json::to_value(&doc).unwrap(),
            json!({"StartAt": "S", "States": {"S": {"Type": "Succeed"}}})
        );
    }
}
