//! Declare AWS Step Functions workflows in Rust with [`workflow!`], check them when the
//! program compiles, run them locally as plain async Rust, and export them as Amazon States
//! Language (ASL) JSON that runs on AWS Step Functions unchanged.
//!
//! This crate is the one to depend on: it re-exports the runtime ([`Error`], [`TaskError`],
//! [`Workflow`], the semantics modules) and the macro.
#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]

pub use workflow_runtime::*;

/// `serde_json`, whose `Value` is what workflows take and return; re-exported so that the
/// version always matches.
pub use serde_json;
pub use serde_json::{json, Value};

/// Declares a workflow: a Rust type that runs the workflow and exports it as ASL.
///
/// # Syntax
///
/// The body is ASL's JSON written as Rust tokens: each field is the `snake_case` of its ASL
/// name (`StartAt` is `start_at`, `ResultPath` is `result_path`), a state is
/// `Name: Type { fields }`, and a state name is an identifier or a string literal.
///
/// ```
/// sfn_workflow::workflow! {
///     /// Doc comments and attributes go on the generated type.
///     pub Greeting {
///         comment: "Exported as the definition's Comment",
///         start_at: Greet,
///         states: {
///             Greet: Pass { result: {"hello": "world"}, result_path: "$.greeting", next: "All done" },
///             "All done": Succeed {},
///         }
///     }
/// }
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let output = Greeting.run(serde_json::json!({"name": "Ada"})).await.unwrap();
/// assert_eq!(output, serde_json::json!({"name": "Ada", "greeting": {"hello": "world"}}));
/// # }
/// ```
///
/// # States
///
/// | state | fields |
/// |---|---|
/// | `Pass` | `result`, `parameters`, `input_path`, `result_path`, `output_path`, `next`/`end` |
/// | `Task` | `resource` (the ARN the export invokes), `handler` (the `async fn` run locally), `timeout_seconds` or `timeout_seconds_path`, `heartbeat_seconds` or `heartbeat_seconds_path`, `parameters`, `input_path`, `result_selector`, `result_path`, `output_path`, `retry`, `catch`, `next`/`end` |
/// | `Parallel` | `branches: [{ start_at, states }, ...]`, `quorum`, the same data-flow fields, `retry`, `catch`, `next`/`end` |
/// | `Choice` | `choices: [{ variable, <operator>, next }, { and/or: [...], next }, { not: {...}, next }]`, `default`, `input_path`, `output_path` |
/// | `Map` | `item_processor: { start_at, states }`, `items_path`, `item_selector`, `max_concurrency`, `tolerated_failure_count`, `tolerated_failure_percentage`, data-flow fields, `retry`, `catch`, `next`/`end` |
/// | `Wait` | one of `seconds`, `timestamp`, `seconds_path`, `timestamp_path`; `input_path`, `output_path`, `next`/`end` |
/// | `Succeed` | `input_path`, `output_path` |
/// | `Fail` | `error` or `error_path`, `cause` or `cause_path` |
///
/// Every state but `Succeed` and `Fail` has exactly one of `next: Target` and `end: true`.
/// The workflow itself may have `timeout_seconds`, past which the execution fails with
/// `States.Timeout`.
/// JSON values (`result`, `parameters`) use `json!`'s syntax: `{"key": [1, "two", null]}`.
///
/// A Task's handler is an `async fn(Input) -> Result<Output, E>` where `Input` implements
/// `serde::Deserialize`, `Output` implements `serde::Serialize` and `E` implements
/// [`TaskError`] (which names the ASL error each value stands for).
///
/// # Retry
///
/// `retry: [{ error_equals: ["Timeout"], interval_seconds: 1, max_attempts: 3, backoff_rate: 2.0,
/// max_delay_seconds: 10, jitter_strategy: FULL }]`, every field optional; `error_equals`
/// defaults to `["States.ALL"]`. Retriers are scanned in order and the first that matches
/// decides; each keeps its own count. The delay before retry `n` (from 0) is
/// `interval_seconds * backoff_rate^n`, capped at `max_delay_seconds`, drawn uniformly from
/// zero to that with `FULL` jitter.
///
/// # Catch
///
/// `catch: [{ error_equals: ["PaymentDeclined"], next: Refund, result_path: "$.error" }]`;
/// `error_equals` defaults to `["States.ALL"]`. The first matching catcher wins, and
/// `{"Error": ..., "Cause": ...}` is placed in the state's input at `result_path` (by default
/// it replaces the input).
///
/// # Parallel and quorum
///
/// Each branch gets a copy of the input; the output is the array of branch outputs in
/// declaration order. The first branch to fail fails the Parallel state, and the other
/// branches are dropped (cancelled) at once.
///
/// `quorum: { count: 2, timeout_seconds: 15 }` (or `count: "$$.Execution.Input.quorum"`)
/// makes a Parallel move on once `count` branches succeeded, dropping the rest; it fails
/// with `Workflow.QuorumImpossible` as soon as too many failed, or `States.Timeout` when the
/// timeout passes first. Its output is a report of every branch's fate
/// ([`parallel::quorum::Report`]); the export lowers it to plain ASL (see the README).
///
/// # Errors
///
/// A malformed definition does not compile: unknown or unreachable states, a missing or
/// doubled `next`/`end`, `States.ALL` misplaced, retry numbers out of range, a `next` leaving
/// its branch, reserved error names, a handler that is not an `async fn(Input) ->
/// Result<Output, E>`... every problem is reported at once, at the token that causes it.
///
/// At run time a task's error keeps the name its [`TaskError`] gives it; a panic in a task
/// becomes `Workflow.TaskPanicked`, an input that does not deserialize into the handler's
/// type `Workflow.InvalidTaskInput`, and an output that does not serialize
/// `Workflow.InvalidTaskOutput` (see [`error::names`]).
///
/// # Export
///
/// `Name::asl()` returns the ASL definition as a `serde_json::Value` and `Name::asl_pretty()`
/// as pretty-printed text. Fields not written are left out. `Name::asl_with(&options)` names
/// the DynamoDB table a quorum Parallel's export records to ([`asl::ExportOptions`]).
///
/// # Equivalent code
///
/// The generated type calls the runtime's [`state`] functions in a loop over an enum of the
/// workflow's states; `examples/parallel_by_hand.rs` writes the seed's workflow that way
/// without the macro.
#[cfg(feature = "macros")]
#[macro_export]
macro_rules! workflow {
    ($($body:tt)*) => {
        $crate::__private::workflow_impl! { ($crate) $($body)* }
    };
}

/// Not public API: what the code `workflow!` generates uses.
#[doc(hidden)]
pub mod __private {
    /// The macro's implementation, called by the `workflow!` trampoline with `$crate`.
    #[cfg(feature = "macros")]
    pub use workflow_macros::workflow_impl;
    pub use workflow_runtime::__private::*;
}
