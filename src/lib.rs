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

#[doc = include_str!("../docs/workflow-macro.md")]
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
