//! Workflow variables (issue 17, point 3): `Assign` and `$name` in JSONPath states, as AWS
//! runs them. The expected values are AWS's recorded histories, from LocalStack's snapshots
//! of runs against AWS (`tests/aws/services/stepfunctions/v2/assign/
//! test_assign_base.snapshot.json` and `test_assign_reference_variables.snapshot.json`,
//! recorded in November 2024), where each test's definition comes from; or, where a test
//! says so, the developer guide's "Passing data between states with variables".

use serde_json::{json, Value};
use sfn_workflow::history::History;
use sfn_workflow::interpret::Interpreter;
use sfn_workflow::Error;

async fn recorded(definition: Value, input: Value) -> (Result<Value, Error>, History) {
    let interpreter = Interpreter::from_json("Variables", &definition.to_string()).unwrap();
    interpreter.run_recorded(input).await
}

async fn run(definition: Value, input: Value) -> Result<Value, Error> {
    let interpreter = Interpreter::from_json("Variables", &definition.to_string()).unwrap();
    interpreter.run(input).await
}

/// The `assignedVariables` of each `...StateExited` of the state called `name`, in order.
fn assigned(history: &History, name: &str) -> Vec<Value> {
    history
        .of_state(name)
        .filter(|e| e.kind.name().ends_with("StateExited"))
        .filter_map(|e| e.detail("assignedVariables").cloned())
        .collect()
}

// `BASE_PATHS`: a `.$` member reads the state's input (`$`), a path into it, the context
// object and an intrinsic call; each variable shows in the history as its JSON text.
#[tokio::test]
async fn assign_reads_paths_the_context_object_and_intrinsics() {
    let definition = json!({"StartAt": "State0", "States": {"State0": {"Type": "Pass",
        "Assign": {"str_path_root.$": "$", "str_path.$": "$.input_value",
            "str_contextpath.$": "$$.State.Name",
            "str_intrinsic_func.$": "States.Format('Format Func {}', $.input_value)"},
        "End": true}}});
    let (outcome, history) =
        recorded(definition, json!({"input_value": "input_value_literal"})).await;
    assert_eq!(
        outcome.unwrap(),
        json!({"input_value": "input_value_literal"})
    );
    assert_eq!(
        assigned(&history, "State0"),
        [json!({
            "str_path_root": "{\"input_value\":\"input_value_literal\"}",
            "str_path": "\"input_value_literal\"",
            "str_contextpath": "\"State0\"",
            "str_intrinsic_func": "\"Format Func input_value_literal\""
        })]
    );
}

// `BASE_VAR`: literals are assigned as written, a string that looks like a path or an
// expression included (only a `.$` member is evaluated); the next state reads them back
// with `$name` and `$name.member`.
#[tokio::test]
async fn literals_are_assigned_as_written_and_read_back_by_name() {
    let definition = json!({"StartAt": "State0", "States": {
        "State0": {"Type": "Pass", "Assign": {"varname.$": "$.input_value",
            "constant_null": null, "constant_float": 0.1, "constant_str_path": "$.no.such.path",
            "constant_str_jsonata_expr": "{% $varname.varfield %}",
            "constant_obj": {"in_obj_constant_lst": [0, "$varname"]}}, "Next": "State1"},
        "State1": {"Type": "Pass", "Assign": {"varname2": "varname2",
            "varnameconstant_null.$": "$constant_null",
            "varnameconstant_str_path.$": "$constant_str_path",
            "varnameconstant_obj_access.$": "$constant_obj.in_obj_constant_lst"},
            "End": true}}});
    let (outcome, history) =
        recorded(definition, json!({"input_value": "input_value_literal"})).await;
    outcome.unwrap();
    assert_eq!(
        assigned(&history, "State0")[0]["constant_str_jsonata_expr"],
        json!("\"{% $varname.varfield %}\"")
    );
    assert_eq!(
        assigned(&history, "State0")[0]["varname"],
        json!("\"input_value_literal\"")
    );
    assert_eq!(
        assigned(&history, "State1"),
        [
            json!({"varname2": "\"varname2\"", "varnameconstant_null": "null",
            "varnameconstant_str_path": "\"$.no.such.path\"",
            "varnameconstant_obj_access": "[0,\"$varname\"]"})
        ]
    );
}

// `BASE_SCOPE_MAP`: `ItemsPath` reads a variable; each iteration reads the outer `$x`, and
// the state after the Map reads it too.
#[tokio::test]
async fn a_map_iteration_reads_the_outer_variables() {
    let definition = json!({"StartAt": "State0", "States": {
        "State0": {"Type": "Pass", "Assign": {"x": 42, "items": [1, 2, 3]}, "Next": "State1"},
        "State1": {"Type": "Map", "ItemsPath": "$items", "MaxConcurrency": 1,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Inner",
                "States": {"Inner": {"Type": "Pass", "Assign": {"innerX.$": "$x"}, "End": true}}},
            "Next": "State2"},
        "State2": {"Type": "Pass", "Assign": {"final.$": "$x"}, "End": true}}});
    let (outcome, history) =
        recorded(definition, json!({"input_value": "input_value_literal"})).await;
    assert_eq!(outcome.unwrap(), json!([1, 2, 3]));
    assert_eq!(
        assigned(&history, "Inner"),
        [
            json!({"innerX": "42"}),
            json!({"innerX": "42"}),
            json!({"innerX": "42"})
        ]
    );
    assert_eq!(assigned(&history, "State2"), [json!({"final": "42"})]);
}

// `BASE_SCOPE_PARALLEL`: every branch reads the outer `$x` and assigns its own variables.
#[tokio::test]
async fn parallel_branches_read_the_outer_variables() {
    let branch = |name: &str| {
        json!({"StartAt": name, "States": {name: {"Type": "Pass",
            "Assign": {"innerX.$": "$x", "value.$": "$"}, "End": true}}})
    };
    let definition = json!({"StartAt": "State0", "States": {
        "State0": {"Type": "Pass", "Assign": {"x": 42}, "Next": "State1"},
        "State1": {"Type": "Parallel", "End": true,
            "Branches": [branch("Branch1"), branch("Branch21"), branch("Branch31")]}}});
    let (outcome, history) = recorded(definition, json!({})).await;
    assert_eq!(outcome.unwrap(), json!([{}, {}, {}]));
    for name in ["Branch1", "Branch21", "Branch31"] {
        assert_eq!(
            assigned(&history, name),
            [json!({"innerX": "42", "value": "{}"})],
            "{name}"
        );
    }
}

// The developer guide: a branch's or an iteration's own variables stay in it; a state after
// the Map cannot read them (here its `$innerX` path matches nothing).
#[tokio::test]
async fn an_iteration_s_variables_stay_in_it() {
    let definition = json!({"StartAt": "M", "States": {
        "M": {"Type": "Map", "ItemsPath": "$.items",
            "ItemProcessor": {"StartAt": "Inner",
                "States": {"Inner": {"Type": "Pass", "Assign": {"innerX.$": "$"}, "End": true}}},
            "Next": "After"},
        "After": {"Type": "Pass", "Parameters": {"seen.$": "$innerX"}, "End": true}}});
    let (outcome, _) = recorded(definition, json!({"items": [1, 2]})).await;
    let error = outcome.unwrap_err();
    assert_eq!(error.name(), "States.ParameterPathFailure", "{error}");
}

// `BASE_REFERENCE_IN_CHOICE`'s rule: a Choice compares variables; a state that assigns a
// variable the Choice reads changes where it goes on the next visit. And the developer
// guide: an `Assign` is evaluated against the values the state started with, and
// `OutputPath` reads them too (the new value is the next state's).
#[tokio::test]
async fn assign_takes_effect_after_the_state() {
    let definition = json!({"StartAt": "State0", "States": {
        "State0": {"Type": "Pass", "Result": {"theQuestion": "What is the answer?"},
            "Assign": {"question.$": "$.theQuestion", "answer": 42}, "Next": "State1"},
        "State1": {"Type": "Pass", "InputPath": "$answer", "ResultPath": "$.theAnswer",
            "OutputPath": "$answer", "Assign": {"answer": "<omitted>"}, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [
            {"Variable": "$answer", "StringEquals": "<omitted>", "Next": "Done"}],
            "Default": "Wrong"},
        "Wrong": {"Type": "Fail", "Error": "Wrong"},
        "Done": {"Type": "Pass", "Parameters": {"question.$": "$question", "was.$": "$"},
            "End": true}}});
    let (outcome, history) = recorded(definition, json!({})).await;
    // `Assign` read `$` as the Pass's result (its `Result`); `OutputPath: $answer` read 42,
    // the value the state started with.
    assert_eq!(
        outcome.unwrap(),
        json!({"question": "What is the answer?", "was": 42})
    );
    assert_eq!(
        assigned(&history, "State1"),
        [json!({"answer": "\"<omitted>\""})]
    );
}

// A Choice's `Assign`: a rule's when it matches, the state's when the default is taken
// (`test_assign_in_choice`, recorded for both conditions).
#[tokio::test]
async fn a_choice_assigns_its_matching_rule_s_variables_or_its_own() {
    let definition = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.condition", "BooleanEquals": true,
                "Next": "Yes", "Assign": {"Assignment": "Condition assignment"}}],
            "Default": "No", "Assign": {"Assignment": "Default Assignment"}},
        "Yes": {"Type": "Pass", "End": true},
        "No": {"Type": "Pass", "End": true}}});
    for (condition, expected) in [
        (true, "Condition assignment"),
        (false, "Default Assignment"),
    ] {
        let (outcome, history) =
            recorded(definition.clone(), json!({"condition": condition})).await;
        outcome.unwrap();
        assert_eq!(
            assigned(&history, "C"),
            [json!({"Assignment": format!("\"{expected}\"")})]
        );
    }
}

// The developer guide ("Choice workflow state", Choice Rules): a rule's `Assign` runs when
// it matches, and the state's "applies regardless of which choice rule matched"; for a name
// both assign, the rule's value, as AWS's recorded run above keeps. The definition is
// `BASE_ASSIGN_IN_CHOICE` (LocalStack's templates), given a number so that a rule matches.
#[tokio::test]
async fn a_choice_s_own_assign_runs_with_the_matching_rule_s() {
    let definition = json!({"StartAt": "Check", "States": {
        "Check": {"Type": "Choice", "Choices": [
            {"Variable": "$.input_value", "IsPresent": false, "Assign": {"status": "UNKNOWN"},
                "Next": "Final"},
            {"Variable": "$.input_value", "NumericEquals": 42, "Assign": {"status": "CORRECT"},
                "Next": "Final"}],
            "Assign": {"status": "INCORRECT", "guess.$": "$.input_value"},
            "Default": "Final"},
        "Final": {"Type": "Pass", "Parameters": {"result.$": "$status", "guess.$": "$guess"},
            "End": true}}});
    for (input, expected) in [
        (
            json!({"input_value": 42}),
            json!({"result": "CORRECT", "guess": 42}),
        ),
        (
            json!({"input_value": 7}),
            json!({"result": "INCORRECT", "guess": 7}),
        ),
    ] {
        let (outcome, history) = recorded(definition.clone(), input).await;
        assert_eq!(outcome.unwrap(), expected);
        // Both names, once each, on the Choice's exit.
        assert_eq!(assigned(&history, "Check")[0].as_object().unwrap().len(), 2);
    }
}

// A catcher's `Assign` reads the error output as `$`; the developer guide: the values one
// `Assign` sets take at most 256 KiB together, past which the state fails with
// `States.Runtime`.
#[tokio::test]
async fn a_catcher_assigns_from_the_error_and_sizes_are_limited() {
    let definition = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled",
                "Assign": {"failure.$": "$.Error"}}], "End": true},
        "Handled": {"Type": "Pass", "Parameters": {"failure.$": "$failure"}, "End": true}}});
    let mut interpreter = Interpreter::from_json("Catch", &definition.to_string()).unwrap();
    interpreter
        .handle_state("T", |_: Value| async {
            Err::<Value, _>(Error::new("Declined", "card declined"))
        })
        .unwrap();
    assert_eq!(
        interpreter.run(json!({})).await.unwrap(),
        json!({"failure": "Declined"})
    );

    let big = "x".repeat(200 * 1024);
    let definition = json!({"StartAt": "P", "States": {"P": {"Type": "Pass",
        "Assign": {"big.$": "$.big", "again.$": "$.big"}, "End": true}}});
    let interpreter = Interpreter::from_json("Big", &definition.to_string()).unwrap();
    let error = interpreter.run(json!({"big": big})).await.unwrap_err();
    assert_eq!(error.name(), "States.Runtime", "{error}");
    assert!(error.cause().contains("at most 262144"), "{error}");
}

// The developer guide: an intrinsic function's argument may be a variable (`$name`), as a
// path may (its template `BASE_REFERENCE_IN_INTRINSIC_FUNCTION` does the same).
#[tokio::test]
async fn an_intrinsic_argument_reads_a_variable() {
    let definition = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"who": {"name": "ada"}}, "Next": "B"},
        "B": {"Type": "Pass",
            "Parameters": {"greeting.$": "States.Format('hello {}', $who.name)"}, "End": true}}});
    let (outcome, _) = recorded(definition, json!({})).await;
    assert_eq!(outcome.unwrap(), json!({"greeting": "hello ada"}));
}

// The developer guide: an execution holds at most 10 MiB of variables at once. Fifty-five
// variables of 200 KiB pass it; one variable given 200 KiB sixty times over does not, nor do
// the variables of Map iterations that ended.
#[tokio::test]
async fn an_execution_holds_at_most_10_mib_of_variables_at_once() {
    let big = json!({"big": "x".repeat(200 * 1024)});
    let mut states = serde_json::Map::new();
    for i in 0..55 {
        let next = if i == 54 {
            json!({"End": true})
        } else {
            json!({"Next": format!("S{}", i + 1)})
        };
        let mut state = json!({"Type": "Pass", "Assign": {format!("v{i}.$"): "$.big"}});
        state
            .as_object_mut()
            .unwrap()
            .extend(next.as_object().unwrap().clone());
        states.insert(format!("S{i}"), state);
    }
    let definition = json!({"StartAt": "S0", "States": states});
    let error = run(definition, big.clone()).await.unwrap_err();
    assert_eq!(error.name(), "States.Runtime", "{error}");
    assert!(error.cause().contains("at most 10485760"), "{error}");

    let definition = json!({"StartAt": "Start", "States": {
        "Start": {"Type": "Pass", "Assign": {"n": 0}, "Next": "Again"},
        "Again": {"Type": "Pass", "Assign": {"big.$": "$.big", "n.$": "States.MathAdd($n, 1)"},
            "Next": "Done?"},
        "Done?": {"Type": "Choice", "Choices": [{"Variable": "$n", "NumericGreaterThanEquals": 60, "Next": "Each"}],
            "Default": "Again"},
        "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1,
            "ItemSelector": {"big.$": "$big"},
            "ItemProcessor": {"StartAt": "Keep", "States": {"Keep": {"Type": "Pass",
                "Assign": {"mine.$": "$.big"}, "OutputPath": "$n", "End": true}}},
            "End": true}}});
    let mut input = big;
    input["items"] = json!((0..60).collect::<Vec<u32>>());
    let output = run(definition, input).await.unwrap();
    assert_eq!(output, json!(vec![60; 60]));
}

sfn_workflow::workflow! {
    /// Variables scoped per iteration, in generated code.
    Scoped {
        start_at: Setup,
        states: {
            Setup: Pass { assign: {"rate": 2}, next: Each },
            Each: Map {
                items_path: "$.items",
                max_concurrency: 1,
                item_processor: {
                    start_at: Own,
                    states: {
                        Own: Pass { assign: {"rate.$": "$"}, next: Read },
                        Read: Pass { parameters: {"item.$": "$", "rate.$": "$rate"}, end: true },
                    },
                },
                result_path: "$.each",
                next: After,
            },
            After: Pass { parameters: {"each.$": "$.each", "rate.$": "$rate"}, end: true },
        }
    }
}

// The developer guide's scoping, in generated code and in the interpreter alike: an
// iteration's `Assign` is its own (its next state reads it), and the state after the Map
// reads the outer value.
#[tokio::test]
async fn generated_code_scopes_variables_as_the_interpreter_does() {
    let input = json!({"items": [10, 20]});
    let expected = json!({"each": [{"item": 10, "rate": 10}, {"item": 20, "rate": 20}], "rate": 2});
    assert_eq!(Scoped.run(input.clone()).await.unwrap(), expected);
    let interpreter = Interpreter::from_json("Scoped", &Scoped::asl().to_string()).unwrap();
    assert_eq!(interpreter.run(input).await.unwrap(), expected);
}
