/// Two arguments, and no `Result`: not a Task handler.
async fn charge(amount: u64, cents: u32) -> u64 { amount + u64::from(cents) }
sfn_workflow::workflow! {
    Demo {
        start_at: Charge,
        states: {
            Charge: Task { resource: "arn:charge", handler: charge, end: true },
        }
    }
}

fn main() {}
