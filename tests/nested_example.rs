//! The nested example (`examples/nested.rs`): its two workflows are the public
//! `workflow-within-a-workflow` pattern's (`tests/data/asl-corpus/`), exported as they are
//! there, and they run as that pattern's README says: the main workflow starts the child and
//! goes on, then waits for one child's completion and for another's callback.

use std::time::Duration;

use serde_json::{json, Value};
use tokio::time::Instant;

#[path = "../examples/nested.rs"]
#[allow(dead_code)]
mod nested;

use nested::{Nested, NestingPattern};

fn corpus(file: &str) -> Value {
    let text = std::fs::read_to_string(format!("tests/data/asl-corpus/{file}")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn both_workflows_export_as_the_corpus_pattern_writes_them() {
    assert_eq!(
        NestingPattern::asl(),
        corpus("workflow-within-a-workflow__statemachines__main-state-machine.asl.json")
    );
    assert_eq!(
        Nested::asl(),
        corpus("workflow-within-a-workflow__statemachines__nested-state-machine.asl.json")
    );
}

// Each child waits 1 s, calls back if asked, and waits 1 s more: the `.sync:2` branch ends
// with the child's output after 2 s; the callback branch gets the callback after 1 s.
#[tokio::test(start_paused = true)]
async fn the_main_workflow_waits_for_one_child_and_for_another_s_callback() {
    let started = Instant::now();
    let (output, history) = NestingPattern
        .run_with(json!({}), &sfn_workflow::RunOptions::new().keep_history())
        .await;
    assert_eq!(
        output.unwrap(),
        json!([
            "The whole execution is completed including both long-running jobs",
            {"Message": "Callback right after the first long-running job is completed"}
        ])
    );
    assert_eq!(started.elapsed(), Duration::from_secs(2));
    // The child the main workflow waited for has its own history, kept beside the main one.
    assert_eq!(history.children.len(), 1);
    let child = &history.children[0].1;
    assert!(child.types().contains(&"WaitStateEntered"));
    assert_eq!(child.types().last(), Some(&"ExecutionSucceeded"));
}
