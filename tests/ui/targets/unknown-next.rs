
sfn_workflow::workflow! {
    Demo {
        start_at: Start,
        states: {
            Start: Pass { next: Finsh },
            Finish: Succeed {},
        }
    }
}

fn main() {}
