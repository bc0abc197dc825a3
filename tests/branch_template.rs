//! Parallel branches from a template: `for name in [...] { ... }` inside `branches` writes
//! one branch per item, and exports the same ASL as the branches written out by hand.

use serde_json::{json, Value};
use sfn_workflow::Error;

async fn ask(replica: Value) -> Result<Value, Error> {
    // Replica 3 is down: the quorum of 3 is met by the others.
    if replica["replica"] == json!("Replica 3") {
        return Err(Error::new("ReplicaDown", "no answer"));
    }
    Ok(json!({"ack": replica["replica"]}))
}

sfn_workflow::workflow! {
    Templated {
        start_at: Write,
        states: {
            Write: Parallel {
                branches: [
                    for replica in ["Replica 1", "Replica 2", "Replica 3", "Replica 4", "Replica 5"] {
                        start_at: "Ask {replica}",
                        states: {
                            "Ask {replica}": Task {
                                resource: "arn:aws:lambda:us-east-1:123456789012:function:ask",
                                handler: ask,
                                parameters: {"replica": replica},
                                next: "Record {replica}",
                            },
                            "Record {replica}": Pass { result_path: "$.replica", result: replica, end: true },
                        }
                    },
                ],
                quorum: { count: 3 },
                end: true,
            },
        }
    }
}

sfn_workflow::workflow! {
    ByHand {
        start_at: Write,
        states: {
            Write: Parallel {
                branches: [
                    { start_at: "Ask Replica 1", states: {
                        "Ask Replica 1": Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:ask", handler: ask, parameters: {"replica": "Replica 1"}, next: "Record Replica 1" },
                        "Record Replica 1": Pass { result_path: "$.replica", result: "Replica 1", end: true } } },
                    { start_at: "Ask Replica 2", states: {
                        "Ask Replica 2": Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:ask", handler: ask, parameters: {"replica": "Replica 2"}, next: "Record Replica 2" },
                        "Record Replica 2": Pass { result_path: "$.replica", result: "Replica 2", end: true } } },
                    { start_at: "Ask Replica 3", states: {
                        "Ask Replica 3": Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:ask", handler: ask, parameters: {"replica": "Replica 3"}, next: "Record Replica 3" },
                        "Record Replica 3": Pass { result_path: "$.replica", result: "Replica 3", end: true } } },
                    { start_at: "Ask Replica 4", states: {
                        "Ask Replica 4": Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:ask", handler: ask, parameters: {"replica": "Replica 4"}, next: "Record Replica 4" },
                        "Record Replica 4": Pass { result_path: "$.replica", result: "Replica 4", end: true } } },
                    { start_at: "Ask Replica 5", states: {
                        "Ask Replica 5": Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:ask", handler: ask, parameters: {"replica": "Replica 5"}, next: "Record Replica 5" },
                        "Record Replica 5": Pass { result_path: "$.replica", result: "Replica 5", end: true } } },
                ],
                quorum: { count: 3 },
                end: true,
            },
        }
    }
}

#[test]
fn a_template_exports_what_the_branches_written_out_export() {
    assert_eq!(Templated::asl(), ByHand::asl());
    assert_eq!(Templated::definition(), ByHand::definition());
    // The checked definition keeps the `Quorum` field that the export lowers to ASL states.
    let definition = serde_json::to_value(Templated::definition()).unwrap();
    assert_eq!(
        definition["States"]["Write"]["Branches"][4]["StartAt"],
        json!("Ask Replica 5"),
        "one branch per item, in order"
    );
}

#[tokio::test(start_paused = true)]
async fn the_instances_run_as_branches_of_the_quorum() {
    let report = Templated.run(json!({})).await.unwrap();
    // The States Language has no quorum: the report is this crate's (see `workflow!`'s
    // "Quorum"): every branch's fate, the first three successes meeting the quorum.
    assert_eq!(report["quorum_met"], json!(true));
    let status: Vec<&Value> = report["branches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| &b["status"])
        .collect();
    assert_eq!(status.iter().filter(|s| **s == "succeeded").count(), 3);
    assert_eq!(report, ByHand.run(json!({})).await.unwrap());
}
