//! insert / get / find / find_by / update / save / delete / insert_many / insert_all, single and
//! composite keys.

use orm::prelude::*;

use crate::TestDb;
use crate::models::{ApiKey, Membership, User};

pub async fn insert_writes_back_generated_key(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<User>().await?;
    let mut a = User::new("Ann", 30);
    let mut b = User::new("Bob", 40);
    a.insert(db).await?;
    b.insert(db).await?;
    assert!(a.id > 0, "generated id written back: {a:?}");
    assert_eq!(b.id, a.id + 1, "ids increase by one");
    assert_eq!(User::get(db, a.id).await?, a);
    assert_eq!(User::get(db, b.id).await?, b);
    Ok(())
}

pub async fn get_missing_is_not_found_and_find_is_none(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<User>().await?;
    let err = User::get(db, 12345).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert!(matches!(err, Error::NotFound { table: "users" }));
    assert_eq!(User::find(db, 12345).await?, None);
    Ok(())
}

pub async fn find_by_unique_field(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<User>().await?;
    let mut u = User::new("Cleo", 22);
    u.insert(db).await?;
    assert_eq!(
        User::find_by_email(db, "cleo@example.com").await?,
        Some(u.clone())
    );
    assert_eq!(
        User::find_by_email(db, String::from("nobody@example.com")).await?,
        None
    );
    Ok(())
}

pub async fn update_by_primary_key(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<User>().await?;
    let mut u = User::new("Dan", 50);
    u.insert(db).await?;
    u.name = "Daniel".into();
    u.hair_color = Some("grey".into());
    u.update(db).await?;
    assert_eq!(User::get(db, u.id).await?, u);
    // Updating with identical values still counts as a match (not NotFound) on every backend.
    u.update(db).await?;
    let mut ghost = u.clone();
    ghost.id = u.id + 1000;
    assert!(ghost.update(db).await.unwrap_err().is_not_found());
    Ok(())
}

pub async fn save_inserts_then_updates(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<User>().await?;
    let mut u = User::new("Eve", 28);
    u.save(db).await?;
    assert!(u.id > 0);
    u.age = 29;
    u.save(db).await?;
    assert_eq!(User::get(db, u.id).await?.age, 29);
    assert_eq!(User::query().count(db).await?, 1);
    Ok(())
}

pub async fn delete_and_delete_by_id(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<User>().await?;
    let mut a = User::new("Fay", 1);
    let mut b = User::new("Gus", 2);
    a.insert(db).await?;
    b.insert(db).await?;
    assert!(a.delete(db).await?);
    assert!(!a.delete(db).await?, "second delete finds nothing");
    assert!(User::delete_by_id(db, b.id).await?);
    assert!(!User::delete_by_id(db, b.id).await?);
    assert_eq!(User::query().count(db).await?, 0);
    Ok(())
}

pub async fn insert_many_writes_back_keys_in_order(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<User>().await?;
    let mut users: Vec<User> = (0..25).map(|i| User::new(&format!("u{i}"), i)).collect();
    User::insert_many(db, &mut users).await?;
    for w in users.windows(2) {
        assert!(w[1].id > w[0].id, "keys written back in row order");
    }
    for u in &users {
        assert_eq!(&User::get(db, u.id).await?, u);
    }
    User::insert_many(db, &mut []).await?;
    Ok(())
}

pub async fn insert_many_chunks_under_bind_limit(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<User>().await?;
    // 2,500 rows x 4 columns = 10,000 parameters: several statements on every backend.
    let mut users: Vec<User> = (0..2500)
        .map(|i| User::new(&format!("bulk{i}"), i))
        .collect();
    User::insert_many(db, &mut users).await?;
    assert_eq!(User::query().count(db).await?, 2500);
    let ids: std::collections::HashSet<i64> = users.iter().map(|u| u.id).collect();
    assert_eq!(ids.len(), 2500, "every row got its own key");
    let last = users.last().expect("rows");
    assert_eq!(&User::get(db, last.id).await?, last);
    Ok(())
}

pub async fn insert_all_inserts_without_reading_keys_back(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<User>().await?;
    db.create_table::<Membership>().await?;
    assert_eq!(User::insert_all(db, &[]).await?, 0);
    // 2,500 rows x 4 columns = 10,000 parameters: several statements on every backend.
    let users: Vec<User> = (0..2500)
        .map(|i| User::new(&format!("all{i}"), i))
        .collect();
    assert_eq!(User::insert_all(db, &users).await?, 2500);
    assert!(users.iter().all(|u| u.id == 0), "the rows are only read");
    let stored = User::query().order_by(User::AGE.asc()).all(db).await?;
    assert_eq!(stored.len(), 2500);
    let ids: std::collections::HashSet<i64> = stored.iter().map(|u| u.id).collect();
    assert_eq!(ids.len(), 2500, "the database generated every key");
    for (s, u) in stored.iter().zip(&users) {
        assert_eq!((&s.name, &s.email, s.age), (&u.name, &u.email, u.age));
    }
    let members =
        [("acme", 1, "admin"), ("acme", 2, "dev")].map(|(org, user_id, role)| Membership {
            org: org.into(),
            user_id,
            role: role.into(),
        });
    assert_eq!(Membership::insert_all(db, &members).await?, 2);
    assert_eq!(Membership::query().count(db).await?, 2);
    // Owned rows are consumed: their text moves into the statement.
    let owned: Vec<User> = (0..30)
        .map(|i| User {
            hair_color: Some(format!("shade {i}")),
            ..User::new(&format!("owned{i}"), 5000 + i)
        })
        .collect();
    let expected = owned.clone();
    assert_eq!(User::insert_all(db, owned).await?, 30);
    let stored = User::query()
        .filter(User::AGE.ge(5000))
        .order_by(User::AGE.asc())
        .all(db)
        .await?;
    assert_eq!(stored.len(), 30);
    for (s, e) in stored.iter().zip(&expected) {
        assert_eq!(
            (&s.name, &s.email, &s.hair_color, s.age),
            (&e.name, &e.email, &e.hair_color, e.age)
        );
    }
    let two = [User::new("arr1", 7001), User::new("arr2", 7002)];
    assert_eq!(User::insert_all(db, two).await?, 2);
    // A duplicate in one statement: a typed error, and that statement inserts nothing.
    let clash = [User::new("fresh", 1), User::new("all7", 2)];
    let err = User::insert_all(db, &clash).await.unwrap_err();
    assert!(err.is_unique_violation(), "{err:?}");
    assert_eq!(User::query().count(db).await?, 2532);
    Ok(())
}

pub async fn composite_primary_key(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<Membership>().await?;
    let mut m = Membership {
        org: "acme".into(),
        user_id: 7,
        role: "admin".into(),
    };
    m.insert(db).await?;
    Membership {
        org: "acme".into(),
        user_id: 8,
        role: "dev".into(),
    }
    .insert(db)
    .await?;
    Membership {
        org: "zeta".into(),
        user_id: 7,
        role: "dev".into(),
    }
    .insert(db)
    .await?;
    assert_eq!(Membership::get(db, ("acme", 7)).await?, m);
    m.role = "owner".into();
    m.update(db).await?;
    assert_eq!(
        Membership::get(db, ("acme".to_string(), 7)).await?.role,
        "owner"
    );
    assert!(Membership::delete_by_id(db, ("zeta", 7)).await?);
    assert_eq!(Membership::find(db, ("zeta", 7)).await?, None);
    assert_eq!(Membership::query().count(db).await?, 2);
    let dup = Membership {
        org: "acme".into(),
        user_id: 7,
        role: "x".into(),
    }
    .insert(db)
    .await
    .unwrap_err();
    assert!(dup.is_unique_violation(), "{dup:?}");
    Ok(())
}

pub async fn text_primary_key_and_default_table_name(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<ApiKey>().await?;
    assert_eq!(<ApiKey as Model>::TABLE, "api_key");
    let mut k = ApiKey {
        key: "k-1".into(),
        owner: "ann".into(),
    };
    k.insert(db).await?;
    k.owner = "bob".into();
    k.save(db).await?;
    assert_eq!(ApiKey::get(db, "k-1").await?.owner, "bob");
    let mut fresh = ApiKey {
        key: "k-2".into(),
        owner: "cy".into(),
    };
    fresh.save(db).await?;
    assert_eq!(ApiKey::query().count(db).await?, 2);
    Ok(())
}

pub async fn create_table_is_idempotent_and_drop_works(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<User>().await?;
    db.create_table::<User>().await?;
    User::new("Hal", 3).insert(db).await?;
    db.drop_table::<User>().await?;
    db.drop_table::<User>().await?;
    db.create_table::<User>().await?;
    assert_eq!(User::query().count(db).await?, 0);
    Ok(())
}
