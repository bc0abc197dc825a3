//! Choice: evaluating a rule against the state's input.
//!
//! A comparison whose variable and operand have different types is false (a string is not
//! `NumericEquals` anything); a variable that is not in the input is a `States.Runtime`
//! error, except for `IsPresent`, which is what it tests.

use std::cmp::Ordering;

use serde_json::Value;
use workflow_asl::choice::{Family, Operator, Relation, TypeTest};
use workflow_asl::{errors, ChoiceRule, JsonPath};

use crate::context::ContextObject;
use crate::Error;

fn runtime(why: String) -> Error {
    Error::new(errors::RUNTIME, why)
}

/// The node `path` names: in `input`, or for `$$` paths in the context object.
fn resolve(path: &str, input: &Value, context: &dyn ContextObject) -> Result<Option<Value>, Error> {
    // A workflow variable (`$name...`).
    if let Some(found) = context.variable_at(path) {
        return Ok(found);
    }
    let parsed =
        JsonPath::parse(path).map_err(|e| runtime(format!("`{path}` is not a path: {e}")))?;
    Ok(if parsed.is_context() {
        context.select(&parsed)
    } else {
        parsed.select(input)
    })
}

/// Whether `rule` matches `input`.
///
/// # Errors
/// `States.Runtime` when a comparison's variable, or a `...Path` operand, is not in the input.
pub fn evaluate(
    rule: &ChoiceRule,
    input: &Value,
    context: &dyn ContextObject,
) -> Result<bool, Error> {
    if let Some(rules) = &rule.and {
        for r in rules {
            if !evaluate(r, input, context)? {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    if let Some(rules) = &rule.or {
        for r in rules {
            if evaluate(r, input, context)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if let Some(r) = &rule.not {
        return Ok(!evaluate(r, input, context)?);
    }
    let variable = rule
        .variable
        .as_deref()
        .ok_or_else(|| runtime("a choice rule has no Variable".into()))?;
    let (name, operand) = rule
        .comparison
        .iter()
        .next()
        .ok_or_else(|| runtime(format!("the choice rule on `{variable}` has no comparison")))?;
    let op = Operator::parse(name)
        .ok_or_else(|| runtime(format!("`{name}` is not a Choice comparison")))?;
    let value = resolve(variable, input, context)?;
    if op == Operator::Is(TypeTest::Present) {
        return Ok(value.is_some() == (operand == &Value::Bool(true)));
    }
    let value = value.ok_or_else(|| {
        runtime(format!(
            "the choice variable `{variable}` is not in the input {input}"
        ))
    })?;
    Ok(match op {
        Operator::Is(test) => {
            let is = match test {
                TypeTest::Null => value.is_null(),
                TypeTest::Numeric => value.is_number(),
                TypeTest::String => value.is_string(),
                TypeTest::Boolean => value.is_boolean(),
                TypeTest::Timestamp => value
                    .as_str()
                    .is_some_and(|t| workflow_asl::timestamp::parse(t).is_some()),
                TypeTest::Present => true,
            };
            is == (operand == &Value::Bool(true))
        }
        Operator::Matches => match (value.as_str(), operand.as_str()) {
            (Some(text), Some(pattern)) => string_matches(pattern, text),
            _ => false,
        },
        Operator::Compare {
            family,
            relation,
            path,
        } => {
            let other = if path {
                let path = operand
                    .as_str()
                    .ok_or_else(|| runtime(format!("`{name}` needs a path, found {operand}")))?;
                resolve(path, input, context)?.ok_or_else(|| {
                    runtime(format!(
                        "the path `{path}` of `{name}` is not in the input {input}"
                    ))
                })?
            } else {
                operand.clone()
            };
            compare(family, &value, &other).is_some_and(|ordering| holds(relation, ordering))
        }
    })
}

/// How `value` orders against `other` in `family`, or `None` when either is not of its type.
fn compare(family: Family, value: &Value, other: &Value) -> Option<Ordering> {
    match family {
        Family::String => Some(value.as_str()?.cmp(other.as_str()?)),
        Family::Numeric => compare_numbers(value.as_number()?, other.as_number()?),
        Family::Boolean => (value.as_bool()? == other.as_bool()?).then_some(Ordering::Equal),
        Family::Timestamp => {
            let a = workflow_asl::timestamp::parse(value.as_str()?)?;
            let b = workflow_asl::timestamp::parse(other.as_str()?)?;
            Some(a.cmp(&b))
        }
    }
}

/// Two JSON numbers compared exactly: whole numbers as whole numbers (through `f64` they are
/// equal from 2^53 up, `9007199254740993` and `9007199254740992` included), a whole number and
/// a fraction through `f64`, refined where `f64` cannot tell them apart.
fn compare_numbers(a: &serde_json::Number, b: &serde_json::Number) -> Option<Ordering> {
    let whole = |n: &serde_json::Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    match (whole(a), whole(b)) {
        (Some(x), Some(y)) => Some(x.cmp(&y)),
        (Some(x), None) => compare_whole_and_float(x, b.as_f64()?),
        (None, Some(y)) => compare_whole_and_float(y, a.as_f64()?).map(Ordering::reverse),
        (None, None) => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

/// A whole number against a float: through `f64`, unless the two are then equal, where the
/// float (necessarily whole, that far out) is compared as a whole number.
fn compare_whole_and_float(whole: i128, float: f64) -> Option<Ordering> {
    #[allow(clippy::cast_precision_loss)]
    let rough = (whole as f64).partial_cmp(&float)?;
    if rough != Ordering::Equal || float.fract() != 0.0 || float.abs() >= 1.7e38 {
        return Some(rough);
    }
    #[allow(clippy::cast_possible_truncation)]
    Some(whole.cmp(&(float as i128)))
}

fn holds(relation: Relation, ordering: Ordering) -> bool {
    match relation {
        Relation::Equals => ordering == Ordering::Equal,
        Relation::GreaterThan => ordering == Ordering::Greater,
        Relation::GreaterThanEquals => ordering != Ordering::Less,
        Relation::LessThan => ordering == Ordering::Less,
        Relation::LessThanEquals => ordering != Ordering::Greater,
    }
}

/// Whether `text` matches `pattern`, where `*` matches any run of characters and `\*`, `\\`
/// stand for a literal `*` and `\`.
#[must_use]
pub fn string_matches(pattern: &str, text: &str) -> bool {
    // Tokens: Some(c) a literal character, None a wildcard.
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => tokens.push(Some(chars.next().unwrap_or('\\'))),
            '*' => tokens.push(None),
            c => tokens.push(Some(c)),
        }
    }
    let text: Vec<char> = text.chars().collect();
    // Classic wildcard matching with backtracking to the last star.
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match tokens.get(p) {
            Some(Some(c)) if *c == text[t] => {
                t += 1;
                p += 1;
            }
            Some(None) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    tokens[p..].iter().all(Option::is_none)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(rule: Value, input: Value) -> Result<bool, Error> {
        let rule: ChoiceRule = serde_json::from_value(rule).unwrap();
        evaluate(
            &rule,
            &input,
            &|| json!({"Execution": {"Input": {"limit": 5}}}),
        )
    }

    // Issue 13: through f64, 9007199254740993 (2^53 + 1) equalled 9007199254740992, and
    // u64::MAX equalled 2^64 as a float. The States Language compares numbers as numbers.
    #[test]
    fn large_whole_numbers_compare_exactly() {
        let n = json!({"n": 9_007_199_254_740_993_u64, "max": u64::MAX, "min": i64::MIN});
        for (rule, expected) in [
            (
                json!({"Variable": "$.n", "NumericEquals": 9_007_199_254_740_992_u64}),
                false,
            ),
            (
                json!({"Variable": "$.n", "NumericGreaterThan": 9_007_199_254_740_992_u64}),
                true,
            ),
            (
                json!({"Variable": "$.n", "NumericEquals": 9.007_199_254_740_992e15}),
                false,
            ),
            (
                json!({"Variable": "$.n", "NumericGreaterThan": 9.007_199_254_740_992e15}),
                true,
            ),
            (
                json!({"Variable": "$.max", "NumericLessThan": 1.8446744073709552e19}),
                true,
            ),
            (json!({"Variable": "$.min", "NumericLessThan": 0}), true),
            (json!({"Variable": "$.n", "NumericLessThan": 1e300}), true),
            (json!({"Variable": "$.n", "NumericGreaterThan": 0.5}), true),
        ] {
            assert_eq!(check(rule.clone(), n.clone()), Ok(expected), "{rule}");
        }
    }

    #[test]
    fn every_family_and_relation() {
        let input = json!({"s": "b", "n": 5, "b": true, "t": "2026-01-01T00:00:00Z", "limit": 5});
        let cases = [
            (json!({"Variable": "$.s", "StringEquals": "b"}), true),
            (json!({"Variable": "$.s", "StringGreaterThan": "a"}), true),
            (
                json!({"Variable": "$.s", "StringLessThanEquals": "a"}),
                false,
            ),
            (
                json!({"Variable": "$.n", "NumericGreaterThanEquals": 5}),
                true,
            ),
            (json!({"Variable": "$.n", "NumericLessThan": 5.5}), true),
            (
                json!({"Variable": "$.n", "NumericEqualsPath": "$.limit"}),
                true,
            ),
            (
                json!({"Variable": "$.n", "NumericGreaterThanPath": "$$.Execution.Input.limit"}),
                false,
            ),
            (json!({"Variable": "$.b", "BooleanEquals": true}), true),
            (
                json!({"Variable": "$.t", "TimestampGreaterThan": "2025-12-31T23:00:00-02:00"}),
                false,
            ),
            (
                json!({"Variable": "$.t", "TimestampLessThan": "2026-01-01T00:00:01Z"}),
                true,
            ),
            (json!({"Variable": "$.s", "StringMatches": "*"}), true),
            (json!({"Variable": "$.t", "IsTimestamp": true}), true),
            (json!({"Variable": "$.s", "IsNumeric": false}), true),
            (json!({"Variable": "$.nope", "IsPresent": false}), true),
            (
                json!({"And": [{"Variable": "$.n", "IsNumeric": true}, {"Not": {"Variable": "$.b", "BooleanEquals": false}}]}),
                true,
            ),
            (
                json!({"Or": [{"Variable": "$.n", "IsNull": true}, {"Variable": "$.s", "StringEquals": "x"}]}),
                false,
            ),
        ];
        for (rule, expected) in cases {
            assert_eq!(check(rule.clone(), input.clone()), Ok(expected), "{rule}");
        }
    }

    #[test]
    fn a_query_variable_tests_the_array_of_its_matches() {
        let input = json!({"items": [{"p": 5}, {"p": 50}]});
        let big = json!({"Variable": "$.items[?(@.p > 10)]", "IsPresent": true});
        assert_eq!(check(big, input.clone()), Ok(true));
        let none = json!({"Variable": "$.items[?(@.p > 99)][0]", "IsPresent": true});
        assert_eq!(
            check(none, input.clone()),
            Ok(true),
            "an empty array is present"
        );
        let prices = json!({"Variable": "$.items[*].p", "IsNumeric": true});
        assert_eq!(check(prices, input), Ok(false), "an array is not a number");
    }

    #[test]
    fn mismatched_types_are_false_and_missing_variables_are_runtime_errors() {
        assert_eq!(
            check(
                json!({"Variable": "$.s", "NumericEquals": 1}),
                json!({"s": "1"})
            ),
            Ok(false)
        );
        assert_eq!(
            check(
                json!({"Variable": "$.s", "TimestampEquals": "2026-01-01T00:00:00Z"}),
                json!({"s": "soon"})
            ),
            Ok(false)
        );
        let err = check(json!({"Variable": "$.x", "NumericEquals": 1}), json!({})).unwrap_err();
        assert_eq!(err.name(), "States.Runtime");
        let err = check(
            json!({"Variable": "$.n", "NumericEqualsPath": "$.x"}),
            json!({"n": 1}),
        )
        .unwrap_err();
        assert_eq!(err.name(), "States.Runtime");
    }

    #[test]
    fn string_matches_uses_stars_and_escapes() {
        assert!(string_matches("log-*.txt", "log-2026.txt"));
        assert!(string_matches("*", ""));
        assert!(string_matches("a*b*c", "a--b--c"));
        assert!(!string_matches("a*b*c", "a--b--"));
        assert!(string_matches(r"100\*", "100*"));
        assert!(!string_matches(r"100\*", "1000"));
        assert!(string_matches(r"back\\slash", r"back\slash"));
        assert!(!string_matches("abc", "abcd"));
    }
}
