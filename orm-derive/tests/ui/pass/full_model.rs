//! The model from the documentation, used the way applications use it.

use orm::prelude::*;

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "users")]
pub struct User {
    #[orm(primary_key, auto_increment)]
    pub id: i64,
    pub name: String,
    #[orm(unique)]
    pub email: String,
    #[orm(column = "hair")]
    pub hair_color: Option<String>,
    #[orm(index)]
    pub age: i32,
}

fn assert_send<T: Send>(_: &T) {}

/// Finders and queries compile against any executor and their futures are `Send`.
#[allow(dead_code)]
async fn queries(db: &impl Executor) -> orm::Result<()> {
    let by_mail = User::find_by_email(db, "j@x.io");
    assert_send(&by_mail);
    let _: Option<User> = by_mail.await?;
    let _: Option<User> = User::find_by_email(db, String::from("j@x.io")).await?;
    let _: Vec<User> = User::query()
        .filter(User::HAIR_COLOR.eq("black").and(User::NAME.like("J%")))
        .filter(User::AGE.ge(18))
        .filter(User::ID.gt(10_i32))
        .order_by(User::NAME.asc())
        .all(db)
        .await?;
    let _: User = User::get(db, 1).await?;
    Ok(())
}

fn main() {
    let id: Column<User, i64> = User::ID;
    let hair: Column<User, Option<String>> = User::HAIR_COLOR;
    assert_eq!(id.name(), "id");
    assert_eq!(hair.name(), "hair");
    assert_eq!(<User as Model>::TABLE, "users");
    assert_eq!(<User as Model>::AUTO_INCREMENT, Some(0));
}
