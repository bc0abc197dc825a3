//! Benchmarks 1 and 5, counted rather than timed: the instructions one execution takes, generated
//! code against the hand-written twin (`examples/baseline.rs`) and against the exported ASL
//! run by `sfn_workflow::interpret`, under valgrind's callgrind. Unlike
//! time, instruction counts do not move with the load of a shared machine, so this is what
//! the profiling in BENCHMARKS.md steered by; it misses what instructions do not show (cache
//! misses, large memory copies), which `benches/overhead.rs` measures in time.
//!
//! ```text
//! cargo bench --bench instructions      # needs valgrind on the PATH
//! ```
//!
//! The benchmark runs itself under callgrind once per workload and side, with 1 and with
//! 2,001 executions; the difference over 2,000 is the count per execution, free of the
//! process's start-up. A counting global allocator gives the allocations per execution the
//! same way.

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::json;
use sfn_workflow::interpret::Interpreter;
use sfn_workflow::RunOptions;

#[path = "../examples/baseline.rs"]
#[allow(dead_code)]
mod baseline;
#[path = "../examples/parallel.rs"]
#[allow(dead_code)]
mod parallel;

use baseline::task_chain::{Order, TaskChain};
use parallel::ParallelStateMachine;

/// The workloads, and the sides each runs on. With the `jsonata` feature, the seed written
/// in JSONata too (`cargo bench --bench instructions --features jsonata`).
#[cfg(not(feature = "jsonata"))]
const GROUPS: &[&str] = &["task_chain_10", "seed_parallel", "task_chain_10_deps"];
#[cfg(feature = "jsonata")]
const GROUPS: &[&str] = &[
    "task_chain_10",
    "seed_parallel",
    "task_chain_10_deps",
    "seed_parallel_jsonata",
];

#[cfg(feature = "jsonata")]
sfn_workflow::workflow! {
    /// The seed's Parallel workflow in JSONata: each branch's `output` merges its message
    /// into its input, as the JSONPath seed's `result_path` does, so the two give the same
    /// output and the hand-written twin serves both.
    SeedJsonata {
        query_language: JSONata,
        start_at: "Do the work in parallel",
        states: {
            "Do the work in parallel": Parallel {
                branches: [
                    { start_at: parallelBranch1, states: { parallelBranch1: Pass {
                        output: "{% $merge([$states.input, {'parallel_branch_1': {'message': 'hello parallel branch 1'}}]) %}",
                        end: true } } },
                    { start_at: parallelBranch2, states: { parallelBranch2: Pass {
                        output: "{% $merge([$states.input, {'parallel_branch_2': {'message': 'hello parallel branch 2'}}]) %}",
                        end: true } } },
                    { start_at: parallelBranch3, states: { parallelBranch3: Pass {
                        output: "{% $merge([$states.input, {'parallel_branch_3': {'message': 'hello parallel branch 3'}}]) %}",
                        end: true } } },
                ],
                retry: [{ max_attempts: 1 }],
                catch: [{ next: failureBranch }],
                next: successBranch,
            },
            failureBranch: Pass {
                output: "{% $merge([$states.input, {'failure_branch': {'message': 'hello failure branch'}}]) %}",
                end: true,
            },
            successBranch: Succeed {},
        }
    }
}
const SIDES: [&str; 3] = ["by_hand", "generated", "interpreted"];

/// What the chain with dependencies borrows: how far each step moves the order.
struct Stride {
    by: u32,
}

/// The chain's step, borrowing the workflow's dependencies.
async fn stride(stride: &Stride, mut order: Order) -> Result<Order, sfn_workflow::Error> {
    order.steps += stride.by;
    Ok(order)
}

sfn_workflow::workflow! {
    /// `TaskChain` with `deps`: what borrowing dependencies costs a chain of typed edges.
    StrideChain {
        deps: Stride,
        start_at: S1,
        states: {
            S1: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:stride", handler: stride, next: S2 },
            S2: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:stride", handler: stride, next: S3 },
            S3: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:stride", handler: stride, next: S4 },
            S4: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:stride", handler: stride, next: S5 },
            S5: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:stride", handler: stride, next: S6 },
            S6: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:stride", handler: stride, next: S7 },
            S7: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:stride", handler: stride, next: S8 },
            S8: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:stride", handler: stride, next: S9 },
            S9: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:stride", handler: stride, next: S10 },
            S10: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:stride", handler: stride, end: true },
        }
    }
}

/// The chain with dependencies by hand: JSON in, ten calls borrowing `deps`, JSON out.
async fn stride_chain_by_hand(
    deps: &Stride,
    input: serde_json::Value,
) -> Result<serde_json::Value, String> {
    let mut order: Order = serde_json::from_value(input).map_err(|e| e.to_string())?;
    for _ in 0..10 {
        order = stride(deps, order).await.map_err(|e| e.to_string())?;
    }
    serde_json::to_value(order).map_err(|e| e.to_string())
}

const EXECUTIONS: u64 = 2_000;

/// Counts allocations; the probe prints the count when it is done.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is passed on to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as `GlobalAlloc::alloc`, which the caller upholds.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as `GlobalAlloc::dealloc`, which the caller upholds.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs one workload `n` times: what the process does under callgrind.
fn probe(group: &str, side: &str, n: u64) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let imported =
        |asl: serde_json::Value| Interpreter::from_json("bench", &asl.to_string()).unwrap();
    let mut chain = imported(TaskChain::asl());
    chain.handle_resource(
        "arn:aws:lambda:us-east-1:123456789012:function:step",
        baseline::task_chain::step,
    );
    let seed = imported(ParallelStateMachine::asl());
    let strides = StrideChain::new(Stride { by: 1 });
    let mut stride_chain = imported(StrideChain::asl());
    stride_chain.handle_resource_with(
        "arn:aws:lambda:us-east-1:123456789012:function:stride",
        stride,
        std::sync::Arc::clone(strides.deps()),
    );
    let recorded = RunOptions::new().keep_history();
    #[cfg(feature = "jsonata")]
    let seed_jsonata = imported(SeedJsonata::asl());
    #[cfg(feature = "jsonata")]
    if group == "seed_parallel_jsonata" {
        // The same answer as the JSONPath seed's, which the twin by hand gives.
        let expected = rt
            .block_on(ParallelStateMachine.run(json!({"id": 1})))
            .unwrap();
        assert_eq!(
            rt.block_on(SeedJsonata.run(json!({"id": 1}))).unwrap(),
            expected
        );
    }
    rt.block_on(async {
        for _ in 0..n {
            match (group, side) {
                ("task_chain_10", "generated") => {
                    std::hint::black_box(
                        TaskChain.run(json!({"id": 1, "steps": 0})).await.unwrap(),
                    );
                }
                ("task_chain_10", "by_hand") => {
                    std::hint::black_box(
                        baseline::task_chain(json!({"id": 1, "steps": 0}))
                            .await
                            .unwrap(),
                    );
                }
                ("seed_parallel", "generated") => {
                    std::hint::black_box(ParallelStateMachine.run(json!({"id": 1})).await.unwrap());
                }
                ("task_chain_10", "interpreted") => {
                    std::hint::black_box(chain.run(json!({"id": 1, "steps": 0})).await.unwrap());
                }
                ("seed_parallel", "interpreted") => {
                    std::hint::black_box(seed.run(json!({"id": 1})).await.unwrap());
                }
                ("seed_parallel", "by_hand") => {
                    std::hint::black_box(baseline::seed_parallel(json!({"id": 1})).await);
                }
                ("task_chain_10_deps", "by_hand") => {
                    std::hint::black_box(
                        stride_chain_by_hand(strides.deps(), json!({"id": 1, "steps": 0}))
                            .await
                            .unwrap(),
                    );
                }
                ("task_chain_10_deps", "generated") => {
                    std::hint::black_box(strides.run(json!({"id": 1, "steps": 0})).await.unwrap());
                }
                ("task_chain_10_deps", "interpreted") => {
                    std::hint::black_box(
                        stride_chain
                            .run(json!({"id": 1, "steps": 0}))
                            .await
                            .unwrap(),
                    );
                }
                ("task_chain_10", "generated_recorded") => {
                    let (output, history) = TaskChain
                        .run_with(json!({"id": 1, "steps": 0}), &recorded)
                        .await;
                    std::hint::black_box((output.unwrap(), history));
                }
                ("task_chain_10", "interpreted_recorded") => {
                    let (output, history) = chain
                        .run_with(json!({"id": 1, "steps": 0}), &recorded)
                        .await;
                    std::hint::black_box((output.unwrap(), history));
                }
                ("seed_parallel", "generated_recorded") => {
                    let (output, history) = ParallelStateMachine
                        .run_with(json!({"id": 1}), &recorded)
                        .await;
                    std::hint::black_box((output.unwrap(), history));
                }
                ("seed_parallel", "interpreted_recorded") => {
                    let (output, history) = seed.run_with(json!({"id": 1}), &recorded).await;
                    std::hint::black_box((output.unwrap(), history));
                }
                #[cfg(feature = "jsonata")]
                ("seed_parallel_jsonata", "by_hand") => {
                    std::hint::black_box(baseline::seed_parallel(json!({"id": 1})).await);
                }
                #[cfg(feature = "jsonata")]
                ("seed_parallel_jsonata", "generated") => {
                    std::hint::black_box(SeedJsonata.run(json!({"id": 1})).await.unwrap());
                }
                #[cfg(feature = "jsonata")]
                ("seed_parallel_jsonata", "interpreted") => {
                    std::hint::black_box(seed_jsonata.run(json!({"id": 1})).await.unwrap());
                }
                other => panic!("no workload {other:?}"),
            }
        }
    });
}

/// The instructions callgrind counted in this program running `group`/`side` `n` times,
/// and the allocations it made.
fn instructions(group: &str, side: &str, n: u64) -> Option<(u64, u64)> {
    let exe = std::env::current_exe().ok()?;
    let out = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(exe)
        .args(["--probe", group, side, &n.to_string()])
        .output()
        .ok()?;
    let log = String::from_utf8_lossy(&out.stderr);
    let line = log.lines().find(|l| l.contains("Collected :"))?;
    let instructions = line.rsplit(' ').next()?.trim().parse().ok()?;
    let allocations = String::from_utf8_lossy(&out.stdout).trim().parse().ok()?;
    Some((instructions, allocations))
}

/// The instructions and allocations of one execution of `group`/`side`: the difference
/// between a process that runs it `EXECUTIONS + 1` times and one that runs it once.
fn per_execution(group: &str, side: &str) -> Option<(u64, u64)> {
    let once = instructions(group, side, 1)?;
    let many = instructions(group, side, EXECUTIONS + 1)?;
    Some((
        many.0.saturating_sub(once.0) / EXECUTIONS,
        many.1.saturating_sub(once.1) / EXECUTIONS,
    ))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--probe") {
        let n = args[i + 3].parse().expect("a count of executions");
        probe(&args[i + 1], &args[i + 2], n);
        println!("{}", ALLOCATIONS.load(Ordering::Relaxed));
        return;
    }
    println!(
        "| group | by hand | generated | interpreted | generated / by hand | interpreted / generated | allocations: by hand, generated, interpreted |"
    );
    println!("|---|---|---|---|---|---|---|");
    for &group in GROUPS {
        let mut counts = [(0u64, 0u64); 3];
        for (count, side) in counts.iter_mut().zip(SIDES) {
            let Some(measured) = per_execution(group, side) else {
                println!("valgrind is not available: no instruction counts");
                return;
            };
            *count = measured;
        }
        let [by_hand, generated, interpreted] = counts;
        #[allow(clippy::cast_precision_loss)]
        let ratio = |a: u64, b: u64| a as f64 / b as f64;
        println!(
            "| {group} | {} | {} | {} | {:.2}x | {:.2}x | {}, {}, {} |",
            by_hand.0,
            generated.0,
            interpreted.0,
            ratio(generated.0, by_hand.0),
            ratio(interpreted.0, generated.0),
            by_hand.1,
            generated.1,
            interpreted.1,
        );
    }
    recorded_table();
}

/// What keeping the history costs: each execution recorded in full, events and details
/// (`RunOptions::keep_history`), against the same execution unrecorded.
fn recorded_table() {
    println!();
    println!(
        "| group | generated | generated, history kept | ratio | interpreted | interpreted, history kept | ratio |"
    );
    println!("|---|---|---|---|---|---|---|");
    for group in ["task_chain_10", "seed_parallel"] {
        let mut counts = [0u64; 4];
        let sides = [
            "generated",
            "generated_recorded",
            "interpreted",
            "interpreted_recorded",
        ];
        for (count, side) in counts.iter_mut().zip(sides) {
            let Some((instructions, _)) = per_execution(group, side) else {
                println!("valgrind is not available: no instruction counts");
                return;
            };
            *count = instructions;
        }
        let [generated, generated_kept, interpreted, interpreted_kept] = counts;
        #[allow(clippy::cast_precision_loss)]
        let ratio = |a: u64, b: u64| a as f64 / b as f64;
        println!(
            "| {group} | {generated} | {generated_kept} | {:.2}x | {interpreted} | {interpreted_kept} | {:.2}x |",
            ratio(generated_kept, generated),
            ratio(interpreted_kept, interpreted),
        );
    }
}
