sfn_workflow::workflow! {
    Demo {
        start_at: Check,
        states: {
            Check: Choice {
                choices: [{ variable: "$.total", numeric_greater_than: 100 }],
                default: Small,
            },
            Small: Succeed {},
        }
    }
}

fn main() {}
