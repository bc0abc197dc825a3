//! The states that do no work that can fail and be retried: Pass, Succeed, Fail, Choice and
//! Wait.

use std::borrow::Cow;
use std::time::Duration;

use serde_json::Value;
use workflow_asl::{errors, ReferencePath, State, StateType};

use super::{effective_input, entry, failure, transition, Step};
use crate::context::{ContextObject, StateContext};
use crate::expression::{self, States};
use crate::history::{details, EventType};
use crate::{data, Error, Execution};

/// A Pass state: its `Result` (or its effective input) placed at `ResultPath`.
///
/// # Errors
/// The data-flow errors of [`data`].
pub fn pass<T>(
    name: &str,
    state: &State,
    execution: &Execution,
    input: Value,
    next: Option<T>,
) -> Result<Step<T>, Error> {
    let _state = super::enter(name);
    let text = super::input_text(execution, &input);
    let run = || -> Result<Step<T>, Error> {
        let context = execution.context(name);
        let result = match &state.result {
            Some(result) => result.clone(),
            None => {
                let effective = data::effective_input(state, &input, &context)?;
                if state.parameters.is_some() {
                    execution.check(&effective, &|| effective_input(name))?;
                }
                effective
            }
        };
        let output = data::state_output(state, input, result, &context)?;
        super::check_output(execution, name, &output)?;
        // `PassStateEntered` and `PassStateExited`.
        super::passed(execution, StateType::Pass, name, text.as_deref(), &output)?;
        Ok(transition(next, output))
    };
    // Its entry is recorded with its exit, or here when it failed.
    run().map_err(|e| {
        let entered = EventType::StateEntered(StateType::Pass);
        let e = failure(execution, e, entered, entry(name, text.as_deref()));
        super::evaluation_failed(execution, e, name).in_state(name)
    })
}

/// A Succeed state: ends its (sub)workflow with its input (through `InputPath`/`OutputPath`).
///
/// # Errors
/// The data-flow errors of [`data`].
pub fn succeed<T>(
    name: &str,
    state: &State,
    execution: &Execution,
    input: Value,
) -> Result<Step<T>, Error> {
    let _state = super::enter(name);
    let text = super::input_text(execution, &input);
    let run = || -> Result<Step<T>, Error> {
        let context = execution.context(name);
        // A JSONata Succeed's `Output`, from `$states.input`; without one, its input, as a
        // JSONPath Succeed's without `InputPath` and `OutputPath`.
        let jsonata = state
            .output
            .as_ref()
            .and_then(|output| Some((output, data::jsonata(state, &context)?)));
        let output = match jsonata {
            Some((output, execution)) => {
                expression::evaluate(output, "Output", States::input(&input), &context, execution)?
            }
            None => {
                let selected = data::input_path(state.input_path.as_ref(), input, &context)?;
                data::output_path(state.output_path.as_ref(), selected, &context)?
            }
        };
        // Its output is a part of its input, which was measured as its input came: no
        // larger, no deeper. `SucceedStateEntered` and `SucceedStateExited`.
        super::passed(
            execution,
            StateType::Succeed,
            name,
            text.as_deref(),
            &output,
        )?;
        Ok(Step::End(output))
    };
    // Its entry is recorded with its exit, or here when it failed.
    run().map_err(|e| {
        let entered = EventType::StateEntered(StateType::Succeed);
        let e = failure(execution, e, entered, entry(name, text.as_deref()));
        super::evaluation_failed(execution, e, name).in_state(name)
    })
}

/// A Fail state: fails its (sub)workflow with the state's `Error` and `Cause`, or with the
/// strings its `ErrorPath` and `CausePath` name in its input.
///
/// # Errors
/// Always: that is what the state does. `States.Runtime` when a path does not name a string.
pub fn fail<T>(
    name: &str,
    state: &State,
    execution: &Execution,
    input: &Value,
) -> Result<Step<T>, Error> {
    let _state = super::enter(name);
    let run = || -> Result<Step<T>, Error> {
        let text = super::input_text(execution, input);
        super::entered(execution, StateType::Fail, name, text.as_deref())?;
        let context = execution.context(name);
        let jsonata = data::jsonata(state, &context);
        // A reference path into the input, or (as AWS takes) an intrinsic call; in a JSONata
        // state, the field itself may be an expression.
        let text = |literal: &Option<String>, path: &Option<String>, field: &str| match path {
            None => match (literal, jsonata) {
                (Some(text), Some(execution)) if text.starts_with("{%") => {
                    let value = expression::evaluate(
                        &Value::String(text.clone()),
                        field,
                        States::input(input),
                        &context,
                        execution,
                    )?;
                    match value {
                        Value::String(text) => Ok(Some(text)),
                        other => Err(Error::new(
                            errors::QUERY_EVALUATION_ERROR,
                            format!(
                                "the {field} of Fail state `{name}` gave {other}, not a string"
                            ),
                        )),
                    }
                }
                _ => Ok(literal.clone()),
            },
            Some(path) => {
                let found = if workflow_asl::intrinsic::is_call(path) {
                    workflow_asl::intrinsic::parse(path)
                        .ok()
                        .and_then(|call| crate::intrinsic::evaluate(&call, input, &context).ok())
                } else if let Some(found) = context.variable_at(path) {
                    found
                } else {
                    ReferencePath::parse(path)
                        .ok()
                        .and_then(|p| p.get(input).cloned())
                };
                match found {
                    Some(Value::String(text)) => Ok(Some(text)),
                    _ => Err(Error::new(
                        errors::RUNTIME,
                        format!("{field} `{path}` does not name a string in {input}"),
                    )),
                }
            }
        };
        let error = text(&state.error, &state.error_path, "ErrorPath")?;
        let cause = text(&state.cause, &state.cause_path, "CausePath")?.unwrap_or_default();
        // No `Error`: the execution fails with no error name (AWS's recorded answer).
        Err(match error {
            Some(error) => Error::new(error, cause),
            None => Error::unnamed(cause),
        })
    };
    run().map_err(|e| super::evaluation_failed(execution, e, name).in_state(name))
}

/// A Choice state: the first of its rules that matches the input (after `InputPath`) sends
/// the input (through `OutputPath`) to its target in `targets` (one per rule, in order);
/// when none matches, `default` does.
///
/// # Errors
/// `States.NoChoiceMatched` when no rule matches and there is no default; the errors of
/// [`crate::choice::evaluate`].
pub fn choice<T: Copy>(
    name: &str,
    state: &State,
    execution: &Execution,
    input: Value,
    targets: &[T],
    default: Option<T>,
) -> Result<Step<T>, Error> {
    let _state = super::enter(name);
    let text = super::input_text(execution, &input);
    let run = || -> Result<Step<T>, Error> {
        let context = execution.context(name);
        let jsonata = data::jsonata(state, &context);
        let effective = match jsonata {
            Some(_) => input,
            None => data::input_path(state.input_path.as_ref(), input, &context)?,
        };
        // The rule that matched, if one did: its target, and the `Output` and `Assign` that
        // go with it (the state's own when no rule matched).
        let mut chosen = None;
        for (i, rule) in state.choices.iter().flatten().enumerate() {
            let matched = match jsonata {
                Some(execution) => condition(rule, &effective, &context, execution)?,
                None => crate::choice::evaluate(rule, &effective, &context)?,
            };
            if matched {
                let target = *targets.get(i).ok_or_else(|| {
                    Error::new(
                        errors::RUNTIME,
                        format!("state `{name}` has no target for rule {i}"),
                    )
                })?;
                let assign = rule_assign(state.assign.as_ref(), rule.assign.as_ref());
                chosen = Some((target, rule.output.as_ref(), assign));
                tracing::debug!(state = name, rule = i, "choice matched");
                break;
            }
        }
        let Some((target, output, assign)) = chosen.or_else(|| {
            default.map(|d| {
                (
                    d,
                    state.output.as_ref(),
                    state.assign.as_ref().map(Cow::Borrowed),
                )
            })
        }) else {
            return Err(Error::new(
                errors::NO_CHOICE_MATCHED,
                format!("no rule of Choice state `{name}` matched, and it has no default"),
            ));
        };
        let output = exit_with(state, (output, assign.as_deref()), effective, &context)?;
        // Its output is a part of its input, which was measured as its input came: no
        // larger, no deeper. `ChoiceStateEntered` and `ChoiceStateExited`.
        super::passed(execution, StateType::Choice, name, text.as_deref(), &output)?;
        Ok(Step::Next(target, output))
    };
    // Its entry is recorded with its exit, or here when it failed.
    run().map_err(|e| {
        let entered = EventType::StateEntered(StateType::Choice);
        let e = failure(execution, e, entered, entry(name, text.as_deref()));
        super::evaluation_failed(execution, e, name).in_state(name)
    })
}

/// A Wait state: waits (on tokio's clock) for its `Seconds`, until its `Timestamp`, or as its
/// `SecondsPath` / `TimestampPath` say, then passes its input on (through `InputPath` and
/// `OutputPath`). A timestamp in the past does not wait.
///
/// # Errors
/// `States.Runtime` when a path does not name a whole number of seconds from 0 or an ASL
/// timestamp, or a data-flow path matches nothing.
pub async fn wait<T>(
    name: &str,
    state: &State,
    execution: &Execution,
    input: Value,
    next: Option<T>,
) -> Result<Step<T>, Error> {
    let run = async {
        let text = super::input_text(execution, &input);
        super::entered(execution, StateType::Wait, name, text.as_deref())?;
        let waited = async {
            let context = execution.context(name);
            let effective = match data::jsonata(state, &context) {
                Some(_) => input,
                None => data::input_path(state.input_path.as_ref(), input, &context)?,
            };
            let duration = wait_duration(state, &effective, &context)?;
            tracing::debug!(
                state = name,
                wait_ms = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX),
                "waiting"
            );
            tokio::time::sleep(duration).await;
            exit_with(
                state,
                (state.output.as_ref(), state.assign.as_ref()),
                effective,
                &context,
            )
        }
        .await;
        let output = waited?;
        // Its output is a part of its input, which was measured as its input came: no
        // larger, no deeper.
        execution.event(EventType::StateExited(StateType::Wait), || {
            Some(details::exited(name, &details::text(&output)))
        })?;
        Ok(transition(next, output))
    };
    super::in_span(name, run)
        .await
        .map_err(|e: Error| super::evaluation_failed(execution, e, name).in_state(name))
}

/// The longest wait AWS accepts: 2^31 - 1 seconds (about 68 years); a `Seconds`,
/// `SecondsPath` or timestamp further ahead fails the state with `States.Runtime` (AWS's
/// recorded behaviour, issue 15).
pub const MAX_WAIT_SECONDS: u64 = i32::MAX as u64;

/// The output of a Choice or Wait state that passes on `effective` (its input, after a
/// JSONPath state's `InputPath`): a JSONata state's `Output` (else its input), a JSONPath
/// state's `OutputPath`; and the state's (or its matching rule's) `Assign` set on the way.
fn exit_with(
    state: &State,
    (output, assign): (Option<&Value>, Option<&Value>),
    effective: Value,
    context: &StateContext<'_>,
) -> Result<Value, Error> {
    match data::jsonata(state, context) {
        Some(_) if output.is_none() && assign.is_none() => Ok(effective),
        Some(execution) => {
            let states = States::input(&effective);
            // Without `Output`, the input passes on.
            let default = effective.clone();
            data::jsonata_exit((output, assign), default, states, context, execution)
        }
        None => {
            // A JSONPath `Assign` reads the effective input as `$`.
            let assigned = assign
                .map(|a| data::jsonpath_assign(a, &effective, context))
                .transpose()?;
            let output = data::output_path(state.output_path.as_ref(), effective, context)?;
            data::commit(assigned, context)?;
            Ok(output)
        }
    }
}

/// The `Assign` a Choice state runs when a rule matched: the state's own, which "applies
/// regardless of which choice rule matched" (the developer guide, "Choice workflow state"),
/// and the rule's; for a name both assign, the rule's value (AWS's recorded run of a rule and
/// a state both assigning `Assignment` keeps the rule's: LocalStack's snapshot,
/// `test_assign_in_choice`). One template, evaluated all at once.
fn rule_assign<'a>(state: Option<&'a Value>, rule: Option<&'a Value>) -> Option<Cow<'a, Value>> {
    let name = |key: &str| key.strip_suffix(".$").unwrap_or(key).to_owned();
    match (state, rule) {
        (Some(Value::Object(own)), Some(Value::Object(rule))) => {
            let ruled: std::collections::HashSet<String> = rule.keys().map(|k| name(k)).collect();
            let mut merged: serde_json::Map<String, Value> = own
                .iter()
                .filter(|(key, _)| !ruled.contains(&name(key)))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect();
            merged.extend(rule.iter().map(|(key, value)| (key.clone(), value.clone())));
            Some(Cow::Owned(Value::Object(merged)))
        }
        (_, Some(rule)) => Some(Cow::Borrowed(rule)),
        (state, None) => state.map(Cow::Borrowed),
    }
}

/// Whether a JSONata Choice rule's `Condition` holds for `input`.
fn condition(
    rule: &workflow_asl::ChoiceRule,
    input: &Value,
    context: &StateContext<'_>,
    execution: &Execution,
) -> Result<bool, Error> {
    match &rule.condition {
        Some(Value::Bool(b)) => Ok(*b),
        Some(condition) => {
            match expression::evaluate(
                condition,
                "Condition",
                States::input(input),
                context,
                execution,
            )? {
                Value::Bool(b) => Ok(b),
                other => Err(Error::new(
                    errors::QUERY_EVALUATION_ERROR,
                    format!("the Condition {condition} gave {other}, not true or false"),
                )),
            }
        }
        None => Ok(false),
    }
}

fn wait_duration(
    state: &State,
    input: &Value,
    context: &StateContext<'_>,
) -> Result<Duration, Error> {
    let wait = requested_wait(state, input, context)?;
    if wait.as_secs() > MAX_WAIT_SECONDS
        || (wait.as_secs() == MAX_WAIT_SECONDS && wait.subsec_nanos() > 0)
    {
        return Err(Error::new(
            errors::RUNTIME,
            format!(
                "a wait of {} s is longer than AWS waits ({MAX_WAIT_SECONDS} s)",
                wait.as_secs()
            ),
        ));
    }
    Ok(wait)
}

fn requested_wait(
    state: &State,
    input: &Value,
    context: &StateContext<'_>,
) -> Result<Duration, Error> {
    let runtime = |why: String| Error::new(errors::RUNTIME, why);
    let at = |path: &str| {
        let found = match context.variable_at(path) {
            Some(found) => found,
            None => ReferencePath::parse(path)
                .ok()
                .and_then(|p| p.get(input).cloned()),
        };
        found.ok_or_else(|| runtime(format!("the path `{path}` matched nothing in {input}")))
    };
    let until = |text: &str| {
        let when = workflow_asl::timestamp::parse(text).ok_or_else(|| {
            runtime(format!(
                "`{text}` is not an ASL timestamp (RFC 3339 with `T`, and `Z` or an offset)"
            ))
        })?;
        let left = when - time::OffsetDateTime::now_utc();
        Ok(Duration::try_from(left).unwrap_or(Duration::ZERO))
    };
    if let Some(execution) = data::jsonata(state, context) {
        // A JSONata Wait's `Seconds` or `Timestamp` may be an expression.
        if state.seconds.is_some() {
            let n = expression::number(
                "Seconds",
                state.seconds.as_ref(),
                States::input(input),
                context,
                execution,
            )?;
            return n
                .as_ref()
                .and_then(serde_json::Number::as_u64)
                .map(Duration::from_secs)
                .ok_or_else(|| {
                    runtime(format!(
                        "Seconds must be a whole number of seconds from 0, found {}",
                        n.map(Value::Number).unwrap_or_default()
                    ))
                });
        }
        if let Some(text) = &state.timestamp {
            let value = expression::evaluate(
                &Value::String(text.clone()),
                "Timestamp",
                States::input(input),
                context,
                execution,
            )?;
            return match value.as_str() {
                Some(text) => until(text),
                None => Err(runtime(format!(
                    "Timestamp gave {value}, not a timestamp string"
                ))),
            };
        }
    }
    if let Some(seconds) = state
        .seconds
        .as_ref()
        .and_then(workflow_asl::Numeric::number)
    {
        return Ok(Duration::from_secs(seconds.as_u64().unwrap_or_default()));
    }
    if let Some(text) = &state.timestamp {
        return until(text);
    }
    if let Some(path) = &state.seconds_path {
        let value = at(path)?;
        return value.as_u64().map(Duration::from_secs).ok_or_else(|| {
            runtime(format!(
                "SecondsPath `{path}` names {value}, not a whole number of seconds from 0"
            ))
        });
    }
    if let Some(path) = &state.timestamp_path {
        let value = at(path)?;
        return match value.as_str() {
            Some(text) => until(text),
            None => Err(runtime(format!(
                "TimestampPath `{path}` names {value}, not a timestamp string"
            ))),
        };
    }
    Err(runtime(
        "a Wait state needs Seconds, Timestamp, SecondsPath or TimestampPath".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn state(definition: Value) -> State {
        serde_json::from_value(definition).unwrap()
    }

    fn execution() -> Execution {
        Execution::new("Test", &json!({}))
    }

    // The States Language specification, "Pass State": `Result` is placed at `ResultPath`
    // in the input (by default it replaces the input).
    #[test]
    fn pass_places_its_result() {
        let s =
            state(json!({"Type": "Pass", "Result": {"b": 2}, "ResultPath": "$.r", "End": true}));
        let step = pass::<u8>("P", &s, &execution(), json!({"a": 1}), None).unwrap();
        assert_eq!(step, Step::End(json!({"a": 1, "r": {"b": 2}})));
        let s = state(json!({"Type": "Pass", "InputPath": "$.a", "Next": "N"}));
        let step = pass("P", &s, &execution(), json!({"a": 1}), Some(7u8)).unwrap();
        assert_eq!(step, Step::Next(7, json!(1)));
    }

    // "Succeed State" and "Fail State": Succeed ends with its input through `InputPath` and
    // `OutputPath`; Fail fails with its `Error` and `Cause`, or those its paths name.
    #[test]
    fn succeed_and_fail() {
        let s = state(json!({"Type": "Succeed", "OutputPath": "$.x"}));
        assert_eq!(
            succeed::<u8>("S", &s, &execution(), json!({"x": [1]})).unwrap(),
            Step::End(json!([1]))
        );
        let f = state(json!({"Type": "Fail", "ErrorPath": "$.e", "Cause": "because"}));
        let e = fail::<u8>("F", &f, &execution(), &json!({"e": "Mine"})).unwrap_err();
        assert_eq!((e.name(), e.cause()), ("Mine", "because"));
        let e = fail::<u8>("F", &f, &execution(), &json!({"e": 7})).unwrap_err();
        assert_eq!(e.name(), errors::RUNTIME, "a path that names no string");
    }

    // "Choice State": the first matching rule wins; no match and no `Default` is
    // `States.NoChoiceMatched`.
    #[test]
    fn choice_takes_the_first_matching_rule_or_the_default() {
        let s = state(json!({"Type": "Choice", "Choices": [
            {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"},
            {"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Some"}]}));
        let ex = execution();
        assert_eq!(
            choice("C", &s, &ex, json!({"n": 50}), &[1u8, 2], Some(9)).unwrap(),
            Step::Next(1, json!({"n": 50}))
        );
        assert_eq!(
            choice("C", &s, &ex, json!({"n": 5}), &[1u8, 2], Some(9)).unwrap(),
            Step::Next(2, json!({"n": 5}))
        );
        assert_eq!(
            choice("C", &s, &ex, json!({"n": 0}), &[1u8, 2], Some(9)).unwrap(),
            Step::Next(9, json!({"n": 0}))
        );
        let e = choice("C", &s, &ex, json!({"n": 0}), &[1u8, 2], None).unwrap_err();
        assert_eq!(e.name(), errors::NO_CHOICE_MATCHED);
    }

    // "Wait State": `Seconds`, `SecondsPath` (a whole number of seconds), a timestamp in the
    // past waits no time.
    #[test]
    fn wait_durations() {
        let ex = execution();
        let d = |s: Value, input: Value| wait_duration(&state(s), &input, &ex.context("W"));
        assert_eq!(
            d(json!({"Type": "Wait", "Seconds": 5}), json!({})),
            Ok(Duration::from_secs(5))
        );
        assert_eq!(
            d(
                json!({"Type": "Wait", "SecondsPath": "$.s"}),
                json!({"s": 3})
            ),
            Ok(Duration::from_secs(3))
        );
        assert_eq!(
            d(
                json!({"Type": "Wait", "Timestamp": "2000-01-01T00:00:00Z"}),
                json!({})
            ),
            Ok(Duration::ZERO)
        );
        let e = d(
            json!({"Type": "Wait", "SecondsPath": "$.s"}),
            json!({"s": "soon"}),
        )
        .unwrap_err();
        assert_eq!(e.name(), errors::RUNTIME);
    }

    // AWS's recorded behaviour (issue 15): a wait past 2^31 - 1 seconds fails the state with
    // `States.Runtime`; one of exactly that long is accepted.
    #[test]
    fn a_wait_longer_than_aws_waits_is_a_runtime_error() {
        let s = state(json!({"Type": "Wait", "SecondsPath": "$.s", "End": true}));
        let ex = execution();
        let context = ex.context("W");
        let longest = wait_duration(&s, &json!({"s": 2_147_483_647u64}), &context).unwrap();
        assert_eq!(longest.as_secs(), MAX_WAIT_SECONDS);
        let e = wait_duration(&s, &json!({"s": 2_147_483_648u64}), &context).unwrap_err();
        assert_eq!(e.name(), errors::RUNTIME);
        let far = state(json!({"Type": "Wait", "Timestamp": "9999-01-01T00:00:00Z", "End": true}));
        assert_eq!(
            wait_duration(&far, &json!({}), &context)
                .unwrap_err()
                .name(),
            errors::RUNTIME
        );
    }

    #[tokio::test(start_paused = true)]
    async fn wait_sleeps_on_tokios_clock() {
        let s = state(json!({"Type": "Wait", "Seconds": 60, "End": true}));
        let start = tokio::time::Instant::now();
        let step = wait::<u8>("W", &s, &execution(), json!({"a": 1}), None)
            .await
            .unwrap();
        assert_eq!(step, Step::End(json!({"a": 1})));
        assert_eq!(start.elapsed(), Duration::from_secs(60));
    }
}
