//! Compile-fail tests: the type-safety claims of the query builder, one small program per mistake.

#[test]
fn type_errors() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
