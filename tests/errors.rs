//! Failures become ASL errors, never crashes: a panicking task, an input that does not fit the
//! handler's type, a Fail state, and a user error type's names.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sfn_workflow::error::names;
use sfn_workflow::{Error, TaskError};

async fn panics(_: Value) -> Result<Value, Error> {
    panic!("the task blew up")
}

sfn_workflow::workflow! {
    Panicking {
        start_at: T,
        states: { T: Task { resource: "arn:t", handler: panics, end: true } }
    }
}

#[tokio::test(start_paused = true)]
async fn a_panic_becomes_a_named_error() {
    let err = Panicking.run(json!({})).await.unwrap_err();
    assert_eq!(err, Error::new(names::TASK_PANICKED, "the task blew up"));
}

sfn_workflow::workflow! {
    /// A branch panics; the Parallel fails with the panic's error, and a catcher for
    /// `States.TaskFailed` routes it.
    PanicInBranch {
        start_at: Fan,
        states: {
            Fan: Parallel {
                branches: [
                    { start_at: Fine, states: { Fine: Pass { end: true } } },
                    { start_at: Boom, states: { Boom: Task { resource: "arn:t", handler: panics, end: true } } },
                ],
                catch: [{ error_equals: ["States.TaskFailed"], next: Recovered }],
                end: true,
            },
            Recovered: Pass { end: true },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_panic_in_a_branch_can_be_caught() {
    let out = PanicInBranch.run(json!({})).await.unwrap();
    assert_eq!(
        out,
        json!({"Error": names::TASK_PANICKED, "Cause": "the task blew up"})
    );
}

#[derive(Deserialize)]
struct Order {
    quantity: u32,
}

#[derive(Serialize)]
struct Quote {
    total: u32,
}

async fn price(order: Order) -> Result<Quote, Error> {
    Ok(Quote {
        total: order.quantity * 3,
    })
}

sfn_workflow::workflow! {
    Pricing {
        start_at: Price,
        states: { Price: Task { resource: "arn:price", handler: price, end: true } }
    }
}

#[tokio::test(start_paused = true)]
async fn typed_handlers_take_and_return_serde_types() {
    assert_eq!(
        Pricing.run(json!({"quantity": 4})).await,
        Ok(json!({"total": 12}))
    );
}

#[tokio::test(start_paused = true)]
async fn an_input_that_does_not_fit_is_a_typed_error() {
    let err = Pricing.run(json!({"quantity": "four"})).await.unwrap_err();
    assert_eq!(err.name(), names::INVALID_TASK_INPUT);
    assert!(
        err.cause().contains("invalid type: string \"four\""),
        "{}",
        err.cause()
    );
}

#[derive(Debug)]
enum InventoryError {
    OutOfStock(String),
    Unavailable,
}

impl TaskError for InventoryError {
    fn into_error(self) -> Error {
        match self {
            InventoryError::OutOfStock(sku) => Error::new("OutOfStock", format!("no {sku} left")),
            InventoryError::Unavailable => Error::new("InventoryUnavailable", "try later"),
        }
    }
}

async fn reserve(input: Value) -> Result<Value, InventoryError> {
    match input["sku"].as_str() {
        Some("gone") => Err(InventoryError::OutOfStock("gone".into())),
        Some(_) => Ok(json!("reserved")),
        None => Err(InventoryError::Unavailable),
    }
}

sfn_workflow::workflow! {
    Reserve {
        start_at: R,
        states: {
            R: Task { resource: "arn:reserve", handler: reserve, catch: [{ error_equals: ["OutOfStock"], next: Backorder }], end: true },
            Backorder: Pass { result: "backordered", end: true },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_user_error_type_names_its_errors() {
    assert_eq!(
        Reserve.run(json!({"sku": "gone"})).await,
        Ok(json!("backordered"))
    );
    assert_eq!(
        Reserve.run(json!({})).await,
        Err(Error::new("InventoryUnavailable", "try later"))
    );
    assert_eq!(
        Reserve.run(json!({"sku": "x"})).await,
        Ok(json!("reserved"))
    );
}

sfn_workflow::workflow! {
    Failing {
        start_at: Stop,
        states: { Stop: Fail { error: "OrderRejected", cause: "the order was rejected" } }
    }
}

#[tokio::test(start_paused = true)]
async fn a_fail_state_fails_the_execution_with_its_error_and_cause() {
    let err = Failing.run(json!({})).await.unwrap_err();
    assert_eq!(
        err.to_json(),
        json!({"Error": "OrderRejected", "Cause": "the order was rejected"})
    );
}

sfn_workflow::workflow! {
    BadResultPath {
        start_at: P,
        states: { P: Pass { result: 1, result_path: "$.a.b", end: true } }
    }
}

#[tokio::test(start_paused = true)]
async fn a_result_path_that_cannot_be_written_is_an_asl_error() {
    let err = BadResultPath
        .run(json!({"a": "not an object"}))
        .await
        .unwrap_err();
    assert_eq!(err.name(), "States.ResultPathMatchFailure");
}
