//! Stage 5, code: the lowered plan ([`crate::lower`]) quoted as typed async Rust.
//!
//! Every (sub)workflow becomes one `async fn` holding a loop over a `Copy` enum of its
//! states; each arm calls the runtime function for its state type, which applies all of ASL's
//! rules and says where to go next. Each Parallel state gets a dispatch `async fn` that runs
//! branch `i`. The checked definition is embedded as JSON text and parsed once: it is both
//! what `asl()` exports and where the runtime reads each state's retriers and paths. Nothing
//! is decided here: every choice was made by the lowering.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;

use crate::lower::{Access, Boundary, KeepInput, Lowered, Machine, Run, StateCode, Task};
use crate::model::Workflow;

/// Generates the workflow type, its inherent methods and its `Workflow` impl.
// Input:
//     pub Demo { start_at: A, states: { A: Pass { end: true } } }
// Output:
//     pub struct Demo;
//     const _: () = {
//         use ::sfn_workflow::__private as __wf;
//         static __DEFINITION: __wf::LazyLock<__wf::StateMachine> = ...("{\"StartAt\":\"A\",...}");
//         impl Demo { pub fn definition() ...; pub fn asl() ...; pub async fn run(&self, input) ... }
//         impl __wf::Workflow for Demo { ... }
//         fn __definition_0() -> &'static __wf::StateMachine { &*__DEFINITION }
//         async fn __machine_0(__execution: &__wf::Execution, __input: __wf::Value) -> Result<__wf::Value, __wf::Error> {
//             enum __S { S0 }
//             let __states = &__definition_0().states;
//             let mut __state = __S::S0; let mut __data = __input;
//             loop {
//                 let __step = match __state { __S::S0 => { let (__name, __st) = __states.entry(0usize); __wf::pass(__name, __st, __execution, __data, None) } }?;
//                 match __step { Step::Next(s, v) => { __state = s; __data = v } Step::End(v) => return Ok(v) }
//             }
//         }
//     };
pub(crate) fn expand(workflow: &Workflow, lowered: &Lowered<'_>) -> TokenStream {
    let Lowered {
        json,
        keep_input,
        machines,
        boundary,
        jsonata,
    } = lowered;
    let name = workflow.ident.to_string();
    let deps = deps_type(workflow);
    let deps_local = if workflow.types.deps.is_some() {
        quote!(let __deps: &#deps = &*self.deps;)
    } else {
        quote!()
    };
    let deps_arg = passes_deps(workflow);
    let keep_input = keeps_input(keep_input, &deps);
    let functions = machines.iter().map(|m| machine_fn(m, &deps, &deps_arg));
    let boundary = boundary_checks(workflow, boundary, &deps);
    // A workflow with JSONata states parses its expressions once, on its first run; its
    // executions speak the definition's query language.
    let (expressions, speaking) = if *jsonata {
        (
            quote! {
                static __EXPRESSIONS: __wf::LazyLock<__wf::Prepared> =
                    __wf::LazyLock::new(|| __wf::prepare(&__DEFINITION));
            },
            quote!(.speaking(__DEFINITION.query_language, __EXPRESSIONS.clone())),
        )
    } else {
        (quote!(), quote!())
    };
    surface(
        workflow,
        &Bodies {
            items: quote! {
                // The checked definition, embedded by `workflow!` and parsed on first use.
                static __DEFINITION: __wf::LazyLock<__wf::StateMachine> =
                    __wf::LazyLock::new(|| __wf::parse_definition(#json));
                #expressions

                #(#functions)*

                #boundary
            },
            definition: quote!(&__DEFINITION),
            interpreter: interpreter(workflow, &deps),
            run: quote!(async move {
                let input = __wf::admit(input, &__limits)?;
                let __execution = __wf::Execution::of(#name, #keep_input.then_some(&input), __limits)
                    #speaking
                    .answering(__callbacks)
                    .observed(__recorder, &input);
                #deps_local
                let __outcome = __wf::execute(&__DEFINITION, &__execution, __machine_0(&__execution, #deps_arg input)).await;
                __wf::ended(&__execution, __outcome)
            }),
        },
    )
}

/// A function never called, whose body requires the handlers at the workflow's boundary to
/// fit its declared `input` and `output` types; each requirement is spanned at its handler.
// Output: `fn __boundary() { __wf::first_task::<Order, _, _, Shop>(&reserve); __wf::last_task::<Receipt, _, _, Shop>(&ship); }`
fn boundary_checks(
    workflow: &Workflow,
    boundary: &Boundary<'_>,
    deps: &TokenStream,
) -> TokenStream {
    let at = |handler: &syn::Path| Span::call_site().located_at(handler.span());
    let first = workflow.types.input.as_ref().and_then(|input| {
        let handler = boundary.first?;
        let handle = handle(handler, deps, Check::Quiet);
        Some(quote_spanned!(at(handler)=> __wf::first_task::<#input, _, _, #deps, _>(#handle);))
    });
    let last = workflow.types.output.as_ref().map(|output| {
        let checks = boundary.last.iter().map(|handler| {
            let handle = handle(handler, deps, Check::Quiet);
            quote_spanned!(at(handler)=> __wf::last_task::<#output, _, _, #deps, _>(#handle);)
        });
        quote!(#(#checks)*)
    });
    if first.is_none() && last.is_none() {
        return quote!();
    }
    quote! {
        #[allow(dead_code)]
        fn __boundary() {
            #first
            #last
        }
    }
}

/// The argument `__deps,` that each state function passes on, if the workflow has `deps`.
/// Without, each function makes its own `&()` rather than take one, so that a workflow
/// without dependencies runs exactly the code it ran before they existed.
fn passes_deps(workflow: &Workflow) -> TokenStream {
    if workflow.types.deps.is_some() {
        quote!(__deps,)
    } else {
        quote!()
    }
}

/// The type every handler of `workflow` may borrow: its `deps`, or `()`.
fn deps_type(workflow: &Workflow) -> TokenStream {
    match &workflow.types.deps {
        Some(deps) => deps.to_token_stream(),
        None => quote!(()),
    }
}

/// An expression: whether an execution must keep a copy of its input. Which handlers take a
/// `TaskContext` is a property of their types, asked of each through `__wf::Probe`, which
/// never reports an error of its own for a path that is not a handler.
// Output: `true`, or `(false || { use ...; (&__wf::Probe(&charge)).takes_context() } || ...)`
fn keeps_input(keep: &KeepInput<'_>, deps: &TokenStream) -> TokenStream {
    let handlers = match keep {
        KeepInput::Always => return quote!(true),
        KeepInput::IfAHandlerTakesContext(handlers) => handlers,
    };
    let probes = handlers.iter().map(|path| {
        quote! {
            || {
                use __wf::{ProbeHandler as _, ProbeOther as _};
                (&__wf::Probe::<_, #deps>::of(&#path)).takes_context()
            }
        }
    });
    quote!((false #(#probes)*))
}

/// The body of `interpreter()`: the checked definition, with every Task's handler registered
/// under its state's name (through `__wf::Probe`, so that a value that is not a handler is
/// reported once, where its Task uses it).
// Output:
//     let mut __interpreter = __wf::Interpreter::new("Demo", Clone::clone(Self::definition())).unwrap_or_else(...);
//     { use ...; (&__wf::Probe(&charge)).register(&mut __interpreter, "Charge"); }
//     __interpreter
fn interpreter(workflow: &Workflow, deps: &TokenStream) -> TokenStream {
    let name = workflow.ident.to_string();
    let registrations = workflow.handlers.iter().map(|h| {
        let (path, state) = (&h.path, &h.state);
        if h.role == "workflow" {
            return quote!((&__wf::Probe::<_, #deps>::of(&#path)).register_child(&mut __interpreter, #state););
        }
        quote!((&__wf::Probe::<_, #deps>::of(&#path)).register(&mut __interpreter, #state, __deps);)
    });
    let deps_arc = if workflow.types.deps.is_some() {
        quote!(&self.deps)
    } else {
        quote!(&::std::sync::Arc::new(()))
    };
    quote! {
        let mut __interpreter = __wf::Interpreter::new(
            #name,
            ::core::clone::Clone::clone(<Self as __wf::Workflow>::definition()),
        )
        .unwrap_or_else(|__e| ::core::panic!("the checked definition of `{}` loads: {}", #name, __e));
        let __deps = #deps_arc;
        {
            use __wf::{RegisterChild as _, RegisterHandler as _, RegisterNotChild as _, RegisterOther as _};
            #(#registrations)*
        }
        __interpreter
    }
}

/// The bodies that [`surface`] puts in the generated type's methods.
pub(crate) struct Bodies {
    /// Items placed next to the impls (the definition and the state functions).
    pub(crate) items: TokenStream,
    /// An expression of type `&'static StateMachine`.
    pub(crate) definition: TokenStream,
    /// The statements of `interpreter()`, ending with an `Interpreter`.
    pub(crate) interpreter: TokenStream,
    /// An expression of a `Send` future of the execution, which may use `input`.
    pub(crate) run: TokenStream,
}

/// The workflow type with its API: inherent `definition`, `asl`, `asl_pretty` and `run`, and
/// the `Workflow` impl. Both the real expansion and the fallback skeleton are made here, so
/// that the type a user sees is the same whether or not the definition has errors.
// Input: `pub Demo`, and the bodies.
// Output:
//     pub struct Demo;
//     const _: () = { use ::sfn_workflow::__private as __wf; #items impl Demo { ... } impl __wf::Workflow for Demo { ... } };
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
        interpreter,
        run,
    } = bodies;
    let json = quote!(__wf::Value);
    let input_type = workflow
        .types
        .input
        .as_ref()
        .map_or_else(|| json.clone(), ToTokens::to_token_stream);
    let input_json = match workflow.types.input {
        Some(_) => quote!(__wf::execution_input(input)?),
        None => quote!(input),
    };
    let output_type = workflow
        .types
        .output
        .as_ref()
        .map_or(json, ToTokens::to_token_stream);
    let output_typed = match workflow.types.output {
        Some(_) => quote!(__wf::execution_output(output?)),
        None => quote!(output),
    };
    let (declaration, constructors) = match &workflow.types.deps {
        None => (
            quote! {
                #(#attrs)*
                #[derive(Clone, Copy, Debug)]
                #vis struct #ident;
            },
            quote!(),
        ),
        Some(deps) => (
            quote! {
                #(#attrs)*
                #[derive(Clone)]
                #vis struct #ident {
                    deps: ::std::sync::Arc<#deps>,
                }

                #[automatically_derived]
                impl ::core::fmt::Debug for #ident {
                    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.debug_struct(#name).finish_non_exhaustive()
                    }
                }
            },
            quote! {
                /// The workflow with the dependencies its handlers borrow (a value, or an
                /// `Arc` of one). Cloning the workflow is cheap: clones share them.
                #vis fn new(deps: impl ::core::convert::Into<::std::sync::Arc<#deps>>) -> Self {
                    Self { deps: deps.into() }
                }

                /// The dependencies this workflow's handlers borrow.
                #vis fn deps(&self) -> &::std::sync::Arc<#deps> {
                    &self.deps
                }
            },
        ),
    };
    quote! {
        #declaration

        #[allow(clippy::all, clippy::pedantic, non_snake_case, unreachable_code, unused_variables)]
        const _: () = {
            use #krate::__private as __wf;

            #items

            #[automatically_derived]
            impl #ident {
                #constructors

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

                /// The workflow as a Mermaid flowchart, for a ```` ```mermaid ```` block of
                /// Markdown: its states, `next` and Choice edges, dashed catch edges, branches
                /// and item processors as subgraphs.
                #vis fn mermaid() -> ::std::string::String {
                    <Self as __wf::Workflow>::mermaid()
                }

                /// The workflow as a Graphviz DOT digraph (`dot -Tsvg`).
                #vis fn dot() -> ::std::string::String {
                    <Self as __wf::Workflow>::dot()
                }

                /// The IAM policy its execution role needs on AWS (its exported ASL's Lambda
                /// functions, tables, child state machines and buckets).
                #vis fn iam_policy() -> __wf::Value {
                    <Self as __wf::Workflow>::iam_policy()
                }

                /// This workflow as an interpreter of its checked definition, each Task's
                /// handler registered under its state's name (with this value's
                /// dependencies): in a test, replace one Task with
                /// `handle_state(name, double)`, or answer Tasks from a Step Functions Local
                /// mock file with `MockConfig::apply`.
                #vis fn interpreter(&self) -> __wf::Interpreter {
                    #interpreter
                }

                /// Runs one execution on `input`: its output, or the error that failed it.
                /// It runs under AWS's quotas (256 KiB payloads, 25,000 history events).
                #vis async fn run(&self, input: #input_type) -> ::core::result::Result<#output_type, __wf::Error> {
                    let __limits = __wf::Limits::AWS;
                    #[allow(unused_variables)]
                    let __recorder: ::core::option::Option<&::std::sync::Arc<__wf::Recorder>> = ::core::option::Option::None;
                    #[allow(unused_variables)]
                    let __callbacks: ::core::option::Option<&__wf::Callbacks> = ::core::option::Option::None;
                    let input = #input_json;
                    let output = #run.await;
                    #output_typed
                }

                /// [`Self::run`] under `limits` instead of AWS's quotas: for a local test
                /// bigger than AWS would run.
                #vis async fn run_with_limits(&self, input: #input_type, limits: __wf::Limits) -> ::core::result::Result<#output_type, __wf::Error> {
                    let __limits = limits;
                    #[allow(unused_variables)]
                    let __recorder: ::core::option::Option<&::std::sync::Arc<__wf::Recorder>> = ::core::option::Option::None;
                    #[allow(unused_variables)]
                    let __callbacks: ::core::option::Option<&__wf::Callbacks> = ::core::option::Option::None;
                    let input = #input_json;
                    let output = #run.await;
                    #output_typed
                }

                /// Runs one execution on `input` and returns its history with its output
                /// or error: the events AWS's `GetExecutionHistory` would return.
                #vis async fn run_recorded(&self, input: #input_type) -> (::core::result::Result<#output_type, __wf::Error>, __wf::History) {
                    self.run_with(input, &__wf::RunOptions::new().keep_history()).await
                }

                /// Runs one execution on `input` as `options` say (its quotas; its history
                /// kept, or heard as it happens): its output or error, and its history when
                /// it was kept (else empty).
                #vis async fn run_with(&self, input: #input_type, options: &__wf::RunOptions) -> (::core::result::Result<#output_type, __wf::Error>, __wf::History) {
                    let __limits = options.limits_or(__wf::Limits::AWS);
                    let __owned = options.recorder();
                    #[allow(unused_variables)]
                    let __callbacks = options.callback_registry();
                    #[allow(unused_variables)]
                        let __recorder = __owned.as_ref();
                    let output = async {
                        let input = #input_json;
                        let output = #run.await;
                        #output_typed
                    }.await;
                    (output, __wf::history(__recorder))
                }

                /// Runs one execution on `input` given as JSON: its output as JSON, or the
                /// error that failed it.
                #vis async fn run_json(&self, input: __wf::Value) -> ::core::result::Result<__wf::Value, __wf::Error> {
                    let __limits = __wf::Limits::AWS;
                    #[allow(unused_variables)]
                    let __recorder: ::core::option::Option<&::std::sync::Arc<__wf::Recorder>> = ::core::option::Option::None;
                    #[allow(unused_variables)]
                    let __callbacks: ::core::option::Option<&__wf::Callbacks> = ::core::option::Option::None;
                    #run.await
                }

                /// [`Self::run_json`] under `limits` instead of AWS's quotas.
                #vis async fn run_json_with_limits(&self, input: __wf::Value, limits: __wf::Limits) -> ::core::result::Result<__wf::Value, __wf::Error> {
                    let __limits = limits;
                    #[allow(unused_variables)]
                    let __recorder: ::core::option::Option<&::std::sync::Arc<__wf::Recorder>> = ::core::option::Option::None;
                    #[allow(unused_variables)]
                    let __callbacks: ::core::option::Option<&__wf::Callbacks> = ::core::option::Option::None;
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
                    let __limits = __wf::Limits::AWS;
                    #[allow(unused_variables)]
                    let __recorder: ::core::option::Option<&::std::sync::Arc<__wf::Recorder>> = ::core::option::Option::None;
                    #[allow(unused_variables)]
                    let __callbacks: ::core::option::Option<&__wf::Callbacks> = ::core::option::Option::None;
                    #run
                }

                fn run_with(&self, input: __wf::Value, options: &__wf::RunOptions) -> impl ::core::future::Future<
                    Output = (::core::result::Result<__wf::Value, __wf::Error>, __wf::History),
                > + ::core::marker::Send {
                    let __limits = options.limits_or(__wf::Limits::AWS);
                    let __owned = options.recorder();
                    #[allow(unused_variables)]
                    let __callbacks = options.callback_registry();
                    async move {
                        #[allow(unused_variables)]
                        let __recorder = __owned.as_ref();
                        let output = #run.await;
                        (output, __wf::history(__recorder))
                    }
                }
            }
        };
    }
}

/// The functions of one (sub)workflow: its definition accessor, its state loop, and a branch
/// dispatcher per Parallel state.
// Input: machine 0 with `A: Pass { next: B }, B: Succeed {}`.
// Output:
//     fn __definition_0() -> &'static __wf::StateMachine { &*__DEFINITION }
//     async fn __machine_0(__execution, __input) -> Result<Value, Error> {
//         enum __S { S0, S1 } ... loop { match __state { __S::S0 => ..., __S::S1 => ... } }
//     }
fn machine_fn(m: &Machine<'_>, deps: &TokenStream, deps_arg: &TokenStream) -> TokenStream {
    let (deps_param, deps_local) = if deps_arg.is_empty() {
        (quote!(), quote!(let __deps: &() = &();))
    } else {
        (quote!(__deps: &#deps,), quote!())
    };
    let definition_fn = format_ident!("__definition_{}", m.id);
    let machine_fn = format_ident!("__machine_{}", m.id);
    let access = match m.access {
        Access::Root => quote!(&*__DEFINITION),
        Access::Branch {
            parent,
            position,
            index,
        } => {
            let parent = format_ident!("__definition_{}", parent);
            quote!(__wf::branch(#parent().states.at(#position), #index))
        }
        Access::ItemProcessor { parent, position } => {
            let parent = format_ident!("__definition_{}", parent);
            quote!(__wf::item_processor(#parent().states.at(#position)))
        }
    };
    let variants: Vec<_> = (0..m.states.len())
        .map(|p| format_ident!("S{}", p))
        .collect();
    let start = m.start.map(|p| &variants[p]);
    let edge_decl = if m.has_edges {
        quote! {
            let mut __edge: ::core::option::Option<__wf::Carried> = ::core::option::Option::None;
        }
    } else {
        quote!()
    };
    // A loop of states that never wait must still let timers, timeouts and aborts in.
    let (steps_decl, pace) = if m.can_loop {
        (
            quote!(let mut __steps: u32 = 0;),
            quote! {
                if __wf::due(&mut __steps) {
                    __wf::pace().await;
                }
            },
        )
    } else {
        (quote!(), quote!())
    };
    let mut dispatchers = Vec::new();
    let arms: Vec<TokenStream> = m
        .states
        .iter()
        .enumerate()
        .map(|(position, state)| {
            let call = state_call(
                m,
                position,
                state,
                &variants,
                (deps, deps_arg, &deps_param),
                &mut dispatchers,
            );
            let v = &variants[position];
            quote! {
                __S::#v => {
                    let (__name, __st) = __states.entry(#position);
                    #call
                }
            }
        })
        .collect();
    let body = quote! {
        #deps_local
        #[derive(Clone, Copy)]
        enum __S { #(#variants),* }
        let __states = &#definition_fn().states;
        let mut __state = __S::#start;
        let mut __data = __input;
        #steps_decl
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
            #pace
        }
    };
    // A branch or iteration whose states assign variables runs in a scope of its own.
    let body = if m.scoped {
        quote!(__wf::in_scope(__execution, #definition_fn(), async move { #body }).await)
    } else {
        body
    };
    quote! {
        fn #definition_fn() -> &'static __wf::StateMachine {
            #access
        }

        async fn #machine_fn(__execution: &__wf::Execution, #deps_param __input: __wf::Value) -> ::core::result::Result<__wf::Value, __wf::Error> {
            #body
        }

        #(#dispatchers)*
    }
}

/// The expression of one state's arm: its runtime call, of type `Result<Step<__S>, Error>`.
fn state_call(
    m: &Machine<'_>,
    position: usize,
    state: &StateCode<'_>,
    variants: &[syn::Ident],
    (deps, deps_arg, deps_param): (&TokenStream, &TokenStream, &TokenStream),
    dispatchers: &mut Vec<TokenStream>,
) -> TokenStream {
    let some = |target: Option<usize>| match target {
        Some(p) => {
            let v = &variants[p];
            quote!(::core::option::Option::Some(__S::#v))
        }
        None => quote!(::core::option::Option::<__S>::None),
    };
    let next = some(state.next);
    let catch = state.catch.iter().map(|p| &variants[*p]);
    let exits = quote!(__wf::Exits { next: #next, catch: &[#(__S::#catch),*] });
    match &state.run {
        Run::Pass => quote!(__wf::pass(__name, __st, __execution, __data, #next)),
        Run::Succeed => quote!(__wf::succeed::<__S>(__name, __st, __execution, __data)),
        Run::Fail => quote!(__wf::fail::<__S>(__name, __st, __execution, &__data)),
        Run::Wait => quote!(__wf::wait(__name, __st, __execution, __data, #next).await),
        Run::Choice { targets, default } => {
            let targets = targets.iter().map(|p| &variants[*p]);
            let default = some(*default);
            quote!(__wf::choice(__name, __st, __execution, __data, &[#(__S::#targets),*], #default))
        }
        Run::Parallel { branches } => {
            let dispatch = format_ident!("__branches_{}_{}", m.id, position);
            dispatchers.push(dispatcher(&dispatch, branches, deps_param, deps_arg));
            quote!(__wf::parallel(__name, __st, __execution, __data, #exits, |__i, __v| #dispatch(__execution, #deps_arg __i, __v)).await)
        }
        Run::Map {
            iteration,
            reader,
            writer,
            child,
        } => {
            let iteration = format_ident!("__machine_{}", iteration);
            // A Distributed Map runs each item as a child execution of its own.
            let run_item = match child {
                None => quote!(|__v| #iteration(__execution, #deps_arg __v)),
                Some(label) => quote!(|__v| {
                    let __child = __wf::Execution::child(__execution, #label, &__v);
                    async move {
                        let __outcome = #iteration(&__child, #deps_arg __v).await;
                        __wf::child_ended(&__child, __execution, __outcome)
                    }
                }),
            };
            if reader.is_none() && writer.is_none() {
                return quote!(__wf::map(__name, __st, __execution, __data, #exits, #run_item).await);
            }
            let answer = |handler: Option<&syn::Path>| match handler {
                None => quote!(()),
                Some(path) => {
                    let handle = handle(path, deps, Check::Report);
                    quote!(__wf::answer(#handle.0, __deps))
                }
            };
            let (reader, writer) = (answer(*reader), answer(*writer));
            quote!(__wf::map_with(__name, __st, __execution, __data, #exits, &__wf::ItemHandlers::new(#reader, #writer, __deps), #run_item).await)
        }
        Run::Task(task) => task_call(position, state, task, &exits, variants, deps),
        // Located at the child's path, so that a path that is not a workflow is reported
        // there.
        Run::Start(child) => {
            let span = Span::call_site().located_at(child.span());
            quote_spanned!(span=> __wf::start_execution(__name, __st, __execution, __data, #exits, &#child).await)
        }
    }
}

/// A Task's arm (the Task at `position`). Without typed edges, `__wf::task` on JSON. With them, the input is taken
/// from the edge slot (or the JSON data), and a plain Task is its handler's call
/// (`__wf::plain_task`), any other the general `__wf::task_edge`.
// Output (plain Task 2, `b`, on typed edges from Task 1, `a`, and to Task 3):
//     { let __in = match __edge { Some((1usize, _)) => __wf::accept_from(&a, &b, __st, &mut __edge)?, _ => __wf::Edge::Json(__data) };
//       let __output = __wf::located::<_, _, D>(__wf::plain_task(__name, __st, __execution, __in, &b).await, __execution, __name, __st, &b)?;
//       __wf::carry(&mut __edge, 2usize, __output); Ok(__wf::Step::Next(__S::S3, __wf::Value::Null)) }
fn task_call(
    position: usize,
    state: &StateCode<'_>,
    task: &Task<'_>,
    exits: &TokenStream,
    variants: &[syn::Ident],
    deps: &TokenStream,
) -> TokenStream {
    let handler = task.handler;
    // Located at the handler, so that a handler that does not fit is reported at the user's
    // token, but resolved where the generated locals live.
    let span = Span::call_site().located_at(handler.span());
    let checked = handle(handler, deps, Check::Report);
    if task.incoming.is_empty() && !task.typed_out {
        return quote_spanned!(span=> __wf::task::<_, _, _, #deps>(__name, __st, __execution, __data, #exits, #checked.0, __deps).await);
    }
    // Each incoming edge's value must fit this handler: `accept_from` is spanned at this
    // handler, and its call at the `next` that leads here.
    let takes = task.incoming.iter().map(|edge| {
        let from = edge.from;
        let from_handle = handle(edge.handler, deps, Check::Quiet);
        let accept = quote_spanned!(Span::call_site().located_at(edge.next_span)=> __wf::accept_from);
        let to = handle(handler, deps, Check::Quiet);
        quote! {
            ::core::option::Option::Some((#from, _)) => #accept(#to, #from_handle, __deps, __st, &mut __edge)?,
        }
    });
    let typed_out = task.typed_out;
    let target = state.next.map(|p| &variants[p]);
    let hand_on = if task.plain {
        // A plain Task is its handler's call: its output goes on as it is, or as JSON to a
        // state that takes JSON.
        let call = quote_spanned!(span=> __wf::plain_task::<_, _, #deps>(__name, __st, __execution, __in, #checked.0, __deps).await);
        let quiet = handle(handler, deps, Check::Quiet);
        let call = quote!(__wf::located::<_, _, #deps>(#call, __execution, __name, __st, #quiet.0));
        match (typed_out, target) {
            (true, Some(target)) => quote! {{
                let __output = #call?;
                __wf::carry(&mut __edge, #position, __output);
                ::core::result::Result::Ok(__wf::Step::Next(__S::#target, __wf::Value::Null))
            }},
            (_, Some(target)) => quote! {
                __wf::handed_on(__execution, __name, #call?).map(|__v| __wf::Step::Next(__S::#target, __v))
            },
            (_, None) => quote!(__wf::handed_on(__execution, __name, #call?).map(__wf::Step::End)),
        }
    } else {
        let call = quote_spanned!(span=> __wf::task_edge::<_, _, _, #deps>(__name, __st, __execution, __in, #exits, (#checked.0, __deps), #typed_out).await);
        if typed_out {
            quote! {
                match #call? {
                    __wf::Handoff::Typed(__target, __output) => {
                        __wf::carry(&mut __edge, #position, __output);
                        ::core::result::Result::Ok(__wf::Step::Next(__target, __wf::Value::Null))
                    }
                    __wf::Handoff::Step(__step) => ::core::result::Result::Ok(__step),
                }
            }
        } else {
            quote!(#call.and_then(__wf::Handoff::into_step))
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

/// Whether a handle reports what is wrong with a handler: once, at its Task's own call.
#[derive(Clone, Copy)]
pub(crate) enum Check {
    Report,
    Quiet,
}

/// An expression: the checked handle of `handler`, `(&H, Valid)` for a handler and a
/// stand-in after an error that says why for anything else (`Check::Report`), or silently
/// (`Check::Quiet`, where the handler's own Task reports it). Spanned at the handler.
// Output: `{ use __wf::{CheckHandler as _, CheckOther as _}; let __handle = (&__wf::Probe::<_, Shop>::of(&charge)).checked(); __handle }`
fn handle(handler: &syn::Path, deps: &TokenStream, check: Check) -> TokenStream {
    let span = Span::call_site().located_at(handler.span());
    let method = match check {
        Check::Report => quote_spanned!(span=> checked),
        Check::Quiet => quote_spanned!(span=> quiet),
    };
    quote_spanned! {span=> {
        use __wf::{CheckHandler as _, CheckOther as _};
        let __handle = (&__wf::Probe::<_, #deps>::of(&#handler)).#method();
        __handle
    }}
}

/// `async fn __branches_M_P(index, input)`: runs branch `index` of a Parallel state. The last
/// branch takes every index past the others, so no arm is unreachable.
fn dispatcher(
    name: &syn::Ident,
    ids: &[usize],
    deps_param: &TokenStream,
    deps_arg: &TokenStream,
) -> TokenStream {
    let Some((last, rest)) = ids.split_last() else {
        return quote! {
            async fn #name(_: &__wf::Execution, #deps_param _: usize, __input: __wf::Value) -> ::core::result::Result<__wf::Value, __wf::Error> {
                ::core::result::Result::Ok(__input)
            }
        };
    };
    let indexes = 0..rest.len();
    let rest = rest.iter().map(|id| format_ident!("__machine_{}", id));
    let last = format_ident!("__machine_{}", last);
    quote! {
        async fn #name(__execution: &__wf::Execution, #deps_param __index: usize, __input: __wf::Value) -> ::core::result::Result<__wf::Value, __wf::Error> {
            match __index {
                #(#indexes => #rest(__execution, #deps_arg __input).await,)*
                _ => #last(__execution, #deps_arg __input).await,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::lower;
    use crate::lower::tests::{nested, read};

    #[test]
    fn the_expansion_is_valid_rust_that_embeds_the_checked_definition() {
        let w = nested();
        let lowered = lower(&w).unwrap();
        let tokens = expand(&w, &lowered);
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
        // Branch 1 of `Outer` (machine 3, after `Inner`'s branch in document order) is
        // reached through its parent's definition.
        assert!(
            text.contains("__wf :: branch (__definition_0 () . states . at (0usize) , 1usize)"),
            "{text}"
        );
        // The Task calls its handler through the runtime.
        assert!(
            text.contains(
                "__wf :: task :: < _ , _ , _ , () > (__name , __st , __execution , __data"
            ),
            "{text}"
        );
        assert!(text.contains("crate :: t"));
    }

    #[test]
    fn a_typed_edge_carries_the_output_tagged_with_its_producer() {
        let w = read(syn::parse_quote! {
            (::workflow)
            W {
                start_at: A,
                states: {
                    A: Task { resource: "arn", handler: a, next: B },
                    B: Task { resource: "arn", handler: b, next: C },
                    C: Task { resource: "arn", handler: c, end: true },
                }
            }
        });
        let text = expand(&w, &lower(&w).unwrap()).to_string();
        assert!(text.contains("let mut __edge"), "{text}");
        assert!(
            text.contains("__wf :: carry (& mut __edge , 0usize , __output)"),
            "{text}"
        );
        assert!(
            text.contains("__wf :: carry (& mut __edge , 1usize , __output)"),
            "{text}"
        );
        assert!(
            text.contains(
                "Some ((1usize , _)) => __wf :: accept_from ({ use __wf :: { CheckHandler as _ , CheckOther as _ } ; let __handle = (& __wf :: Probe :: < _ , () > :: of (& c)) . quiet () ; __handle } , { use __wf :: { CheckHandler as _ , CheckOther as _ } ; let __handle = (& __wf :: Probe :: < _ , () > :: of (& b)) . quiet () ; __handle } , __deps , __st , & mut __edge) ?"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_dispatcher_sends_every_index_past_the_others_to_the_last_branch() {
        let d = dispatcher(
            &format_ident!("__branches_0_0"),
            &[1, 2, 3],
            &quote!(__deps: &Shop,),
            &quote!(__deps,),
        )
        .to_string();
        assert!(
            d.contains("0usize => __machine_1 (__execution , __deps , __input) . await"),
            "{d}"
        );
        assert!(
            d.contains("1usize => __machine_2 (__execution , __deps , __input) . await"),
            "{d}"
        );
        assert!(
            d.contains("_ => __machine_3 (__execution , __deps , __input) . await"),
            "{d}"
        );
    }
}
