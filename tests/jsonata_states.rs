//! JSONata states (issue 17): the public corpus's JSONata definitions run with their Tasks
//! answered by test doubles, and each JSONata field as the AWS Step Functions developer guide
//! ("Transforming data with JSONata in Step Functions") describes it. Where an expected value
//! is an expression's value, the reference JSONata implementation (the npm package
//! `jsonata`) gives the same; where it is a state's behaviour, the comment names the source.
#![cfg(feature = "jsonata")]

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use sfn_workflow::interpret::Interpreter;
use sfn_workflow::Error;

fn corpus(name: &str) -> String {
    std::fs::read_to_string(format!("tests/data/asl-corpus/{name}.asl.json")).unwrap()
}

/// A handler that records what it was given and answers `answer`.
fn recording(
    seen: &Arc<Mutex<Vec<Value>>>,
    answer: Value,
) -> impl Fn(Value) -> std::future::Ready<Result<Value, Error>> + Clone + Send + Sync + 'static {
    let seen = Arc::clone(seen);
    move |input: Value| {
        seen.lock().unwrap().push(input);
        std::future::ready(Ok(answer.clone()))
    }
}

// The corpus's data-processing child: variables assigned from `$states.input`, an HTTP Task
// whose `Arguments` read them, an `Assign` from `$states.result`, a Map over `Items`, a Pass
// whose `Output` reads the variables, and a Task that hands the output back.
#[tokio::test(start_paused = true)]
async fn the_corpus_data_processing_child_runs_with_test_doubles() {
    let mut interpreter = Interpreter::from_json(
        "DataProcessingChild",
        &corpus("distributed-data-stream-aggregator__data-processing-child"),
    )
    .unwrap();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let page = json!({"ResponseBody": {"count": 2, "results": [
        {"resourceKey": "k1", "errors": [{"message": "bad \"code\""}], "state": "failed"},
        {"resourceKey": "k2", "errors": [{"message": "expired"}], "state": "failed"}
    ]}});
    interpreter
        .handle_state("Get Data", recording(&requests, page))
        .unwrap();
    let handed = Arc::new(Mutex::new(Vec::new()));
    interpreter
        .handle_state("SendTaskSuccess", recording(&handed, json!({})))
        .unwrap();
    let input = json!({"locationId": "L1", "dataType": "failed", "limit": 400, "offset": "0",
        "childTaskToken": "token-1"});
    assert_eq!(interpreter.run(input).await.unwrap(), json!({}));
    // `Arguments`: `'api_endpoint' & $locationId & '/get-data'` joins strings; the other
    // members are the variables the first state assigned.
    assert_eq!(
        requests.lock().unwrap()[0],
        json!({"ApiEndpoint": "api_endpointL1/get-data", "Method": "GET",
            "InvocationConfig": {"ConnectionArn": "ConnectionArn"},
            "QueryParameters": {"state": "failed", "limit": 400, "offset": "0"}})
    );
    // The Map's `Output` per row (`$replace(..., '"', '')` drops the quotes), then the
    // variables `resultCount` (2) and `nextOffset` (`2 + $number("0")`).
    assert_eq!(
        handed.lock().unwrap()[0],
        json!({"Output": {"csvContent": [
                {"discount_code": "k1", "error_message": "bad code", "status": "failed"},
                {"discount_code": "k2", "error_message": "expired", "status": "failed"}],
              "resultCount": 2, "offset": 2},
            "TaskToken": "token-1"})
    );
}

// The corpus's data-extraction child reads `$states.context.Task.Token` in a Task that does
// not wait for a callback; the developer guide's context object has `Task.Token` only for
// `.waitForTaskToken` Tasks, so the expression gives nothing and the state fails with
// `States.QueryEvaluationError`, after the variables and the Map's first iteration ran.
#[tokio::test(start_paused = true)]
async fn the_corpus_data_extraction_child_runs_until_its_missing_task_token() {
    let mut interpreter = Interpreter::from_json(
        "DataExtractionChild",
        &corpus("distributed-data-stream-aggregator__data-extraction-child"),
    )
    .unwrap();
    let started = Arc::new(Mutex::new(Vec::new()));
    interpreter
        .handle_state(
            "Get Data",
            recording(&started, json!({"resultCount": 0, "offset": 0})),
        )
        .unwrap();
    let input = json!({"locationId": "L1", "taskId": "t-1", "taskToken": "parent-token"});
    let error = interpreter.run(input).await.unwrap_err();
    assert_eq!(error.name(), "States.QueryEvaluationError", "{error}");
    assert!(
        error.cause().contains("$states.context.Task.Token"),
        "{error}"
    );
    assert!(
        started.lock().unwrap().is_empty(),
        "the Task was never called"
    );
}

// The corpus's shared-fallback definition wrote `QueryLanguage` inside `States`; the rules
// say so (tests/import.rs). Written where it belongs, it runs: a failing Lambda is caught, and
// the catcher's `Output` reads `$states.context.State.Name`.
#[tokio::test(start_paused = true)]
async fn the_corpus_shared_fallback_runs_once_its_query_language_is_in_place() {
    let mut definition: Value =
        serde_json::from_str(&corpus("shared-fallback-state-jsonata__statemachine")).unwrap();
    let language = definition["States"]
        .as_object_mut()
        .unwrap()
        .remove("QueryLanguage")
        .unwrap();
    definition["QueryLanguage"] = language;
    let mut interpreter =
        Interpreter::from_json("SharedFallback", &definition.to_string()).unwrap();
    let payloads = Arc::new(Mutex::new(Vec::new()));
    interpreter
        .handle_state("FirstLambdaState", recording(&payloads, json!({"step": 1})))
        .unwrap();
    interpreter
        .handle_state("SecondLambdaState", |_: Value| async {
            Err::<Value, _>(Error::new("Boom", "the second function failed"))
        })
        .unwrap();
    let output = interpreter.run(json!({"order": 7})).await.unwrap();
    // `Payload: {% $states.input %}` hands the input to the function; the catcher's `Output`
    // replaces the error output.
    assert_eq!(payloads.lock().unwrap()[0], json!({"order": 7}));
    assert_eq!(output, json!({"FailedStateName": "SecondLambdaState"}));
}

// The developer guide's JSONata state: a Task's `Arguments` from `$states.input` (and
// `$states.context`), its `Output` from `$states.result`, its `Assign` from both, read by the
// next states as `$name`; a Choice's `Condition`; a Wait's `Seconds` as an expression; a
// Succeed's `Output`. The expressions' values are the reference implementation's.
#[tokio::test(start_paused = true)]
async fn a_jsonata_state_reads_states_and_variables() {
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "Price", "States": {
        "Price": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:price",
            "Arguments": {"sku": "{% $states.input.sku %}", "state": "{% $states.context.State.Name %}",
                "qty": "{% $count($states.input.lines) %}"},
            "Output": {"total": "{% $states.result.unit * $count($states.input.lines) %}"},
            "Assign": {"unit": "{% $states.result.unit %}", "sku": "{% $states.input.sku %}"},
            "Next": "Big?"},
        "Big?": {"Type": "Choice", "Choices": [
            {"Condition": "{% $states.input.total > 100 %}", "Next": "Pause",
             "Output": {"total": "{% $states.input.total %}", "big": true}}],
            "Default": "Done"},
        "Pause": {"Type": "Wait", "Seconds": "{% $unit %}", "Next": "Done"},
        "Done": {"Type": "Succeed",
            "Output": "{% $merge([$states.input, {'sku': $sku, 'unit': $unit}]) %}"}}});
    let mut interpreter = Interpreter::from_json("Jsonata", &definition.to_string()).unwrap();
    let requests = Arc::new(Mutex::new(Vec::new()));
    interpreter
        .handle_state("Price", recording(&requests, json!({"unit": 40})))
        .unwrap();
    let start = tokio::time::Instant::now();
    let output = interpreter
        .run(json!({"sku": "lamp", "lines": [1, 2, 3]}))
        .await
        .unwrap();
    assert_eq!(
        requests.lock().unwrap()[0],
        json!({"sku": "lamp", "state": "Price", "qty": 3})
    );
    assert_eq!(
        output,
        json!({"total": 120, "big": true, "sku": "lamp", "unit": 40})
    );
    // `Seconds: {% $unit %}` waited 40 s on the paused clock.
    assert_eq!(start.elapsed().as_secs(), 40);
}

// "Handling errors": a catcher's `Output` reads `$states.errorOutput` and `$states.input`,
// its `Assign` sets variables; an expression that fails is `States.QueryEvaluationError`,
// which a catcher catches; a Fail's `Error` and `Cause` may be expressions.
#[tokio::test(start_paused = true)]
async fn catchers_and_fail_states_in_jsonata() {
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "Charge", "States": {
        "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:charge",
            "Catch": [{"ErrorEquals": ["Declined"], "Next": "Explain",
                "Output": {"why": "{% $states.errorOutput.Cause %}", "order": "{% $states.input.order %}"},
                "Assign": {"failed": "{% $states.errorOutput.Error %}"}}],
            "End": true},
        "Explain": {"Type": "Pass", "Output": {"bad": "{% $states.input.missing.member %}"},
            "Next": "Unreachable"},
        "Unreachable": {"Type": "Succeed"}}});
    let mut interpreter = Interpreter::from_json("Catch", &definition.to_string()).unwrap();
    interpreter
        .handle_state("Charge", |_: Value| async {
            Err::<Value, _>(Error::new("Declined", "card expired"))
        })
        .unwrap();
    let error = interpreter.run(json!({"order": 7})).await.unwrap_err();
    // The catcher's output reached `Explain`, whose expression selects nothing.
    assert_eq!(error.name(), "States.QueryEvaluationError", "{error}");
    assert_eq!(error.state(), Some("Explain"));

    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "Check", "States": {
        "Check": {"Type": "Pass", "Output": {"n": "{% $number($states.input.n) %}"},
            "Assign": {"seen": "{% $states.input.n %}"}, "Next": "Stop"},
        "Stop": {"Type": "Fail", "Error": "{% 'Bad.' & $seen %}",
            "Cause": "{% 'got ' & $string($states.input.n * 2) %}"}}});
    let interpreter = Interpreter::from_json("Fail", &definition.to_string()).unwrap();
    let error = interpreter.run(json!({"n": "21"})).await.unwrap_err();
    assert_eq!((error.name(), error.cause()), ("Bad.21", "got 42"));
}

// An expression that gives nothing fails its state with `States.QueryEvaluationError`, its
// cause naming the expression and where it is. Expected values: AWS's recorded histories in
// LocalStack's snapshots of AWS runs (`test_assign_reference_variables.snapshot.json`,
// `test_undefined_reference[BASE_UNDEFINED_*]`, 21-11-2024), whose causes begin "An error
// occurred while executing the state 'State0' (entered at the event id #2)." (here the
// state is the error's `state()`) and go on as below.
#[tokio::test(start_paused = true)]
async fn an_expression_that_gives_nothing_names_its_field() {
    let task = "arn:aws:states:::lambda:invoke";
    let cases = [
        (
            json!({"Type": "Pass", "Output": "{% $doesNotExist %}", "End": true}),
            "Output",
        ),
        (
            json!({"Type": "Pass", "Output": {"result": "{% $doesNotExist %}"}, "End": true}),
            "Output/result",
        ),
        (
            json!({"Type": "Pass", "Assign": {"result": "{% $doesNotExist %}"}, "End": true}),
            "Assign/result",
        ),
        (
            json!({"Type": "Task", "Resource": task, "Arguments": "{% $doesNotExist %}", "End": true}),
            "Arguments",
        ),
        (
            json!({"Type": "Task", "Resource": task,
                "Arguments": {"FunctionName": "{% $doesNotExist %}"}, "End": true}),
            "Arguments/FunctionName",
        ),
    ];
    for (state, field) in cases {
        let definition = json!({"QueryLanguage": "JSONata", "StartAt": "State0",
            "States": {"State0": state}});
        let mut interpreter = Interpreter::from_json("Undefined", &definition.to_string()).unwrap();
        if definition["States"]["State0"]["Type"] == "Task" {
            interpreter
                .handle_state("State0", |_: Value| async { Ok::<_, Error>(json!({})) })
                .unwrap();
        }
        let (outcome, history) = interpreter.run_recorded(json!({})).await;
        let error = outcome.unwrap_err();
        assert_eq!(error.name(), "States.QueryEvaluationError", "{field}");
        assert_eq!(error.state(), Some("State0"), "{field}");
        let cause = format!(
            "The JSONata expression '$doesNotExist' specified for the field '{field}' \
             returned nothing (undefined)."
        );
        assert_eq!(error.cause(), cause);
        // AWS's history: the state's entry, `EvaluationFailed` (pointing where the entry
        // points) with the error and where the expression is, then `ExecutionFailed`.
        let entered = if field.starts_with("Arguments") {
            "TaskStateEntered"
        } else {
            "PassStateEntered"
        };
        assert_eq!(
            history.types(),
            [
                "ExecutionStarted",
                entered,
                "EvaluationFailed",
                "ExecutionFailed"
            ],
            "{field}"
        );
        let events = history.to_json()["events"].clone();
        assert_eq!(events[2]["previousEventId"], 0, "{field}");
        assert_eq!(
            events[2]["evaluationFailedEventDetails"],
            json!({"error": "States.QueryEvaluationError", "cause": cause,
                "location": field, "state": "State0"})
        );
        assert_eq!(events[3]["previousEventId"], 3, "{field}");
    }
    // `BASE_UNDEFINED_OUTPUT_MULTIPLE_STATES`: two states pass, the third fails; its
    // `EvaluationFailed` (#7) points where its entry (#6) does, at the second's exit (#5).
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "State0", "States": {
        "State0": {"Type": "Pass", "Next": "State1"},
        "State1": {"Type": "Pass", "Next": "State2"},
        "State2": {"Type": "Pass", "Output": {"result": "{% $doesNotExist %}"}, "End": true}}});
    let interpreter = Interpreter::from_json("Multiple", &definition.to_string()).unwrap();
    let (_, history) = interpreter.run_recorded(json!({})).await;
    let events = history.to_json()["events"].clone();
    assert_eq!(events[6]["type"], "EvaluationFailed");
    assert_eq!(
        (
            events[5]["previousEventId"].clone(),
            events[6]["previousEventId"].clone()
        ),
        (json!(5), json!(5))
    );
    assert_eq!(events[6]["evaluationFailedEventDetails"]["state"], "State2");
    assert_eq!(
        (
            events[7]["type"].clone(),
            events[7]["previousEventId"].clone()
        ),
        (json!("ExecutionFailed"), json!(7))
    );
    // Inside an array, the index is part of where (as AWS writes a JSON Pointer's steps).
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "S", "States": {
        "S": {"Type": "Pass", "Output": {"list": [1, "{% $nothing %}"]}, "End": true}}});
    let interpreter = Interpreter::from_json("Index", &definition.to_string()).unwrap();
    let error = interpreter.run(json!({})).await.unwrap_err();
    assert!(
        error
            .cause()
            .contains("specified for the field 'Output/list/1' returned nothing"),
        "{error}"
    );
    // An expression that throws: "threw an error during evaluation.", then the evaluator's
    // message, which carries JSONata's error code (jsonata-js's D3020 for this call).
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "S", "States": {
        "S": {"Type": "Pass", "Output": {"parts": "{% $split('a', 'b', -1) %}"}, "End": true}}});
    let interpreter = Interpreter::from_json("Throws", &definition.to_string()).unwrap();
    let error = interpreter.run(json!({})).await.unwrap_err();
    assert_eq!(error.name(), "States.QueryEvaluationError");
    assert!(
        error.cause().starts_with(
            "The JSONata expression '$split('a', 'b', -1)' specified for the field \
             'Output/parts' threw an error during evaluation. "
        ),
        "{error}"
    );
    assert!(error.cause().contains("D3020"), "{error}");
}

async fn quote(_: Value) -> Result<Value, Error> {
    Ok(json!({"price": 7}))
}

sfn_workflow::workflow! {
    /// A Task whose `Output` reads a member its result does not have, caught.
    Quote {
        query_language: JSONata,
        start_at: Price,
        states: {
            Price: Task {
                resource: "arn:quote",
                handler: quote,
                output: {"total": "{% $states.result.total %}"},
                catch: [{ error_equals: ["States.QueryEvaluationError"], next: Fallback }],
                end: true,
            },
            Fallback: Pass { output: {"total": 0}, end: true },
        }
    }
}

// Generated code records an expression's failure as the interpreter does: after the Task's
// result, `EvaluationFailed` naming `Output/total`; the catcher then takes the error.
#[tokio::test(start_paused = true)]
async fn generated_code_records_an_evaluation_failure_as_the_interpreter_does() {
    let (outcome, generated) = Quote.run_recorded(json!({})).await;
    assert_eq!(outcome.unwrap(), json!({"total": 0}));
    let mut interpreter = Interpreter::from_json("Quote", &Quote::asl().to_string()).unwrap();
    interpreter.handle_state("Price", quote).unwrap();
    let (outcome, interpreted) = interpreter.run_recorded(json!({})).await;
    assert_eq!(outcome.unwrap(), json!({"total": 0}));
    let types = [
        "ExecutionStarted",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "EvaluationFailed",
        "TaskStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ];
    assert_eq!(generated.types(), types);
    assert_eq!(interpreted.types(), types);
    for history in [generated, interpreted] {
        let failed = &history.events[5];
        assert_eq!(failed.detail_str("location"), Some("Output/total"));
        assert_eq!(failed.detail_str("state"), Some("Price"));
        // The execution page colours the Task as caught.
        let fates = sfn_workflow::report::fates(Quote::definition(), &history);
        assert_eq!(fates["Price"], sfn_workflow::report::Fate::Caught);
    }
}

// A JSONata Distributed Map gives its reader and writer `Arguments` (the developer guide,
// "ItemReader (Map)" and "ResultWriter (Map)": in a JSONata state `Arguments` takes
// `Parameters`' place), evaluated on `$states.input`; the Map's output is then the Map Run
// and where its results went, as in JSONPath.
#[tokio::test(start_paused = true)]
async fn a_jsonata_distributed_map_reads_and_writes_with_arguments() {
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "Fan out", "States": {
        "Fan out": {"Type": "Map",
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": {"InputType": "JSONL"},
                "Arguments": {"Bucket": "in", "Key": "{% $states.input.key %}"}},
            "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                "Arguments": {"Bucket": "out", "Prefix": "{% 'run-' & $states.input.run %}"}},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "Double", "States": {"Double": {"Type": "Pass",
                    "Output": "{% $states.input * 2 %}", "End": true}}},
            "End": true}}});
    let mut interpreter = Interpreter::from_json("Fan", &definition.to_string()).unwrap();
    let read_with: Arc<Mutex<Value>> = Arc::default();
    let asked = Arc::clone(&read_with);
    interpreter.handle_resource("arn:aws:states:::s3:getObject", move |parameters: Value| {
        *asked.lock().unwrap() = parameters;
        async { Ok::<_, Error>(json!("1\n2\n3\n")) }
    });
    let written: Arc<Mutex<Value>> = Arc::default();
    let sink = Arc::clone(&written);
    interpreter.handle_resource("arn:aws:states:::s3:putObject", move |results: Value| {
        *sink.lock().unwrap() = results;
        async { Ok::<_, Error>(Value::Null) }
    });
    let output = interpreter
        .run(json!({"key": "items.jsonl", "run": 7}))
        .await
        .unwrap();
    assert_eq!(
        *read_with.lock().unwrap(),
        json!({"Bucket": "in", "Key": "items.jsonl"})
    );
    let written = written.lock().unwrap();
    assert_eq!(
        written["Parameters"],
        json!({"Bucket": "out", "Prefix": "run-7"})
    );
    assert_eq!(written["Results"], json!([2, 4, 6]));
    assert_eq!(output["ResultWriterDetails"]["Bucket"], "out");
}

// A JSONata Map: `Items` (an expression), `ItemSelector` reading `$states.context.Map.Item`,
// `MaxConcurrency` and `ToleratedFailureCount` as expressions; each iteration reads the outer
// variables and its `Assign` stays in it; the Map's `Output` reads `$states.result`.
#[tokio::test(start_paused = true)]
async fn a_jsonata_map() {
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "Setup", "States": {
        "Setup": {"Type": "Pass", "Assign": {"rate": 2, "limit": 1}, "Next": "Each"},
        "Each": {"Type": "Map", "Items": "{% $states.input.orders[amount > 0] %}",
            "ItemSelector": {"amount": "{% $states.context.Map.Item.Value.amount %}",
                "index": "{% $states.context.Map.Item.Index %}"},
            "MaxConcurrency": "{% $limit %}", "ToleratedFailureCount": "{% $limit - 1 %}",
            "ItemProcessor": {"StartAt": "Scale", "States": {
                "Scale": {"Type": "Pass", "Assign": {"rate": 100},
                    "Output": {"i": "{% $states.input.index %}", "v": "{% $states.input.amount * $rate %}"},
                    "End": true}}},
            "Output": {"values": "{% $states.result.v %}", "rate": "{% $rate %}"},
            "End": true}}});
    let interpreter = Interpreter::from_json("Map", &definition.to_string()).unwrap();
    let output = interpreter
        .run(json!({"orders": [{"amount": 3}, {"amount": 0}, {"amount": 5}]}))
        .await
        .unwrap();
    // The iteration's own `rate` (100) is not the Map's: its `Output` reads the outer 2.
    assert_eq!(output, json!({"values": [6, 10], "rate": 2}));
}

// "Transforming data with JSONata": an expression that is not JSONata is refused when the
// definition is read, at its place; a JSONPath field in a JSONata state is refused, naming
// the JSONata field to write instead.
#[test]
fn bad_expressions_and_jsonpath_fields_are_load_errors() {
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {
        "P": {"Type": "Pass", "Output": {"x": "{% $states.input.a + %}"}, "End": true}}});
    let error = Interpreter::from_json("Bad", &definition.to_string()).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("/States/P/Output/x"), "{text}");
    assert!(text.contains("is not a JSONata expression"), "{text}");
    // Where the parser stopped, as the macro shows it (tests/ui-jsonata/syntax-error.stderr):
    // `]` is the 28th character of the expression.
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {
        "P": {"Type": "Pass", "Assign": {"count": "{% $count($states.input.lines]) %}"},
            "End": true}}});
    let text = Interpreter::from_json("Bad", &definition.to_string())
        .unwrap_err()
        .to_string();
    assert!(text.contains("/States/P/Assign/count"), "{text}");
    assert!(
        text.contains("S0202: Expected RightParen, got RightBracket, near character 28"),
        "{text}"
    );

    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {
        "P": {"Type": "Pass", "InputPath": "$.a", "End": true}}});
    let text = Interpreter::from_json("Bad", &definition.to_string())
        .unwrap_err()
        .to_string();
    assert!(
        text.contains(
            "/States/P/InputPath: `InputPath` is a JSONPath field, and state `P` is JSONata"
        ),
        "{text}"
    );
}

// A JSONata state in a JSONPath definition (the state names its own language) reads the
// variables a JSONPath state assigned, and the other way round.
#[tokio::test]
async fn the_two_languages_share_variables() {
    let definition = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"n.$": "$.n"}, "Next": "B"},
        "B": {"Type": "Pass", "QueryLanguage": "JSONata", "Assign": {"m": "{% $n * 10 %}"},
            "Output": {"n": "{% $n %}"}, "Next": "C"},
        "C": {"Type": "Pass", "Parameters": {"n.$": "$.n", "m.$": "$m"}, "End": true}}});
    let interpreter = Interpreter::from_json("Mixed", &definition.to_string()).unwrap();
    assert_eq!(
        interpreter.run(json!({"n": 4})).await.unwrap(),
        json!({"n": 4, "m": 40})
    );
}

// The same child answered by a Step Functions Local mock file
// (`tests/data/mocks/data-processing-child.mock.json`, the file `asl run --mock-config`
// reads): the HTTP Task fails once and its `Retry` (States.ALL, 1 s, backoff 2, full jitter)
// runs it again; the history shows the variables the states assigned.
#[tokio::test(start_paused = true)]
async fn the_corpus_data_processing_child_runs_with_a_mock_file() {
    let mut interpreter = Interpreter::from_json(
        "DataProcessingChild",
        &corpus("distributed-data-stream-aggregator__data-processing-child"),
    )
    .unwrap();
    let mocks =
        std::fs::read_to_string("tests/data/mocks/data-processing-child.mock.json").unwrap();
    sfn_workflow::mock::MockConfig::from_json(&mocks)
        .unwrap()
        .apply(
            &mut interpreter,
            "DataProcessingChild",
            "OnePageAfterARetry",
        )
        .unwrap();
    let input = json!({"locationId": "L2", "dataType": "rejected", "limit": 10, "offset": "5",
        "childTaskToken": "token-2"});
    let (outcome, history) = interpreter.run_recorded(input).await;
    assert_eq!(outcome.unwrap(), json!({}));
    let failed = history
        .types()
        .iter()
        .filter(|t| **t == "TaskFailed")
        .count();
    assert_eq!(failed, 1, "one attempt failed, the retry succeeded");
    let assigned: Vec<Value> = history
        .of_state("Get Data")
        .filter_map(|e| e.detail("assignedVariables").cloned())
        .collect();
    // `nextOffset`: `1 + $number("5")`.
    assert_eq!(assigned, [json!({"resultCount": "1", "nextOffset": "6"})]);
}
