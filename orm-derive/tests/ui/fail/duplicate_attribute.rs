use orm::prelude::*;

#[derive(Model)]
#[orm(table = "users")]
#[orm(table = "people")]
pub struct User {
    #[orm(primary_key, primary_key)]
    pub id: i64,
    #[orm(unique)]
    #[orm(unique)]
    pub email: String,
    #[orm(column = "a", column = "b")]
    pub name: String,
}

fn main() {}
