//! The context object (`$$`) as `parameters` see it: the execution, the state's name, when it
//! was entered, and how many retries came before this attempt.

use std::sync::Mutex;

use serde_json::{json, Value};
use sfn_workflow::Error;

static SEEN: Mutex<Vec<Value>> = Mutex::new(Vec::new());

/// Records its input, and fails on its first two attempts.
async fn record(input: Value) -> Result<Value, Error> {
    let mut seen = SEEN.lock().unwrap();
    seen.push(input.clone());
    if seen.len() <= 2 {
        return Err(Error::new("NotYet", "try again"));
    }
    Ok(input)
}

sfn_workflow::workflow! {
    Context {
        start_at: Look,
        states: {
            Look: Task {
                resource: "arn:aws:lambda:us-east-1:123456789012:function:look",
                handler: record,
                parameters: {
                    "state.$": "$$.State.Name",
                    "retry.$": "$$.State.RetryCount",
                    "entered.$": "$$.State.EnteredTime",
                    "input.$": "$$.Execution.Input",
                    "execution.$": "$$.Execution.Id",
                    "machine.$": "$$.StateMachine.Name",
                },
                retry: [{ interval_seconds: 1, max_attempts: 2 }],
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn parameters_read_the_context_object_anew_for_each_attempt() {
    let out = Context.run(json!({"order": 7})).await.unwrap();
    let seen = SEEN.lock().unwrap().clone();
    let retries: Vec<&Value> = seen.iter().map(|s| &s["retry"]).collect();
    assert_eq!(retries, [&json!(0), &json!(1), &json!(2)]);
    // Entered once: every attempt sees the same time, an ASL timestamp.
    assert!(seen.iter().all(|s| s["entered"] == seen[0]["entered"]));
    assert!(sfn_workflow::asl::timestamp::parse(seen[0]["entered"].as_str().unwrap()).is_some());
    assert_eq!(out["state"], json!("Look"));
    assert_eq!(out["input"], json!({"order": 7}));
    assert_eq!(out["machine"], json!("Context"));
    assert!(out["execution"]
        .as_str()
        .unwrap()
        .contains(":execution:Context:"));
}
