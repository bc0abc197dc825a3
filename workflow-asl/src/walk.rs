//! The one walk over a definition: every (sub)workflow (the top one, each Parallel branch,
//! each Map item processor) and every state in it, with their locations.
//!
//! The rules, the macro's checks and code generation, and the export all walk a definition
//! through here, so that none of them can forget a kind of sub-workflow.

use crate::document::{State, StateMachine};
use crate::location::Location;

/// A sub-workflow of a state: one of its Parallel branches, or its Map item processor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Child {
    /// Branch `i` of a Parallel state (`Branches/i`).
    Branch(usize),
    /// The item processor of a Map state, under the field that holds it (`ItemProcessor`, or
    /// its older name `Iterator`).
    ItemProcessor(&'static str),
}

impl Child {
    /// The location of this sub-workflow, given its state's location.
    #[must_use]
    pub fn location(self, state: &Location) -> Location {
        match self {
            Self::Branch(i) => state.key("Branches").index(i),
            Self::ItemProcessor(key) => state.key(key),
        }
    }
}

/// The sub-workflows `state` holds, in document order: its branches, then its item processor.
pub fn children(state: &State) -> impl Iterator<Item = (Child, &StateMachine)> {
    let branches = state
        .branches
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, b)| (Child::Branch(i), b));
    let processor = state
        .processor()
        .map(|(key, p)| (Child::ItemProcessor(key), p));
    branches.chain(processor)
}

/// One (sub)workflow met by [`scopes`].
#[derive(Debug, Clone)]
pub struct Scope<'m> {
    /// The (sub)workflow.
    pub machine: &'m StateMachine,
    /// Where it is in the whole definition (the root for the top one).
    pub location: Location,
    /// The scope, state and kind of child that hold it; `None` for the top one.
    pub parent: Option<Parent<'m>>,
}

/// Where a sub-workflow sits: in which scope, in which state, as which child.
#[derive(Debug, Clone, Copy)]
pub struct Parent<'m> {
    /// The number (in [`scopes`] order) of the scope holding the state.
    pub scope: usize,
    /// The state's position in its scope.
    pub position: usize,
    /// The state's name.
    pub name: &'m str,
    /// Which of the state's sub-workflows this is.
    pub child: Child,
}

/// Every (sub)workflow of `root`, in document order: each one followed by the sub-workflows
/// of its states (depth first). A scope's number is its position in the result.
#[must_use]
pub fn scopes(root: &StateMachine) -> Vec<Scope<'_>> {
    fn visit<'m>(out: &mut Vec<Scope<'m>>, scope: Scope<'m>) {
        let id = out.len();
        let (machine, location) = (scope.machine, scope.location.clone());
        out.push(scope);
        for (position, (name, state)) in machine.states.iter().enumerate() {
            let at = location.state(name, position);
            for (child, sub) in children(state) {
                let parent = Parent {
                    scope: id,
                    position,
                    name,
                    child,
                };
                visit(
                    out,
                    Scope {
                        machine: sub,
                        location: child.location(&at),
                        parent: Some(parent),
                    },
                );
            }
        }
    }
    let mut out = Vec::new();
    visit(
        &mut out,
        Scope {
            machine: root,
            location: Location::root(),
            parent: None,
        },
    );
    out
}

/// One state met by [`states`].
#[derive(Debug, Clone)]
pub struct StateAt<'m> {
    /// The number of its (sub)workflow in [`scopes`] order.
    pub scope: usize,
    /// Its position in its (sub)workflow.
    pub position: usize,
    /// Its name.
    pub name: &'m str,
    /// The state.
    pub state: &'m State,
    /// Where it is in the whole definition.
    pub location: Location,
}

/// Every state of `root`, branches and item processors included, scope by scope in
/// [`scopes`] order.
pub fn states(root: &StateMachine) -> impl Iterator<Item = StateAt<'_>> {
    scopes(root).into_iter().enumerate().flat_map(|(scope, s)| {
        s.machine
            .states
            .iter()
            .enumerate()
            .map(move |(position, (name, state))| StateAt {
                scope,
                position,
                name,
                state,
                location: s.location.state(name, position),
            })
    })
}

/// Calls `f` on every (sub)workflow of `root`, each one's sub-workflows before itself, so
/// that `f` may rewrite a state whose branches it has already rewritten.
pub fn for_each_machine_mut(root: &mut StateMachine, f: &mut impl FnMut(&mut StateMachine)) {
    for (_, state) in root.states.iter_mut() {
        for branch in state.branches.iter_mut().flatten() {
            for_each_machine_mut(branch, f);
        }
        for processor in [&mut state.item_processor, &mut state.iterator]
            .into_iter()
            .flatten()
        {
            for_each_machine_mut(processor, f);
        }
    }
    f(root);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested() -> StateMachine {
        StateMachine::from_json(
            r#"{"StartAt": "P", "States": {
                "P": {"Type": "Parallel", "Next": "M", "Branches": [
                    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                    {"StartAt": "B", "States": {"B": {"Type": "Map", "End": true,
                        "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Task", "Resource": "r", "End": true}}}}}}]},
                "M": {"Type": "Map", "End": true,
                      "Iterator": {"StartAt": "J", "States": {"J": {"Type": "Pass", "End": true}}}}}}"#,
        )
        .unwrap()
    }

    #[test]
    fn scopes_come_in_document_order_with_their_parents() {
        let doc = nested();
        let scopes = scopes(&doc);
        let at: Vec<String> = scopes.iter().map(|s| s.location.to_string()).collect();
        assert_eq!(
            at,
            [
                "",
                "/States/P/Branches/0",
                "/States/P/Branches/1",
                "/States/P/Branches/1/States/B/ItemProcessor",
                "/States/M/Iterator",
            ]
        );
        let parent = scopes[3].parent.unwrap();
        assert_eq!((parent.scope, parent.position, parent.name), (2, 0, "B"));
        assert_eq!(parent.child, Child::ItemProcessor("ItemProcessor"));
        assert_eq!(scopes[2].parent.unwrap().child, Child::Branch(1));
    }

    #[test]
    fn states_include_those_of_item_processors() {
        let doc = nested();
        let names: Vec<(usize, &str)> = states(&doc).map(|s| (s.scope, s.name)).collect();
        assert_eq!(
            names,
            [(0, "P"), (0, "M"), (1, "A"), (2, "B"), (3, "I"), (4, "J")]
        );
        let task = states(&doc).find(|s| s.name == "I").unwrap();
        assert_eq!(
            task.location.to_string(),
            "/States/P/Branches/1/States/B/ItemProcessor/States/I"
        );
    }

    #[test]
    fn the_mutable_walk_visits_children_first() {
        let mut doc = nested();
        let mut seen = Vec::new();
        for_each_machine_mut(&mut doc, &mut |m| {
            seen.push(m.start_at.clone().unwrap_or_default());
        });
        assert_eq!(seen, ["A", "I", "B", "J", "P"]);
    }
}
