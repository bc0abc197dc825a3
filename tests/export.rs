//! The ASL export: equal to what the AWS CDK synthesizes for the seed, with unset fields left
//! out and set ones written as given.

use serde_json::{json, Value};

#[path = "../examples/parallel.rs"]
#[allow(dead_code)]
mod seed;

#[test]
fn the_seed_exports_what_the_cdk_synthesizes() {
    let expected: Value =
        serde_json::from_str(include_str!("golden/parallel.cdk.asl.json")).unwrap();
    // serde_json's `Value` compares objects by content, so key order does not matter.
    assert_eq!(seed::ParallelStateMachine::asl(), expected);
}

#[test]
fn pretty_export_is_the_same_document() {
    let pretty = seed::ParallelStateMachine::asl_pretty();
    assert!(pretty.contains("\n  \"StartAt\""), "{pretty}");
    assert_eq!(
        serde_json::from_str::<Value>(&pretty).unwrap(),
        seed::ParallelStateMachine::asl()
    );
}

async fn noop(v: Value) -> Result<Value, sfn_workflow::Error> {
    Ok(v)
}

sfn_workflow::workflow! {
    Everything {
        comment: "every field of this issue, once",
        start_at: T,
        states: {
            T: Task {
                comment: "a task",
                resource: "arn:aws:states:::lambda:invoke",
                handler: noop,
                input_path: "$.in",
                parameters: {"FunctionName": "noop", "Payload": {"id.$": "$.id", "fixed": [1, 2.5, -3, true, null]}},
                result_selector: {"body.$": "$.body"},
                result_path: "$.out",
                output_path: "$",
                retry: [{ error_equals: ["Timeout", "States.Timeout"], interval_seconds: 2, max_attempts: 5,
                          backoff_rate: 1.5, max_delay_seconds: 30, jitter_strategy: FULL }],
                catch: [{ error_equals: ["States.ALL"], result_path: null, next: F }],
                next: S,
            },
            F: Fail { error: "Broken", cause: "it broke" },
            S: Succeed { output_path: null },
        }
    }
}

#[test]
fn every_field_is_exported_exactly_as_written() {
    assert_eq!(
        Everything::asl(),
        json!({
            "Comment": "every field of this issue, once",
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Comment": "a task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "InputPath": "$.in",
                    "Parameters": {"FunctionName": "noop", "Payload": {"id.$": "$.id", "fixed": [1, 2.5, -3, true, null]}},
                    "ResultSelector": {"body.$": "$.body"},
                    "ResultPath": "$.out",
                    "OutputPath": "$",
                    "Retry": [{"ErrorEquals": ["Timeout", "States.Timeout"], "IntervalSeconds": 2, "MaxAttempts": 5,
                               "BackoffRate": 1.5, "MaxDelaySeconds": 30, "JitterStrategy": "FULL"}],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": null, "Next": "F"}],
                    "Next": "S"
                },
                "F": {"Type": "Fail", "Error": "Broken", "Cause": "it broke"},
                "S": {"Type": "Succeed", "OutputPath": null}
            }
        })
    );
}

#[test]
fn the_definition_keeps_state_order() {
    let names: Vec<&str> = Everything::definition()
        .states
        .iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["T", "F", "S"]);
    assert!(
        Everything::asl_pretty().find("\"T\"").unwrap()
            < Everything::asl_pretty().find("\"F\"").unwrap()
    );
}
