//! The seed's workflow: three Pass branches in parallel, retried once, caught to a failure
//! branch, then a Succeed state. Its ASL export equals what the AWS CDK synthesizes for the
//! seed's TypeScript.
//!
//! ```text
//! cargo run --example parallel               # run it on {}
//! cargo run --example parallel -- '{"a":1}'  # run it on an input
//! cargo run --example parallel -- --asl      # print its ASL definition
//! ```

use std::process::ExitCode;

sfn_workflow::workflow! {
    /// The seed's Parallel workflow.
    pub ParallelStateMachine {
        start_at: "Do the work in parallel",
        states: {
            "Do the work in parallel": Parallel {
                branches: [
                    {
                        start_at: parallelBranch1,
                        states: {
                            parallelBranch1: Pass {
                                result: {"message": "hello parallel branch 1"},
                                result_path: "$.parallel_branch_1",
                                end: true,
                            },
                        },
                    },
                    {
                        start_at: parallelBranch2,
                        states: {
                            parallelBranch2: Pass {
                                result: {"message": "hello parallel branch 2"},
                                result_path: "$.parallel_branch_2",
                                end: true,
                            },
                        },
                    },
                    {
                        start_at: parallelBranch3,
                        states: {
                            parallelBranch3: Pass {
                                result: {"message": "hello parallel branch 3"},
                                result_path: "$.parallel_branch_3",
                                end: true,
                            },
                        },
                    },
                ],
                // Retry the whole Parallel once if something goes wrong.
                retry: [{ max_attempts: 1 }],
                // Then recover in the failure branch.
                catch: [{ next: failureBranch }],
                next: successBranch,
            },
            failureBranch: Pass {
                result: {"message": "hello failure branch"},
                result_path: "$.failure_branch",
                end: true,
            },
            successBranch: Succeed {},
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    sfn_workflow::cli::main(&ParallelStateMachine).await
}
