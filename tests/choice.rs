//! Choice, against a real interpreter's answers.
//!
//! `Route` sends an order down one of several routes using every family of comparison. Each
//! case's expected ending is in `tests/conformance/choice.expected.json`, produced by running
//! the exported ASL of `Route` in aws-local-stepfunctions (`tools/aws-local-stepfunctions/regenerate.sh`
//! rewrites it). This test runs the same cases natively and requires the same endings, except
//! where `tests/conformance/choice.deviations.json` records that the interpreter departs from
//! the States Language (with the reason); there the specification's ending is required. It
//! also writes the definitions and the cases to `target/tmp/conformance/choice/` for that
//! script.

use serde_json::{json, Value};

#[path = "support/conformance.rs"]
mod conformance;

sfn_workflow::workflow! {
    /// Routes an order.
    Route {
        start_at: "Which route?",
        states: {
            "Which route?": Choice {
                input_path: "$.order",
                choices: [
                    { variable: "$.blocked", is_present: true, next: Blocked },
                    { and: [
                        { variable: "$.country", string_equals: "NL" },
                        { variable: "$.express", boolean_equals: true },
                      ], next: Express },
                    { variable: "$.total", numeric_greater_than_equals_path: "$.limits.review", next: Review },
                    { or: [
                        { variable: "$.total", numeric_less_than: 1 },
                        { variable: "$.sku", string_matches: "TEST-*" },
                      ], next: Test },
                    { not: { variable: "$.placed", timestamp_less_than: "2026-01-01T00:00:00Z" }, next: NewYear },
                    { variable: "$.coupon", is_null: false, next: Coupon },
                    { variable: "$.tier", string_greater_than: "m", next: LateAlphabet },
                ],
                default: Standard,
            },
            Blocked: Fail { error: "OrderBlocked", cause: "the customer is blocked" },
            Express: Pass { result: "express", result_path: "$.route", end: true },
            Review: Pass { result: "review", result_path: "$.route", end: true },
            Test: Pass { result: "test", result_path: "$.route", end: true },
            NewYear: Pass { result: "new year", result_path: "$.route", end: true },
            Coupon: Pass { result: "coupon", result_path: "$.route", end: true },
            LateAlphabet: Pass { result: "late alphabet", result_path: "$.route", end: true },
            Standard: Pass { result: "standard", result_path: "$.route", end: true },
        }
    }
}

sfn_workflow::workflow! {
    /// No default: an order that matches no rule fails with States.NoChoiceMatched.
    Strict {
        start_at: Check,
        states: {
            Check: Choice {
                choices: [{ variable: "$.n", numeric_equals: 1, next: One }],
            },
            One: Succeed {},
        }
    }
}

fn base() -> Value {
    json!({"country": "DE", "express": false, "total": 50, "limits": {"review": 1000}, "sku": "A-1", "placed": "2025-06-01T10:00:00Z", "coupon": null, "tier": "gold"})
}

fn with(changes: Value) -> Value {
    let mut order = base();
    for (k, v) in changes.as_object().unwrap() {
        order[k] = v.clone();
    }
    json!({"order": order})
}

/// Every case: a name, the workflow, and its input.
fn cases() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        ("standard", "Route", with(json!({}))),
        (
            "blocked is present",
            "Route",
            with(json!({"blocked": false})),
        ),
        (
            "express needs both",
            "Route",
            with(json!({"country": "NL", "express": true})),
        ),
        (
            "express is not enough alone",
            "Route",
            with(json!({"country": "NL"})),
        ),
        (
            "review at the limit (path operand)",
            "Route",
            with(json!({"total": 1000})),
        ),
        (
            "review above the limit",
            "Route",
            with(json!({"total": 2500.5})),
        ),
        ("test: total below 1", "Route", with(json!({"total": 0.5}))),
        (
            "test: sku matches",
            "Route",
            with(json!({"sku": "TEST-42"})),
        ),
        ("sku almost matches", "Route", with(json!({"sku": "TEST"}))),
        (
            "new year: placed on 2026-01-01",
            "Route",
            with(json!({"placed": "2026-01-01T00:00:00Z"})),
        ),
        (
            "new year: an offset counts",
            "Route",
            with(json!({"placed": "2026-01-01T00:30:00+01:00"})),
        ),
        (
            "coupon is not null",
            "Route",
            with(json!({"coupon": "SAVE10"})),
        ),
        ("late alphabet", "Route", with(json!({"tier": "platinum"}))),
        (
            "a string total is not numeric",
            "Route",
            with(json!({"total": "50"})),
        ),
        (
            "a missing variable is a runtime error",
            "Route",
            json!({"order": {"country": "DE"}}),
        ),
        ("no rule and no default", "Strict", json!({"n": 2})),
        ("one rule matches", "Strict", json!({"n": 1})),
    ]
}

#[tokio::test]
async fn choice_routes_as_a_real_interpreter_does() {
    let definitions = json!({"Route": Route::asl(), "Strict": Strict::asl()});
    let suite = conformance::Suite::new(
        "choice",
        &definitions,
        &cases(),
        include_str!("conformance/choice.expected.json"),
        include_str!("conformance/choice.deviations.json"),
    );
    for (name, workflow, input) in cases() {
        let result = match workflow {
            "Route" => Route.run(input).await,
            _ => Strict.run(input).await,
        };
        suite.check(name, result);
    }
}
