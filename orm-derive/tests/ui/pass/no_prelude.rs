//! The expansion names everything by absolute path, so it builds without the standard prelude and
//! next to user types that shadow standard names.
#![no_implicit_prelude]

#[allow(dead_code, non_camel_case_types)]
struct usize;
#[allow(dead_code, non_camel_case_types)]
struct str;
#[allow(dead_code)]
struct Option;
#[allow(dead_code)]
struct Result;

#[derive(::orm::Model)]
struct Plain {
    #[orm(primary_key)]
    id: i64,
    #[orm(unique)]
    code: ::std::string::String,
    table: i32,
}

fn main() {
    let _ = Plain::CODE;
    // The column constant of field `table` sits beside `Model::TABLE`, which generated code
    // always names in full.
    let _: ::orm::Column<Plain, i32> = Plain::TABLE;
    ::std::assert_eq!(<Plain as ::orm::Model>::TABLE, "plain");
}
