//! Behaviours where this crate once departed from AWS Step Functions (issue 15), each with
//! AWS's answer and its source, in `tests/conformance/aws/recorded.json`: every case runs
//! through the interpreter on the paused clock and must end as AWS does (status and output,
//! or status, error and, where given, cause).

use serde_json::{json, Value};
use sfn_workflow::interpret::Interpreter;
use sfn_workflow::mock::MockConfig;

fn cases() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/conformance/aws/recorded.json"
    );
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    file["cases"].as_array().unwrap().clone()
}

#[tokio::test(start_paused = true)]
async fn every_case_ends_as_aws_answers() {
    let cases = cases();
    assert!(cases.len() >= 12, "{} cases", cases.len());
    let mut mismatches = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        assert!(
            case["source"].is_string(),
            "{name} says where its answer comes from"
        );
        let mut interpreter = Interpreter::from_json(name, &case["definition"].to_string())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        if let Some(states) = case.get("mock") {
            let mut test_case = serde_json::Map::new();
            let mut responses = serde_json::Map::new();
            for (state, attempts) in states.as_object().unwrap() {
                test_case.insert(state.clone(), json!(format!("{state}Response")));
                responses.insert(format!("{state}Response"), attempts.clone());
            }
            let config = json!({
                "StateMachines": {name: {"TestCases": {"Case": test_case}}},
                "MockedResponses": responses,
            });
            MockConfig::from_json(&config.to_string())
                .unwrap_or_else(|e| panic!("{name}: {e}"))
                .apply(&mut interpreter, name, "Case")
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        let expected = &case["expected"];
        let got = match interpreter.run(case["input"].clone()).await {
            Ok(output) => json!({"status": "succeeded", "output": output}),
            Err(error) => {
                let error = error.to_json();
                let mut ending = json!({"status": "failed", "error": error["Error"]});
                if expected.get("cause").is_some() {
                    ending["cause"] = error["Cause"].clone();
                }
                ending
            }
        };
        if &got != expected {
            mismatches.push(format!(
                "{name}:\n  ran:      {got}\n  expected: {expected}"
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
