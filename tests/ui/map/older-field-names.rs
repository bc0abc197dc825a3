// ASL's older Map field names, which AWS still reads: the macro writes the new ones.
sfn_workflow::workflow! {
    Demo {
        start_at: Each,
        states: {
            Each: Map {
                Iterator: { start_at: I, states: { I: Pass { end: true } } },
                parameters: {"a": 1},
                end: true,
            },
        }
    }
}

fn main() {}
