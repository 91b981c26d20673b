//! Models shared by the suite.

use orm::prelude::*;

/// The README's model.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "users")]
pub struct User {
    #[orm(primary_key, auto_increment)]
    pub id: i64,
    pub name: String,
    #[orm(unique)]
    pub email: String,
    pub hair_color: Option<String>,
    #[orm(index)]
    pub age: i32,
}

impl User {
    /// A user with a unique email derived from `name`.
    pub fn new(name: &str, age: i32) -> Self {
        User {
            id: 0,
            name: name.into(),
            email: format!("{}@example.com", name.to_lowercase()),
            hair_color: None,
            age,
        }
    }
}

/// One column of every supported type, NOT NULL and nullable.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "all_types")]
pub struct AllTypes {
    #[orm(primary_key, auto_increment)]
    pub id: i64,
    pub flag: bool,
    pub small: i16,
    pub int: i32,
    pub big: i64,
    pub unsigned32: u32,
    pub unsigned64: u64,
    pub real: f32,
    pub double: f64,
    pub text: String,
    pub bytes: Vec<u8>,
    pub opt_flag: Option<bool>,
    pub opt_small: Option<i16>,
    pub opt_int: Option<i32>,
    pub opt_big: Option<i64>,
    pub opt_unsigned32: Option<u32>,
    pub opt_unsigned64: Option<u64>,
    pub opt_real: Option<f32>,
    pub opt_double: Option<f64>,
    pub opt_text: Option<String>,
    pub opt_bytes: Option<Vec<u8>>,
}

impl Default for AllTypes {
    fn default() -> Self {
        AllTypes {
            id: 0,
            flag: false,
            small: 0,
            int: 0,
            big: 0,
            unsigned32: 0,
            unsigned64: 0,
            real: 0.0,
            double: 0.0,
            text: String::new(),
            bytes: Vec::new(),
            opt_flag: None,
            opt_small: None,
            opt_int: None,
            opt_big: None,
            opt_unsigned32: None,
            opt_unsigned64: None,
            opt_real: None,
            opt_double: None,
            opt_text: None,
            opt_bytes: None,
        }
    }
}

/// A composite primary key without auto-increment, with a renamed column.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "memberships")]
pub struct Membership {
    #[orm(primary_key)]
    pub org: String,
    #[orm(primary_key)]
    pub user_id: i64,
    #[orm(column = "role_name")]
    pub role: String,
}

/// Posts of users (for joins and associations).
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "posts")]
pub struct Post {
    #[orm(primary_key, auto_increment)]
    pub id: i64,
    #[orm(index)]
    pub user_id: i64,
    pub title: String,
    pub body: Option<String>,
}

/// A model whose table name defaults to the struct name in snake_case, with a text primary key.
#[derive(Model, Debug, Clone, PartialEq)]
pub struct ApiKey {
    #[orm(primary_key)]
    pub key: String,
    pub owner: String,
}

/// Employees and their bosses (self-joins), with an integer salary and a nullable float rating
/// (integer and float aggregates).
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "employees")]
pub struct Employee {
    #[orm(primary_key, auto_increment)]
    pub id: i64,
    pub name: String,
    pub boss_id: Option<i64>,
    pub salary: i64,
    pub rating: Option<f64>,
}

/// A named counter: bulk `count = count + 1` updates and upserts on a unique label.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "counters")]
pub struct Counter {
    #[orm(primary_key, auto_increment)]
    pub id: i64,
    #[orm(unique)]
    pub label: String,
    pub count: i64,
}

/// A tag keyed by its name: upserts of a model without a generated key.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "tags")]
pub struct Tag {
    #[orm(primary_key)]
    pub name: String,
    pub uses: i64,
}

/// Free text, for property tests of text matching.
#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "notes")]
pub struct Note {
    #[orm(primary_key, auto_increment)]
    pub id: i64,
    pub body: String,
}
