//! The IAM policy an execution role needs to run a definition on AWS: one statement per
//! action, over the resources the definition's Task states, item readers and result writers
//! name, as the AWS Step Functions developer guide's "IAM policies for integrated services"
//! lists them.
//!
//! Resources written as text are kept as written, substitutions included (`${QuorumTable}`);
//! a resource chosen at run time (a `.$` path) is `*`. Integrations this module does not know
//! are left out, and [`Policy::unknown`] names their resources.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::{walk, Pattern, Resource, State, StateMachine, StateType};

/// An IAM policy document, and the resources it could not account for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// Each action and the resources it is allowed on.
    pub statements: BTreeMap<String, BTreeSet<String>>,
    /// Task resources of integrations this module does not know: their permissions are the
    /// author's to add.
    pub unknown: BTreeSet<String>,
}

impl Policy {
    fn allow(&mut self, actions: &[&str], resources: &[String]) {
        for action in actions {
            let set = self.statements.entry((*action).to_owned()).or_default();
            set.extend(resources.iter().cloned());
        }
    }

    /// The policy document: `{"Version": "2012-10-17", "Statement": [...]}`, one statement
    /// per set of actions that share their resources.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut grouped: BTreeMap<&BTreeSet<String>, Vec<&str>> = BTreeMap::new();
        for (action, resources) in &self.statements {
            grouped.entry(resources).or_default().push(action);
        }
        let statements: Vec<Value> = grouped
            .into_iter()
            .map(|(resources, actions)| {
                json!({"Effect": "Allow", "Action": actions, "Resource": resources})
            })
            .collect();
        json!({"Version": "2012-10-17", "Statement": statements})
    }
}

/// The policy the execution role of `definition` (an exported definition: plain ASL), a
/// state machine called `name`, needs.
#[must_use]
pub fn policy(definition: &StateMachine, name: &str) -> Policy {
    let mut policy = Policy::default();
    for walked in walk::states(definition) {
        let state = walked.state;
        match state.kind {
            StateType::Task => task(&mut policy, state),
            StateType::Map => map(&mut policy, state, name),
            _ => {}
        }
    }
    policy
}

/// A literal parameter `key` of `parameters`, or `*` when it is chosen at run time (`key.$`,
/// or a JSONata expression `{% ... %}`).
fn literal(parameters: Option<&Value>, key: &str) -> String {
    parameters
        .and_then(|p| p.get(key))
        .and_then(Value::as_str)
        .filter(|s| !s.starts_with("{%"))
        .map_or_else(|| "*".to_owned(), str::to_owned)
}

fn task(policy: &mut Policy, state: &State) {
    let Some(resource) = state.resource.as_deref() else {
        return;
    };
    // A JSONata Task gives its parameters in `Arguments`.
    let parameters = state.parameters.as_ref().or(state.arguments.as_ref());
    let integration = match Resource::of(resource) {
        Resource::LambdaFunction => {
            policy.allow(&["lambda:InvokeFunction"], &function(resource));
            return;
        }
        Resource::Integration(integration) => integration,
        Resource::Activity | Resource::Other => {
            policy.unknown.insert(resource.to_owned());
            return;
        }
    };
    match (integration.service, integration.api) {
        ("lambda", "invoke") => {
            let name = literal(parameters, "FunctionName");
            let arn = if name.starts_with("arn:") || name == "*" {
                name
            } else {
                format!("arn:aws:lambda:*:*:function:{name}")
            };
            policy.allow(&["lambda:InvokeFunction"], &function(&arn));
        }
        ("dynamodb", call) => {
            let table = literal(parameters, "TableName");
            let arn = if table == "*" {
                table
            } else {
                format!("arn:aws:dynamodb:*:*:table/{table}")
            };
            policy.allow(&[&format!("dynamodb:{}", pascal(call))], &[arn]);
        }
        ("states", "startExecution") => {
            let machine = literal(parameters, "StateMachineArn");
            policy.allow(&["states:StartExecution"], std::slice::from_ref(&machine));
            if matches!(integration.pattern, Pattern::Sync | Pattern::Sync2) {
                let executions = machine.split_once(":stateMachine:").map_or_else(
                    || "*".to_owned(),
                    |(head, name)| format!("{head}:execution:{name}:*"),
                );
                policy.allow(
                    &["states:DescribeExecution", "states:StopExecution"],
                    &[executions],
                );
                policy.allow(
                    &["events:PutTargets", "events:PutRule", "events:DescribeRule"],
                    &["arn:aws:events:*:*:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule".to_owned()],
                );
            }
        }
        ("sns", "publish") => {
            policy.allow(&["sns:Publish"], &[literal(parameters, "TopicArn")]);
        }
        ("sqs", "sendMessage") => {
            let url = literal(parameters, "QueueUrl");
            policy.allow(&["sqs:SendMessage"], &[queue_arn(&url)]);
        }
        ("events", "putEvents") => {
            policy.allow(
                &["events:PutEvents"],
                &["arn:aws:events:*:*:event-bus/*".to_owned()],
            );
        }
        ("aws-sdk", call) if call.contains(':') => {
            let (service, api) = call.split_once(':').unwrap_or_default();
            policy.allow(&[&format!("{service}:{}", pascal(api))], &["*".to_owned()]);
        }
        _ => {
            policy.unknown.insert(resource.to_owned());
        }
    }
}

/// A Distributed Map starts its children as executions of this state machine, and reads and
/// writes S3 through its reader and writer.
fn map(policy: &mut Policy, state: &State, name: &str) {
    if !state.is_distributed() {
        return;
    }
    let machine = format!("arn:aws:states:*:*:stateMachine:{name}");
    policy.allow(&["states:StartExecution"], std::slice::from_ref(&machine));
    policy.allow(
        &["states:DescribeExecution", "states:StopExecution"],
        &[format!("arn:aws:states:*:*:execution:{name}/*")],
    );
    let s3 = |io: &Option<Value>| {
        let io = io.as_ref()?;
        let resource = io.get("Resource")?.as_str()?;
        let parameters = io.get("Parameters").or_else(|| io.get("Arguments"));
        Some((resource.to_owned(), literal(parameters, "Bucket")))
    };
    if let Some((resource, bucket)) = s3(&state.item_reader) {
        match resource.as_str() {
            "arn:aws:states:::s3:getObject" => {
                policy.allow(&["s3:GetObject"], &[format!("arn:aws:s3:::{bucket}/*")]);
            }
            "arn:aws:states:::s3:listObjectsV2" => {
                policy.allow(&["s3:ListBucket"], &[format!("arn:aws:s3:::{bucket}")]);
            }
            other => {
                policy.unknown.insert(other.to_owned());
            }
        }
    }
    if let Some((_, bucket)) = s3(&state.result_writer) {
        policy.allow(
            &[
                "s3:PutObject",
                "s3:GetObject",
                "s3:ListMultipartUploadParts",
                "s3:AbortMultipartUpload",
            ],
            &[format!("arn:aws:s3:::{bucket}/*")],
        );
    }
}

/// A function's ARN and its versions' and aliases' (`ARN:*`), as AWS's generated policies
/// allow both.
fn function(arn: &str) -> Vec<String> {
    if arn == "*" {
        return vec![arn.to_owned()];
    }
    // A qualified ARN (`...:function:name:alias`) is allowed as written.
    let parts = arn.split(':').count();
    if parts > 7 {
        return vec![arn.to_owned()];
    }
    vec![arn.to_owned(), format!("{arn}:*")]
}

/// A queue's ARN from its URL (`https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`).
fn queue_arn(url: &str) -> String {
    let mut parts = url.trim_start_matches("https://").split('/');
    let host = parts.next().unwrap_or_default();
    let (account, name) = (parts.next(), parts.next());
    let region = host.split('.').nth(1).unwrap_or("*");
    match (account, name) {
        (Some(account), Some(name)) => format!("arn:aws:sqs:{region}:{account}:{name}"),
        _ => "*".to_owned(),
    }
}

/// `putItem` as IAM names the action: `PutItem`.
fn pascal(call: &str) -> String {
    let mut chars = call.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(definition: &str) -> Policy {
        policy(&StateMachine::from_json(definition).unwrap(), "Demo")
    }

    // The developer guide's "IAM policies for integrated services": Lambda (the function and
    // its versions), DynamoDB (the table), Step Functions `.sync` (the child's executions and
    // the events rule), SQS (the queue's ARN).
    #[test]
    fn each_integration_asks_for_its_actions() {
        let p = of(r#"{"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "Next": "B"},
            "B": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "Parameters": {"TableName": "${T}", "Item": {}}, "Next": "C"},
            "C": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2", "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:Child"}, "Next": "D"},
            "D": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/q", "MessageBody": "x"}, "Next": "E"},
            "E": {"Type": "Task", "Resource": "arn:aws:states:::glue:startJobRun", "End": true}}}"#);
        let s = &p.statements;
        assert_eq!(
            s["lambda:InvokeFunction"],
            BTreeSet::from([
                "arn:aws:lambda:us-east-1:1:function:f".to_owned(),
                "arn:aws:lambda:us-east-1:1:function:f:*".to_owned()
            ])
        );
        assert_eq!(
            s["dynamodb:PutItem"],
            BTreeSet::from(["arn:aws:dynamodb:*:*:table/${T}".to_owned()])
        );
        assert!(
            s["states:DescribeExecution"].contains("arn:aws:states:us-east-1:1:execution:Child:*")
        );
        assert!(s.contains_key("events:PutRule"));
        assert_eq!(
            s["sqs:SendMessage"],
            BTreeSet::from(["arn:aws:sqs:us-east-1:1:q".to_owned()])
        );
        assert_eq!(
            p.unknown,
            BTreeSet::from(["arn:aws:states:::glue:startJobRun".to_owned()])
        );
        let document = p.to_json();
        assert_eq!(document["Version"], "2012-10-17");
    }

    // "Distributed Map state IAM policies": starting child executions of the state machine
    // itself, reading the reader's bucket, writing the writer's.
    #[test]
    fn a_distributed_map_starts_its_children_and_reads_its_bucket() {
        let p = of(
            r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "in", "Key": "k"}},
            "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out"}},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}"#,
        );
        let s = &p.statements;
        assert!(s["states:StartExecution"].contains("arn:aws:states:*:*:stateMachine:Demo"));
        assert_eq!(
            s["s3:GetObject"],
            BTreeSet::from([
                "arn:aws:s3:::in/*".to_owned(),
                "arn:aws:s3:::out/*".to_owned()
            ])
        );
        assert!(s["s3:PutObject"].contains("arn:aws:s3:::out/*"));
    }

    // A JSONata state gives the same parameters in `Arguments` (the developer guide,
    // "Transforming data with JSONata"; "ItemReader (Map)": "Arguments (JSONata) or
    // Parameters (JSONPath)"); a value that is an expression is chosen at run time, as a
    // `.$` member is: `*`.
    #[test]
    fn jsonata_arguments_name_their_resources() {
        let p = of(r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"}, "Next": "B"},
            "B": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                "Arguments": {"TableName": "{% $states.input.table %}", "Key": {}}, "Next": "M"},
            "M": {"Type": "Map", "End": true,
                "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Arguments": {"Bucket": "in", "Key": "k"}},
                "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}"#);
        let s = &p.statements;
        assert_eq!(
            s["lambda:InvokeFunction"],
            BTreeSet::from([
                "arn:aws:lambda:*:*:function:f".to_owned(),
                "arn:aws:lambda:*:*:function:f:*".to_owned()
            ])
        );
        assert_eq!(s["dynamodb:GetItem"], BTreeSet::from(["*".to_owned()]));
        assert_eq!(
            s["s3:GetObject"],
            BTreeSet::from(["arn:aws:s3:::in/*".to_owned()])
        );
    }
}
