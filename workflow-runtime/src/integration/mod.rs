//! Service integrations run locally: how a Task's effective input reaches the local handler
//! that stands for the work, and how what the handler returns becomes the Task's result, in
//! the shape AWS gives it.
//!
//! | resource | the handler stands for | it receives | the result is |
//! |---|---|---|---|
//! | a Lambda function's ARN | the function | the effective input | its output |
//! | `arn:aws:states:::lambda:invoke` | the function | the `Payload` parameter | the Lambda `Invoke` response around its output ([`lambda`]) |
//! | anything else | the service call | the effective input | its output |
//!
//! A handler that answers for the whole integration (a mocked response from a Step Functions
//! Local mock file, which gives the service's response as AWS returns it) is not reshaped.
//! Each further integration is one more variant of the crate's `Shape` and one more module here.

pub mod lambda;

use serde::Serialize;
use serde_json::Value;

use crate::Error;

/// How a Task's resource shapes its call to a local handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// The handler's input is the effective input, and its output the result.
    Direct,
    /// `arn:aws:states:::lambda:invoke`: the handler is the function ([`lambda`]).
    LambdaInvoke,
}

impl Shape {
    /// The shape of a call to `resource`; [`Shape::Direct`] for a handler that answers for
    /// the whole integration (`answers_for_integration`).
    #[inline]
    pub(crate) fn of(resource: &str, answers_for_integration: bool) -> Self {
        // The suffix first: most resources are not this one, and it costs one comparison.
        if !answers_for_integration
            && resource.ends_with(":lambda:invoke")
            && lambda::is_invoke(resource)
        {
            Self::LambdaInvoke
        } else {
            Self::Direct
        }
    }

    /// The handler's input made from the Task's effective input, and how to reply.
    #[inline]
    pub(crate) fn request(self, input: Value) -> (Value, Reply) {
        match self {
            Self::Direct => (input, Reply::Direct),
            Self::LambdaInvoke => {
                let (payload, invoke) = lambda::Invoke::request(input);
                (payload, Reply::Lambda(Box::new(invoke)))
            }
        }
    }
}

/// How a call's outcome becomes the Task's result or error.
#[derive(Debug)]
pub(crate) enum Reply {
    /// As it is.
    Direct,
    /// As the Lambda `Invoke` response.
    Lambda(Box<lambda::Invoke>),
}

impl Reply {
    /// The Task's result, from the handler's `output`.
    ///
    /// # Errors
    /// `Workflow.InvalidTaskOutput` when `output` does not serialize.
    #[inline]
    pub(crate) fn result<O: Serialize>(self, output: O) -> Result<Value, Error> {
        let output = crate::task::encode(output)?;
        Ok(match self {
            Self::Direct => output,
            Self::Lambda(invoke) => invoke.response(output),
        })
    }

    /// The Task's error, from the handler's `error`.
    #[inline]
    pub(crate) fn failure(&self, error: Error) -> Error {
        match self {
            Self::Direct => error,
            Self::Lambda(invoke) => invoke.function_error(error),
        }
    }
}
