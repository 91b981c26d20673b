use orm::prelude::*;

#[derive(Model)]
pub struct User {
    #[orm(primary_key, auto_increment)]
    pub id: i64,
    #[orm(unique)]
    pub email: String,
}

#[allow(dead_code)]
async fn misuse(db: &impl Executor) {
    let _ = User::query().filter(User::EMAIL.eq("x"));
    let _ = User::query().filter(User::ID.eq("x"));
    let _ = User::find_by_email(db, 5);
    let _ = User::get(db, "x");
}

fn main() {}
