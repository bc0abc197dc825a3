//! ASL data flow through a state: `InputPath`, `Parameters`, `ResultSelector`, `ResultPath`,
//! `OutputPath`, each with the error ASL names for its failure.
//!
//! `InputPath`, `OutputPath` and the `.$` members of `Parameters` and `ResultSelector` take any
//! ASL path ([`JsonPath`]): a reference path (`$.a.b[0]`) selects the one node it names, any other
//! JSONPath (`$.items[?(@.price > 10)].id`) an array of every node it matches. `ResultPath`
//! takes a reference path only.

use serde_json::{Map, Value};
use workflow_asl::{errors, JsonPath, QueryLanguage, ReferencePath, State};

use crate::context::ContextObject;
use crate::expression::{self, States};
use crate::Error;

fn parse(path: &str, field: &str) -> Result<JsonPath, Error> {
    JsonPath::parse(path).map_err(|e| {
        Error::new(
            errors::RUNTIME,
            format!("{field} `{path}` is not a valid path: {e}"),
        )
    })
}

/// `InputPath`: the part of the raw input the state works on. Unset keeps the input, `null`
/// gives `{}`, and a path that matches nothing fails with `States.Runtime`. A `$$` path reads
/// the context object instead (`"InputPath": "$$.Execution.Input"`, which AWS runs).
///
/// # Errors
/// `States.Runtime` when the path matches nothing.
pub fn input_path(
    path: Option<&Option<String>>,
    input: Value,
    context: &dyn ContextObject,
) -> Result<Value, Error> {
    select(path, input, "InputPath", context)
}

/// `OutputPath`: the part of the state's output passed on, with `InputPath`'s rules.
///
/// # Errors
/// `States.Runtime` when the path matches nothing.
pub fn output_path(
    path: Option<&Option<String>>,
    output: Value,
    context: &dyn ContextObject,
) -> Result<Value, Error> {
    select(path, output, "OutputPath", context)
}

fn select(
    path: Option<&Option<String>>,
    value: Value,
    field: &str,
    context: &dyn ContextObject,
) -> Result<Value, Error> {
    match path {
        None => Ok(value),
        Some(None) => Ok(Value::Object(Map::new())),
        Some(Some(p)) if workflow_asl::variables::variable_path(p).is_some() => {
            context.variable_at(p).flatten().ok_or_else(|| {
                unmatched(format!(
                    "{field} `{p}` matched nothing: the variable is not set"
                ))
            })
        }
        Some(Some(p)) if p.starts_with("$$") => {
            context.select(&parse(p, field)?).ok_or_else(|| {
                unmatched(format!(
                    "{field} `{p}` matched nothing in the context object"
                ))
            })
        }
        Some(Some(p)) => {
            // A reference path, the common case, moves its node out without parsing into an
            // owned path; any other path is parsed as a JSONPath query.
            let nothing =
                |value: &Value| unmatched(format!("{field} `{p}` matched nothing in {value}"));
            match ReferencePath::get_in(p, &value) {
                Ok(Some(_)) => ReferencePath::take_in(p, value)
                    .ok()
                    .flatten()
                    .ok_or_else(|| nothing(&Value::Null)),
                Ok(None) => Err(nothing(&value)),
                Err(_) => parse(p, field)?
                    .select(&value)
                    .ok_or_else(|| nothing(&value)),
            }
        }
    }
}

/// The error of an `InputPath` or `OutputPath` that matched nothing: `States.Runtime`, which
/// no retrier retries and no catcher catches, even one that names it (AWS's recorded answer,
/// issue 15): the execution fails.
fn unmatched(cause: String) -> Error {
    Error::ending_execution(errors::RUNTIME, cause)
}

/// Fills a `Parameters` or `ResultSelector` template from `source`: members whose key ends in
/// `.$` are replaced (under the key without `.$`) by the value of their intrinsic call, or by
/// the node their path names (in `source`, or for a `$$` path in the context object, which
/// `context` makes on demand); other members are copied as written, and nested objects are
/// filled in the same way.
///
/// # Errors
/// `States.ParameterPathFailure` when a path matches nothing.
pub fn template(
    template: &Value,
    source: &Value,
    context: &dyn ContextObject,
) -> Result<Value, Error> {
    match template {
        Value::Object(members) => {
            let mut out = Map::with_capacity(members.len());
            for (key, value) in members {
                if let (Some(name), Value::String(path)) = (key.strip_suffix(".$"), value) {
                    if workflow_asl::intrinsic::is_call(path) {
                        let call = workflow_asl::intrinsic::parse(path).map_err(|e| {
                            Error::new(errors::INTRINSIC_FAILURE, format!("`{path}`: {e}"))
                        })?;
                        out.insert(
                            name.to_owned(),
                            crate::intrinsic::evaluate(&call, source, context)?,
                        );
                        continue;
                    }
                    if let Some(found) = context.variable_at(path) {
                        let found = found.ok_or_else(|| {
                            Error::new(
                                errors::PARAMETER_PATH_FAILURE,
                                format!("the path `{path}` of `{key}` matched nothing: the variable is not set"),
                            )
                        })?;
                        out.insert(name.to_owned(), found);
                        continue;
                    }
                    let parsed = parse(path, "Parameters")?;
                    let found = if parsed.is_context() {
                        context.select(&parsed)
                    } else {
                        parsed.select(source)
                    };
                    let found = found.ok_or_else(|| {
                        Error::new(
                            errors::PARAMETER_PATH_FAILURE,
                            format!("the path `{path}` of `{key}` matched nothing in {source}"),
                        )
                    })?;
                    out.insert(name.to_owned(), found);
                } else {
                    out.insert(key.clone(), self::template(value, source, context)?);
                }
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .map(|v| self::template(v, source, context))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

/// `ResultPath`: combines the state's raw input with its result. Unset replaces the input
/// with the result, `null` discards the result, and a path writes the result into the input.
///
/// # Errors
/// `States.ResultPathMatchFailure` when the path cannot be written in the input.
pub fn result_path(
    path: Option<&Option<String>>,
    input: Value,
    result: Value,
) -> Result<Value, Error> {
    match path {
        None => Ok(result),
        Some(None) => Ok(input),
        Some(Some(p)) => {
            let mut input = input;
            ReferencePath::set_in(p, &mut input, result)
                .map_err(|e| {
                    Error::new(
                        errors::RUNTIME,
                        format!("ResultPath `{p}` is not a reference path: {e}"),
                    )
                })?
                .map_err(|e| Error::new(errors::RESULT_PATH_MATCH_FAILURE, e.to_string()))?;
            Ok(input)
        }
    }
}

/// A state's effective input: `InputPath`, then `Parameters`. A Map's `Parameters` is the
/// older name of its `ItemSelector`, applied to each item ([`State::selector`]), not to the
/// state's input: AWS still runs such Maps (issue 15).
///
/// # Errors
/// As [`input_path`] and [`template`].
pub fn effective_input(
    state: &State,
    input: &Value,
    context: &dyn ContextObject,
) -> Result<Value, Error> {
    // A JSONata state's `Arguments`, from `$states.input`. Without them its effective input
    // is its input, as for a JSONPath state without `InputPath` and `Parameters` (which a
    // JSONata state cannot have): only `Arguments` needs the language asked.
    if let Some(arguments) = &state.arguments {
        if let Some(execution) = jsonata(state, context) {
            return expression::evaluate(
                arguments,
                "Arguments",
                States::input(input),
                context,
                execution,
            );
        }
    }
    let selected = input_path(state.input_path.as_ref(), input.clone(), context)?;
    match &state.parameters {
        Some(parameters) if state.kind != workflow_asl::StateType::Map => {
            template(parameters, &selected, context)
        }
        _ => Ok(selected),
    }
}

/// A state's output from its raw input and its result: `ResultSelector`, `ResultPath`,
/// then `OutputPath`.
///
/// # Errors
/// As [`template`], [`result_path`] and [`output_path`].
pub fn state_output(
    state: &State,
    input: Value,
    result: Value,
    context: &dyn ContextObject,
) -> Result<Value, Error> {
    // Without `Output` and `Assign`, a JSONata state's output is its result, as a JSONPath
    // state's is without `ResultSelector`, `ResultPath` and `OutputPath` (which a JSONata
    // state cannot have): only those two fields need the language asked.
    let plain = state.output.is_none() && state.assign.is_none();
    if !plain {
        if let Some(execution) = jsonata(state, context) {
            let states = States {
                input: &input,
                result: Some(&result),
                error_output: None,
            };
            let fields = (state.output.as_ref(), state.assign.as_ref());
            // Without `Output`, the result (a Pass's: its input) is the output.
            let default = result.clone();
            return jsonata_exit(fields, default, states, context, execution);
        }
    }
    let result = match &state.result_selector {
        Some(selector) => template(selector, &result, context)?,
        None => result,
    };
    let Some(assign) = &state.assign else {
        let combined = result_path(state.result_path.as_ref(), input, result)?;
        return output_path(state.output_path.as_ref(), combined, context);
    };
    // A JSONPath `Assign` reads the result (after `ResultSelector`) as `$`.
    let assigned = jsonpath_assign(assign, &result, context)?;
    let combined = result_path(state.result_path.as_ref(), input, result)?;
    let output = output_path(state.output_path.as_ref(), combined, context)?;
    commit(Some(assigned), context)?;
    Ok(output)
}

/// What a JSONata state (or its matching Choice rule, or its catcher) passes on: its
/// `Output`, else `default`; its `Assign` set on the way. Both read `states` and the
/// variables the state started with: neither sees the other's work.
///
/// # Errors
/// `States.QueryEvaluationError` when an expression fails; `States.Runtime` past the limits
/// on variables.
pub(crate) fn jsonata_exit(
    (output, assign): (Option<&Value>, Option<&Value>),
    default: Value,
    states: States<'_>,
    context: &dyn ContextObject,
    execution: &crate::Execution,
) -> Result<Value, Error> {
    let assigned = assign
        .map(|assign| expression::evaluate(assign, "Assign", states, context, execution))
        .transpose()?;
    let output = match output {
        Some(output) => expression::evaluate(output, "Output", states, context, execution)?,
        None => default,
    };
    commit(assigned, context)?;
    Ok(output)
}

/// The execution of a state whose query language is JSONata, seen from its context object
/// (a JSONPath state, or a context object that is no state's, gives `None`).
pub(crate) fn jsonata<'a>(
    state: &State,
    context: &'a dyn ContextObject,
) -> Option<&'a crate::Execution> {
    let execution = context.execution()?;
    (execution.language_of(state) == QueryLanguage::Jsonata).then_some(execution)
}

/// A JSONPath state's `Assign`: a template (`.$` members are paths or intrinsic calls) filled
/// from `source`.
///
/// # Errors
/// As [`template`].
pub(crate) fn jsonpath_assign(
    assign: &Value,
    source: &Value,
    context: &dyn ContextObject,
) -> Result<Value, Error> {
    template(assign, source, context)
}

/// Sets the variables `assigned` (an object of names and values), all at once, in the scope
/// of the state whose context object is `context`.
///
/// # Errors
/// `States.Runtime` past AWS's limits on variables.
pub(crate) fn commit(assigned: Option<Value>, context: &dyn ContextObject) -> Result<(), Error> {
    let (Some(Value::Object(values)), Some(execution)) = (assigned, context.execution()) else {
        return Ok(());
    };
    if let Some(recorder) = execution.recorder() {
        recorder.cursor().assigned(values.clone());
    }
    crate::variables::assign(execution, values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn result_path_places_replaces_or_discards() {
        let input = json!({"a": 1});
        assert_eq!(
            result_path(None, input.clone(), json!(2)).unwrap(),
            json!(2)
        );
        assert_eq!(
            result_path(Some(&None), input.clone(), json!(2)).unwrap(),
            input
        );
        let placed = result_path(Some(&Some("$.r.s".into())), input.clone(), json!(2)).unwrap();
        assert_eq!(placed, json!({"a": 1, "r": {"s": 2}}));
        let err = result_path(Some(&Some("$.a.b".into())), input, json!(2)).unwrap_err();
        assert_eq!(err.name(), "States.ResultPathMatchFailure");
    }

    #[test]
    fn templates_fill_dollar_keys_and_keep_the_rest() {
        let t = json!({"id.$": "$.order.id", "fixed": "x", "nested": {"n.$": "$.n"}});
        let no_context = || json!({});
        let out = template(&t, &json!({"order": {"id": 7}, "n": [1]}), &no_context).unwrap();
        assert_eq!(out, json!({"id": 7, "fixed": "x", "nested": {"n": [1]}}));
        let err = template(&t, &json!({}), &no_context).unwrap_err();
        assert_eq!(err.name(), "States.ParameterPathFailure");
    }

    #[test]
    fn double_dollar_paths_read_the_context_object() {
        let t = json!({"q.$": "$$.Execution.Input.quorum", "own.$": "$.own"});
        let context = || json!({"Execution": {"Input": {"quorum": 2}}});
        assert_eq!(
            template(&t, &json!({"own": 1}), &context).unwrap(),
            json!({"q": 2, "own": 1})
        );
    }

    #[test]
    fn input_and_output_paths_select_or_fail() {
        let no_context = || json!({});
        assert_eq!(
            input_path(Some(&Some("$.a".into())), json!({"a": 3}), &no_context).unwrap(),
            json!(3)
        );
        assert_eq!(
            output_path(Some(&None), json!({"a": 3}), &no_context).unwrap(),
            json!({})
        );
        let err = output_path(Some(&Some("$.b".into())), json!({"a": 3}), &no_context).unwrap_err();
        assert_eq!(err.name(), "States.Runtime");
        assert!(!err.is_matched_by(&["States.Runtime", "States.ALL"]));
    }

    // Issue 15, AWS's recorded answer: `"InputPath": "$$.Execution.Input"` selects from the
    // context object, not from the state's input.
    #[test]
    fn a_double_dollar_input_path_reads_the_context_object() {
        let context = || json!({"Execution": {"Input": {"x": 5}}});
        let path = Some("$$.Execution.Input".to_owned());
        assert_eq!(
            input_path(Some(&path), json!({"other": 1}), &context).unwrap(),
            json!({"x": 5})
        );
        let missing = Some("$$.Execution.Nope".to_owned());
        let err = output_path(Some(&missing), json!({}), &context).unwrap_err();
        assert_eq!(err.name(), "States.Runtime");
    }
}
