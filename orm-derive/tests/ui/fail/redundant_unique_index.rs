use orm::prelude::*;

#[derive(Model)]
pub struct User {
    #[orm(primary_key, unique, index)]
    pub id: i64,
    #[orm(unique, index)]
    pub email: String,
}

fn main() {}
