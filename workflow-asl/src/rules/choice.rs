//! Choice rules: a Choice state's rules and the comparisons in them.

use serde_json::Value;

use crate::document::{ChoiceRule, State, StateType};
use crate::jsonpath::JsonPath;
use crate::location::Location;
use crate::suggest::closest;

use super::{paths::check_path, Validator};

// Rule: a Choice state has at least one rule. A top-level rule names its `Next`, a nested one
// (inside `And`, `Or`, `Not`) does not. A rule is exactly one of: a comparison (a `Variable`
// that is a path, and one operator ASL defines, whose operand has the operator's type: a
// string for `StringEquals`, a number for `NumericLessThan`, a timestamp for
// `TimestampEquals`, a path for `...Path`, a boolean for `Is...`), or a non-empty `And` or
// `Or`, or a `Not`.
pub(super) fn check_choice(v: &mut Validator, name: &str, state: &State, loc: &Location) {
    if state.kind != StateType::Choice {
        return;
    }
    match &state.choices {
        None => v.report(
            loc.clone(),
            format!(
                "Choice state `{name}` needs `{}`: the rules to choose by",
                v.f("Choices")
            ),
        ),
        Some(rules) if rules.is_empty() => v.report(
            loc.key("Choices"),
            format!(
                "`{}` is empty: a Choice state needs at least one rule",
                v.f("Choices")
            ),
        ),
        // A JSONata rule is a `Condition` and a `Next` (the language rules check the rest).
        Some(rules) if v.language(state) == crate::document::QueryLanguage::Jsonata => {
            for (i, rule) in rules.iter().enumerate() {
                if rule.next.is_none() {
                    let message = format!(
                        "a choice rule needs `{}`: the state to go to when it matches",
                        v.f("Next")
                    );
                    v.report(loc.key("Choices").index(i), message);
                }
            }
        }
        Some(rules) => {
            for (i, rule) in rules.iter().enumerate() {
                check_choice_rule(v, rule, &loc.key("Choices").index(i), true);
            }
        }
    }
}

pub(super) fn check_choice_rule(v: &mut Validator, rule: &ChoiceRule, loc: &Location, top: bool) {
    use crate::choice::{Family, Operator};
    let next = v.f("Next");
    match (top, &rule.next) {
        (true, None) => v.report(loc.clone(), format!("a choice rule needs `{next}`: the state to go to when it matches")),
        (false, Some(_)) => v.report(loc.key("Next"), format!("only a top-level choice rule has `{next}`; a rule inside `{}`, `{}` or `{}` does not", v.f("And"), v.f("Or"), v.f("Not"))),
        _ => {}
    }
    let kinds = usize::from(rule.and.is_some())
        + usize::from(rule.or.is_some())
        + usize::from(rule.not.is_some())
        + usize::from(rule.variable.is_some() || !rule.comparison.is_empty());
    // A JSONPath rule with a JSONata `Condition` is reported by the language rules.
    if kinds == 0 && rule.condition.is_some() {
        return;
    }
    if kinds != 1 {
        let message = format!(
            "a choice rule is one of: a comparison (`{}` and an operator such as `{}`), `{}`, `{}` or `{}`",
            v.f("Variable"),
            v.f("NumericEquals"),
            v.f("And"),
            v.f("Or"),
            v.f("Not")
        );
        v.report(loc.clone(), message);
        return;
    }
    for (key, rules) in [("And", &rule.and), ("Or", &rule.or)] {
        let Some(rules) = rules else { continue };
        if rules.is_empty() {
            v.report(
                loc.key(key),
                format!("`{}` needs at least one rule", v.f(key)),
            );
        }
        for (i, nested) in rules.iter().enumerate() {
            check_choice_rule(v, nested, &loc.key(key).index(i), false);
        }
    }
    if let Some(nested) = &rule.not {
        check_choice_rule(v, nested, &loc.key("Not"), false);
    }
    if rule.and.is_some() || rule.or.is_some() || rule.not.is_some() {
        return;
    }
    match &rule.variable {
        None => v.report(
            loc.clone(),
            format!(
                "a comparison needs `{}`: the path of the value it tests",
                v.f("Variable")
            ),
        ),
        Some(path) => check_path(v, Some(path), &loc.key("Variable")),
    }
    let operators: Vec<(&String, &Value)> = rule.comparison.iter().collect();
    let [(op_name, operand)] = operators.as_slice() else {
        let names: Vec<String> = operators
            .iter()
            .map(|(n, _)| format!("`{}`", v.f(n)))
            .collect();
        let message = if names.is_empty() {
            format!(
                "a comparison needs an operator, such as `{}: 0`",
                v.f("NumericEquals")
            )
        } else {
            format!("a comparison has one operator, found {}", names.join(", "))
        };
        v.report(loc.clone(), message);
        return;
    };
    let at = loc.key(op_name);
    let Some(op) = Operator::parse(op_name) else {
        let names = Operator::names();
        let hint = closest(op_name, names.iter().map(String::as_str))
            .map(|c| format!("; did you mean `{}`?", v.f(c)))
            .unwrap_or_default();
        v.report(
            at,
            format!(
                "`{}` is not a Choice comparison ASL defines{hint}",
                v.f(op_name)
            ),
        );
        return;
    };
    let fits = match op {
        Operator::Compare { path: true, .. } => {
            operand.as_str().is_some_and(|p| JsonPath::parse(p).is_ok())
        }
        Operator::Compare {
            family: Family::String,
            ..
        }
        | Operator::Matches => operand.is_string(),
        Operator::Compare {
            family: Family::Numeric,
            ..
        } => operand.is_number(),
        Operator::Compare {
            family: Family::Boolean,
            ..
        }
        | Operator::Is(_) => operand.is_boolean(),
        Operator::Compare {
            family: Family::Timestamp,
            ..
        } => operand
            .as_str()
            .is_some_and(|t| crate::timestamp::parse(t).is_some()),
    };
    if !fits {
        v.report(
            at,
            format!(
                "`{}` compares with {}, found {operand}",
                v.f(op_name),
                op.operand()
            ),
        );
    }
}
