sfn_workflow::workflow! {
    Demo {
        start_at: Check,
        states: {
            Check: Choice {
                choices: [{ variable: "$.total", numeric_greter_than: 100, next: Big }],
                default: Small,
            },
            Big: Succeed {},
            Small: Succeed {},
        }
    }
}

fn main() {}
