use orm::prelude::*;

#[derive(Model)]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[orm(column = "name")]
    pub display_name: String,
    #[orm(column = "ID")]
    pub legacy_id: i64,
}

fn main() {}
