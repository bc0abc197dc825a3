
sfn_workflow::workflow! {
    Demo {
        states: {
            Done: Succeed {},
        }
    }
}

fn main() {}
