//! Every supported field type, plain and optional, and raw identifiers.

use orm::prelude::*;

#[derive(Model, Debug, Clone, PartialEq)]
pub struct Everything {
    #[orm(primary_key, auto_increment)]
    pub id: u64,
    pub flag: bool,
    pub small: i16,
    pub medium: i32,
    pub large: i64,
    pub unsigned: u32,
    pub big: u64,
    pub single: f32,
    pub double: f64,
    pub text: String,
    pub bytes: Vec<u8>,
    pub maybe_flag: Option<bool>,
    pub maybe_small: Option<i16>,
    pub maybe_medium: Option<i32>,
    pub maybe_large: Option<i64>,
    pub maybe_unsigned: Option<u32>,
    pub maybe_big: Option<u64>,
    pub maybe_single: Option<f32>,
    pub maybe_double: Option<f64>,
    pub maybe_text: Option<String>,
    pub maybe_bytes: Option<Vec<u8>>,
    pub r#type: std::string::String,
    pub r#match: ::core::option::Option<i32>,
}

fn main() {
    let _: Column<Everything, Vec<u8>> = Everything::BYTES;
    let _: Column<Everything, Option<Vec<u8>>> = Everything::MAYBE_BYTES;
    let _: Column<Everything, String> = Everything::TYPE;
    let _: Column<Everything, Option<i32>> = Everything::MATCH;
    assert_eq!(Everything::TYPE.name(), "type");
    assert_eq!(<Everything as orm::FromRow>::WIDTH, 23);
    assert_eq!(<Everything as Model>::COLUMNS.len(), 23);
    assert_eq!(<Everything as Model>::COLUMNS[21].field, "type");
}
