// A handler that is not a function at all.
const CHARGE: u32 = 1;

sfn_workflow::workflow! {
    Shop {
        start_at: Charge,
        states: {
            Charge: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:charge", handler: CHARGE, end: true },
        }
    }
}

fn main() {}
