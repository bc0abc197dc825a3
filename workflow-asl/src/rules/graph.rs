//! Graph rules: names, `StartAt`, transitions, targets, reachability, and which
//! (sub)workflow may have a `TimeoutSeconds`.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::document::{State, StateMachine};
use crate::location::Location;
use crate::suggest::closest;
use crate::walk;

use super::{numbers::check_whole, Dialect, Validator};

/// The longest state name AWS Step Functions accepts.
pub(super) const MAX_NAME: usize = 80;

// Rule: state names are unique across the whole workflow, branches included (ASL requires
// it, and a `Next` or a log line naming a state must mean one state), and at most 80
// characters long (AWS refuses longer ones).
pub(super) fn check_unique_names(v: &mut Validator, machine: &StateMachine) {
    let mut first: HashMap<&str, Location> = HashMap::new();
    for walk::StateAt {
        scope,
        name,
        location: here,
        ..
    } in walk::states(machine)
    {
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

// Rule: a (sub)workflow names its first state in `StartAt`, and that state is one of its own.
pub(super) fn check_start_at(v: &mut Validator, machine: &StateMachine, loc: &Location) {
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

// Rule: a Pass, Task, Parallel, Map or Wait state has exactly one of `Next` and `End: true`.
pub(super) fn check_transition(v: &mut Validator, name: &str, state: &State, loc: &Location) {
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
pub(super) fn check_targets(
    v: &mut Validator,
    machine: &StateMachine,
    state: &State,
    loc: &Location,
) {
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
// an unreachable state is dead code and usually a mistyped `Next`. A mistyped target is
// already reported (by `check_targets`); the states only it made unreachable are not reported
// again: a target close to a state's name counts as reaching that state, and when a target is
// like no state at all, what it was meant to reach cannot be told, so nothing is reported.
pub(super) fn check_reachable(v: &mut Validator, machine: &StateMachine, loc: &Location) {
    let Some(start) = machine
        .start_at
        .as_deref()
        .filter(|s| machine.states.get(s).is_some())
    else {
        return;
    };
    let mut seen: HashSet<&str> = HashSet::from([start]);
    let mut queue = VecDeque::from([start]);
    let mut lost_edge = false;
    while let Some(name) = queue.pop_front() {
        let Some(state) = machine.states.get(name) else {
            continue;
        };
        for target in successors(state) {
            let target = if machine.states.get(target).is_some() {
                target
            } else if let Some(meant) = closest(target, machine.states.iter().map(|(n, _)| n)) {
                meant
            } else {
                lost_edge = true;
                continue;
            };
            if seen.insert(target) {
                queue.push_back(target);
            }
        }
    }
    if lost_edge {
        return;
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

// Rule: `TimeoutSeconds`, the longest an execution may run, is a positive whole number of
// seconds, and only the whole workflow has one (ASL gives branches none).
pub(super) fn check_execution_timeout(v: &mut Validator, machine: &StateMachine) {
    check_whole(
        v,
        machine.timeout_seconds.as_ref(),
        1,
        99_999_999,
        &Location::root().key("TimeoutSeconds"),
    );
    for scope in walk::scopes(machine).iter().skip(1) {
        let (m, loc) = (scope.machine, &scope.location);
        if m.timeout_seconds.is_some() {
            let message = format!(
                "`{}` belongs to the whole workflow; a branch cannot have one",
                v.f("TimeoutSeconds")
            );
            v.report(loc.key("TimeoutSeconds"), message);
        }
    }
}

/// `; did you mean `X`?` when a state of `machine` is close to `wrong`.
fn suggestion(wrong: &str, machine: &StateMachine) -> String {
    closest(wrong, machine.states.iter().map(|(name, _)| name))
        .map(|name| format!("; did you mean `{name}`?"))
        .unwrap_or_default()
}
