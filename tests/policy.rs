//! The IAM policy a workflow's execution role needs (issue 16, part 5): computed from the ASL
//! export, so a quorum's DynamoDB record is covered; every corpus definition gets one, each
//! Task resource either covered or named as unknown. The actions and resource forms are those
//! of the AWS Step Functions developer guide's "IAM policies for integrated services".

use std::collections::BTreeSet;

use serde_json::Value;
use sfn_workflow::asl::policy::policy;
use sfn_workflow::asl::{walk, StateMachine, StateType};

#[path = "../examples/quorum.rs"]
#[allow(dead_code)]
mod quorum;

/// The actions of a policy document, with their resources.
fn statements(document: &Value) -> Vec<(String, BTreeSet<String>)> {
    let mut out = Vec::new();
    for statement in document["Statement"].as_array().unwrap() {
        assert_eq!(statement["Effect"], "Allow");
        let resources: BTreeSet<String> = statement["Resource"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_owned())
            .collect();
        for action in statement["Action"].as_array().unwrap() {
            out.push((action.as_str().unwrap().to_owned(), resources.clone()));
        }
    }
    out.sort();
    out
}

// The quorum example's role invokes its two functions (and their versions) and reads and
// writes the race's record in `${QuorumTable}`, the substitution the export keeps.
#[test]
fn the_quorum_example_needs_its_functions_and_its_table() {
    let document = quorum::QuorumRace::iam_policy();
    assert_eq!(document["Version"], "2012-10-17");
    let table: BTreeSet<String> = ["arn:aws:dynamodb:*:*:table/${QuorumTable}".to_owned()].into();
    let lambda = "arn:aws:lambda:us-east-1:123456789012:function:";
    let functions: BTreeSet<String> = [
        format!("{lambda}process"),
        format!("{lambda}process:*"),
        format!("{lambda}summarize"),
        format!("{lambda}summarize:*"),
    ]
    .into();
    assert_eq!(
        statements(&document),
        vec![
            ("dynamodb:GetItem".to_owned(), table.clone()),
            ("dynamodb:PutItem".to_owned(), table.clone()),
            ("dynamodb:UpdateItem".to_owned(), table),
            ("lambda:InvokeFunction".to_owned(), functions),
        ]
    );
}

// Every corpus definition gets a policy; each Task's resource is allowed somewhere or named as
// one this crate does not know.
#[test]
fn every_corpus_definition_gets_a_policy_that_accounts_for_each_task() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/asl-corpus");
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let Ok(machine) = StateMachine::from_json(&std::fs::read_to_string(&path).unwrap()) else {
            continue;
        };
        files += 1;
        let found = policy(&machine, "Corpus");
        let document = found.to_json();
        let granted = statements(&document);
        for task in walk::states(&machine).filter(|s| s.state.kind == StateType::Task) {
            let resource = task.state.resource.clone().unwrap_or_default();
            // The service whose actions the Task needs: a Lambda function's, or the
            // integration's (`dynamodb` in `arn:aws:states:::dynamodb:putItem`, `s3` in
            // `arn:aws:states:::aws-sdk:s3:getObject`).
            let service = match resource.strip_prefix("arn:aws:states:::") {
                Some(integration) => {
                    let integration = integration.strip_prefix("aws-sdk:").unwrap_or(integration);
                    integration
                        .split([':', '.'])
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                }
                None if resource.starts_with("arn:aws:lambda:") => "lambda".to_owned(),
                None => String::new(),
            };
            let covered = found.unknown.contains(&resource)
                || granted.iter().any(|(action, resources)| {
                    action.starts_with(&format!("{service}:"))
                        && (service != "lambda"
                            || !resource.starts_with("arn:aws:lambda:")
                            || resources.contains(&resource))
                });
            assert!(covered, "{}: {resource} ({service})", path.display());
        }
    }
    assert!(files > 100, "{files} corpus files read");
}
