//! Row locks: `for_update` / `for_share` inside a transaction return the rows the same locking query
//! written by hand returns, and really lock them on PostgreSQL and MySQL; SQLite (which locks the
//! whole database instead) refuses them with the typed `Unsupported` error before sending anything.

use std::time::Duration;

use orm::Dialect;
use orm::prelude::*;

use crate::models::User;
use crate::suite::builder::{same, seed, sql};
use crate::{Kind, TestDb};

pub async fn row_locks_lock_or_are_unsupported(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = seed(db).await?;
    let ann = s.users[0].id;
    let locked = || {
        User::query()
            .filter(User::AGE.eq(30))
            .order_by(User::ID.asc())
    };

    if t.kind() == Kind::Sqlite {
        let tx = db.begin().await?;
        for r in [
            locked().for_update().all(&tx).await,
            locked().for_share().all(&tx).await,
        ] {
            assert!(
                matches!(
                    r,
                    Err(Error::Unsupported {
                        dialect: Dialect::Sqlite,
                        ..
                    })
                ),
                "{r:?}"
            );
        }
        tx.rollback().await?;
        let outside = locked().for_update().stream(db).next().await;
        assert!(
            matches!(outside, Some(Err(Error::Unsupported { .. }))),
            "{outside:?}"
        );
        return Ok(());
    }

    let share = match t.kind() {
        Kind::MySql => "LOCK IN SHARE MODE",
        _ => "FOR SHARE",
    };
    let tx = db.begin().await?;
    let built = locked().for_update().all(&tx).await?;
    let hand: Vec<User> = raw("SELECT * FROM users WHERE age = ? ORDER BY id FOR UPDATE")
        .bind(30)
        .fetch_all(&tx)
        .await?;
    let want: Vec<User> = s.users.iter().filter(|u| u.age == 30).cloned().collect();
    assert_eq!(same("for update", built, hand), want);
    let built = locked().for_share().all(&tx).await?;
    let hand: Vec<User> = sql(format!(
        "SELECT * FROM users WHERE age = ? ORDER BY id {share}"
    ))
    .bind(30)
    .fetch_all(&tx)
    .await?;
    assert_eq!(same("for share", built, hand), want);

    // Another connection's write to a locked row waits for the lock holder to commit.
    let other = db.clone();
    let writer = tokio::spawn(async move {
        raw("UPDATE users SET age = age + 1 WHERE id = ?")
            .bind(ann)
            .execute(&other)
            .await
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!writer.is_finished(), "the locked row was written");
    tx.commit().await?;
    let written = tokio::time::timeout(Duration::from_secs(10), writer)
        .await
        .map_err(|_| Error::InvalidQuery("the writer never got the lock".into()))?
        .map_err(|e| Error::InvalidQuery(format!("writer task: {e}")))??;
    assert_eq!(written, 1);

    // Shared locks do not block each other.
    let a = db.begin().await?;
    let b = db.begin().await?;
    let one = locked().for_share().all(&a).await?;
    let two = tokio::time::timeout(Duration::from_secs(5), locked().for_share().all(&b))
        .await
        .map_err(|_| Error::InvalidQuery("a shared lock blocked another".into()))??;
    assert_eq!(one, two);
    a.commit().await?;
    b.commit().await?;
    Ok(())
}
