//! The quorum export, proven against a real ASL interpreter.
//!
//! This test runs a quorum workflow natively on three scenarios (quorum met, quorum
//! impossible, timed out, plus an invalid quorum) and checks how each ends. It then writes the
//! workflow's exported ASL, the scenarios and the native results to
//! `target/tmp/quorum-conformance/`, where `tools/aws-local-stepfunctions/quorum.test.mjs` (run by
//! `.ci/run`) runs the same ASL in aws-local-stepfunctions, with local stand-ins for the
//! processes and for DynamoDB, and requires the same ending and the same report.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Map, Value};
use sfn_workflow::error::names;
use sfn_workflow::Error;

#[derive(Deserialize)]
struct Plan {
    ms: u64,
    fail: bool,
}

#[derive(Deserialize)]
struct Step {
    process: String,
    plan: Map<String, Value>,
}

/// A process that does what the scenario's plan says: wait `ms`, then succeed or fail.
/// `tools/aws-local-stepfunctions/quorum.test.mjs` stands in for it with the same behaviour.
async fn planned(step: Step) -> Result<Value, Error> {
    let plan: Plan = serde_json::from_value(step.plan[&step.process].clone())
        .map_err(|e| Error::new("BadPlan", e.to_string()))?;
    tokio::time::sleep(Duration::from_millis(plan.ms)).await;
    if plan.fail {
        return Err(Error::new(
            "ProcessFailed",
            format!("{} failed", step.process),
        ));
    }
    Ok(json!({"process": step.process, "ms": plan.ms}))
}

sfn_workflow::workflow! {
    /// Three planned processes, a quorum from the input, a one second timeout.
    Conformance {
        start_at: Race,
        states: {
            Race: Parallel {
                branches: [
                    { start_at: "Process 1", states: { "Process 1": Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:process", handler: planned, parameters: {"process": "Process 1", "plan.$": "$.plan"}, end: true } } },
                    { start_at: "Process 2", states: { "Process 2": Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:process", handler: planned, parameters: {"process": "Process 2", "plan.$": "$.plan"}, end: true } } },
                    { start_at: "Process 3", states: { "Process 3": Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:process", handler: planned, parameters: {"process": "Process 3", "plan.$": "$.plan"}, end: true } } },
                ],
                quorum: { count: "$$.Execution.Input.quorum", timeout_seconds: 1 },
                end: true,
            },
        }
    }
}

fn plan(p1: (u64, bool), p2: (u64, bool), p3: (u64, bool)) -> Value {
    let one = |(ms, fail): (u64, bool)| json!({"ms": ms, "fail": fail});
    json!({"Process 1": one(p1), "Process 2": one(p2), "Process 3": one(p3)})
}

fn scenarios() -> Vec<(&'static str, Value)> {
    vec![
        (
            "quorum met",
            json!({"quorum": 2, "plan": plan((100, false), (200, false), (3000, false))}),
        ),
        (
            "quorum impossible",
            json!({"quorum": 2, "plan": plan((100, true), (200, true), (3000, false))}),
        ),
        (
            "timed out",
            json!({"quorum": 2, "plan": plan((100, false), (3000, false), (3000, true))}),
        ),
        (
            "invalid quorum",
            json!({"quorum": 5, "plan": plan((100, false), (100, false), (100, false))}),
        ),
        (
            "quorum not a number",
            json!({"quorum": "two", "plan": plan((100, false), (100, false), (100, false))}),
        ),
        (
            "quorum missing",
            json!({"plan": plan((100, false), (100, false), (100, false))}),
        ),
        // Process 3 finishes 50 ms after the decision: its write is refused, and it is
        // reported cut off in both runs.
        (
            "a late finisher is refused",
            json!({"quorum": 2, "plan": plan((100, false), (200, false), (250, false))}),
        ),
    ]
}

/// How an execution ended, as both runners report it.
fn ending(result: &Result<Value, Error>) -> Value {
    match result {
        Ok(output) => json!({"status": "succeeded", "output": output}),
        Err(e) => {
            // A quorum error's cause is its report; compare it as JSON, not as text.
            let cause =
                serde_json::from_str::<Value>(e.cause()).unwrap_or_else(|_| json!(e.cause()));
            json!({"status": "failed", "error": e.name(), "cause": cause})
        }
    }
}

/// Each branch's status, in declaration order.
fn statuses(report: &Value) -> Vec<&str> {
    report["branches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["status"].as_str().unwrap())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn native_endings_and_the_files_the_interpreter_test_compares_with() {
    let mut native = Map::new();
    for (name, input) in scenarios() {
        native.insert(name.to_owned(), ending(&Conformance.run(input).await));
    }
    let met = &native["quorum met"];
    assert_eq!(met["status"], "succeeded");
    assert_eq!(
        statuses(&met["output"]),
        ["succeeded", "succeeded", "cancelled"]
    );
    let impossible = &native["quorum impossible"];
    assert_eq!(impossible["error"], names::QUORUM_IMPOSSIBLE);
    assert_eq!(
        statuses(&impossible["cause"]),
        ["failed", "failed", "cancelled"]
    );
    let timed_out = &native["timed out"];
    assert_eq!(timed_out["error"], "States.Timeout");
    assert_eq!(
        statuses(&timed_out["cause"]),
        ["succeeded", "cancelled", "cancelled"]
    );
    for invalid in ["invalid quorum", "quorum not a number", "quorum missing"] {
        assert_eq!(native[invalid]["error"], names::INVALID_QUORUM, "{invalid}");
    }
    assert_eq!(
        statuses(&native["a late finisher is refused"]["output"]),
        ["succeeded", "succeeded", "cancelled"]
    );

    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("quorum-conformance");
    std::fs::create_dir_all(&dir).unwrap();
    let write = |file: &str, value: &Value| {
        std::fs::write(dir.join(file), serde_json::to_string_pretty(value).unwrap()).unwrap();
    };
    write(
        "definition.asl.json",
        &Conformance::asl_with(&sfn_workflow::asl::ExportOptions {
            quorum_table: "quorum-records".into(),
        }),
    );
    write(
        "scenarios.json",
        &Value::Object(
            scenarios()
                .into_iter()
                .map(|(n, i)| (n.to_owned(), i))
                .collect(),
        ),
    );
    write("native.json", &Value::Object(native));
}
