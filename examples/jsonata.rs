//! The seed's Parallel workflow written in JSONata, with variables: each branch's `output`
//! is an expression on `$states.input`; the Parallel assigns how many branches answered
//! (`$branches`), its catcher the error's name (`$failed`), and the states after it read
//! them. Every expression is parsed when the workflow compiles (with the `jsonata` feature,
//! which this example needs), and a `$name` no earlier state assigns is a build error.
//!
//! ```text
//! cargo run --example jsonata --features jsonata               # run it on {}
//! cargo run --example jsonata --features jsonata -- '{"id": 1}'
//! cargo run --example jsonata --features jsonata -- --asl      # its ASL, in JSONata
//! ```

use std::process::ExitCode;

sfn_workflow::workflow! {
    /// The seed's Parallel workflow in JSONata, with variables.
    pub ParallelJsonata {
        query_language: JSONata,
        start_at: "Do the work in parallel",
        states: {
            "Do the work in parallel": Parallel {
                branches: [
                    {
                        start_at: parallelBranch1,
                        states: {
                            parallelBranch1: Pass {
                                output: "{% $merge([$states.input, {'parallel_branch_1': {'message': 'hello parallel branch 1'}}]) %}",
                                end: true,
                            },
                        },
                    },
                    {
                        start_at: parallelBranch2,
                        states: {
                            parallelBranch2: Pass {
                                output: "{% $merge([$states.input, {'parallel_branch_2': {'message': 'hello parallel branch 2'}}]) %}",
                                end: true,
                            },
                        },
                    },
                    {
                        start_at: parallelBranch3,
                        states: {
                            parallelBranch3: Pass {
                                output: "{% $merge([$states.input, {'parallel_branch_3': {'message': 'hello parallel branch 3'}}]) %}",
                                end: true,
                            },
                        },
                    },
                ],
                // How many branches answered, for the states after this one.
                assign: {"branches": "{% $count($states.result) %}"},
                retry: [{ max_attempts: 1 }],
                catch: [{ next: failureBranch, assign: {"failed": "{% $states.errorOutput.Error %}"} }],
                next: successBranch,
            },
            failureBranch: Pass {
                output: {"failure_branch": {"message": "hello failure branch"}, "error": "{% $failed %}"},
                end: true,
            },
            successBranch: Succeed {
                output: "{% {'results': $states.input, 'branches': $branches} %}",
            },
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    sfn_workflow::cli::main(&ParallelJsonata).await
}
