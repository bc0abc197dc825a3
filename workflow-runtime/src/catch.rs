//! Catch: after retries gave up, the first catcher whose `ErrorEquals` matches decides where
//! the execution goes, with the error output placed in the state's input.

use serde_json::Value;
use workflow_asl::{Catcher, State};

use crate::context::ContextObject;
use crate::expression::States;
use crate::{data, Error};

/// The index of the first catcher that matches `error`.
#[must_use]
pub fn find(catchers: &[Catcher], error: &Error) -> Option<usize> {
    catchers
        .iter()
        .position(|c| error.is_matched_by(&c.error_equals))
}

/// The output of a caught error: `{"Error", "Cause"}` placed in the state's raw `input` at
/// the catcher's `ResultPath` (unset replaces the input, `null` keeps the input unchanged).
///
/// # Errors
/// `States.ResultPathMatchFailure` when the `ResultPath` cannot be written in the input.
pub fn output(catcher: &Catcher, input: Value, error: &Error) -> Result<Value, Error> {
    data::result_path(catcher.result_path.as_ref(), input, error.to_json())
}

/// The output of a caught error in `state`, whose context object is `context`: in a JSONata
/// state, the catcher's `Output` from `$states.input` and `$states.errorOutput` (by default
/// the error output itself); in a JSONPath state, as [`output`]. The catcher's `Assign` is
/// set on the way (reading the error output as `$` in JSONPath).
///
/// # Errors
/// As [`output`]; `States.QueryEvaluationError` when an expression fails.
pub fn output_in(
    state: &State,
    catcher: &Catcher,
    input: Value,
    error: &Error,
    context: &dyn ContextObject,
) -> Result<Value, Error> {
    let error_output = error.to_json();
    if let Some(execution) = data::jsonata(state, context) {
        let states = States {
            input: &input,
            result: None,
            error_output: Some(&error_output),
        };
        let fields = (catcher.output.as_ref(), catcher.assign.as_ref());
        let default = error_output.clone();
        return data::jsonata_exit(fields, default, states, context, execution);
    }
    let assigned = catcher
        .assign
        .as_ref()
        .map(|a| data::jsonpath_assign(a, &error_output, context))
        .transpose()?;
    let output = data::result_path(catcher.result_path.as_ref(), input, error_output)?;
    data::commit(assigned, context)?;
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn catchers() -> Vec<Catcher> {
        serde_json::from_str(
            r#"[{"ErrorEquals": ["Declined"], "Next": "a", "ResultPath": "$.error"},
                {"ErrorEquals": ["States.ALL"], "Next": "b"}]"#,
        )
        .unwrap()
    }

    #[test]
    fn first_match_wins() {
        let cs = catchers();
        assert_eq!(find(&cs, &Error::new("Declined", "")), Some(0));
        assert_eq!(find(&cs, &Error::new("Other", "")), Some(1));
        assert_eq!(find(&cs, &Error::new("States.Runtime", "")), None);
    }

    #[test]
    fn error_output_goes_to_result_path() {
        let cs = catchers();
        let e = Error::new("Declined", "expired");
        let out = output(&cs[0], json!({"order": 1}), &e).unwrap();
        assert_eq!(
            out,
            json!({"order": 1, "error": {"Error": "Declined", "Cause": "expired"}})
        );
        let out = output(&cs[1], json!({"order": 1}), &e).unwrap();
        assert_eq!(out, json!({"Error": "Declined", "Cause": "expired"}));
    }
}
