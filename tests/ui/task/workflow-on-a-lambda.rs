// `workflow` names a child to start, which only a `states:startExecution` Task does.
sfn_workflow::workflow! {
    Child { start_at: Done, states: { Done: Succeed {} } }
}

sfn_workflow::workflow! {
    Parent {
        start_at: Start,
        states: {
            Start: Task {
                resource: "arn:aws:lambda:us-east-1:123456789012:function:start",
                workflow: Child,
                end: true,
            },
        }
    }
}

fn main() {}
