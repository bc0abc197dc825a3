
sfn_workflow::workflow! {
    Demo {
        start_at Start,
        states: {
            Start: Succeed {},
        }
    }
}

fn main() {}
