//! Service integrations run locally (issue 16): what a handler standing for the work receives
//! and what the Task's result is, in the shapes AWS gives.
//!
//! Sources of the expected values: the Lambda API reference (`Invoke`: `StatusCode` 200 for a
//! request-response call, `ExecutedVersion`, the payload) and LocalStack's recordings of AWS
//! (`services/test_lambda_task_service.snapshot.json`, `test_invoke`: the result's fields;
//! `error_handling/test_task_service_lambda.snapshot.json`, `test_raise_exception`: a
//! function error's `Error` and `Cause`).

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sfn_workflow::interpret::Interpreter;
use sfn_workflow::mock::MockConfig;
use sfn_workflow::Error;

#[derive(Debug, Deserialize, Serialize)]
struct Order {
    id: String,
    amount: u64,
}

#[derive(Debug, Deserialize, Serialize)]
struct Quote {
    id: String,
    total: u64,
}

/// The handler stands for the Lambda function: it takes the `Payload` parameter.
async fn price(order: Order) -> Result<Quote, Error> {
    if order.amount == 0 {
        return Err(Error::new(
            "EmptyOrder",
            format!("order {} is empty", order.id),
        ));
    }
    Ok(Quote {
        id: order.id,
        total: order.amount * 110 / 100,
    })
}

sfn_workflow::workflow! {
    Pricing {
        start_at: Price,
        states: {
            Price: Task {
                resource: "arn:aws:states:::lambda:invoke",
                parameters: {"FunctionName": "price:3", "Payload.$": "$.order"},
                handler: price,
                result_selector: {"quote.$": "$.Payload", "status.$": "$.StatusCode", "version.$": "$.ExecutedVersion"},
                result_path: "$.priced",
                catch: [{ error_equals: ["EmptyOrder"], result_path: "$.error", next: Refused }],
                end: true,
            },
            Refused: Pass { end: true },
        }
    }
}

/// AWS's answer for a `result_selector` of `$.Payload`, `$.StatusCode` and
/// `$.ExecutedVersion` on a request-response `Invoke` of `price:3`.
fn priced() -> Value {
    json!({
        "order": {"id": "o-1", "amount": 200},
        "priced": {"quote": {"id": "o-1", "total": 220}, "status": 200, "version": "3"}
    })
}

#[tokio::test]
async fn a_generated_lambda_invoke_task_sees_the_invoke_response() {
    let output = Pricing
        .run(json!({"order": {"id": "o-1", "amount": 200}}))
        .await
        .unwrap();
    assert_eq!(output, priced());
}

#[tokio::test]
async fn an_interpreted_lambda_invoke_task_sees_the_invoke_response() {
    let mut interpreter = Interpreter::new("Pricing", Pricing::definition().clone()).unwrap();
    interpreter.handle_state("Price", price).unwrap();
    let output = interpreter
        .run(json!({"order": {"id": "o-1", "amount": 200}}))
        .await
        .unwrap();
    assert_eq!(output, priced());
}

// A function error: `Error` is the error's type, `Cause` the Lambda error object as JSON text.
#[tokio::test]
async fn a_function_error_is_reported_as_lambda_reports_it() {
    let output = Pricing
        .run(json!({"order": {"id": "o-2", "amount": 0}}))
        .await
        .unwrap();
    assert_eq!(output["error"]["Error"], json!("EmptyOrder"));
    let cause: Value = serde_json::from_str(output["error"]["Cause"].as_str().unwrap()).unwrap();
    assert_eq!(cause["errorType"], json!("EmptyOrder"));
    assert_eq!(cause["errorMessage"], json!("order o-2 is empty"));
    assert_eq!(cause["stackTrace"], json!([]));
    assert!(cause["requestId"].as_str().is_some_and(|id| id.len() == 36));
}

// The whole response of a successful invoke, as recorded in its `TaskSucceeded` event.
#[tokio::test]
async fn the_recorded_result_is_the_whole_invoke_response() {
    let (outcome, history) = Pricing
        .run_recorded(json!({"order": {"id": "o-1", "amount": 200}}))
        .await;
    outcome.unwrap();
    let succeeded = history
        .events
        .iter()
        .find(|e| e.kind.name() == "TaskSucceeded")
        .unwrap();
    let result: Value = serde_json::from_str(succeeded.detail_str("output").unwrap()).unwrap();
    let mut fields: Vec<&str> = result
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "ExecutedVersion",
            "Payload",
            "SdkHttpMetadata",
            "SdkResponseMetadata",
            "StatusCode"
        ]
    );
    assert_eq!(result["Payload"], json!({"id": "o-1", "total": 220}));
    assert_eq!(result["SdkHttpMetadata"]["HttpStatusCode"], json!(200));
    assert_eq!(
        result["SdkHttpMetadata"]["HttpHeaders"]["X-Amz-Executed-Version"],
        json!("3")
    );
}

// A plain Lambda ARN is unchanged: AWS returns the function's output as the result.
#[tokio::test]
async fn a_plain_lambda_arn_returns_the_output_itself() {
    let mut definition = Pricing::definition().clone();
    let (_, price_state) = definition
        .states
        .iter_mut()
        .find(|(name, _)| *name == "Price")
        .unwrap();
    price_state.resource = Some("arn:aws:lambda:us-east-1:123456789012:function:price".into());
    price_state.parameters = None;
    price_state.input_path = Some(Some("$.order".into()));
    price_state.result_selector = None;
    let mut interpreter = Interpreter::new("Pricing", definition).unwrap();
    interpreter.handle_state("Price", price).unwrap();
    let output = interpreter
        .run(json!({"order": {"id": "o-1", "amount": 200}}))
        .await
        .unwrap();
    assert_eq!(output["priced"], json!({"id": "o-1", "total": 220}));
}

// A mocked response is the service's whole response, as Step Functions Local takes it: it is
// not wrapped again.
#[tokio::test]
async fn a_mocked_response_is_the_whole_invoke_response() {
    let config = MockConfig::from_json(
        r#"{"StateMachines": {"Pricing": {"TestCases": {"Happy": {"Price": "Quoted"}}}},
            "MockedResponses": {"Quoted": {"0": {"Return": {"StatusCode": 200, "ExecutedVersion": "9",
                "Payload": {"id": "o-1", "total": 1}}}}}}"#,
    )
    .unwrap();
    let mut interpreter = Interpreter::new("Pricing", Pricing::definition().clone()).unwrap();
    config.apply(&mut interpreter, "Pricing", "Happy").unwrap();
    let output = interpreter
        .run(json!({"order": {"id": "o-1", "amount": 200}}))
        .await
        .unwrap();
    assert_eq!(
        output["priced"],
        json!({"quote": {"id": "o-1", "total": 1}, "status": 200, "version": "9"})
    );
}
