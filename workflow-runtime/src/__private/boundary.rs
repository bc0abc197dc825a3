//! Typed input and output at a workflow's boundary: what a workflow declared with
//! `input: Order` and `output: Receipt` converts, and the build-time checks that the Task it
//! starts at takes `Order` and each Task it ends at returns `Receipt`.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::error::names;
use crate::task::{Accepts, TaskHandler};
use crate::Error;

use super::check::{Invalid, Valid};

/// A typed execution input as the JSON the execution starts on.
///
/// # Errors
/// `Workflow.InvalidExecutionInput` when it does not serialize.
pub fn execution_input<I: Serialize>(input: I) -> Result<Value, Error> {
    serde_json::to_value(input).map_err(|e| {
        Error::new(
            names::INVALID_EXECUTION_INPUT,
            format!("the execution's input does not serialize to JSON: {e}"),
        )
    })
}

/// An execution's JSON output as the workflow's declared `output` type.
///
/// # Errors
/// `Workflow.InvalidExecutionOutput` when it does not fit.
pub fn execution_output<O: DeserializeOwned>(output: Value) -> Result<O, Error> {
    serde_json::from_value(output).map_err(|e| {
        Error::new(
            names::INVALID_EXECUTION_OUTPUT,
            format!("the execution's output does not fit the workflow's `output` type: {e}"),
        )
    })
}

/// A handler that can take the workflow's `input` `X`: the handler of the Task a workflow
/// starts at, when that Task takes the execution's input as it is.
#[diagnostic::on_unimplemented(
    message = "the handler of the Task this workflow starts at does not take `{X}`, the workflow's `input`",
    label = "this handler's input is not `{X}`",
    note = "the Task a workflow starts at gets the execution's input as it is (it has no `input_path` or `parameters`), so its handler must take the type declared with `input:` (or take no input); to convert through JSON instead, give the Task `input_path: \"$\"`"
)]
pub trait TakesWorkflowInput<X, M, D> {}

impl<H, X, M, D> TakesWorkflowInput<X, M, D> for H where H: Accepts<X, M, D> {}

/// Requires that `handler`, a checked handle, take the workflow's input `X` (only its type is
/// used; a value that is not a handler is reported by its Task).
pub fn first_task<X, H, M, D, V>(_handler: (&H, V))
where
    V: FirstTask<X, H, M, D>,
{
}

/// [`first_task`]'s requirement: [`TakesWorkflowInput`] for a handler, nothing for what is
/// not one.
#[diagnostic::on_unimplemented(
    message = "the handler of the Task this workflow starts at does not take `{X}`, the workflow's `input`",
    label = "this handler's input is not `{X}`",
    note = "the Task a workflow starts at gets the execution's input as it is (it has no `input_path` or `parameters`), so its handler must take the type declared with `input:` (or take no input); to convert through JSON instead, give the Task `input_path: \"$\"`"
)]
pub trait FirstTask<X, H, M, D> {}

#[diagnostic::do_not_recommend]
impl<X, H: TakesWorkflowInput<X, M, D>, M, D> FirstTask<X, H, M, D> for Valid {}

impl<X, H, M, D> FirstTask<X, H, M, D> for Invalid {}

/// A handler whose output is the workflow's `output` `Y`: the handler of a Task a workflow
/// ends at, when that Task's output is its result.
pub trait GivesWorkflowOutput<Y, M, D> {}

impl<H, Y, M, D> GivesWorkflowOutput<Y, M, D> for H
where
    H: TaskHandler<M, D>,
    H::Output: IsWorkflowOutput<Y>,
{
}

/// The output of a handler that ends a workflow is `Y`, its declared `output`: implemented
/// for `Y` alone, so that the message names both types.
#[diagnostic::on_unimplemented(
    message = "the handler of a Task this workflow ends at returns `{Self}`, not `{Y}`, the workflow's `output`",
    label = "this handler returns `{Self}`",
    note = "a Task that ends a workflow with no `result_selector`, `result_path` or `output_path` makes the execution's output its handler's result, so the handler must return the type declared with `output:`; to convert through JSON instead, give the Task `output_path: \"$\"`"
)]
pub trait IsWorkflowOutput<Y> {}

impl<Y> IsWorkflowOutput<Y> for Y {}

/// Requires that `handler`, a checked handle, return the workflow's output `Y` (only its
/// type is used; a value that is not a handler is reported by its Task).
pub fn last_task<Y, H, M, D, V>(_handler: (&H, V))
where
    V: LastTask<Y, H, M, D>,
{
}

/// [`last_task`]'s requirement: [`GivesWorkflowOutput`] for a handler, nothing for what is
/// not one.
#[diagnostic::on_unimplemented(
    message = "the handler of a Task this workflow ends at does not return `{Y}`, the workflow's `output`",
    label = "this handler's output is not `{Y}`",
    note = "a Task that ends a workflow with no `result_selector`, `result_path` or `output_path` makes the execution's output its handler's result, so the handler must return the type declared with `output:`; to convert through JSON instead, give the Task `output_path: \"$\"`"
)]
pub trait LastTask<Y, H, M, D> {}

#[diagnostic::do_not_recommend]
impl<Y, H: GivesWorkflowOutput<Y, M, D>, M, D> LastTask<Y, H, M, D> for Valid {}

impl<Y, H, M, D> LastTask<Y, H, M, D> for Invalid {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Order {
        id: u32,
    }

    #[test]
    fn typed_values_cross_the_boundary_as_json() {
        assert_eq!(execution_input(Order { id: 7 }), Ok(json!({"id": 7})));
        assert_eq!(
            execution_output::<Order>(json!({"id": 7})),
            Ok(Order { id: 7 })
        );
        let e = execution_output::<Order>(json!({"id": "seven"})).unwrap_err();
        assert_eq!(e.name(), names::INVALID_EXECUTION_OUTPUT);
        let mut not_json = std::collections::HashMap::new();
        not_json.insert((1, 2), 3);
        let e = execution_input(not_json).unwrap_err();
        assert_eq!(e.name(), names::INVALID_EXECUTION_INPUT);
    }
}
