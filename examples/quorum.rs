//! The quorum seed: three processes race; the workflow moves on as soon as `quorum` of them
//! succeeded, gives up as soon as that has become impossible, and stops waiting after 15
//! seconds. A final state says which processes succeeded, failed or were cut off, and
//! whether time ran out.
//!
//! ```text
//! cargo run --example quorum                          # input {"quorum": 2}, a random seed
//! cargo run --example quorum -- '{"quorum": 3}'
//! cargo run --example quorum -- --seed 7              # repeat a run (or QUORUM_SEED=7)
//! cargo run --example quorum -- --asl                 # the ASL export
//! ```
//!
//! Each process starts up in 50 to 500 ms, then works for a random 1 to 15 seconds, or fails
//! after it; the seed makes the draw repeatable. A run never takes longer than the 15 second
//! timeout (plus the moment the summary takes).

use std::process::ExitCode;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sfn_workflow::Error;

sfn_workflow::workflow! {
    /// Three processes race to a quorum read from the execution's input.
    pub QuorumRace {
        comment: "Move on once a quorum of three processes succeeded",
        // What the processes share; `QuorumRace::new(Simulation { seed })` provides it.
        deps: Simulation,
        start_at: "Wait for a quorum",
        states: {
            "Wait for a quorum": Parallel {
                // One branch per process, from a template: exported as the three written out.
                branches: [
                    for name in ["Process 1", "Process 2", "Process 3"] {
                        start_at: name,
                        states: { name: Task {
                            resource: "arn:aws:lambda:us-east-1:123456789012:function:process",
                            handler: process,
                            parameters: {"process": name},
                            end: true,
                        } }
                    },
                ],
                quorum: { count: "$$.Execution.Input.quorum", timeout_seconds: 15 },
                result_path: "$.outcome",
                catch: [
                    // The seed's "ran out of time" route.
                    { error_equals: ["States.Timeout"], result_path: "$.outcome", next: Summarize },
                    { error_equals: ["Workflow.QuorumImpossible"], result_path: "$.outcome", next: Summarize },
                ],
                next: Summarize,
            },
            Summarize: Task {
                resource: "arn:aws:lambda:us-east-1:123456789012:function:summarize",
                handler: summarize,
                end: true,
            },
        }
    }
}

/// What the simulated processes share: the seed their random draws come from. In a service
/// this is where a client, a pool or configuration would be.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Simulation {
    /// Repeats a run: the same seed makes the same draws.
    pub(crate) seed: u64,
}

#[derive(Deserialize)]
pub(crate) struct Work {
    process: String,
}

#[derive(Serialize)]
pub(crate) struct Done {
    process: String,
    worked_seconds: u64,
}

/// A process: starts up in 50 to 500 ms (as a Lambda invocation would), works for a random 1
/// to 15 seconds, and one time in four fails after it. The draw depends only on the seed and
/// the process's name, so a seed repeats a run.
pub(crate) async fn process(simulation: &Simulation, work: Work) -> Result<Done, Error> {
    let mut rng = fastrand::Rng::with_seed(simulation.seed ^ fnv1a(&work.process));
    let start_up = Duration::from_millis(rng.u64(50..=500));
    let seconds = rng.u64(1..=15);
    let fails = rng.u8(0..4) == 0;
    tracing::info!(process = %work.process, seconds, fails, "working");
    tokio::time::sleep(start_up + Duration::from_secs(seconds)).await;
    if fails {
        tracing::info!(process = %work.process, "failed");
        return Err(Error::new(
            "ProcessFailed",
            format!("{} gave up after {seconds}s", work.process),
        ));
    }
    tracing::info!(process = %work.process, "succeeded");
    Ok(Done {
        process: work.process,
        worked_seconds: seconds,
    })
}

/// FNV-1a: a hash defined here rather than `std`'s `DefaultHasher`, whose algorithm may
/// change between Rust releases, so that a seed repeats a run on any toolchain.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[derive(Deserialize)]
pub(crate) struct Finished {
    quorum: Value,
    /// The quorum report, or the error (`Error`, `Cause`) whose cause is the report.
    outcome: Value,
}

#[derive(Serialize)]
pub(crate) struct Summary {
    quorum: Value,
    quorum_met: bool,
    ran_out_of_time: bool,
    succeeded: Value,
    failed: Value,
    cut_off: Value,
}

/// The final state: what happened to every process, whichever way the race ended.
pub(crate) async fn summarize(finished: Finished) -> Result<Summary, Error> {
    let report = match finished.outcome.get("Cause").and_then(Value::as_str) {
        Some(cause) => {
            serde_json::from_str(cause).map_err(|e| Error::new("BadReport", e.to_string()))?
        }
        None => finished.outcome,
    };
    let with = |status: &str| -> Value {
        let branches = report["branches"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        branches
            .iter()
            .filter(|b| b["status"] == status)
            .map(|b| b["name"].clone())
            .collect()
    };
    Ok(Summary {
        quorum: finished.quorum,
        quorum_met: report["quorum_met"] == json!(true),
        ran_out_of_time: report["timed_out"] == json!(true),
        succeeded: with("succeeded"),
        failed: with("failed"),
        cut_off: with("cancelled"),
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    let mut args = sfn_workflow::cli::args();
    let seed = match take_seed(&mut args) {
        Ok(seed) => seed,
        Err(problem) => {
            eprintln!("{problem}");
            return ExitCode::from(2);
        }
    };
    if !args.iter().any(|a| a == "--asl") {
        tracing::info!(seed, "racing; repeat this run with --seed {seed}");
    }
    let options = sfn_workflow::cli::Options {
        default_input: json!({"quorum": 2}),
        ..Default::default()
    };
    let race = QuorumRace::new(Simulation { seed });
    sfn_workflow::cli::main_with(&race, &args, &options).await
}

/// `--seed N` (removed from `args`), else `QUORUM_SEED`, else a random seed.
fn take_seed(args: &mut Vec<String>) -> Result<u64, String> {
    if let Some(i) = args.iter().position(|a| a == "--seed") {
        let value = args.get(i + 1).ok_or("--seed needs a number")?;
        let seed = value
            .parse()
            .map_err(|_| format!("--seed needs a number, found `{value}`"))?;
        args.drain(i..=i + 1);
        return Ok(seed);
    }
    match std::env::var("QUORUM_SEED") {
        Ok(value) => value
            .parse()
            .map_err(|_| format!("QUORUM_SEED needs a number, found `{value}`")),
        Err(_) => Ok(fastrand::u64(..)),
    }
}
