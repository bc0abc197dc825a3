//! Benchmark 3: fan-out. A Map over 1k, 10k and 100k items (generated code) and a Parallel
//! of as many branches (its definition built as JSON and run by the interpreter, as no one
//! writes 100k branches in a macro), each item or branch a no-op Pass state, against
//! `futures_util::future::join_all` over the same values written by hand. Reports time per
//! item (linear growth keeps it flat) and peak heap per item, measured by a counting
//! allocator, in this one process.
//!
//! ```text
//! cargo bench --bench fanout
//! ```

use std::sync::atomic::Ordering;
use std::time::Instant;

use criterion::{criterion_group, BenchmarkId, Criterion};
use serde_json::{json, Value};
use sfn_workflow::interpret::Interpreter;
use sfn_workflow::Limits;

mod support;

#[path = "support/heap.rs"]
mod heap;

use heap::{LIVE, PEAK};

#[global_allocator]
static ALLOCATOR: heap::Counting = heap::Counting;

sfn_workflow::workflow! {
    /// A Map whose iterations do nothing.
    MapFanout {
        start_at: Each,
        states: {
            Each: Map {
                item_processor: { start_at: Noop, states: { Noop: Pass { end: true } } },
                end: true,
            },
        }
    }
}

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

/// A fan-out of 100k items is far past AWS's quotas (a 256 KiB input, 25,000 history events):
/// it runs under raised limits, as a local test of that size would.
const LOCAL: Limits = Limits::AWS.payload_bytes(1 << 30).history_events(u32::MAX);

fn items(n: usize) -> Value {
    Value::Array((0..n).map(|i| json!(i)).collect())
}

fn parallel_of(n: usize) -> Interpreter {
    let branch = json!({"StartAt": "Noop", "States": {"Noop": {"Type": "Pass", "End": true}}});
    let branches: Vec<Value> = (0..n).map(|_| branch.clone()).collect();
    // Branch state names must be unique across the document: number them.
    let branches: Vec<Value> = branches
        .into_iter()
        .enumerate()
        .map(|(i, _)| json!({"StartAt": format!("Noop{i}"), "States": {format!("Noop{i}"): {"Type": "Pass", "End": true}}}))
        .collect();
    let definition = json!({"StartAt": "All", "States": {"All": {"Type": "Parallel", "Branches": branches, "End": true}}});
    let mut interpreter =
        Interpreter::from_json("ParallelFanout", &definition.to_string()).unwrap();
    interpreter.limits(LOCAL);
    interpreter
}

async fn by_hand(input: Value) -> Value {
    let Value::Array(values) = input else {
        return Value::Null;
    };
    Value::Array(futures_util::future::join_all(values.into_iter().map(|v| async move { v })).await)
}

async fn by_hand_branches(input: Value, n: usize) -> Value {
    Value::Array(
        futures_util::future::join_all((0..n).map(|_| {
            let v = input.clone();
            async move { v }
        }))
        .await,
    )
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
}

fn fanout(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("fanout");
    group.sample_size(10);
    for n in SIZES {
        let input = items(n);
        group.bench_with_input(BenchmarkId::new("map_generated", n), &input, |b, input| {
            b.to_async(&rt).iter(|| async {
                MapFanout
                    .run_with_limits(input.clone(), LOCAL)
                    .await
                    .unwrap()
            });
        });
        group.bench_with_input(BenchmarkId::new("map_by_hand", n), &input, |b, input| {
            b.to_async(&rt).iter(|| by_hand(input.clone()));
        });
        let interpreter = parallel_of(n);
        group.bench_with_input(BenchmarkId::new("parallel_interpreted", n), &n, |b, _| {
            b.to_async(&rt)
                .iter(|| async { interpreter.run(json!({})).await.unwrap() });
        });
        group.bench_with_input(BenchmarkId::new("parallel_by_hand", n), &n, |b, &n| {
            b.to_async(&rt).iter(|| by_hand_branches(json!({}), n));
        });
    }
    group.finish();
}

/// Peak heap above what was live before, while running `f` once, and the time it took.
fn peak_of<F: std::future::Future<Output = Value>>(
    rt: &tokio::runtime::Runtime,
    f: F,
) -> (usize, f64) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let start = Instant::now();
    let out = rt.block_on(f);
    let seconds = start.elapsed().as_secs_f64();
    drop(out);
    (PEAK.load(Ordering::Relaxed) - before, seconds)
}

fn memory() {
    let rt = runtime();
    println!("\n| fan-out | n | peak heap | per item | by hand per item | overhead per item |");
    println!("|---|---|---|---|---|---|");
    for n in SIZES {
        let input = items(n);
        let (ours, _) = peak_of(&rt, async {
            MapFanout
                .run_with_limits(input.clone(), LOCAL)
                .await
                .unwrap()
        });
        let (base, _) = peak_of(&rt, by_hand(input.clone()));
        row("map (generated)", n, ours, base);
        let interpreter = parallel_of(n);
        let (ours, _) = peak_of(&rt, async { interpreter.run(json!({})).await.unwrap() });
        let (base, _) = peak_of(&rt, by_hand_branches(json!({}), n));
        row("parallel (interpreted)", n, ours, base);
    }
}

fn row(what: &str, n: usize, ours: usize, base: usize) {
    let per = |bytes: usize| bytes as f64 / n as f64;
    println!(
        "| {what} | {n} | {:.1} MiB | {:.0} B | {:.0} B | {:.0} B |",
        ours as f64 / 1_048_576.0,
        per(ours),
        per(base),
        per(ours) - per(base)
    );
}

criterion_group!(benches, fanout);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    let mut rows = Vec::new();
    for n in SIZES {
        rows.push((n, "map_generated", "map_by_hand"));
        rows.push((n, "parallel_interpreted", "parallel_by_hand"));
    }
    let owned: Vec<(String, String, String)> = rows
        .iter()
        .map(|(n, s, b)| ("fanout".to_owned(), format!("{s}/{n}"), format!("{b}/{n}")))
        .collect();
    let borrowed: Vec<(&str, &str, &str)> = owned
        .iter()
        .map(|(g, s, b)| (g.as_str(), s.as_str(), b.as_str()))
        .collect();
    support::report(&borrowed);
    println!("\n| fan-out | n | median per item |\n|---|---|---|");
    for (n, subject, _) in &rows {
        if let Some(ns) = support::median_ns("fanout", &format!("{subject}/{n}")) {
            println!("| {subject} | {n} | {:.0} ns |", ns / *n as f64);
        }
    }
    memory();
}
