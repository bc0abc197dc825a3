//! Stage 2, meaning: the syntax tree read as an ASL definition.
//!
//! The result is the shared [`workflow_asl::StateMachine`] (the very document that is checked,
//! embedded and exported), plus what only Rust knows: the handler path of each Task, and the
//! span of every location, so that a rule broken at `/States/A/Next` is reported on the
//! token the user wrote for `next`.

use std::collections::{HashMap, HashSet};

use proc_macro2::TokenStream;
use serde_json::Number;
use syn::{Attribute, Ident, Lit, Visibility};
use workflow_asl::suggest;
use workflow_asl::vocabulary::{self, FieldValue, Shape};
use workflow_asl::{
    errors, Catcher, ChoiceRule, Location, QueryLanguage, Quorum, Retrier, State, StateMachine,
    StateType,
};

use crate::ctxt::Ctxt;
use crate::parse::{Field, Input, Key, Object, Ranged, SpanRange, Template, Value};

/// A workflow read from the macro input.
pub(crate) struct Workflow {
    pub(crate) krate: TokenStream,
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) ident: Ident,
    pub(crate) definition: StateMachine,
    pub(crate) spans: Spans,
    pub(crate) handlers: Vec<Handler>,
    /// The Rust types the workflow declares: what its handlers borrow, what it takes and
    /// returns.
    pub(crate) types: Types,
    /// Whether a state or branch could not be read at all and is missing from `definition`:
    /// the definition rules would then only report follow-on errors.
    pub(crate) incomplete: bool,
}

/// The Rust-only fields of a workflow: `deps`, `input` and `output`.
#[derive(Default)]
pub(crate) struct Types {
    /// `deps: Shop`: what the workflow value holds and every handler may borrow (`&Shop`).
    pub(crate) deps: Option<syn::Type>,
    /// `input: Order`: what `run` takes.
    pub(crate) input: Option<syn::Type>,
    /// `output: Receipt`: what `run` returns.
    pub(crate) output: Option<syn::Type>,
}

/// The Rust function a state names with `handler`.
pub(crate) struct Handler {
    pub(crate) state: String,
    /// The state's location; for a Map's `reader` and `writer`, that of its `ItemReader` and
    /// `ResultWriter`.
    pub(crate) location: Location,
    pub(crate) kind: StateType,
    /// The field that named it: `handler`, `workflow` (a child workflow, not an `async fn`),
    /// `reader` or `writer`.
    pub(crate) role: String,
    pub(crate) path: syn::Path,
}

/// The span of every location of the definition that came from the user's tokens.
#[derive(Default)]
pub(crate) struct Spans(HashMap<Location, SpanRange>);

impl Spans {
    fn insert(&mut self, location: Location, node: &impl Ranged) {
        self.0.insert(location, node.span_range());
    }

    fn insert_range(&mut self, location: Location, range: SpanRange) {
        self.0.insert(location, range);
    }

    /// The span of `location`, or of its nearest enclosing location that has one (a rule may
    /// point at a member the user did not write, such as a missing `End`).
    pub(crate) fn find(&self, location: &Location) -> Option<SpanRange> {
        let mut at = Some(location.clone());
        while let Some(loc) = at {
            if let Some(span) = self.0.get(&loc) {
                return Some(*span);
            }
            at = loc.parent();
        }
        None
    }
}

/// Reads `input` into a [`Workflow`]; every malformed field is reported to `cx`.
pub(crate) fn build(input: Input, cx: &Ctxt) -> Workflow {
    let mut reader = Reader {
        cx,
        spans: Spans::default(),
        handlers: Vec::new(),
        types: Types::default(),
        incomplete: false,
    };
    reader.spans.insert(Location::root(), &input.ident);
    let definition = reader.machine(&input.body, &Location::root(), true);
    Workflow {
        krate: input.krate,
        attrs: input.attrs,
        vis: input.vis,
        ident: input.ident,
        definition,
        spans: reader.spans,
        handlers: reader.handlers,
        types: reader.types,
        incomplete: reader.incomplete,
    }
}

struct Reader<'c> {
    cx: &'c Ctxt,
    spans: Spans,
    handlers: Vec<Handler>,
    types: Types,
    incomplete: bool,
}

const WORKFLOW_FIELDS: &str =
    "`comment`, `start_at`, `timeout_seconds`, `query_language`, `states`, `deps`, `input`, `output`";
const BRANCH_FIELDS: &str =
    "`comment`, `start_at`, `states` (and on an item processor, `processor_config`)";
const QUORUM_FIELDS: &str = "`count`, `timeout_seconds`";
const RETRIER_FIELDS: &str = "`error_equals`, `interval_seconds`, `max_attempts`, `backoff_rate`, `max_delay_seconds`, `jitter_strategy`";
const CATCHER_FIELDS: &str = "`error_equals`, `next`, `result_path`, `output`, `assign`";

impl Reader<'_> {
    /// Each field once: a repeated key is an error, reported on its second use.
    fn fields<'o>(&self, object: &'o Object) -> Vec<(String, &'o Field)> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for field in &object.fields {
            let key = field.key.text();
            if seen.insert(key.clone()) {
                out.push((key, field));
            } else {
                self.cx
                    .error_spanned_by(&field.key, format!("`{key}` is given twice"));
            }
        }
        out
    }

    fn unknown(&self, key: &Key, what: &str, expected: &str) {
        self.cx.error_spanned_by(
            key,
            format!(
                "unknown field `{}` in {what}; expected one of: {expected}",
                key.text()
            ),
        );
    }

    /// A workflow body or a branch: `{ comment, start_at, states }`.
    fn machine(&mut self, object: &Object, loc: &Location, top: bool) -> StateMachine {
        let mut machine = StateMachine::default();
        for (key, field) in self.fields(object) {
            let value = &field.value;
            match key.as_str() {
                "comment" => machine.comment = self.string(value),
                "start_at" => {
                    self.spans.insert(loc.key("StartAt"), value);
                    machine.start_at = self.name(value);
                }
                "states" => self.states(value, loc, &mut machine),
                // An item processor's `ProcessorConfig`, as ASL JSON:
                // `{"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}`.
                "processor_config" if !top => {
                    if let Some(config) = self.json(value) {
                        machine.extra.insert("ProcessorConfig".into(), config);
                    }
                }
                "query_language" if top => {
                    self.spans.insert(loc.key("QueryLanguage"), value);
                    machine.query_language = self.query_language(value);
                }
                // Read in branches too, so that the rules can say a branch cannot have one.
                "timeout_seconds" => {
                    self.spans.insert(loc.key("TimeoutSeconds"), value);
                    machine.timeout_seconds = self.number(value);
                }
                "deps" | "input" | "output" if top => {
                    let ty = self.rust_type(&key, value);
                    let slot = match key.as_str() {
                        "deps" => &mut self.types.deps,
                        "input" => &mut self.types.input,
                        _ => &mut self.types.output,
                    };
                    *slot = ty;
                }
                "deps" | "input" | "output" => self.cx.error_spanned_by(
                    &field.key,
                    format!("`{key}` is declared once, on the workflow, not on a branch or an item processor"),
                ),
                _ => self.unknown(
                    &field.key,
                    if top {
                        "a workflow"
                    } else {
                        "a branch or item processor"
                    },
                    if top { WORKFLOW_FIELDS } else { BRANCH_FIELDS },
                ),
            }
        }
        machine
    }

    /// The type of `deps`, `input` or `output`: a type's path, such as `Shop` or
    /// `app::Order`.
    fn rust_type(&self, key: &str, value: &Value) -> Option<syn::Type> {
        if let Value::Path(path) = value {
            return Some(syn::Type::Path(syn::TypePath {
                qself: None,
                path: path.clone(),
            }));
        }
        let example = match key {
            "deps" => "`deps: Shop`, where handlers take `&Shop`",
            "input" => "`input: Order`, a type that implements `serde::Serialize`",
            _ => "`output: Receipt`, a type that implements `serde::Deserialize`",
        };
        self.cx.error_spanned_by(
            value,
            format!("`{key}` is a Rust type, named by its path: {example}"),
        );
        None
    }

    fn states(&mut self, value: &Value, loc: &Location, machine: &mut StateMachine) {
        let Value::Object(object) = value else {
            self.cx.error_spanned_by(
                value,
                "expected the states as `{ Name: Type { ... }, ... }`",
            );
            return;
        };
        self.spans.insert(loc.key("States"), value);
        for (position, field) in object.fields.iter().enumerate() {
            let name = field.key.text();
            let sloc = loc.state(&name, position);
            self.spans.insert(sloc.clone(), &field.key);
            match self.state(&name, &field.value, &sloc) {
                Some(state) => machine.states.push(name, state),
                None => self.incomplete = true,
            }
        }
    }

    /// `Type { field: value, ... }`.
    fn state(&mut self, name: &str, value: &Value, loc: &Location) -> Option<State> {
        let types = || StateType::ALL.map(|t| format!("`{t}`")).join(", ");
        let Value::Typed(kind, object) = value else {
            self.cx.error_spanned_by(
                value,
                format!(
                    "expected a state such as `Pass {{ ... }}`; state types: {}",
                    types()
                ),
            );
            return None;
        };
        let Some(kind) = StateType::ALL.into_iter().find(|t| kind == t.as_str()) else {
            self.cx.error_spanned_by(
                kind,
                format!("unknown state type `{kind}`; expected one of: {}", types()),
            );
            return None;
        };
        let mut state = State::new(kind);
        for (key, field) in self.fields(object) {
            let value = &field.value;
            // `handler` runs a Task; `reader` and `writer` answer a Distributed Map's
            // `item_reader` and `result_writer` (keyed at those fields' locations).
            let role = match key.as_str() {
                // `workflow` names the child a `states:startExecution` Task starts.
                "handler" | "workflow" => Some(loc.clone()),
                "reader" => Some(loc.key("ItemReader")),
                "writer" => Some(loc.key("ResultWriter")),
                _ => None,
            };
            if let Some(location) = role {
                match value {
                    Value::Path(path) => self.handlers.push(Handler {
                        state: name.to_owned(),
                        location,
                        kind,
                        role: key.clone(),
                        path: path.clone(),
                    }),
                    _ if key == "workflow" => self.cx.error_spanned_by(value, "expected the path of a workflow declared with `workflow!`, such as `Child`"),
                    _ => self.cx.error_spanned_by(value, "expected the path of an `async fn`, such as `charge_card` or `tasks::charge_card`"),
                }
                continue;
            }
            // A field of another state type is read all the same: the rules then say it is not
            // allowed on this type, which says more than "unknown field".
            let spec = match vocabulary::by_rust(&key) {
                Some(spec) => spec,
                // Reported, then read as the field it names, as rustc recovers: a mistake in
                // how a field is written should not also make the state look incomplete.
                None => match self.unknown_state_field(&field.key, kind) {
                    Some(meant) => meant,
                    None => continue,
                },
            };
            let floc = loc.key(spec.asl);
            self.spans.insert(floc.clone(), value);
            if let Some(read) = self.field_value(spec.shape, value, &floc) {
                // `field_value` reads the shape the vocabulary names for this very field.
                if let Err(e) = state.set(spec.asl, read) {
                    self.cx.error_spanned_by(value, e);
                }
            }
        }
        Some(state)
    }

    /// Reads `value` as a value of `shape`; `None` (with the error reported) when it is not one.
    fn field_value(&mut self, shape: Shape, value: &Value, loc: &Location) -> Option<FieldValue> {
        Some(match shape {
            Shape::Text => FieldValue::Text(self.string(value)?),
            Shape::StateName => FieldValue::Text(self.name(value)?),
            Shape::Number => FieldValue::Number(self.number(value)?),
            // A number, or in a JSONata state the string of an expression.
            Shape::Numeric => match value {
                Value::Lit(Lit::Str(s)) => FieldValue::Text(s.value()),
                _ => FieldValue::Number(self.number(value)?),
            },
            Shape::QueryLanguage => FieldValue::QueryLanguage(self.query_language(value)?),
            Shape::Bool => FieldValue::Bool(self.boolean(value)?),
            Shape::NullablePath => FieldValue::NullablePath(self.nullable_string(value)?),
            Shape::Json => FieldValue::Json(self.json(value)?),
            Shape::Template => FieldValue::Json(self.template(value, loc)?),
            Shape::Machines => FieldValue::Machines(self.branches(value, loc)?),
            Shape::Machine => match value {
                Value::Object(object) => FieldValue::Machine(self.machine(object, loc, false)),
                _ => {
                    self.cx.error_spanned_by(
                        value,
                        "expected the item processor: `{ start_at: ..., states: { ... } }`",
                    );
                    self.incomplete = true;
                    return None;
                }
            },
            Shape::Quorum => FieldValue::Quorum(self.quorum(value, loc)?),
            Shape::Retriers => FieldValue::Retriers(self.list(value, loc, Self::retrier)?),
            Shape::Catchers => FieldValue::Catchers(self.list(value, loc, Self::catcher)?),
            Shape::ChoiceRules => {
                FieldValue::ChoiceRules(self.list(value, loc, Self::choice_rule)?)
            }
        })
    }

    /// An unknown field in a state of type `kind`: the field it names when it is an ASL
    /// name written as in ASL, else the fields that type allows and the closest of them.
    /// Returns the field it names, if it is an ASL name.
    fn unknown_state_field(
        &self,
        key: &Key,
        kind: StateType,
    ) -> Option<&'static vocabulary::Field> {
        let text = key.text();
        if let Some(spec) = vocabulary::by_asl(&text) {
            let (meant, why) = match spec.successor.filter(|_| spec.legacy.contains(&kind)) {
                Some(new) => (
                    vocabulary::by_asl(new).unwrap_or(spec),
                    format!("`{text}` is the older ASL name of `{new}`"),
                ),
                None => (
                    spec,
                    "fields are the snake_case of their ASL names".to_owned(),
                ),
            };
            self.cx.error_spanned_by(
                key,
                format!(
                    "unknown field `{text}` in a `{kind}` state; write `{}`: {why}",
                    meant.rust
                ),
            );
            return Some(meant);
        }
        let mut names: Vec<&str> = vocabulary::allowed(kind).map(|f| f.rust).collect();
        if kind == StateType::Task {
            // After `resource`: the two say what the Task calls, on AWS and here.
            names.insert(2.min(names.len()), "handler");
            names.push("workflow");
        }
        if kind == StateType::Map {
            names.extend(["reader", "writer"]);
        }
        let hint = suggest::closest(&text, names.iter().copied())
            .map(|c| format!("did you mean `{c}`? "))
            .unwrap_or_default();
        let list = names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        self.cx.error_spanned_by(
            key,
            format!("unknown field `{text}` in a `{kind}` state; {hint}expected one of: {list}"),
        );
        None
    }

    fn branches(&mut self, value: &Value, loc: &Location) -> Option<Vec<StateMachine>> {
        let Value::Array(_, items) = value else {
            self.cx.error_spanned_by(
                value,
                "expected `[{ start_at: ..., states: { ... } }, ...]`",
            );
            return None;
        };
        let mut branches = Vec::new();
        for item in items {
            let owned: Vec<Object>;
            let instances: Vec<&Object> = match item {
                Value::Object(object) => vec![object],
                // One branch per item of the list, in order.
                Value::Template(template) => {
                    // With a state name that is the same in every instance, one instance
                    // is enough to read: the others would only repeat the name.
                    let count = if self.template_names_vary(template) {
                        template.items.len()
                    } else {
                        1
                    };
                    owned = template
                        .items
                        .iter()
                        .take(count)
                        .filter_map(|each| match template.instance(each) {
                            Ok(object) => Some(object),
                            Err(e) => {
                                self.cx.syn_error(e);
                                None
                            }
                        })
                        .collect();
                    owned.iter().collect()
                }
                _ => {
                    self.cx.error_spanned_by(
                        item,
                        "expected a branch: `{ start_at: ..., states: { ... } }`, or branches from a template: `for name in [\"a\", \"b\"] { ... }`",
                    );
                    Vec::new()
                }
            };
            for object in instances {
                let bloc = loc.index(branches.len());
                self.spans.insert(bloc.clone(), item);
                branches.push(self.machine(object, &bloc, false));
            }
        }
        Some(branches)
    }

    /// Whether every state name of a template's body uses its variable (as the key
    /// `replica` or in a string key, `"Ask {replica}"`), so that each instance's names differ;
    /// a name that does not is reported, with the fix.
    fn template_names_vary(&self, template: &Template) -> bool {
        let var = &template.var;
        let placeholder = format!("{{{var}}}");
        let states = template
            .body
            .fields
            .iter()
            .find(|f| f.key.text() == "states");
        let Some(Field {
            value: Value::Object(states),
            ..
        }) = states
        else {
            return true;
        };
        let mut vary = true;
        for field in &states.fields {
            let uses = match &field.key {
                Key::Ident(ident) => ident == var,
                Key::Str(text) => text.value().contains(&placeholder),
            };
            if !uses && template.items.len() > 1 {
                self.cx.error_spanned_by(
                    &field.key,
                    format!(
                        "state `{}` would have the same name in every branch of the template, and state names are unique across the workflow; put `{var}` in it, as in `\"{} {placeholder}\"`",
                        field.key.text(),
                        field.key.text()
                    ),
                );
                vary = false;
            }
        }
        vary
    }

    /// `{ count: 2, timeout_seconds: 15 }`, where `count` is a number or a path string
    /// (`"$$.Execution.Input.quorum"`, `"$.quorum"`) read when the state runs.
    fn quorum(&mut self, value: &Value, loc: &Location) -> Option<Quorum> {
        let Value::Object(object) = value else {
            self.cx
                .error_spanned_by(value, "expected `{ count: ..., timeout_seconds: ... }`");
            return None;
        };
        let mut quorum = Quorum::default();
        for (key, field) in self.fields(object) {
            let value = &field.value;
            match key.as_str() {
                "count" => {
                    if let Value::Lit(Lit::Str(path)) = value {
                        self.spans.insert(loc.key("CountPath"), value);
                        quorum.count_path = Some(path.value());
                    } else {
                        self.spans.insert(loc.key("Count"), value);
                        quorum.count = self.number(value);
                    }
                }
                "timeout_seconds" => {
                    self.spans.insert(loc.key("TimeoutSeconds"), value);
                    quorum.timeout_seconds = self.number(value);
                }
                _ => self.unknown(&field.key, "a quorum", QUORUM_FIELDS),
            }
        }
        Some(quorum)
    }

    /// A Choice rule: `{ variable: "$.x", numeric_greater_than: 0, next: Target }`, or
    /// `{ and: [...], next: ... }`, `{ or: [...] }`, `{ not: { ... } }`. An operator is the
    /// `snake_case` of its ASL name; the rules judge its name and operand.
    fn choice_rule(&mut self, object: &Object, loc: &Location) -> ChoiceRule {
        let mut rule = ChoiceRule::default();
        for (key, field) in self.fields(object) {
            let value = &field.value;
            let asl = pascal_case(&key);
            let floc = loc.key(&asl);
            self.spans.insert(floc.clone(), value);
            match key.as_str() {
                "variable" => rule.variable = self.string(value),
                "condition" => rule.condition = self.json(value),
                "output" => rule.output = self.template(value, &floc),
                "assign" => rule.assign = self.template(value, &floc),
                "next" => rule.next = self.name(value),
                "comment" => rule.comment = self.string(value),
                "and" => rule.and = self.list(value, &floc, Self::choice_rule),
                "or" => rule.or = self.list(value, &floc, Self::choice_rule),
                "not" => match value {
                    Value::Object(inner) => {
                        rule.not = Some(Box::new(self.choice_rule(inner, &floc)));
                    }
                    _ => self
                        .cx
                        .error_spanned_by(value, "expected a rule: `{ variable: ..., ... }`"),
                },
                _ => {
                    // The whole member, `numeric_equals: 1`: one location stands for both an
                    // unknown operator and an operand of the wrong type.
                    self.spans.insert_range(
                        floc.clone(),
                        SpanRange {
                            start: field.key.span_range().start,
                            end: value.span_range().end,
                        },
                    );
                    if let Some(operand) = self.json(value) {
                        rule.comparison.insert(asl, operand);
                    }
                }
            }
        }
        rule
    }

    fn list<T>(
        &mut self,
        value: &Value,
        loc: &Location,
        item: fn(&mut Self, &Object, &Location) -> T,
    ) -> Option<Vec<T>> {
        let Value::Array(_, items) = value else {
            self.cx
                .error_spanned_by(value, "expected a list: `[{ ... }, ...]`");
            return None;
        };
        let mut out = Vec::new();
        for (i, value) in items.iter().enumerate() {
            let Value::Object(object) = value else {
                self.cx.error_spanned_by(value, "expected `{ ... }`");
                continue;
            };
            let iloc = loc.index(i);
            self.spans.insert(iloc.clone(), value);
            out.push(item(self, object, &iloc));
        }
        Some(out)
    }

    /// `{ error_equals, interval_seconds, max_attempts, backoff_rate, max_delay_seconds,
    /// jitter_strategy }`; `error_equals` defaults to `["States.ALL"]`, as in the CDK.
    fn retrier(&mut self, object: &Object, loc: &Location) -> Retrier {
        let mut r = Retrier {
            error_equals: vec![errors::ALL.to_owned()],
            ..Retrier::default()
        };
        for (key, field) in self.fields(object) {
            let value = &field.value;
            let asl = match key.as_str() {
                "error_equals" => "ErrorEquals",
                "interval_seconds" => "IntervalSeconds",
                "max_attempts" => "MaxAttempts",
                "backoff_rate" => "BackoffRate",
                "max_delay_seconds" => "MaxDelaySeconds",
                "jitter_strategy" => "JitterStrategy",
                _ => {
                    self.unknown(&field.key, "a retrier", RETRIER_FIELDS);
                    continue;
                }
            };
            let floc = loc.key(asl);
            self.spans.insert(floc.clone(), value);
            match asl {
                "ErrorEquals" => r.error_equals = self.error_names(value, &floc),
                "IntervalSeconds" => r.interval_seconds = self.number(value),
                "MaxAttempts" => r.max_attempts = self.number(value),
                "BackoffRate" => r.backoff_rate = self.number(value),
                "MaxDelaySeconds" => r.max_delay_seconds = self.number(value),
                _ => r.jitter_strategy = self.jitter(value),
            }
        }
        r
    }

    /// `{ error_equals, next, result_path }`; `error_equals` defaults to `["States.ALL"]`.
    fn catcher(&mut self, object: &Object, loc: &Location) -> Catcher {
        let mut c = Catcher {
            error_equals: vec![errors::ALL.to_owned()],
            ..Catcher::default()
        };
        for (key, field) in self.fields(object) {
            let value = &field.value;
            let asl = match key.as_str() {
                "error_equals" => "ErrorEquals",
                "next" => "Next",
                "result_path" => "ResultPath",
                "output" => "Output",
                "assign" => "Assign",
                _ => {
                    self.unknown(&field.key, "a catcher", CATCHER_FIELDS);
                    continue;
                }
            };
            let floc = loc.key(asl);
            self.spans.insert(floc.clone(), value);
            match asl {
                "ErrorEquals" => c.error_equals = self.error_names(value, &floc),
                "Next" => c.next = self.name(value).unwrap_or_default(),
                "Output" => c.output = self.template(value, &floc),
                "Assign" => c.assign = self.template(value, &floc),
                _ => c.result_path = self.nullable_string(value),
            }
        }
        c
    }

    fn error_names(&mut self, value: &Value, loc: &Location) -> Vec<String> {
        let Value::Array(_, items) = value else {
            self.cx.error_spanned_by(
                value,
                "expected a list of error names: `[\"States.Timeout\", \"MyError\"]`",
            );
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                self.spans.insert(loc.index(i), item);
                self.string(item)
            })
            .collect()
    }

    /// `FULL` or `NONE`, written as an identifier or a string.
    fn jitter(&self, value: &Value) -> Option<String> {
        match value {
            Value::Path(p) if p.get_ident().is_some() => p.get_ident().map(ToString::to_string),
            _ => self.string(value),
        }
    }

    fn string(&self, value: &Value) -> Option<String> {
        if let Value::Lit(Lit::Str(s)) = value {
            return Some(s.value());
        }
        self.cx.error_spanned_by(value, "expected a string literal");
        None
    }

    /// A string, or `null` (which ASL gives a meaning of its own in paths).
    fn nullable_string(&self, value: &Value) -> Option<Option<String>> {
        if is_null(value) {
            return Some(None);
        }
        if let Value::Lit(Lit::Str(s)) = value {
            return Some(Some(s.value()));
        }
        self.cx.error_spanned_by(
            value,
            "expected a path string such as `\"$.result\"`, or `null`",
        );
        None
    }

    /// A state name: an identifier or a string literal.
    fn name(&self, value: &Value) -> Option<String> {
        match value {
            Value::Lit(Lit::Str(s)) => Some(s.value()),
            Value::Path(p) if p.get_ident().is_some() => p
                .get_ident()
                .map(|i| syn::ext::IdentExt::unraw(i).to_string()),
            _ => {
                self.cx.error_spanned_by(
                    value,
                    "expected a state name: an identifier or a string literal",
                );
                None
            }
        }
    }

    /// `JSONata` or `JSONPath`, as an identifier or a string.
    fn query_language(&self, value: &Value) -> Option<QueryLanguage> {
        let text = match value {
            Value::Lit(Lit::Str(s)) => s.value(),
            Value::Path(p) if p.get_ident().is_some() => p.get_ident()?.to_string(),
            _ => String::new(),
        };
        let language = QueryLanguage::from_name(&text);
        if language.is_none() {
            let hint = match text.to_ascii_lowercase().as_str() {
                "jsonata" => "; write `JSONata`".to_owned(),
                "jsonpath" => "; write `JSONPath`".to_owned(),
                _ => String::new(),
            };
            self.cx.error_spanned_by(
                value,
                format!("expected a query language, `JSONata` or `JSONPath`{hint}"),
            );
        }
        language
    }

    fn boolean(&self, value: &Value) -> Option<bool> {
        if let Value::Lit(Lit::Bool(b)) = value {
            return Some(b.value);
        }
        self.cx
            .error_spanned_by(value, "expected `true` or `false`");
        None
    }

    /// A number literal, negative ones included (the rules, not the syntax, judge ranges).
    fn number(&self, value: &Value) -> Option<Number> {
        let parsed = match value {
            Value::Lit(lit) => number(lit, false),
            Value::Neg(_, lit) => number(lit, true),
            _ => None,
        };
        if parsed.is_none() {
            self.cx.error_spanned_by(value, "expected a number");
        }
        parsed
    }

    /// A payload template: JSON whose members' spans are recorded, so that a rule broken by
    /// one `.$` member is reported at it.
    fn template(&mut self, value: &Value, loc: &Location) -> Option<serde_json::Value> {
        self.record_members(value, loc);
        self.json(value)
    }

    fn record_members(&mut self, value: &Value, loc: &Location) {
        match value {
            Value::Object(object) => {
                for field in &object.fields {
                    let at = loc.key(&field.key.text());
                    self.spans.insert(at.clone(), &field.value);
                    self.record_members(&field.value, &at);
                }
            }
            Value::Array(_, items) => {
                for (i, item) in items.iter().enumerate() {
                    self.spans.insert(loc.index(i), item);
                    self.record_members(item, &loc.index(i));
                }
            }
            _ => {}
        }
    }

    /// A JSON value in `json!`'s syntax, limited to literals.
    fn json(&self, value: &Value) -> Option<serde_json::Value> {
        use serde_json::Value as J;
        Some(match value {
            Value::Lit(Lit::Str(s)) => J::String(s.value()),
            Value::Lit(Lit::Bool(b)) => J::Bool(b.value),
            Value::Lit(lit @ (Lit::Int(_) | Lit::Float(_))) => {
                J::Number(self.number(&Value::Lit(lit.clone()))?)
            }
            Value::Neg(..) => J::Number(self.number(value)?),
            v if is_null(v) => J::Null,
            Value::Template(t) => {
                self.cx.error_spanned_by(
                    t.for_token,
                    "a template (`for name in [...] { ... }`) writes the branches of a Parallel state, inside its `branches: [...]`; it is not a JSON value",
                );
                return None;
            }
            Value::Array(_, items) => {
                J::Array(items.iter().map(|i| self.json(i)).collect::<Option<_>>()?)
            }
            Value::Object(object) => {
                let mut map = serde_json::Map::new();
                for field in &object.fields {
                    let Key::Str(key) = &field.key else {
                        self.cx.error_spanned_by(
                            &field.key,
                            "a JSON key is a string literal, as in `json!`: write `\"key\": value`",
                        );
                        return None;
                    };
                    map.insert(key.value(), self.json(&field.value)?);
                }
                J::Object(map)
            }
            _ => {
                self.cx.error_spanned_by(
                    value,
                    "expected a JSON value (a literal, `null`, `[...]` or `{\"key\": ...}`)",
                );
                return None;
            }
        })
    }
}

/// `numeric_greater_than` as `NumericGreaterThan`.
fn pascal_case(snake: &str) -> String {
    snake
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn is_null(value: &Value) -> bool {
    matches!(value, Value::Path(p) if p.is_ident("null"))
}

fn number(lit: &Lit, negative: bool) -> Option<Number> {
    let sign = if negative { "-" } else { "" };
    match lit {
        Lit::Int(i) => {
            let text = format!("{sign}{}", i.base10_digits());
            text.parse::<u64>()
                .map(Number::from)
                .or_else(|_| text.parse::<i64>().map(Number::from))
                .ok()
        }
        Lit::Float(f) => format!("{sign}{}", f.base10_digits())
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(input: Input) -> (Workflow, syn::Result<()>) {
        let cx = Ctxt::new();
        let w = build(input, &cx);
        (w, cx.check())
    }

    #[test]
    fn reads_the_seed_into_the_asl_document() {
        let (w, errors) = read(syn::parse_quote! {
            (::workflow)
            pub Seed {
                start_at: "Do it",
                states: {
                    "Do it": Parallel {
                        branches: [{ start_at: b1, states: { b1: Pass { result: {"message": "hi"}, result_path: "$.b1", end: true } } }],
                        retry: [{ max_attempts: 1 }],
                        catch: [{ next: failed }],
                        next: done,
                    },
                    failed: Pass { end: true },
                    done: Succeed {},
                }
            }
        });
        errors.unwrap();
        let json = serde_json::to_value(&w.definition).unwrap();
        assert_eq!(
            json["States"]["Do it"]["Retry"],
            json!([{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1}])
        );
        assert_eq!(
            json["States"]["Do it"]["Catch"],
            json!([{"ErrorEquals": ["States.ALL"], "Next": "failed"}])
        );
        assert_eq!(
            json["States"]["Do it"]["Branches"][0]["States"]["b1"]["Result"],
            json!({"message": "hi"})
        );
        assert!(w
            .spans
            .find(&Location::root().state("done", 2).key("Next"))
            .is_some());
    }

    #[test]
    fn reads_handlers_numbers_and_nulls() {
        let (w, errors) = read(syn::parse_quote! {
            (::workflow)
            W {
                start_at: T,
                states: {
                    T: Task { resource: "arn", handler: tasks::charge, result_path: null,
                              retry: [{ error_equals: ["X"], interval_seconds: -1, backoff_rate: 1.5, jitter_strategy: FULL }], end: true },
                }
            }
        });
        errors.unwrap();
        assert_eq!(w.handlers.len(), 1);
        assert_eq!(w.handlers[0].state, "T");
        let t = w.definition.states.at(0);
        assert_eq!(t.result_path, Some(None));
        let r = &t.retry.as_ref().unwrap()[0];
        assert_eq!(r.interval_seconds, Some(Number::from(-1)));
        assert_eq!(r.backoff_rate.as_ref().and_then(Number::as_f64), Some(1.5));
        assert_eq!(r.jitter_strategy.as_deref(), Some("FULL"));
    }

    #[test]
    fn reports_every_malformed_field() {
        let (_, errors) = read(syn::parse_quote! {
            (::workflow)
            W {
                start_at: A,
                states: {
                    A: Pass { nxt: B, result: { key: 1 }, end: true, end: true },
                    B: Loop {},
                }
            }
        });
        let messages: Vec<String> = errors
            .unwrap_err()
            .into_iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert!(messages[0].starts_with("`end` is given twice"));
        assert!(
            messages[1].starts_with(
                "unknown field `nxt` in a `Pass` state; did you mean `next`? expected one of: `comment`, `query_language`, `input_path`,"
            ),
            "{}",
            messages[1]
        );
        assert!(messages[2].starts_with("a JSON key is a string literal"));
        assert!(messages[3].starts_with("unknown state type `Loop`"));
    }

    #[test]
    fn an_asl_name_is_reported_then_read_as_the_field_it_names() {
        let (w, errors) = read(syn::parse_quote! {
            (::workflow)
            W {
                start_at: M,
                states: {
                    M: Map { Iterator: { start_at: I, states: { I: Pass { end: true } } }, ResultPath: null, end: true },
                }
            }
        });
        let messages: Vec<String> = errors
            .unwrap_err()
            .into_iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            messages,
            [
                "unknown field `Iterator` in a `Map` state; write `item_processor`: `Iterator` is the older ASL name of `ItemProcessor`",
                "unknown field `ResultPath` in a `Map` state; write `result_path`: fields are the snake_case of their ASL names",
            ]
        );
        let m = w.definition.states.at(0);
        assert!(m.item_processor.is_some() && m.iterator.is_none());
        assert_eq!(m.result_path, Some(None));
    }
}
