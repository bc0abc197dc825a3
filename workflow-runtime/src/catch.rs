//! Catch: after retries gave up, the first catcher whose `ErrorEquals` matches decides where
//! the execution goes, with the error output placed in the state's input.

use serde_json::Value;
use workflow_asl::Catcher;

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
