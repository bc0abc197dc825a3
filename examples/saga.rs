//! An order saga: reserve stock, charge the card, ship; when the charge fails for good, give
//! the stock back (the compensation) and fail the order. The inventory store and the payment
//! client are the workflow's dependencies: built once in `main`, held by the workflow value,
//! borrowed by each handler. No global state.
//!
//! ```text
//! cargo run --example saga                                   # 2 lamps: reserved, charged, shipped
//! cargo run --example saga -- '{"order_id": "o-2", "sku": "lamp", "quantity": 2, "card": "4000-0000-0000-0002"}'
//!                                                            # a declined card: stock released, OrderFailed
//! cargo run --example saga -- '{"order_id": "o-3", "sku": "lamp", "quantity": 50, "card": "4242"}'
//!                                                            # not enough stock: OrderFailed, nothing charged
//! cargo run --example saga -- --asl                          # the ASL export
//! ```
//!
//! The payment client times out on its first call for each order (a flaky gateway); the
//! `retry` on `Charge` absorbs it. Cards ending in `0002` are declined.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::json;
use sfn_workflow::{Error, TaskError};

/// What a customer ordered: the saga's input.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Order {
    pub(crate) order_id: String,
    pub(crate) sku: String,
    pub(crate) quantity: u32,
    pub(crate) card: String,
}

/// Stock held for an order until it ships or is released.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Reservation {
    pub(crate) order: Order,
    pub(crate) reservation_id: String,
}

/// What the saga returns when the order went through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Shipment {
    pub(crate) order_id: String,
    pub(crate) payment_id: String,
    pub(crate) tracking: String,
}

/// An inventory store: stock per SKU and the reservations against it. In a service this would
/// be a database pool; here it is a map behind a lock.
#[derive(Debug, Default)]
pub(crate) struct Inventory {
    stock: Mutex<HashMap<String, u32>>,
    reservations: Mutex<HashMap<String, (String, u32)>>,
}

impl Inventory {
    pub(crate) fn with_stock(items: &[(&str, u32)]) -> Self {
        let stock = items
            .iter()
            .map(|(sku, n)| ((*sku).to_owned(), *n))
            .collect();
        Self {
            stock: Mutex::new(stock),
            reservations: Mutex::default(),
        }
    }

    /// How many of `sku` are in stock and not reserved.
    pub(crate) fn available(&self, sku: &str) -> u32 {
        self.stock.lock().unwrap().get(sku).copied().unwrap_or(0)
    }

    /// How many reservations are held.
    pub(crate) fn held(&self) -> usize {
        self.reservations.lock().unwrap().len()
    }
}

/// A payment gateway client. In a service this would hold an HTTP client and credentials.
#[derive(Debug, Default)]
pub(crate) struct Payments {
    /// Orders the gateway has seen once: their first call times out.
    seen: Mutex<Vec<String>>,
    /// Charges made, as (order id, cents).
    charges: Mutex<Vec<(String, u64)>>,
}

impl Payments {
    /// The charges made so far.
    pub(crate) fn charges(&self) -> Vec<(String, u64)> {
        self.charges.lock().unwrap().clone()
    }
}

/// The saga's dependencies: what its handlers borrow.
#[derive(Debug, Default)]
pub(crate) struct Shop {
    pub(crate) inventory: Inventory,
    pub(crate) payments: Payments,
    pub(crate) cents_each: u64,
}

/// The ways a step can fail, each an ASL error name that `retry` and `catch` match.
#[derive(Debug)]
pub(crate) enum ShopError {
    OutOfStock { sku: String, available: u32 },
    GatewayTimeout,
    Declined(String),
}

impl TaskError for ShopError {
    fn into_error(self) -> Error {
        match self {
            ShopError::OutOfStock { sku, available } => {
                Error::new("OutOfStock", format!("{available} of {sku} available"))
            }
            ShopError::GatewayTimeout => {
                Error::new("PaymentTimeout", "the payment gateway did not answer")
            }
            ShopError::Declined(card) => {
                Error::new("PaymentDeclined", format!("card {card} was declined"))
            }
        }
    }
}

/// Holds the order's stock.
pub(crate) async fn reserve(shop: &Shop, order: Order) -> Result<Reservation, ShopError> {
    let mut stock = shop.inventory.stock.lock().unwrap();
    let available = stock.get(&order.sku).copied().unwrap_or(0);
    if available < order.quantity {
        return Err(ShopError::OutOfStock {
            sku: order.sku,
            available,
        });
    }
    stock.insert(order.sku.clone(), available - order.quantity);
    let reservation_id = format!("r-{}", order.order_id);
    shop.inventory
        .reservations
        .lock()
        .unwrap()
        .insert(reservation_id.clone(), (order.sku.clone(), order.quantity));
    tracing::info!(order = %order.order_id, %reservation_id, "reserved");
    Ok(Reservation {
        order,
        reservation_id,
    })
}

/// The payment's receipt, placed at `$.payment` by `Charge`'s `result_path`.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Payment {
    pub(crate) payment_id: String,
    pub(crate) cents: u64,
}

/// Charges the card through the payment client, which answers after 200 ms.
pub(crate) async fn charge(shop: &Shop, reservation: Reservation) -> Result<Payment, ShopError> {
    let order = &reservation.order;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let first_call = {
        let mut seen = shop.payments.seen.lock().unwrap();
        let first = !seen.contains(&order.order_id);
        if first {
            seen.push(order.order_id.clone());
        }
        first
    };
    if first_call {
        tracing::warn!(order = %order.order_id, "payment gateway timed out");
        return Err(ShopError::GatewayTimeout);
    }
    if order.card.ends_with("0002") {
        return Err(ShopError::Declined(order.card.clone()));
    }
    let cents = u64::from(order.quantity) * shop.cents_each;
    shop.payments
        .charges
        .lock()
        .unwrap()
        .push((order.order_id.clone(), cents));
    tracing::info!(order = %order.order_id, cents, "charged");
    Ok(Payment {
        payment_id: format!("p-{}", order.order_id),
        cents,
    })
}

/// What `Ship` reads: the reservation with the payment placed beside it.
#[derive(Debug, Deserialize)]
pub(crate) struct Paid {
    #[serde(flatten)]
    pub(crate) reservation: Reservation,
    pub(crate) payment: Payment,
}

/// Ships: the reservation becomes a shipment, and the stock leaves for good.
pub(crate) async fn ship(shop: &Shop, paid: Paid) -> Result<Shipment, Error> {
    shop.inventory
        .reservations
        .lock()
        .unwrap()
        .remove(&paid.reservation.reservation_id);
    Ok(Shipment {
        order_id: paid.reservation.order.order_id.clone(),
        payment_id: paid.payment.payment_id,
        tracking: format!("t-{}", paid.reservation.order.order_id),
    })
}

/// The compensation: gives a failed order's stock back.
pub(crate) async fn release(shop: &Shop, reservation: Reservation) -> Result<Reservation, Error> {
    let held = shop
        .inventory
        .reservations
        .lock()
        .unwrap()
        .remove(&reservation.reservation_id);
    if let Some((sku, quantity)) = held {
        *shop.inventory.stock.lock().unwrap().entry(sku).or_default() += quantity;
        tracing::info!(reservation = %reservation.reservation_id, "released");
    }
    Ok(reservation)
}

sfn_workflow::workflow! {
    /// Reserve, charge, ship; when the charge fails for good, release the stock.
    pub(crate) OrderSaga {
        comment: "Order saga: reserve, charge, ship; release the stock if the charge fails",
        deps: Shop,
        input: Order,
        output: Shipment,
        start_at: Reserve,
        states: {
            Reserve: Task {
                resource: "arn:aws:lambda:us-east-1:123456789012:function:reserve",
                handler: reserve,
                catch: [{ error_equals: ["OutOfStock"], result_path: "$.error", next: "Order failed" }],
                next: Charge,
            },
            Charge: Task {
                resource: "arn:aws:lambda:us-east-1:123456789012:function:charge",
                handler: charge,
                retry: [{ error_equals: ["PaymentTimeout"], interval_seconds: 1, max_attempts: 2, backoff_rate: 2.0 }],
                catch: [{ error_equals: ["States.ALL"], result_path: "$.error", next: Release }],
                result_path: "$.payment",
                next: Ship,
            },
            Ship: Task {
                resource: "arn:aws:lambda:us-east-1:123456789012:function:ship",
                handler: ship,
                end: true,
            },
            // The compensation: the charge failed after the stock was reserved.
            Release: Task {
                resource: "arn:aws:lambda:us-east-1:123456789012:function:release",
                handler: release,
                result_path: null,
                next: "Order failed",
            },
            "Order failed": Fail { error: "OrderFailed", cause: "the order could not be completed; no stock is held for it" },
        }
    }
}

/// The shop a fresh process starts with: 10 lamps at 25.00 each.
pub(crate) fn shop() -> Shop {
    Shop {
        inventory: Inventory::with_stock(&[("lamp", 10), ("mug", 3)]),
        payments: Payments::default(),
        cents_each: 2_500,
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    let args = sfn_workflow::cli::args();
    let saga = OrderSaga::new(shop());
    let options = sfn_workflow::cli::Options {
        default_input: json!({"order_id": "o-1", "sku": "lamp", "quantity": 2, "card": "4242-4242-4242-4242"}),
        ..Default::default()
    };
    let code = sfn_workflow::cli::main_with(&saga, &args, &options).await;
    if !args.iter().any(|a| a == "--asl") {
        let inventory = &saga.deps().inventory;
        tracing::info!(
            lamps_left = inventory.available("lamp"),
            reservations_held = inventory.held(),
            charges = ?saga.deps().payments.charges(),
            "the shop after the run"
        );
    }
    code
}
