
sfn_workflow::workflow! {
    Demo {
        start_at: Fan,
        states: {
            Fan: Parallel { end: true },
        }
    }
}

fn main() {}
