use orm::prelude::*;

#[derive(Model)]
#[orm(primary_key)]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    #[orm(table = "names")]
    pub name: String,
}

fn main() {}
