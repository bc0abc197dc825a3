//! Workflow variables (`Assign`), as the AWS Step Functions developer guide's "Passing data
//! between states with variables" defines them: what may name one, how a JSONPath path
//! reads one (`$name`, `$name.field[0]`), and which variables a definition reads before any
//! state could have assigned them.

/// The longest variable name AWS accepts.
pub const MAX_VARIABLE_NAME: usize = 80;

/// Why `name` cannot name a workflow variable, if it cannot.
#[must_use]
pub fn variable_name_problem(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let first = chars.next()?;
    if name == "states" {
        return Some("`states` is reserved for `$states`".into());
    }
    if !(first.is_alphabetic() || first == '_') {
        return Some("a variable name starts with a letter or `_`".into());
    }
    if !chars.all(|c| c.is_alphanumeric() || c == '_') {
        return Some("a variable name has only letters, digits and `_`".into());
    }
    if name.chars().count() > MAX_VARIABLE_NAME {
        return Some(format!(
            "a variable name has at most {MAX_VARIABLE_NAME} characters"
        ));
    }
    None
}

/// A JSONPath path that reads a variable: `$name` then, in `rest`, the path into its value
/// written from `$` (`$order.items[0]` is `order` and `$.items[0]`). `None` for a path into
/// the input (`$`, `$.a`), the context object (`$$...`) or anything else.
#[must_use]
pub fn variable_path(path: &str) -> Option<(&str, String)> {
    let after = path.strip_prefix('$')?;
    let end = after
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(after.len(), |(i, _)| i);
    if end == 0 {
        return None;
    }
    let (name, rest) = after.split_at(end);
    if !(rest.is_empty() || rest.starts_with('.') || rest.starts_with('[')) {
        return None;
    }
    Some((name, format!("${rest}")))
}

use crate::document::StateMachine;

/// Whether any state of `machine` itself (not of its branches) assigns variables: a
/// Parallel branch or Map iteration that does runs in a variable scope of its own.
#[must_use]
pub fn assigns(machine: &StateMachine) -> bool {
    machine
        .states
        .iter()
        .any(|(_, s)| !assigned_by(s).is_empty())
}

/// A variable read where no state could have assigned it yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unassigned {
    /// Where it is read: the member holding the path or expression.
    pub location: crate::Location,
    /// The variable's name, without `$`.
    pub name: String,
}

/// Every read of a variable (`$name` in a JSONPath path or a JSONata expression) that no
/// state assigns on any path to the reading state: the states that can run before it in
/// its (sub)workflow, and before its Parallel or Map in the workflows around it. A branch
/// or iteration reads the variables of the workflows around it, never those of another
/// branch or of its own nested branches. A state's own `Assign` does not count for itself
/// (it is evaluated against the values the state started with), unless a loop brings the
/// state back.
#[must_use]
pub fn unassigned(machine: &StateMachine) -> Vec<Unassigned> {
    let mut out = Vec::new();
    let top = machine.query_language.unwrap_or_default();
    check_machine(
        machine,
        &std::collections::BTreeSet::new(),
        top,
        &crate::Location::root(),
        &mut out,
    );
    out
}

fn check_machine(
    machine: &StateMachine,
    outer: &std::collections::BTreeSet<String>,
    top: crate::QueryLanguage,
    loc: &crate::Location,
    out: &mut Vec<Unassigned>,
) {
    use std::collections::BTreeSet;
    let states: Vec<(&str, &crate::State)> = machine.states.iter().collect();
    let index = |name: &str| states.iter().position(|(n, _)| *n == name);
    // What may be assigned on entering each state: a fixed point over the transitions.
    let mut entering: Vec<Option<BTreeSet<String>>> = vec![None; states.len()];
    let Some(start) = machine.start_at.as_deref().and_then(index) else {
        return;
    };
    entering[start] = Some(outer.clone());
    let mut work = vec![start];
    while let Some(i) = work.pop() {
        let (_, state) = states[i];
        let mut leaving = entering[i].clone().unwrap_or_default();
        leaving.extend(assigned_by(state));
        for next in successors(state).filter_map(index) {
            // A state reached for the first time is visited even with nothing new to know.
            let first = entering[next].is_none();
            let before = entering[next].get_or_insert_with(BTreeSet::new);
            let size = before.len();
            before.extend(leaving.iter().cloned());
            if (before.len() != size || first) && !work.contains(&next) {
                work.push(next);
            }
        }
    }
    for (position, (name, state)) in states.iter().enumerate() {
        let Some(known) = &entering[position] else {
            continue; // unreachable: another rule says so
        };
        let at = loc.state(name, position);
        let language = state.query_language.unwrap_or(top);
        let mut value = serde_json::to_value(state).unwrap_or_default();
        if let serde_json::Value::Object(members) = &mut value {
            for nested in ["Branches", "ItemProcessor", "Iterator"] {
                members.remove(nested);
            }
        }
        for (path, text) in reads(&value, language) {
            for variable in crate::jsonata::variables_read(&text) {
                if !known.contains(&variable) {
                    let mut location = at.clone();
                    for key in &path {
                        location = location.key(key);
                    }
                    out.push(Unassigned {
                        location,
                        name: variable,
                    });
                }
            }
        }
        for (child, sub) in crate::walk::children(state) {
            check_machine(sub, known, top, &child.location(&at), out);
        }
    }
}

/// The variables `state` may assign: its own, its Choice rules' and its catchers' (a JSONPath
/// name without its `.$`).
#[must_use]
pub fn assigned_by(state: &crate::State) -> Vec<String> {
    let mut out = Vec::new();
    let assigns = std::iter::once(state.assign.as_ref())
        .chain(state.choices.iter().flatten().map(|r| r.assign.as_ref()))
        .chain(state.catch.iter().flatten().map(|c| c.assign.as_ref()));
    for assign in assigns.flatten() {
        if let serde_json::Value::Object(members) = assign {
            out.extend(
                members
                    .keys()
                    .map(|k| k.strip_suffix(".$").unwrap_or(k).to_owned()),
            );
        }
    }
    out
}

/// The states `state` may go to.
fn successors(state: &crate::State) -> impl Iterator<Item = &str> {
    state
        .next
        .as_deref()
        .into_iter()
        .chain(state.default.as_deref())
        .chain(
            state
                .choices
                .iter()
                .flatten()
                .filter_map(|r| r.next.as_deref()),
        )
        .chain(state.catch.iter().flatten().map(|c| c.next.as_str()))
}

/// The texts in a state's JSON that read variables, with the keys that lead to each: in a
/// JSONata state every expression; in a JSONPath state every path (a `...Path` field, a
/// Choice `Variable`, the value of a `.$` member, intrinsic calls included).
fn reads(value: &serde_json::Value, language: crate::QueryLanguage) -> Vec<(Vec<String>, String)> {
    fn walk(
        value: &serde_json::Value,
        key: &str,
        at: &mut Vec<String>,
        language: crate::QueryLanguage,
        out: &mut Vec<(Vec<String>, String)>,
    ) {
        match value {
            serde_json::Value::String(text) => {
                let read = match language {
                    crate::QueryLanguage::Jsonata => crate::jsonata::expression(text).is_some(),
                    crate::QueryLanguage::JsonPath => {
                        key.ends_with(".$") || key.ends_with("Path") || key == "Variable"
                    }
                };
                if read {
                    out.push((at.clone(), text.clone()));
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    at.push(i.to_string());
                    walk(item, key, at, language, out);
                    at.pop();
                }
            }
            serde_json::Value::Object(members) => {
                for (k, item) in members {
                    at.push(k.clone());
                    walk(item, k, at, language, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, "", &mut Vec::new(), language, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(doc: &str) -> Vec<(String, String)> {
        let machine = StateMachine::from_json(doc).unwrap();
        unassigned(&machine)
            .into_iter()
            .map(|u| (u.location.to_string(), u.name))
            .collect()
    }

    #[test]
    fn a_variable_read_before_any_state_assigns_it_is_found() {
        let doc = r#"{"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Assign": {"a": 1, "self.$": "$self"}, "Next": "B"},
            "B": {"Type": "Pass", "Parameters": {"x.$": "$a", "y.$": "$b.c", "z.$": "States.Format('{}', $d)"},
                  "Next": "C"},
            "C": {"Type": "Map", "ItemsPath": "$a", "ItemProcessor": {"StartAt": "I", "States": {
                "I": {"Type": "Pass", "Assign": {"inner": 1}, "OutputPath": "$a", "End": true}}},
                "Next": "D"},
            "D": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $inner + $a %}", "End": true}}}"#;
        assert_eq!(
            names(doc),
            [
                ("/States/A/Assign/self.$".to_owned(), "self".to_owned()),
                ("/States/B/Parameters/y.$".to_owned(), "b".to_owned()),
                ("/States/B/Parameters/z.$".to_owned(), "d".to_owned()),
                ("/States/D/Output".to_owned(), "inner".to_owned()),
            ]
        );
    }

    #[test]
    fn a_variable_assigned_on_some_path_or_by_a_loop_is_known() {
        let doc = r#"{"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.go", "BooleanEquals": true,
                "Next": "Set", "Assign": {"r": 1}}], "Default": "Use"},
            "Set": {"Type": "Pass", "Assign": {"s": 1}, "Next": "Use"},
            "Use": {"Type": "Pass", "Parameters": {"r.$": "$r", "s.$": "$s", "t.$": "$t"}, "Next": "Loop"},
            "Loop": {"Type": "Pass", "Assign": {"t": 1}, "Next": "C"}}}"#;
        assert!(names(doc).is_empty(), "{:?}", names(doc));
    }
}
