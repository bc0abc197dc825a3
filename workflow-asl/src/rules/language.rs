//! Query-language rules: which fields a JSONPath or a JSONata state may have, how the two
//! mix, where expressions are, and what workflow variables may be called.
//!
//! From the AWS Step Functions developer guide, "Transforming data with JSONata" and
//! "Passing data between states with variables":
//!
//! - a definition's top-level `QueryLanguage` is every state's default; a state may name its
//!   own, except that under a JSONata definition no state may be JSONPath;
//! - a JSONata state has no JSONPath field (`InputPath`, `Parameters`, `ResultSelector`,
//!   `ResultPath`, `OutputPath`, `ItemsPath`, the `...Path` fields, a Pass's `Result`, a
//!   Choice rule's `Variable` and comparisons, a catcher's `ResultPath`): `Arguments`,
//!   `Output`, `Items`, `Condition` and expressions in the plain fields take their place;
//! - a JSONPath state has none of those JSONata fields, and no expression in a numeric one;
//! - `Assign` is in both; a variable's name is letters, digits and `_`, not starting with a
//!   digit, at most 80 characters, and not `states` (reserved for `$states`).

use serde_json::Value;

use crate::document::{Catcher, ChoiceRule, Numeric, QueryLanguage, State, StateType};
use crate::location::Location;

use super::Validator;
use crate::variables::variable_name_problem;

/// JSONPath-only state fields, each with what a JSONata state writes instead.
const JSONPATH_FIELDS: &[(&str, &str)] = &[
    (
        "InputPath",
        "read `$states.input` in `Arguments` or `Output`",
    ),
    ("Parameters", "write `Arguments` (a Map: `ItemSelector`)"),
    ("ResultSelector", "write `Output`, reading `$states.result`"),
    (
        "ResultPath",
        "write `Output`, reading `$states.input` and `$states.result`",
    ),
    ("OutputPath", "write `Output`"),
    ("Result", "write `Output`"),
    ("ItemsPath", "write `Items`"),
    (
        "TimeoutSecondsPath",
        "write `TimeoutSeconds` as an expression",
    ),
    (
        "HeartbeatSecondsPath",
        "write `HeartbeatSeconds` as an expression",
    ),
    ("SecondsPath", "write `Seconds` as an expression"),
    ("TimestampPath", "write `Timestamp` as an expression"),
    ("ErrorPath", "write `Error` as an expression"),
    ("CausePath", "write `Cause` as an expression"),
    (
        "MaxConcurrencyPath",
        "write `MaxConcurrency` as an expression",
    ),
    (
        "ToleratedFailureCountPath",
        "write `ToleratedFailureCount` as an expression",
    ),
    (
        "ToleratedFailurePercentagePath",
        "write `ToleratedFailurePercentage` as an expression",
    ),
];

/// JSONata-only state fields, each with what a JSONPath state writes instead.
const JSONATA_FIELDS: &[(&str, &str)] = &[
    ("Arguments", "write `Parameters`"),
    (
        "Output",
        "write `ResultSelector`, `ResultPath` or `OutputPath`",
    ),
    ("Items", "write `ItemsPath`"),
];

impl Validator {
    /// The query language of `state`: its own, else the definition's.
    pub(super) fn language(&self, state: &State) -> QueryLanguage {
        state.query_language.unwrap_or(self.top_language)
    }
}

pub(super) fn check_language(v: &mut Validator, name: &str, state: &State, loc: &Location) {
    let language = v.language(state);
    if v.top_language == QueryLanguage::Jsonata
        && state.query_language == Some(QueryLanguage::JsonPath)
    {
        let message = format!(
            "state `{name}` cannot be JSONPath: the definition's `{}` is JSONata, and a JSONata definition has only JSONata states; set the top-level `{}` to JSONPath and this state's to JSONata where you want it, or write this state in JSONata",
            v.f("QueryLanguage"),
            v.f("QueryLanguage")
        );
        v.report(loc.key("QueryLanguage"), message);
    }
    let fields = state.fields();
    let (refused, other) = match language {
        QueryLanguage::Jsonata => (JSONPATH_FIELDS, "JSONPath"),
        QueryLanguage::JsonPath => (JSONATA_FIELDS, "JSONata"),
    };
    for (field, instead) in refused {
        if fields.contains(field) {
            let message = format!(
                "`{}` is a {other} field, and state `{name}` is {language}: {}",
                v.f(field),
                instead_in(v, instead)
            );
            v.report(loc.key(field), message);
        }
    }
    let numeric = [
        ("TimeoutSeconds", &state.timeout_seconds),
        ("HeartbeatSeconds", &state.heartbeat_seconds),
        ("Seconds", &state.seconds),
        ("MaxConcurrency", &state.max_concurrency),
        ("ToleratedFailureCount", &state.tolerated_failure_count),
        (
            "ToleratedFailurePercentage",
            &state.tolerated_failure_percentage,
        ),
    ];
    for (field, value) in numeric {
        if let (QueryLanguage::JsonPath, Some(Numeric::Expression(text))) = (language, value) {
            let message = format!(
                "`{}` takes an expression only in a JSONata state, and state `{name}` is JSONPath: write a number, or `{}` with a reference path, found \"{text}\"",
                v.f(field),
                v.f(&format!("{field}Path"))
            );
            v.report(loc.key(field), message);
        }
    }
    if language == QueryLanguage::Jsonata {
        for (field, value) in [
            ("Arguments", state.arguments.as_ref()),
            ("Output", state.output.as_ref()),
            ("Items", state.items.as_ref()),
            ("ItemSelector", state.item_selector.as_ref()),
        ] {
            if let Some(value) = value {
                check_expressions(v, value, &loc.key(field));
            }
        }
        for (field, text) in [
            ("Error", &state.error),
            ("Cause", &state.cause),
            ("Timestamp", &state.timestamp),
        ] {
            if let Some(text) = text {
                check_expressions(v, &Value::String(text.clone()), &loc.key(field));
            }
        }
        if let Some(items) = &state.items {
            if !(items.is_array()
                || items
                    .as_str()
                    .is_some_and(|t| crate::jsonata::expression(t).is_some()))
            {
                let message = format!(
                    "`{}` is an array, or an expression `{{% ... %}}` that gives one, found {items}",
                    v.f("Items")
                );
                v.report(loc.key("Items"), message);
            }
        }
    }
    if let Some(assign) = &state.assign {
        check_assign(v, language, assign, &loc.key("Assign"));
    }
    for (i, rule) in state.choices.iter().flatten().enumerate() {
        check_rule_language(v, language, rule, &loc.key("Choices").index(i));
    }
    for (i, catcher) in state.catch.iter().flatten().enumerate() {
        check_catcher_language(v, language, catcher, &loc.key("Catch").index(i));
    }
    if state.kind == StateType::Choice && language == QueryLanguage::Jsonata {
        if let Some(output) = &state.output {
            check_expressions(v, output, &loc.key("Output"));
        }
    }
}

fn instead_in(v: &Validator, instead: &str) -> String {
    // The hints name ASL fields in backticks; the macro's dialect names them its way.
    let mut out = String::new();
    let mut rest = instead;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('`') else { break };
        let word = &after[..end];
        let is_field = word.chars().next().is_some_and(|c| c.is_ascii_uppercase());
        out.push('`');
        out.push_str(&if is_field { v.f(word) } else { word.to_owned() });
        out.push('`');
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

fn check_rule_language(
    v: &mut Validator,
    language: QueryLanguage,
    rule: &ChoiceRule,
    loc: &Location,
) {
    match language {
        QueryLanguage::Jsonata => {
            if rule.variable.is_some()
                || rule.and.is_some()
                || rule.or.is_some()
                || rule.not.is_some()
                || !rule.comparison.is_empty()
            {
                let message = format!(
                    "a rule of a JSONata Choice state is a `{}`, an expression `{{% ... %}}` that gives true or false; `{}`, `{}`, `{}`, `{}` and comparisons are JSONPath",
                    v.f("Condition"),
                    v.f("Variable"),
                    v.f("And"),
                    v.f("Or"),
                    v.f("Not")
                );
                v.report(loc.clone(), message);
            }
            match &rule.condition {
                None => v.report(
                    loc.clone(),
                    format!(
                        "a rule of a JSONata Choice state needs `{}`: an expression `{{% ... %}}` that gives true or false",
                        v.f("Condition")
                    ),
                ),
                Some(Value::Bool(_)) => {}
                Some(Value::String(text)) if crate::jsonata::expression(text).is_some() => {}
                Some(other) => v.report(
                    loc.key("Condition"),
                    format!(
                        "`{}` is an expression `{{% ... %}}` that gives true or false, found {other}",
                        v.f("Condition")
                    ),
                ),
            }
            if let Some(output) = &rule.output {
                check_expressions(v, output, &loc.key("Output"));
            }
        }
        QueryLanguage::JsonPath => {
            for (field, set, instead) in [
                (
                    "Condition",
                    rule.condition.is_some(),
                    "write `Variable` and a comparison",
                ),
                (
                    "Output",
                    rule.output.is_some(),
                    "write the state's `OutputPath`",
                ),
            ] {
                if set {
                    let message = format!(
                        "`{}` is a JSONata field, and this Choice state is JSONPath: {}",
                        v.f(field),
                        instead_in(v, instead)
                    );
                    v.report(loc.key(field), message);
                }
            }
        }
    }
    if let Some(assign) = &rule.assign {
        check_assign(v, language, assign, &loc.key("Assign"));
    }
}

fn check_catcher_language(
    v: &mut Validator,
    language: QueryLanguage,
    catcher: &Catcher,
    loc: &Location,
) {
    match language {
        QueryLanguage::Jsonata => {
            if catcher.result_path.is_some() {
                let message = format!(
                    "`{}` is a JSONPath field, and this state is JSONata: write the catcher's `{}`, reading `$states.input` and `$states.errorOutput`",
                    v.f("ResultPath"),
                    v.f("Output")
                );
                v.report(loc.key("ResultPath"), message);
            }
            if let Some(output) = &catcher.output {
                check_expressions(v, output, &loc.key("Output"));
            }
        }
        QueryLanguage::JsonPath => {
            if catcher.output.is_some() {
                let message = format!(
                    "`{}` is a JSONata field, and this state is JSONPath: write the catcher's `{}`",
                    v.f("Output"),
                    v.f("ResultPath")
                );
                v.report(loc.key("Output"), message);
            }
        }
    }
    if let Some(assign) = &catcher.assign {
        check_assign(v, language, assign, &loc.key("Assign"));
    }
}

// Rule: `Assign` is an object of variable names (in JSONPath, a name may end in `.$`: its
// value is a path or an intrinsic call).
fn check_assign(v: &mut Validator, language: QueryLanguage, assign: &Value, loc: &Location) {
    let Value::Object(members) = assign else {
        let message = format!(
            "`{}` is an object of variable names and values, found {assign}",
            v.f("Assign")
        );
        v.report(loc.clone(), message);
        return;
    };
    for (key, value) in members {
        let name = match language {
            QueryLanguage::JsonPath => key.strip_suffix(".$").unwrap_or(key),
            QueryLanguage::Jsonata => key,
        };
        if let Some(why) = variable_name_problem(name) {
            let message = if name.is_empty() {
                "a variable needs a name".to_owned()
            } else {
                format!("`{key}` cannot name a variable: {why}")
            };
            v.report(loc.key(key), message);
        }
        if language == QueryLanguage::Jsonata {
            check_expressions(v, value, &loc.key(key));
        } else if key.ends_with(".$") && !value.is_string() {
            let message = format!(
                "`{key}` ends in `.$`: its value is a path or an intrinsic call, found {value}"
            );
            v.report(loc.key(key), message);
        }
    }
}

// Rule: an expression string is written `{% ... %}`, closed.
fn check_expressions(v: &mut Validator, value: &Value, loc: &Location) {
    match value {
        Value::String(text) if crate::jsonata::is_unclosed(text) => {
            v.report(
                loc.clone(),
                format!("the expression \"{text}\" is not closed: write it `{{% ... %}}`"),
            );
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_expressions(v, item, &loc.index(i));
            }
        }
        Value::Object(members) => {
            for (key, item) in members {
                check_expressions(v, item, &loc.key(key));
            }
        }
        _ => {}
    }
}
