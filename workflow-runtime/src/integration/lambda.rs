//! `arn:aws:states:::lambda:invoke`, the optimized Lambda integration, with a local handler
//! standing for the function.
//!
//! As the AWS Step Functions developer guide's "Invoke an AWS Lambda function with Step
//! Functions" and the Lambda API reference's `Invoke` describe it:
//!
//! - The function receives the `Payload` parameter (`{}` when there is none; `FunctionName`,
//!   `Qualifier` and the other parameters are the call's, not the function's).
//! - The Task's result is the `Invoke` response around the function's output:
//!   `{"ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"}`,
//!   so that `"ResultSelector": {"value.$": "$.Payload"}` reads the output. `StatusCode` is
//!   200; `ExecutedVersion` is the version the `FunctionName` or `Qualifier` names with a
//!   number, else `$LATEST`; `SdkHttpMetadata` holds the response's headers (`Content-Length`,
//!   `Content-Type`, `X-Amz-Executed-Version`, `x-amzn-RequestId`), without the `Date` and
//!   `X-Amzn-Trace-Id` a real response has.
//! - A function error fails the Task with the error's type as `Error` and the Lambda error
//!   object, as JSON text, as `Cause`:
//!   `{"errorMessage": CAUSE, "errorType": NAME, "requestId": ID, "stackTrace": []}`
//!   (LocalStack's recording of AWS, `test_task_service_lambda.snapshot.json`,
//!   `test_raise_exception`: error `Exception`, cause the object Python's runtime reports).
//!   Errors that Step Functions or the Lambda service raise (`States.*`, `Lambda.*`), such as
//!   `States.Timeout`, keep their cause.
//!
//! A plain Lambda ARN as the resource is different: AWS returns the function's output as the
//! result, and a function error's cause as it is.

use serde_json::{json, Map, Value};
use workflow_asl::{Integration, Pattern};

use crate::Error;

/// Whether `resource` invokes a function with a local handler standing for it: the
/// request-response integration, or the callback one (whose handler gets the `Payload` too).
pub(crate) fn is_invoke(resource: &str) -> bool {
    Integration::parse(resource).is_some_and(|i| {
        i.is("lambda", "invoke")
            && matches!(
                i.pattern,
                Pattern::RequestResponse | Pattern::WaitForTaskToken
            )
    })
}

/// One `Invoke` call: what its response says of it.
#[derive(Debug)]
pub(crate) struct Invoke {
    executed_version: String,
    request_id: String,
}

impl Invoke {
    /// The function's event (the `Payload` parameter) from the Task's effective input, and
    /// the call.
    pub(crate) fn request(parameters: Value) -> (Value, Self) {
        let (payload, version) = match parameters {
            Value::Object(mut parameters) => {
                let version = version(&parameters);
                (parameters.remove("Payload"), version)
            }
            _ => (None, None),
        };
        let invoke = Self {
            executed_version: version.unwrap_or_else(|| "$LATEST".to_owned()),
            request_id: uuid::Uuid::new_v4().to_string(),
        };
        (payload.unwrap_or_else(|| Value::Object(Map::new())), invoke)
    }

    /// The `Invoke` response around the function's output.
    pub(crate) fn response(self, payload: Value) -> Value {
        let length = serde_json::to_string(&payload).map_or(0, |text| text.len());
        let mut response = super::sdk_metadata(
            &self.request_id,
            "application/json",
            length,
            &[
                ("X-Amz-Executed-Version", &self.executed_version),
                ("x-amzn-Remapped-Content-Length", "0"),
            ],
        );
        response.insert("ExecutedVersion".into(), json!(self.executed_version));
        response.insert("Payload".into(), payload);
        response.insert("StatusCode".into(), json!(200));
        Value::Object(response)
    }

    /// The Task's error for the function's `error`: its type as the name, the Lambda error
    /// object as the cause; an error of Step Functions or of the Lambda service as it is.
    pub(crate) fn function_error(&self, error: Error) -> Error {
        let name = error.name();
        if name.starts_with("States.") || name.starts_with("Lambda.") || error.is_unnamed() {
            return error;
        }
        let cause = json!({
            "errorMessage": error.cause(),
            "errorType": name,
            "requestId": self.request_id,
            "stackTrace": [],
        });
        error.with_cause(cause.to_string())
    }
}

/// The version a numeric qualifier names: `Qualifier`, or the last part of `FunctionName`
/// (`name:3`, `arn:...:function:name:3`).
fn version(parameters: &Map<String, Value>) -> Option<String> {
    let qualifier = parameters
        .get("Qualifier")
        .and_then(Value::as_str)
        .or_else(|| {
            let name = parameters.get("FunctionName")?.as_str()?;
            let parts: Vec<&str> = name.split(':').collect();
            // `name:q` or `arn:aws:lambda:REGION:ACCOUNT:function:name:q`.
            match parts.len() {
                2 | 8 => parts.last().copied(),
                _ => None,
            }
        })?;
    (!qualifier.is_empty() && qualifier.bytes().all(|b| b.is_ascii_digit()))
        .then(|| qualifier.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    // The Lambda API reference, `Invoke`: the response's `StatusCode` is 200 for a
    // request-response call and `ExecutedVersion` the version that ran; Step Functions puts
    // the payload under `Payload` (LocalStack's recording of AWS,
    // `test_lambda_task_service.snapshot.json`, `test_invoke`).
    #[test]
    fn the_function_gets_its_payload_and_the_result_is_the_invoke_response() {
        let (payload, invoke) = Invoke::request(json!({
            "FunctionName": "arn:aws:lambda:us-east-1:1:function:double:7",
            "Payload": {"n": 21}
        }));
        assert_eq!(payload, json!({"n": 21}));
        let response = invoke.response(json!({"n": 42}));
        assert_eq!(response["Payload"], json!({"n": 42}));
        assert_eq!(response["StatusCode"], json!(200));
        assert_eq!(response["ExecutedVersion"], json!("7"));
        assert_eq!(
            response["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"],
            json!("8")
        );
        assert_eq!(
            response["SdkResponseMetadata"]["RequestId"],
            response["SdkHttpMetadata"]["HttpHeaders"]["x-amzn-RequestId"]
        );
        // No `Payload` parameter: the function gets an empty object; an alias is no version.
        let (payload, invoke) = Invoke::request(json!({"FunctionName": "double:live"}));
        assert_eq!(payload, json!({}));
        assert_eq!(invoke.executed_version, "$LATEST");
    }

    // LocalStack's recording of AWS, `test_task_service_lambda.snapshot.json`,
    // `test_raise_exception`: `Error` is the error's type, `Cause` the Lambda error object.
    #[test]
    fn a_function_error_carries_the_lambda_error_object() {
        let (_, invoke) = Invoke::request(json!({"FunctionName": "f"}));
        let error = invoke.function_error(Error::new("Exception", "Some exception was raised."));
        assert_eq!(error.name(), "Exception");
        let cause: Value = serde_json::from_str(error.cause()).unwrap();
        assert_eq!(
            cause,
            json!({"errorMessage": "Some exception was raised.", "errorType": "Exception",
                "requestId": invoke.request_id, "stackTrace": []})
        );
        let timeout = Error::new("States.Timeout", "too slow");
        assert_eq!(invoke.function_error(timeout.clone()), timeout);
    }
}
