//! JSONata expressions, as Step Functions evaluates them (the `jsonata` feature): parsed
//! once, when the definition is read, and evaluated per state with the reserved variable
//! `$states`, the workflow's variables, and the functions Step Functions adds.
//!
//! The evaluator is the `jsonata-core` crate; docs/jsonata.md says why it and not
//! `jsonata-rs`, and `tests/conformance/jsonata/` holds the suite on which it must give the
//! reference implementation's answers (the npm package `jsonata`, run by
//! `tools/jsonata/reference.mjs`).
//!
//! As the AWS Step Functions developer guide's "Transforming data with JSONata in Step
//! Functions" describes them:
//!
//! - `$states` is `{"input", "context"}` and, where a state has them, `"result"` and
//!   `"errorOutput"`; each workflow variable is `$name`.
//! - Step Functions adds `$partition(array, size)`, `$range(start, end, step)` (both ends
//!   included), `$hash(value, algorithm)` (MD5, SHA-1, SHA-256, SHA-384 or SHA-512),
//!   `$random()` or `$random(seed)` (a seed repeats the number), `$uuid()` (version 4) and
//!   `$parse(text)` (JSON text to a value), the JSONata twins of the intrinsic functions
//!   `States.ArrayPartition`, `States.ArrayRange`, `States.Hash`, `States.MathRandom`,
//!   `States.UUID` and `States.StringToJson`, computed by the same code
//!   ([`crate::intrinsic`]).
//! - An expression that fails, or that selects nothing (JSON has no `undefined`), fails the
//!   state with `States.QueryEvaluationError`.

use jsonata_core::ast::AstNode;
use jsonata_core::evaluator::{Context, Evaluator, EvaluatorError};
use jsonata_core::value::JValue;
use serde_json::{Map, Value};

use crate::Error;

/// The error of an expression that fails.
pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";

/// A JSONata expression, parsed.
#[derive(Debug, Clone)]
pub struct Expression {
    text: String,
    ast: AstNode,
    /// Whether it calls a function Step Functions adds, which only then are registered.
    calls_step_functions: bool,
}

/// What an expression is evaluated with: `$states` and the workflow's variables, converted
/// once for every expression of a state (JSONata values share their parts).
pub struct Bindings {
    states: JValue,
    input: JValue,
    variables: Vec<(String, JValue)>,
}

impl Bindings {
    /// `$states` with `input`, and `result`, `errorOutput` and `context` where given; each of
    /// `variables` as `$` and its name.
    #[must_use]
    pub fn new(
        input: &Value,
        result: Option<&Value>,
        error_output: Option<&Value>,
        context: Option<Value>,
        variables: &Map<String, Value>,
    ) -> Self {
        let input = JValue::from(input.clone());
        let mut states = indexmap::IndexMap::new();
        states.insert("input".to_owned(), input.clone());
        if let Some(result) = result {
            states.insert("result".to_owned(), JValue::from(result.clone()));
        }
        if let Some(error) = error_output {
            states.insert("errorOutput".to_owned(), JValue::from(error.clone()));
        }
        if let Some(context) = context {
            states.insert("context".to_owned(), JValue::from(context));
        }
        Self {
            states: JValue::object(states),
            input,
            variables: variables
                .iter()
                .map(|(name, value)| (name.clone(), JValue::from(value.clone())))
                .collect(),
        }
    }
}

/// The functions Step Functions adds, as an expression calls them.
const STEP_FUNCTIONS: [&str; 6] = [
    "$partition",
    "$range",
    "$hash",
    "$uuid",
    "$parse",
    "$random",
];

/// Why an expression's text is not JSONata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The parser's message, with the JSONata error code (`S0201: ...`).
    pub message: String,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SyntaxError {}

impl Expression {
    /// Parses `text` (without its `{% %}`).
    ///
    /// # Errors
    /// [`SyntaxError`] when `text` is not JSONata.
    pub fn parse(text: &str) -> Result<Self, SyntaxError> {
        let ast = jsonata_core::parser::parse(text).map_err(|e| SyntaxError {
            message: e.to_string(),
        })?;
        Ok(Self {
            text: text.to_owned(),
            ast,
            calls_step_functions: STEP_FUNCTIONS.iter().any(|f| text.contains(f)),
        })
    }

    /// The expression as written.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Evaluates the expression with `$states` bound to `states` and each of `variables`
    /// bound to `$` and its name. The expression's own context (`$`) is `$states.input`,
    /// but Step Functions does not let a top-level expression read it unqualified, so
    /// definitions always write `$states.input`.
    ///
    /// # Errors
    /// `States.QueryEvaluationError` when the expression fails or selects nothing; its cause
    /// names no field (a state's expressions are evaluated with [`Expression::evaluate_with`]).
    pub fn evaluate(&self, states: &Value, variables: &Map<String, Value>) -> Result<Value, Error> {
        let member = |name: &str| states.get(name);
        let bindings = Bindings::new(
            member("input").unwrap_or(&Value::Null),
            member("result"),
            member("errorOutput"),
            member("context").cloned(),
            variables,
        );
        self.evaluate_with(&bindings, &"")
    }

    /// [`Expression::evaluate`] with bindings made once for several expressions, for the field
    /// `field` of a state (`Output`, `Output/total`, `Assign/rate`, `Arguments`...: where the
    /// expression is, as AWS's causes name it), which the error's cause names.
    ///
    /// # Errors
    /// `States.QueryEvaluationError` when the expression fails or selects nothing, with AWS's
    /// cause: "The JSONata expression '...' specified for the field '...' returned nothing
    /// (undefined)." or "... threw an error during evaluation." and the evaluator's message.
    pub fn evaluate_with(
        &self,
        bindings: &Bindings,
        field: &dyn std::fmt::Display,
    ) -> Result<Value, Error> {
        let mut context = Context::new();
        context.bind("states".to_owned(), bindings.states.clone());
        for (name, value) in &bindings.variables {
            context.bind(name.clone(), value.clone());
        }
        let mut evaluator = Evaluator::with_context(context);
        if self.calls_step_functions {
            register_step_functions(&mut evaluator).map_err(|e| self.threw(field, &e))?;
        }
        let result = evaluator
            .evaluate(&self.ast, &bindings.input)
            .map_err(|e| self.threw(field, &e))?;
        if result.is_undefined() {
            return Err(self.failed(field, &"returned nothing (undefined)."));
        }
        serde_json::to_value(&result).map_err(|e| self.threw(field, &e))
    }

    fn threw(&self, field: &dyn std::fmt::Display, why: &dyn std::fmt::Display) -> Error {
        self.failed(
            field,
            &format_args!("threw an error during evaluation. {why}"),
        )
    }

    /// `States.QueryEvaluationError` with AWS's cause, naming the expression and the field it
    /// is in, then `what` happened (AWS's wording, recorded in LocalStack's snapshots of AWS
    /// runs, `test_assign_reference_variables`, `BASE_UNDEFINED_*`); the error keeps the field
    /// for its `EvaluationFailed` event.
    #[cold]
    fn failed(&self, field: &dyn std::fmt::Display, what: &dyn std::fmt::Display) -> Error {
        let field = field.to_string();
        let mut cause = format!("The JSONata expression '{}'", self.text.trim());
        if !field.is_empty() {
            cause.push_str(&format!(" specified for the field '{field}'"));
        }
        cause.push_str(&format!(" {what}"));
        let error = Error::new(QUERY_EVALUATION_ERROR, cause);
        if field.is_empty() {
            error
        } else {
            error.evaluated_at(field)
        }
    }
}

/// A JSONata value as JSON.
fn json(value: &JValue) -> Result<Value, EvaluatorError> {
    let text = value
        .to_json_string()
        .map_err(|e| EvaluatorError::TypeError(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| EvaluatorError::TypeError(e.to_string()))
}

/// The intrinsic function `name` on JSONata arguments: its value, or its failure as a
/// JSONata error.
fn intrinsic(name: &str, args: &[JValue]) -> Result<JValue, EvaluatorError> {
    let args = args.iter().map(json).collect::<Result<Vec<_>, _>>()?;
    crate::intrinsic::apply(name, args)
        .map(JValue::from)
        .map_err(|e| EvaluatorError::EvaluationError(e.cause().to_owned()))
}

/// The functions Step Functions adds to JSONata.
fn register_step_functions(evaluator: &mut Evaluator) -> Result<(), EvaluatorError> {
    evaluator.register_fn("partition", |args: &[JValue]| {
        intrinsic("States.ArrayPartition", args)
    })?;
    evaluator.register_fn("range", |args: &[JValue]| {
        intrinsic("States.ArrayRange", args)
    })?;
    evaluator.register_fn("hash", |args: &[JValue]| intrinsic("States.Hash", args))?;
    evaluator.register_fn("uuid", |args: &[JValue]| intrinsic("States.UUID", args))?;
    evaluator.register_fn("parse", |args: &[JValue]| {
        intrinsic("States.StringToJson", args)
    })?;
    // JSONata's own `$random()` takes no seed; Step Functions' takes one, which repeats the
    // number: a number in [0, 1).
    evaluator.register_fn_override("random", |args: &[JValue]| {
        let mut rng = match args.first().map(json).transpose()? {
            None | Some(Value::Null) => fastrand::Rng::new(),
            Some(seed) => {
                let seed = seed.as_i64().ok_or_else(|| {
                    EvaluatorError::TypeError(format!(
                        "the seed of $random must be an integer, not {seed}"
                    ))
                })?;
                fastrand::Rng::with_seed(u64::from_ne_bytes(seed.to_ne_bytes()))
            }
        };
        Ok(JValue::from(rng.f64()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(text: &str, input: Value) -> Result<Value, Error> {
        Expression::parse(text)
            .unwrap()
            .evaluate(&json!({"input": input, "context": {}}), &Map::new())
    }

    // The developer guide's examples of the functions Step Functions adds: `$partition([1,
    // 2, 3, 4, 5, 6, 7, 8, 9], 3)` is `[[1, 2, 3], [4, 5, 6], [7, 8, 9]]`; `$range(0, 10, 2)`
    // is `[0, 2, 4, 6, 8, 10]`.
    #[test]
    fn the_functions_step_functions_adds() {
        assert_eq!(
            eval("$partition([1, 2, 3, 4, 5, 6, 7, 8, 9], 3)", json!({})).unwrap(),
            json!([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
        );
        assert_eq!(
            eval("$range(0, 10, 2)", json!({})).unwrap(),
            json!([0, 2, 4, 6, 8, 10])
        );
        // The SHA-256 of "abc" (FIPS 180-2's example).
        assert_eq!(
            eval("$hash('abc', 'SHA-256')", json!({})).unwrap(),
            json!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(
            eval(
                "$parse($states.input.text)",
                json!({"text": "{\"a\": [1]}"})
            )
            .unwrap(),
            json!({"a": [1]})
        );
        let uuid = eval("$uuid()", json!({})).unwrap();
        assert_eq!(uuid.as_str().map(str::len), Some(36));
        let seeded = eval("[$random(7), $random(7)]", json!({})).unwrap();
        assert_eq!(seeded[0], seeded[1]);
        assert!(seeded[0].as_f64().is_some_and(|r| (0.0..1.0).contains(&r)));
    }

    // "Transforming data with JSONata": an expression that fails, or that gives nothing,
    // is `States.QueryEvaluationError`; a syntax error is found when parsing.
    #[test]
    fn failures_are_query_evaluation_errors() {
        for text in [
            "$states.input.missing",
            "$error('boom')",
            "$hash('a', 'MD4')",
        ] {
            let error = eval(text, json!({})).unwrap_err();
            assert_eq!(error.name(), QUERY_EVALUATION_ERROR, "{text}: {error}");
        }
        assert!(Expression::parse("1 +").is_err());
    }

    // Variables are `$name`, beside `$states`.
    #[test]
    fn variables_are_bound_beside_states() {
        let mut variables = Map::new();
        variables.insert("rate".into(), json!(1.5));
        let expression = Expression::parse("$states.input.amount * $rate").unwrap();
        let states = json!({"input": {"amount": 4}, "context": {}});
        // A whole number is written as one, as JavaScript writes 6.0.
        assert_eq!(expression.evaluate(&states, &variables).unwrap(), json!(6));
    }
}
