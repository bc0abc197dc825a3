//! The benchmarks' baseline: the seed's Parallel workflow (`examples/parallel.rs`) and the
//! ten-Task chain (`examples/task_chain.rs`) written by hand with tokio and futures, with no
//! workflow crate: what a careful engineer would write for exactly these two jobs. The
//! benchmarks measure the generated code against these; `tests/baseline.rs` checks that both
//! give the generated code's outputs.
//!
//! ```text
//! cargo run --example baseline
//! ```

use serde_json::{json, Value};

#[path = "task_chain.rs"]
#[allow(dead_code)]
pub(crate) mod task_chain;

/// The seed: three branches on copies of the input, each setting one member, joined in order.
pub(crate) async fn seed_parallel(input: Value) -> Value {
    let branch = |n: u32| {
        let mut output = input.clone();
        async move {
            if let Value::Object(members) = &mut output {
                members.insert(
                    format!("parallel_branch_{n}"),
                    json!({"message": format!("hello parallel branch {n}")}),
                );
            }
            output
        }
    };
    let (a, b, c) = futures_util::join!(branch(1), branch(2), branch(3));
    Value::Array(vec![a, b, c])
}

/// The chain: JSON in, ten calls of the same `step`, JSON out.
pub(crate) async fn task_chain(input: Value) -> Result<Value, String> {
    let mut order: task_chain::Order = serde_json::from_value(input).map_err(|e| e.to_string())?;
    for _ in 0..10 {
        order = task_chain::step(order).await.map_err(|e| e.to_string())?;
    }
    serde_json::to_value(order).map_err(|e| e.to_string())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    // The examples' command line: `--asl` prints a workflow's ASL, and this one has none.
    if std::env::args_os().nth(1).is_some_and(|a| a == "--asl") {
        eprintln!("baseline: this example is hand-written code without a workflow, so it has no ASL to print");
        return std::process::ExitCode::from(2);
    }
    println!("{}", seed_parallel(json!({})).await);
    match task_chain(json!({"id": 1, "steps": 0})).await {
        Ok(output) => println!("{output}"),
        Err(error) => eprintln!("{error}"),
    }
    std::process::ExitCode::SUCCESS
}
