//! Data flow (`input_path`, `parameters`, `result_selector`, `result_path`, `output_path`),
//! against a real interpreter's answers.
//!
//! The expected endings are `tests/conformance/data_flow.expected.json`, produced by running
//! these workflows' exported ASL in aws-local-stepfunctions (`tools/aws-local-stepfunctions/regenerate.sh`),
//! except where `tests/conformance/data_flow.deviations.json` records that the interpreter
//! departs from the States Language, with the reason. The definitions and cases are written to
//! `target/tmp/conformance/data_flow/` for that script.

use serde_json::{json, Value};

#[path = "support/conformance.rs"]
mod conformance;

sfn_workflow::workflow! {
    /// Every data-flow field on its way through three states.
    Flow {
        start_at: Select,
        states: {
            Select: Pass {
                input_path: "$.order",
                parameters: {
                    "id.$": "$.id",
                    "first.$": "$.items[0]",
                    "customer.$": "$$.Execution.Input.customer",
                    "fixed": "as written",
                    "nested": {"count.$": "$.count"},
                },
                result_path: "$.selected",
                next: Total,
            },
            Total: Parallel {
                branches: [{ start_at: Sum, states: { Sum: Pass { result: {"total": 30, "tax": 6}, end: true } } }],
                result_selector: {"total.$": "$[0].total", "branches": 1},
                result_path: "$.summary.deep.place",
                next: Tidy,
            },
            Tidy: Pass { output_path: "$.summary.deep", next: Drop },
            Drop: Pass { result: "ignored", result_path: null, end: true },
        }
    }
}

sfn_workflow::workflow! {
    /// The same states, with every intermediate value collected at the end.
    Collected {
        start_at: Select,
        states: {
            Select: Pass {
                input_path: "$.order",
                parameters: {"id.$": "$.id", "first.$": "$.items[0]", "customer.$": "$$.Execution.Input.customer", "nested": {"count.$": "$.count"}},
                result_path: "$.selected",
                next: Total,
            },
            Total: Parallel {
                branches: [{ start_at: Sum, states: { Sum: Pass { result: {"total": 30, "tax": 6}, end: true } } }],
                result_selector: {"total.$": "$[0].total"},
                result_path: "$.summary.deep.place",
                next: Collect,
            },
            Collect: Pass { parameters: {"selected.$": "$.selected", "summary.$": "$.summary", "name.$": "$.name"}, end: true },
        }
    }
}

sfn_workflow::workflow! {
    /// Every deterministic intrinsic function, nested where it reads naturally.
    Intrinsics {
        start_at: Compute,
        states: {
            Compute: Pass {
                parameters: {
                    "greeting.$": "States.Format('Hello {}, you have {} items \\{really\\}', $$.Execution.Input.customer, States.ArrayLength($.order.items))",
                    "parsed.$": "States.StringToJson('{\"a\": [1, 2]}')",
                    "text.$": "States.JsonToString($.order)",
                    "array.$": "States.Array(1, 'two', $.order.count, null)",
                    "chunks.$": "States.ArrayPartition(States.ArrayRange(1, 7, 2), 2)",
                    "contains.$": "States.ArrayContains($.order.items, 'b')",
                    "second.$": "States.ArrayGetItem($.order.items, 1)",
                    "unique.$": "States.ArrayUnique(States.Array(1, 2, 2, 1, 3))",
                    "encoded.$": "States.Base64Encode($.order.id)",
                    "decoded.$": "States.Base64Decode(States.Base64Encode($.order.id))",
                    "sha256.$": "States.Hash($.order.id, 'SHA-256')",
                    "md5.$": "States.Hash($.order.id, 'MD5')",
                    "sum.$": "States.MathAdd($.order.count, -5)",
                    "split.$": "States.StringSplit('a,b,c', ',')",
                },
                end: true,
            },
        }
    }
}

sfn_workflow::workflow! {
    /// On its own: aws-local-stepfunctions 3.0.0 merges into the first object in place, which
    /// members evaluated after it would see.
    Merge {
        start_at: Compute,
        states: {
            Compute: Pass {
                parameters: {
                    "merged.$": "States.JsonMerge($.order, States.StringToJson('{\"count\": 9, \"new\": true}'), false)",
                },
                end: true,
            },
        }
    }
}

sfn_workflow::workflow! {
    BadIntrinsic {
        start_at: Compute,
        states: { Compute: Pass { parameters: {"x.$": "States.StringToJson('{not json')"}, end: true } }
    }
}

sfn_workflow::workflow! {
    ReplaceAll {
        start_at: Replace,
        states: { Replace: Pass { result: {"replaced": true}, result_path: "$", end: true } }
    }
}

sfn_workflow::workflow! {
    KeepSelected {
        start_at: Select,
        states: {
            Select: Pass { parameters: {"id.$": "$.order.id"}, result_path: "$.selected", output_path: "$.selected", next: Nothing },
            Nothing: Pass { output_path: null, end: true },
        }
    }
}

sfn_workflow::workflow! {
    ParameterPathFails {
        start_at: Select,
        states: { Select: Pass { parameters: {"id.$": "$.order.missing"}, end: true } }
    }
}

sfn_workflow::workflow! {
    ResultPathFails {
        start_at: Place,
        states: { Place: Pass { result: 1, result_path: "$.name.first", end: true } }
    }
}

sfn_workflow::workflow! {
    InputPathFails {
        start_at: Select,
        states: { Select: Pass { input_path: "$.nowhere", end: true } }
    }
}

sfn_workflow::workflow! {
    /// JSONPath queries that are not reference paths: each selects an array of its matches.
    Queries {
        start_at: Select,
        states: {
            Select: Pass {
                input_path: "$.orders[?(@.total > 10)]",
                parameters: {
                    "ids.$": "$[*].id",
                    "skus.$": "$..sku",
                    "first_two.$": "$[0:2].id",
                    "count.$": "States.ArrayLength($[*].id)",
                    "big.$": "$[?(@.total >= 50)].id",
                },
                end: true,
            },
        }
    }
}

sfn_workflow::workflow! {
    /// The AWS developer guide's example: every character of the second argument splits.
    SplitOnEach {
        start_at: Split,
        states: { Split: Pass { parameters: {"parts.$": "States.StringSplit('This.is+a,test=string', '.+,=')"}, end: true } }
    }
}

sfn_workflow::workflow! {
    NoMatch {
        start_at: Select,
        states: { Select: Pass { parameters: {"none.$": "$.orders[?(@.total > 1000)]"}, end: true } }
    }
}

sfn_workflow::workflow! {
    QueryOutput {
        start_at: Select,
        states: { Select: Pass { output_path: "$.orders[*].lines[*].sku", end: true } }
    }
}

sfn_workflow::workflow! {
    OneMatch {
        start_at: Select,
        states: { Select: Pass { input_path: "$.orders[?(@.id == 'c')]", end: true } }
    }
}

fn orders() -> Value {
    json!({"orders": [
        {"id": "a", "total": 5, "lines": [{"sku": "x"}]},
        {"id": "b", "total": 50, "lines": [{"sku": "y"}, {"sku": "z"}]},
        {"id": "c", "total": 70, "lines": [{"sku": "w"}]},
        {"id": "d", "total": 20, "lines": []},
    ]})
}

fn order() -> Value {
    json!({"customer": "ada", "order": {"id": "o-1", "items": ["a", "b"], "count": 2}, "name": "text"})
}

fn cases() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        ("every field", "Flow", order()),
        (
            "every deterministic intrinsic function",
            "Intrinsics",
            order(),
        ),
        ("a shallow JSON merge", "Merge", order()),
        (
            "an intrinsic function given a bad argument",
            "BadIntrinsic",
            order(),
        ),
        ("every intermediate value", "Collected", order()),
        (
            "a result path of $ replaces the input",
            "ReplaceAll",
            order(),
        ),
        ("parameters and output paths", "KeepSelected", order()),
        (
            "a parameters path that matches nothing",
            "ParameterPathFails",
            order(),
        ),
        ("a result path into a string", "ResultPathFails", order()),
        (
            "an input path that matches nothing",
            "InputPathFails",
            order(),
        ),
        ("JSONPath queries select arrays", "Queries", orders()),
        ("a filter with one match", "OneMatch", orders()),
        ("an output path query", "QueryOutput", orders()),
        ("a filter with no match", "NoMatch", orders()),
        ("a split on several characters", "SplitOnEach", order()),
    ]
}

async fn run(workflow: &str, input: Value) -> Result<Value, sfn_workflow::Error> {
    match workflow {
        "Flow" => Flow.run(input).await,
        "Intrinsics" => Intrinsics.run(input).await,
        "Merge" => Merge.run(input).await,
        "BadIntrinsic" => BadIntrinsic.run(input).await,
        "Collected" => Collected.run(input).await,
        "ReplaceAll" => ReplaceAll.run(input).await,
        "KeepSelected" => KeepSelected.run(input).await,
        "ParameterPathFails" => ParameterPathFails.run(input).await,
        "ResultPathFails" => ResultPathFails.run(input).await,
        "InputPathFails" => InputPathFails.run(input).await,
        "Queries" => Queries.run(input).await,
        "OneMatch" => OneMatch.run(input).await,
        "QueryOutput" => QueryOutput.run(input).await,
        "SplitOnEach" => SplitOnEach.run(input).await,
        _ => NoMatch.run(input).await,
    }
}

#[tokio::test]
async fn data_flows_as_a_real_interpreter_says() {
    let definitions = json!({
        "Flow": Flow::asl(),
        "Intrinsics": Intrinsics::asl(),
        "Merge": Merge::asl(),
        "BadIntrinsic": BadIntrinsic::asl(),
        "Collected": Collected::asl(),
        "ReplaceAll": ReplaceAll::asl(),
        "KeepSelected": KeepSelected::asl(),
        "ParameterPathFails": ParameterPathFails::asl(),
        "ResultPathFails": ResultPathFails::asl(),
        "InputPathFails": InputPathFails::asl(),
        "Queries": Queries::asl(),
        "OneMatch": OneMatch::asl(),
        "QueryOutput": QueryOutput::asl(),
        "NoMatch": NoMatch::asl(),
        "SplitOnEach": SplitOnEach::asl(),
    });
    let suite = conformance::Suite::new(
        "data_flow",
        &definitions,
        &cases(),
        include_str!("conformance/data_flow.expected.json"),
        include_str!("conformance/data_flow.deviations.json"),
    );
    for (name, workflow, input) in cases() {
        suite.check(name, run(workflow, input).await);
    }
}

/// Issue 13: a quoted name may hold `]`, and a union of names is many nodes. Jayway JSONPath,
/// which AWS evaluates paths with, returns a definite path's node itself and a union's nodes
/// as a list; and a `ResultPath` must be a reference path (the States Language specification,
/// "Reference Paths"), which a union is not.
#[tokio::test]
async fn a_bracketed_name_holding_a_bracket_and_a_union_of_names() {
    let input = json!({"a]": 1, "a": 2, "b": 3});
    let pass = |field: &str, path: &str| {
        let text =
            json!({"StartAt": "P", "States": {"P": {"Type": "Pass", field: path, "End": true}}});
        sfn_workflow::interpret::Interpreter::from_json("P", &text.to_string())
    };
    let one = pass("InputPath", "$['a]']").unwrap();
    assert_eq!(one.run(input.clone()).await, Ok(json!(1)));
    let union = pass("InputPath", "$['a','b']").unwrap();
    assert_eq!(union.run(input).await, Ok(json!([2, 3])));
    let refused = pass("ResultPath", "$['a','b']").unwrap_err();
    assert!(
        refused.to_string().contains("is not a reference path"),
        "{refused}"
    );
}
