//! Per-state-type rules: Task, Parallel and quorum, Map, Wait, Fail.

use serde_json::Value;

use crate::document::{Numeric, State, StateType};
use crate::errors;
use crate::integration::Integration;
use crate::location::Location;
use crate::reference_path::ReferencePath;

use super::graph::MAX_NAME;
use super::numbers::{check_numeric, check_whole};
use super::paths::check_reference_path;
use super::Validator;

// Rule: a Fail state's `Error` does not invent a name under the reserved `States.` prefix
// (the quorum seed's `States.QuorumMet` is the mistake this catches). Re-raising an error ASL
// defines, with its defined meaning (`States.Timeout` for a deadline that passed), is allowed.
pub(super) fn check_fail(v: &mut Validator, state: &State, loc: &Location) {
    if state.kind != StateType::Fail {
        return;
    }
    if let Some(error) = &state.error {
        if error.starts_with(errors::RESERVED_PREFIX)
            && !errors::PREDEFINED.contains(&error.as_str())
        {
            let message = format!("`{}` `{error}` starts with `States.`, a prefix ASL reserves for its own errors; choose another name", v.f("Error"));
            v.report(loc.key("Error"), message);
        }
    }
    for (value, path) in [("Error", "ErrorPath"), ("Cause", "CausePath")] {
        let given = |f: &str| state.fields().contains(&f);
        if given(value) && given(path) {
            let message = format!(
                "a `Fail` state has one of `{}` and `{}`, not both",
                v.f(value),
                v.f(path)
            );
            v.report(loc.key(path), message);
        }
    }
    // AWS takes an intrinsic call too: `"CausePath": "States.Format('...', $.Error)"`.
    for (path, field) in [
        (&state.error_path, "ErrorPath"),
        (&state.cause_path, "CausePath"),
    ] {
        match path.as_deref() {
            Some(text) if crate::intrinsic::is_call(text) => {
                if let Some(problem) = crate::intrinsic::parse(text)
                    .and_then(|call| crate::intrinsic::check(&call))
                    .err()
                {
                    v.report(loc.key(field), format!("`{}`: {}", v.f(field), problem.0));
                }
            }
            other => check_reference_path(v, other, &loc.key(field)),
        }
    }
}

// Rule: a Wait state says how long to wait in exactly one way: `Seconds` (a whole number of
// seconds from 0), `Timestamp` (an ASL timestamp), or `SecondsPath` / `TimestampPath`
// (reference paths into its input).
pub(super) fn check_wait(v: &mut Validator, name: &str, state: &State, loc: &Location) {
    if state.kind != StateType::Wait {
        return;
    }
    let ways = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"];
    let given: Vec<&str> = state
        .fields()
        .into_iter()
        .filter(|f| ways.contains(f))
        .collect();
    let list = ways.map(|w| format!("`{}`", v.f(w))).join(", ");
    match given.as_slice() {
        [] => v.report(
            loc.clone(),
            format!("Wait state `{name}` needs one of {list}: how long to wait"),
        ),
        [_] => {}
        [first, rest @ ..] => {
            for extra in rest {
                let message = format!(
                    "a `Wait` state waits in one way: `{}` and `{}` are both given",
                    v.f(first),
                    v.f(extra)
                );
                v.report(loc.key(extra), message);
            }
        }
    }
    check_numeric(
        v,
        state.seconds.as_ref(),
        0,
        99_999_999,
        &loc.key("Seconds"),
    );
    if let Some(t) = &state.timestamp {
        if crate::jsonata::expression(t).is_none() && crate::timestamp::parse(t).is_none() {
            let message = format!("`{}` `{t}` is not an ASL timestamp; write RFC 3339 with `T` and `Z` or an offset, such as `2026-11-21T20:00:00Z`", v.f("Timestamp"));
            v.report(loc.key("Timestamp"), message);
        }
    }
    check_reference_path(v, state.seconds_path.as_deref(), &loc.key("SecondsPath"));
    check_reference_path(
        v,
        state.timestamp_path.as_deref(),
        &loc.key("TimestampPath"),
    );
}

// Rule: a Map state has an `ItemProcessor`, a well-formed workflow run for each item; its
// `ItemsPath` is a reference path; `MaxConcurrency` and `ToleratedFailureCount` are whole
// numbers from 0, and `ToleratedFailurePercentage` a number from 0 to 100.
pub(super) fn check_map(v: &mut Validator, name: &str, state: &State, loc: &Location) {
    if state.kind != StateType::Map {
        return;
    }
    match state.processor() {
        None => v.report(
            loc.clone(),
            format!(
                "Map state `{name}` needs `{}`: the workflow run for each item",
                v.f("ItemProcessor")
            ),
        ),
        Some((key, processor)) => v.check_machine(processor, &loc.key(key)),
    }
    check_reference_path(v, state.items_path.as_deref(), &loc.key("ItemsPath"));
    check_numeric(
        v,
        state.max_concurrency.as_ref(),
        0,
        99_999_999,
        &loc.key("MaxConcurrency"),
    );
    check_numeric(
        v,
        state.tolerated_failure_count.as_ref(),
        0,
        99_999_999,
        &loc.key("ToleratedFailureCount"),
    );
    if let Some(Numeric::Number(p)) = &state.tolerated_failure_percentage {
        if !p.as_f64().is_some_and(|p| (0.0..=100.0).contains(&p)) {
            let message = format!(
                "`{}` must be a number from 0 to 100, found {p}",
                v.f("ToleratedFailurePercentage")
            );
            v.report(loc.key("ToleratedFailurePercentage"), message);
        }
    }
    check_distributed(v, state, loc);
    // Rule: each of these is given as a number or read through its `...Path` (a reference
    // path into the state's input), not both.
    for (value, path, given) in [
        (
            "MaxConcurrency",
            "MaxConcurrencyPath",
            &state.max_concurrency_path,
        ),
        (
            "ToleratedFailureCount",
            "ToleratedFailureCountPath",
            &state.tolerated_failure_count_path,
        ),
        (
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
            &state.tolerated_failure_percentage_path,
        ),
    ] {
        check_reference_path(v, given.as_deref(), &loc.key(path));
        if given.is_some() && state.fields().contains(&value) {
            let message = format!(
                "a `Map` state has one of `{}` and `{}`, not both",
                v.f(value),
                v.f(path)
            );
            v.report(loc.key(path), message);
        }
    }
}

// Rules for the Distributed Map, as AWS's developer guide states them ("Map state in
// Distributed mode", "ItemReader", "ItemBatcher", "ResultWriter"): `ItemReader`,
// `ItemBatcher`, `ResultWriter` and `Label` need the item processor's `ProcessorConfig` to
// say `"Mode": "DISTRIBUTED"`; a reader and a writer name their `Resource`; a reader's
// `InputType` is `CSV`, `JSON`, `JSONL`, `MANIFEST` or `PARQUET`, and `CSVHeaderLocation`
// `GIVEN` comes with `CSVHeaders`; a batcher bounds its batches by `MaxItemsPerBatch` or
// `MaxInputBytesPerBatch` (or their paths), the first a whole number from 1, the second from
// 1 to 262,144; a label has at most 40 characters, none of them whitespace or
// `<>{}[]?*"#%\^|~`$&,;:/`; a Distributed Map runs at most 10,000 children at once.
fn check_distributed(v: &mut Validator, state: &State, loc: &Location) {
    let distributed = state.is_distributed();
    for (given, field) in [
        (state.item_reader.is_some(), "ItemReader"),
        (state.item_batcher.is_some(), "ItemBatcher"),
        (state.result_writer.is_some(), "ResultWriter"),
        (state.label.is_some(), "Label"),
    ] {
        if given && !distributed {
            let message = format!(
                "`{}` belongs to a Distributed Map: give the item processor `{}` `{{\"Mode\": \"DISTRIBUTED\", \"ExecutionType\": \"STANDARD\"}}` (or `\"EXPRESS\"`)",
                v.f(field),
                v.f("ProcessorConfig")
            );
            v.report(loc.key(field), message);
        }
    }
    let needs_resource = |v: &mut Validator, value: &Option<Value>, field: &str| {
        if let Some(value) = value {
            if !value.get("Resource").is_some_and(Value::is_string) {
                v.report(
                    loc.key(field),
                    format!(
                        "`{}` needs a `Resource` string: the ARN it reads or writes",
                        v.f(field)
                    ),
                );
            }
        }
    };
    needs_resource(v, &state.item_reader, "ItemReader");
    needs_resource(v, &state.result_writer, "ResultWriter");
    if let Some(config) = state
        .item_reader
        .as_ref()
        .and_then(|r| r.get("ReaderConfig"))
    {
        let at = loc.key("ItemReader").key("ReaderConfig");
        if let Some(kind) = config.get("InputType") {
            if !matches!(
                kind.as_str(),
                Some("CSV" | "JSON" | "JSONL" | "MANIFEST" | "PARQUET")
            ) {
                v.report(at.key("InputType"), format!("`InputType` is `CSV`, `JSON`, `JSONL`, `MANIFEST` or `PARQUET`, found {kind}"));
            }
        }
        match config.get("CSVHeaderLocation").and_then(Value::as_str) {
            Some("GIVEN") if !config.get("CSVHeaders").is_some_and(Value::is_array) => {
                v.report(
                    at.key("CSVHeaderLocation"),
                    "`CSVHeaderLocation` `GIVEN` needs `CSVHeaders`: the names of the columns"
                        .to_owned(),
                );
            }
            Some("GIVEN" | "FIRST_ROW") | None => {}
            Some(other) => v.report(
                at.key("CSVHeaderLocation"),
                format!("`CSVHeaderLocation` is `FIRST_ROW` or `GIVEN`, found `{other}`"),
            ),
        }
    }
    if let Some(batcher) = &state.item_batcher {
        let at = loc.key("ItemBatcher");
        let bounded = [
            "MaxItemsPerBatch",
            "MaxItemsPerBatchPath",
            "MaxInputBytesPerBatch",
            "MaxInputBytesPerBatchPath",
        ]
        .iter()
        .any(|k| batcher.get(*k).is_some());
        if !bounded {
            v.report(at.clone(), "an `ItemBatcher` needs `MaxItemsPerBatch` or `MaxInputBytesPerBatch` (or its path): what bounds a batch".to_owned());
        }
        for (key, max) in [
            ("MaxItemsPerBatch", u64::MAX),
            ("MaxInputBytesPerBatch", 262_144),
        ] {
            if let Some(n) = batcher.get(key) {
                if !n.as_u64().is_some_and(|n| (1..=max).contains(&n)) {
                    let range = if max == u64::MAX {
                        "a whole number from 1".to_owned()
                    } else {
                        format!("a whole number from 1 to {max}")
                    };
                    v.report(at.key(key), format!("`{key}` must be {range}, found {n}"));
                }
            }
        }
    }
    if let Some(label) = &state.label {
        let bad = label
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c));
        if label.chars().count() > 40 || bad {
            v.report(loc.key("Label"), format!("`{}` `{label}` must have at most 40 characters, none of them whitespace or <>{{}}[]?*\"#%\\^|~`$&,;:/", v.f("Label")));
        }
    }
    if distributed {
        if let Some(n) = state
            .max_concurrency
            .as_ref()
            .and_then(Numeric::number)
            .and_then(serde_json::Number::as_u64)
        {
            if n > 10_000 {
                v.report(
                    loc.key("MaxConcurrency"),
                    format!(
                        "a Distributed Map runs at most 10,000 children at once; `{}` is {n}",
                        v.f("MaxConcurrency")
                    ),
                );
            }
        }
    }
}

// Rule: a Task names the `Resource` it invokes (ASL requires it, and it is what the export
// sends to AWS).
pub(super) fn check_task(v: &mut Validator, state: &State, loc: &Location) {
    if state.kind == StateType::Task && state.resource.is_none() {
        let message = format!(
            "a `Task` state needs a `{}`: the ARN AWS Step Functions invokes",
            v.f("Resource")
        );
        v.report(loc.clone(), message);
    }
    check_integration(v, state, loc);
}

// Rule: a Task on a service integration gives the parameters its API requires
// (`Integration::required_parameters`): AWS refuses the definition otherwise, and the local
// run needs them too (the function a `lambda:invoke` stands for, the table DynamoDB writes).
fn check_integration(v: &mut Validator, state: &State, loc: &Location) {
    let Some(integration) = state.resource.as_deref().and_then(Integration::parse) else {
        return;
    };
    // A JSONata state gives them in `Arguments` (as values or expressions).
    let jsonata = v.language(state) == crate::document::QueryLanguage::Jsonata;
    let (field, given) = if jsonata {
        ("Arguments", &state.arguments)
    } else {
        ("Parameters", &state.parameters)
    };
    // `Arguments` written as one expression gives its members only when it runs: AWS accepts
    // such a Task (its recorded run of a `lambda:invoke` with `"Arguments": "{% $x %}"`,
    // LocalStack's `BASE_UNDEFINED_ARGUMENTS` snapshot), so nothing is missing yet.
    if jsonata
        && given
            .as_ref()
            .and_then(Value::as_str)
            .is_some_and(|s| s.starts_with("{%"))
    {
        return;
    }
    let parameters = given.as_ref().and_then(Value::as_object);
    let missing: Vec<&str> = integration
        .required_parameters()
        .iter()
        .copied()
        .filter(|field| {
            parameters
                .is_none_or(|p| !p.contains_key(*field) && !p.contains_key(&format!("{field}.$")))
        })
        .collect();
    if missing.is_empty() {
        return;
    }
    let call = format!("{}:{}", integration.service, integration.api);
    let listed = missing
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(" and ");
    let at = if given.is_some() {
        loc.key(field)
    } else {
        loc.key("Resource")
    };
    if jsonata {
        let message = format!(
            "a Task on `{call}` needs {listed} in its `{}` (a value, or an expression `{{% ... %}}`): AWS refuses the definition without it",
            v.f(field)
        );
        v.report(at, message);
        return;
    }
    let message = format!(
        "a Task on `{call}` needs {listed} in its `{}` (or `{}.$` to read it from the input): AWS refuses the definition without it",
        v.f("Parameters"),
        missing[0],
    );
    v.report(at, message);
}

// Rule: a Task's `HeartbeatSeconds` is a positive whole number of seconds, below its
// `TimeoutSeconds` when it has one (a heartbeat interval past the timeout could never fire).
// Each of the two is given as a number or as a reference path (`TimeoutSecondsPath`,
// `HeartbeatSecondsPath`) to one in the input, not both.
pub(super) fn check_heartbeat(v: &mut Validator, state: &State, loc: &Location) {
    for (literal, path, set) in [
        (
            "TimeoutSeconds",
            "TimeoutSecondsPath",
            (&state.timeout_seconds, &state.timeout_seconds_path),
        ),
        (
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
            (&state.heartbeat_seconds, &state.heartbeat_seconds_path),
        ),
    ] {
        check_reference_path(v, set.1.as_deref(), &loc.key(path));
        if set.0.is_some() && set.1.is_some() {
            let message = format!(
                "a Task has one of `{}` and `{}`, not both",
                v.f(literal),
                v.f(path)
            );
            v.report(loc.key(path), message);
        }
    }
    check_numeric(
        v,
        state.heartbeat_seconds.as_ref(),
        1,
        99_999_999,
        &loc.key("HeartbeatSeconds"),
    );
    let n = |x: &Option<Numeric>| {
        x.as_ref()
            .and_then(Numeric::number)
            .and_then(serde_json::Number::as_u64)
    };
    if let (Some(heartbeat), Some(timeout)) =
        (n(&state.heartbeat_seconds), n(&state.timeout_seconds))
    {
        if heartbeat >= timeout {
            let message = format!(
                "`{}` ({heartbeat}) must be below `{}` ({timeout})",
                v.f("HeartbeatSeconds"),
                v.f("TimeoutSeconds")
            );
            v.report(loc.key("HeartbeatSeconds"), message);
        }
    }
}

// Rule: a Parallel state has at least one branch, and each branch is a well-formed workflow.
pub(super) fn check_parallel(v: &mut Validator, state: &State, loc: &Location) {
    if state.kind != StateType::Parallel {
        return;
    }
    let field = v.f("Branches");
    match &state.branches {
        None => v.report(
            loc.clone(),
            format!("a `Parallel` state needs `{field}`: at least one branch"),
        ),
        Some(b) if b.is_empty() => v.report(
            loc.key("Branches"),
            format!("`{field}` is empty: a `Parallel` state needs at least one branch"),
        ),
        Some(branches) => {
            for (i, branch) in branches.iter().enumerate() {
                v.check_machine(branch, &loc.key("Branches").index(i));
            }
        }
    }
}

// Rule: a quorum names how many branches must succeed exactly once, as a literal from 1 to
// the number of branches (more could never be met, 0 would not wait for anything) or as a
// reference path read when the state runs; its timeout is a positive whole number of seconds.
pub(super) fn check_quorum(v: &mut Validator, name: &str, state: &State, loc: &Location) {
    let Some(quorum) = state
        .quorum
        .as_ref()
        .filter(|_| state.kind == StateType::Parallel)
    else {
        return;
    };
    let qloc = loc.key("Quorum");
    // Rule: the ASL export lowers a quorum to JSONPath states (`export`), which a JSONata
    // definition cannot hold.
    if v.top_language == crate::document::QueryLanguage::Jsonata {
        let message = format!(
            "a quorum Parallel exports as JSONPath states, which a JSONata definition cannot hold: set the definition's `{}` to JSONPath (its other states may still be JSONata)",
            v.f("QueryLanguage")
        );
        v.report(qloc.clone(), message);
    }
    let branches = state.branches.as_ref().map_or(0, Vec::len);
    let (count, path) = (v.f("Count"), v.f("CountPath"));
    match (&quorum.count, &quorum.count_path) {
        (None, None) => v.report(qloc.clone(), format!("a quorum needs `{count}`: how many branches must succeed")),
        (Some(_), Some(_)) => v.report(qloc.key("CountPath"), format!("a quorum has one of `{count}` and `{path}`, not both")),
        (Some(n), None) => match n.as_u64() {
            Some(0) => v.report(qloc.key("Count"), format!("a quorum `{count}` of 0 would not wait for any branch; it must be at least 1")),
            Some(n) if n > branches as u64 => v.report(
                qloc.key("Count"),
                format!("a quorum `{count}` of {n} can never be met: this Parallel has {branches} branch{}", if branches == 1 { "" } else { "es" }),
            ),
            Some(_) => {}
            None => v.report(qloc.key("Count"), format!("a quorum `{count}` must be a whole number from 1 to the number of branches, found {n}")),
        },
        (None, Some(p)) => match ReferencePath::parse(p) {
            Ok(_) => {}
            Err(e) => v.report(qloc.key("CountPath"), format!("`{path}` `{p}` is not a reference path: {}", e.message)),
        },
    }
    check_whole(
        v,
        quorum.timeout_seconds.as_ref(),
        1,
        99_999_999,
        &qloc.key("TimeoutSeconds"),
    );
    // The export generates states named after the quorum state and its branches; AWS must
    // accept those names too.
    if let Some(long) = crate::export::generated_names(name, state)
        .into_iter()
        .find(|n| n.chars().count() > MAX_NAME)
    {
        let count = long.chars().count();
        v.report(
            loc.clone(),
            format!("the ASL export of quorum state `{name}` needs a state named `{long}` ({count} characters, AWS allows {MAX_NAME}); shorten the state's name or its branches'"),
        );
    }
}
