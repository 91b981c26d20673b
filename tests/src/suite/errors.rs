//! Errors users match on the same way on every backend.

use orm::prelude::*;

use crate::TestDb;
use crate::models::{Post, User};

pub async fn unique_violation_is_typed(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<User>().await?;
    User::new("Ivy", 1).insert(db).await?;
    let err = User {
        name: "Other".into(),
        ..User::new("Ivy", 2)
    }
    .insert(db)
    .await
    .unwrap_err();
    assert!(err.is_unique_violation(), "{err:?}");
    let Error::UniqueViolation(info) = &err else {
        unreachable!()
    };
    let names_it = info.constraint.as_deref() == Some("uq_users_email")
        || info.column.as_deref() == Some("email");
    assert!(
        names_it,
        "the server's constraint or column is kept: {info:?}"
    );
    assert!(!info.code.is_empty() && !info.message.is_empty());
    assert_eq!(User::query().count(db).await?, 1, "nothing half-written");
    Ok(())
}

pub async fn not_null_violation_is_typed(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<User>().await?;
    let err = raw("INSERT INTO users (name, email, age) VALUES (?, ?, ?)")
        .bind("n")
        .bind(Option::<String>::None)
        .bind(3)
        .execute(db)
        .await
        .unwrap_err();
    assert!(err.is_not_null_violation(), "{err:?}");
    Ok(())
}

pub async fn foreign_key_violation_is_typed(t: &TestDb) -> Result<()> {
    let db = &t.db;
    raw("CREATE TABLE parents (id INTEGER PRIMARY KEY)")
        .execute(db)
        .await?;
    // Table-level FOREIGN KEY: InnoDB ignores column-level REFERENCES.
    raw("CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL, FOREIGN KEY (parent_id) REFERENCES parents (id))")
        .execute(db)
        .await?;
    raw("INSERT INTO parents (id) VALUES (?)")
        .bind(1)
        .execute(db)
        .await?;
    raw("INSERT INTO children (id, parent_id) VALUES (?, ?)")
        .bind(1)
        .bind(1)
        .execute(db)
        .await?;
    let err = raw("INSERT INTO children (id, parent_id) VALUES (?, ?)")
        .bind(2)
        .bind(99)
        .execute(db)
        .await
        .unwrap_err();
    assert!(err.is_foreign_key_violation(), "{err:?}");
    let err = raw("DELETE FROM parents WHERE id = ?")
        .bind(1)
        .execute(db)
        .await
        .unwrap_err();
    assert!(err.is_foreign_key_violation(), "{err:?}");
    Ok(())
}

pub async fn decode_error_names_column_and_type(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<User>().await?;
    User::new("Kai", 5).insert(db).await?;
    let err = raw("SELECT name FROM users")
        .fetch_all::<(i64,)>(db)
        .await
        .unwrap_err();
    match &err {
        Error::Decode {
            column, expected, ..
        } => {
            assert_eq!(column, "name");
            assert!(expected.contains("i64"), "{expected}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let err = raw("SELECT hair_color FROM users")
        .fetch_all::<(String,)>(db)
        .await
        .unwrap_err();
    match &err {
        Error::Decode {
            column, expected, ..
        } => {
            assert_eq!(column, "hair_color", "NULL into a non-Option");
            assert!(expected.contains("String"), "{expected}");
        }
        other => panic!("NULL into a non-Option is a decode error, got {other:?}"),
    }
    // The NULL test of a left-joined model past the end of the row fails, it does not panic.
    let err = raw("SELECT id FROM users")
        .fetch_all::<(i64, Option<Post>)>(db)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { message, .. } if message.contains("1 columns")),
        "a left-joined model past the end of the row: {err:?}"
    );
    Ok(())
}

pub async fn server_errors_keep_code_and_message(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let err = raw("SELECT * FROM no_such_table")
        .execute(db)
        .await
        .unwrap_err();
    let Error::Database(info) = &err else {
        panic!("expected Error::Database, got {err:?}")
    };
    assert!(!info.code.is_empty(), "{info:?}");
    assert!(info.message.contains("no_such_table"), "{info:?}");
    Ok(())
}
