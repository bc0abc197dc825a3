//! The trait every workflow type implements.

use std::future::Future;

use serde_json::Value;
use workflow_asl::{export, ExportOptions, StateMachine};

use crate::history::History;
use crate::{Error, RunOptions};

/// A workflow: a definition that can run locally and export itself as ASL.
///
/// The `workflow!` macro implements it (and the same methods as inherent methods, so calling
/// them needs no import). Implement it by hand to give a hand-written workflow the same
/// command line ([`crate::cli`]).
pub trait Workflow {
    /// The workflow's name.
    const NAME: &'static str;

    /// The checked definition. It is ASL, except that a Parallel state may carry a `Quorum`,
    /// which [`Workflow::asl`] lowers to ASL states.
    fn definition() -> &'static StateMachine;

    /// Runs one execution on `input`: the execution's output, or the error that failed it.
    fn run(&self, input: Value) -> impl Future<Output = Result<Value, Error>> + Send;

    /// Runs one execution on `input` as `options` say (its quotas; its history kept, or
    /// heard as it happens): its output or error, and its history when it was kept (else
    /// empty). The `workflow!` macro implements it; a workflow written by hand that does not
    /// runs as [`Workflow::run`] does and records nothing.
    fn run_with(
        &self,
        input: Value,
        options: &RunOptions,
    ) -> impl Future<Output = (Result<Value, Error>, History)> + Send {
        let _ = options;
        let run = self.run(input);
        async move { (run.await, History::default()) }
    }

    /// The ASL definition as JSON, as AWS Step Functions takes it, with default
    /// [`ExportOptions`] (quorum records go to the table `${QuorumTable}`, a substitution).
    #[must_use]
    fn asl() -> Value {
        Self::asl_with(&ExportOptions::default())
    }

    /// The ASL definition as JSON, exported with `options`.
    #[must_use]
    fn asl_with(options: &ExportOptions) -> Value {
        to_json(&export(Self::definition(), options))
    }

    /// The workflow as a Mermaid flowchart (paste it into a ```` ```mermaid ```` block of
    /// GitHub Markdown): see [`workflow_asl::graph`].
    #[must_use]
    fn mermaid() -> String {
        workflow_asl::graph::mermaid(Self::definition())
    }

    /// The workflow as a Graphviz DOT digraph (`dot -Tsvg`): see [`workflow_asl::graph`].
    #[must_use]
    fn dot() -> String {
        workflow_asl::graph::dot(Self::definition())
    }

    /// The IAM policy document the workflow's execution role needs on AWS, computed from its
    /// ASL export with default [`ExportOptions`] (so a quorum's table is `${QuorumTable}`):
    /// see [`workflow_asl::policy`].
    #[must_use]
    fn iam_policy() -> Value {
        let exported = export(Self::definition(), &ExportOptions::default());
        workflow_asl::policy::policy(&exported, Self::NAME).to_json()
    }

    /// The ASL definition, pretty-printed, with default [`ExportOptions`].
    #[must_use]
    fn asl_pretty() -> String {
        to_json_pretty(&export(Self::definition(), &ExportOptions::default()))
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
