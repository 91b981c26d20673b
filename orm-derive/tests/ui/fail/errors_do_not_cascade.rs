//! An attribute mistake is reported alone: the struct still gets its constants, finders and trait
//! impls, so the code using it compiles on.
use orm::prelude::*;

#[derive(Model)]
pub struct User {
    #[orm(primary_key, auto_increment)]
    pub id: i64,
    #[orm(unique, colum = "mail")]
    pub email: String,
}

#[allow(dead_code)]
async fn use_it(db: &impl Executor) -> orm::Result<()> {
    let _: Vec<User> = User::query().filter(User::EMAIL.eq("x")).all(db).await?;
    let _: Option<User> = User::find_by_email(db, "x").await?;
    let _: User = User::get(db, 1).await?;
    Ok(())
}

fn main() {}
