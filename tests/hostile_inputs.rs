//! Property tests over hostile inputs (issue 13): JSONPath and reference paths, intrinsic
//! calls, JSON values, whole definitions run by the interpreter, and mock files, each made up
//! at random from the pieces that break parsers (brackets, quotes, escapes, huge numbers,
//! nesting). Whatever they are, reading and running them ends, without a panic, with an
//! answer or an error; and where two ways of computing the same thing exist, they agree.
//!
//! `cargo test` runs 256 cases of each property (proptest's default). A longer search:
//!
//! ```text
//! PROPTEST_CASES=20000 cargo test --release --test hostile_inputs
//! ```
//!
//! A failure is shrunk to a small case and saved under `tests/hostile_inputs.proptest-regressions`,
//! which is replayed first on every later run; a crash found this way also gets a named test
//! in `tests/limits.rs` or beside the code it concerns.

use std::time::Duration;

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use sfn_workflow::asl::{intrinsic, JsonPath, PathStep, ReferencePath, StateMachine};
use sfn_workflow::context::ContextObject;
use sfn_workflow::interpret::Interpreter;
use sfn_workflow::limits::measure;
use sfn_workflow::mock::MockConfig;
use sfn_workflow::{Error, Execution, Limits};

/// Text made of the characters that matter to paths and calls, and a few that do not.
fn tricky_text(max: usize) -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "$",
        "$$",
        ".",
        "..",
        "[",
        "]",
        "[?(",
        ")]",
        "(",
        ")",
        "@",
        "'",
        "\"",
        "\\",
        "*",
        ",",
        ":",
        "0",
        "1",
        "-1",
        "99999999999999999999",
        "a",
        "b",
        "é",
        " ",
        "==",
        "<",
        ">=",
        "!",
        "&&",
        "||",
        "{}",
        "States.Format",
        "States.ArrayRange",
        "'{}'",
        "true",
        "null",
        "1e308",
    ]);
    prop::collection::vec(pieces, 0..max).prop_map(|pieces| pieces.concat())
}

/// A JSON value of a few levels, with the numbers and strings that trip parsers.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinities", |f| f.is_finite())
            .prop_map(Value::from),
        tricky_text(6).prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((name(), inner), 0..5)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// An object member's name: short, and sometimes one that needs brackets and escapes.
fn name() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["a", "b", "items", "x y", "it's", "a]b", "é", "", "0"])
        .prop_map(str::to_owned)
}

/// A reference path's steps.
fn steps() -> impl Strategy<Value = Vec<PathStep>> {
    prop::collection::vec(
        prop_oneof![
            name().prop_map(PathStep::Field),
            (0usize..4).prop_map(PathStep::Index),
        ],
        0..5,
    )
}

/// `steps` written as a reference path, each field in dot or bracket form as it allows.
fn written(steps: &[PathStep], dots: &[bool]) -> String {
    let mut text = String::from("$");
    for (i, step) in steps.iter().enumerate() {
        match step {
            PathStep::Index(n) => text.push_str(&format!("[{n}]")),
            PathStep::Field(f)
                if dots.get(i).copied().unwrap_or(true)
                    && !f.is_empty()
                    && f.chars().all(|c| c.is_alphanumeric() || c == '_') =>
            {
                text.push('.');
                text.push_str(f);
            }
            PathStep::Field(f) => {
                text.push_str("['");
                text.push_str(&f.replace('\\', "\\\\").replace('\'', "\\'"));
                text.push_str("']");
            }
        }
    }
    text
}

/// An intrinsic call: an ASL function (or a near miss) on arguments of every kind, nested a
/// few levels.
fn call() -> impl Strategy<Value = String> {
    // Every function ASL defines, and one it does not.
    let mut functions = intrinsic::FUNCTIONS.to_vec();
    functions.push("States.Nope");
    let function = prop::sample::select(functions);
    let argument = prop_oneof![
        Just("'{} and {}'".to_owned()),
        Just("'a,b,,c'".to_owned()),
        Just("','".to_owned()),
        Just("'SHA-256'".to_owned()),
        Just("'eyJhIjoxfQ=='".to_owned()),
        Just("'{\"a\": [1, 2]}'".to_owned()),
        Just("'it\\'s \\{\\}'".to_owned()),
        Just("$".to_owned()),
        Just("$.items".to_owned()),
        Just("$.n".to_owned()),
        Just("$.s".to_owned()),
        Just("$$.Execution.Input".to_owned()),
        Just("$.missing".to_owned()),
        (-3i64..1_000).prop_map(|n| n.to_string()),
        Just("9223372036854775807".to_owned()),
        Just("18446744073709551615".to_owned()),
        Just("-1e300".to_owned()),
        Just("0.5".to_owned()),
        Just("true".to_owned()),
        Just("null".to_owned()),
        tricky_text(3),
    ];
    let leaf = (
        function.clone(),
        prop::collection::vec(argument.clone(), 0..4),
    )
        .prop_map(|(f, args)| format!("{f}({})", args.join(", ")));
    leaf.prop_recursive(3, 12, 3, move |inner| {
        (
            function.clone(),
            prop::collection::vec(prop_oneof![argument.clone(), inner], 0..4),
        )
            .prop_map(|(f, args)| format!("{f}({})", args.join(", ")))
    })
}

/// A definition of a few states of every type, with fields taken at random from valid and
/// invalid values, and targets that may name nothing. Most are invalid; the valid ones run.
fn definition() -> impl Strategy<Value = String> {
    (1usize..5).prop_flat_map(definition_of)
}

/// [`definition`] with `n` top-level states, whose targets are mostly among them.
fn definition_of(n: usize) -> impl Strategy<Value = String> {
    let names = ["A", "B", "C", "D"];
    let target = prop_oneof![
        8 => (0..n).prop_map(move |i| names[i]),
        1 => Just("Nowhere"),
    ];
    let path = prop::sample::select(vec![
        "$",
        "$.a",
        "$.items",
        "$.items[0]",
        "$.a.b",
        "$$.Execution.Input",
        "$..a",
        "$.items[?(@.a > 1)]",
        "$.items[-1:]",
        "$['a']",
    ]);
    let state = (
        prop::sample::select(vec!["Pass", "Choice", "Wait", "Succeed", "Fail", "Task", "Parallel", "Map"]),
        target.clone(),
        prop::option::of(path.clone()),
        prop::option::of(path.clone()),
        prop::option::of(call()),
        prop::bool::weighted(0.2),
        0u64..3,
    )
        .prop_map(move |(kind, next, input_path, result_path, intrinsic, end, seconds)| {
            let mut s = Map::new();
            s.insert("Type".into(), json!(kind));
            let ends = matches!(kind, "Succeed" | "Fail") || (end && kind != "Choice");
            if !ends && kind != "Choice" {
                s.insert("Next".into(), json!(next));
            } else if end && !matches!(kind, "Succeed" | "Fail" | "Choice") {
                s.insert("End".into(), json!(true));
            }
            if let (Some(p), false) = (input_path, kind == "Fail") {
                s.insert("InputPath".into(), json!(p));
            }
            if let (Some(p), "Pass" | "Task" | "Parallel" | "Map") = (result_path, kind) {
                s.insert("ResultPath".into(), json!(p));
            }
            if let (Some(call), "Pass" | "Task" | "Map") = (intrinsic, kind) {
                let field = if kind == "Map" { "ItemSelector" } else { "Parameters" };
                s.insert(field.into(), json!({"v.$": call, "k": 1}));
            }
            match kind {
                "Choice" => {
                    s.insert("Choices".into(), json!([
                        {"Variable": "$.n", "NumericGreaterThan": 1, "Next": next},
                        {"Not": {"Variable": "$.s", "StringMatches": "a*"}, "Next": "A"},
                        {"Variable": "$.n", "IsPresent": true, "Next": next},
                    ]));
                    s.insert("Default".into(), json!("A"));
                }
                "Wait" => {
                    s.insert("Seconds".into(), json!(seconds));
                }
                "Fail" => {
                    s.insert("Error".into(), json!("Failed"));
                }
                "Task" => {
                    s.insert("Resource".into(), json!(if seconds == 0 { "arn:fail" } else { "arn:echo" }));
                    s.insert("Retry".into(), json!([{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}]));
                    s.insert("Catch".into(), json!([{"ErrorEquals": ["States.ALL"], "Next": next}]));
                }
                "Parallel" => {
                    s.insert("Branches".into(), json!([{"StartAt": "INNER", "States": {"INNER": {"Type": "Pass", "End": true}}}]));
                }
                "Map" => {
                    s.insert("ItemsPath".into(), json!("$.items"));
                    s.insert("ItemProcessor".into(), json!({"StartAt": "INNER", "States": {"INNER": {"Type": "Pass", "End": true}}}));
                }
                _ => {}
            }
            Value::Object(s)
        });
    prop::collection::vec(state, n).prop_map(move |states| {
        // Names are unique across the document: each branch's or processor's state is
        // named after its owner.
        let states: Map<String, Value> = states
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let text = s.to_string().replace("INNER", &format!("Inner{i}"));
                (names[i].to_owned(), serde_json::from_str(&text).unwrap())
            })
            .collect();
        json!({"StartAt": "A", "States": states}).to_string()
    })
}

/// Runs `future` on a paused clock, as `asl run` does.
fn on_paused_clock<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap()
        .block_on(future)
}

proptest! {
    // Any text: parsing it as a path ends without a panic; a reference path is also a
    // JSONPath and selects the same node either way.
    #[test]
    fn any_text_parses_or_is_refused_as_a_path(text in tricky_text(20), value in value()) {
        let as_path = JsonPath::parse(&text);
        if let Ok(path) = &as_path {
            let _ = path.select(&value);
        }
        if let Ok(reference) = ReferencePath::parse(&text) {
            let path = as_path.expect("a reference path is a JSONPath");
            prop_assert_eq!(path.select(&value), reference.get(&value).cloned());
        }
    }

    // A reference path written from its steps reads back as those steps, and a value
    // written at it (where it can be) is read back from it.
    #[test]
    fn a_reference_path_writes_where_it_reads(
        steps in steps(),
        dots in prop::collection::vec(any::<bool>(), 5),
        target in value(),
        new in value(),
    ) {
        let text = written(&steps, &dots);
        let path = ReferencePath::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(path.steps(), &steps[..], "{}", text);
        let mut target = target;
        if path.set(&mut target, new.clone()).is_ok() {
            prop_assert_eq!(path.get(&target), Some(&new), "{}", text);
        }
    }

    // Any call text: it parses or is refused; a parsed call that passes the definition rules
    // evaluates on any input to a value or an ASL error, never a panic.
    #[test]
    fn any_intrinsic_call_evaluates_or_fails_cleanly(text in call(), input in value()) {
        let input = json!({"items": [input.clone(), 1, "a"], "n": input, "s": "a,b"});
        let Ok(parsed) = intrinsic::parse(&text) else { return Ok(()) };
        if intrinsic::check(&parsed).is_err() {
            return Ok(());
        }
        let context = || json!({"Execution": {"Input": input.clone()}});
        match sfn_workflow::intrinsic::evaluate(&parsed, &input, &context) {
            Ok(_) => {}
            Err(e) => prop_assert!(
                e.name().starts_with("States."),
                "{}: {}", text, e
            ),
        }
    }

    // The payload quota's measure is the length of the value's compact JSON, as AWS
    // measures it.
    #[test]
    fn the_measure_of_a_value_is_its_compact_json_length(value in value()) {
        let text = serde_json::to_string(&value).unwrap();
        prop_assert_eq!(measure(&value, usize::MAX, usize::MAX).bytes, text.len());
    }

    // `States.ArrayUnique` (linear, by hash) keeps what a scan keeps: each item's first
    // appearance, in order.
    #[test]
    fn array_unique_keeps_what_a_scan_keeps(items in prop::collection::vec(value(), 0..30)) {
        let mut twice = items.clone();
        twice.extend(items.iter().cloned());
        let mut scanned: Vec<Value> = Vec::new();
        for item in &twice {
            if !scanned.contains(item) {
                scanned.push(item.clone());
            }
        }
        let call = intrinsic::parse("States.ArrayUnique($)").unwrap();
        let unique = sfn_workflow::intrinsic::evaluate(&call, &Value::Array(twice), &|| Value::Null);
        prop_assert_eq!(unique, Ok(Value::Array(scanned)));
    }

    // What a state's `$$` paths read is what the whole context object holds, whichever path.
    #[test]
    fn the_context_object_answers_each_path_as_the_whole_object(
        steps in steps(),
        head in prop::sample::select(vec!["Execution", "Execution.Input", "Map.Item", "Map.Item.Value", "State", "StateMachine", "Map"]),
        input in value(),
        item in value(),
        index in 0usize..5,
    ) {
        let execution = Execution::new("Props", &input);
        let context = execution
            .context_at("S", std::time::SystemTime::UNIX_EPOCH, 1)
            .with_item(index, &item);
        let text = format!("$${}", &written(&steps, &[])[1..]).replacen("$$", &format!("$$.{head}"), 1);
        let Ok(path) = JsonPath::parse(&text) else { return Ok(()) };
        prop_assert_eq!(context.select(&path), path.select(&context.object()), "{}", text);
    }

    // Any definition made of these pieces is read and checked without a panic; one that
    // passes the rules runs to an output or an ASL error, within its history quota, on any
    // input.
    #[test]
    fn any_definition_validates_and_runs_to_an_end(text in definition(), input in value()) {
        let Ok(machine) = StateMachine::from_json(&text) else { return Ok(()) };
        // About a quarter of these pass the rules (the rest exercise the rules).
        let Ok(mut interpreter) = Interpreter::new("Props", machine) else { return Ok(()) };
        interpreter
            .handle_resource("arn:echo", |v: Value| async move { Ok::<_, Error>(v) })
            .handle_resource("arn:fail", |_: Value| async {
                Err::<Value, _>(Error::new("Boom", "it failed"))
            })
            .limits(Limits::AWS.history_events(2_000));
        let input = json!({"items": [{"a": 2}, input.clone()], "a": {"b": input}, "n": 2, "s": "ab"});
        let outcome = on_paused_clock(async {
            tokio::time::timeout(Duration::from_secs(365 * 24 * 3600), interpreter.run(input)).await
        });
        let Ok(outcome) = outcome else {
            return Err(TestCaseError::fail(format!("ran for a virtual year: {text}")));
        };
        if let Err(e) = outcome {
            prop_assert!(!e.name().is_empty(), "{}", text);
        }
    }

    // Any mock file made of these pieces is read or refused with a message, and one that
    // reads runs its test case to an end.
    #[test]
    fn any_mock_file_reads_or_is_refused_and_runs(
        attempts in prop::collection::vec(
            (
                prop::sample::select(vec!["0", "1", "2", "1-2", "0-1", "2-1", "3-", "x", "", "-1", "18446744073709551616"]),
                prop::sample::select(vec![
                    json!({"Return": {"ok": 1}}),
                    json!({"Throw": {"Error": "E", "Cause": "c"}}),
                    json!({"Return": 1, "Throw": {"Error": "E"}}),
                    json!({}),
                    json!(null),
                ]),
            ),
            0..4,
        ),
        state in prop::sample::select(vec!["T", "Missing"]),
    ) {
        let responses: Map<String, Value> = attempts.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let file = json!({
            "StateMachines": {"Props": {"TestCases": {"Case": {state: "R"}}}},
            "MockedResponses": {"R": responses},
        })
        .to_string();
        let Ok(mocks) = MockConfig::from_json(&file) else { return Ok(()) };
        let definition = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:t", "End": true,
            "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}]}}}"#;
        let mut interpreter = Interpreter::from_json("Props", definition).unwrap();
        if mocks.apply(&mut interpreter, "Props", "Case").is_err() {
            return Ok(());
        }
        let _ = on_paused_clock(interpreter.run(json!({})));
    }
}
