//! The definition rules: what makes an ASL document well formed.
//!
//! [`validate`] runs every rule and returns every problem at once, each with the
//! [`Location`] of the offending member. The `workflow!` macro turns the locations back into
//! spans of the user's tokens; a reader of an existing document prints them as JSON Pointers.

mod choice;
mod fields;
mod graph;
mod language;
mod numbers;
mod paths;
mod recovery;
mod states;

use std::collections::HashMap;

use crate::document::{QueryLanguage, StateMachine};
use crate::location::Location;

use self::choice::check_choice;
use self::fields::check_fields_allowed;
use self::graph::{
    check_execution_timeout, check_reachable, check_start_at, check_targets, check_transition,
    check_unique_names,
};
use self::language::check_language;
use self::numbers::check_numeric;
use self::paths::{check_path, check_result_path, check_template};
use self::recovery::{check_catchers, check_retriers};
use self::states::{
    check_fail, check_heartbeat, check_map, check_parallel, check_quorum, check_task, check_wait,
};

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
        top_language: machine.query_language.unwrap_or_default(),
    };
    // Rule: `QueryLanguage` is a member of the definition, beside `States`, not inside it
    // (where it would be a state that is not one). Read as meant, so that the states are
    // checked in the language their author chose rather than reported one by one.
    if machine.query_language.is_none() {
        let misplaced = machine
            .states
            .others()
            .iter()
            .find(|(name, _)| name == "QueryLanguage")
            .and_then(|(_, value)| value.as_str().and_then(QueryLanguage::from_name));
        if let Some(language) = misplaced {
            v.top_language = language;
        }
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
    /// The definition's query language, every state's default.
    pub(super) top_language: QueryLanguage,
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
            if name == "QueryLanguage" && value.is_string() {
                let message = format!(
                    "`{}` belongs beside `{}`, at the top of the definition, not inside it; as written, it is a state that is not one and every state is JSONPath",
                    self.f("QueryLanguage"),
                    self.f("States")
                );
                self.report(loc.key("States").key(name), message);
                continue;
            }
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
            check_language(self, name, state, &sloc);
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
            check_numeric(
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

#[cfg(test)]
mod tests;
