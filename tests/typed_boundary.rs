//! Typed input and output: a workflow declared with `input: Order` and `output: Receipt` has
//! `run(Order) -> Result<Receipt, Error>`, and `run_json` for callers who have JSON. The data
//! flow in between is ASL's (the States Language specification's "Input and Output
//! Processing"): here `Parameters` and `ResultPath` shape what the handlers see.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sfn_workflow::Error;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Order {
    id: u32,
    quantity: u64,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Receipt {
    id: u32,
    cents: u64,
}

struct Prices {
    cents_each: u64,
}

async fn price(prices: &Prices, order: Order) -> Result<Receipt, Error> {
    Ok(Receipt {
        id: order.id,
        cents: order.quantity * prices.cents_each,
    })
}

sfn_workflow::workflow! {
    /// Starts and ends at a Task whose handler takes `Order` and returns `Receipt`: both are
    /// checked when the workflow compiles.
    Checkout {
        deps: Prices,
        input: Order,
        output: Receipt,
        start_at: Price,
        states: {
            Price: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:price", handler: price, end: true },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn run_takes_and_returns_the_declared_types() {
    let checkout = Checkout::new(Prices { cents_each: 250 });
    let receipt = checkout.run(Order { id: 7, quantity: 3 }).await.unwrap();
    assert_eq!(receipt, Receipt { id: 7, cents: 750 });
    // The JSON entry point stays, for callers who have JSON.
    let json = checkout
        .run_json(json!({"id": 7, "quantity": 3}))
        .await
        .unwrap();
    assert_eq!(json, json!({"id": 7, "cents": 750}));
}

async fn echo(order: Order) -> Result<Order, Error> {
    Ok(order)
}

sfn_workflow::workflow! {
    /// Ends at a Pass state: the output's type is known only at run time.
    Mislabelled {
        input: Order,
        output: Receipt,
        start_at: Echo,
        states: {
            Echo: Task { resource: "arn:aws:lambda:us-east-1:123456789012:function:echo", handler: echo, next: Label },
            Label: Pass { parameters: {"order.$": "$"}, end: true },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn an_output_that_does_not_fit_is_an_error_naming_the_type() {
    let error = Mislabelled
        .run(Order { id: 1, quantity: 1 })
        .await
        .unwrap_err();
    assert_eq!(error.name(), "Workflow.InvalidExecutionOutput");
    assert!(error.cause().contains("missing field `id`"), "{error}");
    // As JSON, the same execution succeeds: `Parameters` built `{"order": ...}`.
    let output = Mislabelled
        .run_json(json!({"id": 1, "quantity": 1}))
        .await
        .unwrap();
    assert_eq!(output, json!({"order": {"id": 1, "quantity": 1}}));
}

sfn_workflow::workflow! {
    /// Its first Task reads its input through `Parameters`, and its last one places its
    /// result with `ResultPath`: neither handler is checked against the declared types, which
    /// cross through JSON.
    Reshaped {
        deps: Prices,
        input: Order,
        output: Order,
        start_at: Double,
        states: {
            Double: Task {
                resource: "arn:aws:lambda:us-east-1:123456789012:function:price",
                handler: price,
                parameters: {"id.$": "$.id", "quantity": 2},
                result_path: "$.receipt",
                output_path: "$",
                end: true,
            },
        }
    }
}

#[tokio::test(start_paused = true)]
async fn data_flow_fields_convert_through_json() {
    let reshaped = Reshaped::new(Prices { cents_each: 5 });
    let order = Order { id: 3, quantity: 9 };
    // `Receipt` went to `$.receipt`; the output is the input with it, read back as `Order`
    // (serde ignores the unknown `receipt` member).
    assert_eq!(reshaped.run(order.clone()).await.unwrap(), order);
    let json = reshaped
        .run_json(serde_json::to_value(&order).unwrap())
        .await
        .unwrap();
    assert_eq!(json["receipt"], json!({"id": 3, "cents": 10}));
}
