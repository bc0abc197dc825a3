//! The states that do no work that can fail and be retried: Pass, Succeed, Fail, Choice and
//! Wait.

use std::time::Duration;

use serde_json::Value;
use workflow_asl::{errors, ReferencePath, State};

use super::{transition, Step};
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
    tracing::debug!(state = name, "pass");
    let context = || execution.context_object(name);
    let result = match &state.result {
        Some(result) => result.clone(),
        None => data::effective_input(state, &input, &context)?,
    };
    Ok(transition(
        next,
        data::state_output(state, input, result, &context)?,
    ))
}

/// A Succeed state: ends its (sub)workflow with its input (through `InputPath`/`OutputPath`).
///
/// # Errors
/// The data-flow errors of [`data`].
pub fn succeed<T>(name: &str, state: &State, input: Value) -> Result<Step<T>, Error> {
    tracing::debug!(state = name, "succeed");
    let selected = data::input_path(state.input_path.as_ref(), input)?;
    Ok(Step::End(data::output_path(
        state.output_path.as_ref(),
        selected,
    )?))
}

/// A Fail state: fails its (sub)workflow with the state's `Error` and `Cause`, or with the
/// strings its `ErrorPath` and `CausePath` name in its input.
///
/// # Errors
/// Always: that is what the state does. `States.Runtime` when a path does not name a string.
pub fn fail<T>(name: &str, state: &State, input: &Value) -> Result<Step<T>, Error> {
    tracing::debug!(state = name, "fail");
    let text = |literal: &Option<String>, path: &Option<String>, field: &str| match path {
        None => Ok(literal.clone().unwrap_or_default()),
        Some(path) => ReferencePath::parse(path)
            .ok()
            .and_then(|p| p.get(input).and_then(Value::as_str).map(str::to_owned))
            .ok_or_else(|| {
                Error::new(
                    errors::RUNTIME,
                    format!("{field} `{path}` does not name a string in {input}"),
                )
            }),
    };
    let error = text(&state.error, &state.error_path, "ErrorPath")?;
    let cause = text(&state.cause, &state.cause_path, "CausePath")?;
    Err(Error::new(error, cause))
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
    let effective = data::input_path(state.input_path.as_ref(), input)?;
    let context = || execution.context_object(name);
    let mut chosen = default;
    for (i, rule) in state.choices.iter().flatten().enumerate() {
        if crate::choice::evaluate(rule, &effective, &context)? {
            chosen = Some(*targets.get(i).ok_or_else(|| {
                Error::new(
                    errors::RUNTIME,
                    format!("state `{name}` has no target for rule {i}"),
                )
            })?);
            tracing::debug!(state = name, rule = i, "choice matched");
            break;
        }
    }
    let Some(target) = chosen else {
        return Err(Error::new(
            errors::NO_CHOICE_MATCHED,
            format!("no rule of Choice state `{name}` matched, and it has no default"),
        ));
    };
    Ok(Step::Next(
        target,
        data::output_path(state.output_path.as_ref(), effective)?,
    ))
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
    input: Value,
    next: Option<T>,
) -> Result<Step<T>, Error> {
    let effective = data::input_path(state.input_path.as_ref(), input)?;
    let duration = wait_duration(state, &effective)?;
    tracing::debug!(
        state = name,
        wait_ms = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX),
        "waiting"
    );
    tokio::time::sleep(duration).await;
    Ok(transition(
        next,
        data::output_path(state.output_path.as_ref(), effective)?,
    ))
}

fn wait_duration(state: &State, input: &Value) -> Result<Duration, Error> {
    let runtime = |why: String| Error::new(errors::RUNTIME, why);
    let at = |path: &str| {
        ReferencePath::parse(path)
            .ok()
            .and_then(|p| p.get(input).cloned())
            .ok_or_else(|| runtime(format!("the path `{path}` matched nothing in {input}")))
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
    if let Some(seconds) = &state.seconds {
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
