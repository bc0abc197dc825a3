//! The one vocabulary of state fields: each field's ASL name, its `snake_case` name in the
//! `workflow!` macro, the shape of its value, and the state types that allow it.
//!
//! The table below is the only place a state field is listed. From it come the [`State`]
//! struct (with its serde names), [`STATE_FIELDS`] (which the rules use to say which fields a
//! type allows, and the macro to read a field and to list the fields a state may have),
//! [`State::fields`] and [`State::set`]. Adding a field is adding one row here, then writing
//! its semantics (a rule in `rules/`, a runtime function) where they belong.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use super::{
    nullable, Catcher, ChoiceRule, Numeric, QueryLanguage, Quorum, Retrier, StateMachine, StateType,
};

/// The shape of a field's value, which says how a reader (the macro) reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A string.
    Text,
    /// A state name (an identifier or a string in the macro).
    StateName,
    /// A number.
    Number,
    /// A number, or in a JSONata state a `{% %}` expression that gives one.
    Numeric,
    /// A query language: `JSONPath` or `JSONata`.
    QueryLanguage,
    /// `true` or `false`.
    Bool,
    /// A path string, or `null` (which ASL gives a meaning of its own).
    NullablePath,
    /// Any JSON value.
    Json,
    /// A payload template: JSON whose `.$` members are paths or intrinsic calls.
    Template,
    /// A list of sub-workflows (Parallel `Branches`).
    Machines,
    /// One sub-workflow (Map `ItemProcessor`).
    Machine,
    /// A quorum rule.
    Quorum,
    /// A list of retriers.
    Retriers,
    /// A list of catchers.
    Catchers,
    /// A list of Choice rules.
    ChoiceRules,
}

/// A value read for one field, in the shape the field's [`Shape`] names.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)] // each variant is the value of the shape of the same name
pub enum FieldValue {
    Text(String),
    Number(Number),
    QueryLanguage(QueryLanguage),
    Bool(bool),
    NullablePath(Option<String>),
    Json(Value),
    Machines(Vec<StateMachine>),
    Machine(StateMachine),
    Quorum(Quorum),
    Retriers(Vec<Retrier>),
    Catchers(Vec<Catcher>),
    ChoiceRules(Vec<ChoiceRule>),
}

/// One state field of the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Its ASL name (`ResultPath`).
    pub asl: &'static str,
    /// Its name in the `workflow!` macro (`result_path`).
    pub rust: &'static str,
    /// The shape of its value.
    pub shape: Shape,
    /// The state types that allow it.
    pub types: &'static [StateType],
    /// The state types that allow it under an older name that AWS still accepts in ASL
    /// documents but the macro does not write (Map's `Iterator` and `Parameters`).
    pub legacy: &'static [StateType],
    /// On those types, the ASL name of the field that took its place (`ItemProcessor` for
    /// `Iterator`).
    pub successor: Option<&'static str>,
}

impl Field {
    /// Whether a state of type `kind` may carry this field; `legacy` names allowed too when
    /// `legacy` is true (for ASL read from a document).
    #[must_use]
    pub fn allowed_on(&self, kind: StateType, legacy: bool) -> bool {
        self.types.contains(&kind) || (legacy && self.legacy.contains(&kind))
    }
}

/// The only name of `names`, if there is one (a `const` `Option` from a macro repetition).
const fn first(names: &[&'static str]) -> Option<&'static str> {
    match names {
        [name] => Some(name),
        _ => None,
    }
}

/// The state field called `asl` in ASL.
#[must_use]
pub fn by_asl(asl: &str) -> Option<&'static Field> {
    STATE_FIELDS.iter().find(|f| f.asl == asl)
}

/// The state field called `rust` in the `workflow!` macro.
#[must_use]
pub fn by_rust(rust: &str) -> Option<&'static Field> {
    STATE_FIELDS.iter().find(|f| f.rust == rust)
}

/// The fields a state of type `kind` may carry in the macro, in table order.
pub fn allowed(kind: StateType) -> impl Iterator<Item = &'static Field> {
    STATE_FIELDS.iter().filter(move |f| f.types.contains(&kind))
}

/// Why [`State::set`] could not set a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetError {
    /// The ASL name it was asked to set.
    pub field: String,
}

impl std::fmt::Display for SetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` is not a state field, or the value is not of its shape",
            self.field
        )
    }
}

impl std::error::Error for SetError {}

/// Puts a [`FieldValue`] into the field of its type; `false` for a value of another shape.
trait Slot {
    fn put(&mut self, value: FieldValue) -> bool;
}

macro_rules! slots {
    ($($ty:ty => $variant:ident($bind:ident) => $stored:expr;)*) => {$(
        impl Slot for Option<$ty> {
            fn put(&mut self, value: FieldValue) -> bool {
                match value {
                    FieldValue::$variant($bind) => {
                        *self = Some($stored);
                        true
                    }
                    _ => false,
                }
            }
        }
    )*};
}

slots! {
    String => Text(s) => s;
    Number => Number(n) => n;
    bool => Bool(b) => b;
    Option<String> => NullablePath(p) => p;
    Value => Json(v) => v;
    Vec<StateMachine> => Machines(m) => m;
    StateMachine => Machine(m) => m;
    Quorum => Quorum(q) => q;
    Vec<Retrier> => Retriers(r) => r;
    Vec<Catcher> => Catchers(c) => c;
    Vec<ChoiceRule> => ChoiceRules(c) => c;
    QueryLanguage => QueryLanguage(q) => q;
}

/// A numeric field takes a number, or (in a JSONata state) the text of an expression.
impl Slot for Option<Numeric> {
    fn put(&mut self, value: FieldValue) -> bool {
        *self = Some(match value {
            FieldValue::Number(n) => Numeric::Number(n),
            FieldValue::Text(t) => Numeric::Expression(t),
            _ => return false,
        });
        true
    }
}

/// Generates, from one row per field, the [`State`] struct, [`STATE_FIELDS`],
/// [`State::fields`] and [`State::set`]. Each row is: its docs, any extra serde attribute,
/// then `AslName rust_name: Type = Shape, on [types];`, or with `, legacy [types] now
/// NewName` before the `;` for a field that, on those types, is the older name of `NewName`. The ASL name is the
/// PascalCase of the Rust name (serde's `rename_all`, checked by a test).
macro_rules! state_fields {
    ($(
        $(#[doc = $doc:literal])*
        $(#[serde($($serde:tt)*)])?
        $asl:ident $rust:ident : $ty:ty = $shape:ident,
            on [$($on:ident),*] $(, legacy [$($legacy:ident),*] now $now:ident)?;
    )*) => {
        /// One state. Which fields are allowed depends on [`State::kind`]; the rules check it.
        ///
        /// One struct carries every field any state type may have, rather than one struct
        /// per type: a field on the wrong type (a `Next` on a `Succeed`) is then a rule
        /// violation the rules can point at, not a parse failure, and a document reads and
        /// writes back unchanged. Unset fields are left out of the JSON; members this model
        /// does not know are kept in `extra`.
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        #[serde(rename_all = "PascalCase")]
        pub struct State {
            /// The state's type.
            #[serde(rename = "Type")]
            pub kind: StateType,
            $(
                $(#[doc = $doc])*
                #[serde(default, skip_serializing_if = "Option::is_none" $(, $($serde)*)?)]
                pub $rust: $ty,
            )*
            /// Members this model does not know, kept as written.
            #[serde(flatten)]
            pub extra: Map<String, Value>,
        }

        /// Every state field, in the order a state serializes them.
        pub const STATE_FIELDS: &[Field] = &[$(
            Field {
                asl: stringify!($asl),
                rust: stringify!($rust),
                shape: Shape::$shape,
                types: &[$(StateType::$on),*],
                legacy: &[$($(StateType::$legacy),*)?],
                successor: first(&[$(stringify!($now))?]),
            },
        )*];

        impl State {
            /// The ASL names of the fields set on this state, in table order, then the
            /// members this model does not know.
            #[must_use]
            pub fn fields(&self) -> Vec<&str> {
                [$((stringify!($asl), self.$rust.is_some())),*]
                    .into_iter()
                    .filter_map(|(name, set)| set.then_some(name))
                    .chain(self.extra.keys().map(String::as_str))
                    .collect()
            }

            /// Sets the field called `asl` in ASL to `value`.
            ///
            /// # Errors
            /// When no field has that name, or the value is not of the field's [`Shape`].
            pub fn set(&mut self, asl: &str, value: FieldValue) -> Result<(), SetError> {
                let set = match asl {
                    $(stringify!($asl) => Slot::put(&mut self.$rust, value),)*
                    _ => false,
                };
                if set {
                    Ok(())
                } else {
                    Err(SetError { field: asl.to_owned() })
                }
            }
        }
    };
}

state_fields! {
    /// A human-readable description.
    Comment comment: Option<String> = Text,
        on [Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map];
    /// The state's query language, when it is not the definition's (`JSONPath` by default).
    QueryLanguage query_language: Option<QueryLanguage> = QueryLanguage,
        on [Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map];
    /// Task: the ARN of what the task invokes.
    Resource resource: Option<String> = Text, on [Task];
    /// Task: the longest one attempt may run, in seconds (`States.Timeout` past it).
    TimeoutSeconds timeout_seconds: Option<Numeric> = Numeric, on [Task];
    /// Task: the longest an attempt may go without a heartbeat, in seconds
    /// (`States.HeartbeatTimeout` past it).
    HeartbeatSeconds heartbeat_seconds: Option<Numeric> = Numeric, on [Task];
    /// Task: a reference path to `TimeoutSeconds` in the state's input (after `InputPath`).
    TimeoutSecondsPath timeout_seconds_path: Option<String> = Text, on [Task];
    /// Task: a reference path to `HeartbeatSeconds` in the state's input (after `InputPath`).
    HeartbeatSecondsPath heartbeat_seconds_path: Option<String> = Text, on [Task];
    /// Selects the part of the input the state works on; `null` gives it `{}`.
    #[serde(deserialize_with = "nullable")]
    InputPath input_path: Option<Option<String>> = NullablePath,
        on [Pass, Task, Choice, Wait, Succeed, Parallel, Map];
    /// A template for the state's effective input (Map: `ItemSelector`'s older name).
    Parameters parameters: Option<Value> = Template,
        on [Pass, Task, Parallel], legacy [Map] now ItemSelector;
    /// JSONata: the state's effective input (a Task's request, each Parallel branch's input):
    /// JSON whose `{% %}` strings are expressions.
    Arguments arguments: Option<Value> = Template, on [Task, Parallel];
    /// Pass: the state's result.
    Result result: Option<Value> = Json, on [Pass];
    /// A template applied to the state's result.
    ResultSelector result_selector: Option<Value> = Template, on [Task, Parallel, Map];
    /// Where the result goes in the input; `null` discards it.
    #[serde(deserialize_with = "nullable")]
    ResultPath result_path: Option<Option<String>> = NullablePath,
        on [Pass, Task, Parallel, Map];
    /// Selects the part of the state's output passed on; `null` passes `{}`.
    #[serde(deserialize_with = "nullable")]
    OutputPath output_path: Option<Option<String>> = NullablePath,
        on [Pass, Task, Choice, Wait, Succeed, Parallel, Map];
    /// JSONata: the state's output, made from `$states.input` and `$states.result`.
    Output output: Option<Value> = Template,
        on [Pass, Task, Choice, Wait, Succeed, Parallel, Map];
    /// Workflow variables the state sets, all at once, when it exits (either query
    /// language): names to values, JSONPath `.$` paths or JSONata `{% %}` expressions.
    Assign assign: Option<Value> = Template, on [Pass, Task, Choice, Wait, Parallel, Map];
    /// Parallel: the branches, each a complete sub-workflow.
    Branches branches: Option<Vec<StateMachine>> = Machines, on [Parallel];
    /// Map: the sub-workflow run for each item.
    ItemProcessor item_processor: Option<StateMachine> = Machine, on [Map];
    /// Map: `ItemProcessor`'s older name, still accepted by AWS (read from existing ASL; the
    /// macro writes `ItemProcessor`).
    Iterator iterator: Option<StateMachine> = Machine, on [], legacy [Map] now ItemProcessor;
    /// Map: where the items are in the effective input (default `$`).
    ItemsPath items_path: Option<String> = Text, on [Map];
    /// JSONata Map: the items, an array or an expression that gives one (default
    /// `$states.input`).
    Items items: Option<Value> = Json, on [Map];
    /// Distributed Map: where the items come from instead (`Resource`, `Parameters`,
    /// `ReaderConfig`).
    ItemReader item_reader: Option<Value> = Json, on [Map];
    /// Distributed Map: items grouped into batches (`MaxItemsPerBatch`,
    /// `MaxInputBytesPerBatch`, `BatchInput`).
    ItemBatcher item_batcher: Option<Value> = Json, on [Map];
    /// Distributed Map: where the results go instead of the state's output (`Resource`,
    /// `Parameters`).
    ResultWriter result_writer: Option<Value> = Json, on [Map];
    /// Distributed Map: the label of its Map Run.
    Label label: Option<String> = Text, on [Map];
    /// Map: a template for each item's input, which may read `$$.Map.Item.Index` and `Value`.
    ItemSelector item_selector: Option<Value> = Template, on [Map];
    /// Map: how many iterations run at once (0: no bound).
    MaxConcurrency max_concurrency: Option<Numeric> = Numeric, on [Map];
    /// Map: a reference path to `MaxConcurrency` in the state's input, read at run time.
    MaxConcurrencyPath max_concurrency_path: Option<String> = Text, on [Map];
    /// Map: how many failed items the state tolerates.
    ToleratedFailureCount tolerated_failure_count: Option<Numeric> = Numeric, on [Map];
    /// Map: a reference path to `ToleratedFailureCount` in the state's input.
    ToleratedFailureCountPath tolerated_failure_count_path: Option<String> = Text, on [Map];
    /// Map: what percentage of failed items the state tolerates.
    ToleratedFailurePercentage tolerated_failure_percentage: Option<Numeric> = Numeric, on [Map];
    /// Map: a reference path to `ToleratedFailurePercentage` in the state's input.
    ToleratedFailurePercentagePath tolerated_failure_percentage_path: Option<String> = Text,
        on [Map];
    /// Parallel: move on once this many branches succeeded. Not ASL: an extension of this
    /// crate's definitions, which the ASL export lowers to ASL states (see `export`).
    Quorum quorum: Option<Quorum> = Quorum, on [Parallel];
    /// How to retry the state after an error.
    Retry retry: Option<Vec<Retrier>> = Retriers, on [Task, Parallel, Map];
    /// Where to go after an error that retries did not absorb.
    Catch catch: Option<Vec<Catcher>> = Catchers, on [Task, Parallel, Map];
    /// Fail: the error name.
    Error error: Option<String> = Text, on [Fail];
    /// Fail: the human-readable cause.
    Cause cause: Option<String> = Text, on [Fail];
    /// Fail: a path to the error name in the state's input.
    ErrorPath error_path: Option<String> = Text, on [Fail];
    /// Fail: a path to the cause in the state's input.
    CausePath cause_path: Option<String> = Text, on [Fail];
    /// Choice: the rules, tried in order; the first that matches gives the next state.
    Choices choices: Option<Vec<ChoiceRule>> = ChoiceRules, on [Choice];
    /// Choice: the state to go to when no rule matches.
    Default default: Option<String> = StateName, on [Choice];
    /// Wait: how many seconds to wait.
    Seconds seconds: Option<Numeric> = Numeric, on [Wait];
    /// Wait: the time to wait until (an ASL timestamp).
    Timestamp timestamp: Option<String> = Text, on [Wait];
    /// Wait: a path to the number of seconds in the state's input.
    SecondsPath seconds_path: Option<String> = Text, on [Wait];
    /// Wait: a path to the timestamp in the state's input.
    TimestampPath timestamp_path: Option<String> = Text, on [Wait];
    /// The state to go to next.
    Next next: Option<String> = StateName, on [Pass, Task, Wait, Parallel, Map];
    /// Whether the state ends its (sub)workflow.
    End end: Option<bool> = Bool, on [Pass, Task, Wait, Parallel, Map];
}

#[cfg(test)]
mod tests {
    use super::*;

    /// serde names the fields by `rename_all = "PascalCase"`; the table must agree.
    #[test]
    fn asl_names_are_the_pascal_case_of_rust_names() {
        for f in STATE_FIELDS {
            let pascal: String = f
                .rust
                .split('_')
                .map(|w| w[..1].to_ascii_uppercase() + &w[1..])
                .collect();
            assert_eq!(f.asl, pascal);
        }
    }

    #[test]
    fn every_field_round_trips_through_serde_and_set() {
        let mut state = State::new(StateType::Task);
        state
            .set("Resource", FieldValue::Text("arn".into()))
            .unwrap();
        state
            .set("ResultPath", FieldValue::NullablePath(None))
            .unwrap();
        assert!(state.set("Resource", FieldValue::Bool(true)).is_err());
        assert!(state.set("Nope", FieldValue::Bool(true)).is_err());
        assert_eq!(state.fields(), vec!["Resource", "ResultPath"]);
        let json = serde_json::to_value(&state).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"Type": "Task", "Resource": "arn", "ResultPath": null})
        );
        assert_eq!(serde_json::from_value::<State>(json).unwrap(), state);
    }

    #[test]
    fn types_and_legacy_names() {
        let parameters = by_asl("Parameters").unwrap();
        assert!(parameters.allowed_on(StateType::Pass, false));
        assert!(!parameters.allowed_on(StateType::Map, false));
        assert!(parameters.allowed_on(StateType::Map, true));
        assert_eq!(by_rust("item_processor").unwrap().asl, "ItemProcessor");
        assert_eq!(by_asl("Iterator").unwrap().successor, Some("ItemProcessor"));
        assert_eq!(by_asl("Result").unwrap().successor, None);
        let succeed: Vec<&str> = allowed(StateType::Succeed).map(|f| f.rust).collect();
        assert_eq!(
            succeed,
            [
                "comment",
                "query_language",
                "input_path",
                "output_path",
                "output"
            ]
        );
    }
}
