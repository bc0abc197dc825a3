
sfn_workflow::workflow! {
    Demo {
        start_at: Begin,
        states: {
            Start: Succeed {},
        }
    }
}

fn main() {}
