//! The JSONata evaluator (issue 17, point 5) against the reference implementation: every case
//! of `tests/conformance/jsonata/cases.json` must give the answer the npm package `jsonata`
//! gives, as `tests/conformance/jsonata/expected.json` records it (written and checked by
//! `tools/jsonata/reference.mjs`, which `.ci/run` runs). An error matches an error: the
//! two implementations' messages differ.
#![cfg(feature = "jsonata")]

use serde_json::{json, Map, Value};
use sfn_workflow::jsonata::Expression;

fn read(file: &str) -> Vec<Value> {
    let path = format!("tests/conformance/jsonata/{file}");
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn every_case_gives_the_reference_answer() {
    let cases = read("cases.json");
    let expected = read("expected.json");
    assert_eq!(
        cases.len(),
        expected.len(),
        "expected.json answers every case"
    );
    assert!(cases.len() >= 70);
    let mut differences = Vec::new();
    for (case, expected) in cases.iter().zip(&expected) {
        let text = case["expr"].as_str().unwrap();
        // The case's data is `$states.input`'s place: the expression's context (`$`).
        let mut states = json!({"input": case["input"], "context": {}});
        let mut variables = Map::new();
        for (name, value) in case
            .get("bindings")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if name == "states" {
                states = value.clone();
            } else {
                variables.insert(name.clone(), value.clone());
            }
        }
        let got = Expression::parse(text)
            .map_err(|e| e.to_string())
            .and_then(|e| e.evaluate(&states, &variables).map_err(|e| e.to_string()));
        let agrees = match (&got, expected.get("ok")) {
            // JSON has no undefined: where the reference gives nothing, Step Functions fails.
            (Err(_), Some(Value::Null)) | (Err(_), None) => true,
            (Ok(value), Some(answer)) => {
                value == answer
                    || (value.is_number()
                        && answer.is_number()
                        && value.as_f64() == answer.as_f64())
            }
            _ => false,
        };
        if !agrees {
            differences.push(format!("{text}: reference {expected}, here {got:?}"));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
