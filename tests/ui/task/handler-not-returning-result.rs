/// One argument, but it returns the value itself rather than a `Result`.
async fn charge(amount: u64) -> u64 {
    amount
}

sfn_workflow::workflow! {
    Demo {
        start_at: Charge,
        states: {
            Charge: Task { resource: "arn:charge", handler: charge, end: true },
        }
    }
}

fn main() {}
