//! The error an execution fails with says where: the innermost state it failed and, when a
//! Task's handler raised it, that handler. ASL's `Error` and `Cause`, which `catch` and AWS
//! see, do not change.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sfn_workflow::error::names;
use sfn_workflow::interpret::Interpreter;
use sfn_workflow::{Error, Workflow};

#[derive(Deserialize, Serialize)]
struct Charge {
    cents: u64,
}

async fn validate(c: Charge) -> Result<Charge, Error> {
    Ok(c)
}

async fn charge(_: Charge) -> Result<Value, Error> {
    Err(Error::new("PaymentDeclined", "over the limit"))
}

async fn ok(v: Value) -> Result<Value, Error> {
    Ok(v)
}

sfn_workflow::workflow! {
    /// Plain Tasks joined by typed edges: `Charge` is generated as its handler's call.
    Checkout {
        start_at: Validate,
        states: {
            Validate: Task { resource: "arn:validate", handler: validate, next: Charge },
            Charge: Task { resource: "arn:charge", handler: charge, next: Ship },
            Ship: Task { resource: "arn:ship", handler: ok, end: true },
        }
    }
}

sfn_workflow::workflow! {
    Retried {
        start_at: Charge,
        states: {
            Charge: Task { resource: "arn:charge", handler: charge,
                           retry: [{ error_equals: ["Other"] }], result_path: "$.paid", end: true },
        }
    }
}

sfn_workflow::workflow! {
    Branches {
        start_at: Fan,
        states: {
            Fan: Parallel {
                branches: [
                    { start_at: Fine, states: { Fine: Pass { end: true } } },
                    { start_at: Refuse, states: { Refuse: Fail { error: "Refused", cause: "no" } } },
                ],
                end: true,
            },
        }
    }
}

fn handler_path() -> &'static str {
    std::any::type_name_of_val(&charge)
}

#[tokio::test(start_paused = true)]
async fn a_task_error_names_its_state_and_handler() {
    for error in [
        Checkout.run(json!({"cents": 5})).await.unwrap_err(),
        Retried.run(json!({"cents": 5})).await.unwrap_err(),
    ] {
        assert_eq!(error, Error::new("PaymentDeclined", "over the limit"));
        assert_eq!(error.state(), Some("Charge"));
        assert_eq!(error.handler(), Some(handler_path()));
        assert!(handler_path().ends_with("::charge"), "{}", handler_path());
        assert_eq!(
            error.to_string(),
            format!(
                "PaymentDeclined: over the limit (state `Charge`, handler `{}`)",
                handler_path()
            )
        );
        // What ASL sees is unchanged.
        assert_eq!(
            error.to_json(),
            json!({"Error": "PaymentDeclined", "Cause": "over the limit"})
        );
    }
}

#[tokio::test(start_paused = true)]
async fn an_input_that_does_not_fit_names_the_handler_it_does_not_fit() {
    let error = Retried.run(json!({"cents": "five"})).await.unwrap_err();
    assert_eq!(error.name(), names::INVALID_TASK_INPUT);
    assert_eq!(
        (error.state(), error.handler()),
        (Some("Charge"), Some(handler_path()))
    );
}

#[tokio::test(start_paused = true)]
async fn an_error_in_a_branch_names_the_innermost_state() {
    let error = Branches.run(json!({})).await.unwrap_err();
    assert_eq!(error, Error::new("Refused", "no"));
    assert_eq!((error.state(), error.handler()), (Some("Refuse"), None));
}

#[tokio::test(start_paused = true)]
async fn the_interpreter_says_where_too() {
    let text = serde_json::to_string(&Checkout::asl()).unwrap();
    let mut interpreter = Interpreter::from_json(Checkout::NAME, &text).unwrap();
    interpreter.handle_resource("arn:validate", validate);
    interpreter.handle_resource("arn:charge", charge);
    let error = interpreter.run(json!({"cents": 5})).await.unwrap_err();
    assert_eq!(
        (error.state(), error.handler()),
        (Some("Charge"), Some(handler_path()))
    );
    // A Task with no handler fails where it is.
    let error = Interpreter::from_json(Checkout::NAME, &text)
        .unwrap()
        .run(json!({"cents": 5}))
        .await
        .unwrap_err();
    assert_eq!(error.name(), names::NO_HANDLER);
    assert_eq!((error.state(), error.handler()), (Some("Validate"), None));
}
