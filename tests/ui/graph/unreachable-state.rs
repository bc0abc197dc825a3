
sfn_workflow::workflow! {
    Demo {
        start_at: Start,
        states: {
            Start: Pass { end: true },
            Orphan: Succeed {},
        }
    }
}

fn main() {}
