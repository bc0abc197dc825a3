//! The harness the conformance suites share: it writes a suite's definitions and cases for
//! `tools/aws-local-stepfunctions/regenerate.sh`, and says what ending a native run of each case must
//! have: the interpreter's answer, or, where `<suite>.deviations.json` records that the
//! interpreter departs from the States Language, the specification's.

use serde_json::{json, Map, Value};

/// One suite's expectations.
pub(crate) struct Suite {
    expected: Map<String, Value>,
    deviations: Map<String, Value>,
}

impl Suite {
    /// Writes `definitions` (workflow name to ASL) and `cases` (name, workflow, input) to
    /// `target/tmp/conformance/<name>/`, and reads the expectations checked in beside the
    /// tests (`expected` and `deviations` are their text).
    pub(crate) fn new(
        name: &str,
        definitions: &Value,
        cases: &[(&str, &str, Value)],
        expected: &str,
        deviations: &str,
    ) -> Self {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("conformance")
            .join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("definitions.json"),
            serde_json::to_string_pretty(definitions).unwrap(),
        )
        .unwrap();
        let inputs: Vec<Value> = cases
            .iter()
            .map(|(case, workflow, input)| json!({"name": case, "workflow": workflow, "input": input}))
            .collect();
        std::fs::write(
            dir.join("cases.json"),
            serde_json::to_string_pretty(&inputs).unwrap(),
        )
        .unwrap();
        let expected: Map<String, Value> = serde_json::from_str(expected).unwrap_or_else(|_| {
            panic!(
                "tests/conformance/{name}.expected.json: run tools/aws-local-stepfunctions/regenerate.sh"
            )
        });
        assert_eq!(
            expected.len(),
            cases.len(),
            "the expectations cover every case of {name}; regenerate them"
        );
        Self {
            expected,
            deviations: serde_json::from_str(deviations).unwrap(),
        }
    }

    /// Requires a native run of `case` to end as expected.
    pub(crate) fn check(&self, case: &str, result: Result<Value, sfn_workflow::Error>) {
        let want = self
            .deviations
            .get(case)
            .map_or(&self.expected[case], |d| &d["specification"]);
        assert_eq!(&ending(result), want, "{case}");
    }
}

/// An ending as both runners report it; a cause is left out, being each runner's own text.
fn ending(result: Result<Value, sfn_workflow::Error>) -> Value {
    match result {
        Ok(output) => json!({"status": "succeeded", "output": output}),
        Err(e) => json!({"status": "failed", "error": e.name()}),
    }
}
