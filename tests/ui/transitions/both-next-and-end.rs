
sfn_workflow::workflow! {
    Demo {
        start_at: Start,
        states: {
            Start: Pass { next: Done, end: true },
            Done: Succeed {},
        }
    }
}

fn main() {}
