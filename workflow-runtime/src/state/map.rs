//! A Map state: its items selected, each iteration's input made, and the iterations run by
//! [`crate::map::map`].

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::Value;
use workflow_asl::{errors, ReferencePath, State};

use super::{recorded, retry_and_catch, Exits, Step};
use crate::history::{details, Abort, Cursor, EventType};
use crate::{data, Error, Execution};

/// A Map state running `iteration(input)` for each item: `ItemsPath` (default `$`) selects
/// the items in the effective input, `ItemSelector` (which may read `$$.Map.Item.Index` and
/// `$$.Map.Item.Value`) makes each iteration's input, and [`crate::map::map`] runs them.
///
/// # Errors
/// As [`retry_and_catch`]; `States.Runtime` when `ItemsPath` does not name an array.
pub async fn map<T, F, Fut>(
    name: &str,
    state: &State,
    execution: &Execution,
    input: Value,
    exits: Exits<'_, T>,
    iteration: F,
) -> Result<Step<T>, Error>
where
    T: Copy,
    F: Fn(Value) -> Fut,
    Fut: Future<Output = Result<Value, Error>>,
{
    let iteration = &iteration;
    retry_and_catch(
        name,
        state,
        execution,
        input,
        exits,
        |effective, attempt| async move {
            let (max_concurrency, tolerance) = map_limits(state, &effective)?;
            let path = state.items_path.as_deref().unwrap_or("$");
            let items = ReferencePath::parse(path)
                .ok()
                .and_then(|p| p.get(&effective).and_then(Value::as_array).cloned())
                .ok_or_else(|| {
                    Error::new(
                        errors::RUNTIME,
                        format!("ItemsPath `{path}` does not name an array in {effective}"),
                    )
                })?;
            let inputs = items
                .into_iter()
                .enumerate()
                .map(|(index, item)| match state.selector() {
                    None => Ok(item),
                    Some(selector) => {
                        // Each item's `$$` reads the item and the input where they are.
                        let context = execution
                            .context_at(name, attempt.entered, attempt.retries)
                            .with_item(index, &item);
                        data::template(selector, &effective, &context)
                    }
                })
                .collect::<Result<Vec<_>, _>>()?;
            let length = inputs.len();
            execution.event(EventType::MapStateStarted, || {
                Some(details::map_started(length))
            })?;
            let paths = execution
                .recorder()
                .map(|recorder| (recorder.cursor(), AtomicU64::new(0)));
            let paths = paths.as_ref();
            let outcome = crate::map::map(inputs, max_concurrency, tolerance, |index, item| {
                iterate(execution, (name, index), paths, iteration(item))
            })
            .await;
            let output = outcome?;
            if let Some((here, last_ended)) = paths {
                // The Map's path goes on from its last iteration's end (AWS's recorded
                // histories).
                here.advance_to(last_ended.load(Ordering::Relaxed));
            }
            execution.event(EventType::MapStateSucceeded, || None)?;
            Ok(output)
        },
    )
    .await
}

/// A Map's `MaxConcurrency` (0 for no bound) and tolerance, written as numbers or read through
/// their `...Path` from the effective input at run time (AWS's recorded answers, issue 15).
///
/// # Errors
/// `States.Runtime` when a path does not name a whole number from 0 (a percentage: a number
/// from 0 to 100).
fn map_limits(state: &State, input: &Value) -> Result<(usize, crate::map::Tolerance), Error> {
    let read = |path: &Option<String>, field: &str| -> Result<Option<Value>, Error> {
        let Some(path) = path else { return Ok(None) };
        ReferencePath::parse(path)
            .ok()
            .and_then(|p| p.get(input).cloned())
            .map(Some)
            .ok_or_else(|| {
                Error::new(
                    errors::RUNTIME,
                    format!("{field} `{path}` matched nothing in {input}"),
                )
            })
    };
    let whole =
        |value: Option<Value>, literal: &Option<serde_json::Number>, field: &str| match value {
            None => Ok(literal.as_ref().and_then(serde_json::Number::as_u64)),
            Some(value) => value.as_u64().map(Some).ok_or_else(|| {
                Error::new(
                    errors::RUNTIME,
                    format!("{field} must name a whole number from 0, found {value}"),
                )
            }),
        };
    let max_concurrency = whole(
        read(&state.max_concurrency_path, "MaxConcurrencyPath")?,
        &state.max_concurrency,
        "MaxConcurrencyPath",
    )?
    .and_then(|n| usize::try_from(n).ok())
    .unwrap_or(0);
    let count = whole(
        read(
            &state.tolerated_failure_count_path,
            "ToleratedFailureCountPath",
        )?,
        &state.tolerated_failure_count,
        "ToleratedFailureCountPath",
    )?;
    let percentage = match read(
        &state.tolerated_failure_percentage_path,
        "ToleratedFailurePercentagePath",
    )? {
        None => state
            .tolerated_failure_percentage
            .as_ref()
            .and_then(serde_json::Number::as_f64),
        Some(value) => Some(
            value
                .as_f64()
                .filter(|p| (0.0..=100.0).contains(p))
                .ok_or_else(|| {
                    Error::new(
                        errors::RUNTIME,
                        format!(
                            "ToleratedFailurePercentagePath must name a number from 0 to 100, found {value}"
                        ),
                    )
                })?,
        ),
    };
    Ok((max_concurrency, crate::map::Tolerance { count, percentage }))
}

/// One iteration, item `index` of the Map state `name`: `MapIterationStarted`, the
/// iteration's states (on their own path when the execution is recorded, from `paths`: the
/// Map's path and the id of the last iteration's end), and `MapIterationSucceeded` or
/// `MapIterationFailed`; `MapIterationAborted` should it be cancelled.
async fn iterate<Fut>(
    execution: &Execution,
    (name, index): (&str, usize),
    paths: Option<&(Arc<Cursor>, AtomicU64)>,
    iteration: Fut,
) -> Result<Value, Error>
where
    Fut: Future<Output = Result<Value, Error>>,
{
    let (Some(recorder), Some((here, last_ended))) = (execution.recorder(), paths) else {
        execution.record(EventType::MapIterationStarted)?;
        let outcome = iteration.await;
        return recorded(
            execution,
            outcome,
            (
                EventType::MapIterationSucceeded,
                EventType::MapIterationFailed,
            ),
        );
    };
    let item = || Some(details::iteration(name, index));
    execution.record(EventType::MapIterationStarted)?;
    let started = recorder.record_at(here, EventType::MapIterationStarted, item());
    let path = Cursor::at(started);
    let abort = Abort::new(
        recorder,
        Arc::clone(&path),
        EventType::MapIterationAborted,
        item(),
    );
    let outcome = recorder.scoped(Arc::clone(&path), iteration).await;
    abort.ended();
    if outcome.as_ref().is_err_and(Error::ends_execution) {
        return outcome;
    }
    let kind = if outcome.is_ok() {
        EventType::MapIterationSucceeded
    } else {
        EventType::MapIterationFailed
    };
    execution.record(kind)?;
    let ended = recorder.record_at(&path, kind, item());
    here.advance_to(path.get());
    last_ended.fetch_max(ended, Ordering::Relaxed);
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // The States Language specification, "Map State": `ItemsPath` selects the items, each
    // iteration's input is made by `ItemSelector` (which reads `$$.Map.Item`), and the output
    // is the iterations' outputs in item order.
    #[tokio::test]
    async fn each_item_goes_through_the_selector() {
        let s: State = serde_json::from_value(json!({"Type": "Map", "End": true,
            "ItemsPath": "$.items",
            "ItemSelector": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value", "k.$": "$.k"},
            "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}))
        .unwrap();
        let ex = Execution::new("T", &json!({}));
        let exits = Exits {
            next: None::<u8>,
            catch: &[],
        };
        let input = json!({"items": ["a", "b"], "k": 1});
        let step = map("M", &s, &ex, input, exits, |v| async move { Ok(v) })
            .await
            .unwrap();
        assert_eq!(
            step,
            Step::End(json!([{"i": 0, "v": "a", "k": 1}, {"i": 1, "v": "b", "k": 1}]))
        );
        let e = map("M", &s, &ex, json!({"items": 3}), exits, |v| async move {
            Ok(v)
        })
        .await
        .unwrap_err();
        assert_eq!(e.name(), errors::RUNTIME, "ItemsPath that names no array");
    }
}
