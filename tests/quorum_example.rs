//! The main example, `examples/quorum.rs`, over many seeds under the paused clock: every run
//! ends within the 15 second timeout, names each process exactly once, and its three
//! endings (met, impossible, ran out of time) all occur.

use std::time::Duration;

use serde_json::{json, Value};
use tokio::time::Instant;

#[path = "../examples/quorum.rs"]
#[allow(dead_code)]
mod example;

use example::{QuorumRace, Simulation};

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn every_seed_ends_in_time_and_accounts_for_every_process() {
    let mut endings = [0; 3];
    for seed in 0..200 {
        let start = Instant::now();
        let summary = QuorumRace::new(Simulation { seed })
            .run(json!({"quorum": 2}))
            .await
            .unwrap();
        let elapsed = start.elapsed();
        assert!(
            elapsed <= Duration::from_secs(15),
            "seed {seed} took {elapsed:?}"
        );

        let (succeeded, failed, cut_off) = (
            names(&summary["succeeded"]),
            names(&summary["failed"]),
            names(&summary["cut_off"]),
        );
        let mut all: Vec<String> = succeeded
            .iter()
            .chain(&failed)
            .chain(&cut_off)
            .cloned()
            .collect();
        all.sort();
        assert_eq!(
            all,
            ["Process 1", "Process 2", "Process 3"],
            "seed {seed}: {summary}"
        );

        let met = summary["quorum_met"] == json!(true);
        let timed_out = summary["ran_out_of_time"] == json!(true);
        assert_eq!(met, succeeded.len() >= 2, "seed {seed}: {summary}");
        if timed_out {
            assert!(
                !met && elapsed == Duration::from_secs(15),
                "seed {seed}: {summary}"
            );
            endings[2] += 1;
        } else if met {
            endings[0] += 1;
        } else {
            assert!(
                failed.len() >= 2,
                "an impossible quorum needs two failures; seed {seed}: {summary}"
            );
            endings[1] += 1;
        }
    }
    assert!(
        endings.iter().all(|n| *n > 0),
        "met, impossible, timed out: {endings:?}"
    );
}

/// The seed the README's execution page shows: two processes succeed, the third is still
/// working when the quorum is met and is cancelled.
const README_SEED: u64 = 3;

// The README's "What happened?" section: with its seed, the race ends with two processes
// succeeded and one cancelled, and the history records the cancelled one's
// `TaskStateAborted` before the Parallel's `ParallelStateSucceeded` (this crate's recording
// of a cancelled branch, `sfn_workflow::history`).
#[tokio::test(start_paused = true)]
async fn the_readme_seed_shows_the_race() {
    let (summary, history) = QuorumRace::new(Simulation { seed: README_SEED })
        .run_recorded(json!({"quorum": 2}))
        .await;
    let summary = summary.unwrap();
    assert_eq!(names(&summary["succeeded"]).len(), 2, "{summary}");
    assert_eq!(names(&summary["cut_off"]).len(), 1, "{summary}");
    let types = history.types();
    let aborted = types.iter().position(|t| *t == "TaskStateAborted");
    let succeeded = types.iter().position(|t| *t == "ParallelStateSucceeded");
    assert!(aborted.is_some() && aborted < succeeded, "{types:?}");
    let cancelled = &history.events[aborted.unwrap()];
    assert_eq!(
        cancelled.state.as_deref(),
        names(&summary["cut_off"]).first().map(String::as_str)
    );
}
