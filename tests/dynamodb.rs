//! DynamoDB for real (issue 16, part 4): the interpreter runs `dynamodb:putItem`, `getItem`,
//! `updateItem` and `deleteItem` Tasks against a DynamoDB API through the AWS SDK for Rust.
//!
//! Needs the `aws` feature and a DynamoDB API at `DYNAMODB_ENDPOINT` (`.ci/run` starts moto's
//! server on 127.0.0.1 and sets it, with `REQUIRE_DYNAMODB=1`, under which its absence is a
//! failure). Without one each test says it was skipped and checks nothing.
//!
//! Sources of the expected values: the DynamoDB API reference (`PutItem`, `GetItem`,
//! `UpdateItem` with `ReturnValues` and `ADD`, `DeleteItem` with `ALL_OLD`, a failed
//! `ConditionExpression` answering `ConditionalCheckFailedException`) and the Step Functions
//! developer guide's DynamoDB integration (the response in PascalCase, errors named
//! `DynamoDB.` and the code); for the quorum, the native run of `examples/quorum.rs`.
#![cfg(feature = "aws")]

use std::sync::Arc;

use serde_json::{json, Value};
use sfn_workflow::asl::{ExportOptions, StateMachine};
use sfn_workflow::integration::dynamodb::DynamoDb;
use sfn_workflow::integration::service::Frozen;
use sfn_workflow::interpret::Interpreter;

#[path = "../examples/quorum.rs"]
#[allow(dead_code)]
mod quorum;

use quorum::{process, summarize, QuorumRace, Simulation};

/// A service's dependencies: its DynamoDB, and the table it writes.
struct Store {
    db: DynamoDb,
    table: String,
}

impl Store {
    /// The handler of a `dynamodb:putItem` Task: the integration's call, on the table the
    /// service was configured with.
    async fn put(&self, mut parameters: Value) -> Result<Value, sfn_workflow::Error> {
        parameters["TableName"] = json!(self.table);
        self.db.request("putItem", parameters).await
    }

    async fn get(&self, mut parameters: Value) -> Result<Value, sfn_workflow::Error> {
        parameters["TableName"] = json!(self.table);
        self.db.request("getItem", parameters).await
    }
}

sfn_workflow::workflow! {
    /// Records an order and reads it back, with DynamoDB in its dependencies.
    Orders {
        deps: Store,
        start_at: Record,
        states: {
            Record: Task {
                resource: "arn:aws:states:::dynamodb:putItem",
                parameters: {"TableName": "${OrdersTable}", "Item": {"id": {"S.$": "$.id"}, "total": {"N.$": "States.JsonToString($.total)"}}},
                handler: Store::put,
                result_path: null,
                next: Read,
            },
            Read: Task {
                resource: "arn:aws:states:::dynamodb:getItem",
                parameters: {"TableName": "${OrdersTable}", "Key": {"id": {"S.$": "$.id"}}},
                handler: Store::get,
                result_selector: {"total.$": "$.Item.total.N"},
                end: true,
            },
        }
    }
}

/// The DynamoDB endpoint, or `None` (after saying so) where there is none.
fn endpoint() -> Option<String> {
    match std::env::var("DYNAMODB_ENDPOINT") {
        Ok(url) => Some(url),
        Err(_) if std::env::var("REQUIRE_DYNAMODB").is_ok_and(|v| v == "1") => {
            panic!("REQUIRE_DYNAMODB=1 but DYNAMODB_ENDPOINT is not set")
        }
        Err(_) => {
            eprintln!("skipped: no DynamoDB API (set DYNAMODB_ENDPOINT, as .ci/run does)");
            None
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A client on its own runtime, and a fresh table keyed by `id` (text).
fn table(endpoint: &str, prefix: &str) -> (DynamoDb, tokio::runtime::Runtime, String) {
    use sfn_workflow::integration::dynamodb::sdk::types::{
        AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
    };
    let aws = runtime();
    let db = aws.block_on(DynamoDb::from_env(Some(endpoint)));
    let name = format!("{prefix}-{:016x}", fastrand::u64(..));
    aws.block_on(
        db.client()
            .create_table()
            .table_name(&name)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name("id")
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .unwrap(),
            )
            .key_schema(
                KeySchemaElement::builder()
                    .attribute_name("id")
                    .key_type(KeyType::Hash)
                    .build()
                    .unwrap(),
            )
            .send(),
    )
    .unwrap();
    (db, aws, name)
}

/// Runs `interpreter` on `input` on a paused clock.
fn run(interpreter: &Interpreter, input: Value) -> Result<Value, sfn_workflow::Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap()
        .block_on(interpreter.run(input))
}

// Each API once: put, get, update with `ADD` and `ALL_NEW`, a condition that fails (caught by
// its DynamoDB name), delete with `ALL_OLD`, and a get that finds nothing.
#[test]
fn each_item_api_runs_against_dynamodb() {
    let Some(endpoint) = endpoint() else { return };
    let (db, _aws, table) = table(&endpoint, "items");
    let definition = json!({"StartAt": "Put", "States": {
        "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {"TableName": table, "Item": {"id": {"S.$": "$.id"}, "n": {"N": "1"}, "tags": {"SS": ["a"]}}},
            "ResultPath": null, "Next": "Get"},
        "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
            "Parameters": {"TableName": table, "Key": {"id": {"S.$": "$.id"}}, "ConsistentRead": true},
            "ResultSelector": {"item.$": "$.Item"}, "ResultPath": "$.got", "Next": "Add"},
        "Add": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem",
            "Parameters": {"TableName": table, "Key": {"id": {"S.$": "$.id"}},
                "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "1"}},
                "ReturnValues": "ALL_NEW"},
            "ResultSelector": {"n.$": "$.Attributes.n.N"}, "ResultPath": "$.added", "Next": "Refused"},
        "Refused": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem",
            "Parameters": {"TableName": table, "Key": {"id": {"S.$": "$.id"}},
                "UpdateExpression": "SET n = :zero", "ConditionExpression": "attribute_not_exists(n)",
                "ExpressionAttributeValues": {":zero": {"N": "0"}}},
            "Catch": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "ResultPath": "$.refused", "Next": "Delete"}],
            "Next": "Delete"},
        "Delete": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:deleteItem",
            "Parameters": {"TableName": table, "Key": {"id": {"S.$": "$.id"}}, "ReturnValues": "ALL_OLD"},
            "ResultSelector": {"old.$": "$.Attributes.n"}, "ResultPath": "$.deleted", "Next": "Gone"},
        "Gone": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
            "Parameters": {"TableName": table, "Key": {"id": {"S.$": "$.id"}}},
            "ResultPath": "$.gone", "End": true}}});
    let mut interpreter = Interpreter::from_json("Items", &definition.to_string()).unwrap();
    interpreter.handle_service(Frozen::new(db, runtime()));
    let output = run(&interpreter, json!({"id": "i-1"})).unwrap();
    assert_eq!(
        output["got"]["item"],
        json!({"id": {"S": "i-1"}, "n": {"N": "1"}, "tags": {"SS": ["a"]}})
    );
    assert_eq!(output["added"], json!({"n": "2"}));
    assert_eq!(
        output["refused"]["Error"],
        json!("DynamoDB.ConditionalCheckFailedException")
    );
    assert_eq!(output["deleted"], json!({"old": {"N": "2"}}));
    // No item: no `Item` in the response, only what Step Functions adds.
    let gone = output["gone"].as_object().unwrap();
    assert!(!gone.contains_key("Item"), "{gone:?}");
    assert_eq!(gone["SdkHttpMetadata"]["HttpStatusCode"], json!(200));
}

// A `workflow!` whose handlers call DynamoDB through the service in its dependencies: the
// generated code gets the integration's shapes as the interpreter does.
#[test]
fn a_generated_workflow_calls_dynamodb_through_its_dependencies() {
    let Some(endpoint) = endpoint() else { return };
    let (db, aws, table) = table(&endpoint, "orders");
    let orders = Orders::new(Store { db, table });
    let output = aws
        .block_on(orders.run(json!({"id": "o-1", "total": 42})))
        .unwrap();
    assert_eq!(output, json!({"total": "42"}));
}

// A table that does not exist: DynamoDB's `ResourceNotFoundException`, named as Step
// Functions names it.
#[test]
fn a_dynamodb_error_is_named_after_its_code() {
    let Some(endpoint) = endpoint() else { return };
    let aws = runtime();
    let db = aws.block_on(DynamoDb::from_env(Some(&endpoint)));
    let definition = r#"{"StartAt": "Get", "States": {"Get": {"Type": "Task",
        "Resource": "arn:aws:states:::dynamodb:getItem",
        "Parameters": {"TableName": "no-such-table", "Key": {"id": {"S": "x"}}}, "End": true}}}"#;
    let mut interpreter = Interpreter::from_json("Missing", definition).unwrap();
    interpreter.handle_service(Frozen::new(db, runtime()));
    let error = run(&interpreter, json!({})).unwrap_err();
    assert_eq!(error.name(), "DynamoDB.ResourceNotFoundException");
}

// The exported quorum pattern of `examples/quorum.rs`, in this crate's interpreter, with
// its DynamoDB record in a real table and its processes answered by the example's own
// handlers: for the seeds that meet the quorum (3), run out of time (2) and make it
// impossible (1), it ends as the native run does, and the record in the table afterwards
// holds the report the native run returned: each process's fate, and the outcome.
#[test]
fn the_exported_quorum_keeps_its_record_in_dynamodb() {
    let Some(endpoint) = endpoint() else { return };
    for seed in [3, 2, 1] {
        let native = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap()
            .block_on(QuorumRace::new(Simulation { seed }).run(json!({"quorum": 2})))
            .unwrap();

        let (db, aws, table) = table(&endpoint, "quorum");
        let exported = QuorumRace::asl_with(&ExportOptions {
            quorum_table: table.clone(),
        });
        let machine = StateMachine::from_json(&exported.to_string()).unwrap();
        let mut interpreter = Interpreter::new("QuorumRace", machine).unwrap();
        let simulation = Arc::new(Simulation { seed });
        for name in ["Process 1", "Process 2", "Process 3"] {
            interpreter
                .handle_state_with(name, process, Arc::clone(&simulation))
                .unwrap();
        }
        interpreter.handle_state("Summarize", summarize).unwrap();
        let client = db.client().clone();
        interpreter.handle_service(Frozen::new(db, runtime()));
        let interpreted = run(&interpreter, json!({"quorum": 2})).unwrap();
        assert_eq!(interpreted, native, "seed {seed}");

        // The record: one item, whose fates and outcome are the native report's.
        let items = aws
            .block_on(client.scan().table_name(&table).send())
            .unwrap()
            .items()
            .to_vec();
        assert_eq!(items.len(), 1, "seed {seed}");
        let record = &items[0];
        let fates = record["fates"].as_m().unwrap();
        for (status, names) in [
            ("succeeded", &native["succeeded"]),
            ("failed", &native["failed"]),
            ("cancelled", &native["cut_off"]),
        ] {
            for name in names.as_array().unwrap() {
                let fate = fates
                    .values()
                    .map(|f| f.as_m().unwrap())
                    .find(|f| f["name"].as_s().unwrap() == name.as_str().unwrap())
                    .unwrap();
                assert_eq!(
                    fate["status"].as_s().unwrap(),
                    status,
                    "seed {seed}: {name}"
                );
            }
        }
        let outcome = record["outcome"].as_s().unwrap().as_str();
        let expected = match (
            native["quorum_met"].as_bool(),
            native["ran_out_of_time"].as_bool(),
        ) {
            (Some(true), _) => "quorum_met",
            (_, Some(true)) => "timed_out",
            _ => "quorum_impossible",
        };
        assert_eq!(outcome, expected, "seed {seed}");
    }
}
