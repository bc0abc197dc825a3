//! Service integrations run locally: how a Task's effective input reaches the local handler
//! that stands for the work, and how what the handler returns becomes the Task's result, in
//! the shape AWS gives it.
//!
//! | resource | the handler stands for | it receives | the result is |
//! |---|---|---|---|
//! | a Lambda function's ARN | the function | the effective input | its output |
//! | `arn:aws:states:::lambda:invoke` | the function | the `Payload` parameter | the Lambda `Invoke` response around its output ([`lambda`]) |
//! | `states:startExecution` (`.sync`, `.sync:2`) | a child workflow ([`nested`]) | the `Input` parameter | the execution's description, as AWS gives it for each pattern |
//! | `...waitForTaskToken` | the call that hands the token on | as without the suffix, `$$.Task.Token` in reach | what a callback sends ([`crate::callback`]) |
//! | anything else | the service call | the effective input | its output |
//!
//! A Task may also be answered for real by a [`service::Service`]: with the `aws` feature,
//! `dynamodb` calls DynamoDB through the AWS SDK for Rust.
//!
//! A handler that answers for the whole integration (a mocked response from a Step Functions
//! Local mock file, which gives the service's response as AWS returns it) is not reshaped.
//! Each further integration is one more variant of the crate's `Shape` and one more module here.

#[cfg(feature = "aws")]
pub mod dynamodb;
pub mod lambda;
pub mod nested;
pub mod service;

use serde_json::{json, Map, Value};

use crate::Error;

/// How a Task's resource shapes its call to a local handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    /// `lambda:invoke`: the handler is the function ([`lambda`]).
    invoke: bool,
    /// `.waitForTaskToken`: the result is what a callback sends ([`crate::callback`]).
    callback: bool,
}

impl Shape {
    /// The handler's input is the effective input, and its output the result.
    pub(crate) const DIRECT: Self = Self {
        invoke: false,
        callback: false,
    };

    /// The shape of a call to `resource`; [`Shape::DIRECT`] for a handler that answers for
    /// the whole integration (`answers_for_integration`).
    #[inline]
    pub(crate) fn of(resource: &str, answers_for_integration: bool) -> Self {
        // The suffixes first: most resources are neither, and each costs one comparison.
        let callback = resource.ends_with(".waitForTaskToken");
        if answers_for_integration || !(callback || resource.ends_with(":lambda:invoke")) {
            return Self::DIRECT;
        }
        Self {
            invoke: lambda::is_invoke(resource),
            callback,
        }
    }

    /// Whether the Task waits for a callback.
    pub(crate) fn waits_for_callback(self) -> bool {
        self.callback
    }

    /// The handler's input made from the Task's effective input, and how to reply.
    #[inline]
    pub(crate) fn request(self, input: Value) -> (Value, Reply) {
        if !self.invoke {
            return (input, Reply::Direct);
        }
        let (payload, invoke) = lambda::Invoke::request(input);
        (payload, Reply::Lambda(Box::new(invoke)))
    }
}

/// How a call's outcome becomes the Task's result or error.
#[derive(Debug)]
pub(crate) enum Reply {
    /// As it is.
    Direct,
    /// As the Lambda `Invoke` response.
    Lambda(Box<lambda::Invoke>),
    /// With what a callback sent, whatever the handler returned (boxed: a reply is held
    /// across every Task's call, and most are not this one).
    Answered(Box<Value>),
}

impl Reply {
    /// The Task's result, from the handler's `output` as JSON.
    #[inline]
    pub(crate) fn result(self, output: Value) -> Value {
        match self {
            Self::Lambda(invoke) => invoke.response(output),
            Self::Answered(answer) => *answer,
            Self::Direct => output,
        }
    }

    /// The Task's error, from the handler's `error`.
    #[inline]
    pub(crate) fn failure(&self, error: Error) -> Error {
        match self {
            Self::Lambda(invoke) => invoke.function_error(error),
            Self::Direct | Self::Answered(_) => error,
        }
    }
}

/// The `SdkHttpMetadata` and `SdkResponseMetadata` Step Functions adds to an AWS SDK
/// response: the response's headers (`Content-Length` of `length` bytes, `Content-Type`,
/// `x-amzn-RequestId` and `extra`) each as one value and as a list, the status 200, and the
/// request id.
pub(crate) fn sdk_metadata(
    request_id: &str,
    content_type: &str,
    length: usize,
    extra: &[(&str, &str)],
) -> Map<String, Value> {
    let mut headers: Vec<(&str, String)> = vec![
        ("Connection", "keep-alive".to_owned()),
        ("Content-Length", length.to_string()),
        ("Content-Type", content_type.to_owned()),
        ("x-amzn-RequestId", request_id.to_owned()),
    ];
    headers.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let all: Map<String, Value> = headers
        .iter()
        .map(|(k, v)| ((*k).to_owned(), json!([v])))
        .collect();
    let single: Map<String, Value> = headers
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Value::String(v)))
        .collect();
    let mut metadata = Map::new();
    metadata.insert(
        "SdkHttpMetadata".into(),
        json!({"AllHttpHeaders": all, "HttpHeaders": single, "HttpStatusCode": 200}),
    );
    metadata.insert(
        "SdkResponseMetadata".into(),
        json!({"RequestId": request_id}),
    );
    metadata
}
