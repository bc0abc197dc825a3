sfn_workflow::workflow! {
    Demo {
        start_at: Compute,
        states: {
            Compute: Pass { parameters: {"order": {"id.$": "$.orders[?(@.total >)].id"}}, end: true },
        }
    }
}

fn main() {}
