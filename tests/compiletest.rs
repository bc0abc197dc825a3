//! Compile-fail cases: every definition rule is a build error at the offending token.
//! Bless new snapshots with `TRYBUILD=overwrite cargo test --test compiletest`, and review
//! every `.stderr` diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
    t.pass("tests/ui-pass/*.rs");
}
