// A JSONPath function (ASL has none) in an `input_path`.
sfn_workflow::workflow! {
    Demo {
        start_at: Count,
        states: {
            Count: Pass { input_path: "$.items.length()", output_path: "$.a[?(@.b == 1)]", end: true },
        }
    }
}

fn main() {}
