//! The saga example (`examples/saga.rs`): the inventory store and the payment client are its
//! dependencies. Its paths end as its definition says (reserve → charge → ship, or release →
//! `OrderFailed`); one test replaces the `Charge` Task with a double, and one runs a test case
//! of `examples/saga.mock.json`, a Step Functions Local `MockConfigFile` that `asl run
//! --mock-config` reads too. Retry timings follow the States Language specification's
//! "Retry": `IntervalSeconds` before the first retry, times `BackoffRate` after.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use sfn_workflow::mock::MockConfig;
use sfn_workflow::Error;
use tokio::time::Instant;

#[path = "../examples/saga.rs"]
#[allow(dead_code)]
mod saga;

use saga::{shop, Order, OrderSaga, Shipment};

fn order(id: &str, quantity: u32, card: &str) -> Order {
    Order {
        order_id: id.into(),
        sku: "lamp".into(),
        quantity,
        card: card.into(),
    }
}

#[tokio::test(start_paused = true)]
async fn a_paid_order_ships_and_keeps_its_stock_out() {
    let saga = OrderSaga::new(shop());
    let start = Instant::now();
    let shipment = saga.run(order("o-1", 2, "4242")).await.unwrap();
    assert_eq!(
        shipment,
        Shipment {
            order_id: "o-1".into(),
            payment_id: "p-o-1".into(),
            tracking: "t-o-1".into(),
        }
    );
    // Two 200 ms calls to the gateway, the first timing out, and the retrier's 1 s between.
    assert_eq!(start.elapsed(), Duration::from_millis(1_400));
    let shop = saga.deps();
    assert_eq!(shop.inventory.available("lamp"), 8);
    assert_eq!(shop.inventory.held(), 0);
    assert_eq!(shop.payments.charges(), [("o-1".to_owned(), 5_000)]);
}

#[tokio::test(start_paused = true)]
async fn a_declined_card_releases_the_stock_and_fails_the_order() {
    let saga = OrderSaga::new(shop());
    let error = saga
        .run(order("o-2", 2, "4000-0000-0000-0002"))
        .await
        .unwrap_err();
    assert_eq!(
        (error.name(), error.state()),
        ("OrderFailed", Some("Order failed"))
    );
    let shop = saga.deps();
    assert_eq!(shop.inventory.available("lamp"), 10, "the compensation ran");
    assert_eq!(shop.inventory.held(), 0);
    assert!(shop.payments.charges().is_empty());
}

#[tokio::test(start_paused = true)]
async fn an_order_beyond_the_stock_fails_before_any_charge() {
    let saga = OrderSaga::new(shop());
    let error = saga.run(order("o-3", 50, "4242")).await.unwrap_err();
    assert_eq!(error.name(), "OrderFailed");
    assert_eq!(saga.deps().inventory.available("lamp"), 10);
    assert!(saga.deps().payments.charges().is_empty());
}

#[tokio::test(start_paused = true)]
async fn one_task_replaced_by_a_double_sees_the_reservation() {
    let saga = OrderSaga::new(shop());
    let seen: Arc<Mutex<Vec<Value>>> = Arc::default();
    let record = Arc::clone(&seen);
    let mut run = saga.interpreter();
    run.handle_state("Charge", move |reservation: Value| {
        record.lock().unwrap().push(reservation);
        async { Err::<Value, _>(Error::new("PaymentDeclined", "the double declines")) }
    })
    .unwrap();
    let input = serde_json::to_value(order("o-9", 3, "4242")).unwrap();
    let error = run.run(input).await.unwrap_err();
    assert_eq!(error.name(), "OrderFailed");
    // The double got what the real Reserve returned, once: PaymentDeclined is not retried.
    assert_eq!(
        *seen.lock().unwrap(),
        [json!({
            "order": {"order_id": "o-9", "sku": "lamp", "quantity": 3, "card": "4242"},
            "reservation_id": "r-o-9"
        })]
    );
    // The real Reserve and Release ran against the workflow's own shop.
    assert_eq!(saga.deps().inventory.available("lamp"), 10);
    assert_eq!(saga.deps().inventory.held(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_mock_file_test_case_runs_the_saga_with_its_real_other_tasks() {
    let mocks = MockConfig::from_json(include_str!("../examples/saga.mock.json")).unwrap();
    let saga = OrderSaga::new(shop());
    let input = serde_json::to_value(order("o-5", 1, "4242")).unwrap();

    let mut run = saga.interpreter();
    mocks.apply(&mut run, "OrderSaga", "Paid").unwrap();
    let shipment = run.run(input.clone()).await.unwrap();
    assert_eq!(shipment["payment_id"], "p-mock");
    assert_eq!(
        saga.deps().inventory.available("lamp"),
        9,
        "Reserve and Ship ran"
    );
    assert!(saga.deps().payments.charges().is_empty(), "no real charge");

    // Three timeouts: the first attempt and both retries; then the catcher, Release, Fail.
    let mut run = saga.interpreter();
    mocks.apply(&mut run, "OrderSaga", "GatewayDown").unwrap();
    let start = Instant::now();
    let error = run.run(input).await.unwrap_err();
    assert_eq!(error.name(), "OrderFailed");
    assert_eq!(start.elapsed(), Duration::from_secs(1 + 2));
    assert_eq!(saga.deps().inventory.available("lamp"), 9, "released again");
}

/// `tests/golden/saga.asl.json` is the saga's export, which `asl run` runs with the same mock
/// file in `workflow-cli/tests/cli.rs` (regenerate it with
/// `cargo run --example saga -- --asl > tests/golden/saga.asl.json`).
#[test]
fn the_golden_export_is_the_sagas() {
    let golden: Value = serde_json::from_str(include_str!("golden/saga.asl.json")).unwrap();
    assert_eq!(golden, OrderSaga::asl());
}
