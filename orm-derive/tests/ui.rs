//! Compile tests of `#[derive(Model)]`: `ui/pass` must build and run, each `ui/fail/<mistake>.rs`
//! must fail with exactly its `.stderr` (regenerate with `TRYBUILD=overwrite`; the text depends on
//! the rustc version).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
