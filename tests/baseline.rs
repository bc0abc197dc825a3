//! The benchmarks' hand-written baseline (`examples/baseline.rs`) does what the generated
//! workflows do: same outputs for the same inputs, so the benchmarks compare like with like.

use serde_json::json;

#[path = "../examples/baseline.rs"]
#[allow(dead_code)]
mod baseline;
#[path = "../examples/parallel.rs"]
#[allow(dead_code)]
mod parallel;

#[tokio::test]
async fn the_baseline_gives_the_generated_outputs() {
    for input in [json!({}), json!({"a": 1, "parallel_branch_2": "replaced"})] {
        assert_eq!(
            baseline::seed_parallel(input.clone()).await,
            parallel::ParallelStateMachine.run(input).await.unwrap()
        );
    }
    let input = json!({"id": 7, "steps": 3});
    let generated = baseline::task_chain::TaskChain
        .run(input.clone())
        .await
        .unwrap();
    assert_eq!(generated, json!({"id": 7, "steps": 13}));
    assert_eq!(baseline::task_chain(input).await.unwrap(), generated);
}
