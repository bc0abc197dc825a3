//! A user crate that depends on `workflow` under the name `steps`, and on nothing else
//! (not serde_json, not the runtime): the generated code must still compile and run.

steps::workflow! {
    /// A workflow declared through a renamed dependency.
    pub Renamed {
        start_at: Hello,
        states: {
            Hello: Pass { result: "hello", result_path: "$.greeting", next: Work },
            Work: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:work", handler: work, end: true },
        }
    }
}

/// A task that needs no input.
pub async fn work() -> Result<&'static str, steps::Error> {
    Ok("worked")
}

#[cfg(test)]
mod tests {
    use super::Renamed;

    #[tokio::test]
    async fn runs_and_exports_through_the_renamed_crate() {
        let output = Renamed.run(steps::json!({"id": 1})).await.unwrap();
        assert_eq!(output, steps::json!("worked"));
        // A string input has no member to place `$.greeting` in: an ASL error, not a panic.
        let output = Renamed.run(steps::Value::from("text")).await;
        assert_eq!(output.unwrap_err().name(), "States.ResultPathMatchFailure");
        let input = Renamed::asl()["States"]["Work"]["Resource"].clone();
        assert_eq!(input, "arn:aws:lambda:us-east-1:123456789012:function:work");
        assert_eq!(<Renamed as steps::Workflow>::NAME, "Renamed");
    }
}
