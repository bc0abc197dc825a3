//! Stage 3, rules: everything that makes a definition wrong, reported together.
//!
//! The ASL rules are not written here: they are `workflow_asl::validate`, the same code that
//! checks a document read from a file. This stage maps each problem's location to the
//! user's token, and adds the rules only Rust knows about (handlers).

use workflow_asl::{validate, walk, Dialect, StateType};

use crate::ctxt::Ctxt;
use crate::model::Workflow;

/// Checks `workflow` against every rule; every broken rule is reported to `cx`.
pub(crate) fn check(workflow: &Workflow, cx: &Ctxt) {
    check_definition_rules(workflow, cx);
    check_expressions(workflow, cx);
    check_variables(workflow, cx);
    check_handlers(workflow, cx);
}

/// Reports `message` at the token that wrote `location` (else at the workflow's name).
fn report_at(workflow: &Workflow, cx: &Ctxt, location: &workflow_asl::Location, message: String) {
    match workflow.spans.find(location) {
        Some(span) => cx.error_spanned_by(span, message),
        None => cx.error_spanned_by(&workflow.ident, message),
    }
}

// Rule: every expression of a JSONata state is JSONata, checked when the workflow compiles
// (with the `jsonata` feature, which brings the parser), reported at its string with the
// parser's message and the position in the expression.
fn check_expressions(workflow: &Workflow, cx: &Ctxt) {
    if workflow.incomplete {
        return;
    }
    for (location, text) in workflow_asl::jsonata::expressions_of(&workflow.definition) {
        if let Some(message) = crate::jsonata::problem(&text) {
            report_at(workflow, cx, &location, message);
        }
    }
}

// Rule: a variable is read only where some state may have assigned it before (on some path
// to the reading state, in its workflow or the ones around it): a misspelled `$name`, or a
// variable assigned only inside a Parallel branch or a Map iteration, is a build error.
fn check_variables(workflow: &Workflow, cx: &Ctxt) {
    if workflow.incomplete {
        return;
    }
    let assigned = assigned_names(&workflow.definition);
    for read in workflow_asl::variables::unassigned(&workflow.definition) {
        let name = &read.name;
        let message = if assigned.contains(name) {
            format!(
                "`${name}` is read here, but no state that runs before this one assigns it: the states that assign it come later, or run inside a Parallel branch or a Map iteration, whose variables stay inside it (it gives them back through its output)"
            )
        } else {
            let hint = workflow_asl::suggest::closest(name, assigned.iter().map(String::as_str))
                .map(|c| format!("did you mean `${c}`? "))
                .unwrap_or_default();
            format!(
                "`${name}` is read here, but no state assigns it: {hint}assign it with `assign: {{ \"{name}\": ... }}` in a state that runs before this one"
            )
        };
        report_at(workflow, cx, &read.location, message);
    }
}

/// Every variable name any state of `definition` assigns.
fn assigned_names(definition: &workflow_asl::StateMachine) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for at in walk::states(definition) {
        for name in workflow_asl::variables::assigned_by(at.state) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

// Rule: the definition obeys every ASL definition rule (`workflow_asl::rules`), each problem
// reported at the token that wrote the offending member. When a state could not be read at
// all, its absence would only cause follow-on errors ("`start_at` names a missing state"), so
// the rules wait until the syntax errors are fixed.
fn check_definition_rules(workflow: &Workflow, cx: &Ctxt) {
    if workflow.incomplete {
        return;
    }
    for problem in validate(&workflow.definition, Dialect::Rust) {
        report_at(workflow, cx, &problem.location, problem.message);
    }
}

// Rule: every Task state names the `handler` that runs it locally, and only Task states name
// one (a handler elsewhere would silently never run).
fn check_handlers(workflow: &Workflow, cx: &Ctxt) {
    for handler in &workflow.handlers {
        let (allowed, what) = match handler.role.as_str() {
            "handler" | "workflow" => (StateType::Task, "a `Task` state"),
            _ => (
                StateType::Map,
                "a `Map` state (the `async fn` that answers its `item_reader` or `result_writer`)",
            ),
        };
        if handler.kind != allowed {
            let message = format!(
                "`{}` is only allowed on {what}, and `{}` is a `{}` state",
                handler.role, handler.state, handler.kind
            );
            cx.error_spanned_by(&handler.path, message);
        }
        // Rule: `workflow` starts a child execution, which only `states:startExecution` does.
        let state = walk::states(&workflow.definition).find(|s| s.location == handler.location);
        let starts = state
            .and_then(|s| s.state.resource.as_deref())
            .and_then(workflow_asl::Integration::parse)
            .is_some_and(|i| i.is("states", "startExecution"));
        if handler.role == "workflow" && handler.kind == StateType::Task && !starts {
            let message = format!(
                "`workflow` starts a child execution: Task state `{}` needs `resource: \"arn:aws:states:::states:startExecution.sync:2\"` (or `.sync`, or no suffix to not wait)",
                handler.state
            );
            cx.error_spanned_by(&handler.path, message);
        }
    }
    // Rule: a Task names one of `handler` and `workflow`, not both.
    for (i, handler) in workflow.handlers.iter().enumerate() {
        let both = workflow.handlers[..i]
            .iter()
            .any(|h| h.location == handler.location && h.role != handler.role);
        if both {
            let message = format!(
                "Task state `{}` has both `handler` and `workflow`: a Task runs an `async fn` or starts a child workflow, not both",
                handler.state
            );
            cx.error_spanned_by(&handler.path, message);
        }
    }
    // Rule: a Map's `item_reader` is answered by its `reader`, its `result_writer` by its
    // `writer`, and neither is given without the field it answers.
    for map in walk::states(&workflow.definition).filter(|s| s.state.kind == StateType::Map) {
        for (field, asl, role) in [
            (map.state.item_reader.is_some(), "ItemReader", "reader"),
            (map.state.result_writer.is_some(), "ResultWriter", "writer"),
        ] {
            let location = map.location.key(asl);
            let given = workflow.handlers.iter().find(|h| h.location == location);
            let message = match (field, given) {
                (true, None) => format!("Map state `{}` has an `{}`: it needs `{role}: my_fn`, the `async fn` that answers it here", map.name, if role == "reader" { "item_reader" } else { "result_writer" }),
                (false, Some(_)) => format!("`{role}` answers a Map's `{}`, and Map state `{}` has none", if role == "reader" { "item_reader" } else { "result_writer" }, map.name),
                _ => continue,
            };
            // At the `reader`, or at the `item_reader` it lacks.
            let field = workflow
                .spans
                .find(&location)
                .or_else(|| workflow.spans.find(&map.location));
            match (given, field) {
                (Some(handler), _) => cx.error_spanned_by(&handler.path, message),
                (None, Some(span)) => cx.error_spanned_by(span, message),
                (None, None) => cx.error_spanned_by(&workflow.ident, message),
            }
        }
    }
    let handled: std::collections::HashSet<&workflow_asl::Location> = workflow
        .handlers
        .iter()
        .filter(|h| h.role == "handler" || h.role == "workflow")
        .map(|h| &h.location)
        .collect();
    let tasks = walk::states(&workflow.definition).filter(|s| s.state.kind == StateType::Task);
    for task in tasks {
        if !handled.contains(&task.location) {
            let starts = task
                .state
                .resource
                .as_deref()
                .and_then(workflow_asl::Integration::parse)
                .is_some_and(|i| i.is("states", "startExecution"));
            let message = if starts {
                format!("Task state `{}` needs the `workflow` it starts, such as `workflow: Child` (or a `handler` that answers for it)", task.name)
            } else {
                format!("Task state `{}` needs a `handler`: the `async fn` that runs it, such as `handler: my_task`", task.name)
            };
            match workflow.spans.find(&task.location) {
                Some(span) => cx.error_spanned_by(span, message),
                None => cx.error_spanned_by(&workflow.ident, message),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build;

    fn errors(input: crate::parse::Input) -> Vec<String> {
        let cx = Ctxt::new();
        let w = build(input, &cx);
        check(&w, &cx);
        cx.check()
            .err()
            .map(|e| e.into_iter().map(|e| e.to_string()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_correct_workflow_passes() {
        let e = errors(syn::parse_quote! {
            (::w) W { start_at: T, states: { T: Task { resource: "arn", handler: t, next: D }, D: Succeed {} } }
        });
        assert!(e.is_empty(), "{e:?}");
    }

    #[test]
    fn rules_speak_the_macro_dialect_and_all_are_reported() {
        let e = errors(syn::parse_quote! {
            (::w) W { start_at: T, states: {
                T: Task { resource: "arn", handler: t, next: Dd },
                D: Succeed { next: T },
                P: Pass { handler: t, end: true },
            } }
        });
        // `Dd` was meant for `D`, so only `P` is unreachable.
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(
            e[0].contains(
                "`next` names `Dd`, which is not a state of this workflow; did you mean `D`?"
            ),
            "{}",
            e[0]
        );
        assert!(
            e[1].contains("`next` is not allowed on a `Succeed` state"),
            "{}",
            e[1]
        );
        assert!(e[2].contains("state `P` is unreachable"), "{}", e[2]);
        assert!(
            e[3].contains("`handler` is only allowed on a `Task` state"),
            "{}",
            e[3]
        );
    }

    #[test]
    fn tasks_need_handlers_even_in_branches() {
        let e = errors(syn::parse_quote! {
            (::w) W { start_at: P, states: {
                P: Parallel { branches: [{ start_at: T, states: { T: Task { resource: "arn", end: true } } }], end: true },
            } }
        });
        assert_eq!(e, vec!["Task state `T` needs a `handler`: the `async fn` that runs it, such as `handler: my_task`"]);
    }

    #[test]
    fn tasks_need_handlers_in_item_processors_too() {
        let e = errors(syn::parse_quote! {
            (::w) W { start_at: M, states: {
                M: Map { item_processor: { start_at: T, states: { T: Task { resource: "arn", end: true } } }, end: true },
            } }
        });
        assert_eq!(e, vec!["Task state `T` needs a `handler`: the `async fn` that runs it, such as `handler: my_task`"]);
    }
}
