//! `examples/orders.rs`: every route an order can take.

use serde_json::{json, Value};

#[path = "../examples/orders.rs"]
#[allow(dead_code)]
mod example;

use example::ProcessOrder;

fn order(vip: bool, items: Value) -> Value {
    json!({"order_id": "T-1", "customer": {"name": "Ada", "vip": vip}, "items": items})
}

#[tokio::test(start_paused = true)]
async fn orders_are_confirmed_held_or_rejected() {
    let out = ProcessOrder
        .run(order(
            false,
            json!([{"sku": "lamp", "quantity": 2}, {"sku": "mug", "quantity": 1}]),
        ))
        .await
        .unwrap();
    assert_eq!(
        out,
        json!({"order_id": "T-1", "status": "confirmed", "payment": "pay-T-1", "message": "Order T-1 for Ada: 2 lines, 5900 cents"})
    );

    let out = ProcessOrder
        .run(order(false, json!([{"sku": "chair", "quantity": 10}])))
        .await
        .unwrap();
    assert_eq!(
        out["status"],
        json!("held for review"),
        "a large order from a regular customer waits"
    );

    let out = ProcessOrder
        .run(order(true, json!([{"sku": "chair", "quantity": 10}])))
        .await
        .unwrap();
    assert_eq!(
        out["status"],
        json!("confirmed"),
        "a VIP's large order is charged at once"
    );

    let err = ProcessOrder
        .run(order(true, json!([{"sku": "chair", "quantity": 30}])))
        .await
        .unwrap_err();
    assert_eq!(
        (err.name(), err.cause()),
        // 30 chairs at 7900 cents, less the 10% volume discount.
        ("OrderRejected", "a charge of 213300 cents was declined")
    );

    let err = ProcessOrder
        .run(order(
            false,
            json!([{"sku": "lamp", "quantity": 1}, {"sku": "sofa", "quantity": 1}]),
        ))
        .await
        .unwrap_err();
    assert_eq!(
        (err.name(), err.cause()),
        ("OrderRejected", "no price for `sofa`")
    );
}
