//! Benchmark 6: growth (issue 13). What large inputs cost as they grow tenfold, at 10k,
//! 100k and 1M: time and peak heap (a counting allocator, in this one process), and both per
//! item, which stay flat when the cost is linear.
//!
//! - `validate`: a definition of n Pass states read and checked (`Interpreter::from_json`).
//! - `map $$`: a Map over n items whose `ItemSelector` reads `$$.Map.Item.Value`,
//!   `$$.Execution.Name` and `$$.Execution.Input` paths (the context object was once made,
//!   with a copy of the whole input, for each item).
//! - `map wait`: a Map over n items, each a `Wait` of 1 s, on tokio's paused clock.
//! - `map task`: a Map over n items, each a Task whose handler takes a `TaskContext` (the
//!   context object, with a copy of the input, was once made for each item).
//! - `array unique`: `States.ArrayUnique` over n items, half of them repeats.
//!
//! Runs beyond AWS's quotas (a 1M-item input is far past 256 KiB, its history past 25,000
//! events) run under raised [`Limits`], as a local test of that size would.
//!
//! ```text
//! cargo bench --bench growth            # 10k, 100k and 1M
//! cargo bench --bench growth -- --quick # 10k and 100k
//! ```

use std::sync::atomic::Ordering;
use std::time::Instant;

use serde_json::{json, Value};
use sfn_workflow::interpret::Interpreter;
use sfn_workflow::{Limits, TaskContext};

#[path = "support/heap.rs"]
mod heap;

use heap::{LIVE, PEAK};

#[global_allocator]
static ALLOCATOR: heap::Counting = heap::Counting;

/// Limits for a local run of any size here.
const BIG: Limits = Limits::AWS.payload_bytes(1 << 30).history_events(u32::MAX);

/// Runs `f` once: its peak heap above what was live before, and its time in seconds.
fn measured<T>(f: impl FnOnce() -> T) -> (T, usize, f64) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let start = Instant::now();
    let out = f();
    let seconds = start.elapsed().as_secs_f64();
    (out, PEAK.load(Ordering::Relaxed) - before, seconds)
}

fn row(what: &str, n: usize, peak: usize, seconds: f64) {
    println!(
        "| {what} | {n} | {seconds:.3} s | {:.0} ns | {:.1} MiB | {:.0} B |",
        seconds * 1e9 / n as f64,
        peak as f64 / 1_048_576.0,
        peak as f64 / n as f64,
    );
}

fn chain_of(n: usize) -> String {
    let mut states = serde_json::Map::new();
    for i in 0..n {
        let state = if i + 1 == n {
            json!({"Type": "Succeed"})
        } else {
            json!({"Type": "Pass", "Next": format!("S{}", i + 1)})
        };
        states.insert(format!("S{i}"), state);
    }
    json!({"StartAt": "S0", "States": states}).to_string()
}

fn interpreter(definition: &Value) -> Interpreter {
    let mut interpreter = Interpreter::from_json("Growth", &definition.to_string()).unwrap();
    interpreter.limits(BIG);
    interpreter
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let sizes: &[usize] = if quick {
        &[10_000, 100_000]
    } else {
        &[10_000, 100_000, 1_000_000]
    };
    let paused = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let map_context = interpreter(&json!({"StartAt": "M", "States": {"M": {"Type": "Map",
        "ItemsPath": "$.items",
        "ItemSelector": {"v.$": "$$.Map.Item.Value", "name.$": "$$.Execution.Name",
                         "first.$": "$$.Execution.Input.items[0]"},
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "ResultSelector": {"n.$": "States.ArrayLength($)"}, "End": true}}}));
    let map_wait = interpreter(&json!({"StartAt": "M", "States": {"M": {"Type": "Map",
        "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": true}}},
        "ResultSelector": {"n.$": "States.ArrayLength($)"}, "End": true}}}));
    let mut map_task = interpreter(&json!({"StartAt": "M", "States": {"M": {"Type": "Map",
        "ItemsPath": "$.items",
        "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:t", "End": true}}},
        "ResultSelector": {"n.$": "States.ArrayLength($)"}, "End": true}}}));
    map_task.handle_resource("arn:t", |v: Value, context: TaskContext| async move {
        Ok::<_, sfn_workflow::Error>(json!([v, context.retry_count()]))
    });
    let unique = interpreter(&json!({"StartAt": "U", "States": {"U": {"Type": "Pass",
        "Parameters": {"n.$": "States.ArrayLength(States.ArrayUnique($))"}, "End": true}}}));

    println!("\n| growth | n | time | per item | peak heap | per item |");
    println!("|---|---|---|---|---|---|");
    for &n in sizes {
        let text = chain_of(n);
        let (loaded, peak, seconds) = measured(|| Interpreter::from_json("Chain", &text));
        assert!(loaded.is_ok());
        drop(loaded);
        row("validate", n, peak, seconds);

        let input = json!({"items": (0..n).collect::<Vec<_>>()});
        let (out, peak, seconds) = measured(|| paused.block_on(map_context.run(input)));
        assert_eq!(out, Ok(json!({"n": n})));
        row("map $$", n, peak, seconds);

        let input = json!({"items": (0..n).collect::<Vec<_>>()});
        let (out, peak, seconds) = measured(|| paused.block_on(map_task.run(input)));
        assert_eq!(out, Ok(json!({"n": n})));
        row("map task", n, peak, seconds);

        let input = json!((0..n).collect::<Vec<_>>());
        let (out, peak, seconds) = measured(|| paused.block_on(map_wait.run(input)));
        assert_eq!(out, Ok(json!({"n": n})));
        row("map wait", n, peak, seconds);

        let input = json!((0..n).map(|i| i % (n / 2)).collect::<Vec<_>>());
        let (out, peak, seconds) = measured(|| paused.block_on(unique.run(input)));
        assert_eq!(out, Ok(json!({"n": n / 2})));
        row("array unique", n, peak, seconds);
    }
}
