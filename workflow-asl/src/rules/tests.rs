//! The rules' unit tests: each rule on small documents, by JSON Pointer.

use super::*;
use crate::document::StateMachine;

/// Takes JSON text, not `json!`: `json!` sorts object keys, and the rules report problems
/// in document order.
fn problems(doc: &str) -> Vec<(String, String)> {
    let machine: StateMachine = serde_json::from_str(doc).unwrap();
    validate(&machine, Dialect::Asl)
        .into_iter()
        .map(|p| (p.location.to_string(), p.message))
        .collect()
}

fn pointers(doc: &str) -> Vec<String> {
    problems(doc).into_iter().map(|(p, _)| p).collect()
}

#[test]
fn the_seed_workflow_is_well_formed() {
    let doc = r#"{
        "StartAt": "P",
        "States": {
            "P": {"Type": "Parallel", "Next": "ok",
                  "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1}],
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "bad"}],
                  "Branches": [{"StartAt": "b1", "States": {"b1": {"Type": "Pass", "End": true}}}]},
            "bad": {"Type": "Pass", "ResultPath": "$.x", "End": true},
            "ok": {"Type": "Succeed"}
        }
    }"#;
    assert_eq!(problems(doc), vec![]);
}

#[test]
fn start_at_must_exist_and_name_a_state() {
    assert_eq!(
        pointers(r#"{"States": {"A": {"Type": "Succeed"}}}"#),
        vec![""]
    );
    let p = problems(r#"{"StartAt": "Strat", "States": {"Start": {"Type": "Succeed"}}}"#);
    assert_eq!(p[0].0, "/StartAt");
    assert!(p[0].1.contains("did you mean `Start`?"), "{}", p[0].1);
}

#[test]
fn every_problem_is_reported_together() {
    let p = pointers(
        r#"{
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "Bx"},
            "B": {"Type": "Pass"},
            "C": {"Type": "Succeed", "Next": "A"}
        }
    }"#,
    );
    assert_eq!(
        p,
        vec!["/States/A/Next", "/States/B", "/States/C/Next", "/States/C"]
    );
}

/// A mistyped `Next` is one mistake: the states it alone cut off are not reported as
/// unreachable too.
#[test]
fn a_mistyped_next_does_not_also_make_states_unreachable() {
    let doc = |next: &str| {
        format!(
            r#"{{"StartAt": "A", "States": {{
            "A": {{"Type": "Pass", "Next": "{next}"}},
            "Finish": {{"Type": "Pass", "Next": "Done"}},
            "Done": {{"Type": "Succeed"}}}}}}"#
        )
    };
    // Close to `Finish`: the edge counts as reaching it, and `Done` after it.
    assert_eq!(pointers(&doc("Finsh")), vec!["/States/A/Next"]);
    // Like no state: what it was meant to reach cannot be told.
    assert_eq!(pointers(&doc("Elsewhere")), vec!["/States/A/Next"]);
    // Without a mistyped edge, a state no edge reaches is reported.
    assert_eq!(pointers(&doc("Done")), vec!["/States/Finish"]);
}

#[test]
fn names_are_unique_across_branches() {
    let p = problems(
        r#"{
        "StartAt": "P",
        "States": {
            "P": {"Type": "Parallel", "End": true,
                  "Branches": [{"StartAt": "P", "States": {"P": {"Type": "Succeed"}}}]}
        }
    }"#,
    );
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].0, "/States/P/Branches/0/States/P");
    assert!(p[0].1.contains("used twice"));
}

#[test]
fn next_and_end_rules() {
    let p = problems(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A", "End": true}}}"#,
    );
    assert_eq!(p[0].0, "/States/A/End");
    assert!(p[0].1.contains("both"));
    let p = problems(r#"{"StartAt": "A", "States": {"A": {"Type": "Fail", "End": true}}}"#);
    assert_eq!(p[0].0, "/States/A/End");
    assert!(p[0].1.contains("ends the workflow by itself"));
}

#[test]
fn a_branch_cannot_jump_out() {
    let p = problems(
        r#"{
        "StartAt": "P",
        "States": {
            "P": {"Type": "Parallel", "Next": "Done",
                  "Branches": [{"StartAt": "b", "States": {"b": {"Type": "Pass", "Next": "Done"}}}]},
            "Done": {"Type": "Succeed"}
        }
    }"#,
    );
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].0, "/States/P/Branches/0/States/b/Next");
    assert!(
        p[0].1.contains("cannot leave its sub-workflow"),
        "{}",
        p[0].1
    );
}

#[test]
fn retrier_rules() {
    let p = problems(
        r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "r", "End": true,
        "Retry": [
            {"ErrorEquals": ["States.ALL", "X"]},
            {"ErrorEquals": ["States.ALL"], "IntervalSeconds": -1, "BackoffRate": 0.5, "MaxAttempts": 1.5, "JitterStrategy": "HALF"},
            {"ErrorEquals": [], "MaxDelaySeconds": 0}
        ]}}}"#,
    );
    let at: Vec<&str> = p.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        at,
        vec![
            "/States/T/Retry/0/ErrorEquals/0",
            "/States/T/Retry/1/ErrorEquals/0",
            "/States/T/Retry/1/IntervalSeconds",
            "/States/T/Retry/1/MaxAttempts",
            "/States/T/Retry/1/BackoffRate",
            "/States/T/Retry/1/JitterStrategy",
            "/States/T/Retry/2/ErrorEquals",
            "/States/T/Retry/2/MaxDelaySeconds",
        ]
    );
    assert!(p[0].1.contains("alone"));
    assert!(p[1].1.contains("last retrier"));
}

#[test]
fn reserved_prefix_and_unknown_predefined_names() {
    let p = problems(
        r#"{"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "r", "Next": "F", "Catch": [{"ErrorEquals": ["States.Timeot"], "Next": "F"}]},
        "F": {"Type": "Fail", "Error": "States.Mine"}}}"#,
    );
    assert_eq!(p[0].0, "/States/T/Catch/0/ErrorEquals/0");
    assert_eq!(p[1].0, "/States/F/Error");
    // Re-raising a predefined error is not inventing one.
    let reraise = pointers(
        r#"{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "States.Timeout"}}}"#,
    );
    assert_eq!(reraise, Vec::<String>::new());
}

#[test]
fn task_resource_parallel_branches_and_fields() {
    let p = pointers(
        r#"{"StartAt": "T", "States": {
        "T": {"Type": "Task", "Next": "P", "Result": 1},
        "P": {"Type": "Parallel", "Branches": [], "End": true}
    }}"#,
    );
    assert_eq!(
        p,
        vec!["/States/T/Result", "/States/T", "/States/P/Branches"]
    );
}

#[test]
fn quorum_rules() {
    let doc = |q: &str| {
        format!(
            r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Parallel", "End": true, "Quorum": {q},
        "Branches": [{{"StartAt": "a", "States": {{"a": {{"Type": "Succeed"}}}}}}, {{"StartAt": "b", "States": {{"b": {{"Type": "Succeed"}}}}}}]}}}}}}"#
        )
    };
    assert_eq!(
        pointers(&doc(r#"{"Count": 2, "TimeoutSeconds": 15}"#)),
        Vec::<String>::new()
    );
    assert_eq!(
        pointers(&doc(r#"{"CountPath": "$$.Execution.Input.quorum"}"#)),
        Vec::<String>::new()
    );
    assert_eq!(
        pointers(&doc(r#"{"Count": 0}"#)),
        vec!["/States/P/Quorum/Count"]
    );
    let p = problems(&doc(r#"{"Count": 3}"#));
    assert_eq!(p[0].0, "/States/P/Quorum/Count");
    assert!(
        p[0].1.contains("this Parallel has 2 branches"),
        "{}",
        p[0].1
    );
    assert_eq!(pointers(&doc(r#"{}"#)), vec!["/States/P/Quorum"]);
    assert_eq!(
        pointers(&doc(r#"{"CountPath": "$.q[*]"}"#)),
        vec!["/States/P/Quorum/CountPath"]
    );
    assert_eq!(
        pointers(&doc(r#"{"Count": 1, "TimeoutSeconds": 0}"#)),
        vec!["/States/P/Quorum/TimeoutSeconds"]
    );
    let p = pointers(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Quorum": {"Count": 1}, "End": true}}}"#,
    );
    assert_eq!(p, vec!["/States/A/Quorum"]);
}

#[test]
fn names_fit_aws_limits_including_those_a_quorum_export_generates() {
    let long = "x".repeat(81);
    let p = problems(&format!(
        r#"{{"StartAt": "{long}", "States": {{"{long}": {{"Type": "Succeed"}}}}}}"#
    ));
    assert_eq!(p.len(), 1);
    assert!(p[0].1.contains("81 characters"), "{}", p[0].1);
    let q = "q".repeat(40);
    let b = "b".repeat(30);
    let doc = format!(
        r#"{{"StartAt": "{q}", "States": {{"{q}": {{"Type": "Parallel", "End": true, "Quorum": {{"Count": 1}},
            "Branches": [{{"StartAt": "{b}", "States": {{"{b}": {{"Type": "Succeed"}}}}}}]}}}}}}"#
    );
    let p = problems(&doc);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, format!("/States/{q}"));
    assert!(
        p[0].1.contains("the ASL export of quorum state"),
        "{}",
        p[0].1
    );
}

#[test]
fn wait_rules() {
    let wait = |fields: &str| {
        problems(&format!(
            r#"{{"StartAt": "W", "States": {{"W": {{"Type": "Wait", {fields} "End": true}}}}}}"#
        ))
    };
    assert_eq!(wait(r#""Seconds": 10,"#), vec![]);
    assert_eq!(wait(r#""Timestamp": "2026-11-21T20:00:00Z","#), vec![]);
    assert_eq!(wait(r#""SecondsPath": "$.delay","#), vec![]);
    assert_eq!(wait("")[0].0, "/States/W");
    assert_eq!(
        wait(r#""Seconds": 1, "TimestampPath": "$.t","#)[0].0,
        "/States/W/TimestampPath"
    );
    assert_eq!(wait(r#""Seconds": -1,"#)[0].0, "/States/W/Seconds");
    assert_eq!(
        wait(r#""Timestamp": "tomorrow","#)[0].0,
        "/States/W/Timestamp"
    );
    assert_eq!(
        wait(r#""SecondsPath": "$.a[*]","#)[0].0,
        "/States/W/SecondsPath"
    );
}

#[test]
fn fail_paths_and_execution_timeout_rules() {
    let p = pointers(
        r#"{"StartAt": "F", "TimeoutSeconds": 0, "States": {"F": {"Type": "Fail", "Error": "E", "ErrorPath": "$.e", "CausePath": "$.c[*]"}}}"#,
    );
    assert_eq!(
        p,
        vec![
            "/TimeoutSeconds",
            "/States/F/ErrorPath",
            "/States/F/CausePath"
        ]
    );
    let p = pointers(
        r#"{"StartAt": "P", "TimeoutSeconds": 60, "States": {"P": {"Type": "Parallel", "End": true,
        "Branches": [{"StartAt": "A", "TimeoutSeconds": 5, "States": {"A": {"Type": "Succeed"}}}]}}}"#,
    );
    assert_eq!(p, vec!["/States/P/Branches/0/TimeoutSeconds"]);
}

#[test]
fn choice_rules() {
    let choice = |rules: &str| {
        pointers(&format!(
            r#"{{"StartAt": "C", "States": {{"C": {{"Type": "Choice", "Choices": {rules}, "Default": "D"}}, "A": {{"Type": "Succeed"}}, "D": {{"Type": "Succeed"}}}}}}"#
        ))
    };
    let ok = r#"[{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "A"},
                 {"And": [{"Variable": "$.s", "StringMatches": "a*"}, {"Not": {"Variable": "$.b", "IsPresent": true}}], "Next": "A"},
                 {"Variable": "$.t", "TimestampLessThanPath": "$$.Execution.StartTime", "Next": "A"}]"#;
    assert_eq!(choice(ok), Vec::<String>::new());
    assert_eq!(
        choice(r#"[{"Variable": "$.n", "NumericEquals": "7", "Next": "A"}]"#),
        vec!["/States/C/Choices/0/NumericEquals"]
    );
    assert_eq!(
        choice(r#"[{"Variable": "$.n", "NumericEqual": 7, "Next": "A"}]"#),
        vec!["/States/C/Choices/0/NumericEqual"]
    );
    assert_eq!(
        choice(r#"[{"Variable": "$.t", "TimestampEquals": "noon", "Next": "A"}]"#),
        vec!["/States/C/Choices/0/TimestampEquals"]
    );
    assert_eq!(
        choice(r#"[{"Variable": "$.n", "IsNull": true}]"#),
        vec!["/States/C/Choices/0", "/States/A"]
    );
    assert_eq!(
        choice(r#"[{"Not": {"Variable": "$.n", "IsNull": true, "Next": "A"}, "Next": "A"}]"#),
        vec!["/States/C/Choices/0/Not/Next"]
    );
    assert_eq!(
        choice(r#"[{"Variable": "$.n", "IsNull": true, "Next": "Nowhere"}]"#),
        vec!["/States/C/Choices/0/Next"],
        "`A` is cut off only by the mistyped target"
    );
    assert_eq!(choice(r#"[]"#), vec!["/States/C/Choices", "/States/A"]);
    assert_eq!(
        choice(r#"[{"And": [], "Next": "A"}]"#),
        vec!["/States/C/Choices/0/And"]
    );
}

#[test]
fn map_rules() {
    let map = |fields: &str| {
        pointers(&format!(
            r#"{{"StartAt": "M", "States": {{"M": {{"Type": "Map", {fields} "End": true}}}}}}"#
        ))
    };
    let processor =
        r#""ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}},"#;
    assert_eq!(map(processor), Vec::<String>::new());
    assert_eq!(map(""), vec!["/States/M"]);
    assert_eq!(
        map(&format!(
            r#"{processor} "MaxConcurrency": -1, "ToleratedFailurePercentage": 101, "ItemsPath": "$.a[*]","#
        )),
        vec![
            "/States/M/ItemsPath",
            "/States/M/MaxConcurrency",
            "/States/M/ToleratedFailurePercentage"
        ]
    );
    let old_names = r#""Iterator": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "Parameters": {},"#;
    assert_eq!(
        map(old_names),
        Vec::<String>::new(),
        "ASL still accepts them"
    );
    let rust = |fields: &str| {
        let doc = format!(
            r#"{{"StartAt": "M", "States": {{"M": {{"Type": "Map", {fields} "End": true}}}}}}"#
        );
        let machine: StateMachine = serde_json::from_str(&doc).unwrap();
        validate(&machine, Dialect::Rust)
            .into_iter()
            .map(|p| p.location.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        rust(&format!(r#"{processor} "Parameters": {{}},"#)),
        vec!["/States/M/Parameters"],
        "the macro writes `item_selector`"
    );
    let leaving = pointers(
        r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "Next": "D",
        "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "Next": "D"}}}}, "D": {"Type": "Succeed"}}}"#,
    );
    assert_eq!(leaving, vec!["/States/M/ItemProcessor/States/I/Next"]);
}

#[test]
fn template_paths_and_intrinsic_calls() {
    let pass = |parameters: &str| {
        pointers(&format!(
            r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Pass", "Parameters": {parameters}, "End": true}}}}}}"#
        ))
    };
    assert_eq!(
        pass(
            r#"{"a.$": "$.x", "b.$": "$$.Execution.Id", "c.$": "States.Format('{}', $.x)", "d": {"e.$": "States.UUID()"}}"#
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        pass(r#"{"a.$": "$.x[*]", "b.$": "$..y[?(@.z > 1)]"}"#),
        Vec::<String>::new()
    );
    assert_eq!(
        pass(r#"{"a.$": "$.x[?(@.y >)]", "b.$": "$.x.length()"}"#),
        vec!["/States/P/Parameters/a.$", "/States/P/Parameters/b.$"]
    );
    assert_eq!(
        pass(r#"{"n": {"a.$": "States.MathAdd(1)"}}"#),
        vec!["/States/P/Parameters/n/a.$"]
    );
    assert_eq!(
        pass(r#"{"a.$": "States.Nope()"}"#),
        vec!["/States/P/Parameters/a.$"]
    );
    assert_eq!(pass(r#"{"a.$": 7}"#), vec!["/States/P/Parameters/a.$"]);
    assert_eq!(pass(r#"{"list": [{"a.$": "$$"}]}"#), Vec::<String>::new());
}

#[test]
fn result_paths_are_reference_paths() {
    let p = pointers(
        r#"{"StartAt": "A", "States": {
        "A": {"Type": "Pass", "ResultPath": "$.a[*]", "Next": "B"},
        "B": {"Type": "Pass", "ResultPath": null, "End": true}}}"#,
    );
    assert_eq!(p, vec!["/States/A/ResultPath"]);
}

#[test]
fn rust_dialect_uses_snake_case_names() {
    assert_eq!(Dialect::Rust.field("MaxDelaySeconds"), "max_delay_seconds");
    let machine: StateMachine =
        serde_json::from_str(r#"{"States": {"A": {"Type": "Succeed"}}}"#).unwrap();
    assert!(validate(&machine, Dialect::Rust)[0]
        .message
        .contains("`start_at`"));
}

/// A template member without `.$` is a literal; in the macro, a literal that is a path is a
/// forgotten `.$` (ASL documents may mean it, and AWS sends it as text).
#[test]
fn a_path_under_a_key_without_dollar_is_a_mistake_in_the_macro_only() {
    let doc = |parameters: &str| {
        let text = format!(
            r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Pass", "Parameters": {parameters}, "End": true}}}}}}"#
        );
        let machine: StateMachine = serde_json::from_str(&text).unwrap();
        let report = |dialect| {
            validate(&machine, dialect)
                .into_iter()
                .map(|p| (p.location.to_string(), p.message))
                .collect::<Vec<_>>()
        };
        (report(Dialect::Rust), report(Dialect::Asl))
    };
    let (rust, asl) =
        doc(r#"{"order": {"id": "$.order_id"}, "note": "$ 5", "ctx": "$$.Execution.Id"}"#);
    assert_eq!(asl, vec![]);
    let at: Vec<&str> = rust.iter().map(|(l, _)| l.as_str()).collect();
    // serde_json's map orders members by key.
    assert_eq!(
        at,
        ["/States/P/Parameters/ctx", "/States/P/Parameters/order/id"]
    );
    assert!(
        rust[1].1.contains(r#"name the member `"id.$"`"#),
        "{}",
        rust[1].1
    );
    // The way the message gives to keep the text passes.
    let (rust, _) = doc(r#"{"id.$": "States.Format('$.order_id')"}"#);
    assert_eq!(rust, vec![]);
}

// Issue 13: a `ResultPath` of 100,000 steps validated, and the value it built was too deep to
// drop. At most `MAX_RESULT_PATH_STEPS` steps are allowed.
#[test]
fn a_result_path_takes_at_most_a_thousand_steps() {
    let doc = |steps: usize| {
        format!(
            r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Pass", "ResultPath": "${}", "End": true}}}}}}"#,
            ".a".repeat(steps)
        )
    };
    assert_eq!(problems(&doc(paths::MAX_RESULT_PATH_STEPS)), vec![]);
    let too_many = problems(&doc(paths::MAX_RESULT_PATH_STEPS + 1));
    assert_eq!(too_many.len(), 1);
    assert_eq!(too_many[0].0, "/States/P/ResultPath");
    assert!(too_many[0].1.contains("1001 steps"), "{}", too_many[0].1);
}

// Names are looked up by an index past a few states: a `Next` to each of 40 states (and a
// duplicate name, which the first of its states answers) resolves as a scan would.
#[test]
fn many_states_are_looked_up_by_name() {
    let mut states: Vec<String> = (0..40)
        .map(|i| format!(r#""S{i}": {{"Type": "Pass", "Next": "S{}"}}"#, i + 1))
        .collect();
    states.push(r#""S40": {"Type": "Succeed"}"#.to_owned());
    let doc = format!(r#"{{"StartAt": "S0", "States": {{{}}}}}"#, states.join(","));
    assert_eq!(problems(&doc), vec![]);
    let machine: StateMachine = serde_json::from_str(&doc).unwrap();
    assert_eq!(machine.states.position("S27"), Some(27));
    assert_eq!(machine.states.position("S41"), None);
    let mut twice = StateMachine::default();
    for i in 0..20 {
        twice
            .states
            .push(format!("S{}", i % 19), crate::document::State::default());
    }
    assert_eq!(
        twice.states.position("S0"),
        Some(0),
        "the first of its name"
    );
}

// The AWS developer guide, "Map state in Distributed mode" and its "ItemReader",
// "ItemBatcher" and "ResultWriter" pages: the Distributed Map's fields need a Distributed
// item processor, a reader and a writer name their resource, a reader's input type and CSV
// header location are among AWS's, a batcher is bounded, a label is short and plain, and
// at most 10,000 children run at once.
#[test]
fn distributed_map_rules() {
    let map = |fields: &str, mode: &str| {
        pointers(&format!(
            r#"{{"StartAt": "M", "States": {{"M": {{"Type": "Map", "End": true, {fields}
            "ItemProcessor": {{"ProcessorConfig": {{"Mode": "{mode}", "ExecutionType": "STANDARD"}},
                "StartAt": "P", "States": {{"P": {{"Type": "Pass", "End": true}}}}}}}}}}}}"#
        ))
    };
    let reader = r#""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV"}},"#;
    assert!(
        map(reader, "DISTRIBUTED").is_empty(),
        "{:?}",
        map(reader, "DISTRIBUTED")
    );
    assert_eq!(map(reader, "INLINE"), ["/States/M/ItemReader"]);
    assert_eq!(
        map(
            r#""ItemReader": {"ReaderConfig": {"InputType": "XML", "CSVHeaderLocation": "GIVEN"}},"#,
            "DISTRIBUTED"
        ),
        [
            "/States/M/ItemReader",
            "/States/M/ItemReader/ReaderConfig/InputType",
            "/States/M/ItemReader/ReaderConfig/CSVHeaderLocation"
        ]
    );
    assert_eq!(
        map(r#""ItemBatcher": {"BatchInput": {}},"#, "DISTRIBUTED"),
        ["/States/M/ItemBatcher"]
    );
    assert_eq!(
        map(
            r#""ItemBatcher": {"MaxItemsPerBatch": 0, "MaxInputBytesPerBatch": 300000},"#,
            "DISTRIBUTED"
        ),
        [
            "/States/M/ItemBatcher/MaxItemsPerBatch",
            "/States/M/ItemBatcher/MaxInputBytesPerBatch"
        ]
    );
    assert_eq!(
        map(
            r#""Label": "not ok", "MaxConcurrency": 10001,"#,
            "DISTRIBUTED"
        ),
        ["/States/M/Label", "/States/M/MaxConcurrency"]
    );
    assert_eq!(
        map(r#""ResultWriter": {},"#, "DISTRIBUTED"),
        ["/States/M/ResultWriter"]
    );
}

// AWS refuses a service integration's Task without the parameters its API requires (the
// Lambda API reference's `Invoke` requires `FunctionName`; DynamoDB's `PutItem` requires
// `TableName` and `Item`); either spelling, `Name` or `Name.$`, gives it.
#[test]
fn an_integration_needs_its_required_parameters() {
    let p = problems(
        r#"{"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "B"},
            "B": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                  "Parameters": {"TableName.$": "$.table"}, "Next": "C"},
            "C": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                  "Parameters": {"FunctionName.$": "$.f"}, "End": true}}}"#,
    );
    assert_eq!(p.len(), 2, "{p:?}");
    assert_eq!(p[0].0, "/States/A/Resource");
    assert!(p[0].1.contains("`FunctionName`"), "{}", p[0].1);
    assert_eq!(p[1].0, "/States/B/Parameters");
    assert!(
        p[1].1
            .starts_with("a Task on `dynamodb:putItem` needs `Item`"),
        "{}",
        p[1].1
    );
    // A JSONata Task's `Arguments` written as one expression names its members only when it
    // runs; AWS accepted (and ran) this definition (LocalStack's snapshot of AWS,
    // `test_undefined_reference[BASE_UNDEFINED_ARGUMENTS]`). Written as an object, the
    // member is still required.
    let p = problems(
        r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Arguments": "{% $doesNotExist %}", "Next": "B"},
            "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Arguments": {"Payload": "{% $states.input %}"}, "End": true}}}"#,
    );
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, "/States/B/Arguments");
}

// The developer guide, "Transforming data with JSONata": under a JSONata definition no state
// is JSONPath; a JSONata state has none of JSONPath's fields, a JSONPath state none of
// JSONata's; a numeric field takes an expression only in a JSONata state.
#[test]
fn query_languages_mix_as_aws_allows() {
    let doc = r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "QueryLanguage": "JSONPath", "Next": "B"},
        "B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
              "Parameters": {"a": 1}, "ResultPath": "$.r", "TimeoutSeconds": "{% $t %}",
              "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.e", "Next": "C"}],
              "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "A"}],
              "Default": "A"}}}"#;
    assert_eq!(
        pointers(doc),
        [
            "/States/A/QueryLanguage",
            "/States/B/Parameters",
            "/States/B/ResultPath",
            "/States/B/Catch/0/ResultPath",
            "/States/C/Choices/0",
            "/States/C/Choices/0",
        ]
    );
    let doc = r#"{"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
              "Arguments": {"a": 1}, "Output": "{% 1 %}", "TimeoutSeconds": "{% $t %}",
              "Catch": [{"ErrorEquals": ["States.ALL"], "Output": {}, "Next": "B"}],
              "End": true},
        "B": {"Type": "Choice", "Choices": [{"Condition": "{% true %}", "Next": "A"}]}}}"#;
    let found = problems(doc);
    let at: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        at,
        [
            "/States/A/Arguments",
            "/States/A/Output",
            "/States/A/TimeoutSeconds",
            "/States/A/Catch/0/Output",
            "/States/B/Choices/0/Condition",
        ]
    );
    assert_eq!(
        found[0].1,
        "`Arguments` is a JSONata field, and state `A` is JSONPath: write `Parameters`"
    );
}

// "Passing data between states with variables": a variable's name is letters, digits and
// `_`, not starting with a digit, at most 80 characters; `$states` is reserved. An
// expression is written `{% ... %}`.
#[test]
fn variable_names_and_expressions_are_checked() {
    let long = "v".repeat(81);
    let doc = format!(
        r#"{{"QueryLanguage": "JSONata", "StartAt": "A", "States": {{
        "A": {{"Type": "Pass", "Assign": {{"ok_1": 1, "1st": 1, "states": 1, "a-b": 1, "{long}": 1,
              "open": "{{% $x"}}, "Output": {{"deep": ["{{% 1"]}}, "End": true}}}}}}"#
    );
    assert_eq!(
        pointers(&doc),
        [
            "/States/A/Output/deep/0",
            // The model keeps an object's members in key order.
            "/States/A/Assign/1st",
            "/States/A/Assign/a-b",
            "/States/A/Assign/open",
            "/States/A/Assign/states",
            &format!("/States/A/Assign/{long}"),
        ]
    );
    // In JSONPath, a `.$` name is the variable's name with a path for its value.
    let doc = r#"{"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"x.$": "$.a", "y.$": 3}, "InputPath": "$x.b", "End": true}}}"#;
    assert_eq!(pointers(doc), ["/States/A/Assign/y.$"]);
}

// A quorum is this crate's extension, exported as JSONPath states: not in a JSONata
// definition.
#[test]
fn a_quorum_needs_a_jsonpath_definition() {
    let doc = r#"{"QueryLanguage": "JSONata", "StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Quorum": {"Count": 1}, "End": true, "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}]}}}"#;
    assert_eq!(pointers(doc), ["/States/P/Quorum"]);
}
