
sfn_workflow::workflow! {
    Demo {
        start_at: Fan,
        states: {
            Fan: Parallel { branches: [], end: true },
        }
    }
}

fn main() {}
