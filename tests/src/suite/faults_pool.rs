//! Faults of the pool: connections killed behind its back, and exhaustion.

use std::time::{Duration, Instant};

use orm::prelude::*;
use orm::{FromRow, RawRow, Statement};

use super::faults::{assert_clean, pool, scalar, scalar_of};
use crate::{Kind, TestDb};

/// The server's id of the session behind `conn`.
async fn session_id(kind: Kind, conn: &Connection) -> Result<i64> {
    match kind {
        Kind::Postgres => scalar(conn, "SELECT pg_backend_pid()").await,
        Kind::MySql => scalar(conn, "SELECT CONNECTION_ID()").await,
        Kind::Sqlite => Ok(0),
    }
}

/// A row type whose decoding panics, which stops the SQLite worker thread it runs on.
#[derive(Debug)]
struct Explodes;

impl FromRow for Explodes {
    const WIDTH: usize = 1;
    fn from_row_at<R: RawRow + ?Sized>(_: &R, _: usize) -> Result<Self> {
        panic!("the decoder exploded on the worker thread")
    }
}

/// 5. The pool's connections are killed from a second connection (PostgreSQL
///    `pg_terminate_backend`, MariaDB `KILL`); of the next 50 queries all succeed or at most one
///    fails, with a typed `Disconnected`, and the pool refills with new sessions.
///    SQLite has no server to kill sessions: the equivalent is a connection whose worker thread
///    died, which is replaced the same way.
pub async fn killed_connections_are_replaced(t: &TestDb) -> Result<()> {
    const SIZE: usize = 4;
    let kind = t.kind();
    let db = pool(t, &format!("max_connections={SIZE}")).await?;
    let mut held = Vec::new();
    for _ in 0..SIZE {
        held.push(db.acquire().await?);
    }
    let mut killed = Vec::new();
    for conn in &held {
        killed.push(session_id(kind, conn).await?);
    }
    match kind {
        Kind::Sqlite => {
            let err = held[0]
                .fetch_all::<Explodes>(Statement::text("SELECT 1"))
                .await
                .unwrap_err();
            assert!(err.is_disconnected(), "{err:?}");
            drop(held);
        }
        Kind::Postgres | Kind::MySql => {
            drop(held);
            let admin = t.second_pool().await;
            for id in &killed {
                let (kill, alive) = match kind {
                    Kind::Postgres => (
                        format!("SELECT pg_terminate_backend({id})"),
                        format!("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = {id}"),
                    ),
                    _ => (
                        format!("KILL CONNECTION {id}"),
                        format!(
                            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = {id}"
                        ),
                    ),
                };
                raw(AssertSqlSafe(kill)).execute(&admin).await?;
                let start = Instant::now();
                while scalar_of(&admin, alive.clone()).await? > 0 {
                    assert!(
                        start.elapsed() < Duration::from_secs(5),
                        "session {id} survived"
                    );
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
            admin.close().await;
        }
    }

    let mut failures = Vec::new();
    for i in 0..50 {
        match scalar(&db, "SELECT 42").await {
            Ok(n) => assert_eq!(n, 42),
            Err(e) => {
                assert!(e.is_disconnected(), "query {i}: {e:?}");
                failures.push(e);
            }
        }
    }
    assert!(failures.len() <= 1, "{failures:?}");

    // The pool refills: every slot can be checked out at once, each on a new session.
    let mut refilled = Vec::new();
    for _ in 0..SIZE {
        refilled.push(db.acquire().await?);
    }
    for conn in &refilled {
        assert_eq!(scalar(conn, "SELECT 42").await?, 42);
        if kind != Kind::Sqlite {
            let id = session_id(kind, conn).await?;
            assert!(!killed.contains(&id), "killed session {id} handed out");
        }
    }
    assert_eq!(db.status().size, SIZE);
    drop(refilled);
    assert_clean(kind, &db, "after the pool refilled").await?;
    Ok(())
}

/// 6. A task that holds the only connection and asks for another gets a typed `PoolTimeout` after
///    the configured acquire timeout; the default acquire timeout is finite too.
pub async fn exhausted_pool_times_out_typed(t: &TestDb) -> Result<()> {
    assert!(
        t.db.config().acquire_timeout() <= Duration::from_secs(60),
        "the default acquire timeout is finite: {:?}",
        t.db.config().acquire_timeout()
    );
    let db = pool(t, "max_connections=1&acquire_timeout=0.3").await?;
    let configured = Duration::from_millis(300);
    let outcome = db
        .transaction(async |tx| {
            assert_eq!(scalar(tx, "SELECT 42").await?, 42);
            let start = Instant::now();
            let err = scalar(&db, "SELECT 1").await.unwrap_err();
            let waited = start.elapsed();
            assert!(
                matches!(err, Error::PoolTimeout { waited } if waited == configured),
                "{err:?}"
            );
            assert!(
                waited >= Duration::from_millis(250) && waited < Duration::from_secs(2),
                "{waited:?}"
            );
            let err = db.acquire().await.unwrap_err();
            assert!(err.is_pool_timeout(), "{err:?}");
            let err = db.begin().await.unwrap_err();
            assert!(err.is_pool_timeout(), "{err:?}");
            Ok::<_, Error>(())
        })
        .await;
    outcome?;
    assert_eq!(db.status().waiting, 0);
    assert_clean(t.kind(), &db, "after the pool timed out").await?;
    Ok(())
}
