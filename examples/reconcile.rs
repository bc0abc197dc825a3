//! A Distributed Map: reconcile a day's 100,000 orders. The orders are read from an object
//! in S3 by the Map's `item_reader`, answered here by `read_orders` (which makes the JSON
//! Lines an S3 object would hold); the batcher groups them 1,000 to a child execution; a batch
//! holding a corrupt order fails, and up to 5% of failed batches are tolerated; a final Task
//! adds the batches up.
//!
//! ```text
//! cargo run --release --example reconcile                        # 100,000 orders
//! cargo run --example reconcile -- '{"key": "orders.jsonl", "day": "2026-12-03"}'
//! cargo run --example reconcile -- --asl                         # the ASL export
//! ```

use std::process::ExitCode;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sfn_workflow::Error;

sfn_workflow::workflow! {
    /// Reconciles a day's orders in batches, tolerating a few bad batches.
    pub Reconcile {
        comment: "Reconcile a day's orders with a Distributed Map",
        deps: Ledger,
        start_at: "Reconcile orders",
        states: {
            "Reconcile orders": Map {
                item_reader: {
                    "Resource": "arn:aws:states:::s3:getObject",
                    "ReaderConfig": {"InputType": "JSONL"},
                    "Parameters": {"Bucket": "orders", "Key.$": "$.key"},
                },
                reader: read_orders,
                item_batcher: {"MaxItemsPerBatch": 1000, "BatchInput": {"day.$": "$.day"}},
                max_concurrency: 100,
                tolerated_failure_percentage: 5,
                label: "ReconcileOrders",
                item_processor: {
                    processor_config: {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                    start_at: "Check batch",
                    states: {
                        "Check batch": Task {
                            resource: "arn:aws:lambda:us-east-1:123456789012:function:check-batch",
                            handler: check_batch,
                            end: true,
                        },
                    },
                },
                result_path: "$.batches",
                next: Summarize,
            },
            Summarize: Task {
                resource: "arn:aws:lambda:us-east-1:123456789012:function:summarize",
                handler: summarize,
                parameters: {"day.$": "$.day", "batches.$": "$.batches"},
                end: true,
            },
        }
    }
}

/// Where the orders come from: in a service, an S3 client; here, how many orders a day has
/// and the seed they are drawn from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ledger {
    /// How many orders the day's object holds.
    pub(crate) orders: usize,
    /// Repeats a day: the same seed makes the same orders.
    pub(crate) seed: u64,
}

/// What the reader is asked, as S3's `GetObject` is: the object's bucket and key.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct GetObject {
    #[allow(dead_code)]
    bucket: String,
    key: String,
}

/// The object `GetObject` names, as JSON Lines: one order per line, about one in 25,000
/// corrupt (a negative amount).
pub(crate) async fn read_orders(ledger: &Ledger, get: GetObject) -> Result<String, Error> {
    if !get.key.ends_with(".jsonl") {
        return Err(Error::new(
            "S3.NoSuchKey",
            format!("no object `{}`", get.key),
        ));
    }
    let mut rng = fastrand::Rng::with_seed(ledger.seed);
    let mut text = String::with_capacity(ledger.orders * 40);
    for id in 0..ledger.orders {
        let cents: i64 = if rng.u32(0..25_000) == 0 {
            -1
        } else {
            rng.i64(100..100_000)
        };
        text.push_str(&format!("{{\"id\":{id},\"cents\":{cents}}}\n"));
    }
    Ok(text)
}

#[derive(Deserialize, Serialize)]
pub(crate) struct Order {
    id: u64,
    cents: i64,
}

#[derive(Deserialize)]
pub(crate) struct Day {
    day: String,
}

/// One child execution's input: what the batcher made.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Batch {
    batch_input: Day,
    items: Vec<Order>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct Checked {
    day: String,
    orders: usize,
    cents: i64,
}

/// Checks one batch: its total, or `CorruptOrder` for a batch holding a negative amount.
pub(crate) async fn check_batch(batch: Batch) -> Result<Checked, Error> {
    if let Some(bad) = batch.items.iter().find(|o| o.cents < 0) {
        return Err(Error::new(
            "CorruptOrder",
            format!("order {} has a negative amount", bad.id),
        ));
    }
    Ok(Checked {
        day: batch.batch_input.day,
        orders: batch.items.len(),
        cents: batch.items.iter().map(|o| o.cents).sum(),
    })
}

#[derive(Deserialize)]
pub(crate) struct Batches {
    day: String,
    /// Each batch's `Checked`, or its `{"Error", "Cause"}` when it failed (tolerated).
    batches: Vec<Value>,
}

#[derive(Serialize)]
pub(crate) struct Summary {
    day: String,
    batches: usize,
    failed_batches: usize,
    orders: usize,
    cents: i64,
}

/// Adds the batches up.
pub(crate) async fn summarize(all: Batches) -> Result<Summary, Error> {
    let mut summary = Summary {
        day: all.day,
        batches: all.batches.len(),
        failed_batches: 0,
        orders: 0,
        cents: 0,
    };
    for batch in all.batches {
        match serde_json::from_value::<Checked>(batch) {
            Ok(checked) => {
                summary.orders += checked.orders;
                summary.cents += checked.cents;
            }
            Err(_) => summary.failed_batches += 1,
        }
    }
    Ok(summary)
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    let options = sfn_workflow::cli::Options {
        default_input: json!({"key": "orders.jsonl", "day": "2026-12-02"}),
        ..Default::default()
    };
    let reconcile = Reconcile::new(Ledger {
        orders: 100_000,
        seed: 1,
    });
    sfn_workflow::cli::main_with(&reconcile, &sfn_workflow::cli::args(), &options).await
}
