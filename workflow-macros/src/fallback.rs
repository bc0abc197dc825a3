//! Fail soft: next to the errors of a broken definition, a skeleton of the workflow type, so
//! that code naming it (`MyWorkflow.run(...)`, `MyWorkflow::asl()`) does not drown the real
//! errors in follow-on ones.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Workflow;

// Input: a workflow with errors.
// Output: `struct Name;` with `definition`, `asl`, `asl_pretty`, `run` and the `Workflow`
// impl, each panicking (they can never run: the crate does not compile).
pub(crate) fn skeleton(workflow: &Workflow) -> TokenStream {
    let Workflow {
        krate,
        attrs,
        vis,
        ident,
        ..
    } = workflow;
    let name = ident.to_string();
    let msg = format!("workflow `{name}` has compile errors");
    quote! {
        #(#attrs)*
        #vis struct #ident;

        #[allow(unreachable_code, unused_variables, clippy::all)]
        const _: () = {
            use #krate::__private as __wf;
            impl #ident {
                #vis fn definition() -> &'static __wf::StateMachine { ::core::panic!(#msg) }
                #vis fn asl() -> __wf::Value { ::core::panic!(#msg) }
                #vis fn asl_pretty() -> ::std::string::String { ::core::panic!(#msg) }
                #vis async fn run(&self, input: __wf::Value) -> ::core::result::Result<__wf::Value, __wf::Error> {
                    ::core::panic!(#msg)
                }
            }
            impl __wf::Workflow for #ident {
                const NAME: &'static str = #name;
                fn definition() -> &'static __wf::StateMachine { ::core::panic!(#msg) }
                fn run(&self, input: __wf::Value) -> impl ::core::future::Future<
                    Output = ::core::result::Result<__wf::Value, __wf::Error>,
                > + ::core::marker::Send {
                    async { ::core::panic!(#msg) }
                }
            }
        };
    }
}
