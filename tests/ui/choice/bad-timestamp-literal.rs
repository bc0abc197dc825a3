sfn_workflow::workflow! {
    Demo {
        start_at: Check,
        states: {
            Check: Choice {
                choices: [{ variable: "$.placed", timestamp_less_than: "yesterday", next: Old }],
                default: New,
            },
            Old: Succeed {},
            New: Succeed {},
        }
    }
}

fn main() {}
