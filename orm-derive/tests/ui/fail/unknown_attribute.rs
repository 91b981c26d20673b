use orm::prelude::*;

#[derive(Model)]
#[orm(schema = "public")]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(default = 5)]
    pub rank: i32,
    #[orm(serde::rename = "x")]
    pub name: String,
}

fn main() {}
