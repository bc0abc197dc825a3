//! Order processing: a Map prices every line of an order and applies volume discounts, a
//! Choice sends large orders to review, a Task charges the customer (retrying gateway
//! timeouts, catching declines), and intrinsic functions count the lines and write the
//! confirmation.
//!
//! `Price line` -> `Volume discount` is a typed edge: nothing transforms the data between the
//! two Tasks, so the `Priced` value `price_line` returns is handed to `volume_discount` as a
//! Rust value, without JSON, and had `volume_discount` taken another type the build would
//! fail, pointing at both states.
//!
//! ```text
//! cargo run --example orders                                   # a sample order
//! cargo run --example orders -- '{"order_id": "A-7", "customer": {"name": "Ada", "vip": false},
//!                                 "items": [{"sku": "lamp", "quantity": 40}]}'   # large: review
//! cargo run --example orders -- --asl
//! ```

use std::process::ExitCode;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sfn_workflow::{Error, TaskError};

sfn_workflow::workflow! {
    /// Prices, reviews, charges and confirms an order.
    pub ProcessOrder {
        comment: "Price every line, review large orders, charge, confirm",
        timeout_seconds: 300,
        start_at: Receive,
        states: {
            Receive: Pass {
                parameters: {
                    "order_id.$": "$.order_id",
                    "customer.$": "$.customer",
                    "items.$": "$.items",
                    "line_count.$": "States.ArrayLength($.items)",
                },
                next: "Price lines",
            },
            "Price lines": Map {
                items_path: "$.items",
                item_selector: {"line.$": "$$.Map.Item.Index", "sku.$": "$$.Map.Item.Value.sku", "quantity.$": "$$.Map.Item.Value.quantity"},
                max_concurrency: 4,
                item_processor: {
                    start_at: "Price line",
                    states: {
                        "Price line": Task {
                            resource: "arn:aws:lambda:us-east-1:123456789012:function:price-line",
                            handler: price_line,
                            next: "Volume discount",
                        },
                        "Volume discount": Task {
                            resource: "arn:aws:lambda:us-east-1:123456789012:function:volume-discount",
                            handler: volume_discount,
                            end: true,
                        },
                    },
                },
                result_path: "$.lines",
                catch: [{ error_equals: ["UnknownSku"], result_path: "$.error", next: Rejected }],
                next: Total,
            },
            Total: Task {
                resource: "arn:aws:lambda:us-east-1:123456789012:function:total",
                handler: total,
                parameters: {"lines.$": "$.lines"},
                result_path: "$.total_cents",
                next: "Needs review?",
            },
            "Needs review?": Choice {
                choices: [
                    { and: [
                        { variable: "$.total_cents", numeric_greater_than: 50000 },
                        { not: { variable: "$.customer.vip", boolean_equals: true } },
                      ], next: "Hold for review" },
                ],
                default: Charge,
            },
            "Hold for review": Pass {
                parameters: {
                    "order_id.$": "$.order_id",
                    "status": "held for review",
                    "message.$": "States.Format('Order {} ({} cents) waits for a reviewer', $.order_id, $.total_cents)",
                },
                end: true,
            },
            Charge: Task {
                resource: "arn:aws:lambda:us-east-1:123456789012:function:charge",
                handler: charge,
                timeout_seconds: 30,
                parameters: {"order_id.$": "$.order_id", "cents.$": "$.total_cents", "customer.$": "$.customer.name"},
                retry: [{ error_equals: ["GatewayTimeout"], interval_seconds: 1, max_attempts: 2 }],
                catch: [{ error_equals: ["PaymentDeclined"], result_path: "$.error", next: Rejected }],
                result_path: "$.payment",
                next: Confirm,
            },
            Confirm: Pass {
                parameters: {
                    "order_id.$": "$.order_id",
                    "status": "confirmed",
                    "payment.$": "$.payment.reference",
                    "message.$": "States.Format('Order {} for {}: {} lines, {} cents', $.order_id, $.customer.name, $.line_count, $.total_cents)",
                },
                end: true,
            },
            Rejected: Fail { error: "OrderRejected", cause_path: "$.error.Cause" },
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct Line {
    line: u64,
    sku: String,
    quantity: u64,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct Priced {
    line: u64,
    sku: String,
    quantity: u64,
    cents: u64,
}

/// The order could not be processed as asked; each variant is an ASL error name.
pub(crate) enum OrderError {
    UnknownSku(String),
    Declined(u64),
}

impl TaskError for OrderError {
    fn into_error(self) -> Error {
        match self {
            OrderError::UnknownSku(sku) => {
                Error::new("UnknownSku", format!("no price for `{sku}`"))
            }
            OrderError::Declined(cents) => Error::new(
                "PaymentDeclined",
                format!("a charge of {cents} cents was declined"),
            ),
        }
    }
}

/// Looks a line's price up in the catalog.
pub(crate) async fn price_line(line: Line) -> Result<Priced, OrderError> {
    let unit_cents = match line.sku.as_str() {
        "lamp" => 2_500,
        "chair" => 7_900,
        "mug" => 900,
        other => return Err(OrderError::UnknownSku(other.to_owned())),
    };
    Ok(Priced {
        line: line.line,
        sku: line.sku,
        quantity: line.quantity,
        cents: unit_cents * line.quantity,
    })
}

/// Takes 10% off a line of 25 units or more.
pub(crate) async fn volume_discount(mut priced: Priced) -> Result<Priced, Error> {
    if priced.quantity >= 25 {
        priced.cents = priced.cents * 9 / 10;
    }
    Ok(priced)
}

#[derive(Deserialize)]
pub(crate) struct Lines {
    lines: Vec<Priced>,
}

pub(crate) async fn total(lines: Lines) -> Result<u64, Error> {
    Ok(lines.lines.iter().map(|l| l.cents).sum())
}

#[derive(Deserialize)]
pub(crate) struct ChargeRequest {
    order_id: String,
    cents: u64,
    customer: String,
}

pub(crate) async fn charge(request: ChargeRequest) -> Result<Value, OrderError> {
    if request.cents > 200_000 {
        return Err(OrderError::Declined(request.cents));
    }
    tracing::info!(order = %request.order_id, customer = %request.customer, cents = request.cents, "charged");
    Ok(json!({"reference": format!("pay-{}", request.order_id)}))
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    let args = sfn_workflow::cli::args();
    let options = sfn_workflow::cli::Options {
        default_input: json!({
            "order_id": "A-1",
            "customer": {"name": "Ada", "vip": false},
            "items": [{"sku": "lamp", "quantity": 2}, {"sku": "mug", "quantity": 4}, {"sku": "chair", "quantity": 1}],
        }),
        ..Default::default()
    };
    sfn_workflow::cli::main_with(&ProcessOrder, &args, &options).await
}
