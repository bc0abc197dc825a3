//! A Task state: its handler called on each attempt, limited by `TimeoutSeconds` and
//! `HeartbeatSeconds` (written as numbers or read from the input through their `*Path`).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::Either;
use futures_util::FutureExt;

use serde_json::Value;
use workflow_asl::{errors, ReferencePath, State};

use super::{limited, retry_and_catch, seconds, Attempt, Exits, Step};
use crate::history::details::{self, Work};
use crate::integration::{Reply, Shape};
use crate::task::{self, TaskHandler};
use crate::{data, Error, Execution};

/// A Task state running `handler`, each attempt limited to the state's `TimeoutSeconds`
/// (`States.Timeout` past it).
///
/// A plain function returning a `Send` future, as the typed-edge `task_edge` is, for the reason
/// [`task::call`] gives.
///
/// # Errors
/// As [`retry_and_catch`].
#[allow(clippy::manual_async_fn)]
#[allow(clippy::too_many_arguments)]
pub fn task<'a, T, H, M, D>(
    name: &'a str,
    state: &'a State,
    execution: &'a Execution,
    input: Value,
    exits: Exits<'a, T>,
    handler: &'a H,
    deps: &'a D,
) -> impl Future<Output = Result<Step<T>, Error>> + Send + use<'a, T, H, M, D>
where
    T: Copy + Send + Sync,
    H: TaskHandler<M, D>,
    D: Sync,
{
    async move {
        // Each attempt has its own deadline; past it the attempt is dropped.
        let (limit, heartbeat) = task_limits(state, &input, &execution.context(name))?;
        let resource = state.resource.as_deref().unwrap_or_default();
        // What the handler receives and what its result becomes, as the resource says.
        let shape = Shape::of(resource, handler.answers_for_integration());
        retry_and_catch(name, state, execution, input, exits, |v, attempt| {
            let call = task_attempt(
                (name, resource),
                execution,
                (handler, deps),
                (limit, heartbeat),
                (v, shape),
                attempt,
                |reply: Reply, output| task::encode(output).map(|output| reply.result(output)),
            );
            async move {
                let result = call.await?;
                // A result past the limits: AWS's recorded behaviour is that a `States.ALL`
                // catcher catches it, unlike the same error for a state's output.
                execution
                    .check(&result, &|| format!("the result of Task state `{name}`"))
                    .map_err(Error::also_matched_by_all)?;
                Ok(result)
            }
        })
        .await
    }
}

/// One attempt of a Task: its effective input made into the handler's (as `shape` says) and
/// decoded for `handler`, called with `deps`, the call limited to `limits` (`TimeoutSeconds`,
/// `HeartbeatSeconds`), the attempt's context made only if the handler or the heartbeat
/// watchdog asks for it, and the handler's output made the result by `respond` (given how
/// the integration replies).
#[allow(clippy::too_many_arguments)]
pub(crate) fn task_attempt<'a, H, M, D, R, F>(
    (name, resource): (&'a str, &'a str),
    execution: &'a Execution,
    (handler, deps): (&'a H, &'a D),
    (limit, heartbeat): (Option<Duration>, Option<Duration>),
    (input, shape): (Value, Shape),
    attempt: Attempt,
    respond: F,
) -> impl Future<Output = Result<R, Error>> + Send + use<'a, H, M, D, R, F>
where
    H: TaskHandler<M, D>,
    D: Sync,
    R: serde::Serialize,
    F: FnOnce(Reply, H::Output) -> Result<R, Error> + Send + 'a,
{
    // A Task that waits for a callback: its attempt's token, answered through the
    // execution's registry.
    let callback = attempt
        .token
        .clone()
        .filter(|_| shape.waits_for_callback())
        .map(|token| crate::callback::Callback::new(execution.callbacks().clone(), token));
    let context = move |callback| {
        task::TaskContext::in_execution(execution, name, attempt.entered, attempt.retries, callback)
    };
    let work = Work {
        resource,
        timeout: limit,
        heartbeat,
    };
    // `TaskScheduled` and `TaskStarted`.
    let started = if execution.recorder().is_none() {
        execution.record_n(2)
    } else {
        scheduled(
            execution,
            &work,
            super::input_text(execution, &input).as_deref(),
        )
    };
    let (input, reply) = shape.request(input);
    let started = started
        .and_then(|()| H::decode(input))
        .map(|v| match callback {
            None => Started::Call(limited(
                limit,
                task::call_typed(handler, deps, v, move || context(None), heartbeat),
            )),
            // Boxed: the wait is rare, and its future would otherwise make every Task's larger.
            Some(callback) => Started::Wait(Box::pin(limited_failure(
                limit,
                waited(handler, deps, v, context(Some(callback)), heartbeat),
            ))),
        });
    async move {
        // What the outcome's event says of the work (the resource alone: the limits are
        // the scheduled event's); made after the call, so that the future holds no more
        // than the resource across it.
        let work = || Work {
            resource,
            timeout: None,
            heartbeat: None,
        };
        // The handler raised it, or its input did not fit the handler.
        let located = |e: Error, reply: &Reply| reply.failure(e).in_handler(name, handler.name());
        let (output, reply) = match started {
            Ok(Started::Call(call)) => match call.await {
                Ok(output) => (output, reply),
                Err(error) => return Err(failed(execution, located(error, &reply), &work())),
            },
            Ok(Started::Wait(call)) => match call.await {
                Ok((output, answer)) => (output, Reply::Answered(Box::new(answer))),
                Err(Failure::Handler(error)) => {
                    return Err(failed(execution, located(error, &reply), &work()))
                }
                // `SendTaskFailure`'s error, as it was sent.
                Err(Failure::Answer(error)) => {
                    return Err(failed(execution, error.in_state(name), &work()))
                }
            },
            Err(error) => return Err(failed(execution, located(error, &reply), &work())),
        };
        match respond(reply, output) {
            Ok(result) => succeeded(execution, &work(), &result).map(|()| result),
            Err(error) => Err(failed(execution, error.in_state(name), &work())),
        }
    }
}

/// An attempt's call: the handler's alone, or the handler's and then the wait for a callback.
enum Started<C, W> {
    Call(C),
    Wait(W),
}

/// Why an attempt failed: its handler (or a limit on it), or a callback's answer.
enum Failure {
    Handler(Error),
    Answer(Error),
}

/// [`limited`] for an attempt whose errors say where they came from: a limit's is the work's.
async fn limited_failure<R>(
    limit: Option<Duration>,
    work: impl Future<Output = Result<R, Failure>>,
) -> Result<R, Failure> {
    match limited(limit, work.map(Ok)).await {
        Ok(outcome) => outcome,
        Err(error) => Err(Failure::Handler(error)),
    }
}

/// The handler of a Task that waits for a callback, called with `input` and `context`
/// (which holds the attempt's callback): once it has handed the token on, the wait for the
/// answer, all under the heartbeat watchdog (fed by `SendTaskHeartbeat`). The handler's
/// output comes back with the answer.
async fn waited<H: TaskHandler<M, D>, M, D>(
    handler: &H,
    deps: &D,
    input: H::Input,
    context: task::TaskContext,
    heartbeat: Option<Duration>,
) -> Result<(H::Output, Value), Failure> {
    // Registered before the handler runs, so that an answer sent at once is not lost.
    let wait = context
        .callback()
        .map(|c| c.callbacks().wait(Arc::from(c.token()), context.beat()));
    let watched = context.clone();
    let work = async move {
        let output = handler
            .call_typed(deps, input, move || context)
            .await
            .map_err(Failure::Handler)?;
        let answer = match wait {
            Some(wait) => wait.at_most_a_year().await.map_err(Failure::Answer)?,
            None => Value::Null,
        };
        Ok((output, answer))
    };
    match heartbeat {
        None => work.await,
        Some(interval) => {
            let silence = task::watchdog(watched, interval);
            futures_util::pin_mut!(work);
            futures_util::pin_mut!(silence);
            match futures_util::future::select(work, silence).await {
                Either::Left((outcome, _)) => outcome,
                Either::Right((error, _)) => Err(Failure::Handler(error)),
            }
        }
    }
}

/// A whole number of seconds from the definition (`TimeoutSeconds` and the like) as a duration.
/// A Task's `TimeoutSeconds` and `HeartbeatSeconds`, written as numbers or read through
/// `TimeoutSecondsPath` and `HeartbeatSecondsPath` from its input (after `InputPath`).
pub(crate) fn task_limits(
    state: &State,
    input: &Value,
    context: &dyn crate::context::ContextObject,
) -> Result<(Option<Duration>, Option<Duration>), Error> {
    if let Some(execution) = data::jsonata(state, context) {
        // A JSONata state's limits may be expressions, evaluated on `$states.input`.
        let states = crate::expression::States::input(input);
        let read = |field: &str, value: Option<&workflow_asl::Numeric>| {
            let n = crate::expression::number(field, value, states, context, execution)?;
            match n {
                None => Ok(None),
                Some(n) => n
                    .as_u64()
                    .filter(|n| *n > 0)
                    .map(|n| Some(Duration::from_secs(n)))
                    .ok_or_else(|| {
                        Error::new(
                            errors::RUNTIME,
                            format!("{field} must be a positive whole number, found {n}"),
                        )
                    }),
            }
        };
        return Ok((
            read("TimeoutSeconds", state.timeout_seconds.as_ref())?,
            read("HeartbeatSeconds", state.heartbeat_seconds.as_ref())?,
        ));
    }
    if state.timeout_seconds_path.is_none() && state.heartbeat_seconds_path.is_none() {
        return Ok((
            super::literal_seconds(state.timeout_seconds.as_ref()),
            super::literal_seconds(state.heartbeat_seconds.as_ref()),
        ));
    }
    let selected = data::input_path(state.input_path.as_ref(), input.clone(), context)?;
    let read = |literal: Option<&serde_json::Number>, path: Option<&String>, field: &str| {
        let Some(path) = path else {
            return Ok(seconds(literal));
        };
        ReferencePath::parse(path)
            .ok()
            .and_then(|p| p.get(&selected).and_then(Value::as_u64))
            .filter(|n| *n > 0)
            .map(|n| Some(Duration::from_secs(n)))
            .ok_or_else(|| {
                Error::new(
                    errors::RUNTIME,
                    format!("{field} `{path}` does not name a positive whole number in {selected}"),
                )
            })
    };
    let limit = read(
        state
            .timeout_seconds
            .as_ref()
            .and_then(workflow_asl::Numeric::number),
        state.timeout_seconds_path.as_ref(),
        "TimeoutSecondsPath",
    )?;
    let heartbeat = read(
        state
            .heartbeat_seconds
            .as_ref()
            .and_then(workflow_asl::Numeric::number),
        state.heartbeat_seconds_path.as_ref(),
        "HeartbeatSecondsPath",
    )?;
    Ok((limit, heartbeat))
}

/// Records that an attempt at `work` was scheduled and started, on its effective input (its
/// JSON text, made when the execution is recorded): `TaskScheduled` and `TaskStarted`, or
/// the Lambda function's or activity's.
///
/// # Errors
/// `States.Runtime` at the history quota.
#[inline(always)]
pub(crate) fn scheduled(
    execution: &Execution,
    work: &Work<'_>,
    input: Option<&str>,
) -> Result<(), Error> {
    if execution.recorder().is_none() {
        return execution.record_n(2);
    }
    scheduled_recorded(execution, work, input)
}

/// [`scheduled`] in a recorded execution.
#[cold]
#[inline(never)]
fn scheduled_recorded(
    execution: &Execution,
    work: &Work<'_>,
    input: Option<&str>,
) -> Result<(), Error> {
    let [scheduled, started, ..] = work.worker().events();
    execution.event(scheduled, || Some(work.scheduled(input.unwrap_or("null"))))?;
    execution.event(started, || work.started())
}

/// Records that an attempt at `work` succeeded with `output`: `TaskSucceeded`, or the Lambda
/// function's or activity's.
///
/// # Errors
/// `States.Runtime` at the history quota.
#[inline(always)]
pub(crate) fn succeeded<O: serde::Serialize>(
    execution: &Execution,
    work: &Work<'_>,
    output: &O,
) -> Result<(), Error> {
    if execution.recorder().is_none() {
        return execution.record_n(1);
    }
    succeeded_recorded(execution, work, output)
}

/// [`succeeded`] in a recorded execution.
#[cold]
#[inline(never)]
fn succeeded_recorded<O: serde::Serialize>(
    execution: &Execution,
    work: &Work<'_>,
    output: &O,
) -> Result<(), Error> {
    succeeded_text(execution, work, &details::typed_text(output))
}

/// Records that an attempt at `work` succeeded with an output whose JSON text is `text`, in a
/// recorded execution.
///
/// # Errors
/// `States.Runtime` at the history quota.
pub(crate) fn succeeded_text(
    execution: &Execution,
    work: &Work<'_>,
    text: &str,
) -> Result<(), Error> {
    let [_, _, succeeded, ..] = work.worker().events();
    execution.event(succeeded, || Some(work.succeeded(text)))
}

/// `error`, which failed an attempt at `work`, with its event recorded: `TaskTimedOut` or
/// `TaskFailed` (or the Lambda function's or activity's; see [`super::failure`]).
#[cold]
pub(crate) fn failed(execution: &Execution, error: Error, work: &Work<'_>) -> Error {
    let [_, _, _, failed, timed_out] = work.worker().events();
    let event = if error.name() == errors::TIMEOUT {
        timed_out
    } else {
        failed
    };
    super::failure(execution, error, event, |e| Some(work.failed(e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // The States Language specification, "Task State": `TimeoutSecondsPath` and
    // `HeartbeatSecondsPath` are reference paths into the input (after `InputPath`) to
    // positive whole numbers.
    #[test]
    fn limits_are_read_from_the_input_after_input_path() {
        let s: State = serde_json::from_value(json!({"Type": "Task", "Resource": "r", "End": true,
            "InputPath": "$.cfg", "TimeoutSecondsPath": "$.t", "HeartbeatSeconds": 2}))
        .unwrap();
        assert_eq!(
            task_limits(&s, &json!({"cfg": {"t": 30}}), &|| json!({})),
            Ok((Some(Duration::from_secs(30)), Some(Duration::from_secs(2))))
        );
        let e = task_limits(&s, &json!({"cfg": {"t": 0}}), &|| json!({})).unwrap_err();
        assert_eq!(e.name(), errors::RUNTIME);
    }

    async fn double(n: u64) -> Result<u64, Error> {
        Ok(n * 2)
    }

    // "Task State": `TimeoutSeconds` bounds each attempt; past it the attempt fails with
    // `States.Timeout`.
    #[tokio::test(start_paused = true)]
    async fn a_task_runs_its_handler_within_its_timeout() {
        let s: State = serde_json::from_value(json!({"Type": "Task", "Resource": "r", "End": true,
            "TimeoutSeconds": 1}))
        .unwrap();
        let ex = Execution::new("T", &json!({}));
        let exits = Exits {
            next: None::<u8>,
            catch: &[],
        };
        let step = task("T", &s, &ex, json!(21), exits, &double, &())
            .await
            .unwrap();
        assert_eq!(step, Step::End(json!(42)));
        async fn slow(_: Value) -> Result<Value, Error> {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Ok(Value::Null)
        }
        let e = task("T", &s, &ex, json!(null), exits, &slow, &())
            .await
            .unwrap_err();
        assert_eq!(e.name(), errors::TIMEOUT);
    }
}
