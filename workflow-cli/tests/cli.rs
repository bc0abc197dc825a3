//! `asl validate` and `asl run` on corpus files, with a Step Functions Local mock file.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{json, Value};

fn data(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(path)
        .to_string_lossy()
        .into_owned()
}

const BEDROCK: &str =
    "asl-corpus/stepfunctions-bedrock-model-customisation-sam__bedrock-model-customisation.asl.json";

fn asl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_asl"))
        .args(args)
        .output()
        .unwrap()
}

fn run_bedrock(test_case: Option<&str>) -> (Option<i32>, Value) {
    let (definition, input, mocks) = (
        data(BEDROCK),
        data("mocks/bedrock-model-customisation.input.json"),
        data("mocks/bedrock-model-customisation.mock.json"),
    );
    let mut args = vec!["run", &definition, "--input", &input];
    if let Some(test_case) = test_case {
        args.extend(["--mock-config", &mocks, "--test-case", test_case]);
    }
    let out = asl(&args);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), json)
}

#[test]
fn a_polling_loop_with_five_minute_waits_runs_at_once_on_mocked_responses() {
    let (code, output) = run_bedrock(Some("CompletesOnTheThirdPoll"));
    assert_eq!(code, Some(0));
    assert_eq!(
        output,
        json!({"ProvisionedModelArn": "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/demo"})
    );
}

#[test]
fn a_failed_execution_prints_error_and_cause_and_exits_1() {
    let (code, output) = run_bedrock(Some("JobFails"));
    assert_eq!(code, Some(1));
    assert_eq!(
        output,
        json!({"Error": "Failed", "Cause": "the training data is empty"})
    );
}

/// stdout keeps AWS's `{"Error", "Cause"}`; stderr names the state the execution failed in.
#[test]
fn a_failed_execution_names_its_state_on_stderr() {
    let (definition, input, mocks) = (
        data(BEDROCK),
        data("mocks/bedrock-model-customisation.input.json"),
        data("mocks/bedrock-model-customisation.mock.json"),
    );
    let out = asl(&[
        "run",
        &definition,
        "--input",
        &input,
        "--mock-config",
        &mocks,
        "--test-case",
        "JobFails",
    ]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    // The definition's Fail state is called `Fail`.
    assert!(
        stderr.contains("execution failed: Failed: the training data is empty (state `Fail`)"),
        "{stderr}"
    );
    // Without a mock, the first Task fails for want of a handler.
    let out = asl(&["run", &definition, "--input", &input]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("(state `CreateCustomCohereCommandLightModel`)"),
        "{stderr}"
    );
}

#[test]
fn an_unmocked_task_names_its_resource() {
    let (code, output) = run_bedrock(None);
    assert_eq!(code, Some(1));
    assert_eq!(output["Error"], json!("Workflow.NoHandler"));
    let cause = output["Cause"].as_str().unwrap();
    assert!(
        cause.contains("arn:aws:states:::bedrock:createModelCustomizationJob"),
        "{cause}"
    );
}

// Issue 13: `-0` came out as `-0.0`. AWS reads JSON with Jackson, which reads the integer
// literal `-0` as 0 and writes `0`, and reads `-0.0` as the float negative zero, written
// `-0.0`; an input, a definition's `Result` and `States.StringToJson` read it so.
#[test]
fn negative_zero_comes_out_as_aws_writes_it() {
    let definition = std::env::temp_dir().join(format!("asl-zero-{}.asl.json", std::process::id()));
    std::fs::write(
        &definition,
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"r": -0},
            "ResultPath": "$.result", "Next": "J"},
          "J": {"Type": "Pass", "Parameters": {"in.$": "$", "parsed.$": "States.StringToJson('[-0, -0.0]')"}, "End": true}}}"#,
    )
    .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_asl"))
        .args(["run", &definition.to_string_lossy(), "--input", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), br#"{"a": -0, "b": -0.0}"#)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<String>();
    assert_eq!(
        text,
        r#"{"in":{"a":0,"b":-0.0,"result":{"r":0}},"parsed":[0,-0.0]}"#
    );
}

// Issue 13: pretty-printing a deep value took time and memory growing with the square of its
// depth. Values nest at most 1,000 levels (`Limits::depth`), so the deepest output prints in
// bounded space: here 900 levels, made by a loop that wraps its data once more each time.
#[test]
fn a_deep_output_prints_in_bounded_space() {
    let definition = std::env::temp_dir().join(format!("asl-deep-{}.asl.json", std::process::id()));
    std::fs::write(
        &definition,
        r#"{"StartAt": "Wrap", "States": {
            "Wrap": {"Type": "Pass", "Parameters": {"a.$": "$", "n.$": "States.MathAdd($.n, 1)"}, "Next": "Deep?"},
            "Deep?": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThanEquals": 900, "Next": "Done"}], "Default": "Wrap"},
            "Done": {"Type": "Succeed"}}}"#,
    )
    .unwrap();
    let input = std::env::temp_dir().join(format!("asl-deep-{}.input.json", std::process::id()));
    std::fs::write(&input, r#"{"n": 0}"#).unwrap();
    let out = asl(&[
        "run",
        &definition.to_string_lossy(),
        "--input",
        &input.to_string_lossy(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"n\": 900"), "the outermost level");
    // Two lines a level, each indented two spaces a level: about 1.6 MB at 900 levels.
    assert!(text.len() < 4 << 20, "{} bytes", text.len());
}

// `asl graph` draws a definition in either format, Mermaid by default; an unknown format is
// a usage error (exit 2).
#[test]
fn graph_draws_a_definition() {
    let mermaid = asl(&["graph", &data(BEDROCK)]);
    assert_eq!(mermaid.status.code(), Some(0));
    let text = String::from_utf8_lossy(&mermaid.stdout);
    assert!(text.starts_with("flowchart TD\n"), "{text}");
    let dot = asl(&["graph", &data(BEDROCK), "--format", "dot"]);
    assert_eq!(dot.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&dot.stdout).starts_with("digraph workflow {"));
    let bad = asl(&["graph", "--format", "svg", &data(BEDROCK)]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn validate_prints_every_problem_with_its_pointer() {
    let out = asl(&[
        "validate",
        &data("asl-corpus/chain-of-responsibility__atm_dispenser_chained.asl.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    for state in ["Dispense50", "Dispense20", "Dispense10", "Dispense1"] {
        assert!(
            text.contains(&format!("/States/{state}/Retry/0/ErrorEquals/0: ")),
            "{text}"
        );
    }
    assert!(text.ends_with("4 problem(s)\n"), "{text}");

    let out = asl(&["validate", &data(BEDROCK)]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .ends_with(": valid\n"));
}

#[test]
fn unreadable_files_and_unknown_test_cases_exit_2_with_the_reason() {
    let out = asl(&[
        "validate",
        &data("asl-corpus/sfn-iot-data-analytics-dataset__statemachine.asl.json"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("line ") && stderr.contains("column "),
        "{stderr}"
    );

    let out = asl(&[
        "run",
        &data(BEDROCK),
        "--mock-config",
        &data("mocks/bedrock-model-customisation.mock.json"),
        "--test-case",
        "Nope",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("no test case `Nope`; it has: CompletesOnTheThirdPoll, JobFails"),
        "{stderr}"
    );

    let out = asl(&["run"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("usage: asl"));
}

/// The saga example's export with its mock file (`examples/saga.mock.json`), the file its
/// Rust tests apply to `OrderSaga::interpreter()`: one mock file for Step Functions Local,
/// `asl run` and Rust tests. Every Task is mocked; the declined charge is caught, the stock
/// released, and the execution fails as the `Order failed` state says.
#[test]
fn the_saga_runs_on_its_mock_file() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let definition = root.join("tests/golden/saga.asl.json");
    let mocks = root.join("examples/saga.mock.json");
    let out = asl(&[
        "run",
        &definition.to_string_lossy(),
        "--mock-config",
        &mocks.to_string_lossy(),
        "--test-case",
        "EveryTaskMocked",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let output: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        output,
        json!({"Error": "OrderFailed", "Cause": "the order could not be completed; no stock is held for it"})
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("(state `Order failed`)"), "{stderr}");
}

/// Issue 13's reproducers for the command line: none may panic or read without bound.
mod hostile {
    use std::io::Write;
    use std::os::unix::ffi::OsStrExt;
    use std::process::{Command, Stdio};

    use super::*;

    const ECHO: &str = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#;

    fn scratch(name: &std::ffi::OsStr, text: &str) -> PathBuf {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn no_panic(out: &Output) {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_ne!(out.status.code(), Some(101), "{stderr}");
    }

    #[test]
    fn a_path_that_is_not_utf8_is_read_like_any_other() {
        let path = scratch(std::ffi::OsStr::from_bytes(b"\xff.asl.json"), ECHO);
        let out = Command::new(env!("CARGO_BIN_EXE_asl"))
            .arg("run")
            .arg(&path)
            .output()
            .unwrap();
        no_panic(&out);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(
            serde_json::from_slice::<Value>(&out.stdout).unwrap(),
            json!({})
        );
    }

    #[test]
    fn an_endless_input_is_refused_past_awss_256_kib() {
        let definition = scratch("echo.asl.json".as_ref(), ECHO);
        // `/dev/zero` never ends; 256 KiB is AWS's quota on an execution's input.
        let out = asl(&["run", &definition.to_string_lossy(), "--input", "/dev/zero"]);
        no_panic(&out);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("larger than 262144 bytes"), "{stderr}");

        // The same from standard input, and a raised limit that lets a large input through.
        let big = format!("{{\"blob\": \"{}\"}}", "x".repeat(300 * 1024));
        let run = |extra: &[&str]| {
            let mut child = Command::new(env!("CARGO_BIN_EXE_asl"))
                .args(["run", &definition.to_string_lossy(), "--input", "-"])
                .args(extra)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            // The reader may stop early: a refused write is part of the test.
            let _ = child.stdin.take().unwrap().write_all(big.as_bytes());
            child.wait_with_output().unwrap()
        };
        let refused = run(&[]);
        no_panic(&refused);
        assert_eq!(refused.status.code(), Some(2));
        let allowed = run(&["--max-payload-bytes", "1000000"]);
        no_panic(&allowed);
        assert_eq!(allowed.status.code(), Some(0));
        let output: Value = serde_json::from_slice(&allowed.stdout).unwrap();
        assert_eq!(output["blob"].as_str().map(str::len), Some(300 * 1024));
    }

    // Issue 13's reproducer: a Pass and a Choice looping forever, even with `--real-time`.
    // AWS ends it at its 25,000th history event with `States.Runtime` and this cause (its
    // "Avoid reaching the history quota" page, and its recorded history);
    // `--max-history-events` moves the quota.
    #[test]
    fn an_endless_loop_ends_at_the_history_quota() {
        let definition = scratch(
            "spin.asl.json".as_ref(),
            r#"{"StartAt": "P", "TimeoutSeconds": 1, "States": {
                "P": {"Type": "Pass", "Next": "C"},
                "C": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "E"}], "Default": "P"},
                "E": {"Type": "Succeed"}}}"#,
        );
        let path = definition.to_string_lossy();
        for (extra, quota) in [
            (&["--real-time"][..], 25_000),
            (&["--max-history-events", "100"][..], 100),
        ] {
            let out = asl(&[&["run", &path][..], extra].concat());
            no_panic(&out);
            assert_eq!(out.status.code(), Some(1));
            let output: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(
                output,
                serde_json::json!({"Error": "States.Runtime",
                    "Cause": format!("The execution reached the maximum number of history events ({quota}).")})
            );
        }
        let bad = asl(&["run", &path, "--max-history-events", "many"]);
        assert_eq!(bad.status.code(), Some(2));
    }

    #[test]
    fn output_to_a_closed_pipe_ends_quietly() {
        let definition = scratch("echo-big.asl.json".as_ref(), ECHO);
        // An output far larger than a pipe's buffer, so that writing it meets the closed end.
        let input = scratch(
            "big.input.json".as_ref(),
            &format!("{{\"blob\": \"{}\"}}", "x".repeat(200 * 1024)),
        );
        let mut child = Command::new(env!("CARGO_BIN_EXE_asl"))
            .args(["run", &definition.to_string_lossy(), "--input"])
            .arg(&input)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        no_panic(&out);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

// `asl run --history FILE --report FILE.html` writes the history as `GetExecutionHistory`
// returns it (`{"events": [...]}`) and the execution page, for a failed execution too; the
// polling loop's five-minute Waits are stamped on the virtual clock (AWS's `timestamp` is
// seconds since the epoch, so the Waits show as 300 s apart).
#[test]
fn run_writes_the_history_and_the_execution_page() {
    let dir = std::env::temp_dir().join(format!("asl-history-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (history, report) = (dir.join("history.json"), dir.join("report.html"));
    let (definition, input, mocks) = (
        data(BEDROCK),
        data("mocks/bedrock-model-customisation.input.json"),
        data("mocks/bedrock-model-customisation.mock.json"),
    );
    for (test_case, code) in [("CompletesOnTheThirdPoll", 0), ("JobFails", 1)] {
        let out = asl(&[
            "run",
            &definition,
            "--input",
            &input,
            "--mock-config",
            &mocks,
            "--test-case",
            test_case,
            "--history",
            &history.to_string_lossy(),
            "--report",
            &report.to_string_lossy(),
        ]);
        assert_eq!(out.status.code(), Some(code), "{test_case}");
        let written: Value = serde_json::from_slice(&std::fs::read(&history).unwrap()).unwrap();
        let events = written["events"].as_array().unwrap();
        assert_eq!(events[0]["type"], "ExecutionStarted");
        assert_eq!(events[0]["id"], 1);
        let last = events.last().unwrap();
        let ending = if code == 0 {
            "ExecutionSucceeded"
        } else {
            "ExecutionFailed"
        };
        assert_eq!(last["type"], ending, "{test_case}");
        for (i, event) in events.iter().enumerate() {
            assert_eq!(event["id"], i + 1);
            assert!(event["previousEventId"].as_u64().unwrap() < event["id"].as_u64().unwrap());
        }
        let waits: Vec<f64> = events
            .iter()
            .filter(|e| e["type"] == "WaitStateExited")
            .zip(events.iter().filter(|e| e["type"] == "WaitStateEntered"))
            .map(|(exit, entry)| {
                exit["timestamp"].as_f64().unwrap() - entry["timestamp"].as_f64().unwrap()
            })
            .collect();
        assert!(!waits.is_empty(), "{test_case}");
        assert!(waits.iter().all(|w| (*w - 300.0).abs() < 0.01), "{waits:?}");
        let page = std::fs::read_to_string(&report).unwrap();
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "nothing fetched"
        );
    }
    let twice = asl(&["run", &definition, "--history", "a", "--history", "b"]);
    assert_eq!(twice.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

// A corpus Distributed Map (issue 15) runs in `asl run` with a mock for its reader: the mock
// file's test case names the Map state for its `ItemReader` (a CSV object of three rows)
// and the child's Task; each row is a child execution, so the output has three results.
#[test]
fn a_distributed_map_runs_with_a_mocked_reader() {
    let out = asl(&[
        "run",
        &data("asl-corpus/distributed-map-csv-iterator__sam__statemachine.asl.json"),
        "--mock-config",
        &data("mocks/distributed-map-csv-iterator.mock.json"),
        "--test-case",
        "ThreeRows",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let output: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(output.as_array().map(Vec::len), Some(3), "{output}");
}

// `asl policy DEF` prints the IAM policy the definition's role needs (issue 16, part 5): the
// corpus CSV iterator starts its child state machine and its own children, and reads its
// bucket (the developer guide's "IAM policies for integrated services" and "Distributed Map
// state IAM policies").
#[test]
fn policy_prints_what_the_role_needs() {
    let out = asl(&[
        "policy",
        &data("asl-corpus/distributed-map-csv-iterator__sam__statemachine.asl.json"),
        "--state-machine",
        "Csv",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let document: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = document.to_string();
    for needed in [
        "states:StartExecution",
        "${ChildStateMachine}",
        "arn:aws:states:*:*:stateMachine:Csv",
        "s3:GetObject",
        "arn:aws:s3:::${CSVBucket}/*",
    ] {
        assert!(text.contains(needed), "{needed} in {text}");
    }
}

// `--child ARN=FILE` runs a child ASL document for the `states:startExecution` Tasks that
// name it (issue 16, part 3): the corpus's nested state machine, waited for with `.sync`
// (its output as JSON text) and `.sync:2` (as JSON), as the developer guide's "Start a new
// AWS Step Functions state machine from a running execution" describes the two.
#[test]
fn run_starts_a_child_asl_document() {
    let out = asl(&[
        "run",
        &data("nested/wait-for-child.asl.json"),
        "--child",
        &format!(
            "arn:aws:states:us-east-1:123456789012:stateMachine:Nested={}",
            data("asl-corpus/workflow-within-a-workflow__statemachines__nested-state-machine.asl.json")
        ),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let output: Value = serde_json::from_slice(&out.stdout).unwrap();
    let done = "The whole execution is completed including both long-running jobs";
    assert_eq!(
        output,
        json!({
            "text": {"output": format!("\"{done}\""), "status": "SUCCEEDED"},
            "json": {"output": done}
        })
    );
    // Without the child, the Task has nothing to start.
    let out = asl(&["run", &data("nested/wait-for-child.asl.json")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Workflow.NoHandler"));
}

// Without the `aws` feature, `--aws-endpoint` says what it needs and exits 2 (usage).
#[cfg(not(feature = "aws"))]
#[test]
fn aws_endpoint_needs_the_aws_feature() {
    let out = asl(&[
        "run",
        &data("nested/wait-for-child.asl.json"),
        "--aws-endpoint",
        "http://127.0.0.1:1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the `aws` feature"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// A JSONata document validates in any build; running its expressions needs the `jsonata`
// feature, which `run` names when it is missing (the corpus's data-processing child).
#[test]
fn jsonata_documents_validate_and_run_with_the_jsonata_feature() {
    let file =
        data("asl-corpus/distributed-data-stream-aggregator__data-processing-child.asl.json");
    let out = asl(&["validate", &file]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = asl(&["run", &file]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if cfg!(feature = "jsonata") {
        // Run on `{}`, its first expression, `$states.input.locationId`, selects nothing.
        assert!(stderr.contains("States.QueryEvaluationError"), "{stderr}");
        assert!(stderr.contains("initiate variables"), "{stderr}");
    } else {
        assert!(stderr.contains("enable the `jsonata` feature"), "{stderr}");
    }
}
