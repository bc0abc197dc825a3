//! The `workflow!` procedural macro. Use it through the `sfn-workflow` crate, whose documentation
//! describes the syntax; this crate is its implementation.
//!
//! The macro runs five stages, one module each, each a plain function over plain data:
//! `parse` (tokens to a syntax tree with spans), `model` (the tree read as the shared ASL
//! document, plus handlers and spans), `check` (every rule, all errors reported together),
//! `lower` (the plan of the generated code: machines, exits, typed edges, handlers) and
//! `expand` (that plan quoted as Rust). A definition with errors gets `fallback`'s skeleton
//! next to its errors.
#![doc(test(attr(deny(warnings))))]
#![forbid(unsafe_code)]

mod check;
mod ctxt;
mod expand;
mod fallback;
mod jsonata;
mod lower;
mod model;
mod parse;

use proc_macro::TokenStream;

/// The implementation of `workflow::workflow!`, which calls it with the facade crate's path
/// (`$crate`) first, in parentheses, so that generated code finds the runtime under any name.
#[doc(hidden)]
#[proc_macro]
pub fn workflow_impl(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as parse::Input);
    let cx = ctxt::Ctxt::new();
    let workflow = model::build(input, &cx);
    check::check(&workflow, &cx);
    let expanded = cx
        .check()
        .and_then(|()| lower::lower(&workflow))
        .map(|lowered| expand::expand(&workflow, &lowered));
    match expanded {
        Ok(tokens) => tokens.into(),
        Err(errors) => {
            let mut tokens = fallback::skeleton(&workflow);
            tokens.extend(errors.to_compile_error());
            tokens.into()
        }
    }
}
