use orm::prelude::*;

#[derive(Model)]
#[orm(table = users, crate = "not a path")]
pub struct User {
    #[orm(primary_key = true)]
    pub id: i64,
    #[orm(column = hair)]
    pub hair_color: Option<String>,
    #[orm(column)]
    pub name: String,
    #[orm(column = "")]
    pub email: String,
    #[orm(unique(email))]
    pub login: String,
    #[orm]
    pub age: i32,
    #[orm(index = )]
    pub rank: i32,
}

fn main() {}
