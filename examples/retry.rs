//! A Task that fails twice with a transient error and then succeeds under `retry`.
//!
//! ```text
//! cargo run --example retry                 # charges order "demo"; two timeouts, then a receipt
//! cargo run --example retry -- --asl        # the ASL definition
//! ```
//!
//! The gateway below, the workflow's dependency, times out on its first two calls. The retrier waits 1 s, then 1.5 s
//! (`interval_seconds * backoff_rate^n`), and the third attempt succeeds.

use std::process::ExitCode;
use std::sync::atomic::{AtomicU32, Ordering};

use serde::{Deserialize, Serialize};
use sfn_workflow::{Error, TaskError};

#[derive(Deserialize)]
pub(crate) struct Charge {
    #[serde(default = "demo")]
    order_id: String,
    #[serde(default)]
    amount_cents: u64,
}

fn demo() -> String {
    "demo".into()
}

#[derive(Serialize)]
pub(crate) struct Receipt {
    order_id: String,
    amount_cents: u64,
    attempts: u32,
}

/// The errors the payment gateway reports, each an ASL error name.
pub(crate) enum GatewayError {
    Timeout,
}

impl TaskError for GatewayError {
    fn into_error(self) -> Error {
        match self {
            GatewayError::Timeout => Error::new(
                "GatewayTimeout",
                "the payment gateway did not answer in time",
            ),
        }
    }
}

/// A flaky payment gateway: times out twice, then charges. In a service it would hold an
/// HTTP client; the workflow holds it and lends it to the handler.
#[derive(Debug, Default)]
pub(crate) struct Gateway {
    calls: AtomicU32,
}

impl Gateway {
    /// The handler of `Charge card`: a method, named `Gateway::charge` in the workflow.
    pub(crate) async fn charge(&self, charge: Charge) -> Result<Receipt, GatewayError> {
        let attempt = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if attempt <= 2 {
            tracing::warn!(attempt, "gateway timed out");
            return Err(GatewayError::Timeout);
        }
        Ok(Receipt {
            order_id: charge.order_id,
            amount_cents: charge.amount_cents,
            attempts: attempt,
        })
    }
}

sfn_workflow::workflow! {
    /// Charges an order, retrying gateway timeouts with exponential backoff.
    pub ChargeWithRetry {
        comment: "Charge an order; retry gateway timeouts",
        deps: Gateway,
        start_at: "Charge card",
        states: {
            "Charge card": Task {
                resource: "arn:aws:lambda:us-east-1:123456789012:function:charge-card",
                handler: Gateway::charge,
                retry: [{
                    error_equals: ["GatewayTimeout"],
                    interval_seconds: 1,
                    max_attempts: 3,
                    backoff_rate: 1.5,
                }],
                result_path: "$.receipt",
                next: Charged,
            },
            Charged: Succeed {},
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    sfn_workflow::cli::main(&ChargeWithRetry::new(Gateway::default())).await
}
