//! A Task that starts a child workflow (`arn:aws:states:::states:startExecution`), as
//! [`crate::integration::nested`] describes it.

use std::future::Future;
use std::sync::Arc;

use serde_json::Value;
use workflow_asl::{Integration, Pattern, State};

use super::{
    failed, limited, retry_and_catch, scheduled, succeeded, task_limits, Attempt, Exits, Step,
};
use crate::callback::Callback;
use crate::history::details::Work;
use crate::integration::nested::{self, ChildWorkflow};
use crate::task::TaskContext;
use crate::{Error, Execution};

/// A Task state that starts `child` on each attempt, with its retriers and catchers, each
/// attempt limited to the state's `TimeoutSeconds`.
///
/// A plain function returning a `Send` future, as [`super::task()`] is: generated code's
/// state machine then needs no proof of it.
///
/// # Errors
/// As [`retry_and_catch`].
#[allow(clippy::manual_async_fn)]
pub fn start_execution<'a, T, C>(
    name: &'a str,
    state: &'a State,
    execution: &'a Execution,
    input: Value,
    exits: Exits<'a, T>,
    child: &'a C,
) -> impl Future<Output = Result<Step<T>, Error>> + Send + 'a
where
    T: Copy + Send + Sync + 'a,
    C: ChildWorkflow + ?Sized,
{
    async move {
        let (limit, heartbeat) = task_limits(state, &input, &execution.context(name))?;
        let resource = state.resource.as_deref().unwrap_or_default();
        let pattern = Integration::parse(resource).map_or(Pattern::RequestResponse, |i| i.pattern);
        retry_and_catch(
            name,
            state,
            execution,
            input,
            exits,
            |parameters, attempt| {
                async move {
                    let work = Work {
                        resource,
                        timeout: limit,
                        heartbeat,
                    };
                    scheduled(
                        execution,
                        &work,
                        super::input_text(execution, &parameters).as_deref(),
                    )?;
                    let started = async {
                        match (pattern, attempt.token.clone()) {
                            // The child runs on by itself; the Task waits for the token's answer.
                            (Pattern::WaitForTaskToken, Some(token)) => {
                                let answer =
                                    answered(execution, (name, &attempt), token, heartbeat);
                                nested::start(
                                    child,
                                    execution,
                                    parameters,
                                    Pattern::RequestResponse,
                                )
                                .await?;
                                answer.await
                            }
                            _ => nested::start(child, execution, parameters, pattern).await,
                        }
                    };
                    match limited(limit, started).await {
                        Ok(result) => {
                            succeeded(execution, &work, &result)?;
                            execution
                                .check(&result, &|| format!("the result of Task state `{name}`"))
                                .map_err(Error::also_matched_by_all)?;
                            Ok(result)
                        }
                        Err(error) => Err(failed(execution, error.in_state(name), &work)),
                    }
                }
            },
        )
        .await
    }
}

/// The answer sent with `token` (which the child was given), waited for from now on, under
/// the heartbeat watchdog when the state has `HeartbeatSeconds`.
fn answered(
    execution: &Execution,
    (name, attempt): (&str, &Attempt),
    token: Arc<str>,
    heartbeat: Option<std::time::Duration>,
) -> impl Future<Output = Result<Value, Error>> + Send + use<> {
    let callback = Callback::new(execution.callbacks().clone(), Arc::clone(&token));
    let context = TaskContext::in_execution(
        execution,
        name,
        attempt.entered,
        attempt.retries,
        Some(callback),
    );
    let wait = execution.callbacks().wait(token, context.beat());
    async move {
        let wait = wait.at_most_a_year();
        match heartbeat {
            None => wait.await,
            Some(interval) => {
                let silence = crate::task::watchdog(context, interval);
                futures_util::pin_mut!(silence);
                futures_util::pin_mut!(wait);
                match futures_util::future::select(wait, silence).await {
                    futures_util::future::Either::Left((answer, _)) => answer,
                    futures_util::future::Either::Right((error, _)) => Err(error),
                }
            }
        }
    }
}
