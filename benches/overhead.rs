//! Benchmark 1 (and 5): what the generated code costs over the same logic written by hand
//! with tokio and futures (`examples/baseline.rs`), and what reading the exported ASL at run
//! time (`sfn_workflow::interpret`) costs over the generated code. Both sides of each comparison
//! run in this one process; the ratio of their medians is printed at the end.
//!
//! ```text
//! cargo bench --bench overhead
//! ```

use criterion::{criterion_group, Criterion};
use serde_json::json;
use sfn_workflow::interpret::Interpreter;
use sfn_workflow::Workflow;

#[path = "../examples/baseline.rs"]
#[allow(dead_code)]
mod baseline;
#[path = "../examples/parallel.rs"]
#[allow(dead_code)]
mod parallel;
mod support;

use baseline::task_chain::{step, TaskChain};
use parallel::ParallelStateMachine;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
}

fn imported<W: Workflow>() -> Interpreter {
    Interpreter::from_json(W::NAME, &W::asl().to_string()).unwrap()
}

fn seed_parallel(c: &mut Criterion) {
    let rt = runtime();
    let interpreter = imported::<ParallelStateMachine>();
    let mut group = c.benchmark_group("seed_parallel");
    group.bench_function("by_hand", |b| {
        b.to_async(&rt)
            .iter(|| baseline::seed_parallel(json!({"id": 1})));
    });
    group.bench_function("generated", |b| {
        b.to_async(&rt)
            .iter(|| async { ParallelStateMachine.run(json!({"id": 1})).await.unwrap() });
    });
    group.bench_function("interpreted", |b| {
        b.to_async(&rt)
            .iter(|| async { interpreter.run(json!({"id": 1})).await.unwrap() });
    });
    group.finish();
}

fn task_chain(c: &mut Criterion) {
    let rt = runtime();
    let mut interpreter = imported::<TaskChain>();
    interpreter.handle_resource("arn:aws:lambda:us-east-1:123456789012:function:step", step);
    let mut group = c.benchmark_group("task_chain_10");
    group.bench_function("by_hand", |b| {
        b.to_async(&rt).iter(|| async {
            baseline::task_chain(json!({"id": 1, "steps": 0}))
                .await
                .unwrap()
        });
    });
    group.bench_function("generated", |b| {
        b.to_async(&rt)
            .iter(|| async { TaskChain.run(json!({"id": 1, "steps": 0})).await.unwrap() });
    });
    group.bench_function("interpreted", |b| {
        b.to_async(&rt)
            .iter(|| async { interpreter.run(json!({"id": 1, "steps": 0})).await.unwrap() });
    });
    group.finish();
}

criterion_group!(benches, seed_parallel, task_chain);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    support::report(&[
        ("seed_parallel", "generated", "by_hand"),
        ("task_chain_10", "generated", "by_hand"),
        ("seed_parallel", "interpreted", "generated"),
        ("task_chain_10", "interpreted", "generated"),
    ]);
}
