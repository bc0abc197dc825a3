/// A misspelled handler: reported once, where it is written.
async fn charge(amount: u64) -> Result<u64, workflow::Error> { Ok(amount) }
workflow::workflow! {
    Demo {
        start_at: Charge,
        states: {
            Charge: Task { resource: "arn:charge", handler: charge_card, next: Ship },
            Ship: Task { resource: "arn:ship", handler: charge, end: true },
        }
    }
}

fn main() {}
