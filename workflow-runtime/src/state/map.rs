//! A Map state: its items selected, each iteration's input made, and the iterations run by
//! [`crate::map::map`].

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::Value;
use workflow_asl::{errors, Numeric, ReferencePath, State};

use super::{recorded, retry_and_catch, Exits, Step};
use crate::context::ContextObject;
use crate::history::{details, Abort, Cursor, EventType};
use crate::items::{ItemIo, NoItemIo};
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
    map_with(name, state, execution, input, exits, &NoItemIo, iteration).await
}

/// [`map`], for a Distributed Map too: its `ItemReader` answered by `io` (instead of
/// `ItemsPath`), read as its `ReaderConfig` says ([`crate::items::read_items`]); its items
/// grouped by its `ItemBatcher` after `ItemSelector` ([`crate::items::batches`]); its results
/// handed to its `ResultWriter` through `io`, the state's result then being the Map Run's
/// ARN and where the results went ([`crate::items::map_run_output`]).
///
/// # Errors
/// As [`map`]; `States.ItemReaderFailed` or `States.ResultWriterFailed` from `io`.
pub async fn map_with<T, F, Fut>(
    name: &str,
    state: &State,
    execution: &Execution,
    input: Value,
    exits: Exits<'_, T>,
    io: &dyn ItemIo,
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
            let context = execution.context_at(name, attempt.entered, attempt.retries);
            // An expression's failure here is recorded as it happens, after the Map's entry.
            let evaluated = |e| super::evaluation_failed(execution, e, name);
            let (max_concurrency, tolerance) =
                map_limits(state, &effective, &context).map_err(evaluated)?;
            let jsonata = data::jsonata(state, &context);
            let items = match &state.item_reader {
                // A JSONata Map's `Items`: an array, or an expression that gives one.
                None if jsonata.is_some() => {
                    let items = match (&state.items, jsonata) {
                        (Some(items), Some(execution)) => crate::expression::evaluate(
                            items,
                            "Items",
                            crate::expression::States::input(&effective),
                            &context,
                            execution,
                        )
                        .map_err(evaluated)?,
                        _ => effective.clone(),
                    };
                    match items {
                        Value::Array(items) => items,
                        other => {
                            return Err(Error::new(
                                errors::QUERY_EVALUATION_ERROR,
                                format!("the Map's Items gave {other}, not an array"),
                            ))
                        }
                    }
                }
                None => {
                    let path = state.items_path.as_deref().unwrap_or("$");
                    let found = match context.variable_at(path) {
                        Some(found) => found,
                        None => ReferencePath::parse(path)
                            .ok()
                            .and_then(|p| p.get(&effective).cloned()),
                    };
                    found
                        .and_then(|v| match v {
                            Value::Array(items) => Some(items),
                            _ => None,
                        })
                        .ok_or_else(|| {
                            Error::new(
                                errors::RUNTIME,
                                format!("ItemsPath `{path}` does not name an array in {effective}"),
                            )
                        })?
                }
                Some(reader) => {
                    let resource = reader["Resource"].as_str().unwrap_or_default();
                    let parameters =
                        io_parameters(reader, "ItemReader", &effective, &context, jsonata)
                            .map_err(evaluated)?;
                    let answer = io
                        .read(name, resource, parameters)
                        .await
                        .map_err(|e| as_named(e, errors::ITEM_READER_FAILED))?;
                    crate::items::read_items(answer, reader.get("ReaderConfig"))?
                }
            };
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
                        match jsonata {
                            Some(execution) => crate::expression::evaluate(
                                selector,
                                "ItemSelector",
                                crate::expression::States::input(&effective),
                                &context,
                                execution,
                            )
                            .map_err(evaluated),
                            None => data::template(selector, &effective, &context),
                        }
                    }
                })
                .collect::<Result<Vec<_>, _>>()?;
            let inputs = match &state.item_batcher {
                None => inputs,
                Some(batcher) => {
                    let batch_input = batcher
                        .get("BatchInput")
                        .map(|template| data::template(template, &effective, &context))
                        .transpose()?;
                    crate::items::batches(inputs, batcher, batch_input.as_ref())
                }
            };
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
            let Some(writer) = &state.result_writer else {
                return Ok(output);
            };
            let parameters = io_parameters(writer, "ResultWriter", &effective, &context, jsonata)
                .map_err(evaluated)?;
            let resource = writer["Resource"].as_str().unwrap_or_default();
            let results = serde_json::json!({"Parameters": parameters, "Results": output});
            io.write(name, resource, results)
                .await
                .map_err(|e| as_named(e, errors::RESULT_WRITER_FAILED))?;
            Ok(crate::items::map_run_output(
                &map_run_arn(execution, state.label.as_deref().unwrap_or(name)),
                &parameters,
            ))
        },
    )
    .await
}

/// A reader's or writer's failure as the Map reports it: `States.ItemReaderFailed` or
/// `States.ResultWriterFailed` (`name`), its cause saying what the resource answered (the
/// States Language's names for these failures).
fn as_named(error: Error, name: &'static str) -> Error {
    if error.ends_execution() || error.name() == name {
        return error;
    }
    Error::new(name, format!("{}: {}", error.name(), error.cause()))
}

/// The ARN of a Map Run labelled `label` in `execution`:
/// `arn:aws:states:REGION:ACCOUNT:mapRun:WORKFLOW/LABEL:EXECUTION`, as AWS names them.
fn map_run_arn(execution: &Execution, label: &str) -> String {
    let id = execution.id();
    let (prefix, run) = id.split_once(":execution:").unwrap_or((id, ""));
    let (workflow, name) = run.split_once(':').unwrap_or((run, ""));
    format!("{prefix}:mapRun:{workflow}/{label}:{name}")
}

/// What a Distributed Map's `ItemReader` or `ResultWriter` (`field`) gives its resource: its
/// `Arguments`, evaluated on `$states.input`, in a JSONata Map (the developer guide,
/// "ItemReader (Map)": "Arguments (JSONata) or Parameters (JSONPath)"); its `Parameters`, a
/// template on the effective input, in a JSONPath one; `{}` without either.
fn io_parameters(
    config: &Value,
    field: &str,
    effective: &Value,
    context: &dyn ContextObject,
    jsonata: Option<&Execution>,
) -> Result<Value, Error> {
    match jsonata {
        Some(execution) => match config.get("Arguments") {
            Some(arguments) => crate::expression::evaluate(
                arguments,
                &format!("{field}/Arguments"),
                crate::expression::States::input(effective),
                context,
                execution,
            ),
            None => Ok(Value::Object(serde_json::Map::new())),
        },
        None => match config.get("Parameters") {
            Some(template) => data::template(template, effective, context),
            None => Ok(Value::Object(serde_json::Map::new())),
        },
    }
}

/// A Map's `MaxConcurrency` (0 for no bound) and tolerance, written as numbers or read through
/// their `...Path` from the effective input at run time (AWS's recorded answers, issue 15).
///
/// # Errors
/// `States.Runtime` when a path does not name a whole number from 0 (a percentage: a number
/// from 0 to 100).
fn map_limits(
    state: &State,
    input: &Value,
    context: &dyn crate::context::ContextObject,
) -> Result<(usize, crate::map::Tolerance), Error> {
    let read = |path: &Option<String>, field: &str| -> Result<Option<Value>, Error> {
        let Some(path) = path else { return Ok(None) };
        if let Some(found) = context.variable_at(path) {
            return found.map(Some).ok_or_else(|| {
                Error::new(
                    errors::RUNTIME,
                    format!("{field} `{path}` matched nothing: the variable is not set"),
                )
            });
        }
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
    // A JSONata state's numeric fields may be expressions, evaluated on `$states.input`.
    let jsonata = data::jsonata(state, context);
    let evaluated = |n: &Option<Numeric>, field: &str| -> Result<Option<Value>, Error> {
        match (n, jsonata) {
            (Some(Numeric::Expression(_)), Some(execution)) => Ok(crate::expression::number(
                field,
                n.as_ref(),
                crate::expression::States::input(input),
                context,
                execution,
            )?
            .map(Value::Number)),
            _ => Ok(None),
        }
    };
    let whole = |value: Option<Value>, literal: &Option<Numeric>, field: &str| match value {
        None => Ok(literal
            .as_ref()
            .and_then(Numeric::number)
            .and_then(serde_json::Number::as_u64)),
        Some(value) => value.as_u64().map(Some).ok_or_else(|| {
            Error::new(
                errors::RUNTIME,
                format!("{field} must name a whole number from 0, found {value}"),
            )
        }),
    };
    let max_concurrency = whole(
        read(&state.max_concurrency_path, "MaxConcurrencyPath")?
            .or(evaluated(&state.max_concurrency, "MaxConcurrency")?),
        &state.max_concurrency,
        "MaxConcurrencyPath",
    )?
    .and_then(|n| usize::try_from(n).ok())
    .unwrap_or(0);
    let count = whole(
        read(
            &state.tolerated_failure_count_path,
            "ToleratedFailureCountPath",
        )?
        .or(evaluated(
            &state.tolerated_failure_count,
            "ToleratedFailureCount",
        )?),
        &state.tolerated_failure_count,
        "ToleratedFailureCountPath",
    )?;
    let percentage = match read(
        &state.tolerated_failure_percentage_path,
        "ToleratedFailurePercentagePath",
    )?
    .or(evaluated(
        &state.tolerated_failure_percentage,
        "ToleratedFailurePercentage",
    )?) {
        None => state
            .tolerated_failure_percentage
            .as_ref()
            .and_then(Numeric::number)
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
