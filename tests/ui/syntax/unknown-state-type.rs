
sfn_workflow::workflow! {
    Demo {
        start_at: Start,
        states: {
            Start: Pas { end: true },
        }
    }
}

fn main() {}
