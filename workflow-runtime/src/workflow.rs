//! The trait every workflow type implements.

use std::future::Future;

use serde_json::Value;
use workflow_asl::StateMachine;

use crate::Error;

/// A workflow: a definition that can run locally and export itself as ASL.
///
/// The `workflow!` macro implements it (and the same methods as inherent methods, so calling
/// them needs no import). Implement it by hand to give a hand-written workflow the same
/// command line ([`crate::cli`]).
pub trait Workflow {
    /// The workflow's name.
    const NAME: &'static str;

    /// The checked ASL definition.
    fn definition() -> &'static StateMachine;

    /// Runs one execution on `input`: the execution's output, or the error that failed it.
    fn run(&self, input: Value) -> impl Future<Output = Result<Value, Error>> + Send;

    /// The ASL definition as JSON, as AWS Step Functions takes it.
    #[must_use]
    fn asl() -> Value {
        to_json(Self::definition())
    }

    /// The ASL definition, pretty-printed.
    #[must_use]
    fn asl_pretty() -> String {
        to_json_pretty(Self::definition())
    }
}

/// `definition` as a JSON value.
#[must_use]
pub fn to_json(definition: &StateMachine) -> Value {
    serde_json::to_value(definition)
        .expect("an ASL document always serializes: all its map keys are strings")
}

/// `definition` as pretty-printed JSON.
#[must_use]
pub fn to_json_pretty(definition: &StateMachine) -> String {
    serde_json::to_string_pretty(definition)
        .expect("an ASL document always serializes: all its map keys are strings")
}
