//! A Parallel state: every branch at once with `join` semantics, or with a `Quorum`, `select`
//! semantics until enough branches succeeded.

use std::future::Future;

use serde_json::Value;
use workflow_asl::{ReferencePath, State};

use super::{retry_and_catch, seconds, Exits, Step};
use crate::error::names;
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
            crate::parallel::all(branches.len(), move |i| {
                let input = if i == last { v.take() } else { v.clone() };
                branch(i, input.unwrap_or_default())
            })
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
            let report = crate::parallel::quorum::quorum(branch_names, needed?, timeout, |i| {
                branch(i, v.clone())
            })
            .await?;
            Ok(report.to_json())
        }
    })
    .await
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
                data::input_path(state.input_path.as_ref(), input.clone())?
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
