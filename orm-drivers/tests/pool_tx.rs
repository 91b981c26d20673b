//! Pool and transaction behaviour, written once and run against every compiled-in backend.

#[path = "support/backends.rs"]
mod backends;

use std::time::{Duration, Instant};

use backends::Fixture;
use orm_core::{AssertSqlSafe, Error, Executor, raw};
use orm_drivers::{Database, IsolationLevel, TxOptions};

/// Creates the fixture's table `(id BIGINT PRIMARY KEY, v VARCHAR(100) NOT NULL)`, empty.
async fn create_table(db: &impl Executor, f: &Fixture) {
    raw(AssertSqlSafe(format!("DROP TABLE IF EXISTS {}", f.table)))
        .execute(db)
        .await
        .unwrap();
    raw(AssertSqlSafe(format!(
        "CREATE TABLE {} (id BIGINT PRIMARY KEY, v VARCHAR(100) NOT NULL)",
        f.table
    )))
    .execute(db)
    .await
    .unwrap();
}

async fn insert(db: &impl Executor, f: &Fixture, id: i64) -> orm_core::Result<u64> {
    raw(AssertSqlSafe(format!(
        "INSERT INTO {} (id, v) VALUES (?, ?)",
        f.table
    )))
    .bind(id)
    .bind("x")
    .execute(db)
    .await
}

async fn ids(db: &impl Executor, f: &Fixture) -> Vec<i64> {
    let rows: Vec<(i64,)> = raw(AssertSqlSafe(format!(
        "SELECT id FROM {} ORDER BY id",
        f.table
    )))
    .fetch_all(db)
    .await
    .unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

async fn drop_table(db: &Database, f: &Fixture) {
    raw(AssertSqlSafe(format!("DROP TABLE IF EXISTS {}", f.table)))
        .execute(db)
        .await
        .unwrap();
}

async fn commit_and_rollback(f: Fixture) {
    let db = f.connect("").await;
    create_table(&db, &f).await;
    let tx = db.begin().await.unwrap();
    assert_eq!(insert(&tx, &f, 1).await.unwrap(), 1);
    assert_eq!(ids(&tx, &f).await, [1]);
    tx.commit().await.unwrap();
    let tx = db.begin().await.unwrap();
    insert(&tx, &f, 2).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(ids(&db, &f).await, [1]);

    let iso = TxOptions {
        isolation: Some(IsolationLevel::Serializable),
        read_only: false,
    };
    let tx = db.begin_with(iso).await.unwrap();
    insert(&tx, &f, 3).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(ids(&db, &f).await, [1, 3]);
    drop_table(&db, &f).await;
}

/// A dropped transaction is rolled back, and the connection that held it is clean afterwards:
/// with one pooled connection, a later autocommit insert is visible to a second pool.
async fn dropped_transactions_roll_back(f: Fixture) {
    let db = f.connect("max_connections=1").await;
    let observer = f.connect("max_connections=1").await;
    create_table(&db, &f).await;
    {
        let tx = db.begin().await.unwrap();
        insert(&tx, &f, 1).await.unwrap();
    }
    insert(&db, &f, 2).await.unwrap();
    assert_eq!(ids(&observer, &f).await, [2]);

    let mut conn = db.acquire().await.unwrap();
    {
        let tx = conn.begin().await.unwrap();
        insert(&tx, &f, 3).await.unwrap();
    }
    insert(&conn, &f, 4).await.unwrap();
    assert_eq!(ids(&observer, &f).await, [2, 4]);
    drop(conn);

    // A transaction whose future is dropped halfway leaves nothing behind either.
    let tx = db.begin().await.unwrap();
    insert(&tx, &f, 5).await.unwrap();
    let pending = tx.commit();
    drop(pending);
    insert(&db, &f, 6).await.unwrap();
    let seen = ids(&observer, &f).await;
    assert!(seen == [2, 4, 6] || seen == [2, 4, 5, 6], "{seen:?}");
    drop_table(&db, &f).await;
}

async fn savepoints(f: Fixture) {
    let db = f.connect("").await;
    create_table(&db, &f).await;
    let tx = db.begin().await.unwrap();
    assert_eq!(tx.depth(), 0);
    insert(&tx, &f, 1).await.unwrap();
    let sp = tx.begin().await.unwrap();
    assert_eq!(sp.depth(), 1);
    insert(&sp, &f, 2).await.unwrap();
    sp.rollback().await.unwrap();
    let sp = tx.begin().await.unwrap();
    insert(&sp, &f, 3).await.unwrap();
    let inner = sp.begin().await.unwrap();
    assert_eq!(inner.depth(), 2);
    insert(&inner, &f, 4).await.unwrap();
    inner.commit().await.unwrap();
    sp.commit().await.unwrap();
    {
        let dropped = tx.begin().await.unwrap();
        insert(&dropped, &f, 5).await.unwrap();
    }
    insert(&tx, &f, 6).await.unwrap();
    assert_eq!(ids(&tx, &f).await, [1, 3, 4, 6]);
    tx.commit().await.unwrap();
    assert_eq!(ids(&db, &f).await, [1, 3, 4, 6]);
    drop_table(&db, &f).await;
}

async fn transaction_closures(f: Fixture) {
    let db = f.connect("").await;
    create_table(&db, &f).await;

    let out = db
        .transaction(async |tx| {
            insert(tx, &f, 1).await?;
            let inner: Result<(), Error> = tx
                .transaction(async |sp| {
                    insert(sp, &f, 2).await?;
                    Err(Error::InvalidQuery("inner fails".into()))
                })
                .await;
            assert!(inner.is_err());
            tx.transaction(async |sp| insert(sp, &f, 3).await).await?;
            Ok::<_, Error>("done")
        })
        .await
        .unwrap();
    assert_eq!(out, "done");
    assert_eq!(ids(&db, &f).await, [1, 3]);

    let failed: Result<(), Error> = db
        .transaction(async |tx| {
            insert(tx, &f, 10).await?;
            insert(tx, &f, 10).await?; // duplicate key
            Ok(())
        })
        .await;
    assert!(failed.unwrap_err().is_unique_violation());
    assert_eq!(ids(&db, &f).await, [1, 3]);

    // A user error type converts from orm::Error.
    #[derive(Debug)]
    enum AppError {
        Db(#[allow(dead_code)] Error),
        Rejected,
    }
    impl From<Error> for AppError {
        fn from(e: Error) -> Self {
            AppError::Db(e)
        }
    }
    let rejected = db
        .transaction(async |tx| {
            insert(tx, &f, 20).await?;
            Err::<(), _>(AppError::Rejected)
        })
        .await;
    assert!(matches!(rejected, Err(AppError::Rejected)));
    assert_eq!(ids(&db, &f).await, [1, 3]);

    // A panic rolls back and then continues as a panic of the spawned task.
    let (db2, table) = (db.clone(), f.table.clone());
    let joined = tokio::spawn(async move {
        db2.transaction(async |tx| {
            raw(AssertSqlSafe(format!(
                "INSERT INTO {table} (id, v) VALUES (?, ?)"
            )))
            .bind(30_i64)
            .bind("p")
            .execute(tx)
            .await?;
            if table.starts_with("drv_") {
                panic!("boom inside a transaction");
            }
            Ok::<_, Error>(())
        })
        .await
    })
    .await;
    assert!(joined.unwrap_err().is_panic());
    assert_eq!(ids(&db, &f).await, [1, 3]);

    // The connection the panicking task used is clean: nothing later runs in its transaction.
    let single = f.connect("max_connections=1").await;
    insert(&single, &f, 40).await.unwrap();
    assert_eq!(ids(&db, &f).await, [1, 3, 40]);
    drop_table(&db, &f).await;
}

async fn pool_timeout_and_status(f: Fixture) {
    let db = f.connect("max_connections=1&acquire_timeout=0.3").await;
    assert_eq!(db.config().acquire_timeout(), Duration::from_millis(300));
    let held = db.acquire().await.unwrap();
    let status = db.status();
    assert_eq!((status.max_size, status.size, status.available), (1, 1, 0));

    let start = Instant::now();
    let err = db.acquire().await.unwrap_err();
    let waited = start.elapsed();
    assert!(
        matches!(err, Error::PoolTimeout { waited } if waited == Duration::from_millis(300)),
        "{err:?}"
    );
    assert!(err.is_pool_timeout());
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
    assert!(matches!(
        raw("SELECT 1").execute(&db).await,
        Err(Error::PoolTimeout { .. })
    ));
    drop(held);

    let conn = db.acquire().await.unwrap();
    let one: Option<(i64,)> = raw("SELECT 1").fetch_optional(&conn).await.unwrap();
    assert_eq!(one, Some((1,)));
    drop(conn);

    let builder = Database::builder(&f.url)
        .max_connections(2)
        .acquire_timeout(Duration::from_millis(200));
    let db2 = builder.build().await.unwrap();
    let (a, b) = (db2.acquire().await.unwrap(), db2.acquire().await.unwrap());
    assert!(matches!(
        db2.acquire().await,
        Err(Error::PoolTimeout { .. })
    ));
    drop((a, b));

    db.close().await;
    assert!(db.is_closed());
    assert!(matches!(db.acquire().await, Err(Error::PoolClosed)));
    assert!(matches!(
        raw("SELECT 1").execute(&db).await,
        Err(Error::PoolClosed)
    ));
}

/// Transactions work from spawned tasks: the futures are `Send`.
async fn spawned_tasks(f: Fixture) {
    let db = f.connect("").await;
    create_table(&db, &f).await;
    let mut tasks = Vec::new();
    for i in 0..4_i64 {
        let (task_db, table) = (db.clone(), f.table.clone());
        tasks.push(tokio::spawn(async move {
            task_db
                .transaction(async |tx| {
                    let sql = AssertSqlSafe(format!("INSERT INTO {table} (id, v) VALUES (?, ?)"));
                    raw(sql).bind(i).bind("t").execute(tx).await?;
                    let n: (i64,) = raw(AssertSqlSafe(format!(
                        "SELECT COUNT(*) FROM {table} WHERE id = ?"
                    )))
                    .bind(i)
                    .fetch_one(tx)
                    .await?;
                    Ok::<_, Error>(n.0)
                })
                .await
        }));
        let conn_db = db.clone();
        let table = f.table.clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = conn_db.acquire().await?;
            let id = 100 + i;
            conn.transaction(async |tx| {
                raw(AssertSqlSafe(format!(
                    "INSERT INTO {table} (id, v) VALUES (?, ?)"
                )))
                .bind(id)
                .bind("c")
                .execute(tx)
                .await
            })
            .await
            .map(|n| n as i64)
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), 1);
    }
    assert_eq!(ids(&db, &f).await, [0, 1, 2, 3, 100, 101, 102, 103]);
    drop_table(&db, &f).await;
}

/// Many tasks on a small pool: quick checkouts all succeed (no spurious timeout however long the
/// queue); with the connections held past the acquire timeout, the others fail with `PoolTimeout`
/// no sooner than it; afterwards nothing is left waiting and the pool serves again.
async fn contended_checkouts(f: Fixture) {
    let db = f.connect("max_connections=2&acquire_timeout=5").await;
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..20 {
                let one: (i64,) = raw("SELECT 1").fetch_one(&db).await?;
                assert_eq!(one.0, 1);
            }
            Ok::<_, Error>(())
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }

    let db = f.connect("max_connections=2&acquire_timeout=0.2").await;
    let held = (db.acquire().await.unwrap(), db.acquire().await.unwrap());
    let mut waiting = Vec::new();
    for i in 0..8_u64 {
        let db = db.clone();
        waiting.push(tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(10 * i)).await;
            let start = Instant::now();
            let out = db.acquire().await.map(drop);
            (out, start.elapsed())
        }));
    }
    for t in waiting {
        let (out, waited) = t.await.unwrap();
        assert!(matches!(out, Err(Error::PoolTimeout { .. })), "{out:?}");
        assert!(
            waited >= Duration::from_millis(190) && waited < Duration::from_secs(3),
            "{waited:?}"
        );
    }
    assert_eq!(db.status().waiting, 0);
    drop(held);
    let one: (i64,) = raw("SELECT 1").fetch_one(&db).await.unwrap();
    assert_eq!(one.0, 1);
}

async fn read_only_transactions(f: Fixture) {
    let db = f.connect("").await;
    create_table(&db, &f).await;
    insert(&db, &f, 1).await.unwrap();
    let tx = db
        .begin_with(TxOptions {
            read_only: true,
            ..TxOptions::default()
        })
        .await
        .unwrap();
    assert_eq!(ids(&tx, &f).await, [1]);
    assert!(insert(&tx, &f, 2).await.is_err());
    tx.rollback().await.unwrap();
    // The next transaction on any connection may write again.
    for id in 3..6 {
        db.transaction(async |tx| insert(tx, &f, id).await)
            .await
            .unwrap();
    }
    assert_eq!(ids(&db, &f).await, [1, 3, 4, 5]);
    drop_table(&db, &f).await;
}

/// Polls the inner future at most `polls_left` times, then gives up and drops it.
struct Cancellable<F: Future> {
    inner: std::pin::Pin<Box<F>>,
    polls_left: usize,
}

impl<F: Future> Future for Cancellable<F> {
    type Output = Option<F::Output>;
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        if self.polls_left == 0 {
            return std::task::Poll::Ready(None);
        }
        self.polls_left -= 1;
        self.inner.as_mut().poll(cx).map(Some)
    }
}

/// Poll counts to abandon an operation after: every count up to 64, then a quarter more each time,
/// so that operations which poll many times while waiting for an answer (the SQLite caller yields
/// to the scheduler between polls for the answer) are still reached and complete.
fn sweep() -> impl Iterator<Item = (i64, usize)> {
    let growing = std::iter::successors(Some(64_usize), |n| Some(n + n / 4));
    (0..).zip((0..64).chain(growing.take_while(|&n| n < 1 << 24)))
}

fn cancel_after<F: Future>(polls: usize, f: F) -> Cancellable<F> {
    Cancellable {
        inner: Box::pin(f),
        polls_left: polls,
    }
}

/// A transaction (BEGIN, INSERT, COMMIT) abandoned after every possible number of polls never
/// leaves the connection inside a transaction, on the pool or on a checked-out connection (which may
/// instead report itself lost, when the protocol cannot resume mid-command).
async fn cancellation_sweep(f: Fixture) {
    let db = f.connect("max_connections=1").await;
    let observer = f.connect("").await;
    create_table(&db, &f).await;
    let mut finished = false;
    for (k, polls) in sweep() {
        let id = k;
        let outcome = cancel_after(polls, async {
            let tx = db.begin().await?;
            insert(&tx, &f, id).await?;
            tx.commit().await
        })
        .await;
        // The one connection is clean: an autocommit insert on it is visible elsewhere at once.
        insert(&db, &f, 10_000 + id).await.unwrap();
        let seen = ids(&observer, &f).await;
        assert!(
            seen.contains(&(10_000 + id)),
            "after {polls} polls: {seen:?}"
        );
        assert!(db.status().size <= 1);
        if let Some(done) = outcome {
            done.unwrap();
            assert!(seen.contains(&id));
            finished = true;
            break;
        }
        assert!(
            !seen.contains(&id) || polls > 0,
            "a transaction never polled committed"
        );
    }
    assert!(finished, "the transaction never completed");

    let mut conn = db.acquire().await.unwrap();
    for (k, polls) in sweep() {
        let id = 20_000 + k;
        let outcome = cancel_after(polls, async {
            let tx = conn.begin().await?;
            insert(&tx, &f, id).await?;
            tx.commit().await
        })
        .await;
        // Either the connection is clean, or it reports that it was lost mid-command (then it is
        // replaced); it never runs the next statement inside the abandoned transaction.
        if let Err(e) = insert(&conn, &f, 30_000 + id).await {
            assert!(e.is_disconnected(), "after {polls} polls: {e:?}");
            drop(conn);
            conn = db.acquire().await.unwrap();
            insert(&conn, &f, 30_000 + id).await.unwrap();
        }
        assert!(
            ids(&observer, &f).await.contains(&(30_000 + id)),
            "after {polls} polls"
        );
        if let Some(done) = outcome {
            done.unwrap();
            break;
        }
    }
    drop(conn);

    // A savepoint RELEASE abandoned once started leaves the savepoint's work to the enclosing
    // transaction.
    for (k, polls) in sweep() {
        let id = 40_000 + 2 * k;
        let tx = db.begin().await.unwrap();
        let sp = tx.begin().await.unwrap();
        insert(&sp, &f, id).await.unwrap();
        let outcome = cancel_after(polls, sp.commit()).await;
        match insert(&tx, &f, id + 1).await {
            Ok(_) => {
                tx.commit().await.unwrap();
                let seen = ids(&observer, &f).await;
                // Never polled, `commit` did nothing: the dropped savepoint is rolled back.
                assert_eq!(
                    seen.contains(&id),
                    polls > 0,
                    "after {polls} polls: {seen:?}"
                );
                assert!(seen.contains(&(id + 1)), "after {polls} polls: {seen:?}");
            }
            Err(e) => {
                assert!(e.is_disconnected(), "after {polls} polls: {e:?}");
                drop(tx);
                assert!(
                    !ids(&observer, &f).await.contains(&id),
                    "after {polls} polls"
                );
            }
        }
        if outcome.is_some() {
            break;
        }
    }
    drop_table(&db, &f).await;
}

/// Compile-time check: every future a transaction helper returns is `Send` (so it runs inside
/// `tokio::spawn`), including nested closures and futures holding a checked-out connection.
#[allow(dead_code)]
fn transaction_futures_are_send(db: Database, mut conn: orm_drivers::Connection) {
    fn is_send<T: Send>(_: &T) {}
    let table = String::from("t");
    let on_db = db.transaction(async |tx| {
        let n = tx
            .transaction(async |sp| {
                raw(AssertSqlSafe(format!("DELETE FROM {table}")))
                    .execute(sp)
                    .await
            })
            .await?;
        let spawned = tokio::spawn(async { 1_u64 }).await.unwrap_or(0);
        Ok::<_, Error>(n + spawned)
    });
    is_send(&on_db);
    let begin = db.begin();
    is_send(&begin);
    let on_conn = conn.transaction(async |tx| raw("SELECT 1").execute(tx).await);
    is_send(&on_conn);
}

macro_rules! suite {
    ($backend:ident, $feature:literal) => {
        #[cfg(feature = $feature)]
        mod $backend {
            use super::*;

            macro_rules! case {
                ($name:ident) => {
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn $name() {
                        let test = concat!(stringify!($backend), "_", stringify!($name));
                        if let Some(f) = backends::$backend(test).await {
                            super::$name(f).await;
                        }
                    }
                };
            }

            case!(commit_and_rollback);
            case!(dropped_transactions_roll_back);
            case!(savepoints);
            case!(transaction_closures);
            case!(pool_timeout_and_status);
            case!(spawned_tasks);
            case!(contended_checkouts);
            case!(read_only_transactions);
            case!(cancellation_sweep);
        }
    };
}

suite!(sqlite, "sqlite");
suite!(postgres, "postgres");
suite!(mysql, "mysql");
