//! The conformance suite: hand-written ASL definitions in `tests/conformance/suite/`, run
//! through the interpreter (`workflow::interpret`) with their mocked Task responses, against
//! the endings aws-local-stepfunctions gave for them (`GROUP.expected.json`, written by
//! `tools/asl-interpreter/suite.mjs --write`). Where that interpreter departs from the
//! States Language, `GROUP.deviations.json` records the case, the reason, and the ending the
//! specification gives, which is then required instead.
//!
//! Endings are compared as status and output, or status and error name (causes are each
//! runner's own words).

use std::path::PathBuf;

use serde_json::{json, Map, Value};
use workflow::interpret::Interpreter;
use workflow::mock::MockConfig;

fn suite_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/suite")
}

fn read(file: &str) -> Option<Value> {
    let text = std::fs::read_to_string(suite_dir().join(file)).ok()?;
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}")))
}

fn groups() -> Vec<String> {
    let mut groups: Vec<String> = std::fs::read_dir(suite_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| {
            f.ends_with(".json")
                && !f.ends_with(".mock.json")
                && !f.ends_with(".expected.json")
                && !f.ends_with(".deviations.json")
        })
        .map(|f| f.trim_end_matches(".json").to_owned())
        .collect();
    groups.sort();
    groups
}

fn ending(result: Result<Value, workflow::Error>) -> Value {
    match result {
        Ok(output) => json!({"status": "succeeded", "output": output}),
        Err(error) => json!({"status": "failed", "error": error.name()}),
    }
}

/// Runs one group; returns (cases, deviations followed).
async fn group(name: &str) -> (usize, usize) {
    let suite = read(&format!("{name}.json")).unwrap();
    let expected = read(&format!("{name}.expected.json")).unwrap_or_else(|| {
        panic!("{name}.expected.json: run tools/asl-interpreter/suite.mjs --write")
    });
    let deviations = read(&format!("{name}.deviations.json")).unwrap_or(json!({}));
    let mocks = std::fs::read_to_string(suite_dir().join(format!("{name}.mock.json")))
        .ok()
        .map(|text| MockConfig::from_json(&text).unwrap());
    let cases = suite["cases"].as_array().unwrap();
    assert_eq!(
        expected.as_object().unwrap().len(),
        cases.len(),
        "{name}: the expectations cover every case; regenerate them"
    );
    for deviation in deviations.as_object().unwrap().keys() {
        assert!(
            cases.iter().any(|c| c["name"] == json!(deviation)),
            "{name}: the deviation `{deviation}` names no case"
        );
    }
    let mut followed = 0;
    let mut mismatches = Vec::new();
    for case in cases {
        let case_name = case["name"].as_str().unwrap();
        let definition = case["definition"].as_str().unwrap();
        let text = suite["definitions"][definition].to_string();
        let mut interpreter = Interpreter::from_json(definition, &text)
            .unwrap_or_else(|e| panic!("{name}/{case_name}: {e}"));
        if let Some(test_case) = case["test_case"].as_str() {
            mocks
                .as_ref()
                .unwrap()
                .apply(&mut interpreter, definition, test_case)
                .unwrap();
        }
        let got = ending(interpreter.run(case["input"].clone()).await);
        let want = match deviations.get(case_name) {
            Some(deviation) => {
                followed += 1;
                assert_ne!(
                    deviation["specification"], expected[case_name],
                    "{name}/{case_name}: the interpreter now agrees; drop the deviation"
                );
                deviation["specification"].clone()
            }
            None => expected[case_name].clone(),
        };
        if got != want {
            mismatches.push(format!(
                "{name}/{case_name}:\n  ran:      {got}\n  expected: {want}"
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    (cases.len(), followed)
}

#[tokio::test(start_paused = true)]
async fn the_suite_ends_as_aws_local_stepfunctions_or_the_specification_says() {
    let mut summary = Map::new();
    let (mut total, mut deviating) = (0, 0);
    for name in groups() {
        let (cases, followed) = group(&name).await;
        summary.insert(name, json!({"cases": cases, "deviations": followed}));
        total += cases;
        deviating += followed;
    }
    println!("{}", Value::Object(summary));
    println!("{total} cases pass: {} as aws-local-stepfunctions answers, {deviating} as the specification says where it departs", total - deviating);
    assert!(total >= 100, "the suite has {total} cases");
}

/// The endings cannot show how long retries waited; the virtual clock can. The suite's
/// `Retried` definition waits 2 s, then 6 s capped by `MaxDelaySeconds` to 5 s, each drawn
/// from `[0, wait]` by `"JitterStrategy": "FULL"`.
#[tokio::test(start_paused = true)]
async fn retry_waits_stay_within_their_jitter_and_max_delay_bounds() {
    let suite = read("errors.json").unwrap();
    let mocks = MockConfig::from_json(
        &std::fs::read_to_string(suite_dir().join("errors.mock.json")).unwrap(),
    )
    .unwrap();
    let mut interpreter =
        Interpreter::from_json("Retried", &suite["definitions"]["Retried"].to_string()).unwrap();
    mocks
        .apply(&mut interpreter, "Retried", "BusyTwice")
        .unwrap();
    let mut waits = std::collections::BTreeSet::new();
    for _ in 0..50 {
        let start = tokio::time::Instant::now();
        interpreter.run(json!({"id": 1})).await.unwrap();
        let waited = start.elapsed();
        assert!(
            waited <= std::time::Duration::from_secs(2 + 5),
            "two retries wait at most 2 s + 5 s, waited {waited:?}"
        );
        waits.insert(waited);
    }
    assert!(
        waits.len() > 40,
        "full jitter draws the waits: {} distinct",
        waits.len()
    );
}
