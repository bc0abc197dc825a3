//! ASL semantics for the `sfn-workflow` crate, as plain functions and types.
//!
//! The code the `workflow!` macro generates calls these functions and never re-implements
//! them; a workflow written by hand can call them too (see the `parallel_by_hand` example).
//!
//! - [`error`]: ASL errors (a name and a cause) and [`TaskError`] for handler error types.
//! - [`retry`]: which retrier handles an error and how long to wait ([`retry::policy`]), and
//!   the loop that waits on tokio's clock.
//! - [`catch`]: which catcher handles an error, and where its output goes.
//! - [`choice`]: whether a Choice rule matches.
//! - [`data`]: `InputPath`, `Parameters`, `ResultSelector`, `ResultPath`, `OutputPath`, and
//!   a JSONata state's `Arguments` and `Output`; [`expression`]: JSONata in a state's fields
//!   (`jsonata` evaluates it, with the `jsonata` feature); [`variables`]: `Assign`.
//! - [`intrinsic`]: the 18 intrinsic functions.
//! - [`items`]: a Distributed Map's item reader, batcher and result writer.
//! - [`task`]: calling an `async fn` handler with JSON, a panic becoming an error;
//!   [`integration`]: what a service integration's handler receives and returns;
//!   [`callback`]: answering Tasks that wait for a task token.
//! - [`parallel`]: branches with `join` semantics, and [`parallel::quorum`] with `select`
//!   semantics.
//! - [`context`]: the execution and its context object (`$$`).
//! - [`state`]: one state at a time, putting the above together.
//! - [`interpret`]: running an ASL document read at run time, with Rust handlers.
//! - [`limits`]: AWS's quotas on an execution (payload size, history length), and raising
//!   them; [`history`]: the events an execution records, in AWS's shape, and
//!   [`RunOptions`] to keep them or hear them as they happen.
//! - [`report`]: the execution page, one self-contained HTML file of what an execution did.
//! - [`mock`]: mocked Task responses from a Step Functions Local `MockConfigFile.json`.
//! - [`cli`]: the command line every example follows.
#![doc(test(attr(deny(warnings))))]

pub mod callback;
pub mod catch;
pub mod choice;
pub mod cli;
pub mod context;
pub mod data;
pub mod error;
pub mod expression;
pub mod history;
pub mod integration;
pub mod interpret;
pub mod intrinsic;
pub mod items;
#[cfg(feature = "jsonata")]
pub mod jsonata;
pub mod limits;
pub mod map;
pub mod mock;
pub mod parallel;
pub mod report;
pub mod retry;
pub(crate) mod run;
pub mod state;
pub mod task;
pub mod variables;
mod workflow;

#[doc(hidden)]
pub mod __private;

pub use context::Execution;
pub use error::{Error, TaskError};
pub use limits::Limits;
pub use run::RunOptions;
pub use task::{TaskContext, TaskHandler};
pub use workflow::{to_json, to_json_pretty, Workflow};
/// The ASL document model and definition rules.
pub use workflow_asl as asl;
