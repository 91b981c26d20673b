use orm::prelude::*;

#[derive(Model)]
#[allow(non_snake_case)]
pub struct User {
    #[orm(primary_key)]
    pub id: i64,
    pub user_name: String,
    pub userName: String,
}

fn main() {
    let _ = User::USER_NAME;
}
