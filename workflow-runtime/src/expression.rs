//! JSONata in a state's fields: the `{% %}` strings of a JSONata state's `Arguments`,
//! `Output`, `Assign`, `Items`, `ItemSelector`, `Condition`, `Error`, `Cause`,
//! `Timestamp` and numeric fields, evaluated with `$states` and the workflow's variables.
//!
//! A definition's expressions are parsed once ([`Expressions::of`], which the interpreter
//! does when it loads a document and generated code the first time its workflow runs) and
//! evaluated per state by `crate::jsonata`; without the `jsonata` feature, a JSONata
//! expression fails its state with `States.Runtime`, and the interpreter refuses a document
//! that has one.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value};
use workflow_asl::{errors, Problem, StateMachine};

use crate::context::ContextObject;
use crate::{Error, Execution};

/// A definition's JSONata expressions, each parsed once, by their text (`{% %}` included).
#[derive(Debug, Default)]
pub struct Expressions {
    #[cfg(feature = "jsonata")]
    parsed: HashMap<String, Arc<crate::jsonata::Expression>>,
    #[cfg(not(feature = "jsonata"))]
    parsed: HashMap<String, Arc<()>>,
}

impl Expressions {
    /// Parses every JSONata expression of `machine`'s JSONata states.
    ///
    /// # Errors
    /// Every expression that is not JSONata, with where it is and the parser's message and
    /// position; without the `jsonata` feature, every expression (none can run).
    pub fn of(machine: &StateMachine) -> Result<Self, Vec<Problem>> {
        let mut parsed = HashMap::new();
        let mut problems = Vec::new();
        for (location, text) in workflow_asl::jsonata::expressions_of(machine) {
            if parsed.contains_key(&text) {
                continue;
            }
            match parse(&text) {
                Ok(expression) => {
                    parsed.insert(text, expression);
                }
                Err(message) => problems.push(Problem { location, message }),
            }
        }
        if problems.is_empty() {
            Ok(Self { parsed })
        } else {
            Err(problems)
        }
    }

    /// How many distinct expressions it holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.parsed.len()
    }

    /// Whether it holds none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.parsed.is_empty()
    }
}

#[cfg(feature = "jsonata")]
fn parse(text: &str) -> Result<Arc<crate::jsonata::Expression>, String> {
    let Some(inner) = workflow_asl::jsonata::expression(text) else {
        return Err(format!(
            "the expression \"{text}\" is not closed: write it `{{% ... %}}`"
        ));
    };
    crate::jsonata::Expression::parse(inner)
        .map(Arc::new)
        .map_err(|e| {
            // With where the parser stopped, as the macro reports it.
            workflow_asl::jsonata::syntax_problem(text)
                .unwrap_or_else(|| format!("\"{text}\" is not a JSONata expression: {e}"))
        })
}

#[cfg(not(feature = "jsonata"))]
fn parse(text: &str) -> Result<Arc<()>, String> {
    Err(format!(
        "\"{text}\" is a JSONata expression, and this build cannot run one: enable the `jsonata` feature"
    ))
}

/// What a JSONata state's expressions read as `$states`, besides `context`.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(feature = "jsonata"), allow(dead_code))]
pub(crate) struct States<'a> {
    /// `$states.input`: the state's raw input.
    pub(crate) input: &'a Value,
    /// `$states.result`: a Task's, Parallel's or Map's result.
    pub(crate) result: Option<&'a Value>,
    /// `$states.errorOutput`: a catcher's `{"Error", "Cause"}`.
    pub(crate) error_output: Option<&'a Value>,
}

impl<'a> States<'a> {
    /// `$states` with only `input`.
    pub(crate) fn input(input: &'a Value) -> Self {
        Self {
            input,
            result: None,
            error_output: None,
        }
    }
}

/// `template`, the state's field called `field`, with every expression string in it replaced
/// by the expression's value, for a state of `execution` seeing `states` and `context`: a
/// JSONata state's `Arguments`, `Output`, `Assign`...; any other value is kept as written.
///
/// # Errors
/// `States.QueryEvaluationError` when an expression fails or gives nothing, its cause naming
/// where the expression is (`Output/total`, as AWS's does).
pub(crate) fn evaluate(
    template: &Value,
    field: &str,
    states: States<'_>,
    context: &dyn ContextObject,
    execution: &Execution,
) -> Result<Value, Error> {
    if !has_expression(template) {
        return Ok(template.clone());
    }
    let mut binding = Binding {
        states,
        context,
        execution,
        reads_context: reads_context(template),
        #[cfg(feature = "jsonata")]
        bindings: None,
    };
    fill(template, &mut binding, At::Field(field))
}

/// Where in a state an expression is: a field, then the keys and indexes inside its value,
/// written as AWS's causes write it (`Output/total`, `Assign/rate`, `Arguments/items/0`).
/// Made on the stack as `fill` descends, and written out only for an error's cause.
#[derive(Debug, Clone, Copy)]
enum At<'a> {
    Field(&'a str),
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Field(field) => f.write_str(field),
            Self::Key(parent, key) => write!(f, "{parent}/{key}"),
            Self::Index(parent, index) => write!(f, "{parent}/{index}"),
        }
    }
}

/// Whether an expression of `value` may read `$states.context` (which is then made).
fn reads_context(value: &Value) -> bool {
    match value {
        Value::String(s) => s.starts_with("{%") && s.contains("context"),
        Value::Array(items) => items.iter().any(reads_context),
        Value::Object(members) => members.values().any(reads_context),
        _ => false,
    }
}

fn has_expression(value: &Value) -> bool {
    match value {
        Value::String(s) => s.starts_with("{%"),
        Value::Array(items) => items.iter().any(has_expression),
        Value::Object(members) => members.values().any(has_expression),
        _ => false,
    }
}

/// What expressions are evaluated with, made on the first expression that needs it.
#[cfg_attr(not(feature = "jsonata"), allow(dead_code))]
struct Binding<'a> {
    states: States<'a>,
    context: &'a dyn ContextObject,
    execution: &'a Execution,
    reads_context: bool,
    #[cfg(feature = "jsonata")]
    bindings: Option<crate::jsonata::Bindings>,
}

fn fill(template: &Value, binding: &mut Binding<'_>, at: At<'_>) -> Result<Value, Error> {
    Ok(match template {
        Value::String(text) if text.starts_with("{%") => one(text, binding, at)?,
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| fill(item, binding, At::Index(&at, index)))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(members) => {
            let mut out = Map::with_capacity(members.len());
            for (key, item) in members {
                out.insert(key.clone(), fill(item, binding, At::Key(&at, key))?);
            }
            Value::Object(out)
        }
        other => other.clone(),
    })
}

#[cfg(feature = "jsonata")]
fn one(text: &str, binding: &mut Binding<'_>, at: At<'_>) -> Result<Value, Error> {
    let parsed;
    let prepared = binding
        .execution
        .prepared()
        .and_then(|p| p.downcast_ref::<Expressions>());
    let expression = match prepared.and_then(|e| e.parsed.get(text)) {
        Some(expression) => expression,
        None => {
            parsed = parse(text).map_err(|why| Error::new(errors::QUERY_EVALUATION_ERROR, why))?;
            &parsed
        }
    };
    let bindings = binding.bindings.get_or_insert_with(|| {
        crate::jsonata::Bindings::new(
            binding.states.input,
            binding.states.result,
            binding.states.error_output,
            binding.reads_context.then(|| binding.context.object()),
            &crate::variables::visible(binding.execution),
        )
    });
    expression.evaluate_with(bindings, &at)
}

#[cfg(not(feature = "jsonata"))]
fn one(text: &str, _binding: &mut Binding<'_>, _at: At<'_>) -> Result<Value, Error> {
    Err(Error::new(
        errors::RUNTIME,
        parse(text).err().unwrap_or_default(),
    ))
}

/// The value of a numeric field (`TimeoutSeconds`, `Seconds`, `MaxConcurrency`...) of a
/// JSONata state: the number as written, or its expression's value.
///
/// # Errors
/// `States.QueryEvaluationError` when the expression fails; `States.Runtime` when its value
/// is not a number.
pub(crate) fn number(
    field: &str,
    value: Option<&workflow_asl::Numeric>,
    states: States<'_>,
    context: &dyn ContextObject,
    execution: &Execution,
) -> Result<Option<serde_json::Number>, Error> {
    match value {
        None => Ok(None),
        Some(workflow_asl::Numeric::Number(n)) => Ok(Some(n.clone())),
        Some(workflow_asl::Numeric::Expression(text)) => {
            match evaluate(
                &Value::String(text.clone()),
                field,
                states,
                context,
                execution,
            )? {
                Value::Number(n) => Ok(Some(n)),
                other => Err(Error::new(
                    errors::RUNTIME,
                    format!("`{field}` \"{text}\" gave {other}, not a number"),
                )),
            }
        }
    }
}
