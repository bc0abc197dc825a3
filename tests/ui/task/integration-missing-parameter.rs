// A Task on `lambda:invoke` whose parameters do not name the function: AWS refuses the
// definition, so the build does, at the parameters.
async fn double(n: u64) -> Result<u64, sfn_workflow::Error> {
    Ok(n * 2)
}

sfn_workflow::workflow! {
    Doubler {
        start_at: Double,
        states: {
            Double: Task {
                resource: "arn:aws:states:::lambda:invoke",
                parameters: { "Payload.$": "$" },
                handler: double,
                end: true,
            },
        }
    }
}

fn main() {}
