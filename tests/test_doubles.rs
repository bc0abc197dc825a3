//! Testing one Task of a `workflow!` workflow: `Name.interpreter()` is the workflow's checked
//! definition with each Task's handler registered under its state's name; a test replaces one
//! with a double and asserts what it received, or answers Tasks from a Step Functions Local
//! `MockConfigFile.json` test case, the file `asl run --mock-config` reads.

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sfn_workflow::mock::MockConfig;
use sfn_workflow::Error;

#[derive(Deserialize, Serialize)]
struct Order {
    id: u32,
    cents: u64,
}

async fn reserve(order: Order) -> Result<Order, Error> {
    Ok(order)
}

async fn charge(order: Order) -> Result<Value, Error> {
    Err(Error::new(
        "PaymentDeclined",
        format!("the real gateway is not here ({})", order.cents),
    ))
}

sfn_workflow::workflow! {
    Checkout {
        start_at: Reserve,
        states: {
            Reserve: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:reserve", handler: reserve, next: Charge },
            Charge: Task {
                resource: "arn:aws:lambda:us-east-1:123456789012:function:charge",
                handler: charge,
                catch: [{ error_equals: ["PaymentDeclined"], result_path: "$.error", next: Declined }],
                result_path: "$.payment",
                end: true,
            },
            Declined: Fail { error: "OrderDeclined" },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn one_task_is_replaced_for_one_run_and_sees_its_input() {
    // The real handlers: the charge is declined.
    let error = Checkout
        .run(json!({"id": 7, "cents": 500}))
        .await
        .unwrap_err();
    assert_eq!(error.name(), "OrderDeclined");

    let seen: Arc<Mutex<Vec<Value>>> = Arc::default();
    let mut run = Checkout.interpreter();
    let record = Arc::clone(&seen);
    run.handle_state("Charge", move |input: Value| {
        record.lock().unwrap().push(input);
        async { Ok::<_, Error>(json!({"charged": true})) }
    })
    .unwrap();
    let output = run.run(json!({"id": 7, "cents": 500})).await.unwrap();
    // `Reserve` ran its real handler; `Charge` the double, on what `Reserve` returned.
    assert_eq!(
        output,
        json!({"id": 7, "cents": 500, "payment": {"charged": true}})
    );
    assert_eq!(*seen.lock().unwrap(), [json!({"id": 7, "cents": 500})]);
    // The workflow itself is untouched.
    assert!(Checkout.run(json!({"id": 7, "cents": 500})).await.is_err());
}

#[test]
fn an_unknown_state_is_an_error_naming_the_closest() {
    let mut run = Checkout.interpreter();
    let e = run
        .handle_state("Chrage", |v: Value| async move { Ok::<_, Error>(v) })
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "`Chrage` is not a Task state of `Checkout`; did you mean `Charge`? (its Task states: Reserve, Charge)"
    );
    // A Fail state takes no handler either.
    assert!(run
        .handle_state("Declined", |v: Value| async move { Ok::<_, Error>(v) })
        .is_err());
}

/// In the format AWS documents for Step Functions Local (`MockConfigFile.json`).
const MOCKS: &str = r#"{
  "StateMachines": {
    "Checkout": {
      "TestCases": {
        "Approved": {"Charge": "Approved"},
        "DeclinedTwice": {"Charge": "Declined"},
        "Misspelled": {"Chrage": "Approved"}
      }
    }
  },
  "MockedResponses": {
    "Approved": {"0": {"Return": {"charged": true}}},
    "Declined": {"0": {"Throw": {"Error": "PaymentDeclined", "Cause": "mocked"}}}
  }
}"#;

#[tokio::test(start_paused = true)]
async fn a_mock_file_test_case_answers_the_tasks_it_names() {
    let mocks = MockConfig::from_json(MOCKS).unwrap();
    let mut run = Checkout.interpreter();
    mocks.apply(&mut run, "Checkout", "Approved").unwrap();
    assert_eq!(
        run.run(json!({"id": 1, "cents": 5})).await.unwrap(),
        json!({"id": 1, "cents": 5, "payment": {"charged": true}})
    );
    let mut run = Checkout.interpreter();
    mocks.apply(&mut run, "Checkout", "DeclinedTwice").unwrap();
    let error = run.run(json!({"id": 1, "cents": 5})).await.unwrap_err();
    assert_eq!(
        (error.name(), error.state()),
        ("OrderDeclined", Some("Declined"))
    );
    let e = mocks
        .apply(&mut Checkout.interpreter(), "Checkout", "Misspelled")
        .unwrap_err();
    assert!(e.to_string().contains("did you mean `Charge`?"), "{e}");
}
