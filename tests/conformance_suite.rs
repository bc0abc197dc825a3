//! The conformance suite: hand-written ASL definitions in `tests/conformance/suite/`, run
//! through the interpreter (`sfn_workflow::interpret`) with their mocked Task responses, against
//! the endings aws-local-stepfunctions gave for them (`GROUP.expected.json`, written by
//! `tools/aws-local-stepfunctions/suite.mjs --write`). Where that interpreter departs from the
//! States Language, `GROUP.deviations.json` records the case, the reason, and the ending the
//! specification gives, which is then required instead.
//!
//! moto's executor (PyPI) answered the cases that need no mocked Task (`GROUP.moto.json`,
//! written by `tools/moto/suite.py --write`); its endings must match too, except where
//! `GROUP.moto-deviations.json` records why it departs from the specification.
//!
//! Endings are compared as status and output, or status and error name (causes are each
//! runner's own words).

use std::path::PathBuf;

use serde_json::{json, Map, Value};
use sfn_workflow::interpret::Interpreter;
use sfn_workflow::mock::MockConfig;

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
                && !f.ends_with(".moto.json")
                && !f.ends_with(".moto-deviations.json")
        })
        .map(|f| f.trim_end_matches(".json").to_owned())
        .collect();
    groups.sort();
    groups
}

fn ending(result: Result<Value, sfn_workflow::Error>) -> Value {
    match result {
        Ok(output) => json!({"status": "succeeded", "output": output}),
        Err(error) => json!({"status": "failed", "error": error.name()}),
    }
}

/// Runs one group; returns (cases, deviations followed, cases moto ran, moto deviations).
async fn group(name: &str) -> (usize, usize, usize, usize) {
    let suite = read(&format!("{name}.json")).unwrap();
    let expected = read(&format!("{name}.expected.json")).unwrap_or_else(|| {
        panic!("{name}.expected.json: run tools/aws-local-stepfunctions/suite.mjs --write")
    });
    let deviations = read(&format!("{name}.deviations.json")).unwrap_or(json!({}));
    let moto = read(&format!("{name}.moto.json")).unwrap_or(json!({}));
    let moto_deviations = read(&format!("{name}.moto-deviations.json")).unwrap_or(json!({}));
    let mut moto_departures = 0;
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
        if let Some(moto_ending) = moto.get(case_name) {
            match moto_deviations.get(case_name) {
                Some(recorded) => {
                    moto_departures += 1;
                    assert_eq!(
                        &recorded["moto"], moto_ending,
                        "{name}/{case_name}: moto's recorded departure is stale"
                    );
                    assert_ne!(
                        moto_ending, &want,
                        "{name}/{case_name}: moto now agrees; drop its deviation"
                    );
                }
                None if moto_ending != &want => mismatches.push(format!(
                    "{name}/{case_name} (moto):\n  moto:     {moto_ending}\n  expected: {want}"
                )),
                None => {}
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    let moto_cases = moto.as_object().map_or(0, Map::len);
    (cases.len(), followed, moto_cases, moto_departures)
}

#[tokio::test(start_paused = true)]
async fn the_suite_ends_as_aws_local_stepfunctions_or_the_specification_says() {
    let mut summary = Map::new();
    let (mut total, mut deviating, mut moto_total, mut moto_deviating) = (0, 0, 0, 0);
    for name in groups() {
        let (cases, followed, moto_cases, moto_departures) = group(&name).await;
        summary.insert(
            name,
            json!({"cases": cases, "deviations": followed, "moto": moto_cases, "moto deviations": moto_departures}),
        );
        total += cases;
        deviating += followed;
        moto_total += moto_cases;
        moto_deviating += moto_departures;
    }
    println!("{}", Value::Object(summary));
    println!("{total} cases pass: {} as aws-local-stepfunctions answers, {deviating} as the specification says where it departs", total - deviating);
    println!(
        "moto ran {moto_total} of them: {} agree, {moto_deviating} depart (recorded)",
        moto_total - moto_deviating
    );
    assert!(total >= 100, "the suite has {total} cases");
    assert!(moto_total >= 100, "moto ran {moto_total} cases");
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
