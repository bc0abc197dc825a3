//! Compile-fail cases that need the `jsonata` feature: with it, the macro parses each
//! expression of a JSONata state when the workflow compiles. Bless with
//! `TRYBUILD=overwrite cargo test --features jsonata --test compiletest_jsonata`.
#![cfg(feature = "jsonata")]

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui-jsonata/*.rs");
}
