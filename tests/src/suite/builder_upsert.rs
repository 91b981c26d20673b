//! Upserts: insert-or-update and insert-or-ignore on a unique key, with the generated key written
//! back as documented (the key of the row now holding the values; nothing when DO NOTHING skips an
//! existing row), for models with and without a generated key; the table is checked by hand after
//! each step.

use orm::prelude::*;

use crate::TestDb;
use crate::models::{Counter, Tag, User};
use crate::suite::builder::{USERS, seed};

type UserRow = (i64, String, String, Option<String>, i32);

async fn user_by_email(db: &Database, email: &str) -> Result<Option<UserRow>> {
    raw("SELECT id, name, email, hair_color, age FROM users WHERE email = ?")
        .bind(email)
        .fetch_optional(db)
        .await
}

async fn user_count(db: &Database) -> Result<i64> {
    let (n,): (i64,) = raw("SELECT COUNT(*) FROM users").fetch_one(db).await?;
    Ok(n)
}

fn user(name: &str, email: &str, hair: Option<&str>, age: i32) -> User {
    User {
        id: 0,
        name: name.into(),
        email: email.into(),
        hair_color: hair.map(Into::into),
        age,
    }
}

pub async fn upsert_inserts_or_updates_and_writes_the_key_back(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = seed(db).await?;
    let rows = user_count(db).await?;
    let ann = &s.users[0];

    // A conflict on the unique email updates the chosen columns of the existing row.
    let mut u = user("Ann v2", &ann.email, Some("green"), 99);
    let wrote = u
        .upsert(
            db,
            OnConflict::columns(User::EMAIL).update((User::NAME, User::AGE)),
        )
        .await?;
    assert!(wrote);
    assert_eq!(u.id, ann.id, "the existing row's key is written back");
    assert_eq!(
        user_by_email(db, &ann.email).await?,
        Some((
            ann.id,
            "Ann v2".into(),
            ann.email.clone(),
            ann.hair_color.clone(),
            99
        )),
        "hair colour is not in the update list"
    );
    assert_eq!(user_count(db).await?, rows);

    // update_all overwrites every column but the key and the conflict target.
    let zoe = &s.users[3];
    let mut u = user("Zoé", &zoe.email, None, 1);
    assert!(
        u.upsert(db, OnConflict::columns(User::EMAIL).update_all())
            .await?
    );
    assert_eq!(u.id, zoe.id);
    assert_eq!(
        user_by_email(db, &zoe.email).await?,
        Some((zoe.id, "Zoé".into(), zoe.email.clone(), None, 1))
    );

    // No conflict: a plain insert with its new key written back.
    let mut n = user("Ωmega 2", "new@example.com", Some("🎉"), 5);
    assert!(
        n.upsert(
            db,
            OnConflict::columns(User::EMAIL).update((User::NAME, User::AGE))
        )
        .await?
    );
    assert!(n.id > 0 && s.users.iter().all(|u| u.id != n.id));
    assert_eq!(
        user_by_email(db, "new@example.com").await?,
        Some((
            n.id,
            n.name.clone(),
            n.email.clone(),
            n.hair_color.clone(),
            5
        ))
    );
    assert_eq!(user_count(db).await?, rows + 1);

    // Upserting the same row again updates it in place, same key.
    let first_id = n.id;
    n.id = 0;
    n.age = 6;
    assert!(
        n.upsert(db, OnConflict::columns(User::EMAIL).update(User::AGE))
            .await?
    );
    assert_eq!(n.id, first_id);
    assert_eq!(user_count(db).await?, rows + 1);
    Ok(())
}

pub async fn insert_or_ignore_skips_existing_rows(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = seed(db).await?;
    let rows = user_count(db).await?;
    let bob = &s.users[1];

    // An existing email: nothing written, nothing written back.
    let mut u = user("Not Bob", &bob.email, None, 1);
    let wrote = u
        .upsert(db, OnConflict::columns(User::EMAIL).do_nothing())
        .await?;
    assert!(!wrote);
    assert_eq!(u.id, 0, "no key is written back when the row was skipped");
    assert_eq!(
        user_by_email(db, &bob.email).await?,
        Some((bob.id, bob.name.clone(), bob.email.clone(), None, bob.age))
    );
    assert_eq!(user_count(db).await?, rows);

    // A new email: inserted, key written back.
    let mut u = user("日本 2", "nihon2@example.com", None, 3);
    assert!(
        u.upsert(db, OnConflict::columns(User::EMAIL).do_nothing())
            .await?
    );
    assert!(u.id > 0);
    assert_eq!(
        user_by_email(db, "nihon2@example.com").await?.map(|r| r.0),
        Some(u.id)
    );

    // Many rows at once: existing ones skipped, new ones inserted, no keys written back.
    let batch = vec![
        user("dup", USERS[2].1, None, 1),
        user("fresh 1", "fresh1@example.com", None, 1),
        user("dup", USERS[5].1, None, 1),
        user("fresh 2", "fresh2@example.com", Some("x"), 2),
    ];
    User::upsert_many(db, &batch, OnConflict::columns(User::EMAIL).do_nothing()).await?;
    assert_eq!(user_count(db).await?, rows + 3);
    assert_eq!(
        user_by_email(db, USERS[2].1).await?.map(|r| r.1),
        Some(USERS[2].0.to_owned()),
        "the existing row is unchanged"
    );
    assert!(batch.iter().all(|u| u.id == 0));
    Ok(())
}

pub async fn upserts_without_a_generated_key(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<Tag>().await?;
    let tags = || async {
        raw("SELECT name, uses FROM tags ORDER BY name")
            .fetch_all::<(String, i64)>(db)
            .await
    };
    let mut rust = Tag {
        name: "rust".into(),
        uses: 1,
    };
    assert!(
        rust.upsert(db, OnConflict::primary_key()).await?,
        "inserted"
    );
    rust.uses = 2;
    assert!(
        !rust.upsert(db, OnConflict::primary_key()).await?,
        "skipped: primary key taken"
    );
    assert_eq!(tags().await?, [("rust".to_owned(), 1)]);
    assert!(
        rust.upsert(db, OnConflict::primary_key().update(Tag::USES))
            .await?,
        "updated"
    );
    assert_eq!(tags().await?, [("rust".to_owned(), 2)]);
    Tag::upsert_many(
        db,
        &[
            Tag {
                name: "rust".into(),
                uses: 10,
            },
            Tag {
                name: "日本".into(),
                uses: 3,
            },
            Tag {
                name: "%_\\".into(),
                uses: 4,
            },
        ],
        OnConflict::primary_key().update_all(),
    )
    .await?;
    assert_eq!(
        tags().await?,
        [
            ("%_\\".to_owned(), 4),
            ("rust".to_owned(), 10),
            ("日本".to_owned(), 3)
        ]
    );

    // A model whose key is generated, upserted on another unique column.
    db.create_table::<Counter>().await?;
    let mut c = Counter {
        id: 0,
        label: "visits".into(),
        count: 1,
    };
    assert!(
        c.upsert(
            db,
            OnConflict::columns(Counter::LABEL).update(Counter::COUNT)
        )
        .await?
    );
    let id = c.id;
    assert!(id > 0);
    let mut again = Counter {
        id: 0,
        label: "visits".into(),
        count: 2,
    };
    assert!(
        again
            .upsert(
                db,
                OnConflict::columns(Counter::LABEL).update(Counter::COUNT)
            )
            .await?
    );
    assert_eq!(again.id, id);
    let mut ignored = Counter {
        id: 0,
        label: "visits".into(),
        count: 3,
    };
    assert!(
        !ignored
            .upsert(db, OnConflict::columns(Counter::LABEL).do_nothing())
            .await?
    );
    assert_eq!(ignored.id, 0);
    let rows: Vec<(i64, String, i64)> = raw("SELECT id, label, count FROM counters")
        .fetch_all(db)
        .await?;
    assert_eq!(rows, [(id, "visits".to_owned(), 2)]);
    Ok(())
}
