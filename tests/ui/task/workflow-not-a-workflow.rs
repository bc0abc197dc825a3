// `workflow` names a workflow declared with `workflow!`; an `async fn` is a `handler`.
async fn child(n: u64) -> Result<u64, sfn_workflow::Error> {
    Ok(n)
}

sfn_workflow::workflow! {
    Parent {
        start_at: Start,
        states: {
            Start: Task {
                resource: "arn:aws:states:::states:startExecution.sync:2",
                parameters: {"StateMachineArn": "${ChildArn}", "Input.$": "$"},
                workflow: child,
                end: true,
            },
        }
    }
}

fn main() {}
