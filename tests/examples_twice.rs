//! Every example workflow runs twice: as the code `workflow!` generated, and as its exported
//! ASL read back by the interpreter with the same task functions registered by resource ARN.
//! The two must end the same way, output or error, and record the same history: event for
//! event, the same ids, `previousEventId`s, types and details (issue 14); only the
//! timestamps, from each run's own clock, may differ.

use std::future::Future;
use std::sync::Arc;

use serde_json::{json, Value};
use sfn_workflow::history::History;
use sfn_workflow::interpret::Interpreter;
use sfn_workflow::{RunOptions, Workflow};

#[path = "../examples/catch.rs"]
#[allow(dead_code)]
mod catch;
#[path = "../examples/orders.rs"]
#[allow(dead_code)]
mod orders;
#[path = "../examples/parallel.rs"]
#[allow(dead_code)]
mod parallel;
#[path = "../examples/quorum.rs"]
#[allow(dead_code)]
mod quorum;
#[path = "../examples/reconcile.rs"]
#[allow(dead_code)]
mod reconcile;
#[path = "../examples/retry.rs"]
#[allow(dead_code)]
mod retry;

/// The exported ASL of `W`, read back as an interpreter.
fn imported<W: Workflow>() -> Interpreter {
    let text = serde_json::to_string(&W::asl()).unwrap();
    Interpreter::from_json(W::NAME, &text).unwrap_or_else(|e| panic!("{}: {e}", W::NAME))
}

/// Runs `input` both ways (after `reset`) and requires equal endings; returns the ending.
async fn twice<W: Workflow, F: Future<Output = ()>>(
    workflow: &W,
    interpreter: &Interpreter,
    input: Value,
    reset: impl Fn() -> F,
) -> Result<Value, sfn_workflow::Error> {
    let options = RunOptions::new().keep_history();
    reset().await;
    let (generated, generated_history) = workflow.run_with(input.clone(), &options).await;
    reset().await;
    let (interpreted, interpreted_history) = interpreter.run_with(input.clone(), &options).await;
    assert_eq!(generated, interpreted, "{} on {input}", W::NAME);
    assert!(!generated_history.events.is_empty(), "{}", W::NAME);
    assert_eq!(
        untimed(&generated_history),
        untimed(&interpreted_history),
        "{} on {input}",
        W::NAME
    );
    generated
}

/// A history without its timestamps, and its children's (without their executions' ids,
/// which count executions in the process).
fn untimed(history: &History) -> Vec<Value> {
    let mut events: Vec<Value> = history
        .events
        .iter()
        .map(|e| {
            let mut event = e.to_json();
            if let Some(event) = event.as_object_mut() {
                event.remove("timestamp");
            }
            event
        })
        .collect();
    for (_, child) in &history.children {
        events.push(Value::Array(untimed(child)));
    }
    events
}

async fn nothing() {}

#[tokio::test(start_paused = true)]
async fn the_parallel_seed() {
    let interpreter = imported::<parallel::ParallelStateMachine>();
    let ending = twice(
        &parallel::ParallelStateMachine,
        &interpreter,
        json!({}),
        nothing,
    )
    .await;
    assert!(ending.is_ok(), "{ending:?}");
}

#[tokio::test(start_paused = true)]
async fn catch() {
    let mut interpreter = imported::<catch::ChargeOrCatch>();
    interpreter.handle_resource(
        "arn:aws:lambda:us-east-1:123456789012:function:charge-card",
        catch::charge_card,
    );
    for amount in [500, 25_000] {
        let input = json!({"order_id": "o-1", "amount_cents": amount});
        twice(&catch::ChargeOrCatch, &interpreter, input, nothing)
            .await
            .ok();
    }
}

#[tokio::test(start_paused = true)]
async fn retry() {
    // Each side gets a gateway of its own, which times out on its first two calls.
    let workflow = retry::ChargeWithRetry::new(retry::Gateway::default());
    let mut interpreter = imported::<retry::ChargeWithRetry>();
    interpreter.handle_resource_with(
        "arn:aws:lambda:us-east-1:123456789012:function:charge-card",
        retry::Gateway::charge,
        Arc::default(),
    );
    let ending = twice(
        &workflow,
        &interpreter,
        json!({"order_id": "o-2", "amount_cents": 700}),
        nothing,
    )
    .await;
    assert_eq!(ending.unwrap()["receipt"]["attempts"], json!(3));
}

#[tokio::test(start_paused = true)]
async fn orders() {
    let mut interpreter = imported::<orders::ProcessOrder>();
    let arn = |f: &str| format!("arn:aws:lambda:us-east-1:123456789012:function:{f}");
    interpreter
        .handle_resource(arn("price-line"), orders::price_line)
        .handle_resource(arn("volume-discount"), orders::volume_discount)
        .handle_resource(arn("total"), orders::total)
        .handle_resource(arn("charge"), orders::charge);
    let order = |vip: bool, items: Value| json!({"order_id": "T-1", "customer": {"name": "Ada", "vip": vip}, "items": items});
    for input in [
        order(
            false,
            json!([{"sku": "lamp", "quantity": 2}, {"sku": "mug", "quantity": 1}]),
        ),
        order(false, json!([{"sku": "chair", "quantity": 10}])),
        order(true, json!([{"sku": "chair", "quantity": 30}])),
        order(false, json!([{"sku": "sofa", "quantity": 1}])),
    ] {
        twice(&orders::ProcessOrder, &interpreter, input, nothing)
            .await
            .ok();
    }
}

/// The quorum example's export lowers the quorum to DynamoDB calls (run against a fake
/// DynamoDB in `tools/aws-local-stepfunctions/quorum.test.mjs`); here its checked definition, which
/// keeps the `Quorum` field, is what the interpreter reads.
#[tokio::test(start_paused = true)]
async fn quorum() {
    let arn = |f: &str| format!("arn:aws:lambda:us-east-1:123456789012:function:{f}");
    let mut endings = std::collections::BTreeSet::<String>::new();
    for seed in 0..20 {
        let simulation = Arc::new(quorum::Simulation { seed });
        let definition = quorum::QuorumRace::definition().clone();
        let mut interpreter = Interpreter::new("QuorumRace", definition).unwrap();
        interpreter
            .handle_resource_with(arn("process"), quorum::process, Arc::clone(&simulation))
            .handle_resource(arn("summarize"), quorum::summarize);
        let workflow = quorum::QuorumRace::new(simulation);
        let ending = twice(&workflow, &interpreter, json!({"quorum": 2}), nothing).await;
        let summary = ending.unwrap();
        endings.insert(format!(
            "{} {}",
            summary["quorum_met"], summary["ran_out_of_time"]
        ));
    }
    assert_eq!(
        endings.len(),
        3,
        "met, impossible and timed out are all compared"
    );
}

/// The Distributed Map example, on 20,000 orders: its exported ASL's reader and Tasks
/// answered by the same functions, registered by resource.
#[tokio::test(start_paused = true)]
async fn reconcile() {
    let ledger = Arc::new(reconcile::Ledger {
        orders: 20_000,
        seed: 3,
    });
    let mut interpreter = imported::<reconcile::Reconcile>();
    let arn = |f: &str| format!("arn:aws:lambda:us-east-1:123456789012:function:{f}");
    interpreter
        .handle_resource_with(
            "arn:aws:states:::s3:getObject",
            reconcile::read_orders,
            Arc::clone(&ledger),
        )
        .handle_resource(arn("check-batch"), reconcile::check_batch)
        .handle_resource(arn("summarize"), reconcile::summarize);
    let workflow = reconcile::Reconcile::new(ledger);
    let ending = twice(
        &workflow,
        &interpreter,
        json!({"key": "orders.jsonl", "day": "2026-12-02"}),
        nothing,
    )
    .await;
    // Two of the 20 batches of this seed hold a corrupt order: more than the 5% tolerated.
    assert_eq!(
        ending.unwrap_err().name(),
        "States.ExceedToleratedFailureThreshold"
    );
}
