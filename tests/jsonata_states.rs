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
