//! Fail soft: next to the errors of a broken definition, a skeleton of the workflow type, so
//! that code naming it (`MyWorkflow.run(...)`, `MyWorkflow::asl()`) does not drown the real
//! errors in follow-on ones.

use proc_macro2::TokenStream;
use quote::quote;

use crate::expand::{surface, Bodies};
use crate::model::Workflow;

// Input: a workflow with errors.
// Output: the same type and API as a correct workflow gets (`expand::surface`), whose methods
// panic: they can never run, since the crate does not compile.
pub(crate) fn skeleton(workflow: &Workflow) -> TokenStream {
    let message = format!("workflow `{}` has compile errors", workflow.ident);
    surface(
        workflow,
        &Bodies {
            items: TokenStream::new(),
            definition: quote!(::core::panic!(#message)),
            interpreter: quote!(::core::panic!(#message)),
            run: quote!(async { ::core::panic!(#message) }),
        },
    )
}
