//! Ten Task states in a row, each an `async fn` that counts its step: the workload of the
//! overhead benchmark (`benches/overhead.rs`). Every transition is a typed edge, so the
//! `Order` passes from Task to Task as a Rust value; JSON is read once at the start and
//! written once at the end. `examples/baseline.rs` is the same logic written by hand.
//!
//! ```text
//! cargo run --example task_chain                      # on {"id": 1, "steps": 0}
//! cargo run --example task_chain -- --asl
//! ```

use std::process::ExitCode;

use serde::{Deserialize, Serialize};
use serde_json::json;
use sfn_workflow::Error;

sfn_workflow::workflow! {
    /// Ten no-op Tasks in a row.
    pub TaskChain {
        start_at: Step1,
        states: {
            Step1: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:step", handler: step, next: Step2 },
            Step2: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:step", handler: step, next: Step3 },
            Step3: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:step", handler: step, next: Step4 },
            Step4: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:step", handler: step, next: Step5 },
            Step5: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:step", handler: step, next: Step6 },
            Step6: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:step", handler: step, next: Step7 },
            Step7: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:step", handler: step, next: Step8 },
            Step8: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:step", handler: step, next: Step9 },
            Step9: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:step", handler: step, next: Step10 },
            Step10: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:step", handler: step, end: true },
        }
    }
}

/// What flows along the chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Order {
    pub(crate) id: u64,
    pub(crate) steps: u32,
}

/// One step: counts itself.
pub(crate) async fn step(mut order: Order) -> Result<Order, Error> {
    order.steps += 1;
    Ok(order)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = sfn_workflow::cli::args();
    let options = sfn_workflow::cli::Options {
        default_input: json!({"id": 1, "steps": 0}),
        ..Default::default()
    };
    sfn_workflow::cli::main_with(&TaskChain, &args, &options).await
}
