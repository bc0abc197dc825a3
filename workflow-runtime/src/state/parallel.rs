//! A Parallel state: every branch at once with `join` semantics, or with a `Quorum`, `select`
//! semantics until enough branches succeeded.

use std::future::Future;
use std::sync::Arc;

use serde_json::Value;
use workflow_asl::{ReferencePath, State};

use super::{retry_and_catch, seconds, Exits, Step};
use crate::error::names;
use crate::history::{Cursor, EventType, Recorder};
use crate::{data, Error, Execution};

/// A Parallel state whose branch `i` is run by `branch(i, input)`, with
/// [`crate::parallel::all`]'s semantics: output in branch order, first failure cancels the rest.
/// A Parallel with a `Quorum` runs with [`crate::parallel::quorum::quorum`]'s semantics instead:
/// its output is the quorum report.
///
/// # Errors
/// As [`retry_and_catch`].
pub async fn parallel<T, F, Fut>(
    name: &str,
    state: &State,
    execution: &Execution,
    input: Value,
    exits: Exits<'_, T>,
    branch: F,
) -> Result<Step<T>, Error>
where
    T: Copy,
    F: Fn(usize, Value) -> Fut,
    Fut: Future<Output = Result<Value, Error>>,
{
    let branches = state.branches.as_deref().unwrap_or_default();
    let branch = &branch;
    let Some(rule) = &state.quorum else {
        return retry_and_catch(name, state, execution, input, exits, |v, _| {
            // Each branch gets its own copy of the input; the last one gets the input itself.
            let last = branches.len().saturating_sub(1);
            let mut v = Some(v);
            async move {
                let here = started(execution)?;
                let mut input = move |i| {
                    let input = if i == last { v.take() } else { v.clone() };
                    input.unwrap_or_default()
                };
                let outcome = match here {
                    // Not recorded: the branches as they are.
                    None => crate::parallel::all(branches.len(), |i| branch(i, input(i))).await,
                    Some((recorder, here)) => {
                        Box::pin(crate::parallel::all(branches.len(), |i| {
                            on_path(recorder, &here, branch(i, input(i)))
                        }))
                        .await
                    }
                };
                succeeded(execution, outcome)
            }
        })
        .await;
    };
    let needed = quorum_count(rule, state, execution, name, &input);
    let timeout = seconds(rule.timeout_seconds.as_ref());
    let branch_names: Vec<String> = branches
        .iter()
        .map(|b| b.start_at.clone().unwrap_or_default())
        .collect();
    retry_and_catch(name, state, execution, input, exits, |v, _| {
        let needed = needed.clone();
        let branch_names = branch_names.clone();
        async move {
            let here = started(execution)?;
            let outcome = match (needed, here) {
                (Ok(needed), None) => {
                    crate::parallel::quorum::quorum(branch_names, needed, timeout, |i| {
                        branch(i, v.clone())
                    })
                    .await
                }
                (Ok(needed), Some((recorder, here))) => {
                    Box::pin(crate::parallel::quorum::quorum(
                        branch_names,
                        needed,
                        timeout,
                        |i| on_path(recorder, &here, branch(i, v.clone())),
                    ))
                    .await
                }
                (Err(error), _) => Err(error),
            }
            .map(|report| report.to_json());
            succeeded(execution, outcome)
        }
    })
    .await
}

/// A recorded execution's recorder, and the path of the Parallel state being run.
type Recording<'a> = (&'a Arc<Recorder>, Arc<Cursor>);

/// Records `ParallelStateStarted`: the recorder and the Parallel's path, when the execution
/// is recorded.
///
/// # Errors
/// `States.Runtime` at the history quota.
fn started(execution: &Execution) -> Result<Option<Recording<'_>>, Error> {
    execution.event(EventType::ParallelStateStarted, || None)?;
    Ok(execution
        .recorder()
        .map(|recorder| (recorder, recorder.cursor())))
}

/// A branch of a recorded execution, run on its own path from the Parallel's path `here`:
/// its first event points at `ParallelStateStarted` (where `here` is as the branch is made),
/// and the Parallel's path goes on from its last.
fn on_path<'a, Fut>(
    recorder: &Arc<Recorder>,
    here: &'a Arc<Cursor>,
    branch: Fut,
) -> impl Future<Output = Result<Value, Error>> + 'a
where
    Fut: Future<Output = Result<Value, Error>> + 'a,
{
    let path = Cursor::at(here.get());
    let scoped = recorder.scoped(Arc::clone(&path), branch);
    async move {
        let outcome = scoped.await;
        here.advance_to(path.get());
        outcome
    }
}

/// `outcome`, with `ParallelStateSucceeded` recorded when it is one (its failure is recorded
/// once no retrier runs it again: see [`retry_and_catch`]).
fn succeeded(execution: &Execution, outcome: Result<Value, Error>) -> Result<Value, Error> {
    let output = outcome?;
    execution.event(EventType::ParallelStateSucceeded, || None)?;
    Ok(output)
}

/// How many branches a quorum needs: its `Count`, or its `CountPath` read from the state's
/// input after `InputPath` (or from the context object for `$$` paths).
fn quorum_count(
    rule: &workflow_asl::Quorum,
    state: &State,
    execution: &Execution,
    name: &str,
    input: &Value,
) -> Result<usize, Error> {
    let invalid = |why: String| Error::new(names::INVALID_QUORUM, why);
    let value = match (&rule.count, &rule.count_path) {
        (Some(count), _) => Value::Number(count.clone()),
        (None, Some(path)) => {
            let parsed = ReferencePath::parse(path)
                .map_err(|e| invalid(format!("`{path}` is not a path: {e}")))?;
            let root = if parsed.is_context() {
                execution.context_object(name)
            } else {
                data::input_path(
                    state.input_path.as_ref(),
                    input.clone(),
                    &execution.context(name),
                )?
            };
            parsed
                .get(&root)
                .cloned()
                .ok_or_else(|| invalid(format!("the quorum path `{path}` matched nothing")))?
        }
        (None, None) => return Err(invalid("the quorum has no count".into())),
    };
    let branches = state.branches.as_ref().map_or(0, Vec::len);
    value
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .filter(|n| (1..=branches).contains(n))
        .ok_or_else(|| {
            invalid(format!(
                "the quorum must be a whole number from 1 to {branches}, found {value}"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn two_branches(quorum: Value) -> State {
        serde_json::from_value(json!({"Type": "Parallel", "End": true, "Quorum": quorum,
            "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}},
                         {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}]}))
        .unwrap()
    }

    // This crate's quorum (the `workflow!` reference, "Quorum"): a count read from a path must be a whole
    // number from 1 to the number of branches, else `Workflow.InvalidQuorum`.
    #[test]
    fn a_quorum_count_is_read_and_checked() {
        let ex = Execution::new("T", &json!({"q": 2}));
        let count = |quorum: Value, input: Value| {
            let s = two_branches(quorum);
            quorum_count(s.quorum.as_ref().unwrap(), &s, &ex, "P", &input)
        };
        assert_eq!(count(json!({"Count": 1}), json!({})), Ok(1));
        assert_eq!(count(json!({"CountPath": "$.n"}), json!({"n": 2})), Ok(2));
        assert_eq!(
            count(json!({"CountPath": "$$.Execution.Input.q"}), json!({})),
            Ok(2)
        );
        for bad in [
            json!({"n": 3}),
            json!({"n": 0}),
            json!({"n": "2"}),
            json!({}),
        ] {
            let e = count(json!({"CountPath": "$.n"}), bad).unwrap_err();
            assert_eq!(e.name(), names::INVALID_QUORUM);
        }
    }

    // "Parallel State": the output is every branch's output, in branch order.
    #[tokio::test]
    async fn outputs_come_in_branch_order() {
        let s: State = serde_json::from_value(json!({"Type": "Parallel", "End": true,
            "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}},
                         {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}]}))
        .unwrap();
        let ex = Execution::new("T", &json!({}));
        let exits = Exits {
            next: None::<u8>,
            catch: &[],
        };
        let step = parallel("P", &s, &ex, json!(10), exits, |i, v| async move {
            // The first branch finishes last.
            if i == 0 {
                tokio::task::yield_now().await;
            }
            Ok(json!([i, v]))
        })
        .await
        .unwrap();
        assert_eq!(step, Step::End(json!([[0, 10], [1, 10]])));
    }
}
