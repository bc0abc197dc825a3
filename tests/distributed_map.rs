//! The Distributed Map in the interpreter (issue 15): items from an `ItemReader` answered
//! locally, grouped by an `ItemBatcher`, each item (or batch) a child execution with its own
//! context object, failures tolerated, results handed to a `ResultWriter`. Expected values
//! come from the AWS developer guide's "Map state in Distributed mode" pages (named at each
//! test).

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use sfn_workflow::interpret::Interpreter;
use sfn_workflow::mock::MockConfig;
use sfn_workflow::{Error, TaskContext};

const CSV_ITERATOR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/asl-corpus/distributed-map-csv-iterator__sam__statemachine.asl.json"
);

fn corpus_csv_iterator() -> Interpreter {
    let text = std::fs::read_to_string(CSV_ITERATOR).unwrap();
    Interpreter::from_json("distributed-map-csv-iterator__sam__statemachine", &text).unwrap()
}

// "ItemReader" (CSV, `CSVHeaderLocation` `FIRST_ROW`): each row after the header is an item,
// an object of the header's names to the row's text; "Map state in Distributed mode": each
// item runs as a child workflow execution, whose `$$.Execution.Id` is its own.
#[tokio::test(start_paused = true)]
async fn a_corpus_distributed_map_reads_its_csv_and_runs_each_row_as_a_child() {
    let mut interpreter = corpus_csv_iterator();
    interpreter
        .handle_state("Map", |_: Value| async {
            Ok::<_, Error>(json!("host,cpu\nweb-1,71\n\"db-1, primary\",34\n"))
        })
        .unwrap();
    let children: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = Arc::clone(&children);
    interpreter
        .handle_state(
            "Start Child Step Function",
            move |input: Value, context: TaskContext| {
                let seen = Arc::clone(&seen);
                async move {
                    let id = context.context_object()["Execution"]["Id"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned();
                    seen.lock().unwrap().push(id);
                    Ok::<_, Error>(input["Input"]["StatePayload"].clone())
                }
            },
        )
        .unwrap();
    let output = interpreter.run(json!({})).await.unwrap();
    assert_eq!(
        output,
        json!([{"host": "web-1", "cpu": "71"}, {"host": "db-1, primary", "cpu": "34"}])
    );
    let children = children.lock().unwrap();
    assert_eq!(children.len(), 2);
    assert_ne!(
        children[0], children[1],
        "each row is an execution of its own"
    );
}

// The same definition answered by a mock file (`tests/data/mocks/`): the Map state's name
// answers its reader, as a Task state's name answers its Task.
#[tokio::test(start_paused = true)]
async fn a_mock_file_answers_the_reader() {
    let mocks = MockConfig::from_json(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/mocks/distributed-map-csv-iterator.mock.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let mut interpreter = corpus_csv_iterator();
    mocks
        .apply(
            &mut interpreter,
            "distributed-map-csv-iterator__sam__statemachine",
            "ThreeRows",
        )
        .unwrap();
    let output = interpreter.run(json!({})).await.unwrap();
    assert_eq!(output.as_array().map(Vec::len), Some(3));
}

// "ItemBatcher": each child gets `{"BatchInput", "Items"}` with at most `MaxItemsPerBatch`
// items; "ToleratedFailureCount": the Map succeeds while no more children fail than that;
// "ResultWriter": the state's output is then the Map Run's ARN and where the results went
// (`ResultWriterDetails.Bucket` and `Key`), and the writer receives the results.
#[tokio::test(start_paused = true)]
async fn batches_tolerance_and_a_result_writer() {
    let definition = r#"{"StartAt": "Fan out", "States": {"Fan out": {"Type": "Map",
        "Label": "FanOut",
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSONL"},
            "Parameters": {"Bucket": "in", "Key.$": "$.key"}},
        "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"run.$": "$.run"}},
        "ToleratedFailureCount": 1,
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": "out", "Prefix": "results"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "Sum", "States": {"Sum": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:sum", "End": true}}},
        "End": true}}}"#;
    let mut interpreter = Interpreter::from_json("Batched", definition).unwrap();
    let read_with: Arc<Mutex<Value>> = Arc::default();
    let asked = Arc::clone(&read_with);
    interpreter.handle_resource("arn:aws:states:::s3:getObject", move |parameters: Value| {
        *asked.lock().unwrap() = parameters;
        async { Ok::<_, Error>(json!("1\n2\n3\n4\n5\n")) }
    });
    interpreter.handle_resource(
        "arn:aws:lambda:us-east-1:123456789012:function:sum",
        |batch: Value| async move {
            let items = batch["Items"].as_array().cloned().unwrap_or_default();
            if items.contains(&json!(5)) {
                return Err(Error::new("TooBig", "5"));
            }
            Ok(json!({"run": batch["BatchInput"]["run"], "sum": items.iter().filter_map(Value::as_i64).sum::<i64>()}))
        },
    );
    let written: Arc<Mutex<Value>> = Arc::default();
    let sink = Arc::clone(&written);
    interpreter.handle_resource("arn:aws:states:::s3:putObject", move |results: Value| {
        *sink.lock().unwrap() = results;
        async { Ok::<_, Error>(Value::Null) }
    });
    let output = interpreter
        .run(json!({"key": "items.jsonl", "run": 7}))
        .await
        .unwrap();
    assert_eq!(
        *read_with.lock().unwrap(),
        json!({"Bucket": "in", "Key": "items.jsonl"})
    );
    let arn = output["MapRunArn"].as_str().unwrap();
    assert!(arn.contains(":mapRun:Batched/FanOut:"), "{arn}");
    let run = arn.rsplit(':').next().unwrap();
    assert_eq!(
        output["ResultWriterDetails"],
        json!({"Bucket": "out", "Key": format!("results/{run}/manifest.json")})
    );
    let written = written.lock().unwrap();
    assert_eq!(
        written["Parameters"],
        json!({"Bucket": "out", "Prefix": "results"})
    );
    let results = written["Results"].as_array().unwrap();
    assert_eq!(results[0], json!({"run": 7, "sum": 3}));
    assert_eq!(results[1], json!({"run": 7, "sum": 7}));
    assert_eq!(
        results[2]["Error"], "TooBig",
        "the tolerated failure keeps its slot"
    );
}

// A reader nothing answers fails the Map with `States.ItemReaderFailed` (an error the States
// Language names for it).
#[tokio::test(start_paused = true)]
async fn an_unanswered_reader_fails_with_item_reader_failed() {
    let e = corpus_csv_iterator().run(json!({})).await.unwrap_err();
    assert_eq!(e.name(), "States.ItemReaderFailed");
}

#[path = "../examples/reconcile.rs"]
#[allow(dead_code)]
mod reconcile;

// The `workflow!` Distributed Map example over 100,000 orders: its reader makes the JSON
// Lines, the batcher makes 100 batches of 1,000 ("ItemBatcher": `MaxItemsPerBatch`), three
// batches hold a corrupt order and fail, within the 5% tolerated ("ToleratedFailurePercentage"),
// and the summary counts the 97 others' orders.
#[tokio::test(start_paused = true)]
async fn the_example_fans_out_over_100_000_orders() {
    let reconcile = reconcile::Reconcile::new(reconcile::Ledger {
        orders: 100_000,
        seed: 1,
    });
    let summary = reconcile
        .run(json!({"key": "orders.jsonl", "day": "2026-12-02"}))
        .await
        .unwrap();
    assert_eq!(summary["batches"], 100);
    assert_eq!(summary["failed_batches"], 3);
    assert_eq!(summary["orders"], 97_000);
    // A key the reader does not have fails the Map with `States.ItemReaderFailed` (the States
    // Language's name for it), the reader's error in its cause.
    let e = reconcile
        .run(json!({"key": "orders.csv", "day": "2026-12-02"}))
        .await
        .unwrap_err();
    assert_eq!(e.name(), "States.ItemReaderFailed");
    assert!(e.cause().starts_with("S3.NoSuchKey: "), "{e}");
}

// "Map state in Distributed mode": each child workflow execution has an execution history of
// its own, apart from the parent's; the parent's records the Map's iterations. A recorded
// run keeps each child's history with the parent's (`History::children`).
#[tokio::test(start_paused = true)]
async fn each_child_execution_has_its_own_history() {
    let reconcile = reconcile::Reconcile::new(reconcile::Ledger {
        orders: 3_000,
        seed: 1,
    });
    let (outcome, history) = reconcile
        .run_recorded(json!({"key": "orders.jsonl", "day": "2026-12-02"}))
        .await;
    outcome.unwrap();
    assert_eq!(history.children.len(), 3, "one per batch of 1,000");
    let mut ids: Vec<&str> = history.children.iter().map(|(id, _)| id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 3, "each child is an execution of its own");
    for (_, child) in &history.children {
        assert_eq!(
            child.types(),
            [
                "ExecutionStarted",
                "TaskStateEntered",
                "LambdaFunctionScheduled",
                "LambdaFunctionStarted",
                "LambdaFunctionSucceeded",
                "TaskStateExited",
                "ExecutionSucceeded"
            ]
        );
        let input: Value =
            serde_json::from_str(child.events[0].detail_str("input").unwrap()).unwrap();
        assert_eq!(input["Items"].as_array().map(Vec::len), Some(1_000));
    }
    let parent_tasks = history
        .types()
        .into_iter()
        .filter(|t| *t == "TaskStateEntered")
        .count();
    assert_eq!(
        parent_tasks, 1,
        "the children's states are not in the parent's history"
    );
}
