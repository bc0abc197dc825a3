
sfn_workflow::workflow! {
    Demo {
        start_at: Charge,
        states: {
            Charge: Task { resource: "arn:charge", end: true },
        }
    }
}

fn main() {}
