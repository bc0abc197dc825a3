/// A misspelled handler: reported once, where it is written.
async fn charge(amount: u64) -> Result<u64, sfn_workflow::Error> { Ok(amount) }
sfn_workflow::workflow! {
    Demo {
        start_at: Charge,
        states: {
            Charge: Task { resource: "arn:charge", handler: charge_card, next: Ship },
            Ship: Task { resource: "arn:ship", handler: charge, end: true },
        }
    }
}

fn main() {}
