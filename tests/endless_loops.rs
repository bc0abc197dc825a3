//! A loop of states that never wait (a Pass and a Choice sending it back, issue 13's
//! reproducer) must not hold its thread: the execution yields to its executor every
//! `STATES_BETWEEN_YIELDS` states, so an abort, a timeout or any other task gets in. Without
//! that, these tests would never end: the spawned execution would never give the thread back.

use serde_json::json;
use sfn_workflow::interpret::Interpreter;

const ENDLESS: &str = r#"{"StartAt": "P", "States": {
    "P": {"Type": "Pass", "Next": "C"},
    "C": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "E"}], "Default": "P"},
    "E": {"Type": "Succeed"}}}"#;

sfn_workflow::workflow! {
    Endless {
        start_at: P,
        states: {
            P: Pass { next: C },
            C: Choice { choices: [{ variable: "$.stop", is_present: true, next: E }], default: P },
            E: Succeed {},
        }
    }
}

/// Spawns `execution` on this (one-threaded) runtime, lets it run, and aborts it.
async fn abort_after_a_while<F>(execution: F)
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + std::fmt::Debug + 'static,
{
    let running = tokio::spawn(execution);
    // Each of these hands the thread to the execution, which must hand it back.
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert!(!running.is_finished(), "the loop has no end");
    running.abort();
    assert!(running.await.unwrap_err().is_cancelled());
}

#[tokio::test(start_paused = true)]
async fn a_generated_loop_of_states_that_never_wait_can_be_aborted() {
    abort_after_a_while(Endless.run(json!({}))).await;
}

#[tokio::test(start_paused = true)]
async fn an_interpreted_loop_of_states_that_never_wait_can_be_aborted() {
    let interpreter = Interpreter::from_json("Endless", ENDLESS).unwrap();
    abort_after_a_while(async move { interpreter.run(json!({})).await }).await;
}

#[tokio::test(start_paused = true)]
async fn the_same_loop_still_ends_when_its_choice_says_so() {
    assert_eq!(
        Endless.run(json!({"stop": 1})).await,
        Ok(json!({"stop": 1}))
    );
}
