
sfn_workflow::workflow! {
    Demo {
        start_at: Start,
        states: {
            Start: Pass { result: { message: "hi" }, end: true },
        }
    }
}

fn main() {}
