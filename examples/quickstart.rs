//! The README's quickstart: a model, its table, and CRUD.
//!
//! `cargo run --example quickstart` uses a SQLite file (`quickstart.db`) and needs nothing installed;
//! `DATABASE_URL=postgres://postgres@127.0.0.1/test` or `DATABASE_URL=mysql://root@127.0.0.1/test`
//! runs the same program on PostgreSQL or MySQL/MariaDB.

use orm::prelude::*;

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "quickstart_users")]
pub struct User {
    #[orm(primary_key, auto_increment)]
    pub id: i64,
    pub name: String,
    #[orm(unique)]
    pub email: String,
    pub hair_color: Option<String>,
}

#[tokio::main]
async fn main() -> orm::Result<()> {
    let url = std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "sqlite://quickstart.db?mode=rwc".into());
    let db = Database::connect(&url).await?;
    println!("connected: {}", db.config());
    db.drop_table::<User>().await?;
    db.create_table::<User>().await?;

    let mut john = User {
        id: 0,
        name: "John".into(),
        email: "john@example.com".into(),
        hair_color: None,
    };
    john.insert(&db).await?;
    println!("inserted {john:?}");

    let mut jane = User {
        id: 0,
        name: "Jane".into(),
        email: "jane@example.com".into(),
        hair_color: Some("black".into()),
    };
    jane.insert(&db).await?;

    let same = User::get(&db, john.id).await?;
    assert_eq!(same, john);
    let by_mail = User::find_by_email(&db, "jane@example.com").await?;
    println!("found by email: {by_mail:?}");

    let black = User::query()
        .filter(User::HAIR_COLOR.eq("black").and(User::NAME.like("J%")))
        .order_by(User::NAME.asc())
        .limit(10)
        .all(&db)
        .await?;
    println!("black-haired J-names: {black:?}");

    let duplicate = User {
        id: 0,
        name: "Impostor".into(),
        ..john.clone()
    };
    match duplicate.clone().insert(&db).await {
        Err(e) if e.is_unique_violation() => println!("Email already exists"),
        other => other?,
    }

    db.transaction(async |tx| {
        john.name = "Johnny".into();
        john.update(tx).await?;
        Ok::<_, orm::Error>(())
    })
    .await?;
    println!("renamed: {:?}", User::get(&db, john.id).await?);

    john.delete(&db).await?;
    println!("{} user(s) left", User::query().count(&db).await?);
    db.close().await;
    Ok(())
}
