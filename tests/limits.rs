//! AWS's quotas on an execution (issue 13): each ends a run that would otherwise grow without
//! bound, with AWS's error, in generated and interpreted runs alike; and each can be raised
//! for a local run. Where an expected value comes from is said at each test.

use serde_json::{json, Value};
use sfn_workflow::interpret::Interpreter;
use sfn_workflow::{Error, Limits};

/// The cause AWS gives when an execution reaches its history quota (recorded AWS history:
/// the 25,000th event is `ExecutionFailed` with `States.Runtime` and this cause).
fn history_cause(quota: u32) -> String {
    format!("The execution reached the maximum number of history events ({quota}).")
}

const LOOP: &str = r#"{"StartAt": "P", "TimeoutSeconds": 1, "States": {
    "P": {"Type": "Pass", "Next": "C"},
    "C": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "E"}], "Default": "P"},
    "E": {"Type": "Succeed"}}}"#;

sfn_workflow::workflow! {
    Spin {
        start_at: P,
        states: {
            P: Pass { next: C },
            C: Choice { choices: [{ variable: "$.stop", is_present: true, next: E }], default: P },
            E: Succeed {},
        }
    }
}

// Issue 13's reproducer: a Pass and a Choice looping forever. AWS ends it at 25,000 events
// with `States.Runtime` (AWS's "Avoid reaching the history quota", and its recorded history).
#[tokio::test(start_paused = true)]
async fn an_endless_loop_ends_at_the_history_quota() {
    let interpreted = Interpreter::from_json("Spin", LOOP)
        .unwrap()
        .run(json!({}))
        .await
        .unwrap_err();
    let generated = Spin.run(json!({})).await.unwrap_err();
    for e in [interpreted, generated] {
        assert_eq!(e.name(), "States.Runtime");
        assert_eq!(e.cause(), history_cause(25_000));
        assert!(e.ends_execution());
    }
}

// Counting as AWS counts: `ExecutionStarted`, then each Pass's `PassStateEntered` and
// `PassStateExited`, the Succeed's two, and `ExecutionSucceeded`: 8 events for two Passes
// and a Succeed. The quota-th event may be `ExecutionSucceeded` and no other ("Avoid
// reaching the history quota"): under a quota of 8 the run succeeds, under 7 it fails.
#[tokio::test]
async fn the_last_event_allowed_is_the_execution_succeeding() {
    let definition = r#"{"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "S"},
        "S": {"Type": "Succeed"}}}"#;
    let mut interpreter = Interpreter::from_json("Count", definition).unwrap();
    interpreter.limits(Limits::AWS.history_events(8));
    assert_eq!(interpreter.run(json!(1)).await, Ok(json!(1)));
    interpreter.limits(Limits::AWS.history_events(7));
    let e = interpreter.run(json!(1)).await.unwrap_err();
    assert_eq!(e.cause(), history_cause(7));
    assert_eq!(
        e.state(),
        Some("S"),
        "the Succeed state's exit was the 7th event"
    );
}

// A Task records `TaskStateEntered`, `TaskScheduled`, `TaskStarted`, `TaskSucceeded` and
// `TaskStateExited` (the AWS API reference's `HistoryEvent` types, in the order the
// developer guide's example histories show): 1 + 5 + 1 = 7 for a one-Task workflow, with the
// same count for a generated run (a plain Task) and an interpreted one.
#[tokio::test]
async fn a_task_records_five_events() {
    async fn double(n: u64) -> Result<u64, Error> {
        Ok(n * 2)
    }
    sfn_workflow::workflow! {
        Double {
            start_at: D,
            states: { D: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:double", handler: double, end: true } }
        }
    }
    for quota in [7, 6] {
        let limits = Limits::AWS.history_events(quota);
        let generated = Double.run_json_with_limits(json!(2), limits).await;
        let mut interpreter = Double.interpreter();
        interpreter.limits(limits);
        let interpreted = interpreter.run(json!(2)).await;
        assert_eq!(generated, interpreted, "quota {quota}");
        match quota {
            7 => assert_eq!(generated, Ok(json!(4))),
            _ => assert_eq!(generated.unwrap_err().cause(), history_cause(6)),
        }
    }
}

// Nothing catches the history quota: not `States.ALL`, not even a catcher naming
// `States.Runtime` (AWS ends the execution there: "Avoid reaching the history quota").
#[tokio::test(start_paused = true)]
async fn no_catcher_catches_the_history_quota() {
    let definition = r#"{"StartAt": "Work", "States": {
        "Work": {"Type": "Task", "Resource": "arn:work", "Next": "Work",
                 "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}],
                 "Catch": [{"ErrorEquals": ["States.Runtime"], "Next": "Caught"},
                           {"ErrorEquals": ["States.ALL"], "Next": "Caught"}]},
        "Caught": {"Type": "Succeed"}}}"#;
    let mut interpreter = Interpreter::from_json("Loop", definition).unwrap();
    interpreter.handle_resource("arn:work", |v: Value| async move { Ok::<_, Error>(v) });
    let e = interpreter.run(json!({})).await.unwrap_err();
    assert_eq!(e.cause(), history_cause(25_000));
}

// A Map's iterations count toward the history too: `MapIterationStarted` and
// `MapIterationSucceeded` per item, and each item's states' events. 10,000 items of one
// Pass each are 40,000 events and more, past the quota.
#[tokio::test]
async fn a_map_s_iterations_count_toward_the_history() {
    let definition = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}"#;
    let items: Vec<u32> = (0..10_000).collect();
    let mut interpreter = Interpreter::from_json("Map", definition).unwrap();
    let e = interpreter.run(json!(items)).await.unwrap_err();
    assert_eq!(e.cause(), history_cause(25_000));
    interpreter.limits(Limits::AWS.history_events(50_000));
    let output = interpreter.run(json!(items)).await.unwrap();
    assert_eq!(output, json!(items));
}

fn over_256_kib() -> Value {
    json!({ "s": "x".repeat(256 * 1024) })
}

// AWS's quota on an execution's input: 256 KiB (the developer guide's "Service quotas").
#[tokio::test]
async fn an_execution_input_past_256_kib_is_refused_unless_the_limit_is_raised() {
    let mut interpreter = Interpreter::from_json(
        "I",
        r#"{"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}"#,
    )
    .unwrap();
    let e = interpreter.run(over_256_kib()).await.unwrap_err();
    assert_eq!(e.name(), "States.DataLimitExceeded");
    assert!(e.cause().contains("the execution input"), "{e}");
    let generated = Spin.run(over_256_kib()).await.unwrap_err();
    assert_eq!(generated, e);
    interpreter.limits(Limits::AWS.payload_bytes(1 << 20));
    assert_eq!(interpreter.run(over_256_kib()).await, Ok(over_256_kib()));
}

// The developer guide's error names: `States.DataLimitExceeded` for a state's output past the
// payload quota is terminal, and `States.ALL` does not catch it; a catcher naming it does.
// A Task's result past the quota, though, is caught by `States.ALL`: AWS's recorded
// behaviour (issue 13).
#[tokio::test]
async fn data_limit_exceeded_is_caught_by_name_and_on_a_task_result_by_states_all() {
    let with_catcher = |catch_on: &str, inner: &str| {
        format!(
            r#"{{"StartAt": "Par", "States": {{
            "Par": {{"Type": "Parallel", "End": true,
                     "Branches": [{{"StartAt": "In", "States": {{"In": {inner}}}}}],
                     "Catch": [{{"ErrorEquals": ["{catch_on}"], "ResultPath": "$.caught", "Next": "Caught"}}]}},
            "Caught": {{"Type": "Pass", "Parameters": {{"error.$": "$.caught.Error"}}, "End": true}}}}}}"#
        )
    };
    let big_pass = r#"{"Type": "Pass", "Parameters": {"a.$": "States.ArrayRange(1, 1000, 1)", "b.$": "States.Format('{}{}{}{}{}{}{}{}', $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s)"}, "End": true}"#;
    let input = json!({"s": "y".repeat(40 * 1024)});
    let run = |definition: String| {
        let input = input.clone();
        async move {
            let mut interpreter = Interpreter::from_json("D", &definition).unwrap();
            interpreter.handle_resource("arn:big", |_: Value| async {
                Ok::<_, Error>(json!("z".repeat(300 * 1024)))
            });
            interpreter.run(input).await
        }
    };
    let caught = json!({"error": "States.DataLimitExceeded"});
    let e = run(with_catcher("States.ALL", big_pass)).await.unwrap_err();
    assert_eq!(e.name(), "States.DataLimitExceeded");
    assert!(e.cause().contains("state `In`"), "{e}");
    assert_eq!(
        run(with_catcher("States.DataLimitExceeded", big_pass)).await,
        Ok(caught.clone())
    );
    let big_task = r#"{"Type": "Task", "Resource": "arn:big", "End": true}"#;
    assert_eq!(
        run(with_catcher("States.ALL", big_task)).await,
        Ok(caught.clone())
    );
}

// Issue 13's reproducer: a Pass looping on `{"a.$": "$", "b.$": "$"}` doubles its data each
// time. It ends at the payload quota, not at the machine's memory.
#[tokio::test]
async fn data_that_doubles_ends_at_the_payload_quota() {
    sfn_workflow::workflow! {
        Doubling {
            start_at: P,
            states: { P: Pass { parameters: { "a.$": "$", "b.$": "$" }, next: P } }
        }
    }
    let e = Doubling.run(json!({"seed": 1})).await.unwrap_err();
    assert_eq!(e.name(), "States.DataLimitExceeded");
    assert!(e.cause().contains("more than 262144 bytes"), "{e}");
}

fn nested(levels: usize) -> Value {
    let mut value = json!(1);
    for _ in 0..levels {
        let mut object = serde_json::Map::new();
        object.insert("a".to_owned(), value);
        value = Value::Object(object);
    }
    value
}

/// The error of a Pass selecting `$..*` in `input`, run on a tokio worker thread (whose stack
/// is 2 MiB).
async fn all_descendants_on_a_worker(input: Value) -> Error {
    let definition = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"all.$": "$..*"}, "End": true}}}"#;
    let interpreter = Interpreter::from_json("Deep", definition).unwrap();
    tokio::spawn(async move { interpreter.run(input).await })
        .await
        .unwrap()
        .unwrap_err()
}

// Issue 13: a 60,000-deep input given through the API crashed `$..*` (and dropping it
// overflows a worker thread's stack). It is refused as too deep, on a worker thread of the
// default (2 MiB) stack, and taken apart without recursion.
#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_deep_input_is_refused_without_overflowing_the_stack() {
    let e = all_descendants_on_a_worker(nested(60_000)).await;
    assert_eq!(e.name(), "States.DataLimitExceeded");
    assert!(e.cause().contains("more than 1000 levels"), "{e}");
}

// A loop nesting its data one level deeper each time (`{"a.$": "$"}`) ends at the depth
// limit, before a value too deep to drop exists.
#[tokio::test]
async fn data_that_nests_deeper_each_time_ends_at_the_depth_limit() {
    let definition = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"a.$": "$"}, "Next": "P"}}}"#;
    let e = Interpreter::from_json("Nest", definition)
        .unwrap()
        .run(json!(1))
        .await
        .unwrap_err();
    assert_eq!(e.name(), "States.DataLimitExceeded");
    assert!(e.cause().contains("nests more than 1000 levels"), "{e}");
}

// The API reference's error details take causes of at most 32,768 characters; a longer one
// is cut there.
#[tokio::test]
async fn a_cause_is_cut_at_32768_characters() {
    let mut interpreter = Interpreter::from_json(
        "C",
        r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:t", "End": true}}}"#,
    )
    .unwrap();
    interpreter.handle_resource("arn:t", |_: Value| async {
        Err::<Value, _>(Error::new("Long", "é".repeat(40_000)))
    });
    let e = interpreter.run(json!({})).await.unwrap_err();
    assert_eq!(e.cause().chars().count(), 32_768);
}

// Issue 13: a Map whose `ItemSelector` reads `$$` made the whole context object, with a copy
// of the execution input, for each item. Each item now costs what its paths select; the
// answer is the same as the whole object's (checked item by item here, and path by path in
// the runtime's unit tests).
#[tokio::test]
async fn a_map_selector_reading_the_context_object_reads_it_per_item() {
    let definition = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
        "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index",
                         "first.$": "$$.Execution.Input.items[0]", "state.$": "$$.State.Name"},
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "End": true}}}"#;
    let items: Vec<u32> = (100..2_100).collect();
    let mut interpreter = Interpreter::from_json("Map", definition).unwrap();
    interpreter.limits(Limits::AWS.history_events(100_000));
    let output = interpreter.run(json!({ "items": items })).await.unwrap();
    let expected: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(i, v)| json!({"v": v, "i": i, "first": 100, "state": "M"}))
        .collect();
    assert_eq!(output, Value::Array(expected));
}

// The deepest input the limits admit (1,000 levels), searched by `$..*` on a worker thread
// of tokio's default stack: the search must not exhaust the stack (issue 13: 60,000 levels
// did), and its answer, every node's copy, is far past the payload quota.
#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_descendant_search_of_the_deepest_admitted_input_ends() {
    let e = all_descendants_on_a_worker(nested(999)).await;
    assert_eq!(e.name(), "States.DataLimitExceeded");
    assert!(e.cause().contains("after its Parameters"), "{e}");
}

// Issue 13's reproducers: a `Wait` of 0 seconds looping on the paused clock (time never
// moves, so no timeout fires) ends at the history quota; and `States.Format('{}{}', $.s,
// $.s)` in a loop, which doubles a string each time, ends at the payload quota.
#[tokio::test(start_paused = true)]
async fn a_zero_wait_loop_and_a_doubling_format_end_at_their_quotas() {
    sfn_workflow::workflow! {
        Idle {
            start_at: W,
            states: { W: Wait { seconds: 0, next: W } }
        }
    }
    let e = Idle.run(json!({})).await.unwrap_err();
    assert_eq!(e.cause(), history_cause(25_000));
    let interpreted = Interpreter::from_json(
        "Idle",
        r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 0, "Next": "W"}}}"#,
    )
    .unwrap()
    .run(json!({}))
    .await
    .unwrap_err();
    assert_eq!(interpreted, e);

    let doubling = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass",
        "Parameters": {"s.$": "States.Format('{}{}', $.s, $.s)"}, "Next": "P"}}}"#;
    let e = Interpreter::from_json("Format", doubling)
        .unwrap()
        .run(json!({"s": "ab"}))
        .await
        .unwrap_err();
    assert_eq!(e.name(), "States.DataLimitExceeded");
}
