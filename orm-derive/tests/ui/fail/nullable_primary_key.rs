use orm::prelude::*;

#[derive(Model)]
pub struct Session {
    #[orm(primary_key)]
    pub token: Option<String>,
    pub user_id: i64,
}

fn main() {}
