//! Transactions under contention and after errors: exact totals from concurrent read-then-write
//! transactions, recovery through savepoints, the retry helper against real conflicts, and the
//! transaction API itself (every query method on a transaction, guard form, nesting, options).

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use orm::prelude::*;

use super::faults::{assert_clean, create_items, ids, insert, pool, scalar};
use crate::models::User;
use crate::{Kind, TestDb};

/// Creates `counters (id, n)` with rows `1..=rows`, all 0.
async fn create_counters(db: &impl Executor, rows: i64) -> Result<()> {
    raw("CREATE TABLE counters (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)")
        .execute(db)
        .await?;
    for id in 1..=rows {
        raw("INSERT INTO counters (id, n) VALUES (?, 0)")
            .bind(id)
            .execute(db)
            .await?;
    }
    Ok(())
}

async fn counter(db: &impl Executor, id: i64) -> Result<i64> {
    Ok(raw("SELECT n FROM counters WHERE id = ?")
        .bind(id)
        .fetch_one::<(i64,)>(db)
        .await?
        .0)
}

async fn bump(db: &impl Executor, id: i64) -> Result<u64> {
    raw("UPDATE counters SET n = n + 1 WHERE id = ?")
        .bind(id)
        .execute(db)
        .await
}

/// 7. 16 tasks x 200 read-then-write transactions on one database finish with the exact total and
///    no BUSY or conflict error. SQLite (one WAL file) serializes writers with `BEGIN IMMEDIATE`;
///    PostgreSQL and MariaDB read with a row lock (`FOR UPDATE`). A second counter takes an atomic
///    increment in the same transactions.
pub async fn concurrent_read_then_write_transactions_count_exactly(t: &TestDb) -> Result<()> {
    const TASKS: i64 = 16;
    // On the servers each transaction holds the row lock through a durable commit (a WAL flush,
    // milliseconds here), so all of them queue behind one another: 16 x 50 keeps the run to a
    // couple of seconds, and the exact total does not depend on the count.
    let (read, rounds) = match t.kind() {
        Kind::Sqlite => ("SELECT n FROM counters WHERE id = 1", 200),
        Kind::Postgres | Kind::MySql => ("SELECT n FROM counters WHERE id = 1 FOR UPDATE", 50),
    };
    create_counters(&t.db, 2).await?;
    let mut tasks = Vec::new();
    for _ in 0..TASKS {
        let db = t.db.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..rounds {
                db.transaction(async |tx| {
                    let (n,): (i64,) = raw(read).fetch_one(tx).await?;
                    raw("UPDATE counters SET n = ? WHERE id = 1")
                        .bind(n + 1)
                        .execute(tx)
                        .await?;
                    bump(tx, 2).await?;
                    Ok::<_, Error>(())
                })
                .await?;
            }
            Ok::<_, Error>(())
        }));
    }
    for task in tasks {
        if let Err(e) = task.await.expect("the task runs to its end") {
            panic!("a transaction failed: {e:?}");
        }
    }
    assert_eq!(counter(&t.db, 1).await?, TASKS * rounds);
    assert_eq!(counter(&t.db, 2).await?, TASKS * rounds);
    Ok(())
}

/// 8. A unique violation inside a transaction: rolling back to a savepoint leaves the transaction
///    usable (on PostgreSQL, no cascade of 25P02 "current transaction is aborted" errors). Without a
///    savepoint, PostgreSQL aborts the whole transaction, and committing it fails and commits
///    nothing; MariaDB and SQLite undo only the failed statement.
pub async fn unique_violation_recovers_through_a_savepoint(t: &TestDb) -> Result<()> {
    let kind = t.kind();
    create_items(&t.db).await?;
    let tx = t.db.begin().await?;
    insert(&tx, 1).await?;
    let savepoint = tx.begin().await?;
    let err = insert(&savepoint, 1).await.unwrap_err();
    assert!(err.is_unique_violation(), "{err:?}");
    savepoint.rollback().await?;
    insert(&tx, 2).await?;

    let failed = tx.transaction(async |sp| insert(sp, 1).await).await;
    assert!(failed.is_err_and(|e| e.is_unique_violation()));
    for id in 3..8 {
        insert(&tx, id).await?;
    }
    assert_eq!(ids(&tx).await?, [1, 2, 3, 4, 5, 6, 7]);
    tx.commit().await?;
    assert_eq!(ids(&t.db).await?, [1, 2, 3, 4, 5, 6, 7]);

    let tx = t.db.begin().await?;
    insert(&tx, 100).await?;
    assert!(insert(&tx, 1).await.unwrap_err().is_unique_violation());
    let next = insert(&tx, 101).await;
    let committed = tx.commit().await;
    if kind == Kind::Postgres {
        let err = next.unwrap_err();
        assert_eq!(err.code(), Some("25P02"), "{err:?}");
        let err = committed.unwrap_err();
        assert_eq!(err.code(), Some("25P02"), "{err:?}");
        assert_eq!(ids(&t.db).await?, [1, 2, 3, 4, 5, 6, 7]);
    } else {
        assert_eq!(next?, 1);
        committed?;
        assert_eq!(ids(&t.db).await?, [1, 2, 3, 4, 5, 6, 7, 100, 101]);
    }
    let db = pool(t, "max_connections=1").await?;
    assert_clean(kind, &db, "after a failed transaction").await?;
    Ok(())
}

/// Two transactions that update rows 1 and 2 in opposite orders, both holding their first row when
/// they ask for the second: a deadlock, which the server breaks by failing one of them.
async fn crossing_transactions(t: &TestDb, policy: RetryPolicy) -> Result<(Vec<Result<()>>, u32)> {
    let barrier = Arc::new(tokio::sync::Barrier::new(2));
    let attempts = Arc::new(AtomicU32::new(0));
    let mut tasks = Vec::new();
    for (first, second) in [(1_i64, 2_i64), (2, 1)] {
        let (db, kind) = (t.db.clone(), t.kind());
        let (barrier, attempts) = (Arc::clone(&barrier), Arc::clone(&attempts));
        tasks.push(tokio::spawn(async move {
            let mut crossed = false;
            db.transaction_with_retry(policy, async move |tx| {
                attempts.fetch_add(1, Ordering::SeqCst);
                if kind == Kind::Postgres {
                    // The default 1 s before PostgreSQL looks for deadlocks would only slow the test.
                    raw("SET LOCAL deadlock_timeout = '100ms'")
                        .execute(tx)
                        .await?;
                }
                bump(tx, first).await?;
                if !crossed {
                    crossed = true;
                    barrier.wait().await;
                }
                bump(tx, second).await?;
                Ok::<_, Error>(())
            })
            .await
        }));
    }
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.expect("the task runs to its end"));
    }
    Ok((outcomes, attempts.load(Ordering::SeqCst)))
}

/// The retry helper against real conflicts: a deadlock between two transactions on PostgreSQL
/// (40P01) and MariaDB (1213), and a write lock held past the busy timeout on SQLite (BUSY). With
/// one attempt the conflict surfaces as a typed, retryable error; with the default policy every
/// transaction completes, with the right result, within its bounded attempts.
pub async fn retry_helper_completes_after_real_conflicts(t: &TestDb) -> Result<()> {
    create_counters(&t.db, 2).await?;
    if t.kind() == Kind::Sqlite {
        return retry_after_busy(t).await;
    }
    let (outcomes, attempts) =
        crossing_transactions(t, RetryPolicy::default().max_attempts(1)).await?;
    assert_eq!(attempts, 2);
    let failed: Vec<&Error> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
    assert_eq!(failed.len(), 1, "{outcomes:?}");
    assert!(
        matches!(failed[0], Error::TransactionConflict(_)) && failed[0].is_retryable(),
        "{failed:?}"
    );
    let code = failed[0].code().unwrap_or_default();
    assert!(["40P01", "1213"].contains(&code), "{code}");
    assert_eq!((counter(&t.db, 1).await?, counter(&t.db, 2).await?), (1, 1));

    let policy = RetryPolicy::default();
    let (outcomes, attempts) = crossing_transactions(t, policy).await?;
    for outcome in outcomes {
        outcome?;
    }
    assert!(
        attempts > 2 && attempts <= 2 * policy.attempts(),
        "a deadlock was retried within bounds: {attempts} attempts"
    );
    assert_eq!((counter(&t.db, 1).await?, counter(&t.db, 2).await?), (3, 3));
    Ok(())
}

async fn retry_after_busy(t: &TestDb) -> Result<()> {
    let db = pool(t, "busy_timeout=0.05").await?;
    let holder = t.db.begin().await?;
    bump(&holder, 1).await?;

    let mut attempts = 0;
    let bounded = RetryPolicy::default()
        .max_attempts(2)
        .backoff(Duration::from_millis(10), Duration::from_millis(10));
    let err = retry(bounded, async || {
        attempts += 1;
        db.transaction(async |tx| bump(tx, 1).await).await
    })
    .await
    .unwrap_err();
    assert!(
        matches!(err, Error::Busy(_)) && err.is_retryable(),
        "{err:?}"
    );
    assert_eq!(attempts, 2);

    // The lock is released while the helper retries: it then completes. Each attempt gives up
    // after the 50 ms busy timeout, so finishing after the release means it was retried.
    let patient = RetryPolicy::default()
        .max_attempts(40)
        .backoff(Duration::from_millis(20), Duration::from_millis(50));
    let start = Instant::now();
    let mut attempts = 0;
    let (released, done) = tokio::join!(
        async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            holder.commit().await
        },
        retry(patient, async || {
            attempts += 1;
            db.transaction(async |tx| bump(tx, 1).await).await
        })
    );
    released?;
    assert_eq!(done?, 1);
    assert!(attempts > 1 && attempts <= patient.attempts(), "{attempts}");
    assert!(start.elapsed() >= Duration::from_millis(250));

    let holder = t.db.begin().await?;
    bump(&holder, 2).await?;
    let start = Instant::now();
    let (released, done) = tokio::join!(
        async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            holder.commit().await
        },
        db.transaction_with_retry(patient, async |tx| bump(tx, 2).await)
    );
    released?;
    assert_eq!(done?, 1);
    assert!(start.elapsed() >= Duration::from_millis(250));
    assert_eq!((counter(&t.db, 1).await?, counter(&t.db, 2).await?), (2, 2));
    Ok(())
}

/// Every query method accepts a transaction wherever it accepts the database; the guard form rolls
/// back when dropped; savepoints nest; isolation level and read-only are options on begin.
pub async fn transactions_accept_every_query_method(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<User>().await?;
    let observer = t.second_pool().await;

    let tx = db.begin().await?;
    let mut ann = User::new("Ann", 30);
    ann.insert(&tx).await?;
    assert_eq!(User::get(&tx, ann.id).await?, ann);
    assert_eq!(User::find(&tx, ann.id).await?, Some(ann.clone()));
    assert_eq!(
        User::find_by_email(&tx, "ann@example.com").await?,
        Some(ann.clone())
    );
    ann.age = 31;
    ann.update(&tx).await?;
    let mut bob = User::new("Bob", 40);
    bob.save(&tx).await?;
    bob.age = 41;
    bob.save(&tx).await?;
    let mut more = vec![User::new("Cy", 50), User::new("Di", 60)];
    User::insert_many(&tx, &mut more).await?;
    let older = User::query()
        .filter(User::AGE.gt(40))
        .order_by(User::NAME.asc())
        .all(&tx)
        .await?;
    assert_eq!(older.len(), 3);
    assert_eq!(User::query().count(&tx).await?, 4);
    let first = User::query().order_by(User::AGE.asc()).first(&tx).await?;
    assert_eq!(first, Some(ann.clone()));
    let cy = User::query().filter(User::NAME.eq("Cy")).one(&tx).await?;
    assert_eq!(cy.age, 50);
    let updated = User::query()
        .filter(User::NAME.eq("Cy"))
        .update()
        .set(User::AGE, 51)
        .execute(&tx)
        .await?;
    assert_eq!(updated, 1);
    let mut streamed = User::query().order_by(User::AGE.asc()).stream(&tx);
    assert_eq!(
        streamed.try_next().await?.map(|u| u.name),
        Some("Ann".into())
    );
    drop(streamed);
    let names: Vec<(String,)> = raw("SELECT name FROM users ORDER BY name")
        .fetch_all(&tx)
        .await?;
    assert_eq!(names.len(), 4);
    assert!(bob.delete(&tx).await?);
    assert!(User::delete_by_id(&tx, cy.id).await?);
    let deleted = User::query()
        .filter(User::NAME.eq("Di"))
        .delete()
        .execute(&tx)
        .await?;
    assert_eq!(deleted, 1);
    assert_eq!(
        raw("UPDATE users SET hair_color = ?")
            .bind("red")
            .execute(&tx)
            .await?,
        1
    );
    assert_eq!(
        User::query().count(&observer).await?,
        0,
        "nothing visible outside"
    );
    tx.rollback().await?;
    assert_eq!(User::query().count(db).await?, 0, "rolled back");

    // Closure form, with a nested savepoint that rolls back and one that is released.
    let id = db
        .transaction(async |tx| {
            let mut eve = User::new("Eve", 20);
            eve.insert(tx).await?;
            let inner: Result<()> = tx
                .transaction(async |sp| {
                    User::new("Fay", 21).insert(sp).await?;
                    Err(Error::InvalidQuery("the savepoint gives up".into()))
                })
                .await;
            assert!(inner.is_err());
            tx.transaction(async |sp| User::new("Gus", 22).insert(sp).await)
                .await?;
            Ok::<_, Error>(eve.id)
        })
        .await?;
    let names: Vec<String> = User::query()
        .order_by(User::NAME.asc())
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.name)
        .collect();
    assert_eq!(names, ["Eve", "Gus"]);
    assert_eq!(User::get(db, id).await?.name, "Eve");

    // Guard form, dropped without commit.
    {
        let tx = db.begin().await?;
        User::new("Hal", 23).insert(&tx).await?;
    }
    assert_eq!(User::query().count(db).await?, 2);

    // Read-only: writes are refused, reads work.
    let read_only = TxOptions {
        read_only: true,
        ..TxOptions::default()
    };
    let tx = db.begin_with(read_only).await?;
    assert_eq!(User::query().count(&tx).await?, 2);
    let err = User::new("Ivy", 24).insert(&tx).await.unwrap_err();
    assert!(!err.is_disconnected(), "{err:?}");
    tx.rollback().await?;

    // A repeatable-read snapshot does not see a row committed after its first read.
    let snapshot = TxOptions {
        isolation: Some(IsolationLevel::RepeatableRead),
        read_only: true,
    };
    let tx = db.begin_with(snapshot).await?;
    assert_eq!(User::query().count(&tx).await?, 2);
    User::new("Jo", 25).insert(&observer).await?;
    assert_eq!(User::query().count(&tx).await?, 2, "the snapshot holds");
    tx.commit().await?;
    assert_eq!(User::query().count(db).await?, 3);

    let serializable = TxOptions {
        isolation: Some(IsolationLevel::Serializable),
        read_only: false,
    };
    let tx = db.begin_with(serializable).await?;
    User::new("Kit", 26).insert(&tx).await?;
    tx.commit().await?;
    assert_eq!(User::query().count(db).await?, 4);
    assert_eq!(scalar(db, "SELECT 42").await?, 42);
    Ok(())
}
