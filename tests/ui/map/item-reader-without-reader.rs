sfn_workflow::workflow! {
    Demo {
        start_at: Each,
        states: {
            Each: Map {
                item_reader: {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b", "Key": "k"}},
                item_processor: {
                    processor_config: {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    start_at: P,
                    states: { P: Pass { end: true } },
                },
                end: true,
            },
        }
    }
}

fn main() {}
