// A Task inside a Map's item processor needs a handler as much as one at the top level.
sfn_workflow::workflow! {
    Demo {
        start_at: Each,
        states: {
            Each: Map {
                item_processor: {
                    start_at: Charge,
                    states: { Charge: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:charge", end: true } },
                },
                end: true,
            },
        }
    }
}

fn main() {}
