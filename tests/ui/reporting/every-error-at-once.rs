
sfn_workflow::workflow! {
    Demo {
        start_at: Start,
        states: {
            Start: Pass { next: Middle },
            Middle: Pass { next: Nowhere },
            Orphan: Pass {},
            Done: Succeed { end: true },
        }
    }
}

fn main() {}
