//! The definition rules: what makes an ASL document well formed.
//!
//! [`validate`] runs every rule and returns every problem at once, each with the
//! [`Location`] of the offending member. The `workflow!` macro turns the locations back into
//! spans of the user's tokens; a reader of an existing document prints them as JSON Pointers.

use std::collections::{HashMap, HashSet, VecDeque};

use serde_json::{Number, Value};

use crate::document::{Catcher, Retrier, State, StateMachine, StateType};
use crate::errors;
use crate::jsonpath::Path;
use crate::location::Location;
use crate::path::ReferencePath;

/// Whose names the messages use for fields: ASL's (`Next`) or the `workflow!` macro's (`next`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// ASL JSON field names, for documents read from a file.
    Asl,
    /// The macro's snake_case field names.
    Rust,
}

impl Dialect {
    /// How this dialect writes the ASL field `asl` (`"StartAt"` becomes `start_at`).
    #[must_use]
    pub fn field(self, asl: &str) -> String {
        match self {
            Self::Asl => asl.to_owned(),
            Self::Rust => {
                let mut out = String::with_capacity(asl.len() + 4);
                for (i, c) in asl.chars().enumerate() {
                    if c.is_ascii_uppercase() {
                        if i > 0 {
                            out.push('_');
                        }
                        out.push(c.to_ascii_lowercase());
                    } else {
                        out.push(c);
                    }
                }
                out
            }
        }
    }
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: the member that breaks the rule.
    pub location: Location,
    /// What: lowercase, no trailing period, constructs in backticks.
    pub message: String,
}

/// Checks a whole definition against every rule and returns every problem found, in
/// document order (an empty list means the definition is well formed).
#[must_use]
pub fn validate(machine: &StateMachine, dialect: Dialect) -> Vec<Problem> {
    let mut v = Validator {
        dialect,
        problems: Vec::new(),
        owner: HashMap::new(),
    };
    // Rule: the document is in JSONPath mode, the only one this crate reads and runs (JSONata
    // mode has other fields and another expression language).
    if machine.extra.get("QueryLanguage").and_then(Value::as_str) == Some("JSONata") {
        v.report(
            Location::root().key("QueryLanguage"),
            "this document is in JSONata mode; only JSONPath-mode ASL can be checked and run here"
                .to_owned(),
        );
        return v.problems;
    }
    check_unique_names(&mut v, machine);
    check_execution_timeout(&mut v, machine);
    v.check_machine(machine, &Location::root());
    v.problems
}

struct Validator {
    dialect: Dialect,
    problems: Vec<Problem>,
    /// Which (sub)workflow each state name belongs to (by its number in `walk` order), to
    /// explain a `Next` that leaves its branch.
    owner: HashMap<String, usize>,
}

impl Validator {
    fn f(&self, asl: &str) -> String {
        self.dialect.field(asl)
    }

    fn report(&mut self, location: Location, message: String) {
        self.problems.push(Problem { location, message });
    }

    fn check_machine(&mut self, machine: &StateMachine, loc: &Location) {
        check_start_at(self, machine, loc);
        // Rule: every member of `States` is a state (an object with a `Type`).
        for (name, value) in machine.states.others() {
            let message = format!(
                "`{name}` in `{}` is not a state: a state is an object with a `{}`, found {value}",
                self.f("States"),
                self.f("Type")
            );
            self.report(loc.key("States").key(name), message);
        }
        for (position, (name, state)) in machine.states.iter().enumerate() {
            let sloc = loc.state(name, position);
            check_fields_allowed(self, state, &sloc);
            check_transition(self, name, state, &sloc);
            check_targets(self, machine, state, &sloc);
            if let Some(retry) = &state.retry {
                check_retriers(self, retry, &sloc.key("Retry"));
            }
            if let Some(catch) = &state.catch {
                check_catchers(self, catch, &sloc.key("Catch"));
            }
            check_result_path(self, state.result_path.as_ref(), &sloc.key("ResultPath"));
            for (field, path) in [
                ("InputPath", &state.input_path),
                ("OutputPath", &state.output_path),
            ] {
                check_path(
                    self,
                    path.as_ref().and_then(Option::as_deref),
                    &sloc.key(field),
                );
            }
            check_fail(self, state, &sloc);
            check_wait(self, name, state, &sloc);
            check_choice(self, name, state, &sloc);
            check_task(self, state, &sloc);
            check_whole(
                self,
                state.timeout_seconds.as_ref(),
                1,
                99_999_999,
                &sloc.key("TimeoutSeconds"),
            );
            check_heartbeat(self, state, &sloc);
            check_parallel(self, state, &sloc);
            check_quorum(self, name, state, &sloc);
            check_map(self, name, state, &sloc);
            for (field, template) in [
                ("Parameters", &state.parameters),
                ("ResultSelector", &state.result_selector),
                ("ItemSelector", &state.item_selector),
            ] {
                if let Some(template) = template {
                    check_template(self, template, &sloc.key(field));
                }
            }
        }
        check_reachable(self, machine, loc);
    }
}

/// Every (sub)workflow of `machine` with its location, parents before their branches.
fn walk<'m>(
    machine: &'m StateMachine,
    loc: &Location,
    out: &mut Vec<(&'m StateMachine, Location)>,
) {
    out.push((machine, loc.clone()));
    for (position, (name, state)) in machine.states.iter().enumerate() {
        for (i, branch) in state.branches.iter().flatten().enumerate() {
            walk(
                branch,
                &loc.state(name, position).key("Branches").index(i),
                out,
            );
        }
        if let Some((key, processor)) = state.processor() {
            walk(processor, &loc.state(name, position).key(key), out);
        }
    }
}

/// The longest state name AWS Step Functions accepts.
const MAX_NAME: usize = 80;

// Rule: state names are unique across the whole workflow, branches included (ASL requires
// it, and a `Next` or a log line naming a state must mean one state), and at most 80
// characters long (AWS refuses longer ones).
fn check_unique_names(v: &mut Validator, machine: &StateMachine) {
    let mut machines = Vec::new();
    walk(machine, &Location::root(), &mut machines);
    let mut first: HashMap<&str, Location> = HashMap::new();
    for (scope, (m, loc)) in machines.iter().enumerate() {
        for (position, (name, _)) in m.states.iter().enumerate() {
            let here = loc.state(name, position);
            v.owner.entry(name.to_owned()).or_insert(scope);
            if name.chars().count() > MAX_NAME {
                let count = name.chars().count();
                v.report(here.clone(), format!("state name `{name}` has {count} characters; AWS Step Functions allows {MAX_NAME}"));
            }
            if let Some(previous) = first.get(name) {
                let also = match v.dialect {
                    Dialect::Asl => format!(" (first use: `{previous}`)"),
                    // The macro's reader sees the first use in its own source.
                    Dialect::Rust => String::new(),
                };
                let message = format!(
                    "state name `{name}` is used twice; state names must be unique across the workflow, branches included{also}"
                );
                v.report(here, message);
            } else {
                first.insert(name, here);
            }
        }
    }
}

// Rule: a (sub)workflow names its first state in `StartAt`, and that state is one of its own.
fn check_start_at(v: &mut Validator, machine: &StateMachine, loc: &Location) {
    let start_at = v.f("StartAt");
    match &machine.start_at {
        None => {
            let message = format!("missing `{start_at}`: name the state this workflow starts at");
            v.report(loc.clone(), message);
        }
        Some(start) if machine.states.get(start).is_none() => {
            let message = format!(
                "`{start_at}` names `{start}`, which is not a state of this workflow{}",
                suggestion(start, machine)
            );
            v.report(loc.key("StartAt"), message);
        }
        Some(_) => {}
    }
    if machine.states.is_empty() {
        let states = v.f("States");
        v.report(
            loc.clone(),
            format!("`{states}` is empty: a workflow needs at least one state"),
        );
    }
}

/// The ASL fields a state of each type may carry (besides `Type` and `Comment`).
fn allowed_fields(kind: StateType) -> &'static [&'static str] {
    match kind {
        StateType::Pass => &[
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultPath",
            "Result",
            "Next",
            "End",
        ],
        StateType::Task => &[
            "Resource",
            "TimeoutSeconds",
            "HeartbeatSeconds",
            "TimeoutSecondsPath",
            "HeartbeatSecondsPath",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
            "Next",
            "End",
        ],
        StateType::Parallel => &[
            "Branches",
            "Quorum",
            "InputPath",
            "OutputPath",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
            "Next",
            "End",
        ],
        // `Parameters` and `Iterator`, the old names of `ItemSelector` and `ItemProcessor`,
        // are allowed in ASL only (see `check_fields_allowed`).
        StateType::Map => &[
            "ItemProcessor",
            "ItemsPath",
            "ItemSelector",
            "MaxConcurrency",
            "ToleratedFailureCount",
            "ToleratedFailurePercentage",
            "InputPath",
            "OutputPath",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
            "Next",
            "End",
        ],
        StateType::Choice => &["Choices", "Default", "InputPath", "OutputPath"],
        StateType::Succeed => &["InputPath", "OutputPath"],
        StateType::Wait => &[
            "Seconds",
            "Timestamp",
            "SecondsPath",
            "TimestampPath",
            "InputPath",
            "OutputPath",
            "Next",
            "End",
        ],
        StateType::Fail => &["Error", "Cause", "ErrorPath", "CausePath"],
    }
}

// Rule: a state carries only the fields its type allows (`Retry` on a Pass would be silently
// ignored by AWS's own checks at best, and is a mistake at worst). `Next`/`End` on Succeed and
// Fail get their own explanation: those states end the workflow by themselves.
fn check_fields_allowed(v: &mut Validator, state: &State, loc: &Location) {
    let allowed = allowed_fields(state.kind);
    let asl = v.dialect == Dialect::Asl;
    let old_map_name =
        |f: &str| state.kind == StateType::Map && asl && matches!(f, "Parameters" | "Iterator");
    let allowed = |f: &str| allowed.contains(&f) || old_map_name(f);
    for field in state.fields() {
        if field == "Comment" || !is_model_field(field) || allowed(field) {
            continue;
        }
        let name = v.f(field);
        let kind = state.kind;
        let message = if matches!(field, "Next" | "End") && kind.is_terminal() {
            format!("`{name}` is not allowed on a `{kind}` state: a {kind} state ends the workflow by itself")
        } else {
            format!("`{name}` is not allowed on a `{kind}` state")
        };
        v.report(loc.key(field), message);
    }
}

fn is_model_field(field: &str) -> bool {
    matches!(
        field,
        "Resource"
            | "TimeoutSeconds"
            | "HeartbeatSeconds"
            | "TimeoutSecondsPath"
            | "HeartbeatSecondsPath"
            | "Iterator"
            | "InputPath"
            | "Parameters"
            | "Result"
            | "ResultSelector"
            | "ResultPath"
            | "OutputPath"
            | "Branches"
            | "Quorum"
            | "ItemProcessor"
            | "ItemsPath"
            | "ItemSelector"
            | "MaxConcurrency"
            | "ToleratedFailureCount"
            | "ToleratedFailurePercentage"
            | "Retry"
            | "Catch"
            | "Error"
            | "Cause"
            | "ErrorPath"
            | "CausePath"
            | "Choices"
            | "Default"
            | "Seconds"
            | "Timestamp"
            | "SecondsPath"
            | "TimestampPath"
            | "Next"
            | "End"
    )
}

// Rule: a Pass, Task, Parallel, Map or Wait state has exactly one of `Next` and `End: true`.
fn check_transition(v: &mut Validator, name: &str, state: &State, loc: &Location) {
    if !state.kind.has_transition() {
        return;
    }
    let (next, end) = (v.f("Next"), v.f("End"));
    match (&state.next, state.is_end()) {
        (None, false) => {
            let message = format!("state `{name}` has neither `{next}` nor `{end}`: say where it goes, or that it ends the workflow");
            let at = if state.end.is_some() {
                loc.key("End")
            } else {
                loc.clone()
            };
            v.report(at, message);
        }
        (Some(_), true) => {
            let message = format!("state `{name}` has both `{next}` and `{end}`; keep one");
            v.report(loc.key("End"), message);
        }
        _ => {}
    }
}

// Rule: every `Next` (of a state or a catcher) names a state of the same (sub)workflow; a
// branch cannot jump out to its parent or a sibling, and the parent cannot jump into it.
fn check_targets(v: &mut Validator, machine: &StateMachine, state: &State, loc: &Location) {
    let own = scope_of(v, machine);
    let mut targets: Vec<(Location, &str)> = Vec::new();
    if let Some(next) = &state.next {
        targets.push((loc.key("Next"), next));
    }
    for (i, catcher) in state.catch.iter().flatten().enumerate() {
        targets.push((loc.key("Catch").index(i).key("Next"), &catcher.next));
    }
    for (i, rule) in state.choices.iter().flatten().enumerate() {
        if let Some(next) = &rule.next {
            targets.push((loc.key("Choices").index(i).key("Next"), next));
        }
    }
    if let Some(default) = &state.default {
        targets.push((loc.key("Default"), default));
    }
    for (at, target) in targets {
        if machine.states.get(target).is_some() {
            continue;
        }
        let next = v.f("Next");
        let message = if own.is_some_and(|own| v.owner.get(target).is_some_and(|s| *s != own)) {
            format!("`{next}` cannot leave its sub-workflow: `{target}` belongs to another (sub)workflow, and a branch or item processor can only move between its own states")
        } else if target.is_empty() {
            format!("a catcher needs `{next}`: the state to go to after the error")
        } else {
            format!(
                "`{next}` names `{target}`, which is not a state of this workflow{}",
                suggestion(target, machine)
            )
        };
        v.report(at, message);
    }
}

/// The number `check_unique_names` gave `machine`, found through its first state.
fn scope_of(v: &Validator, machine: &StateMachine) -> Option<usize> {
    machine
        .states
        .iter()
        .next()
        .and_then(|(name, _)| v.owner.get(name).copied())
}

// Rule: every state can be reached from `StartAt` (through `Next`, catchers and Choice rules);
// an unreachable state is dead code and usually a mistyped `Next`.
fn check_reachable(v: &mut Validator, machine: &StateMachine, loc: &Location) {
    let Some(start) = machine
        .start_at
        .as_deref()
        .filter(|s| machine.states.get(s).is_some())
    else {
        return;
    };
    let mut seen: HashSet<&str> = HashSet::from([start]);
    let mut queue = VecDeque::from([start]);
    while let Some(name) = queue.pop_front() {
        let Some(state) = machine.states.get(name) else {
            continue;
        };
        for target in successors(state) {
            if machine.states.get(target).is_some() && seen.insert(target) {
                queue.push_back(target);
            }
        }
    }
    let start_at = v.f("StartAt");
    for (position, (name, _)) in machine.states.iter().enumerate() {
        if !seen.contains(name) {
            let message = format!(
                "state `{name}` is unreachable: no `{}` or catcher leads to it from `{start_at}`",
                v.f("Next")
            );
            v.report(loc.state(name, position), message);
        }
    }
}

/// The states a state may hand control to.
fn successors(state: &State) -> Vec<&str> {
    let mut out: Vec<&str> = state.next.iter().map(String::as_str).collect();
    out.extend(state.catch.iter().flatten().map(|c| c.next.as_str()));
    out.extend(
        state
            .choices
            .iter()
            .flatten()
            .filter_map(|r| r.next.as_deref()),
    );
    out.extend(state.default.as_deref());
    out
}

// Rule: each retrier has a non-empty `ErrorEquals`; `States.ALL` stands alone and only in the
// last retrier; the numbers are in ASL's ranges (IntervalSeconds and MaxDelaySeconds positive
// whole seconds, MaxAttempts a whole number from 0, BackoffRate at least 1.0); JitterStrategy
// is FULL or NONE.
fn check_retriers(v: &mut Validator, retriers: &[Retrier], loc: &Location) {
    for (i, r) in retriers.iter().enumerate() {
        let rloc = loc.index(i);
        check_error_equals(
            v,
            &r.error_equals,
            &rloc,
            i + 1 == retriers.len(),
            "retrier",
        );
        check_whole(
            v,
            r.interval_seconds.as_ref(),
            1,
            99_999_999,
            &rloc.key("IntervalSeconds"),
        );
        check_whole(
            v,
            r.max_attempts.as_ref(),
            0,
            99_999_999,
            &rloc.key("MaxAttempts"),
        );
        check_whole(
            v,
            r.max_delay_seconds.as_ref(),
            1,
            31_622_400,
            &rloc.key("MaxDelaySeconds"),
        );
        if let Some(rate) = &r.backoff_rate {
            let value = rate.as_f64().unwrap_or(0.0);
            if value < 1.0 {
                let message = format!(
                    "`{}` must be at least 1.0 (delays may not shrink), found {rate}",
                    v.f("BackoffRate")
                );
                v.report(rloc.key("BackoffRate"), message);
            }
        }
        if let Some(jitter) = &r.jitter_strategy {
            if jitter != "FULL" && jitter != "NONE" {
                let message = format!(
                    "`{}` must be one of: `FULL`, `NONE`; found `{jitter}`",
                    v.f("JitterStrategy")
                );
                v.report(rloc.key("JitterStrategy"), message);
            }
        }
    }
}

fn check_whole(v: &mut Validator, n: Option<&Number>, min: u64, max: u64, loc: &Location) {
    let Some(n) = n else { return };
    if n.as_u64().is_some_and(|x| (min..=max).contains(&x)) {
        return;
    }
    let Some(crate::location::Segment::Key(field)) = loc.segments().last() else {
        return;
    };
    let field = v.f(field);
    let what = if min == 0 {
        "a whole number"
    } else {
        "a positive whole number"
    };
    v.report(
        loc.clone(),
        format!("`{field}` must be {what} from {min} to {max}, found {n}"),
    );
}

// Rule: each catcher has a non-empty `ErrorEquals` (with `States.ALL` alone and last) and a
// `ResultPath`, if any, that is a reference path.
fn check_catchers(v: &mut Validator, catchers: &[Catcher], loc: &Location) {
    for (i, c) in catchers.iter().enumerate() {
        let cloc = loc.index(i);
        check_error_equals(
            v,
            &c.error_equals,
            &cloc,
            i + 1 == catchers.len(),
            "catcher",
        );
        check_result_path(v, c.result_path.as_ref(), &cloc.key("ResultPath"));
    }
}

// Rule (retriers and catchers): `ErrorEquals` is not empty; `States.ALL` appears alone in its
// list and only in the last retrier or catcher, since it would shadow everything after it;
// names under the reserved `States.` prefix are ones ASL defines.
fn check_error_equals(v: &mut Validator, names: &[String], loc: &Location, last: bool, what: &str) {
    let field = v.f("ErrorEquals");
    let eloc = loc.key("ErrorEquals");
    if names.is_empty() {
        v.report(
            eloc.clone(),
            format!("`{field}` must name at least one error"),
        );
    }
    for (i, name) in names.iter().enumerate() {
        if name == errors::ALL {
            if names.len() > 1 {
                v.report(eloc.index(i), format!("`States.ALL` must be alone in its `{field}` list: it already matches every error"));
            } else if !last {
                v.report(eloc.index(i), format!("a {what} matching `States.ALL` must be the last {what}: it would shadow every {what} after it"));
            }
        } else if name.starts_with(errors::RESERVED_PREFIX)
            && !errors::PREDEFINED.contains(&name.as_str())
        {
            let hint = closest(name, errors::PREDEFINED.iter().copied()).map_or_else(
                || format!("; its names are: {}", errors::PREDEFINED.join(", ")),
                |c| format!("; did you mean `{c}`?"),
            );
            let message = format!("`{name}` is not an error ASL defines: the `States.` prefix is reserved for ASL's own errors{hint}");
            v.report(eloc.index(i), message);
        }
    }
}

// Rule: a `ResultPath` is `null` or a reference path into the input (not `$$`).
fn check_result_path(v: &mut Validator, path: Option<&Option<String>>, loc: &Location) {
    let Some(Some(path)) = path else { return };
    let field = v.f("ResultPath");
    match ReferencePath::parse(path) {
        Ok(p) if p.is_context() => v.report(
            loc.clone(),
            format!("`{field}` cannot write into the context object `$$`"),
        ),
        Ok(_) => {}
        Err(e) => v.report(
            loc.clone(),
            format!("`{field}` `{path}` is not a reference path: {}", e.message),
        ),
    }
}

// Rule: a Fail state's `Error` does not invent a name under the reserved `States.` prefix
// (the quorum seed's `States.QuorumMet` is the mistake this catches). Re-raising an error ASL
// defines, with its defined meaning (`States.Timeout` for a deadline that passed), is allowed.
fn check_fail(v: &mut Validator, state: &State, loc: &Location) {
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
    check_reference_path(v, state.error_path.as_deref(), &loc.key("ErrorPath"));
    check_reference_path(v, state.cause_path.as_deref(), &loc.key("CausePath"));
}

// Rule: a Wait state says how long to wait in exactly one way: `Seconds` (a whole number of
// seconds from 0), `Timestamp` (an ASL timestamp), or `SecondsPath` / `TimestampPath`
// (reference paths into its input).
fn check_wait(v: &mut Validator, name: &str, state: &State, loc: &Location) {
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
    check_whole(
        v,
        state.seconds.as_ref(),
        0,
        99_999_999,
        &loc.key("Seconds"),
    );
    if let Some(t) = &state.timestamp {
        if crate::timestamp::parse(t).is_none() {
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
fn check_map(v: &mut Validator, name: &str, state: &State, loc: &Location) {
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
    check_whole(
        v,
        state.max_concurrency.as_ref(),
        0,
        99_999_999,
        &loc.key("MaxConcurrency"),
    );
    check_whole(
        v,
        state.tolerated_failure_count.as_ref(),
        0,
        99_999_999,
        &loc.key("ToleratedFailureCount"),
    );
    if let Some(p) = &state.tolerated_failure_percentage {
        if !p.as_f64().is_some_and(|p| (0.0..=100.0).contains(&p)) {
            let message = format!(
                "`{}` must be a number from 0 to 100, found {p}",
                v.f("ToleratedFailurePercentage")
            );
            v.report(loc.key("ToleratedFailurePercentage"), message);
        }
    }
}

// Rule: a Choice state has at least one rule. A top-level rule names its `Next`, a nested one
// (inside `And`, `Or`, `Not`) does not. A rule is exactly one of: a comparison (a `Variable`
// that is a path, and one operator ASL defines, whose operand has the operator's type: a
// string for `StringEquals`, a number for `NumericLessThan`, a timestamp for
// `TimestampEquals`, a path for `...Path`, a boolean for `Is...`), or a non-empty `And` or
// `Or`, or a `Not`.
fn check_choice(v: &mut Validator, name: &str, state: &State, loc: &Location) {
    if state.kind != StateType::Choice {
        return;
    }
    match &state.choices {
        None => v.report(
            loc.clone(),
            format!(
                "Choice state `{name}` needs `{}`: the rules to choose by",
                v.f("Choices")
            ),
        ),
        Some(rules) if rules.is_empty() => v.report(
            loc.key("Choices"),
            format!(
                "`{}` is empty: a Choice state needs at least one rule",
                v.f("Choices")
            ),
        ),
        Some(rules) => {
            for (i, rule) in rules.iter().enumerate() {
                check_choice_rule(v, rule, &loc.key("Choices").index(i), true);
            }
        }
    }
}

fn check_choice_rule(v: &mut Validator, rule: &crate::ChoiceRule, loc: &Location, top: bool) {
    use crate::choice::Operator;
    let next = v.f("Next");
    match (top, &rule.next) {
        (true, None) => v.report(loc.clone(), format!("a choice rule needs `{next}`: the state to go to when it matches")),
        (false, Some(_)) => v.report(loc.key("Next"), format!("only a top-level choice rule has `{next}`; a rule inside `{}`, `{}` or `{}` does not", v.f("And"), v.f("Or"), v.f("Not"))),
        _ => {}
    }
    let kinds = usize::from(rule.and.is_some())
        + usize::from(rule.or.is_some())
        + usize::from(rule.not.is_some())
        + usize::from(rule.variable.is_some() || !rule.comparison.is_empty());
    if kinds != 1 {
        let message = format!(
            "a choice rule is one of: a comparison (`{}` and an operator such as `{}`), `{}`, `{}` or `{}`",
            v.f("Variable"),
            v.f("NumericEquals"),
            v.f("And"),
            v.f("Or"),
            v.f("Not")
        );
        v.report(loc.clone(), message);
        return;
    }
    for (key, rules) in [("And", &rule.and), ("Or", &rule.or)] {
        let Some(rules) = rules else { continue };
        if rules.is_empty() {
            v.report(
                loc.key(key),
                format!("`{}` needs at least one rule", v.f(key)),
            );
        }
        for (i, nested) in rules.iter().enumerate() {
            check_choice_rule(v, nested, &loc.key(key).index(i), false);
        }
    }
    if let Some(nested) = &rule.not {
        check_choice_rule(v, nested, &loc.key("Not"), false);
    }
    if rule.and.is_some() || rule.or.is_some() || rule.not.is_some() {
        return;
    }
    match &rule.variable {
        None => v.report(
            loc.clone(),
            format!(
                "a comparison needs `{}`: the path of the value it tests",
                v.f("Variable")
            ),
        ),
        Some(path) => check_path(v, Some(path), &loc.key("Variable")),
    }
    let operators: Vec<(&String, &Value)> = rule.comparison.iter().collect();
    let [(op_name, operand)] = operators.as_slice() else {
        let names: Vec<String> = operators
            .iter()
            .map(|(n, _)| format!("`{}`", v.f(n)))
            .collect();
        let message = if names.is_empty() {
            format!(
                "a comparison needs an operator, such as `{}: 0`",
                v.f("NumericEquals")
            )
        } else {
            format!("a comparison has one operator, found {}", names.join(", "))
        };
        v.report(loc.clone(), message);
        return;
    };
    let at = loc.key(op_name);
    let Some(op) = Operator::parse(op_name) else {
        let names = Operator::names();
        let hint = closest(op_name, names.iter().map(String::as_str))
            .map(|c| format!("; did you mean `{}`?", v.f(c)))
            .unwrap_or_default();
        v.report(
            at,
            format!(
                "`{}` is not a Choice comparison ASL defines{hint}",
                v.f(op_name)
            ),
        );
        return;
    };
    let fits = match op {
        Operator::Compare { path: true, .. } => {
            operand.as_str().is_some_and(|p| Path::parse(p).is_ok())
        }
        Operator::Compare {
            family: crate::choice::Family::String,
            ..
        }
        | Operator::Matches => operand.is_string(),
        Operator::Compare {
            family: crate::choice::Family::Numeric,
            ..
        } => operand.is_number(),
        Operator::Compare {
            family: crate::choice::Family::Boolean,
            ..
        }
        | Operator::Is(_) => operand.is_boolean(),
        Operator::Compare {
            family: crate::choice::Family::Timestamp,
            ..
        } => operand
            .as_str()
            .is_some_and(|t| crate::timestamp::parse(t).is_some()),
    };
    if !fits {
        v.report(
            at,
            format!(
                "`{}` compares with {}, found {operand}",
                v.f(op_name),
                op.operand()
            ),
        );
    }
}

// Rule: in a payload template (`Parameters`, `ResultSelector`, `ItemSelector`), the value of
// every member whose name ends in `.$` is a string: an intrinsic call that obeys
// `intrinsic::check` (a function ASL defines, its number of arguments, at most 10 levels
// deep), or a path into the input (`$...`) or the context object (`$$...`).
fn check_template(v: &mut Validator, template: &Value, loc: &Location) {
    match template {
        Value::Object(members) => {
            for (key, value) in members {
                let at = loc.key(key);
                if !key.ends_with(".$") {
                    check_template(v, value, &at);
                    continue;
                }
                let Some(text) = value.as_str() else {
                    v.report(at, format!("`{key}` ends in `.$`, so its value must be a path or an intrinsic call string, found {value}"));
                    continue;
                };
                let problem = if crate::intrinsic::is_call(text) {
                    crate::intrinsic::parse(text)
                        .and_then(|call| crate::intrinsic::check(&call))
                        .err()
                        .map(|e| e.0)
                } else {
                    Path::parse(text)
                        .err()
                        .map(|e| format!("`{text}` is not a path: {}", e.message))
                };
                if let Some(problem) = problem {
                    v.report(at, format!("`{key}`: {problem}"));
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_template(v, item, &loc.index(i));
            }
        }
        _ => {}
    }
}

/// A field whose value must be a path (any JSONPath ASL accepts, see [`Path`]).
fn check_path(v: &mut Validator, path: Option<&str>, loc: &Location) {
    let Some(path) = path else { return };
    let Some(crate::location::Segment::Key(field)) = loc.segments().last() else {
        return;
    };
    if let Err(e) = Path::parse(path) {
        let message = format!("`{}` `{path}` is not a path: {}", v.f(field), e.message);
        v.report(loc.clone(), message);
    }
}

/// A field whose value must be a reference path.
fn check_reference_path(v: &mut Validator, path: Option<&str>, loc: &Location) {
    let Some(path) = path else { return };
    let Some(crate::location::Segment::Key(field)) = loc.segments().last() else {
        return;
    };
    if let Err(e) = ReferencePath::parse(path) {
        let message = format!(
            "`{}` `{path}` is not a reference path: {}",
            v.f(field),
            e.message
        );
        v.report(loc.clone(), message);
    }
}

// Rule: `TimeoutSeconds`, the longest an execution may run, is a positive whole number of
// seconds, and only the whole workflow has one (ASL gives branches none).
fn check_execution_timeout(v: &mut Validator, machine: &StateMachine) {
    check_whole(
        v,
        machine.timeout_seconds.as_ref(),
        1,
        99_999_999,
        &Location::root().key("TimeoutSeconds"),
    );
    let mut machines = Vec::new();
    walk(machine, &Location::root(), &mut machines);
    for (m, loc) in machines.iter().skip(1) {
        if m.timeout_seconds.is_some() {
            let message = format!(
                "`{}` belongs to the whole workflow; a branch cannot have one",
                v.f("TimeoutSeconds")
            );
            v.report(loc.key("TimeoutSeconds"), message);
        }
    }
}

// Rule: a Task's `HeartbeatSeconds` is a positive whole number of seconds, below its
// `TimeoutSeconds` when it has one (a heartbeat interval past the timeout could never fire).
// Each of the two is given as a number or as a reference path (`TimeoutSecondsPath`,
// `HeartbeatSecondsPath`) to one in the input, not both.
fn check_heartbeat(v: &mut Validator, state: &State, loc: &Location) {
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
    check_whole(
        v,
        state.heartbeat_seconds.as_ref(),
        1,
        99_999_999,
        &loc.key("HeartbeatSeconds"),
    );
    let n = |x: &Option<serde_json::Number>| x.as_ref().and_then(serde_json::Number::as_u64);
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

// Rule: a Task names the `Resource` it invokes (ASL requires it, and it is what the export
// sends to AWS).
fn check_task(v: &mut Validator, state: &State, loc: &Location) {
    if state.kind == StateType::Task && state.resource.is_none() {
        let message = format!(
            "a `Task` state needs a `{}`: the ARN AWS Step Functions invokes",
            v.f("Resource")
        );
        v.report(loc.clone(), message);
    }
}

// Rule: a Parallel state has at least one branch, and each branch is a well-formed workflow.
fn check_parallel(v: &mut Validator, state: &State, loc: &Location) {
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
fn check_quorum(v: &mut Validator, name: &str, state: &State, loc: &Location) {
    let Some(quorum) = state
        .quorum
        .as_ref()
        .filter(|_| state.kind == StateType::Parallel)
    else {
        return;
    };
    let qloc = loc.key("Quorum");
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

/// `; did you mean `X`?` when a state of `machine` is close to `wrong`.
fn suggestion(wrong: &str, machine: &StateMachine) -> String {
    closest(wrong, machine.states.iter().map(|(name, _)| name))
        .map(|name| format!("; did you mean `{name}`?"))
        .unwrap_or_default()
}

/// The candidate within about a third of `wrong`'s length in edits, if any.
pub(crate) fn closest<'c>(
    wrong: &str,
    candidates: impl Iterator<Item = &'c str>,
) -> Option<&'c str> {
    let (distance, best) = candidates
        .map(|c| (edit_distance(wrong, c), c))
        .min_by_key(|(d, _)| *d)?;
    (distance > 0 && distance <= wrong.chars().count().div_ceil(3)).then_some(best)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Takes JSON text, not `json!`: `json!` sorts object keys, and the rules report problems
    /// in document order.
    fn problems(doc: &str) -> Vec<(String, String)> {
        let machine: StateMachine = serde_json::from_str(doc).unwrap();
        validate(&machine, Dialect::Asl)
            .into_iter()
            .map(|p| (p.location.to_string(), p.message))
            .collect()
    }

    fn pointers(doc: &str) -> Vec<String> {
        problems(doc).into_iter().map(|(p, _)| p).collect()
    }

    #[test]
    fn the_seed_workflow_is_well_formed() {
        let doc = r#"{
            "StartAt": "P",
            "States": {
                "P": {"Type": "Parallel", "Next": "ok",
                      "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1}],
                      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "bad"}],
                      "Branches": [{"StartAt": "b1", "States": {"b1": {"Type": "Pass", "End": true}}}]},
                "bad": {"Type": "Pass", "ResultPath": "$.x", "End": true},
                "ok": {"Type": "Succeed"}
            }
        }"#;
        assert_eq!(problems(doc), vec![]);
    }

    #[test]
    fn start_at_must_exist_and_name_a_state() {
        assert_eq!(
            pointers(r#"{"States": {"A": {"Type": "Succeed"}}}"#),
            vec![""]
        );
        let p = problems(r#"{"StartAt": "Strat", "States": {"Start": {"Type": "Succeed"}}}"#);
        assert_eq!(p[0].0, "/StartAt");
        assert!(p[0].1.contains("did you mean `Start`?"), "{}", p[0].1);
    }

    #[test]
    fn every_problem_is_reported_together() {
        let p = pointers(
            r#"{
            "StartAt": "A",
            "States": {
                "A": {"Type": "Pass", "Next": "Nowhere"},
                "B": {"Type": "Pass"},
                "C": {"Type": "Succeed", "Next": "A"}
            }
        }"#,
        );
        assert_eq!(
            p,
            vec![
                "/States/A/Next",
                "/States/B",
                "/States/C/Next",
                "/States/B",
                "/States/C"
            ]
        );
    }

    #[test]
    fn names_are_unique_across_branches() {
        let p = problems(
            r#"{
            "StartAt": "P",
            "States": {
                "P": {"Type": "Parallel", "End": true,
                      "Branches": [{"StartAt": "P", "States": {"P": {"Type": "Succeed"}}}]}
            }
        }"#,
        );
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, "/States/P/Branches/0/States/P");
        assert!(p[0].1.contains("used twice"));
    }

    #[test]
    fn next_and_end_rules() {
        let p = problems(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A", "End": true}}}"#,
        );
        assert_eq!(p[0].0, "/States/A/End");
        assert!(p[0].1.contains("both"));
        let p = problems(r#"{"StartAt": "A", "States": {"A": {"Type": "Fail", "End": true}}}"#);
        assert_eq!(p[0].0, "/States/A/End");
        assert!(p[0].1.contains("ends the workflow by itself"));
    }

    #[test]
    fn a_branch_cannot_jump_out() {
        let p = problems(
            r#"{
            "StartAt": "P",
            "States": {
                "P": {"Type": "Parallel", "Next": "Done",
                      "Branches": [{"StartAt": "b", "States": {"b": {"Type": "Pass", "Next": "Done"}}}]},
                "Done": {"Type": "Succeed"}
            }
        }"#,
        );
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, "/States/P/Branches/0/States/b/Next");
        assert!(
            p[0].1.contains("cannot leave its sub-workflow"),
            "{}",
            p[0].1
        );
    }

    #[test]
    fn retrier_rules() {
        let p = problems(
            r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "r", "End": true,
            "Retry": [
                {"ErrorEquals": ["States.ALL", "X"]},
                {"ErrorEquals": ["States.ALL"], "IntervalSeconds": -1, "BackoffRate": 0.5, "MaxAttempts": 1.5, "JitterStrategy": "HALF"},
                {"ErrorEquals": [], "MaxDelaySeconds": 0}
            ]}}}"#,
        );
        let at: Vec<&str> = p.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            at,
            vec![
                "/States/T/Retry/0/ErrorEquals/0",
                "/States/T/Retry/1/ErrorEquals/0",
                "/States/T/Retry/1/IntervalSeconds",
                "/States/T/Retry/1/MaxAttempts",
                "/States/T/Retry/1/BackoffRate",
                "/States/T/Retry/1/JitterStrategy",
                "/States/T/Retry/2/ErrorEquals",
                "/States/T/Retry/2/MaxDelaySeconds",
            ]
        );
        assert!(p[0].1.contains("alone"));
        assert!(p[1].1.contains("last retrier"));
    }

    #[test]
    fn reserved_prefix_and_unknown_predefined_names() {
        let p = problems(
            r#"{"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "r", "Next": "F", "Catch": [{"ErrorEquals": ["States.Timeot"], "Next": "F"}]},
            "F": {"Type": "Fail", "Error": "States.Mine"}}}"#,
        );
        assert_eq!(p[0].0, "/States/T/Catch/0/ErrorEquals/0");
        assert_eq!(p[1].0, "/States/F/Error");
        // Re-raising a predefined error is not inventing one.
        let reraise = pointers(
            r#"{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "States.Timeout"}}}"#,
        );
        assert_eq!(reraise, Vec::<String>::new());
    }

    #[test]
    fn task_resource_parallel_branches_and_fields() {
        let p = pointers(
            r#"{"StartAt": "T", "States": {
            "T": {"Type": "Task", "Next": "P", "Result": 1},
            "P": {"Type": "Parallel", "Branches": [], "End": true}
        }}"#,
        );
        assert_eq!(
            p,
            vec!["/States/T/Result", "/States/T", "/States/P/Branches"]
        );
    }

    #[test]
    fn quorum_rules() {
        let doc = |q: &str| {
            format!(
                r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Parallel", "End": true, "Quorum": {q},
            "Branches": [{{"StartAt": "a", "States": {{"a": {{"Type": "Succeed"}}}}}}, {{"StartAt": "b", "States": {{"b": {{"Type": "Succeed"}}}}}}]}}}}}}"#
            )
        };
        assert_eq!(
            pointers(&doc(r#"{"Count": 2, "TimeoutSeconds": 15}"#)),
            Vec::<String>::new()
        );
        assert_eq!(
            pointers(&doc(r#"{"CountPath": "$$.Execution.Input.quorum"}"#)),
            Vec::<String>::new()
        );
        assert_eq!(
            pointers(&doc(r#"{"Count": 0}"#)),
            vec!["/States/P/Quorum/Count"]
        );
        let p = problems(&doc(r#"{"Count": 3}"#));
        assert_eq!(p[0].0, "/States/P/Quorum/Count");
        assert!(
            p[0].1.contains("this Parallel has 2 branches"),
            "{}",
            p[0].1
        );
        assert_eq!(pointers(&doc(r#"{}"#)), vec!["/States/P/Quorum"]);
        assert_eq!(
            pointers(&doc(r#"{"CountPath": "$.q[*]"}"#)),
            vec!["/States/P/Quorum/CountPath"]
        );
        assert_eq!(
            pointers(&doc(r#"{"Count": 1, "TimeoutSeconds": 0}"#)),
            vec!["/States/P/Quorum/TimeoutSeconds"]
        );
        let p = pointers(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Quorum": {"Count": 1}, "End": true}}}"#,
        );
        assert_eq!(p, vec!["/States/A/Quorum"]);
    }

    #[test]
    fn names_fit_aws_limits_including_those_a_quorum_export_generates() {
        let long = "x".repeat(81);
        let p = problems(&format!(
            r#"{{"StartAt": "{long}", "States": {{"{long}": {{"Type": "Succeed"}}}}}}"#
        ));
        assert_eq!(p.len(), 1);
        assert!(p[0].1.contains("81 characters"), "{}", p[0].1);
        let q = "q".repeat(40);
        let b = "b".repeat(30);
        let doc = format!(
            r#"{{"StartAt": "{q}", "States": {{"{q}": {{"Type": "Parallel", "End": true, "Quorum": {{"Count": 1}},
                "Branches": [{{"StartAt": "{b}", "States": {{"{b}": {{"Type": "Succeed"}}}}}}]}}}}}}"#
        );
        let p = problems(&doc);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, format!("/States/{q}"));
        assert!(
            p[0].1.contains("the ASL export of quorum state"),
            "{}",
            p[0].1
        );
    }

    #[test]
    fn wait_rules() {
        let wait = |fields: &str| {
            problems(&format!(
                r#"{{"StartAt": "W", "States": {{"W": {{"Type": "Wait", {fields} "End": true}}}}}}"#
            ))
        };
        assert_eq!(wait(r#""Seconds": 10,"#), vec![]);
        assert_eq!(wait(r#""Timestamp": "2026-11-21T20:00:00Z","#), vec![]);
        assert_eq!(wait(r#""SecondsPath": "$.delay","#), vec![]);
        assert_eq!(wait("")[0].0, "/States/W");
        assert_eq!(
            wait(r#""Seconds": 1, "TimestampPath": "$.t","#)[0].0,
            "/States/W/TimestampPath"
        );
        assert_eq!(wait(r#""Seconds": -1,"#)[0].0, "/States/W/Seconds");
        assert_eq!(
            wait(r#""Timestamp": "tomorrow","#)[0].0,
            "/States/W/Timestamp"
        );
        assert_eq!(
            wait(r#""SecondsPath": "$.a[*]","#)[0].0,
            "/States/W/SecondsPath"
        );
    }

    #[test]
    fn fail_paths_and_execution_timeout_rules() {
        let p = pointers(
            r#"{"StartAt": "F", "TimeoutSeconds": 0, "States": {"F": {"Type": "Fail", "Error": "E", "ErrorPath": "$.e", "CausePath": "$.c[*]"}}}"#,
        );
        assert_eq!(
            p,
            vec![
                "/TimeoutSeconds",
                "/States/F/ErrorPath",
                "/States/F/CausePath"
            ]
        );
        let p = pointers(
            r#"{"StartAt": "P", "TimeoutSeconds": 60, "States": {"P": {"Type": "Parallel", "End": true,
            "Branches": [{"StartAt": "A", "TimeoutSeconds": 5, "States": {"A": {"Type": "Succeed"}}}]}}}"#,
        );
        assert_eq!(p, vec!["/States/P/Branches/0/TimeoutSeconds"]);
    }

    #[test]
    fn choice_rules() {
        let choice = |rules: &str| {
            pointers(&format!(
                r#"{{"StartAt": "C", "States": {{"C": {{"Type": "Choice", "Choices": {rules}, "Default": "D"}}, "A": {{"Type": "Succeed"}}, "D": {{"Type": "Succeed"}}}}}}"#
            ))
        };
        let ok = r#"[{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "A"},
                     {"And": [{"Variable": "$.s", "StringMatches": "a*"}, {"Not": {"Variable": "$.b", "IsPresent": true}}], "Next": "A"},
                     {"Variable": "$.t", "TimestampLessThanPath": "$$.Execution.StartTime", "Next": "A"}]"#;
        assert_eq!(choice(ok), Vec::<String>::new());
        assert_eq!(
            choice(r#"[{"Variable": "$.n", "NumericEquals": "7", "Next": "A"}]"#),
            vec!["/States/C/Choices/0/NumericEquals"]
        );
        assert_eq!(
            choice(r#"[{"Variable": "$.n", "NumericEqual": 7, "Next": "A"}]"#),
            vec!["/States/C/Choices/0/NumericEqual"]
        );
        assert_eq!(
            choice(r#"[{"Variable": "$.t", "TimestampEquals": "noon", "Next": "A"}]"#),
            vec!["/States/C/Choices/0/TimestampEquals"]
        );
        assert_eq!(
            choice(r#"[{"Variable": "$.n", "IsNull": true}]"#),
            vec!["/States/C/Choices/0", "/States/A"]
        );
        assert_eq!(
            choice(r#"[{"Not": {"Variable": "$.n", "IsNull": true, "Next": "A"}, "Next": "A"}]"#),
            vec!["/States/C/Choices/0/Not/Next"]
        );
        assert_eq!(
            choice(r#"[{"Variable": "$.n", "IsNull": true, "Next": "Nowhere"}]"#),
            vec!["/States/C/Choices/0/Next", "/States/A"]
        );
        assert_eq!(choice(r#"[]"#), vec!["/States/C/Choices", "/States/A"]);
        assert_eq!(
            choice(r#"[{"And": [], "Next": "A"}]"#),
            vec!["/States/C/Choices/0/And"]
        );
    }

    #[test]
    fn map_rules() {
        let map = |fields: &str| {
            pointers(&format!(
                r#"{{"StartAt": "M", "States": {{"M": {{"Type": "Map", {fields} "End": true}}}}}}"#
            ))
        };
        let processor =
            r#""ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}},"#;
        assert_eq!(map(processor), Vec::<String>::new());
        assert_eq!(map(""), vec!["/States/M"]);
        assert_eq!(
            map(&format!(
                r#"{processor} "MaxConcurrency": -1, "ToleratedFailurePercentage": 101, "ItemsPath": "$.a[*]","#
            )),
            vec![
                "/States/M/ItemsPath",
                "/States/M/MaxConcurrency",
                "/States/M/ToleratedFailurePercentage"
            ]
        );
        let old_names = r#""Iterator": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "Parameters": {},"#;
        assert_eq!(
            map(old_names),
            Vec::<String>::new(),
            "ASL still accepts them"
        );
        let rust = |fields: &str| {
            let doc = format!(
                r#"{{"StartAt": "M", "States": {{"M": {{"Type": "Map", {fields} "End": true}}}}}}"#
            );
            let machine: StateMachine = serde_json::from_str(&doc).unwrap();
            validate(&machine, Dialect::Rust)
                .into_iter()
                .map(|p| p.location.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            rust(&format!(r#"{processor} "Parameters": {{}},"#)),
            vec!["/States/M/Parameters"],
            "the macro writes `item_selector`"
        );
        let leaving = pointers(
            r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "Next": "D",
            "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "Next": "D"}}}}, "D": {"Type": "Succeed"}}}"#,
        );
        assert_eq!(leaving, vec!["/States/M/ItemProcessor/States/I/Next"]);
    }

    #[test]
    fn template_paths_and_intrinsic_calls() {
        let pass = |parameters: &str| {
            pointers(&format!(
                r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Pass", "Parameters": {parameters}, "End": true}}}}}}"#
            ))
        };
        assert_eq!(
            pass(
                r#"{"a.$": "$.x", "b.$": "$$.Execution.Id", "c.$": "States.Format('{}', $.x)", "d": {"e.$": "States.UUID()"}}"#
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            pass(r#"{"a.$": "$.x[*]", "b.$": "$..y[?(@.z > 1)]"}"#),
            Vec::<String>::new()
        );
        assert_eq!(
            pass(r#"{"a.$": "$.x[?(@.y >)]", "b.$": "$.x.length()"}"#),
            vec!["/States/P/Parameters/a.$", "/States/P/Parameters/b.$"]
        );
        assert_eq!(
            pass(r#"{"n": {"a.$": "States.MathAdd(1)"}}"#),
            vec!["/States/P/Parameters/n/a.$"]
        );
        assert_eq!(
            pass(r#"{"a.$": "States.Nope()"}"#),
            vec!["/States/P/Parameters/a.$"]
        );
        assert_eq!(pass(r#"{"a.$": 7}"#), vec!["/States/P/Parameters/a.$"]);
        assert_eq!(pass(r#"{"list": [{"a.$": "$$"}]}"#), Vec::<String>::new());
    }

    #[test]
    fn result_paths_are_reference_paths() {
        let p = pointers(
            r#"{"StartAt": "A", "States": {
            "A": {"Type": "Pass", "ResultPath": "$.a[*]", "Next": "B"},
            "B": {"Type": "Pass", "ResultPath": null, "End": true}}}"#,
        );
        assert_eq!(p, vec!["/States/A/ResultPath"]);
    }

    #[test]
    fn rust_dialect_uses_snake_case_names() {
        assert_eq!(Dialect::Rust.field("MaxDelaySeconds"), "max_delay_seconds");
        let machine: StateMachine =
            serde_json::from_str(r#"{"States": {"A": {"Type": "Succeed"}}}"#).unwrap();
        assert!(validate(&machine, Dialect::Rust)[0]
            .message
            .contains("`start_at`"));
    }

    #[test]
    fn edit_distance_is_levenshtein() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
    }
}
