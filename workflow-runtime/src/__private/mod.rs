//! Not public API: items only the code `workflow!` generates uses. Anything here may change
//! in any release.

/// The generated code names every type through this module, so that it compiles for a user
/// who depends only on the `sfn-workflow` crate (under any name).
pub use serde_json::Value;
/// The definition's types, for the generated `definition()`.
pub use workflow_asl::{ExportOptions, State, StateMachine, States};

/// A Distributed Map's `reader` and `writer` handlers.
pub use crate::items::{answer, ItemHandlers};
/// The generated state functions call these; ASL semantics are never re-implemented in
/// generated code.
pub use crate::state::{
    child_ended, choice, due, ended, execute, fail, map, map_with, pace, parallel, pass,
    start_execution, succeed, task, wait, Exits, Step,
};
pub use crate::task::encode;

mod boundary;
mod check;
mod edge;
mod probe;

/// Typed input and output at the workflow's boundary, and their build-time checks.
pub use self::boundary::{
    execution_input, execution_output, first_task, last_task, FirstTask, GivesWorkflowOutput,
    IsWorkflowOutput, LastTask, TakesWorkflowInput,
};
/// Each Task's handler checked once: itself, or a stand-in after the error that says why.
pub use self::check::{CheckHandler, CheckOther, Invalid, StandIn, Valid};
/// Typed edges: a Task's output passed to the next Task as a Rust value.
pub use self::edge::{
    accept_from, carry, handed_on, located, plain_task, task_edge, Carried, Edge,
};
/// Whether a handler reads the context object, asked of any path.
pub use self::probe::{
    Probe, ProbeHandler, ProbeOther, RegisterChild, RegisterHandler, RegisterNotChild,
    RegisterOther,
};
pub use crate::callback::Callbacks;

/// `run`, the body of a Parallel branch or Map iteration `machine` whose states assign
/// variables, in a variable scope of its own ([`crate::variables`]): generated code wraps
/// only such bodies, as the interpreter does.
pub fn in_scope<F: std::future::Future>(
    execution: &crate::Execution,
    machine: &StateMachine,
    run: F,
) -> impl std::future::Future<Output = F::Output> {
    crate::variables::scoped(crate::variables::scope_for(execution, machine), run)
}

/// A definition's JSONata expressions, parsed once (see [`crate::Execution::speaking`]).
pub type Prepared = Option<std::sync::Arc<dyn std::any::Any + Send + Sync>>;

/// Parses the JSONata expressions of `definition` once, for every run of its workflow: an
/// expression that does not parse is left to fail where it is evaluated (the macro has
/// checked them, with the `jsonata` feature).
#[must_use]
pub fn prepare(definition: &StateMachine) -> Prepared {
    let expressions = crate::expression::Expressions::of(definition).ok()?;
    Some(std::sync::Arc::new(expressions))
}
/// A run's options and what it recorded, for the generated `run_with`.
pub use crate::history::{History, Recorder};
/// The generated `interpreter()` returns one.
pub use crate::interpret::Interpreter;
pub use crate::limits::{admit, Limits};
pub use crate::run::history;
/// What a Task at the start of a typed edge hands on (made by the attempt driver).
pub use crate::state::attempt::Handoff;
pub use crate::RunOptions;
pub use crate::{Error, Execution, Workflow};

/// The generated definition is kept in a `static` and parsed once, on first use.
pub use std::sync::LazyLock;

/// Parses the definition `workflow!` embedded as JSON text.
///
/// # Panics
/// Never for text the macro generated: the macro serialized this very document.
#[must_use]
pub fn parse_definition(json: &str) -> StateMachine {
    serde_json::from_str(json)
        .expect("the workflow! macro embeds a definition it serialized itself")
}

/// The item processor of a Map state, for the generated iteration function.
///
/// # Panics
/// Never for a Map state the macro generated from a checked definition.
#[must_use]
pub fn item_processor(state: &State) -> &StateMachine {
    state
        .processor()
        .expect("a checked Map state has an ItemProcessor")
        .1
}

/// The branch `index` of a Parallel state, for the generated branch functions.
///
/// # Panics
/// Never for positions the macro generated from the same definition.
#[must_use]
pub fn branch(state: &State, index: usize) -> &StateMachine {
    &state.branches.as_deref().unwrap_or_default()[index]
}

/// `asl()` and `asl_pretty()` of the generated type serialize through these.
pub use crate::{to_json, to_json_pretty};
