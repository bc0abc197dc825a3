//! Mocked Task responses in the format AWS documents for Step Functions Local
//! (`MockConfigFile.json`), so that existing mock files work unchanged.
//!
//! ```json
//! {
//!   "StateMachines": {
//!     "Checkout": {"TestCases": {"HappyPath": {"Charge": "ChargeOk"}}}
//!   },
//!   "MockedResponses": {
//!     "ChargeOk": {
//!       "0": {"Throw": {"Error": "Gateway.Timeout", "Cause": "slow"}},
//!       "1-2": {"Return": {"charged": true}}
//!     }
//!   }
//! }
//! ```
//!
//! A test case maps Task state names to mocked responses; a mocked response maps attempt
//! numbers (`"0"`, or a range `"1-2"`) to a `Return` (the Task's result) or a `Throw` (its
//! `Error` and `Cause`). Attempts are counted per state over the whole execution, from 0:
//! retries, and visits by a loop or a Map, each take the next number. Past the last number
//! written, the last response repeats. The numbers start at 0 and follow each other without a
//! gap or an overlap, and each attempt has exactly one of `Return` and `Throw`.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use crate::interpret::{DynHandler, Interpreter};
use crate::Error;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct File {
    #[serde(default)]
    state_machines: BTreeMap<String, Machine>,
    #[serde(default)]
    mocked_responses: BTreeMap<String, BTreeMap<String, Value>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Machine {
    #[serde(default)]
    test_cases: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Clone)]
enum Response {
    Return(Value),
    Throw { error: String, cause: String },
}

impl Response {
    /// One attempt's response: `{"Return": value}` or `{"Throw": {"Error", "Cause"}}`.
    fn parse(value: &Value, at: &dyn Fn() -> String) -> Result<Self, MockError> {
        let object = value
            .as_object()
            .ok_or_else(|| MockError(format!("{} is not an object", at())))?;
        match (object.get("Return"), object.get("Throw")) {
            (Some(value), None) => Ok(Self::Return(value.clone())),
            (None, Some(thrown)) => {
                let error = thrown.get("Error").and_then(Value::as_str).ok_or_else(|| {
                    MockError(format!("{}: `Throw` needs an `Error` string", at()))
                })?;
                let cause = thrown
                    .get("Cause")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                Ok(Self::Throw {
                    error: error.to_owned(),
                    cause: cause.to_owned(),
                })
            }
            (Some(_), Some(_)) => Err(MockError(format!(
                "{} has both `Return` and `Throw`; an attempt gives one",
                at()
            ))),
            (None, None) => Err(MockError(format!(
                "{} has neither `Return` nor `Throw`",
                at()
            ))),
        }
    }
}

/// One mocked response: the responses by attempt range, in order.
#[derive(Debug, Clone)]
struct Script(Vec<(u64, u64, Response)>);

impl Script {
    fn parse(name: &str, attempts: &BTreeMap<String, Value>) -> Result<Self, MockError> {
        let mut ranges = Vec::new();
        for (key, response) in attempts {
            let at = || format!("attempt `{key}` of mocked response `{name}`");
            let response = Response::parse(response, &at)?;
            let bad = || {
                MockError(format!("mocked response `{name}`: `{key}` is not an attempt number or a range such as `1-2`"))
            };
            let (from, to) = match key.split_once('-') {
                Some((a, b)) => (
                    a.trim().parse().map_err(|_| bad())?,
                    b.trim().parse().map_err(|_| bad())?,
                ),
                None => {
                    let n = key.trim().parse().map_err(|_| bad())?;
                    (n, n)
                }
            };
            if from > to {
                return Err(bad());
            }
            ranges.push((from, to, response));
        }
        ranges.sort_by_key(|(from, _, _)| *from);
        if ranges.is_empty() {
            return Err(MockError(format!(
                "mocked response `{name}` has no attempts"
            )));
        }
        // Attempts are numbered from 0, each answered once: `0`, `1-2`, `3`...
        let mut expected: u64 = 0;
        for (from, to, _) in &ranges {
            if *from != expected {
                let what = if *from > expected {
                    "a gap"
                } else {
                    "an overlap"
                };
                return Err(MockError(format!(
                    "mocked response `{name}` has {what} at attempt {}: attempts are numbered from 0 and each is answered once, as in `0`, `1-2`, `3`",
                    expected.min(*from)
                )));
            }
            expected = to.saturating_add(1);
        }
        Ok(Self(ranges))
    }

    fn at(&self, attempt: u64) -> &Response {
        self.0
            .iter()
            .find(|(from, to, _)| (*from..=*to).contains(&attempt))
            .or_else(|| self.0.iter().max_by_key(|(_, to, _)| *to))
            .map(|(_, _, r)| r)
            .expect("a script has at least one response")
    }
}

/// A mock configuration file, read.
#[derive(Debug, Clone)]
pub struct MockConfig {
    test_cases: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
    responses: BTreeMap<String, Script>,
}

/// Why a mock configuration cannot be read or used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockError(pub String);

impl fmt::Display for MockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MockError {}

impl MockConfig {
    /// Reads a `MockConfigFile.json`.
    ///
    /// # Errors
    /// When the text is not such a file, or an attempt key is not a number or a range.
    pub fn from_json(text: &str) -> Result<Self, MockError> {
        // Read as AWS reads JSON (`-0` is the integer 0).
        let text = workflow_asl::json_text::as_aws_reads(text);
        let file: File = serde_json::from_str(&text).map_err(|e| {
            MockError(format!(
                "not a mock configuration (line {}, column {}): {e}",
                e.line(),
                e.column()
            ))
        })?;
        let responses = file
            .mocked_responses
            .iter()
            .map(|(name, attempts)| Ok((name.clone(), Script::parse(name, attempts)?)))
            .collect::<Result<_, MockError>>()?;
        let test_cases = file
            .state_machines
            .into_iter()
            .map(|(name, machine)| (name, machine.test_cases))
            .collect();
        Ok(Self {
            test_cases,
            responses,
        })
    }

    /// The state machines the file has test cases for.
    pub fn state_machines(&self) -> impl Iterator<Item = &str> {
        self.test_cases.keys().map(String::as_str)
    }

    /// Registers the mocked responses of test case `test_case` of state machine `machine` as
    /// the handlers of their Task states.
    ///
    /// # Errors
    /// When the file has no such state machine or test case, or the test case names a mocked
    /// response the file does not define.
    pub fn apply(
        &self,
        interpreter: &mut Interpreter,
        machine: &str,
        test_case: &str,
    ) -> Result<(), MockError> {
        let cases = self.test_cases.get(machine).ok_or_else(|| {
            MockError(format!(
                "the mock configuration has no state machine `{machine}`; it has: {}",
                self.state_machines().collect::<Vec<_>>().join(", ")
            ))
        })?;
        let states = cases.get(test_case).ok_or_else(|| {
            MockError(format!(
                "state machine `{machine}` has no test case `{test_case}`; it has: {}",
                cases.keys().cloned().collect::<Vec<_>>().join(", ")
            ))
        })?;
        for (state, response) in states {
            let script = self.responses.get(response).cloned().ok_or_else(|| {
                MockError(format!(
                    "test case `{test_case}` mocks `{state}` with `{response}`, which `MockedResponses` does not define"
                ))
            })?;
            interpreter
                .handle_dyn(state.clone(), mocked(script))
                .map_err(|e| MockError(format!("test case `{test_case}` mocks {e}")))?;
        }
        Ok(())
    }
}

/// A handler that answers from `script`, numbering attempts per execution: the count lives in
/// the execution (`TaskContext::next_run_number`) and ends with it.
fn mocked(script: Script) -> DynHandler {
    let script = Arc::new(script);
    DynHandler::from_fn(move |_input, context| {
        let response = script.at(context.next_run_number()).clone();
        async move {
            match response {
                Response::Return(value) => Ok(value),
                Response::Throw { error, cause } => Err(Error::new(error, cause)),
            }
        }
    })
    .named("a mocked response")
    // A mocked response is the service's whole response, as Step Functions Local takes it.
    .answering_for_integration()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const CONFIG: &str = r#"{
      "StateMachines": {"M": {"TestCases": {"Flaky": {"Call": "Flaky"}, "Broken": {"Call": "Missing"}}}},
      "MockedResponses": {
        "Flaky": {
          "0": {"Throw": {"Error": "Busy", "Cause": "try later"}},
          "1-2": {"Throw": {"Error": "Busy"}},
          "3": {"Return": {"ok": true}}
        }
      }
    }"#;

    fn interpreter(retries: u32) -> Interpreter {
        let definition = json!({"StartAt": "Call", "States": {"Call": {
            "Type": "Task", "Resource": "arn:call",
            "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": retries, "IntervalSeconds": 1}],
            "End": true}}});
        Interpreter::from_json("M", &definition.to_string()).unwrap()
    }

    #[tokio::test(start_paused = true)]
    async fn attempts_follow_the_script_and_the_last_response_repeats() {
        let config = MockConfig::from_json(CONFIG).unwrap();
        let mut enough = interpreter(3);
        config.apply(&mut enough, "M", "Flaky").unwrap();
        assert_eq!(enough.run(json!({})).await.unwrap(), json!({"ok": true}));
        assert_eq!(
            enough.run(json!({})).await.unwrap(),
            json!({"ok": true}),
            "a new execution starts again at attempt 0"
        );
        let mut short = interpreter(2);
        config.apply(&mut short, "M", "Flaky").unwrap();
        let error = short.run(json!({})).await.unwrap_err();
        assert_eq!((error.name(), error.cause()), ("Busy", ""));
        assert_eq!(error.handler(), Some("a mocked response"));
        let script = &config.responses["Flaky"];
        assert!(matches!(script.at(99), Response::Return(_)));
    }

    // Issue 13: the counts were kept per execution id in the handler, forever (160 MB after
    // 1M executions). They now live in each execution and end with it: many executions of
    // one interpreter, at once, each number their attempts from 0.
    #[tokio::test(start_paused = true)]
    async fn each_execution_numbers_its_own_attempts_and_keeps_nothing_after() {
        let config = MockConfig::from_json(CONFIG).unwrap();
        let mut enough = interpreter(3);
        config.apply(&mut enough, "M", "Flaky").unwrap();
        let runs = (0..1_000).map(|_| enough.run(json!({})));
        for output in futures_util::future::join_all(runs).await {
            assert_eq!(output, Ok(json!({"ok": true})));
        }
    }

    #[test]
    fn mistakes_in_the_file_are_named() {
        let config = MockConfig::from_json(CONFIG).unwrap();
        let mut i = interpreter(0);
        let e = config.apply(&mut i, "M", "Broken").unwrap_err();
        assert!(e.0.contains("`Missing`"), "{e}");
        let e = config.apply(&mut i, "Other", "Flaky").unwrap_err();
        assert!(e.0.contains("it has: M"), "{e}");
        let e = config.apply(&mut i, "M", "Nope").unwrap_err();
        assert!(e.0.contains("Broken, Flaky"), "{e}");
        let e = MockConfig::from_json(r#"{"MockedResponses": {"R": {"one": {"Return": 1}}}}"#)
            .unwrap_err();
        assert!(e.0.contains("`one`"), "{e}");
        let e = MockConfig::from_json("{\n  \"StateMachines\": [").unwrap_err();
        assert!(e.0.contains("line 2"), "{e}");
    }

    // Issue 13: gaps and overlaps were accepted silently, and `{}` or both answers gave a
    // message about enums.
    #[test]
    fn every_attempt_is_answered_once_with_one_response() {
        let responses = |attempts: &str| {
            MockConfig::from_json(&format!(r#"{{"MockedResponses": {{"R": {attempts}}}}}"#))
                .map(|_| ())
                .map_err(|e| e.0)
        };
        let ok = r#"{"Return": 1}"#;
        assert_eq!(
            responses(&format!(r#"{{"0": {ok}, "1-2": {ok}, "3": {ok}}}"#)),
            Ok(())
        );
        let gap = responses(&format!(r#"{{"0": {ok}, "2": {ok}}}"#)).unwrap_err();
        assert!(gap.contains("a gap at attempt 1"), "{gap}");
        let late = responses(&format!(r#"{{"1": {ok}}}"#)).unwrap_err();
        assert!(late.contains("a gap at attempt 0"), "{late}");
        let overlap = responses(&format!(r#"{{"0-2": {ok}, "1": {ok}}}"#)).unwrap_err();
        assert!(overlap.contains("an overlap at attempt 1"), "{overlap}");
        let empty = responses(r#"{"0": {}}"#).unwrap_err();
        assert_eq!(
            empty,
            "attempt `0` of mocked response `R` has neither `Return` nor `Throw`"
        );
        let both = responses(r#"{"0": {"Return": 1, "Throw": {"Error": "E"}}}"#).unwrap_err();
        assert!(both.contains("has both `Return` and `Throw`"), "{both}");
        let nameless = responses(r#"{"0": {"Throw": {"Cause": "why"}}}"#).unwrap_err();
        assert!(
            nameless.contains("`Throw` needs an `Error` string"),
            "{nameless}"
        );
    }
}
