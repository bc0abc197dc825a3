//! Map under tokio's paused clock: items, selectors, concurrency, order, failure tolerance,
//! and cancellation of the iterations still running when the Map fails.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};
use sfn_workflow::Error;
use tokio::time::Instant;

#[path = "support/tally.rs"]
mod tally;

use tally::{stats, update, Guard, Stats};

#[derive(Deserialize)]
struct Item {
    test: String,
    secs: u64,
    #[serde(default)]
    fail: bool,
}

/// One item's work: sleeps, then succeeds with its `secs` or fails.
async fn work(item: Item) -> Result<Value, Error> {
    update(&item.test, |s| s.started += 1);
    let _guard = Guard(item.test.clone());
    tokio::time::sleep(Duration::from_secs(item.secs)).await;
    update(&item.test, |s| s.finished += 1);
    if item.fail {
        return Err(Error::new(
            "ItemFailed",
            format!("item of {}s failed", item.secs),
        ));
    }
    Ok(json!(item.secs))
}

sfn_workflow::workflow! {
    Bounded {
        start_at: Each,
        states: {
            Each: Map {
                items_path: "$.items",
                max_concurrency: 2,
                item_processor: { start_at: Work, states: { Work: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:work", handler: work, end: true } } },
                end: true,
            },
        }
    }
}

fn items(test: &str, secs: &[u64], failing: &[usize]) -> Value {
    let items: Vec<Value> = secs
        .iter()
        .enumerate()
        .map(|(i, s)| json!({"test": test, "secs": s, "fail": failing.contains(&i)}))
        .collect();
    json!({"items": items})
}

#[tokio::test(start_paused = true)]
async fn at_most_max_concurrency_run_and_the_output_keeps_item_order() {
    let start = Instant::now();
    let out = Bounded
        .run(items("bounded", &[4, 1, 3, 2], &[]))
        .await
        .unwrap();
    assert_eq!(out, json!([4, 1, 3, 2]));
    // Two lanes: 4 | 1, 3 | then 2 after the 4: done at 6 s (all at once would take 4 s).
    assert_eq!(start.elapsed(), Duration::from_secs(6));
}

sfn_workflow::workflow! {
    Selected {
        start_at: Each,
        states: {
            Each: Map {
                input_path: "$.batch",
                items_path: "$.orders",
                item_selector: {"index.$": "$$.Map.Item.Index", "order.$": "$$.Map.Item.Value", "customer.$": "$.customer"},
                item_processor: { start_at: Echo, states: { Echo: Pass { end: true } } },
                result_path: "$.batch.results",
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn the_item_selector_reads_the_item_and_the_state_input() {
    let out = Selected
        .run(json!({"batch": {"customer": "ada", "orders": ["a", "b"]}}))
        .await
        .unwrap();
    assert_eq!(
        out["batch"]["results"],
        json!([{"index": 0, "order": "a", "customer": "ada"}, {"index": 1, "order": "b", "customer": "ada"}])
    );
    let err = Selected
        .run(json!({"batch": {"customer": "ada", "orders": "a"}}))
        .await
        .unwrap_err();
    assert_eq!(err.name(), "States.Runtime", "ItemsPath must name an array");
}

sfn_workflow::workflow! {
    OneAtATime {
        start_at: Each,
        states: {
            Each: Map {
                items_path: "$.items",
                max_concurrency: 1,
                item_processor: { start_at: Work, states: { Work: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:work", handler: work, end: true } } },
                end: true,
            },
        }
    }
}

sfn_workflow::workflow! {
    AllAtOnce {
        start_at: Each,
        states: {
            Each: Map {
                items_path: "$.items",
                item_processor: { start_at: Work, states: { Work: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:work", handler: work, end: true } } },
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn without_a_tolerance_the_first_failure_fails_the_map_and_cancels_the_rest() {
    let err = OneAtATime
        .run(items("sequential", &[1, 1, 1, 1], &[1]))
        .await
        .unwrap_err();
    assert_eq!(err, Error::new("ItemFailed", "item of 1s failed"));
    assert_eq!(
        stats("sequential").started,
        2,
        "items after the failure never start"
    );

    let start = Instant::now();
    let err = AllAtOnce
        .run(items("concurrent", &[30, 2, 30], &[1]))
        .await
        .unwrap_err();
    assert_eq!(err.name(), "ItemFailed");
    assert_eq!(start.elapsed(), Duration::from_secs(2));
    assert_eq!(
        stats("concurrent"),
        Stats {
            started: 3,
            finished: 1,
            dropped: 3
        },
        "the running ones were dropped"
    );
}

sfn_workflow::workflow! {
    Tolerant {
        start_at: Each,
        states: {
            Each: Map {
                items_path: "$.items",
                tolerated_failure_count: 1,
                item_processor: { start_at: Work, states: { Work: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:work", handler: work, end: true } } },
                catch: [{ error_equals: ["States.ExceedToleratedFailureThreshold"], result_path: "$.error", next: "Too many failures" }],
                end: true,
            },
            "Too many failures": Pass { result: true, result_path: "$.gave_up", end: true },
        }
    }
}

sfn_workflow::workflow! {
    Percent {
        start_at: Each,
        states: {
            Each: Map {
                items_path: "$.items",
                tolerated_failure_percentage: 50,
                item_processor: { start_at: Work, states: { Work: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:work", handler: work, end: true } } },
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn tolerated_failures_are_reported_and_one_too_many_fails_the_map() {
    let out = Tolerant
        .run(items("tolerated", &[1, 2, 3], &[1]))
        .await
        .unwrap();
    assert_eq!(
        out,
        json!([1, {"Error": "ItemFailed", "Cause": "item of 2s failed"}, 3])
    );

    let start = Instant::now();
    let out = Tolerant
        .run(items("exceeded", &[1, 2, 30], &[0, 1]))
        .await
        .unwrap();
    assert_eq!(
        out["error"]["Error"],
        json!("States.ExceedToleratedFailureThreshold")
    );
    assert_eq!(out["gave_up"], json!(true));
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(2),
        "fails at the failure past the tolerance"
    );

    assert_eq!(
        Percent
            .run(items("half", &[1, 1, 1, 1], &[0, 3]))
            .await
            .unwrap()[1],
        json!(1)
    );
    let err = Percent
        .run(items("over-half", &[1, 1, 1, 1], &[0, 1, 2]))
        .await
        .unwrap_err();
    assert_eq!(err.name(), "States.ExceedToleratedFailureThreshold");
}

// AWS's developer guide documents `ToleratedFailureCount` and `ToleratedFailurePercentage`
// (and their `...Path` forms) for the Distributed Map only, and the CDK offers them only
// there: a Map that tolerates failures exports as a Distributed Map (issue 15). A Map without
// a tolerance stays inline.
#[test]
fn a_tolerant_map_exports_as_a_distributed_map() {
    for asl in [Tolerant::asl(), Percent::asl()] {
        assert_eq!(
            asl["States"]["Each"]["ItemProcessor"]["ProcessorConfig"],
            serde_json::json!({"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}),
            "{asl}"
        );
    }
    let plain = sfn_workflow::asl::StateMachine::from_json(
        r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}"#,
    )
    .unwrap();
    let exported = sfn_workflow::asl::export(&plain, &sfn_workflow::asl::ExportOptions::default());
    assert!(exported
        .states
        .entry(0)
        .1
        .item_processor
        .as_ref()
        .unwrap()
        .extra
        .is_empty());
}
