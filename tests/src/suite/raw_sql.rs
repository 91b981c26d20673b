//! Hand-written SQL with bound parameters, mapped into models and tuples.

use orm::prelude::*;

use crate::TestDb;
use crate::models::User;

pub async fn raw_execute_reports_rows_affected(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<User>().await?;
    let mut users: Vec<User> = (0..4).map(|i| User::new(&format!("r{i}"), i)).collect();
    User::insert_many(db, &mut users).await?;
    let n = raw("UPDATE users SET age = age + ? WHERE age >= ?")
        .bind(10)
        .bind(2)
        .execute(db)
        .await?;
    assert_eq!(n, 2);
    let n = raw("UPDATE users SET age = ? WHERE age = ?")
        .bind(0)
        .bind(0)
        .execute(db)
        .await?;
    assert_eq!(n, 1, "rows matched, even when unchanged");
    Ok(())
}

pub async fn raw_select_into_model_by_name_and_tuple(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<User>().await?;
    let mut u = User {
        hair_color: Some("teal".into()),
        ..User::new("Lou", 33)
    };
    u.insert(db).await?;
    // Columns in another order than the struct: models map by name.
    let rows: Vec<User> = raw("SELECT email, age, hair_color, name, id FROM users WHERE name = ?")
        .bind("Lou")
        .fetch_all(db)
        .await?;
    assert_eq!(rows, vec![u.clone()]);
    let pairs: Vec<(i64, String)> = raw("SELECT id, name FROM users WHERE age > ?")
        .bind(1)
        .fetch_all(db)
        .await?;
    assert_eq!(pairs, vec![(u.id, "Lou".to_string())]);
    let one: (i64,) = raw("SELECT COUNT(*) FROM users").fetch_one(db).await?;
    assert_eq!(one.0, 1);
    let none: Option<(String,)> = raw("SELECT name FROM users WHERE id = ?")
        .bind(-1)
        .fetch_optional(db)
        .await?;
    assert_eq!(none, None);
    // Literal question marks in strings are not placeholders.
    let q: (String,) = raw("SELECT 'what?' ").fetch_one(db).await?;
    assert_eq!(q.0, "what?");
    Ok(())
}

pub async fn raw_values_are_bound_not_spliced(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<User>().await?;
    let evil = "x'); DROP TABLE users; --";
    let mut u = User {
        name: evil.into(),
        ..User::new("Mo", 1)
    };
    u.insert(db).await?;
    let back: Vec<(String,)> = raw("SELECT name FROM users WHERE name = ?")
        .bind(evil)
        .fetch_all(db)
        .await?;
    assert_eq!(back, vec![(evil.to_string(),)]);
    assert_eq!(User::query().count(db).await?, 1);
    let err = raw("SELECT ? , ?")
        .bind(1)
        .fetch_all::<(i64,)>(db)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidQuery(_)),
        "placeholder count is checked: {err:?}"
    );
    Ok(())
}
