//! Quorum Parallel under tokio's paused clock: met early (losers dropped, not awaited),
//! impossible, timed out, read from the input, equal to the branch count, retried, a panic
//! counted as a failure, and nested in a branch.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};
use sfn_workflow::error::names;
use sfn_workflow::Error;
use tokio::time::Instant;

#[path = "support/tally.rs"]
mod tally;

use tally::{stats, update, Guard, Stats};

#[derive(Deserialize)]
struct Process {
    test: String,
    secs: u64,
    #[serde(default)]
    fail: bool,
    #[serde(default)]
    panic: bool,
    /// Fail while fewer than this many processes of the test have started.
    #[serde(default)]
    fail_first: u32,
}

/// A process: sleeps `secs`, then succeeds or fails as told.
async fn process(p: Process) -> Result<Value, Error> {
    let mut nth = 0;
    update(&p.test, |s| {
        s.started += 1;
        nth = s.started;
    });
    let _guard = Guard(p.test.clone());
    tokio::time::sleep(Duration::from_secs(p.secs)).await;
    update(&p.test, |s| s.finished += 1);
    if p.panic {
        panic!("process crashed");
    }
    if p.fail || nth <= p.fail_first {
        return Err(Error::new(
            "ProcessFailed",
            format!("failed after {}s", p.secs),
        ));
    }
    Ok(json!({"slept": p.secs}))
}

/// The names of the branches the report gives `status`, in declaration order.
fn fates(report: &Value, status: &str) -> Value {
    report["branches"]
        .as_array()
        .expect("a report lists its branches")
        .iter()
        .filter(|b| b["status"] == status)
        .map(|b| b["name"].clone())
        .collect()
}

fn cause(err: &Error) -> Value {
    serde_json::from_str(err.cause()).expect("a quorum error's cause is its report as JSON")
}

sfn_workflow::workflow! {
    Met {
        start_at: Race,
        states: {
            Race: Parallel {
                branches: [
                    { start_at: P1, states: { P1: Task { resource: "arn:p", handler: process, parameters: {"test": "met", "secs": 1}, end: true } } },
                    { start_at: P2, states: { P2: Task { resource: "arn:p", handler: process, parameters: {"test": "met", "secs": 10}, end: true } } },
                    { start_at: P3, states: { P3: Task { resource: "arn:p", handler: process, parameters: {"test": "met", "secs": 2}, end: true } } },
                ],
                quorum: { count: 2, timeout_seconds: 15 },
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn met_early_the_losers_are_dropped_in_the_same_poll() {
    let start = Instant::now();
    let report = Met.run(json!({})).await.unwrap();
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(2),
        "moves on at the second success"
    );
    assert_eq!(
        report,
        json!({
            "quorum": 2, "outcome": "quorum_met", "quorum_met": true, "timed_out": false,
            "branches": [
                {"name": "P1", "status": "succeeded", "output": {"slept": 1}, "error": null},
                {"name": "P2", "status": "cancelled", "output": null, "error": null},
                {"name": "P3", "status": "succeeded", "output": {"slept": 2}, "error": null},
            ]
        })
    );
    // All three guards are gone when `run` returns: the loser was dropped, not awaited...
    assert_eq!(
        stats("met"),
        Stats {
            started: 3,
            finished: 2,
            dropped: 3
        }
    );
    // ...and it never finishes later.
    tokio::time::sleep(Duration::from_secs(30)).await;
    assert_eq!(stats("met").finished, 2);
}

sfn_workflow::workflow! {
    Impossible {
        start_at: Race,
        states: {
            Race: Parallel {
                branches: [
                    { start_at: P1, states: { P1: Task { resource: "arn:p", handler: process, parameters: {"test": "impossible", "secs": 1, "fail": true}, end: true } } },
                    { start_at: P2, states: { P2: Task { resource: "arn:p", handler: process, parameters: {"test": "impossible", "secs": 2, "fail": true}, end: true } } },
                    { start_at: P3, states: { P3: Task { resource: "arn:p", handler: process, parameters: {"test": "impossible", "secs": 9}, end: true } } },
                ],
                quorum: { count: 2, timeout_seconds: 15 },
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn an_impossible_quorum_fails_at_once_with_every_fate_in_the_cause() {
    let start = Instant::now();
    let err = Impossible.run(json!({})).await.unwrap_err();
    assert_eq!(err.name(), names::QUORUM_IMPOSSIBLE);
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(2),
        "fails at the second failure, not at the timeout"
    );
    let report = cause(&err);
    assert_eq!(fates(&report, "failed"), json!(["P1", "P2"]));
    assert_eq!(fates(&report, "cancelled"), json!(["P3"]));
    assert_eq!(
        report["branches"][1]["error"],
        json!({"Error": "ProcessFailed", "Cause": "failed after 2s"})
    );
    assert_eq!(report["quorum_met"], json!(false));
    assert_eq!(
        stats("impossible"),
        Stats {
            started: 3,
            finished: 2,
            dropped: 3
        }
    );
}

sfn_workflow::workflow! {
    /// The seed's shape: a timeout caught and routed to a "ran out of time" state.
    TimesOut {
        start_at: Race,
        states: {
            Race: Parallel {
                branches: [
                    { start_at: P1, states: { P1: Task { resource: "arn:p", handler: process, parameters: {"test": "timeout", "secs": 1}, end: true } } },
                    { start_at: P2, states: { P2: Task { resource: "arn:p", handler: process, parameters: {"test": "timeout", "secs": 20}, end: true } } },
                    { start_at: P3, states: { P3: Task { resource: "arn:p", handler: process, parameters: {"test": "timeout", "secs": 30}, end: true } } },
                ],
                quorum: { count: 2, timeout_seconds: 15 },
                catch: [{ error_equals: ["States.Timeout"], result_path: "$.timeout", next: "Ran out of time" }],
                end: true,
            },
            "Ran out of time": Pass { result: true, result_path: "$.ran_out_of_time", end: true },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_timeout_is_states_timeout_and_still_tells_every_fate() {
    let start = Instant::now();
    let out = TimesOut.run(json!({"order": 7})).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(15));
    assert_eq!(out["order"], json!(7));
    assert_eq!(out["ran_out_of_time"], json!(true));
    assert_eq!(out["timeout"]["Error"], json!("States.Timeout"));
    let report: Value = serde_json::from_str(out["timeout"]["Cause"].as_str().unwrap()).unwrap();
    assert_eq!(report["timed_out"], json!(true));
    assert_eq!(report["outcome"], json!("timed_out"));
    assert_eq!(fates(&report, "succeeded"), json!(["P1"]));
    assert_eq!(fates(&report, "cancelled"), json!(["P2", "P3"]));
    assert_eq!(
        stats("timeout"),
        Stats {
            started: 3,
            finished: 1,
            dropped: 3
        }
    );
}

sfn_workflow::workflow! {
    FromInput {
        start_at: Race,
        states: {
            Race: Parallel {
                branches: [
                    { start_at: P1, states: { P1: Task { resource: "arn:p", handler: process, parameters: {"test": "input", "secs": 1}, end: true } } },
                    { start_at: P2, states: { P2: Task { resource: "arn:p", handler: process, parameters: {"test": "input", "secs": 2}, end: true } } },
                    { start_at: P3, states: { P3: Task { resource: "arn:p", handler: process, parameters: {"test": "input", "secs": 3}, end: true } } },
                ],
                quorum: { count: "$$.Execution.Input.quorum" },
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn the_quorum_is_read_from_the_execution_input_when_the_state_runs() {
    for (quorum, secs) in [(1, 1), (2, 2), (3, 3)] {
        let start = Instant::now();
        let report = FromInput.run(json!({"quorum": quorum})).await.unwrap();
        assert_eq!(report["quorum"], json!(quorum));
        assert_eq!(
            start.elapsed(),
            Duration::from_secs(secs),
            "quorum {quorum}"
        );
    }
    for bad in [
        json!({"quorum": 0}),
        json!({"quorum": 4}),
        json!({"quorum": "two"}),
        json!({}),
    ] {
        let err = FromInput.run(bad.clone()).await.unwrap_err();
        assert_eq!(err.name(), names::INVALID_QUORUM, "{bad}");
    }
}

sfn_workflow::workflow! {
    FromStateInput {
        start_at: Race,
        states: {
            Race: Parallel {
                input_path: "$.settings",
                branches: [
                    { start_at: P1, states: { P1: Task { resource: "arn:p", handler: process, parameters: {"test": "state-input", "secs": 1}, end: true } } },
                    { start_at: P2, states: { P2: Task { resource: "arn:p", handler: process, parameters: {"test": "state-input", "secs": 2}, end: true } } },
                ],
                quorum: { count: "$.needed" },
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_dollar_path_reads_the_state_input_after_input_path() {
    let report = FromStateInput
        .run(json!({"settings": {"needed": 1}}))
        .await
        .unwrap();
    assert_eq!(fates(&report, "succeeded"), json!(["P1"]));
    assert_eq!(fates(&report, "cancelled"), json!(["P2"]));
}

sfn_workflow::workflow! {
    All {
        start_at: Race,
        states: {
            Race: Parallel {
                branches: [
                    { start_at: P1, states: { P1: Task { resource: "arn:p", handler: process, parameters: {"test": "all", "secs": 3}, end: true } } },
                    { start_at: P2, states: { P2: Task { resource: "arn:p", handler: process, parameters: {"test": "all", "secs": 1}, end: true } } },
                ],
                quorum: { count: 2 },
                end: true,
            },
        }
    }
}

sfn_workflow::workflow! {
    AllButOneFails {
        start_at: Race,
        states: {
            Race: Parallel {
                branches: [
                    { start_at: P1, states: { P1: Task { resource: "arn:p", handler: process, parameters: {"test": "all-fail", "secs": 3}, end: true } } },
                    { start_at: P2, states: { P2: Task { resource: "arn:p", handler: process, parameters: {"test": "all-fail", "secs": 1, "fail": true}, end: true } } },
                ],
                quorum: { count: 2 },
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_quorum_of_every_branch_waits_for_all_and_fails_on_the_first_failure() {
    let start = Instant::now();
    let report = All.run(json!({})).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(3));
    assert_eq!(fates(&report, "succeeded"), json!(["P1", "P2"]));

    let start = Instant::now();
    let err = AllButOneFails.run(json!({})).await.unwrap_err();
    assert_eq!(err.name(), names::QUORUM_IMPOSSIBLE);
    assert_eq!(start.elapsed(), Duration::from_secs(1));
    assert_eq!(
        stats("all-fail"),
        Stats {
            started: 2,
            finished: 1,
            dropped: 2
        }
    );
}

sfn_workflow::workflow! {
    Retried {
        start_at: Race,
        states: {
            Race: Parallel {
                branches: [
                    { start_at: P1, states: { P1: Task { resource: "arn:p", handler: process, parameters: {"test": "retried", "secs": 1, "fail_first": 2}, end: true } } },
                    { start_at: P2, states: { P2: Task { resource: "arn:p", handler: process, parameters: {"test": "retried", "secs": 2, "fail_first": 2}, end: true } } },
                ],
                quorum: { count: 1, timeout_seconds: 60 },
                retry: [{ error_equals: ["Workflow.QuorumImpossible"], interval_seconds: 5, max_attempts: 1 }],
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_quorum_parallel_is_retried_as_a_whole() {
    let start = Instant::now();
    let report = Retried.run(json!({})).await.unwrap();
    // Attempt 1: both processes fail (impossible at 2 s); 5 s later, attempt 2 meets the
    // quorum with its first process (1 s).
    assert_eq!(start.elapsed(), Duration::from_secs(2 + 5 + 1));
    assert_eq!(fates(&report, "succeeded"), json!(["P1"]));
    assert_eq!(stats("retried").started, 4);
}

sfn_workflow::workflow! {
    Crash {
        start_at: Race,
        states: {
            Race: Parallel {
                branches: [
                    { start_at: P1, states: { P1: Task { resource: "arn:p", handler: process, parameters: {"test": "crash", "secs": 1, "panic": true}, end: true } } },
                    { start_at: P2, states: { P2: Task { resource: "arn:p", handler: process, parameters: {"test": "crash", "secs": 2}, end: true } } },
                    { start_at: P3, states: { P3: Task { resource: "arn:p", handler: process, parameters: {"test": "crash", "secs": 3}, end: true } } },
                ],
                quorum: { count: 2 },
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_panicking_branch_counts_as_failed() {
    let report = Crash.run(json!({})).await.unwrap();
    assert_eq!(fates(&report, "failed"), json!(["P1"]));
    assert_eq!(
        report["branches"][0]["error"],
        json!({"Error": names::TASK_PANICKED, "Cause": "process crashed"})
    );
    assert_eq!(fates(&report, "succeeded"), json!(["P2", "P3"]));
}

sfn_workflow::workflow! {
    Nested {
        start_at: Outer,
        states: {
            Outer: Parallel {
                branches: [
                    { start_at: Inner, states: {
                        Inner: Parallel {
                            branches: [
                                { start_at: A, states: { A: Task { resource: "arn:p", handler: process, parameters: {"test": "nested", "secs": 1}, end: true } } },
                                { start_at: B, states: { B: Task { resource: "arn:p", handler: process, parameters: {"test": "nested", "secs": 5}, end: true } } },
                            ],
                            quorum: { count: 1 },
                            result_selector: {"outcome.$": "$.outcome", "first.$": "$.branches[0].status"},
                            end: true,
                        },
                    } },
                    { start_at: C, states: { C: Pass { result: "c", end: true } } },
                ],
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_quorum_parallel_nests_in_a_branch() {
    let start = Instant::now();
    assert_eq!(
        Nested.run(json!({})).await.unwrap(),
        json!([{"outcome": "quorum_met", "first": "succeeded"}, "c"])
    );
    assert_eq!(start.elapsed(), Duration::from_secs(1));
    assert_eq!(
        stats("nested"),
        Stats {
            started: 2,
            finished: 1,
            dropped: 2
        }
    );
}
