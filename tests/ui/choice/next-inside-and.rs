sfn_workflow::workflow! {
    Demo {
        start_at: Check,
        states: {
            Check: Choice {
                choices: [{ and: [{ variable: "$.a", is_present: true, next: Big }], next: Big }],
                default: Small,
            },
            Big: Succeed {},
            Small: Succeed {},
        }
    }
}

fn main() {}
