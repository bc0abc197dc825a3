//! Reading existing ASL: every valid definition of the corpus (`tests/data/asl-corpus/`, real
//! state machines from aws-samples) reads into the document model and exports back to equal
//! JSON, passes the definition rules, and the one file that is not JSON is refused with its
//! line and column.

use std::path::PathBuf;

use serde_json::Value;
use sfn_workflow::asl::{validate, Dialect, StateMachine};

fn corpus() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/asl-corpus");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_valid_corpus_file_round_trips_and_the_invalid_one_is_refused() {
    let files = corpus();
    assert_eq!(files.len(), 127, "the corpus is complete");
    let mut refused = Vec::new();
    for (name, text) in &files {
        let Ok(json) = serde_json::from_str::<Value>(text) else {
            let error = StateMachine::from_json(text).unwrap_err();
            refused.push((name.clone(), error));
            continue;
        };
        let machine = StateMachine::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            serde_json::to_value(&machine).unwrap(),
            json,
            "{name} exports back to the JSON it was read from"
        );
    }
    assert_eq!(refused.len(), 1, "one file is not JSON");
    let (name, error) = &refused[0];
    assert_eq!(
        name,
        "sfn-iot-data-analytics-dataset__statemachine.asl.json"
    );
    assert!(error.line > 1 && error.column > 0, "{error}");
    assert!(
        error
            .to_string()
            .contains(&format!("line {}, column {}", error.line, error.column)),
        "{error}"
    );
}

/// The corpus files the definition rules find fault with, each with how many problems and
/// why: real mistakes the authors made, or ASL this crate does not run. Every other valid
/// file passes.
const EXPECTED_PROBLEMS: [(&str, usize, &str); 5] = [
    (
        "chain-of-responsibility__atm_dispenser_chained.asl.json",
        4,
        "retriers on `States.TaskFailedId`, a typo of `States.TaskFailed`: they never match",
    ),
    (
        "either-or-parallel-pattern__statemachine.asl.json",
        6,
        "error names invented under the reserved `States.` prefix",
    ),
    (
        "quorum-with-parallel-pattern__statemachine.asl.json",
        6,
        "the quorum seed's `States.QuorumMet` and `States.RanOutOfTime`",
    ),
    (
        "shared-fallback-state-jsonata__statemachine.asl.json",
        1,
        "`QueryLanguage` written inside `States`, where only states belong (read as meant: its JSONata states are not reported one by one)",
    ),
    (
        "textract-analyze-expense-tf__statemachine.asl.json",
        4,
        "filters comparing with unquoted words (`@.Name==Receipt`), which are not JSONPath",
    ),
];

#[test]
fn the_definition_rules_find_only_the_corpus_mistakes() {
    let mut found: Vec<(String, usize)> = Vec::new();
    let mut checked = 0;
    for (name, text) in corpus() {
        let Ok(machine) = StateMachine::from_json(&text) else {
            continue;
        };
        checked += 1;
        let problems = validate(&machine, Dialect::Asl);
        for problem in &problems {
            let pointer = problem.location.to_string();
            assert!(
                pointer.starts_with('/'),
                "{name}: a JSON Pointer, {pointer}"
            );
        }
        if !problems.is_empty() {
            found.push((name, problems.len()));
        }
    }
    assert_eq!(checked, 126);
    let expected: Vec<(String, usize)> = EXPECTED_PROBLEMS
        .iter()
        .map(|(name, count, _why)| ((*name).to_owned(), *count))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn problems_name_their_place_as_a_json_pointer() {
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/asl-corpus/chain-of-responsibility__atm_dispenser_chained.asl.json"),
    )
    .unwrap();
    let machine = StateMachine::from_json(&text).unwrap();
    let problems = validate(&machine, Dialect::Asl);
    assert_eq!(
        problems[0].location.to_string(),
        "/States/Dispense50/Retry/0/ErrorEquals/0"
    );
    assert!(problems[0]
        .message
        .contains("did you mean `States.TaskFailed`?"));
}
