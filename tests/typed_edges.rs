//! Typed edges: a Task whose output flows straight into the next Task hands it on as a Rust
//! value. The value is not serialized on the way, the outputs are the ones JSON would give,
//! and a Task that needs its input as JSON (retry, catch) still gets it.

use std::sync::atomic::{AtomicU32, Ordering};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{json, Value};
use sfn_workflow::Error;

/// How many times a `Quote` was serialized and deserialized.
static QUOTE_TO_JSON: AtomicU32 = AtomicU32::new(0);
static QUOTE_FROM_JSON: AtomicU32 = AtomicU32::new(0);

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Order {
    id: String,
    lines: u64,
}

/// A priced order; its (de)serializations are counted.
#[derive(Debug, Clone, PartialEq)]
struct Quote {
    id: String,
    cents: u64,
}

impl Serialize for Quote {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        QUOTE_TO_JSON.fetch_add(1, Ordering::SeqCst);
        json!({"id": self.id, "cents": self.cents}).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Quote {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        QUOTE_FROM_JSON.fetch_add(1, Ordering::SeqCst);
        #[derive(Deserialize)]
        struct Plain {
            id: String,
            cents: u64,
        }
        let plain = Plain::deserialize(deserializer)?;
        Ok(Self {
            id: plain.id,
            cents: plain.cents,
        })
    }
}

#[derive(Debug, Serialize)]
struct Label {
    id: String,
    postage_cents: u64,
}

static FLAKY_CALLS: AtomicU32 = AtomicU32::new(0);

async fn price(order: Order) -> Result<Quote, Error> {
    Ok(Quote {
        id: order.id,
        cents: order.lines * 250,
    })
}

async fn ship(quote: Quote) -> Result<Label, Error> {
    Ok(Label {
        id: quote.id,
        postage_cents: quote.cents / 10,
    })
}

/// Fails on its first call, then ships.
async fn flaky_ship(quote: Quote) -> Result<Label, Error> {
    if FLAKY_CALLS.fetch_add(1, Ordering::SeqCst) == 0 {
        return Err(Error::new("Courier.Busy", "try again"));
    }
    ship(quote).await
}

async fn refuse(quote: Quote) -> Result<Label, Error> {
    Err(Error::new(
        "Courier.Refused",
        format!("{} is too heavy", quote.id),
    ))
}

async fn done() -> Result<&'static str, Error> {
    Ok("done")
}

sfn_workflow::workflow! {
    /// Price -> Ship is a typed edge.
    Typed {
        start_at: Price,
        states: {
            Price: Task { resource: "arn:price", handler: price, next: Ship },
            Ship: Task { resource: "arn:ship", handler: ship, end: true },
        }
    }
}

sfn_workflow::workflow! {
    /// The same, with `result_path: "$"` (which changes nothing) making the edge JSON.
    Json {
        start_at: Price,
        states: {
            Price: Task { resource: "arn:price", handler: price, result_path: "$", next: Ship },
            Ship: Task { resource: "arn:ship", handler: ship, end: true },
        }
    }
}

sfn_workflow::workflow! {
    /// A typed edge into a Task with a retrier: the quote becomes JSON once, for the retries.
    Retried {
        start_at: Price,
        states: {
            Price: Task { resource: "arn:price", handler: price, next: Ship },
            Ship: Task {
                resource: "arn:ship",
                handler: flaky_ship,
                retry: [{ error_equals: ["Courier.Busy"], interval_seconds: 1 }],
                end: true,
            },
        }
    }
}

sfn_workflow::workflow! {
    /// A typed edge into a Task with a catcher, and on into a Task that takes no input.
    Caught {
        start_at: Price,
        states: {
            Price: Task { resource: "arn:price", handler: price, next: Ship },
            Ship: Task {
                resource: "arn:ship",
                handler: refuse,
                catch: [{ error_equals: ["States.ALL"], result_path: "$.error", next: Report }],
                next: Done,
            },
            Report: Pass { end: true },
            Done: Task { resource: "arn:done", handler: done, end: true },
        }
    }
}

sfn_workflow::workflow! {
    /// Ship reached by a typed edge and, from a Pass, by JSON; then a typed edge into a Task
    /// without an argument.
    TwoWays {
        start_at: Route,
        states: {
            Route: Choice {
                choices: [{ variable: "$.quoted", boolean_equals: true, next: Quoted }],
                default: Price,
            },
            Quoted: Pass { input_path: "$.quote", next: Ship },
            Price: Task { resource: "arn:price", handler: price, next: Ship },
            Ship: Task { resource: "arn:ship", handler: ship, next: Done },
            Done: Task { resource: "arn:done", handler: done, end: true },
        }
    }
}

sfn_workflow::workflow! {
    /// Ship receives typed edges from two Tasks; each route must hand over its own quote.
    TwoProducers {
        start_at: Route,
        states: {
            Route: Choice {
                choices: [{ variable: "$.express", boolean_equals: true, next: "Price express" }],
                default: Price,
            },
            "Price express": Task { resource: "arn:price", handler: price_express, next: Ship },
            Price: Task { resource: "arn:price", handler: price, next: Ship },
            Ship: Task { resource: "arn:ship", handler: ship, end: true },
        }
    }
}

async fn price_express(order: Order) -> Result<Quote, Error> {
    Ok(Quote {
        id: order.id,
        cents: order.lines * 500,
    })
}

fn order() -> Value {
    json!({"id": "o-7", "lines": 4})
}

fn counts() -> (u32, u32) {
    (
        QUOTE_TO_JSON.swap(0, Ordering::SeqCst),
        QUOTE_FROM_JSON.swap(0, Ordering::SeqCst),
    )
}

// One test, because the counters are shared by every workflow here.
#[tokio::test(start_paused = true)]
async fn typed_edges_pass_values_and_agree_with_json() {
    counts();
    let typed = Typed.run(order()).await.unwrap();
    assert_eq!(typed, json!({"id": "o-7", "postage_cents": 100}));
    assert_eq!(
        counts(),
        (0, 0),
        "the quote crossed the edge as a Rust value"
    );

    let json = Json.run(order()).await.unwrap();
    assert_eq!(json, typed, "the JSON edge gives the same output");
    assert_eq!(
        counts(),
        (1, 1),
        "the JSON edge serializes and deserializes the quote"
    );

    let retried = Retried.run(order()).await.unwrap();
    assert_eq!(retried, typed);
    assert_eq!(FLAKY_CALLS.load(Ordering::SeqCst), 2);
    assert_eq!(
        counts(),
        (1, 2),
        "serialized once for the retrier, read by each attempt"
    );

    let caught = Caught.run(order()).await.unwrap();
    assert_eq!(caught["id"], json!("o-7"));
    assert_eq!(
        caught["cents"],
        json!(1000),
        "the catcher sees the quote as input"
    );
    assert_eq!(caught["error"]["Error"], json!("Courier.Refused"));
    counts();

    let limited = Limited.run(order()).await.unwrap();
    assert_eq!(limited, json!({"postage": 100, "state": "Ship"}));
    assert_eq!(
        counts(),
        (0, 0),
        "a Task with a limit and a selector takes the quote as a Rust value"
    );

    let priced = TwoWays
        .run(json!({"quoted": false, "id": "o-7", "lines": 4}))
        .await
        .unwrap();
    assert_eq!(priced, json!("done"));
    assert_eq!(counts(), (0, 0), "Price -> Ship -> Done are typed");
    let quoted = TwoWays
        .run(json!({"quoted": true, "quote": {"id": "q-1", "cents": 990}}))
        .await
        .unwrap();
    assert_eq!(quoted, json!("done"));
    assert_eq!(counts(), (0, 1), "Ship reached from a Pass reads JSON");
}

#[test]
fn typed_edges_change_nothing_in_the_export() {
    let asl = Typed::asl();
    assert_eq!(asl["States"]["Price"]["Next"], json!("Ship"));
    assert!(asl["States"]["Price"].get("ResultPath").is_none());
    assert_eq!(
        Json::asl()["States"]["Price"]["ResultPath"],
        json!("$"),
        "the JSON twin differs only in its ResultPath"
    );
}

#[tokio::test]
async fn a_task_with_two_typed_producers_gets_the_value_of_the_route_taken() {
    let run =
        |express: bool| TwoProducers.run(json!({"express": express, "id": "o-1", "lines": 2}));
    assert_eq!(
        run(false).await.unwrap(),
        json!({"id": "o-1", "postage_cents": 50})
    );
    assert_eq!(
        run(true).await.unwrap(),
        json!({"id": "o-1", "postage_cents": 100})
    );
}

async fn inspect(quote: Quote, context: sfn_workflow::task::TaskContext) -> Result<Value, Error> {
    let object = context.context_object();
    Ok(json!({
        "cents": quote.cents,
        "state": object["State"]["Name"],
        "input": object["Execution"]["Input"],
    }))
}

async fn explode(_quote: Quote) -> Result<Label, Error> {
    panic!("the label printer caught fire")
}

sfn_workflow::workflow! {
    /// Two plain Tasks on a typed edge; the second reads its context object.
    Inspected {
        start_at: Price,
        states: {
            Price: Task { resource: "arn:price", handler: price, next: Inspect },
            Inspect: Task { resource: "arn:inspect", handler: inspect, end: true },
        }
    }
}

sfn_workflow::workflow! {
    /// Two plain Tasks on a typed edge; the second panics.
    Exploding {
        start_at: Price,
        states: {
            Price: Task { resource: "arn:price", handler: price, next: Explode },
            Explode: Task { resource: "arn:explode", handler: explode, end: true },
        }
    }
}

// Plain Tasks (no retry, catch, limit or data-flow field) at the ends of typed edges run on a
// short path of their own; it must fail and see its context exactly as the general one does.
#[tokio::test]
async fn plain_tasks_on_typed_edges_fail_and_see_their_context_as_any_task() {
    let bad = Typed.run(json!({"id": "o-7"})).await.unwrap_err();
    assert_eq!(bad.name(), "Workflow.InvalidTaskInput");
    assert!(
        bad.cause().contains("missing field `lines`"),
        "{}",
        bad.cause()
    );

    let fire = Exploding.run(order()).await.unwrap_err();
    assert_eq!(fire.name(), "Workflow.TaskPanicked");
    assert_eq!(fire.cause(), "the label printer caught fire");

    let seen = Inspected.run(order()).await.unwrap();
    assert_eq!(
        seen,
        json!({"cents": 1000, "state": "Inspect", "input": order()}),
        "a typed input still comes with the whole context object"
    );
}

sfn_workflow::workflow! {
    /// A typed edge into a Task that is not plain (a limit and a `ResultSelector`), which
    /// still takes the quote as a Rust value.
    Limited {
        start_at: Price,
        states: {
            Price: Task { resource: "arn:price", handler: price, next: Ship },
            Ship: Task {
                resource: "arn:ship",
                handler: ship,
                timeout_seconds: 5,
                result_selector: { "postage.$": "$.postage_cents", "state.$": "$$.State.Name" },
                end: true,
            },
        }
    }
}
