//! What a Task's `Resource` names: a Lambda function, an activity, or a service integration
//! (`arn:aws:states:::SERVICE:API[.PATTERN]`) and the pattern it is called with.
//!
//! The one reading of a resource that the runtime (which shapes a call's input and result as
//! the integration does), the history (which records the events of its worker) and the IAM
//! policy (which allows its actions) share. The patterns are those of the AWS Step Functions
//! developer guide, "Discover service integration patterns in Step Functions": request and
//! response, run a job (`.sync`, `.sync:2`) and wait for a callback (`.waitForTaskToken`).

/// What a Task's resource names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource<'a> {
    /// A Lambda function's ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`): the function's
    /// output is the Task's result, as it is.
    LambdaFunction,
    /// An activity's ARN (`arn:aws:states:REGION:ACCOUNT:activity:NAME`).
    Activity,
    /// A service integration.
    Integration(Integration<'a>),
    /// Anything else: a local resource name, or an ARN of no kind above.
    Other,
}

impl<'a> Resource<'a> {
    /// Reads `resource`.
    #[must_use]
    pub fn of(resource: &'a str) -> Self {
        if let Some(integration) = Integration::parse(resource) {
            return Self::Integration(integration);
        }
        // `arn:PARTITION:SERVICE:REGION:ACCOUNT:KIND:...`
        let service_and_kind = || {
            let rest = resource.strip_prefix("arn:")?.split_once(':')?.1;
            let (service, rest) = rest.split_once(':')?;
            let rest = rest.split_once(':')?.1.split_once(':')?.1;
            Some((service, rest.split_once(':').map_or(rest, |(kind, _)| kind)))
        };
        match service_and_kind() {
            Some(("lambda", "function")) => Self::LambdaFunction,
            Some(("states", "activity")) => Self::Activity,
            _ => Self::Other,
        }
    }
}

/// A service integration: `arn:aws:states:::SERVICE:API` with its pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Integration<'a> {
    /// The service, such as `lambda`, `dynamodb`, `states`, or `aws-sdk`.
    pub service: &'a str,
    /// The API, such as `invoke`, `putItem`, `startExecution` (for `aws-sdk`, the service
    /// and its API: `dynamodb:putItem`).
    pub api: &'a str,
    /// How Step Functions waits for it.
    pub pattern: Pattern,
}

/// How Step Functions waits for a service integration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// No suffix: the API's response is the result.
    RequestResponse,
    /// `.sync`: the job runs to its end; the result is its description (for
    /// `states:startExecution`, the child's output as JSON text).
    Sync,
    /// `.sync:2`: as `.sync`, with the output as JSON.
    Sync2,
    /// `.waitForTaskToken`: the call gets a task token, and the result is what a
    /// `SendTaskSuccess` with that token sends.
    WaitForTaskToken,
}

impl Pattern {
    /// The suffix of the resource for this pattern, with its dot (empty for
    /// [`Pattern::RequestResponse`]).
    #[must_use]
    pub fn suffix(self) -> &'static str {
        match self {
            Self::RequestResponse => "",
            Self::Sync => ".sync",
            Self::Sync2 => ".sync:2",
            Self::WaitForTaskToken => ".waitForTaskToken",
        }
    }
}

/// Every partition's prefix of a service integration's ARN.
const PREFIXES: [&str; 4] = [
    "arn:aws:states:::",
    "arn:aws-us-gov:states:::",
    "arn:aws-cn:states:::",
    "arn:aws-iso:states:::",
];

impl<'a> Integration<'a> {
    /// The integration `resource` names, if it names one.
    #[must_use]
    pub fn parse(resource: &'a str) -> Option<Self> {
        let rest = PREFIXES.iter().find_map(|p| resource.strip_prefix(p))?;
        let (call, pattern) = match rest.split_once('.') {
            None => (rest, Pattern::RequestResponse),
            Some((call, "sync")) => (call, Pattern::Sync),
            Some((call, "sync:2")) => (call, Pattern::Sync2),
            Some((call, "waitForTaskToken")) => (call, Pattern::WaitForTaskToken),
            Some(_) => return None,
        };
        let (service, api) = call.split_once(':')?;
        (!service.is_empty() && !api.is_empty()).then_some(Self {
            service,
            api,
            pattern,
        })
    }

    /// Whether this is `service:api`, whatever its pattern.
    #[must_use]
    pub fn is(&self, service: &str, api: &str) -> bool {
        self.service == service && self.api == api
    }

    /// The parameters AWS requires of a call to this integration (each written as `Name` or
    /// `Name.$`): without one, AWS refuses the definition ("The field 'FunctionName' is
    /// required but was missing"). Only the integrations this crate runs or gives a policy for
    /// are listed; an API reference's required members are the source of each.
    #[must_use]
    pub fn required_parameters(&self) -> &'static [&'static str] {
        match (self.service, self.api) {
            ("lambda", "invoke") => &["FunctionName"],
            ("states", "startExecution") => &["StateMachineArn"],
            ("dynamodb", "putItem") => &["TableName", "Item"],
            ("dynamodb", "getItem" | "updateItem" | "deleteItem") => &["TableName", "Key"],
            ("sqs", "sendMessage") => &["QueueUrl", "MessageBody"],
            ("events", "putEvents") => &["Entries"],
            _ => &[],
        }
    }

    /// Whether the Task's result is something other than what a local handler standing for
    /// the work returns: the Lambda `Invoke` response around a function's output, what a
    /// callback sends, a child execution's description. A Task on such a resource never hands
    /// its handler's output on as a Rust value.
    #[must_use]
    pub fn reshapes_result(&self) -> bool {
        self.pattern == Pattern::WaitForTaskToken
            || self.is("lambda", "invoke")
            || self.is("states", "startExecution")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The developer guide, "Discover service integration patterns": the suffixes `.sync`,
    // `.sync:2` and `.waitForTaskToken`, and none for request and response.
    #[test]
    fn resources_are_read_with_their_pattern() {
        assert_eq!(
            Resource::of("arn:aws:states:::lambda:invoke.waitForTaskToken"),
            Resource::Integration(Integration {
                service: "lambda",
                api: "invoke",
                pattern: Pattern::WaitForTaskToken
            })
        );
        let child = Integration::parse("arn:aws:states:::states:startExecution.sync:2").unwrap();
        assert!(child.is("states", "startExecution") && child.pattern == Pattern::Sync2);
        let sdk = Integration::parse("arn:aws:states:::aws-sdk:dynamodb:putItem").unwrap();
        assert_eq!((sdk.service, sdk.api), ("aws-sdk", "dynamodb:putItem"));
        assert_eq!(
            Resource::of("arn:aws:lambda:us-east-1:1:function:f:3"),
            Resource::LambdaFunction
        );
        assert_eq!(
            Resource::of("arn:aws:states:us-east-1:1:activity:a"),
            Resource::Activity
        );
        for other in [
            "arn:aws:states:::lambda:invoke.later",
            "arn:aws:states:::lambda",
            "local-name",
        ] {
            assert_eq!(Resource::of(other), Resource::Other, "{other}");
        }
        assert!(Integration::parse("arn:aws-cn:states:::sqs:sendMessage").is_some());
    }
}
