//! The seed's workflow written by hand, without `workflow!`: what the macro generates,
//! give or take names. Its output and its ASL equal `examples/parallel.rs`'s.
//!
//! ```text
//! cargo run --example parallel_by_hand
//! cargo run --example parallel_by_hand -- --asl
//! ```

use std::future::Future;
use std::process::ExitCode;
use std::sync::LazyLock;

use serde_json::{json, Value};
use sfn_workflow::asl::StateMachine;
use sfn_workflow::state::{parallel, pass, succeed, Exits, Step};
use sfn_workflow::{Error, Execution, Workflow};

/// The definition: where the runtime reads retriers, catchers and paths from.
static DEFINITION: LazyLock<StateMachine> = LazyLock::new(|| {
    let branch = |n: u32| {
        json!({
            "StartAt": format!("parallelBranch{n}"),
            "States": {
                format!("parallelBranch{n}"): {
                    "Type": "Pass",
                    "Result": {"message": format!("hello parallel branch {n}")},
                    "ResultPath": format!("$.parallel_branch_{n}"),
                    "End": true
                }
            }
        })
    };
    serde_json::from_value(json!({
        "StartAt": "Do the work in parallel",
        "States": {
            "Do the work in parallel": {
                "Type": "Parallel",
                "Branches": [branch(1), branch(2), branch(3)],
                "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "failureBranch"}],
                "Next": "successBranch"
            },
            "failureBranch": {
                "Type": "Pass",
                "Result": {"message": "hello failure branch"},
                "ResultPath": "$.failure_branch",
                "End": true
            },
            "successBranch": {"Type": "Succeed"}
        }
    }))
    .expect("the definition above is valid ASL")
});

/// A branch is a one-state workflow: its Pass state.
async fn branch(execution: &Execution, index: usize, input: Value) -> Result<Value, Error> {
    let (_, parallel_state) = DEFINITION.states.entry(0);
    let branch = &parallel_state.branches.as_deref().unwrap_or_default()[index];
    let (name, state) = branch.states.entry(0);
    match pass::<()>(name, state, execution, input, None)? {
        Step::End(output) | Step::Next((), output) => Ok(output),
    }
}

/// The top-level states, as the loop below moves between them.
#[derive(Clone, Copy)]
enum At {
    Parallel,
    FailureBranch,
    SuccessBranch,
}

async fn execute(input: Value) -> Result<Value, Error> {
    // The execution: what `$$` paths read.
    let execution = Execution::new(ParallelByHand::NAME, &input);
    let execution = &execution;
    let states = &DEFINITION.states;
    let (mut at, mut data) = (At::Parallel, input);
    loop {
        let step = match at {
            At::Parallel => {
                let (name, state) = states.entry(0);
                let exits = Exits {
                    next: Some(At::SuccessBranch),
                    catch: &[At::FailureBranch],
                };
                parallel(name, state, execution, data, exits, |i, v| {
                    branch(execution, i, v)
                })
                .await
            }
            At::FailureBranch => {
                let (name, state) = states.entry(1);
                pass(name, state, execution, data, None)
            }
            At::SuccessBranch => {
                let (name, state) = states.entry(2);
                succeed(name, state, execution, data)
            }
        }?;
        match step {
            Step::Next(next, output) => (at, data) = (next, output),
            Step::End(output) => return Ok(output),
        }
    }
}

struct ParallelByHand;

impl Workflow for ParallelByHand {
    const NAME: &'static str = "ParallelByHand";

    fn definition() -> &'static StateMachine {
        &DEFINITION
    }

    fn run(&self, input: Value) -> impl Future<Output = Result<Value, Error>> + Send {
        execute(input)
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    sfn_workflow::cli::main(&ParallelByHand).await
}
