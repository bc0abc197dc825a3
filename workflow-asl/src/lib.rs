//! The Amazon States Language (ASL) document model and the definition rules.
//!
//! This crate is shared by the `workflow!` macro (which builds a [`StateMachine`] from its
//! syntax at compile time, checks it with [`validate`] and embeds it) and by the runtime
//! (which reads existing ASL documents). Keeping both on one copy of the model and one copy of
//! the rules means a definition the macro accepts is a definition the runtime accepts, and the
//! ASL a workflow exports is the document that was checked.
//!
//! Nothing here runs a workflow: semantics live in `workflow-runtime`.
#![doc(test(attr(deny(warnings))))]

pub mod choice;
mod document;
pub mod errors;
pub mod export;
pub mod graph;
pub mod integration;
pub mod intrinsic;
pub mod json_text;
pub mod jsonata;
pub mod jsonpath;
mod location;
pub mod policy;
pub mod reference_path;
mod rules;
pub mod suggest;
pub mod timestamp;
pub mod variables;
pub mod walk;

pub use document::vocabulary;
pub use document::{
    Catcher, ChoiceRule, Numeric, QueryLanguage, Quorum, ReadError, Retrier, State, StateMachine,
    StateType, States,
};
pub use export::{export, ExportOptions};
pub use integration::{Integration, Pattern, Resource};
pub use jsonpath::JsonPath;
pub use location::{Location, Segment};
pub use reference_path::{PathError, PathStep, ReferencePath};
pub use rules::{validate, Dialect, Problem};
