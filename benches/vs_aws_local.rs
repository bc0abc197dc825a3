//! Benchmark 2: executions per second of the seed's Parallel workflow run natively (the
//! generated code, one execution after another on a current-thread runtime) against its
//! exported ASL run by aws-local-stepfunctions (npm) on the same machine, through
//! `tools/aws-local-stepfunctions/throughput.mjs`. Prints both rates and their ratio.
//!
//! ```text
//! npm ci --prefix tools/aws-local-stepfunctions
//! cargo bench --bench vs_aws_local
//! ```

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[path = "../examples/parallel.rs"]
#[allow(dead_code)]
mod parallel;

use parallel::ParallelStateMachine;

const SECONDS: u64 = 3;

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let native = rt.block_on(async {
        for _ in 0..1000 {
            ParallelStateMachine.run(json!({})).await.unwrap();
        }
        let start = Instant::now();
        let mut executions = 0u64;
        while start.elapsed() < Duration::from_secs(SECONDS) {
            for _ in 0..100 {
                ParallelStateMachine.run(json!({})).await.unwrap();
            }
            executions += 100;
        }
        executions as f64 / start.elapsed().as_secs_f64()
    });

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let asl = dir.join("target").join("seed-parallel.asl.json");
    std::fs::write(&asl, ParallelStateMachine::asl().to_string()).unwrap();
    let out = Command::new("node")
        .arg(dir.join("tools/aws-local-stepfunctions/throughput.mjs"))
        .arg(&asl)
        .arg(SECONDS.to_string())
        .output()
        .expect("node runs (npm ci --prefix tools/aws-local-stepfunctions first)");
    assert!(
        out.status.success(),
        "throughput.mjs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let aws_local = report["per_second"].as_f64().unwrap();
    println!("| runner | executions per second |\n|---|---|");
    println!("| workflow (generated code) | {native:.0} |");
    println!("| aws-local-stepfunctions 3.0.0 | {aws_local:.0} |");
    println!("\nratio: {:.0}x", native / aws_local);
}
