//! Stage 4, code: the checked workflow as typed async Rust.
//!
//! Every (sub)workflow becomes one `async fn` holding a loop over a `Copy` enum of its
//! states; each arm calls the runtime function for its state type, which applies all of ASL's
//! rules and says where to go next. Each Parallel state gets a dispatch `async fn` that runs
//! branch `i`. The checked definition is embedded as JSON text and parsed once: it is both
//! what `asl()` exports and where the runtime reads each state's retriers and paths.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use workflow_asl::{Location, StateMachine, StateType};

use crate::model::Workflow;

/// One (sub)workflow to generate, with the expression that reaches its definition.
struct Machine<'w> {
    id: usize,
    definition: &'w StateMachine,
    location: Location,
    /// An expression of type `&'static StateMachine`.
    access: TokenStream,
}

/// Every (sub)workflow, the top one first, with branches numbered in document order.
fn machines(workflow: &Workflow) -> Vec<Machine<'_>> {
    let mut out = vec![Machine {
        id: 0,
        definition: &workflow.definition,
        location: Location::root(),
        access: quote!(&*__DEFINITION),
    }];
    let mut next = 0;
    while next < out.len() {
        let (definition, location, id) = (
            out[next].definition,
            out[next].location.clone(),
            out[next].id,
        );
        for (position, (name, state)) in definition.states.iter().enumerate() {
            for (i, branch) in state.branches.iter().flatten().enumerate() {
                let definition_fn = format_ident!("__definition_{}", id);
                let count = out.len();
                out.push(Machine {
                    id: count,
                    definition: branch,
                    location: location.state(name, position).key("Branches").index(i),
                    access: quote!(__wf::branch(#definition_fn().states.at(#position), #i)),
                });
            }
            if let Some(processor) = &state.item_processor {
                let definition_fn = format_ident!("__definition_{}", id);
                let count = out.len();
                out.push(Machine {
                    id: count,
                    definition: processor,
                    location: location.state(name, position).key("ItemProcessor"),
                    access: quote!(__wf::item_processor(#definition_fn().states.at(#position))),
                });
            }
        }
        next += 1;
    }
    out
}

/// The id of the branch `index` of the state at `position` in machine `parent`.
fn branch_id(
    machines: &[Machine<'_>],
    parent: &Location,
    name: &str,
    position: usize,
    index: usize,
) -> usize {
    let location = parent.state(name, position).key("Branches").index(index);
    machines
        .iter()
        .position(|m| m.location == location)
        .unwrap_or_default()
}

/// Generates the workflow type, its inherent methods and its `Workflow` impl.
///
/// # Errors
/// Only if the definition cannot be serialized, which a checked definition always can.
// Input:
//     pub Demo { start_at: A, states: { A: Pass { end: true } } }
// Output:
//     pub struct Demo;
//     const _: () = {
//         use ::workflow::__private as __wf;
//         static __DEFINITION: __wf::LazyLock<__wf::StateMachine> = ...("{\"StartAt\":\"A\",...}");
//         impl Demo { pub fn definition() ...; pub fn asl() ...; pub async fn run(&self, input) ... }
//         impl __wf::Workflow for Demo { ... }
//         fn __definition_0() -> &'static __wf::StateMachine { &*__DEFINITION }
//         async fn __machine_0(__input: __wf::Value) -> Result<__wf::Value, __wf::Error> {
//             enum __S { S0 }
//             let mut __state = __S::S0; let mut __data = __input;
//             loop {
//                 let __step = match __state { __S::S0 => { ...; __wf::pass(__name, __st, __data, None) } }?;
//                 match __step { Step::Next(s, v) => { __state = s; __data = v } Step::End(v) => return Ok(v) }
//             }
//         }
//     };
pub(crate) fn expand(workflow: &Workflow) -> syn::Result<TokenStream> {
    let json = serde_json::to_string(&workflow.definition).map_err(|e| {
        syn::Error::new_spanned(
            &workflow.ident,
            format!("cannot serialize the definition: {e}"),
        )
    })?;
    let name = workflow.ident.to_string();
    let keep_input = keeps_input(workflow, &json);
    let machines = machines(workflow);
    let functions = machines.iter().map(|m| machine_fn(workflow, &machines, m));
    Ok(surface(
        workflow,
        &Bodies {
            items: quote! {
                // The checked definition, embedded by `workflow!` and parsed on first use.
                static __DEFINITION: __wf::LazyLock<__wf::StateMachine> =
                    __wf::LazyLock::new(|| __wf::parse_definition(#json));

                #(#functions)*
            },
            definition: quote!(&__DEFINITION),
            run: quote!(async move {
                let __execution = __wf::Execution::of(#name, #keep_input.then_some(&input));
                __wf::execute(&__DEFINITION, __machine_0(&__execution, input)).await
            }),
        },
    ))
}

/// An expression: whether an execution must keep a copy of its input, which only the
/// context object (`$$.Execution.Input`) reads. It must when the definition (`json`) has a
/// `$$` path anywhere, or when a handler takes a `TaskContext`; which handlers do is a
/// property of their types, asked of each (once per distinct path) through `__wf::Probe`,
/// which never reports an error of its own for a path that is not a handler.
// Output: `(false || { use ...; (&__wf::Probe(&charge)).takes_context() } || ...)`
fn keeps_input(workflow: &Workflow, json: &str) -> TokenStream {
    if json.contains("$$") {
        return quote!(true);
    }
    let mut seen = std::collections::HashSet::new();
    let probes = workflow
        .handlers
        .iter()
        .filter(|h| seen.insert(h.path.to_token_stream().to_string()))
        .map(|h| {
            let path = &h.path;
            quote! {
                || {
                    use __wf::{ProbeHandler as _, ProbeOther as _};
                    (&__wf::Probe(&#path)).takes_context()
                }
            }
        });
    quote!((false #(#probes)*))
}

/// The bodies that [`surface`] puts in the generated type's methods.
pub(crate) struct Bodies {
    /// Items placed next to the impls (the definition and the state functions).
    pub(crate) items: TokenStream,
    /// An expression of type `&'static StateMachine`.
    pub(crate) definition: TokenStream,
    /// An expression of a `Send` future of the execution, which may use `input`.
    pub(crate) run: TokenStream,
}

/// The workflow type with its API: inherent `definition`, `asl`, `asl_pretty` and `run`, and
/// the `Workflow` impl. Both the real expansion and the fallback skeleton are made here, so
/// that the type a user sees is the same whether or not the definition has errors.
// Input: `pub Demo`, and the bodies.
// Output:
//     pub struct Demo;
//     const _: () = { use ::workflow::__private as __wf; #items impl Demo { ... } impl __wf::Workflow for Demo { ... } };
pub(crate) fn surface(workflow: &Workflow, bodies: &Bodies) -> TokenStream {
    let Workflow {
        krate,
        attrs,
        vis,
        ident,
        ..
    } = workflow;
    let name = ident.to_string();
    let Bodies {
        items,
        definition,
        run,
    } = bodies;
    quote! {
        #(#attrs)*
        #vis struct #ident;

        #[allow(clippy::all, clippy::pedantic, non_snake_case, unreachable_code, unused_variables)]
        const _: () = {
            use #krate::__private as __wf;

            #items

            #[automatically_derived]
            impl #ident {
                /// The checked ASL definition of this workflow.
                #vis fn definition() -> &'static __wf::StateMachine {
                    #definition
                }

                /// The ASL definition as JSON, as AWS Step Functions takes it (quorum records
                /// go to the table `${QuorumTable}`, a substitution).
                #vis fn asl() -> __wf::Value {
                    <Self as __wf::Workflow>::asl()
                }

                /// The ASL definition as JSON, exported with `options`.
                #vis fn asl_with(options: &__wf::ExportOptions) -> __wf::Value {
                    <Self as __wf::Workflow>::asl_with(options)
                }

                /// The ASL definition, pretty-printed.
                #vis fn asl_pretty() -> ::std::string::String {
                    <Self as __wf::Workflow>::asl_pretty()
                }

                /// Runs one execution on `input`: its output, or the error that failed it.
                #vis async fn run(&self, input: __wf::Value) -> ::core::result::Result<__wf::Value, __wf::Error> {
                    #run.await
                }
            }

            #[automatically_derived]
            impl __wf::Workflow for #ident {
                const NAME: &'static str = #name;

                fn definition() -> &'static __wf::StateMachine {
                    #definition
                }

                fn run(&self, input: __wf::Value) -> impl ::core::future::Future<
                    Output = ::core::result::Result<__wf::Value, __wf::Error>,
                > + ::core::marker::Send {
                    #run
                }
            }
        };
    }
}

/// The functions of one (sub)workflow: its definition accessor, its state loop, and a branch
/// dispatcher per Parallel state.
fn machine_fn(workflow: &Workflow, machines: &[Machine<'_>], m: &Machine<'_>) -> TokenStream {
    let definition_fn = format_ident!("__definition_{}", m.id);
    let machine_fn = format_ident!("__machine_{}", m.id);
    let access = &m.access;
    let states = &m.definition.states;
    // Looked up once per state and per transition: indexed, so that expansion stays linear
    // in the number of states.
    let positions: std::collections::HashMap<&str, usize> = states
        .iter()
        .enumerate()
        .map(|(p, (name, _))| (name, p))
        .collect();
    let variant = |name: &str| positions.get(name).map(|p| format_ident!("S{}", p));
    let variants: Vec<_> = (0..states.len()).map(|p| format_ident!("S{}", p)).collect();
    let start = m.definition.start_at.as_deref().and_then(variant);
    let handlers: std::collections::HashMap<&Location, &syn::Path> = workflow
        .handlers
        .iter()
        .map(|h| (&h.location, &h.path))
        .collect();
    let handler_of =
        |name: &str, position: usize| handlers.get(&m.location.state(name, position)).copied();
    // Typed edges (from, to): a Task's output that reaches the next Task unchanged passes as
    // a Rust value, carried between the two arms in the one `__edge` variable, tagged with
    // the producing state (see `__wf::Carried`).
    let edges: Vec<(usize, usize)> = states
        .iter()
        .enumerate()
        .filter_map(|(from, (name, state))| {
            let to = *positions.get(state.next.as_deref()?)?;
            let (next_name, next) = states.entry(to);
            let typed = state.hands_output_to(next)
                && handler_of(name, from).is_some()
                && handler_of(next_name, to).is_some();
            typed.then_some((from, to))
        })
        .collect();
    let edge_decl = if edges.is_empty() {
        quote!()
    } else {
        quote! {
            let mut __edge: ::core::option::Option<__wf::Carried> = ::core::option::Option::None;
        }
    };
    let mut dispatchers = Vec::new();
    let arms = states.iter().enumerate().map(|(position, (name, state))| {
        let v = &variants[position];
        let next = match state.next.as_deref().and_then(variant) {
            Some(target) => quote!(::core::option::Option::Some(__S::#target)),
            None => quote!(::core::option::Option::<__S>::None),
        };
        let catch = state
            .catch
            .iter()
            .flatten()
            .filter_map(|c| variant(&c.next));
        let exits = quote!(__wf::Exits { next: #next, catch: &[#(__S::#catch),*] });
        let call = match state.kind {
            StateType::Pass => quote!(__wf::pass(__name, __st, __execution, __data, #next)),
            StateType::Succeed => quote!(__wf::succeed::<__S>(__name, __st, __data)),
            StateType::Fail => quote!(__wf::fail::<__S>(__name, __st, &__data)),
            StateType::Wait => quote!(__wf::wait(__name, __st, __data, #next).await),
            StateType::Task => {
                let handler = handler_of(name, position);
                // Located at the handler, so that a handler that does not fit is reported at
                // the user's token, but resolved where the generated locals live.
                let span = handler.map_or_else(proc_macro2::Span::call_site, |h| {
                    proc_macro2::Span::call_site().located_at(h.span())
                });
                let incoming: Vec<usize> = edges.iter().filter(|e| e.1 == position).map(|e| e.0).collect();
                let outgoing = edges.iter().find(|e| e.0 == position).map(|e| e.0);
                if incoming.is_empty() && outgoing.is_none() {
                    quote_spanned!(span=> __wf::task(__name, __st, __execution, __data, #exits, &#handler).await)
                } else {
                    // Each incoming edge's value must fit this handler: `accept` is spanned at
                    // this handler, and its call at the `next` that leads here.
                    let takes = incoming.iter().map(|from| {
                        let (from_name, _) = states.entry(*from);
                        let from_handler = handler_of(from_name, *from);
                        let next_span = workflow
                            .spans
                            .find(&m.location.state(from_name, *from).key("Next"))
                            .map_or_else(proc_macro2::Span::call_site, |r| r.start);
                        let accept = quote_spanned!(proc_macro2::Span::call_site().located_at(next_span)=> __wf::accept_from);
                        let handler = quote_spanned!(span=> &#handler);
                        quote! {
                            ::core::option::Option::Some((#from, _)) => #accept(&#from_handler, #handler, __st, &mut __edge)?,
                        }
                    });
                    let typed_out = outgoing.is_some();
                    let call = quote_spanned!(span=> __wf::task_edge(__name, __st, __execution, __in, #exits, &#handler, #typed_out).await);
                    let target = state.next.as_deref().and_then(variant);
                    let hand_on = if state.is_plain_task() {
                        // A plain Task is its handler's call: its output goes on as it is, or
                        // as JSON to a state that takes JSON.
                        let call = quote_spanned!(span=> __wf::plain_task(__name, __execution, __in, &#handler).await);
                        match (outgoing, target) {
                            (Some(from), Some(target)) => quote! {{
                                let __output = #call?;
                                __wf::carry(&mut __edge, #from, __output);
                                ::core::result::Result::Ok(__wf::Step::Next(__S::#target, __wf::Value::Null))
                            }},
                            (_, Some(target)) => quote! {
                                __wf::encode(#call?).map(|__v| __wf::Step::Next(__S::#target, __v))
                            },
                            (_, None) => quote!(__wf::encode(#call?).map(__wf::Step::End)),
                        }
                    } else {
                        match outgoing {
                        Some(from) => quote! {
                            match #call? {
                                __wf::Handoff::Typed(__target, __output) => {
                                    __wf::carry(&mut __edge, #from, __output);
                                    ::core::result::Result::Ok(__wf::Step::Next(__target, __wf::Value::Null))
                                }
                                __wf::Handoff::Step(__step) => ::core::result::Result::Ok(__step),
                            }
                        },
                        None => quote!(#call.and_then(__wf::Handoff::into_step)),
                        }
                    };
                    quote! {{
                        // The edge's value is taken out: it belongs to this state alone.
                        let __in = match __edge {
                            #(#takes)*
                            _ => __wf::Edge::Json(__data),
                        };
                        #hand_on
                    }}
                }
            }
            StateType::Parallel => {
                let dispatch = format_ident!("__branches_{}_{}", m.id, position);
                let count = state.branches.as_ref().map_or(0, Vec::len);
                let ids: Vec<usize> = (0..count)
                    .map(|i| branch_id(machines, &m.location, name, position, i))
                    .collect();
                dispatchers.push(dispatcher(&dispatch, &ids));
                quote!(__wf::parallel(__name, __st, __execution, __data, #exits, |__i, __v| #dispatch(__execution, __i, __v)).await)
            }
            StateType::Choice => {
                let targets = state.choices.iter().flatten().filter_map(|r| r.next.as_deref().and_then(variant));
                let default = match state.default.as_deref().and_then(variant) {
                    Some(target) => quote!(::core::option::Option::Some(__S::#target)),
                    None => quote!(::core::option::Option::<__S>::None),
                };
                quote!(__wf::choice(__name, __st, __execution, __data, &[#(__S::#targets),*], #default))
            }
            StateType::Map => {
                let location = m.location.state(name, position).key("ItemProcessor");
                let id = machines.iter().position(|p| p.location == location).unwrap_or_default();
                let iteration = format_ident!("__machine_{}", id);
                quote!(__wf::map(__name, __st, __execution, __data, #exits, |__v| #iteration(__execution, __v)).await)
            }
        };
        quote! {
            __S::#v => {
                let (__name, __st) = __states.entry(#position);
                #call
            }
        }
    });
    let arms: Vec<_> = arms.collect();
    quote! {
        fn #definition_fn() -> &'static __wf::StateMachine {
            #access
        }

        async fn #machine_fn(__execution: &__wf::Execution, __input: __wf::Value) -> ::core::result::Result<__wf::Value, __wf::Error> {
            #[derive(Clone, Copy)]
            enum __S { #(#variants),* }
            let __states = &#definition_fn().states;
            let mut __state = __S::#start;
            let mut __data = __input;
            #edge_decl
            loop {
                let __step = match __state {
                    #(#arms)*
                }?;
                match __step {
                    __wf::Step::Next(__target, __output) => {
                        __state = __target;
                        __data = __output;
                    }
                    __wf::Step::End(__output) => return ::core::result::Result::Ok(__output),
                }
            }
        }

        #(#dispatchers)*
    }
}

/// `async fn __branches_M_P(index, input)`: runs branch `index` of a Parallel state. The last
/// branch takes every index past the others, so no arm is unreachable.
fn dispatcher(name: &syn::Ident, ids: &[usize]) -> TokenStream {
    let Some((last, rest)) = ids.split_last() else {
        return quote! {
            async fn #name(_: &__wf::Execution, _: usize, __input: __wf::Value) -> ::core::result::Result<__wf::Value, __wf::Error> {
                ::core::result::Result::Ok(__input)
            }
        };
    };
    let indexes = 0..rest.len();
    let rest = rest.iter().map(|id| format_ident!("__machine_{}", id));
    let last = format_ident!("__machine_{}", last);
    quote! {
        async fn #name(__execution: &__wf::Execution, __index: usize, __input: __wf::Value) -> ::core::result::Result<__wf::Value, __wf::Error> {
            match __index {
                #(#indexes => #rest(__execution, __input).await,)*
                _ => #last(__execution, __input).await,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctxt::Ctxt;
    use crate::model::build;

    fn read(input: crate::parse::Input) -> Workflow {
        let cx = Ctxt::new();
        let w = build(input, &cx);
        cx.check().unwrap();
        w
    }

    fn nested() -> Workflow {
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
    fn machines_are_numbered_breadth_first_with_their_access_paths() {
        let w = nested();
        let ms = machines(&w);
        let locations: Vec<String> = ms.iter().map(|m| m.location.to_string()).collect();
        assert_eq!(
            locations,
            [
                "",
                "/States/Outer/Branches/0",
                "/States/Outer/Branches/1",
                "/States/Outer/Branches/0/States/Inner/Branches/0"
            ]
        );
        assert_eq!(
            ms[3].access.to_string(),
            "__wf :: branch (__definition_1 () . states . at (0usize) , 0usize)"
        );
        assert_eq!(branch_id(&ms, &Location::root(), "Outer", 0, 1), 2);
    }

    #[test]
    fn the_expansion_is_valid_rust_that_embeds_the_checked_definition() {
        let w = nested();
        let tokens = expand(&w).unwrap();
        let file: syn::File = syn::parse2(tokens.clone()).unwrap();
        assert_eq!(file.items.len(), 2, "the struct and one `const _` block");
        let text = tokens.to_string();
        let embedded = serde_json::to_string(&w.definition).unwrap();
        assert!(
            text.contains(&format!("{:?}", embedded)),
            "the definition is embedded as JSON text"
        );
        for f in [
            "__machine_0",
            "__machine_1",
            "__machine_2",
            "__machine_3",
            "__branches_0_0",
            "__branches_1_0",
        ] {
            assert!(text.contains(&format!("async fn {f}")), "{f} is generated");
        }
        // The Parallel's next and its catcher resolve to states of its own machine.
        assert!(text.contains("__wf :: parallel (__name , __st , __execution , __data , __wf :: Exits { next : :: core :: option :: Option :: Some (__S :: S2) , catch : & [__S :: S1] } , | __i , __v | __branches_0_0 (__execution , __i , __v))"), "{text}");
        // The Task calls its handler through the runtime.
        assert!(
            text.contains("__wf :: task (__name , __st , __execution , __data"),
            "{text}"
        );
        assert!(text.contains("crate :: t"));
    }

    #[test]
    fn a_dispatcher_sends_every_index_past_the_others_to_the_last_branch() {
        let d = dispatcher(&format_ident!("__branches_0_0"), &[1, 2, 3]).to_string();
        assert!(
            d.contains("0usize => __machine_1 (__execution , __input) . await"),
            "{d}"
        );
        assert!(
            d.contains("1usize => __machine_2 (__execution , __input) . await"),
            "{d}"
        );
        assert!(
            d.contains("_ => __machine_3 (__execution , __input) . await"),
            "{d}"
        );
    }
}
