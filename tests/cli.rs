//! The examples' command-line contract (`sfn_workflow::cli`).

use serde_json::{json, Value};
use sfn_workflow::cli::execute;

#[path = "../examples/catch.rs"]
#[allow(dead_code)]
mod example;

use example::ChargeOrCatch;

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(ToString::to_string).collect()
}

#[tokio::test(start_paused = true)]
async fn asl_flag_prints_the_definition_and_exits_0() {
    let out = execute(&ChargeOrCatch, &args(&["--asl"])).await;
    assert_eq!(out.status, 0);
    assert_eq!(
        serde_json::from_str::<Value>(&out.stdout).unwrap(),
        ChargeOrCatch::asl()
    );
}

#[tokio::test(start_paused = true)]
async fn input_defaults_to_an_empty_object_and_output_goes_to_stdout() {
    let out = execute(&ChargeOrCatch, &[]).await;
    assert_eq!(out.status, 0);
    let output: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(output["status"], json!("declined"));
}

#[tokio::test(start_paused = true)]
async fn a_failed_execution_prints_error_and_cause_and_exits_1() {
    let out = execute(&ChargeOrCatch, &args(&[r#"{"amount_cents": -1}"#])).await;
    assert_eq!(out.status, 1);
    let output: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(output["Error"], json!("Workflow.InvalidTaskInput"));
    assert!(output["Cause"].as_str().unwrap().contains("expected u64"));
    assert!(out.stderr.contains("execution failed"));
}

#[tokio::test(start_paused = true)]
async fn bad_arguments_print_usage_and_exit_2() {
    for bad in [&["{not json"][..], &["--nope"], &["{}", "{}"]] {
        let out = execute(&ChargeOrCatch, &args(bad)).await;
        assert_eq!(out.status, 2, "{bad:?}");
        assert!(out.stdout.is_empty());
        assert!(out.stderr.contains("usage:"), "{}", out.stderr);
    }
}

#[tokio::test(start_paused = true)]
async fn graph_flag_prints_a_diagram_in_either_format() {
    let mermaid = execute(&ChargeOrCatch, &args(&["--graph", "mermaid"])).await;
    assert_eq!(
        (mermaid.status, mermaid.stdout.as_str()),
        (0, ChargeOrCatch::mermaid().as_str())
    );
    let dot = execute(&ChargeOrCatch, &args(&["--graph", "dot"])).await;
    assert_eq!(
        (dot.status, dot.stdout.as_str()),
        (0, ChargeOrCatch::dot().as_str())
    );
    let bad = execute(&ChargeOrCatch, &args(&["--graph", "png"])).await;
    assert_eq!(bad.status, 2);
    assert!(bad.stderr.contains("`mermaid` or `dot`"), "{}", bad.stderr);
}
