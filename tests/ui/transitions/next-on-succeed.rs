
sfn_workflow::workflow! {
    Demo {
        start_at: Done,
        states: {
            Done: Succeed { next: Again },
            Again: Succeed {},
        }
    }
}

fn main() {}
