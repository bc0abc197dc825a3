//! A Task whose error is caught and routed: a declined payment goes to a state that records
//! the decline instead of failing the execution.
//!
//! ```text
//! cargo run --example catch                                # 250.00 is over the limit: declined, caught
//! cargo run --example catch -- '{"amount_cents": 1500}'    # accepted
//! cargo run --example catch -- '{"amount_cents": -1}'      # not an order: fails (exit 1)
//! cargo run --example catch -- --asl
//! ```

use std::process::ExitCode;

use serde::{Deserialize, Serialize};
use sfn_workflow::{Error, TaskError};

#[derive(Deserialize)]
pub(crate) struct Order {
    #[serde(default = "demo")]
    order_id: String,
    #[serde(default = "over_the_limit")]
    amount_cents: u64,
}

fn demo() -> String {
    "demo".into()
}

fn over_the_limit() -> u64 {
    25_000
}

#[derive(Serialize)]
pub(crate) struct Payment {
    order_id: String,
    charged_cents: u64,
}

/// What can go wrong with a payment; each variant is an ASL error name.
#[derive(Debug)]
pub(crate) enum PaymentError {
    Declined { limit_cents: u64 },
}

impl TaskError for PaymentError {
    fn into_error(self) -> Error {
        match self {
            PaymentError::Declined { limit_cents } => Error::new(
                "PaymentDeclined",
                format!("the card's limit is {limit_cents} cents"),
            ),
        }
    }
}

const LIMIT_CENTS: u64 = 10_000;

pub(crate) async fn charge_card(order: Order) -> Result<Payment, PaymentError> {
    if order.amount_cents > LIMIT_CENTS {
        return Err(PaymentError::Declined {
            limit_cents: LIMIT_CENTS,
        });
    }
    Ok(Payment {
        order_id: order.order_id,
        charged_cents: order.amount_cents,
    })
}

sfn_workflow::workflow! {
    /// Charges an order; a declined card is routed to "Record decline".
    pub ChargeOrCatch {
        start_at: "Charge card",
        states: {
            "Charge card": Task {
                resource: "arn:aws:lambda:us-east-1:123456789012:function:charge-card",
                handler: charge_card,
                catch: [{
                    error_equals: ["PaymentDeclined"],
                    result_path: "$.error",
                    next: "Record decline",
                }],
                result_path: "$.payment",
                next: Paid,
            },
            "Record decline": Pass {
                result: "declined",
                result_path: "$.status",
                end: true,
            },
            Paid: Succeed {},
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    sfn_workflow::cli::main(&ChargeOrCatch).await
}
