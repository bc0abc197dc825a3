//! Dependencies: a workflow declared with `deps: Shop` holds an `Arc<Shop>`, and every handler
//! that takes `&Shop` borrows it, in a plain Task, on a typed edge, in Parallel and quorum
//! branches and in Map iterations, all running concurrently. The expected values are what the
//! handlers below compute; the ASL semantics involved (a Parallel's output is its branches'
//! outputs in order, a Map's the iterations' in order) are the States Language
//! specification's "Parallel State" and "Map State".

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sfn_workflow::{Error, TaskContext};

/// What the handlers need: a counter standing for a client's state, a log, and a setting.
#[derive(Default)]
struct Shop {
    calls: AtomicU64,
    log: Mutex<Vec<String>>,
    price_cents: u64,
}

impl Shop {
    fn note(&self, what: String) {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.log.lock().unwrap().push(what);
    }

    /// A method of the dependencies' type is a handler too: `handler: Shop::quote`.
    async fn quote(&self, item: Item) -> Result<Priced, Error> {
        self.note(format!("quote {}", item.sku));
        Ok(Priced {
            sku: item.sku,
            cents: self.price_cents * item.quantity,
        })
    }
}

#[derive(Deserialize, Serialize)]
struct Item {
    sku: String,
    quantity: u64,
}

#[derive(Deserialize, Serialize)]
struct Priced {
    sku: String,
    cents: u64,
}

/// `&Shop` and the input.
async fn reserve(shop: &Shop, item: Item) -> Result<Item, Error> {
    // The borrow is held across an await: the future borrows the workflow's dependencies.
    tokio::time::sleep(Duration::from_millis(10)).await;
    shop.note(format!("reserve {}", item.sku));
    Ok(item)
}

/// `&Shop`, the input and the attempt's context.
async fn audit(shop: &Shop, priced: Priced, context: TaskContext) -> Result<Priced, Error> {
    shop.note(format!(
        "audit {} in {}",
        priced.sku,
        context.context_object()["State"]["Name"]
    ));
    Ok(priced)
}

/// Only `&Shop`.
async fn count(shop: &Shop) -> Result<u64, Error> {
    Ok(shop.calls.load(Ordering::SeqCst))
}

/// A handler without dependencies fits a workflow with them.
async fn label(replica: Value) -> Result<String, Error> {
    Ok(format!("replica {replica}"))
}

/// A replica that answers after `delay` seconds, through the shop.
async fn replica(shop: &Shop, input: Value) -> Result<Value, Error> {
    let delay = input["delay"].as_u64().unwrap_or(0);
    tokio::time::sleep(Duration::from_secs(delay)).await;
    shop.note(format!("replica {delay}"));
    Ok(json!(delay))
}

sfn_workflow::workflow! {
    /// Every state kind that runs handlers, with the handlers borrowing the shop.
    Sale {
        deps: Shop,
        start_at: Reserve,
        states: {
            // Reserve → Quote → Audit are typed edges: `Item` and `Priced` pass as Rust values.
            Reserve: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:reserve", handler: reserve, next: Quote },
            Quote: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:quote", handler: Shop::quote, next: Audit },
            Audit: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:audit", handler: audit, result_path: "$.priced", next: Fan },
            Fan: Parallel {
                branches: [
                    { start_at: Count, states: { Count: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:count", handler: count, end: true } } },
                    { start_at: Replicas, states: { Replicas: Map {
                        items_path: "$.replicas",
                        item_processor: { start_at: Label, states: { Label: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:label", handler: label, end: true } } },
                        end: true,
                    } } },
                ],
                // Reserve handed on only the item: the replicas come from the execution's input.
                parameters: {"replicas.$": "$$.Execution.Input.replicas"},
                result_path: "$.fan",
                next: Race,
            },
            Race: Parallel {
                branches: [
                    { start_at: R1, states: { R1: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:replica", handler: replica, parameters: {"delay": 1}, end: true } } },
                    { start_at: R2, states: { R2: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:replica", handler: replica, parameters: {"delay": 2}, end: true } } },
                    { start_at: R3, states: { R3: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:replica", handler: replica, parameters: {"delay": 60}, end: true } } },
                ],
                quorum: { count: 2 },
                result_path: "$.race",
                end: true,
            },
        }
    }
}

fn shop() -> Shop {
    Shop {
        price_cents: 250,
        ..Shop::default()
    }
}

#[tokio::test(start_paused = true)]
async fn handlers_borrow_the_dependencies_in_every_state_kind() {
    let sale = Sale::new(shop());
    let output = sale
        .run(json!({"sku": "tea", "quantity": 4, "replicas": [1, 2]}))
        .await
        .unwrap();
    // Quote priced 4 × 250 cents; Audit's result went to `$.priced`.
    assert_eq!(output["priced"], json!({"sku": "tea", "cents": 1000}));
    // Count ran after reserve, quote and audit had each noted one call.
    assert_eq!(output["fan"][0], json!(3));
    assert_eq!(output["fan"][1], json!(["replica 1", "replica 2"]));
    // The quorum of two was met by the replicas of 1 and 2 seconds; the third was cancelled.
    assert_eq!(output["race"]["quorum_met"], json!(true));
    let log = sale.deps().log.lock().unwrap().clone();
    assert_eq!(
        log,
        [
            "reserve tea",
            "quote tea",
            "audit tea in \"Audit\"",
            "replica 1",
            "replica 2"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_workflow_is_cloned_cheaply_and_shared_across_tasks() {
    let shared = Arc::new(shop());
    let sale = Sale::new(Arc::clone(&shared));
    let runs: Vec<_> = (0..8)
        .map(|i| {
            let sale = sale.clone();
            tokio::spawn(async move {
                sale.run(json!({"sku": format!("sku{i}"), "quantity": i, "replicas": []}))
                    .await
            })
        })
        .collect();
    for (i, run) in runs.into_iter().enumerate() {
        let output = run.await.unwrap().unwrap();
        assert_eq!(output["priced"]["cents"], json!(250 * i as u64));
    }
    // Clones share one `Shop`: 8 executions × (reserve, quote, audit, 2 replicas) calls.
    assert_eq!(shared.calls.load(Ordering::SeqCst), 8 * 5);
    assert!(Arc::ptr_eq(sale.deps(), &shared));
    assert_eq!(Arc::strong_count(&shared), 2, "the test's and `sale`'s");
}

#[tokio::test(start_paused = true)]
async fn the_interpreter_calls_handlers_with_the_same_dependencies() {
    let sale = Sale::new(shop());
    let generated = sale
        .run(json!({"sku": "tea", "quantity": 1, "replicas": [3]}))
        .await
        .unwrap();
    let interpreted = sale
        .interpreter()
        .run(json!({"sku": "tea", "quantity": 1, "replicas": [3]}))
        .await
        .unwrap();
    assert_eq!(generated["priced"], interpreted["priced"]);
    assert_eq!(generated["fan"][1], interpreted["fan"][1]);
    // The interpreted run's Count saw the generated run's five calls and its own three.
    assert_eq!(interpreted["fan"][0], json!(5 + 3));
}

#[tokio::test(start_paused = true)]
async fn a_test_double_replaces_a_handler_that_takes_dependencies() {
    let sale = Sale::new(shop());
    let mut run = sale.interpreter();
    run.handle_state("Quote", |item: Item| async move {
        Ok::<_, Error>(Priced {
            sku: item.sku,
            cents: 1,
        })
    })
    .unwrap();
    let output = run
        .run(json!({"sku": "tea", "quantity": 9, "replicas": []}))
        .await
        .unwrap();
    assert_eq!(output["priced"]["cents"], json!(1));
    // The real Reserve and Audit still ran with the shop; the real Quote did not.
    let log = sale.deps().log.lock().unwrap().clone();
    assert_eq!(&log[..2], ["reserve tea", "audit tea in \"Audit\""]);
}
