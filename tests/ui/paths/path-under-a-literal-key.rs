// A template member without `.$` is sent as text: a path there is a forgotten `.$`.
sfn_workflow::workflow! {
    Demo {
        start_at: Shape,
        states: {
            Shape: Pass { parameters: {"order_id": "$.order_id", "note": "$5 off"}, end: true },
        }
    }
}

fn main() {}
