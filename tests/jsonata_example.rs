//! The JSONata example (`examples/jsonata.rs`): the seed's Parallel workflow in JSONata with
//! variables. Its branches give what the JSONPath seed's give (`examples/parallel.rs`, whose
//! export equals what the AWS CDK synthesizes for the seed), the states after the Parallel
//! read the variables it and its catcher assigned, its export is JSONata ASL (asl-validator
//! accepts it in `.ci/run`), and the interpreter runs that export to the same answer.
#![cfg(feature = "jsonata")]

use serde_json::{json, Value};
use sfn_workflow::interpret::Interpreter;

#[path = "../examples/jsonata.rs"]
#[allow(dead_code)]
mod jsonata;
#[path = "../examples/parallel.rs"]
#[allow(dead_code)]
mod parallel;

use jsonata::ParallelJsonata;
use parallel::ParallelStateMachine;

#[tokio::test]
async fn the_branches_answer_as_the_jsonpath_seed_s_and_variables_reach_the_end() {
    let input = json!({"id": 1});
    let seed = ParallelStateMachine.run(input.clone()).await.unwrap();
    let output = ParallelJsonata.run(input).await.unwrap();
    assert_eq!(output, json!({"results": seed, "branches": 3}));
}

#[tokio::test]
async fn its_export_is_jsonata_asl_that_the_interpreter_runs_alike() {
    let asl: Value = ParallelJsonata::asl();
    assert_eq!(asl["QueryLanguage"], json!("JSONata"));
    assert_eq!(
        asl["States"]["Do the work in parallel"]["Assign"],
        json!({"branches": "{% $count($states.result) %}"})
    );
    let interpreter = Interpreter::from_json("ParallelJsonata", &asl.to_string()).unwrap();
    let input = json!({"id": 7});
    assert_eq!(
        interpreter.run(input.clone()).await.unwrap(),
        ParallelJsonata.run(input).await.unwrap()
    );
}
