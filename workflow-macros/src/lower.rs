//! Stage 4, lowering: the checked workflow as the plan of the code to generate.
//!
//! Everything the generated code needs to know is decided here, as plain data: which
//! functions exist (one state loop per (sub)workflow, one dispatcher per Parallel), each
//! state's runtime call and where it may go (as positions in its own (sub)workflow), which
//! Task hands its output to the next as a Rust value (a typed edge), and whether an execution
//! must keep its input. [`crate::expand`] then only quotes this plan.

use std::collections::{HashMap, HashSet};

use proc_macro2::Span;
use quote::ToTokens;
use workflow_asl::walk::{self, Child};
use workflow_asl::{Location, StateType};

use crate::model::Workflow;

/// The plan of a whole expansion.
pub(crate) struct Lowered<'w> {
    /// The checked definition as JSON text, embedded in the generated code.
    pub(crate) json: String,
    /// Whether an execution keeps a copy of its input.
    pub(crate) keep_input: KeepInput<'w>,
    /// Every (sub)workflow, the top one first (`__machine_0`), in document order.
    pub(crate) machines: Vec<Machine<'w>>,
    /// The handlers whose types must fit the workflow's declared `input` and `output`.
    pub(crate) boundary: Boundary<'w>,
    /// Whether a state is JSONata: its expressions are then parsed once, on the first run.
    pub(crate) jsonata: bool,
}

/// The Tasks at the workflow's boundary whose handlers see its input or make its output as
/// they are, so that a declared `input` or `output` type is checked against them.
#[derive(Default)]
pub(crate) struct Boundary<'w> {
    /// The handler of the Task the workflow starts at, if that Task takes its input as it is
    /// (no `InputPath` or `Parameters`).
    pub(crate) first: Option<&'w syn::Path>,
    /// The handler of each Task that ends the workflow with its result as the output (no
    /// `ResultSelector`, `ResultPath` or `OutputPath`).
    pub(crate) last: Vec<&'w syn::Path>,
}

/// Whether an execution keeps a copy of its input, which only the context object
/// (`$$.Execution.Input`) reads.
pub(crate) enum KeepInput<'w> {
    /// The definition has a `$$` path somewhere.
    Always,
    /// When one of these handlers (each path once) takes a `TaskContext`, which only their
    /// types can tell.
    IfAHandlerTakesContext(Vec<&'w syn::Path>),
}

/// One (sub)workflow: an `async fn __machine_N` holding the loop over its states.
pub(crate) struct Machine<'w> {
    /// `N` in `__machine_N` and `__definition_N`.
    pub(crate) id: usize,
    /// How its definition is reached.
    pub(crate) access: Access,
    /// The position of its `StartAt` state.
    pub(crate) start: Option<usize>,
    /// Whether any Task in it hands its output on as a Rust value (it then needs `__edge`).
    pub(crate) has_edges: bool,
    /// Whether its states can loop (a transition goes back to a state at or before its own
    /// position): only then does its loop count states and yield to the executor now and
    /// then, so that an acyclic workflow pays nothing for it.
    pub(crate) can_loop: bool,
    /// Whether it is a branch or item processor whose states assign variables: it then runs
    /// in a variable scope of its own.
    pub(crate) scoped: bool,
    /// Its states, in order.
    pub(crate) states: Vec<StateCode<'w>>,
}

/// How a (sub)workflow's definition is reached from the embedded document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// The whole definition.
    Root,
    /// Branch `index` of the state at `position` in machine `parent`.
    Branch {
        parent: usize,
        position: usize,
        index: usize,
    },
    /// The item processor of the state at `position` in machine `parent`.
    ItemProcessor { parent: usize, position: usize },
}

/// One state's arm in its machine's loop.
pub(crate) struct StateCode<'w> {
    /// Its `next` (a position in the same machine), or `None` for `end`.
    pub(crate) next: Option<usize>,
    /// The `next` of each catcher, in catcher order.
    pub(crate) catch: Vec<usize>,
    /// The runtime call that runs it.
    pub(crate) run: Run<'w>,
}

impl StateCode<'_> {
    /// Every state it may go to: `next`, catchers, Choice targets and default.
    pub(crate) fn targets(&self) -> impl Iterator<Item = usize> + '_ {
        let choice = match &self.run {
            Run::Choice { targets, default } => Some(targets.iter().copied().chain(*default)),
            _ => None,
        };
        self.next
            .into_iter()
            .chain(self.catch.iter().copied())
            .chain(choice.into_iter().flatten())
    }
}

/// Which runtime function runs a state, with what only that kind of state needs.
pub(crate) enum Run<'w> {
    Pass,
    Succeed,
    Fail,
    Wait,
    /// The target of each rule, in order, and the default.
    Choice {
        targets: Vec<usize>,
        default: Option<usize>,
    },
    Task(Task<'w>),
    /// A Task that starts this child workflow (`workflow: Child`).
    Start(&'w syn::Path),
    /// A dispatcher `__branches_M_P` over these machines, one per branch.
    Parallel {
        branches: Vec<usize>,
    },
    /// The machine run for each item; a Distributed Map's reader and writer handlers, and
    /// whether each item runs as a child execution (labelled with the Map Run's label).
    Map {
        iteration: usize,
        reader: Option<&'w syn::Path>,
        writer: Option<&'w syn::Path>,
        child: Option<String>,
    },
}

/// A Task state: its handler, and the typed edges that end or start at it.
pub(crate) struct Task<'w> {
    pub(crate) handler: &'w syn::Path,
    /// The Tasks whose output reaches this one as a Rust value.
    pub(crate) incoming: Vec<Incoming<'w>>,
    /// Whether this Task's output goes to its `next` as a Rust value.
    pub(crate) typed_out: bool,
    /// Whether it is a plain Task (`State::is_plain_task`): run as its handler's call alone.
    pub(crate) plain: bool,
}

/// A typed edge into a Task.
pub(crate) struct Incoming<'w> {
    /// The position of the Task it comes from.
    pub(crate) from: usize,
    /// That Task's handler.
    pub(crate) handler: &'w syn::Path,
    /// Where that Task wrote its `next` (a mismatch between the two handlers is reported
    /// there, as well as at this handler).
    pub(crate) next_span: Span,
}

/// Plans the expansion of a checked `workflow`.
///
/// # Errors
/// Only if the definition cannot be serialized, which a checked definition always can.
pub(crate) fn lower(workflow: &Workflow) -> syn::Result<Lowered<'_>> {
    let json = serde_json::to_string(&workflow.definition).map_err(|e| {
        syn::Error::new_spanned(
            &workflow.ident,
            format!("cannot serialize the definition: {e}"),
        )
    })?;
    let keep_input = keep_input(workflow, &json);
    let handlers: HashMap<&Location, &syn::Path> = workflow
        .handlers
        .iter()
        .filter(|h| h.role != "workflow")
        .map(|h| (&h.location, &h.path))
        .collect();
    let scopes = walk::scopes(&workflow.definition);
    // The sub-workflows of each state, by (machine, position, which child).
    let children: HashMap<(usize, usize, Child), usize> = scopes
        .iter()
        .enumerate()
        .filter_map(|(id, s)| {
            let p = s.parent?;
            Some(((p.scope, p.position, p.child), id))
        })
        .collect();
    let machines = scopes
        .iter()
        .enumerate()
        .map(|(id, scope)| {
            let access = match scope.parent {
                None => Access::Root,
                Some(p) => match p.child {
                    Child::Branch(index) => Access::Branch {
                        parent: p.scope,
                        position: p.position,
                        index,
                    },
                    Child::ItemProcessor(_) => Access::ItemProcessor {
                        parent: p.scope,
                        position: p.position,
                    },
                },
            };
            machine(workflow, &handlers, &children, id, scope, access)
        })
        .collect::<syn::Result<_>>()?;
    let boundary = boundary(workflow, &handlers);
    Ok(Lowered {
        json,
        keep_input,
        jsonata: {
            let top = workflow.definition.query_language.unwrap_or_default();
            workflow_asl::walk::states(&workflow.definition).any(|s| {
                s.state.query_language.unwrap_or(top) == workflow_asl::QueryLanguage::Jsonata
            })
        },
        machines,
        boundary,
    })
}

/// The child workflow the Task at `location` starts (`workflow: Child`), if it names one.
fn child_workflow<'w>(workflow: &'w Workflow, location: &Location) -> Option<&'w syn::Path> {
    workflow
        .handlers
        .iter()
        .find(|h| h.role == "workflow" && &h.location == location)
        .map(|h| &h.path)
}

/// The Tasks of the top-level workflow whose handlers meet its input or output as they are.
fn boundary<'w>(
    workflow: &'w Workflow,
    handlers: &HashMap<&Location, &'w syn::Path>,
) -> Boundary<'w> {
    let machine = &workflow.definition;
    let root = Location::root();
    let handler = |name: &str, at: usize| handlers.get(&root.state(name, at)).copied();
    let tasks = || {
        machine
            .states
            .iter()
            .enumerate()
            .filter(|(_, (_, state))| state.kind == StateType::Task)
    };
    let first = tasks()
        .find(|(_, (name, state))| {
            machine.start_at.as_deref() == Some(*name) && state.takes_its_input()
        })
        .and_then(|(at, (name, _))| handler(name, at));
    let last = tasks()
        .filter(|(_, (_, state))| state.end == Some(true) && state.outputs_its_result())
        .filter_map(|(at, (name, _))| handler(name, at))
        .collect();
    Boundary { first, last }
}

/// `$$` anywhere in the definition means the input must be kept; otherwise only a handler
/// that takes a `TaskContext` can read it.
fn keep_input<'w>(workflow: &'w Workflow, json: &str) -> KeepInput<'w> {
    // A JSONata expression reads the context object as `$states.context`.
    if json.contains("$$") || json.contains("$states.context") {
        return KeepInput::Always;
    }
    let mut seen = HashSet::new();
    KeepInput::IfAHandlerTakesContext(
        workflow
            .handlers
            .iter()
            .filter(|h| seen.insert(h.path.to_token_stream().to_string()))
            .map(|h| &h.path)
            .collect(),
    )
}

fn machine<'w>(
    workflow: &'w Workflow,
    handlers: &HashMap<&Location, &'w syn::Path>,
    children: &HashMap<(usize, usize, Child), usize>,
    id: usize,
    scope: &walk::Scope<'w>,
    access: Access,
) -> syn::Result<Machine<'w>> {
    let states = &scope.machine.states;
    // Looked up once per state and per transition: indexed, so that lowering stays linear in
    // the number of states.
    let positions: HashMap<&str, usize> = states
        .iter()
        .enumerate()
        .map(|(p, (name, _))| (name, p))
        .collect();
    let position = |name: Option<&str>| name.and_then(|n| positions.get(n).copied());
    let handler_of = |name: &str, at: usize| handlers.get(&scope.location.state(name, at)).copied();
    // Typed edges (from, to): a Task's output that reaches the next Task unchanged passes as
    // a Rust value, carried between the two arms in the one `__edge` variable.
    let edges: Vec<(usize, usize)> = states
        .iter()
        .enumerate()
        .filter_map(|(from, (name, state))| {
            let to = position(state.next.as_deref())?;
            let (next_name, next) = states.entry(to);
            let typed = state.hands_output_to(next)
                && handler_of(name, from).is_some()
                && handler_of(next_name, to).is_some();
            typed.then_some((from, to))
        })
        .collect();
    let codes: Vec<StateCode<'w>> = states
        .iter()
        .enumerate()
        .map(|(at, (name, state))| {
            let run = match state.kind {
                StateType::Pass => Run::Pass,
                StateType::Succeed => Run::Succeed,
                StateType::Fail => Run::Fail,
                StateType::Wait => Run::Wait,
                StateType::Choice => Run::Choice {
                    targets: state
                        .choices
                        .iter()
                        .flatten()
                        .filter_map(|r| position(r.next.as_deref()))
                        .collect(),
                    default: position(state.default.as_deref()),
                },
                StateType::Parallel => Run::Parallel {
                    branches: (0..state.branches.as_ref().map_or(0, Vec::len))
                        .filter_map(|i| children.get(&(id, at, Child::Branch(i))).copied())
                        .collect(),
                },
                StateType::Map => Run::Map {
                    iteration: state
                        .processor()
                        .and_then(|(key, _)| {
                            children.get(&(id, at, Child::ItemProcessor(key))).copied()
                        })
                        .unwrap_or_default(),
                    reader: handlers
                        .get(&scope.location.state(name, at).key("ItemReader"))
                        .copied(),
                    writer: handlers
                        .get(&scope.location.state(name, at).key("ResultWriter"))
                        .copied(),
                    child: state
                        .is_distributed()
                        .then(|| state.label.clone().unwrap_or_else(|| (*name).to_owned())),
                },
                // A checked Task has a handler (`check_handlers`); lowering runs only on
                // checked workflows.
                StateType::Task => match (
                    child_workflow(workflow, &scope.location.state(name, at)),
                    handler_of(name, at),
                ) {
                    (Some(child), _) => Run::Start(child),
                    (None, None) => {
                        return Err(syn::Error::new_spanned(
                            &workflow.ident,
                            format!("Task state `{name}` has no `handler`"),
                        ))
                    }
                    (None, Some(handler)) => Run::Task(Task {
                        handler,
                        incoming: edges
                            .iter()
                            .filter(|e| e.1 == at)
                            .filter_map(|&(from, _)| {
                                let (from_name, _) = states.entry(from);
                                Some(Incoming {
                                    from,
                                    handler: handler_of(from_name, from)?,
                                    next_span: workflow
                                        .spans
                                        .find(&scope.location.state(from_name, from).key("Next"))
                                        .map_or_else(Span::call_site, |r| r.start),
                                })
                            })
                            .collect(),
                        typed_out: edges.iter().any(|e| e.0 == at),
                        plain: state.is_plain_task(),
                    }),
                },
            };
            Ok(StateCode {
                next: position(state.next.as_deref()),
                catch: state
                    .catch
                    .iter()
                    .flatten()
                    .filter_map(|c| position(Some(&c.next)))
                    .collect(),
                run,
            })
        })
        .collect::<syn::Result<_>>()?;
    let can_loop = codes
        .iter()
        .enumerate()
        .any(|(at, code)| code.targets().any(|t| t <= at));
    Ok(Machine {
        id,
        scoped: !matches!(access, Access::Root) && workflow_asl::variables::assigns(scope.machine),
        access,
        start: position(scope.machine.start_at.as_deref()),
        has_edges: !edges.is_empty(),
        can_loop,
        states: codes,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ctxt::Ctxt;
    use crate::model::build;

    pub(crate) fn read(input: crate::parse::Input) -> Workflow {
        let cx = Ctxt::new();
        let w = build(input, &cx);
        cx.check().unwrap();
        w
    }

    pub(crate) fn nested() -> Workflow {
        read(syn::parse_quote! {
            (::workflow)
            pub W {
                start_at: Outer,
                states: {
                    Outer: Parallel {
                        branches: [
                            { start_at: Inner, states: { Inner: Parallel {
                                branches: [{ start_at: Leaf, states: { Leaf: Pass { end: true } } }],
                                end: true,
                            } } },
                            { start_at: Two, states: { Two: Task { resource: "arn", handler: crate::t, end: true } } },
                        ],
                        catch: [{ next: Caught }],
                        next: Done,
                    },
                    Caught: Fail { error: "E" },
                    Done: Succeed {},
                }
            }
        })
    }

    #[test]
    fn machines_come_in_document_order_with_their_access() {
        let w = nested();
        let lowered = lower(&w).unwrap();
        let access: Vec<Access> = lowered.machines.iter().map(|m| m.access).collect();
        assert_eq!(
            access,
            [
                Access::Root,
                Access::Branch {
                    parent: 0,
                    position: 0,
                    index: 0
                },
                Access::Branch {
                    parent: 1,
                    position: 0,
                    index: 0
                },
                Access::Branch {
                    parent: 0,
                    position: 0,
                    index: 1
                },
            ]
        );
        let top = &lowered.machines[0];
        assert_eq!(top.start, Some(0));
        let outer = &top.states[0];
        assert_eq!((outer.next, outer.catch.as_slice()), (Some(2), &[1][..]));
        assert!(matches!(&outer.run, Run::Parallel { branches } if branches == &[1, 3]));
        assert!(matches!(
            lowered.machines[1].states[0].run,
            Run::Parallel { ref branches } if branches == &[2]
        ));
        assert!(
            matches!(lowered.keep_input, KeepInput::IfAHandlerTakesContext(ref h) if h.len() == 1)
        );
    }

    #[test]
    fn typed_edges_join_tasks_whose_output_reaches_the_next_unchanged() {
        let w = read(syn::parse_quote! {
            (::workflow)
            W {
                start_at: A,
                states: {
                    A: Task { resource: "arn", handler: a, next: B },
                    B: Task { resource: "arn", handler: b, result_path: "$.b", next: C },
                    C: Task { resource: "arn", handler: a, next: D },
                    D: Choice { choices: [{ variable: "$$.Execution.Id", is_present: true, next: A }], default: E },
                    E: Succeed {},
                }
            }
        });
        let lowered = lower(&w).unwrap();
        let m = &lowered.machines[0];
        assert!(m.has_edges);
        let task = |i: usize| match &m.states[i].run {
            Run::Task(t) => t,
            _ => panic!("state {i} is a Task"),
        };
        // A -> B is typed: A's output is its result and B takes its raw input.
        assert!(task(0).typed_out && task(0).plain);
        assert_eq!(
            task(1).incoming.iter().map(|e| e.from).collect::<Vec<_>>(),
            [0]
        );
        // B -> C is not: B places its result with `ResultPath`.
        assert!(!task(1).typed_out && !task(1).plain);
        assert!(task(2).incoming.is_empty());
        assert!(
            matches!(&m.states[3].run, Run::Choice { targets, default } if targets == &[0] && *default == Some(4))
        );
        assert!(
            matches!(lowered.keep_input, KeepInput::Always),
            "a `$$` path reads the input"
        );
    }

    #[test]
    fn a_map_runs_its_item_processor() {
        let w = read(syn::parse_quote! {
            (::workflow)
            W {
                start_at: M,
                states: {
                    M: Map { item_processor: { start_at: I, states: { I: Pass { end: true } } }, end: true },
                }
            }
        });
        let lowered = lower(&w).unwrap();
        assert!(matches!(
            lowered.machines[0].states[0].run,
            Run::Map {
                iteration: 1,
                reader: None,
                writer: None,
                child: None
            }
        ));
        assert_eq!(
            lowered.machines[1].access,
            Access::ItemProcessor {
                parent: 0,
                position: 0
            }
        );
    }

    #[test]
    fn the_boundary_is_the_start_task_taking_its_input_and_the_end_tasks_giving_their_result() {
        let w = read(syn::parse_quote! {
            (::workflow)
            W {
                input: In,
                output: Out,
                start_at: A,
                states: {
                    A: Task { resource: "arn", handler: a, next: Pick },
                    Pick: Choice { choices: [{ variable: "$.x", is_present: true, next: B }], default: C },
                    B: Task { resource: "arn", handler: b, end: true },
                    C: Task { resource: "arn", handler: c, result_path: "$.c", end: true },
                }
            }
        });
        let lowered = lower(&w).unwrap();
        let name = |p: &syn::Path| p.to_token_stream().to_string();
        assert_eq!(lowered.boundary.first.map(name).as_deref(), Some("a"));
        // C places its result in its input: its handler does not make the output as it is.
        let last: Vec<String> = lowered.boundary.last.iter().map(|p| name(p)).collect();
        assert_eq!(last, ["b"]);

        let w = read(syn::parse_quote! {
            (::workflow)
            W {
                start_at: A,
                states: { A: Task { resource: "arn", handler: a, parameters: {"k": 1}, end: true } }
            }
        });
        let lowered = lower(&w).unwrap();
        assert!(
            lowered.boundary.first.is_none(),
            "`parameters` reshapes the input"
        );
        assert_eq!(lowered.boundary.last.len(), 1);
    }

    #[test]
    fn only_a_machine_whose_states_can_loop_counts_them() {
        let w = read(syn::parse_quote! {
            (::workflow)
            W {
                start_at: P,
                states: {
                    P: Pass { next: C },
                    C: Choice { choices: [{ variable: "$.stop", is_present: true, next: E }], default: P },
                    E: Succeed {},
                }
            }
        });
        assert!(lower(&w).unwrap().machines[0].can_loop, "C goes back to P");
        assert!(!lower(&nested())
            .unwrap()
            .machines
            .iter()
            .any(|m| m.can_loop));
    }
}
