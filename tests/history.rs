//! Execution history in AWS's shape (issue 14, part 1): the events, their ids, their
//! `previousEventId` and their details, checked against histories AWS recorded.
//!
//! The recorded histories are those LocalStack keeps as snapshots of runs against AWS (its
//! `tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.snapshot.json` and
//! `error_handling/test_task_lambda.snapshot.json`, recorded in June and July 2023): each
//! test below rebuilds the definition the run used and names the snapshot it follows. Where
//! an event's id was masked in the snapshot (concurrent branches), the test says what it
//! checks instead.

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use sfn_workflow::history::{History, HistoryEvent};
use sfn_workflow::interpret::Interpreter;
use sfn_workflow::{Error, RunOptions};

/// `(id, previousEventId, type)` of every event.
fn chain(history: &History) -> Vec<(u64, u64, &'static str)> {
    history
        .events
        .iter()
        .map(|e| (e.id, e.previous_event_id, e.kind.name()))
        .collect()
}

async fn recorded(definition: &str, input: Value) -> (Result<Value, Error>, History) {
    let interpreter = Interpreter::from_json("History", definition).unwrap();
    interpreter.run_recorded(input).await
}

// AWS's recorded history of `test_map_state`: a Map runs its iterations one after another;
// each `MapIterationStarted` points at the Map's path (the last event of the iteration
// before), its first state at it, its `MapIterationSucceeded` at its last state; the
// `MapStateSucceeded` and the `MapStateExited` both point at the last
// `MapIterationSucceeded`.
#[tokio::test(start_paused = true)]
async fn a_map_records_aws_chain_of_events() {
    let definition = r#"{"StartAt": "StartState", "States": {
        "StartState": {"Type": "Pass", "Result": {"arr": [1, "Hello", {}, null, 3.3, 3, 4, 5]}, "Next": "MapState"},
        "MapState": {"Type": "Map", "ItemsPath": "$.arr", "ResultPath": null,
            "ItemProcessor": {"StartAt": "HandleItem", "States": {"HandleItem": {"Type": "Pass", "End": true}}},
            "Next": "Final"},
        "Final": {"Type": "Pass", "End": true}}}"#;
    let (outcome, history) = recorded(definition, json!({})).await;
    outcome.unwrap();
    let mut expected = vec![
        (1, 0, "ExecutionStarted"),
        (2, 0, "PassStateEntered"),
        (3, 2, "PassStateExited"),
        (4, 3, "MapStateEntered"),
        (5, 4, "MapStateStarted"),
    ];
    // Per item: started (at the path), entered, exited, succeeded (at the exit).
    let mut path = 5;
    for i in 0..8u64 {
        let started = 6 + 4 * i;
        expected.extend([
            (started, path, "MapIterationStarted"),
            (started + 1, started, "PassStateEntered"),
            (started + 2, started + 1, "PassStateExited"),
            (started + 3, started + 2, "MapIterationSucceeded"),
        ]);
        path = started + 2;
    }
    expected.extend([
        (38, 37, "MapStateSucceeded"),
        (39, 37, "MapStateExited"),
        (40, 39, "PassStateEntered"),
        (41, 40, "PassStateExited"),
        (42, 41, "ExecutionSucceeded"),
    ]);
    assert_eq!(chain(&history), expected);
    // The details, as recorded: the Map's length, each iteration's name and index, each
    // state's name and its input and output as JSON text.
    let e = &history.events;
    assert_eq!(e[4].detail("length"), Some(&json!(8)));
    assert_eq!(e[9].state_name(), Some("MapState"));
    assert_eq!(e[9].detail("index"), Some(&json!(1)));
    assert_eq!(e[10].detail_str("input"), Some("\"Hello\""));
    assert_eq!(
        e[10].detail("inputDetails"),
        Some(&json!({"truncated": false}))
    );
    assert_eq!(e[11].detail_str("output"), Some("\"Hello\""));
    assert_eq!(e[0].detail_str("input"), Some("{}"));
    assert_eq!(
        e[41].detail_str("output"),
        Some(r#"{"arr":[1,"Hello",{},null,3.3,3,4,5]}"#)
    );
}

// AWS's recorded history of `test_map_state_break_condition`: a Fail state in an iteration
// ends it with `MapIterationFailed` (at the Fail state's entry); the `MapStateFailed` points
// there too, and the `ExecutionFailed` at it, with the error and cause.
#[tokio::test(start_paused = true)]
async fn a_failing_iteration_fails_the_map() {
    let definition = r#"{"StartAt": "StartState", "States": {
        "StartState": {"Type": "Pass", "Result": {"arr": [1, "Hello", {}, 3.3, 3, 4, 5]}, "Next": "MapState"},
        "MapState": {"Type": "Map", "ItemsPath": "$.arr", "MaxConcurrency": 1,
            "ItemProcessor": {"StartAt": "Equals3", "States": {
                "Equals3": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 3, "Next": "Break"}], "Default": "Pass"},
                "Pass": {"Type": "Pass", "End": true},
                "Break": {"Type": "Fail", "Error": "SomeFailure", "Cause": "This state machines raises a 'SomeFailure' failure."}}},
            "End": true}}}"#;
    let (outcome, history) = recorded(definition, json!({})).await;
    assert_eq!(outcome.unwrap_err().name(), "SomeFailure");
    let tail: Vec<_> = chain(&history).into_iter().skip(29).collect();
    assert_eq!(
        tail,
        vec![
            (30, 28, "MapIterationStarted"),
            (31, 30, "ChoiceStateEntered"),
            (32, 31, "ChoiceStateExited"),
            (33, 32, "FailStateEntered"),
            (34, 33, "MapIterationFailed"),
            (35, 33, "MapStateFailed"),
            (36, 35, "ExecutionFailed"),
        ]
    );
    let failed = &history.events[35];
    assert_eq!(failed.detail_str("error"), Some("SomeFailure"));
    assert_eq!(
        failed.detail_str("cause"),
        Some("This state machines raises a 'SomeFailure' failure.")
    );
}

// AWS's recorded histories of `test_map_state_catch` and `test_map_state_retry`: a caught
// Map exits after its `MapStateFailed`; a retried Map starts again with `MapStateStarted`,
// with no `MapStateFailed` between its attempts.
#[tokio::test(start_paused = true)]
async fn a_map_is_caught_or_retried_as_aws_records_it() {
    // `{final_state}` is left in the text, for the catcher's target.
    let map = |extra: &str| {
        format!(
            r#"{{"StartAt": "StartState", "States": {{
            "StartState": {{"Type": "Pass", "Result": {{"arr": [1]}}, "Next": "MapState"}},
            "MapState": {{"Type": "Map", "ItemsPath": "$.arr", {extra}
                "ItemProcessor": {{"StartAt": "HandleItemFail", "States": {{
                    "HandleItemFail": {{"Type": "Fail", "Error": "HandleItemFailError", "Cause": "HandleItemFailCause"}}}}}},
                "End": true}}{{final_state}}}}}}"#
        )
    };
    let caught = map(r#""Catch": [{"ErrorEquals": ["States.ALL"], "Next": "FinalCaught"}],"#)
        .replace(
            "{final_state}",
            r#", "FinalCaught": {"Type": "Pass", "End": true}"#,
        );
    let (outcome, history) = recorded(&caught, json!({})).await;
    outcome.unwrap();
    assert_eq!(
        chain(&history)[5..],
        [
            (6, 5, "MapIterationStarted"),
            (7, 6, "FailStateEntered"),
            (8, 7, "MapIterationFailed"),
            (9, 7, "MapStateFailed"),
            (10, 9, "MapStateExited"),
            (11, 10, "PassStateEntered"),
            (12, 11, "PassStateExited"),
            (13, 12, "ExecutionSucceeded"),
        ]
    );
    let retried = map(
        r#""Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 2}],"#,
    )
    .replace("{final_state}", "");
    let (outcome, history) = recorded(&retried, json!({})).await;
    assert_eq!(outcome.unwrap_err().name(), "HandleItemFailError");
    assert_eq!(
        chain(&history)[4..],
        [
            (5, 4, "MapStateStarted"),
            (6, 5, "MapIterationStarted"),
            (7, 6, "FailStateEntered"),
            (8, 7, "MapIterationFailed"),
            (9, 7, "MapStateStarted"),
            (10, 9, "MapIterationStarted"),
            (11, 10, "FailStateEntered"),
            (12, 11, "MapIterationFailed"),
            (13, 11, "MapStateStarted"),
            (14, 13, "MapIterationStarted"),
            (15, 14, "FailStateEntered"),
            (16, 15, "MapIterationFailed"),
            (17, 15, "MapStateFailed"),
            (18, 17, "ExecutionFailed"),
        ]
    );
}

// AWS's recorded history of `test_parallel_state`: 20 events; the branches' ids are masked
// in the snapshot (they interleave), and `ParallelStateExited` (19) points at the last
// branch event (17), past `ParallelStateSucceeded` (18). Here each branch's first event
// points at `ParallelStateStarted` and each later one at the one before it in its branch.
#[tokio::test(start_paused = true)]
async fn a_parallel_gives_each_branch_its_own_path() {
    let definition = r#"{"StartAt": "LoadInput", "States": {
        "LoadInput": {"Type": "Pass", "Result": [1, 2, 3, 4], "Next": "ParallelState"},
        "ParallelState": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "Branch1", "States": {"Branch1": {"Type": "Pass", "End": true}}},
            {"StartAt": "Branch21", "States": {"Branch21": {"Type": "Pass", "Next": "Branch22"}, "Branch22": {"Type": "Pass", "End": true}}},
            {"StartAt": "Branch31", "States": {"Branch31": {"Type": "Pass", "Next": "Branch32"}, "Branch32": {"Type": "Pass", "Next": "Branch33"}, "Branch33": {"Type": "Pass", "End": true}}}]}}}"#;
    let (outcome, history) = recorded(definition, json!({})).await;
    assert_eq!(
        outcome.unwrap(),
        json!([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]])
    );
    let events = chain(&history);
    assert_eq!(events.len(), 20);
    assert_eq!(events[4], (5, 4, "ParallelStateStarted"));
    assert_eq!(events[17], (18, 17, "ParallelStateSucceeded"));
    assert_eq!(events[18], (19, 17, "ParallelStateExited"));
    assert_eq!(events[19], (20, 19, "ExecutionSucceeded"));
    // Each branch's events, in order, on a path from `ParallelStateStarted`.
    for branch in [
        &["Branch1"][..],
        &["Branch21", "Branch22"],
        &["Branch31", "Branch32", "Branch33"],
    ] {
        let mut previous = 5;
        for name in branch {
            for event in history.of_state(name) {
                assert_eq!(event.previous_event_id, previous, "{name}");
                previous = event.id;
            }
        }
    }
}

// AWS's recorded histories of `test_raise_exception` and `test_raise_exception_catch`: a
// Task on a plain Lambda ARN records `LambdaFunctionScheduled` (the ARN and the input),
// `LambdaFunctionStarted` and `LambdaFunctionFailed` (error and cause); uncaught, the
// execution fails next; caught, the Task exits with the error output.
#[tokio::test(start_paused = true)]
async fn a_lambda_task_records_lambda_events() {
    let definition = |catch: &str| {
        let handled = if catch.is_empty() {
            ""
        } else {
            r#", "Handled": {"Type": "Pass", "End": true}"#
        };
        format!(
            r#"{{"StartAt": "Start", "States": {{
            "Start": {{"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111111111111:function:raise", {catch} "End": true}}{handled}}}}}"#
        )
    };
    let run = |catch: &'static str| async move {
        let mut interpreter = Interpreter::from_json("History", &definition(catch)).unwrap();
        interpreter.handle_resource(
            "arn:aws:lambda:us-east-1:111111111111:function:raise",
            |_: Value| async {
                Err::<Value, _>(Error::new("Exception", "Some exception was raised."))
            },
        );
        interpreter.run_recorded(json!({"Payload": null})).await
    };
    let (outcome, history) = run("").await;
    assert_eq!(outcome.unwrap_err().name(), "Exception");
    assert_eq!(
        chain(&history),
        vec![
            (1, 0, "ExecutionStarted"),
            (2, 0, "TaskStateEntered"),
            (3, 2, "LambdaFunctionScheduled"),
            (4, 3, "LambdaFunctionStarted"),
            (5, 4, "LambdaFunctionFailed"),
            (6, 5, "ExecutionFailed"),
        ]
    );
    let e = &history.events;
    assert_eq!(
        e[2].detail_str("resource"),
        Some("arn:aws:lambda:us-east-1:111111111111:function:raise")
    );
    assert_eq!(e[2].detail_str("input"), Some(r#"{"Payload":null}"#));
    assert_eq!(e[4].detail_str("error"), Some("Exception"));
    assert_eq!(e[4].detail_str("cause"), Some("Some exception was raised."));
    assert_eq!(e[3].details, None);

    let (outcome, history) =
        run(r#""Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}],"#).await;
    outcome.unwrap();
    assert_eq!(
        chain(&history)[5..],
        [
            (6, 5, "TaskStateExited"),
            (7, 6, "PassStateEntered"),
            (8, 7, "PassStateExited"),
            (9, 8, "ExecutionSucceeded"),
        ]
    );
    // The same JSON as AWS's; its keys in serde_json's order, not AWS's `Error` first.
    let output: Value =
        serde_json::from_str(history.events[5].detail_str("output").unwrap()).unwrap();
    assert_eq!(
        output,
        json!({"Error": "Exception", "Cause": "Some exception was raised."})
    );
}

// AWS's API reference, `TaskScheduledEventDetails` and the other `Task...EventDetails`: a
// service integration's attempt records `resourceType` and `resource` (and the region and
// parameters when scheduled, the output when it succeeded); a retried attempt records its
// own `TaskScheduled`, `TaskStarted` and outcome.
#[tokio::test(start_paused = true)]
async fn a_service_task_records_each_attempt() {
    let definition = r#"{"StartAt": "Call", "States": {"Call": {"Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "double", "Payload": {"n.$": "$.n"}},
        "ResultSelector": {"doubled.$": "$.Payload.doubled"},
        "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1}], "End": true}}}"#;
    let mut interpreter = Interpreter::from_json("History", definition).unwrap();
    let calls = Arc::new(Mutex::new(0));
    let seen = Arc::clone(&calls);
    interpreter
        .handle_state("Call", move |input: Value| {
            let seen = Arc::clone(&seen);
            async move {
                let mut calls = seen.lock().unwrap();
                *calls += 1;
                if *calls == 1 {
                    Err(Error::new("Flaky", "once"))
                } else {
                    Ok(json!({"doubled": input["n"].as_i64().unwrap_or(0) * 2}))
                }
            }
        })
        .unwrap();
    let (outcome, history) = interpreter.run_recorded(json!({"n": 21})).await;
    assert_eq!(outcome.unwrap(), json!({"doubled": 42}));
    assert_eq!(
        history.types(),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskFailed",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded",
        ]
    );
    let scheduled = history.events[2].to_json();
    assert_eq!(
        scheduled["taskScheduledEventDetails"],
        json!({"resourceType": "lambda", "resource": "invoke", "region": "local",
            "parameters": "{\"FunctionName\":\"double\",\"Payload\":{\"n\":21}}"})
    );
    // The result is the `Invoke` response around the function's output
    // (tests/integrations.rs checks its other fields).
    let succeeded = history.events[7].to_json()["taskSucceededEventDetails"].clone();
    assert_eq!(
        (&succeeded["resourceType"], &succeeded["resource"]),
        (&json!("lambda"), &json!("invoke"))
    );
    let output: Value = serde_json::from_str(succeeded["output"].as_str().unwrap()).unwrap();
    assert_eq!(output["Payload"], json!({"doubled": 42}));
    // The retried attempt goes on from the failed one.
    assert_eq!(history.events[5].previous_event_id, 5);
}

// The listener hears every event as it happens, in the order of their ids, and a run that
// keeps no history returns an empty one.
#[tokio::test(start_paused = true)]
async fn a_listener_hears_every_event_in_order() {
    let definition = r#"{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 5, "Next": "B"},
        "B": {"Type": "Succeed"}}}"#;
    let interpreter = Interpreter::from_json("History", definition).unwrap();
    let heard: Arc<Mutex<Vec<HistoryEvent>>> = Arc::default();
    let ear = Arc::clone(&heard);
    let options = RunOptions::new().listener(move |event: &HistoryEvent| {
        ear.lock().unwrap().push(event.clone());
    });
    let (outcome, kept) = interpreter.run_with(json!({}), &options).await;
    outcome.unwrap();
    assert!(kept.events.is_empty());
    let heard = heard.lock().unwrap();
    let ids: Vec<u64> = heard.iter().map(|e| e.id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
    // Timestamps are on tokio's clock: the Wait's exit is 5 virtual seconds after its entry.
    let waited = heard[2]
        .timestamp
        .duration_since(heard[1].timestamp)
        .unwrap();
    assert_eq!(waited.as_secs(), 5);
}

// A failing branch cancels the others (the States Language, "Parallel State": the first
// failure fails the state). The cancelled branch records the state it was in as aborted
// (`WaitStateAborted`, a type of AWS's API reference, `HistoryEvent.type`), pointing at that
// state's entry, before the Parallel records its failure; a cancelled Map iteration records
// its state's abort, then `MapIterationAborted`.
#[tokio::test(start_paused = true)]
async fn a_cancelled_branch_or_iteration_records_its_abort() {
    let parallel = r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 10, "End": true}}},
        {"StartAt": "Breaks", "States": {"Breaks": {"Type": "Fail", "Error": "Broken"}}}]}}}"#;
    let (outcome, history) = recorded(parallel, json!({})).await;
    assert_eq!(outcome.unwrap_err().name(), "Broken");
    assert_eq!(
        chain(&history),
        vec![
            (1, 0, "ExecutionStarted"),
            (2, 0, "ParallelStateEntered"),
            (3, 2, "ParallelStateStarted"),
            (4, 3, "WaitStateEntered"),
            (5, 3, "FailStateEntered"),
            (6, 4, "WaitStateAborted"),
            (7, 5, "ParallelStateFailed"),
            (8, 7, "ExecutionFailed"),
        ]
    );
    assert_eq!(history.events[5].state.as_deref(), Some("Slow"));

    let map = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "Choose", "States": {
            "Choose": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 1, "Next": "Breaks"}], "Default": "Slow"},
            "Slow": {"Type": "Wait", "Seconds": 10, "End": true},
            "Breaks": {"Type": "Fail", "Error": "Broken"}}}}}}"#;
    let (outcome, history) = recorded(map, json!([0, 1])).await;
    assert_eq!(outcome.unwrap_err().name(), "Broken");
    let types = history.types();
    let at = |t: &str| types.iter().position(|x| *x == t).unwrap();
    assert!(
        at("MapIterationFailed") < at("WaitStateAborted"),
        "{types:?}"
    );
    assert!(
        at("WaitStateAborted") < at("MapIterationAborted"),
        "{types:?}"
    );
    assert!(
        at("MapIterationAborted") < at("MapStateFailed"),
        "{types:?}"
    );
    let aborted = &history.events[at("MapIterationAborted")];
    assert_eq!(aborted.detail("index"), Some(&json!(0)));
    assert_eq!(aborted.state_name(), Some("M"));
}

#[path = "../examples/catch.rs"]
#[allow(dead_code)]
mod catch_example;
#[path = "../examples/retry.rs"]
#[allow(dead_code)]
mod retry_example;
#[path = "../examples/parallel.rs"]
#[allow(dead_code)]
mod seed;

// The seed's Parallel workflow, as AWS's recorded `test_parallel_state` has it: each branch's
// Pass chains back to `ParallelStateStarted`; `ParallelStateSucceeded` and
// `ParallelStateExited` both point at the last branch event; the Succeed state follows.
#[tokio::test(start_paused = true)]
async fn the_seed_records_aws_chain() {
    let (outcome, history) = seed::ParallelStateMachine.run_recorded(json!({})).await;
    outcome.unwrap();
    assert_eq!(
        chain(&history),
        vec![
            (1, 0, "ExecutionStarted"),
            (2, 0, "ParallelStateEntered"),
            (3, 2, "ParallelStateStarted"),
            (4, 3, "PassStateEntered"),
            (5, 4, "PassStateExited"),
            (6, 3, "PassStateEntered"),
            (7, 6, "PassStateExited"),
            (8, 3, "PassStateEntered"),
            (9, 8, "PassStateExited"),
            (10, 9, "ParallelStateSucceeded"),
            (11, 9, "ParallelStateExited"),
            (12, 11, "SucceedStateEntered"),
            (13, 12, "SucceedStateExited"),
            (14, 13, "ExecutionSucceeded"),
        ]
    );
}

// The retry example: a Lambda Task retried twice after `GatewayTimeout`. Each attempt
// records `LambdaFunctionScheduled`, `LambdaFunctionStarted` and its outcome, chained one
// after another (AWS's recorded `test_raise_exception` for one attempt; a retry schedules
// again on the same path); the catch example: the caught error's `TaskStateExited` follows
// `LambdaFunctionFailed` (AWS's recorded `test_raise_exception_catch`).
#[tokio::test(start_paused = true)]
async fn the_retry_and_catch_examples_record_aws_chains() {
    let (outcome, history) = retry_example::ChargeWithRetry::new(retry_example::Gateway::default())
        .run_recorded(json!({"order_id": "o-2", "amount_cents": 700}))
        .await;
    outcome.unwrap();
    let mut expected = vec![(1, 0, "ExecutionStarted"), (2, 0, "TaskStateEntered")];
    for (attempt, outcome) in [
        (0, "LambdaFunctionFailed"),
        (1, "LambdaFunctionFailed"),
        (2, "LambdaFunctionSucceeded"),
    ] {
        let first = 3 + 3 * attempt;
        expected.extend([
            (first, first - 1, "LambdaFunctionScheduled"),
            (first + 1, first, "LambdaFunctionStarted"),
            (first + 2, first + 1, outcome),
        ]);
    }
    expected.extend([
        (12, 11, "TaskStateExited"),
        (13, 12, "SucceedStateEntered"),
        (14, 13, "SucceedStateExited"),
        (15, 14, "ExecutionSucceeded"),
    ]);
    assert_eq!(chain(&history), expected);
    assert_eq!(
        history.events[4].detail_str("error"),
        Some("GatewayTimeout")
    );

    let (outcome, history) = catch_example::ChargeOrCatch
        .run_recorded(json!({"order_id": "o-1", "amount_cents": 25_000}))
        .await;
    outcome.unwrap();
    assert_eq!(
        chain(&history)[4..],
        [
            (5, 4, "LambdaFunctionFailed"),
            (6, 5, "TaskStateExited"),
            (7, 6, "PassStateEntered"),
            (8, 7, "PassStateExited"),
            (9, 8, "ExecutionSucceeded"),
        ]
    );
}
