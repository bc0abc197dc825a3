//! Benchmark 6, the macro's own share: how long `workflow!` takes to parse, check and expand
//! workflows of 10, 50 and 200 Task states (each with a retrier and a catcher). The stages
//! are this crate's own modules, compiled into the benchmark as they are into the macro (a
//! proc-macro crate cannot be linked as a library). `benches/compile_time.sh` at the root
//! measures whole builds.
//!
//! ```text
//! cargo bench -p workflow-macros --bench expand                 # optimized
//! cargo bench -p workflow-macros --bench expand --profile dev   # as rustc runs the macro
//! ```
//!
//! Cargo builds proc macros without optimizations in every profile (`build-override`), so
//! the `dev` figures are the ones a user's build sees.

// The stages' own unit tests come along with their files and go unused here.
#![allow(dead_code, unreachable_pub, unused_imports)]

#[path = "../src/check.rs"]
mod check;
#[path = "../src/ctxt.rs"]
mod ctxt;
#[path = "../src/expand.rs"]
mod expand;
#[path = "../src/fallback.rs"]
mod fallback;
#[path = "../src/jsonata.rs"]
mod jsonata;
#[path = "../src/lower.rs"]
mod lower;
#[path = "../src/model.rs"]
mod model;
#[path = "../src/parse.rs"]
mod parse;

use std::str::FromStr;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion};
use proc_macro2::TokenStream;

/// What `workflow_impl` does, on `proc_macro2` tokens.
fn workflow_impl(input: TokenStream) -> TokenStream {
    let input: parse::Input = syn::parse2(input).expect("the generated input parses");
    let cx = ctxt::Ctxt::new();
    let workflow = model::build(input, &cx);
    check::check(&workflow, &cx);
    cx.check()
        .and_then(|()| lower::lower(&workflow))
        .map(|lowered| expand::expand(&workflow, &lowered))
        .expect("the generated workflow is valid")
}

/// A workflow of `n` Task states in a row.
pub fn source(n: usize) -> String {
    let mut states = String::new();
    for i in 0..n {
        let next = if i + 1 == n {
            "end: true".to_owned()
        } else {
            format!("next: S{}", i + 1)
        };
        states.push_str(&format!(
            "S{i}: Task {{ resource: \"arn:aws:lambda:us-east-1:123456789012:function:step\", handler: step, \
             retry: [{{ error_equals: [\"Busy\"], interval_seconds: 1, max_attempts: 3 }}], \
             catch: [{{ error_equals: [\"States.ALL\"], result_path: \"$.error\", next: Failed }}], {next} }},\n"
        ));
    }
    format!(
        "(::sfn_workflow) Chain {{ start_at: S0, states: {{ {states} Failed: Fail {{ error: \"Failed\" }} }} }}"
    )
}

/// The time of each stage on `input`: parse, model, check, expand.
fn stages(input: &TokenStream) -> [Duration; 4] {
    let t0 = Instant::now();
    let parsed: parse::Input = syn::parse2(input.clone()).unwrap();
    let t1 = Instant::now();
    let cx = ctxt::Ctxt::new();
    let workflow = model::build(parsed, &cx);
    let t2 = Instant::now();
    check::check(&workflow, &cx);
    cx.check().unwrap();
    let t3 = Instant::now();
    // Lowering and quoting together: the stage `expand` was before lowering had its own.
    let out = expand::expand(&workflow, &lower::lower(&workflow).unwrap());
    let t4 = Instant::now();
    drop(out);
    [t1 - t0, t2 - t1, t3 - t2, t4 - t3]
}

/// `main.rs` of a program declaring the `n`-state workflow: through the macro, or (with
/// `expanded`) as the code the macro expands it to, for `benches/compile_time.sh`.
fn program(n: usize, expanded: bool) -> String {
    let body = source(n);
    let declaration = if expanded {
        workflow_impl(TokenStream::from_str(&body).unwrap()).to_string()
    } else {
        format!(
            "sfn_workflow::workflow! {{ {} }}",
            body.trim_start_matches("(::sfn_workflow)")
        )
    };
    format!(
        "#![allow(warnings)]\n\
         async fn step(v: sfn_workflow::Value) -> Result<sfn_workflow::Value, sfn_workflow::Error> {{ Ok(v) }}\n\
         {declaration}\n\
         fn main() {{ let _ = Chain::asl(); }}\n"
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args
        .iter()
        .position(|a| a == "--program" || a == "--expanded")
    {
        let n = args[i + 1].parse().expect("a number of states");
        print!("{}", program(n, args[i] == "--expanded"));
        return;
    }
    if std::env::args().any(|a| a == "--stages") {
        for n in [10, 50, 200] {
            let tokens = TokenStream::from_str(&source(n)).unwrap();
            let [p, m, c, e] = stages(&tokens);
            println!("{n} states: parse {p:?}, model {m:?}, check {c:?}, expand {e:?}");
        }
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("expand");
    group.sample_size(20);
    for n in [10, 50, 200] {
        let tokens = TokenStream::from_str(&source(n)).unwrap();
        group.bench_with_input(BenchmarkId::from_parameter(n), &tokens, |b, tokens| {
            b.iter(|| workflow_impl(tokens.clone()));
        });
    }
    group.finish();
    c.final_summary();
    println!("\n| states | expansion (median of 20 runs) | generated code |\n|---|---|---|");
    for n in [10, 50, 200] {
        let tokens = TokenStream::from_str(&source(n)).unwrap();
        let mut times: Vec<Duration> = (0..20)
            .map(|_| {
                let start = Instant::now();
                let out = workflow_impl(tokens.clone());
                let took = start.elapsed();
                drop(out);
                took
            })
            .collect();
        times.sort();
        let out = workflow_impl(tokens.clone());
        println!(
            "| {n} | {:.2} ms | {} KiB of tokens |",
            times[10].as_secs_f64() * 1e3,
            out.to_string().len() / 1024
        );
    }
}
