/// Two arguments, and no `Result`: not a Task handler.
async fn charge(amount: u64, currency: String) -> u64 { amount + currency.len() as u64 }
workflow::workflow! {
    Demo {
        start_at: Charge,
        states: {
            Charge: Task { resource: "arn:charge", handler: charge, end: true },
        }
    }
}

fn main() {}
