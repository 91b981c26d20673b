//! Faults around transactions and connection hygiene: operations dropped at every await point,
//! timeouts around work still running on the server, large results abandoned early, aborted tasks
//! and panicking transaction closures. The helpers shared by the `faults_*` modules live here.
//!
//! "Clean" (`assert_clean`) is the server's own account of the next checkout: PostgreSQL runs two
//! statements in two transactions (`txid_current()` differs), MariaDB reports
//! `@@in_transaction = 0`, SQLite is in autocommit mode (`BEGIN` then `ROLLBACK` succeed), and the
//! connection answers `SELECT 42`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use orm::prelude::*;

use crate::{Kind, TestDb};

/// A pool of its own on the test's database, with extra URL parameters (`"max_connections=1"`).
pub(crate) async fn pool(t: &TestDb, params: &str) -> Result<Database> {
    let sep = if t.url.contains('?') { '&' } else { '?' };
    Database::connect(&format!("{}{sep}{params}", t.url)).await
}

/// Creates `items (id, v)`, empty.
pub(crate) async fn create_items(db: &impl Executor) -> Result<()> {
    raw("CREATE TABLE items (id BIGINT PRIMARY KEY, v VARCHAR(100) NOT NULL)")
        .execute(db)
        .await?;
    Ok(())
}

/// Inserts item `id`.
pub(crate) async fn insert(db: &impl Executor, id: i64) -> Result<u64> {
    raw("INSERT INTO items (id, v) VALUES (?, ?)")
        .bind(id)
        .bind("x")
        .execute(db)
        .await
}

/// Every item id, in order.
pub(crate) async fn ids(db: &impl Executor) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = raw("SELECT id FROM items ORDER BY id")
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The single integer `sql` returns.
pub(crate) async fn scalar(db: &impl Executor, sql: &'static str) -> Result<i64> {
    Ok(raw(sql).fetch_one::<(i64,)>(db).await?.0)
}

/// Same as [`scalar`], for SQL assembled at run time from server-issued numbers.
pub(crate) async fn scalar_of(db: &impl Executor, sql: String) -> Result<i64> {
    Ok(raw(AssertSqlSafe(sql)).fetch_one::<(i64,)>(db).await?.0)
}

/// Checks out a connection of `db` and checks it is clean (see the module docs).
pub(crate) async fn assert_clean(kind: Kind, db: &Database, context: &str) -> Result<()> {
    let conn = db.acquire().await?;
    match kind {
        Kind::Postgres => {
            let first = scalar(&conn, "SELECT txid_current()").await?;
            let second = scalar(&conn, "SELECT txid_current()").await?;
            assert_ne!(
                first, second,
                "{context}: the checked-out connection runs inside a transaction"
            );
        }
        Kind::MySql => assert_eq!(
            scalar(&conn, "SELECT @@in_transaction").await?,
            0,
            "{context}: the checked-out connection runs inside a transaction"
        ),
        Kind::Sqlite => {
            if let Err(e) = raw("BEGIN").execute(&conn).await {
                panic!("{context}: the checked-out connection is not in autocommit mode: {e}");
            }
            raw("ROLLBACK").execute(&conn).await?;
        }
    }
    assert_eq!(scalar(&conn, "SELECT 42").await?, 42, "{context}");
    Ok(())
}

/// Polls the inner future at most `polls_left` times, then gives up and drops it (`None`).
pub(crate) struct Cancellable<F: Future> {
    inner: Pin<Box<F>>,
    polls_left: usize,
}

impl<F: Future> Future for Cancellable<F> {
    type Output = Option<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.polls_left == 0 {
            return Poll::Ready(None);
        }
        self.polls_left -= 1;
        self.inner.as_mut().poll(cx).map(Some)
    }
}

/// Poll counts to abandon an operation after, each with its index: every count up to 64, then a
/// quarter more each time, so that operations which poll many times while waiting for an answer (the
/// SQLite caller yields to the scheduler between polls for the answer) are still reached.
pub(crate) fn sweep() -> impl Iterator<Item = (i64, usize)> {
    let growing = std::iter::successors(Some(64_usize), |n| Some(n + n / 4));
    (0..).zip((0..64).chain(growing.take_while(|&n| n < 1 << 24)))
}

/// `f`, abandoned after `polls` polls unless it completes first.
pub(crate) fn cancel_after<F: Future>(polls: usize, f: F) -> Cancellable<F> {
    Cancellable {
        inner: Box::pin(f),
        polls_left: polls,
    }
}

/// The operations of the cancellation sweep.
#[derive(Clone, Copy, Debug)]
enum Op {
    /// `db.begin()`; a transaction that did start inserts and is dropped.
    Begin,
    /// `tx.commit()` after an insert.
    Commit,
    /// `tx.rollback()` after an insert.
    Rollback,
    /// An insert inside a transaction that is then dropped.
    Execute,
    /// An autocommit insert on the pool.
    ExecuteOnPool,
    /// A SELECT inside a transaction holding an uncommitted insert, then dropped.
    Fetch,
    /// A SELECT on the pool.
    FetchOnPool,
}

/// What the observer may see of an operation's row.
struct Visibility {
    completed: bool,
    may_be_visible: bool,
    must_be_visible: bool,
}

impl Visibility {
    fn invisible(completed: bool) -> Self {
        Visibility {
            completed,
            may_be_visible: false,
            must_be_visible: false,
        }
    }
}

/// Runs `op` for item `id`, abandoned after `polls` polls.
async fn run_op(db: &Database, op: Op, id: i64, polls: usize) -> Result<Visibility> {
    Ok(match op {
        Op::Begin => match cancel_after(polls, db.begin()).await {
            Some(tx) => {
                let tx = tx?;
                insert(&tx, id).await?;
                drop(tx);
                Visibility::invisible(true)
            }
            None => Visibility::invisible(false),
        },
        Op::Commit => {
            let tx = db.begin().await?;
            insert(&tx, id).await?;
            match cancel_after(polls, tx.commit()).await {
                Some(done) => {
                    done?;
                    Visibility {
                        completed: true,
                        may_be_visible: true,
                        must_be_visible: true,
                    }
                }
                // Once COMMIT may have been sent, the server decides; never polled, nothing was sent.
                None => Visibility {
                    completed: false,
                    may_be_visible: polls > 0,
                    must_be_visible: false,
                },
            }
        }
        Op::Rollback => {
            let tx = db.begin().await?;
            insert(&tx, id).await?;
            let done = cancel_after(polls, tx.rollback()).await;
            Visibility::invisible(done.transpose()?.is_some())
        }
        Op::Execute => {
            let tx = db.begin().await?;
            let done = cancel_after(polls, insert(&tx, id)).await;
            drop(tx);
            Visibility::invisible(done.transpose()?.is_some())
        }
        Op::ExecuteOnPool => match cancel_after(polls, insert(db, id)).await {
            Some(done) => {
                assert_eq!(done?, 1);
                Visibility {
                    completed: true,
                    may_be_visible: true,
                    must_be_visible: true,
                }
            }
            None => Visibility {
                completed: false,
                may_be_visible: polls > 0,
                must_be_visible: false,
            },
        },
        Op::Fetch => {
            let tx = db.begin().await?;
            insert(&tx, id).await?;
            let seen = cancel_after(polls, ids(&tx)).await.transpose()?;
            if let Some(seen) = &seen {
                assert!(seen.contains(&id), "a transaction sees its own insert");
            }
            drop(tx);
            Visibility::invisible(seen.is_some())
        }
        Op::FetchOnPool => {
            let seen = cancel_after(polls, ids(db)).await.transpose()?;
            Visibility::invisible(seen.is_some())
        }
    })
}

/// 1. Each of begin / commit / rollback / execute / fetch is polled N times and dropped, for N = 0
///    until it completes. After every drop the next checkout is clean, the pool holds at most its one
///    connection, and nothing uncommitted is visible from another pool.
pub async fn cancel_sweep_leaves_connections_clean(t: &TestDb) -> Result<()> {
    let kind = t.kind();
    create_items(&t.db).await?;
    for id in 1..=20 {
        insert(&t.db, 1_000_000 + id).await?;
    }
    let db = pool(t, "max_connections=1").await?;
    let ops = [
        Op::Begin,
        Op::Commit,
        Op::Rollback,
        Op::Execute,
        Op::ExecuteOnPool,
        Op::Fetch,
        Op::FetchOnPool,
    ];
    for (n, op) in (0_i64..).zip(ops) {
        let mut completed = false;
        for (k, polls) in sweep() {
            let id = n * 1000 + k;
            let context = format!("{op:?} dropped after {polls} polls");
            let outcome = run_op(&db, op, id, polls).await?;
            assert_clean(kind, &db, &context).await?;
            assert!(db.status().size <= 1, "{context}: {:?}", db.status());
            let visible = ids(&t.db).await?.contains(&id);
            assert!(
                visible || !outcome.must_be_visible,
                "{context}: a completed write is missing"
            );
            assert!(
                !visible || outcome.may_be_visible,
                "{context}: an uncommitted write became visible"
            );
            if outcome.completed {
                completed = true;
                break;
            }
        }
        assert!(completed, "{op:?} never completed");
    }
    Ok(())
}

/// 2. A timeout around a transaction that inserts and then works on the server: the insert never
///    becomes visible, and the work stops on the server within seconds (cancel request, `KILL QUERY`,
///    `sqlite3_interrupt`) instead of running on.
pub async fn timed_out_transaction_stops_on_the_server(t: &TestDb) -> Result<()> {
    let kind = t.kind();
    create_items(&t.db).await?;
    let observer = t.second_pool().await;
    let marker = format!("orm_fault_sleeper_{}", std::process::id());
    let work = match kind {
        Kind::Postgres => format!("SELECT pg_sleep(30) AS {marker}"),
        Kind::MySql => format!("SELECT SLEEP(30) AS {marker}"),
        // Billions of steps: minutes of work unless interrupted.
        Kind::Sqlite => format!(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000000000) \
             SELECT COUNT(*) AS {marker} FROM c"
        ),
    };
    let started = Instant::now();
    let timed_out = tokio::time::timeout(
        Duration::from_millis(500),
        t.db.transaction(async |tx| {
            insert(tx, 1).await?;
            raw(AssertSqlSafe(work.clone())).execute(tx).await?;
            Ok::<_, Error>(())
        }),
    )
    .await;
    assert!(timed_out.is_err(), "the transaction should have timed out");
    assert!(ids(&observer).await?.is_empty(), "the insert is invisible");

    // The work is gone from the server's list of running statements.
    let pattern = format!("%{marker}%");
    let running = match kind {
        Kind::Postgres => Some(
            "SELECT COUNT(*) FROM pg_stat_activity \
             WHERE state = 'active' AND query LIKE ? AND pid <> pg_backend_pid()",
        ),
        Kind::MySql => Some(
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST \
             WHERE INFO LIKE ? AND ID <> CONNECTION_ID()",
        ),
        // SQLite has no process list: the checks below stand for it. The interrupted statement
        // must have ended for its connection to roll back and release the write lock.
        Kind::Sqlite => None,
    };
    if let Some(running) = running {
        loop {
            let (n,): (i64,) = raw(running)
                .bind(pattern.as_str())
                .fetch_one(&observer)
                .await?;
            if n == 0 {
                break;
            }
            // MariaDB itself notices a closed socket during SLEEP only every 5 seconds.
            assert!(
                started.elapsed() < Duration::from_secs(3),
                "the abandoned statement still runs on the server"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    // The transaction is over (rolled back): the same key can be written from another connection
    // (it would wait on the abandoned transaction's lock otherwise).
    let write = tokio::time::timeout(Duration::from_secs(5), insert(&observer, 1)).await;
    assert!(
        matches!(write, Ok(Ok(1))),
        "the abandoned transaction still holds its locks: {write:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(ids(&observer).await?, [1]);
    assert_clean(kind, &t.db, "after a timed-out transaction").await?;
    Ok(())
}

/// A query returning a million rows (or a hundred thousand), in order, from 1.
fn many_rows(kind: Kind, million: bool) -> &'static str {
    match (kind, million) {
        (Kind::Postgres, true) => "SELECT g FROM generate_series(1, 1000000) AS g",
        (Kind::Postgres, false) => "SELECT g FROM generate_series(1, 100000) AS g",
        (Kind::MySql, true) => "SELECT seq FROM seq_1_to_1000000",
        (Kind::MySql, false) => "SELECT seq FROM seq_1_to_100000",
        (Kind::Sqlite, true) => {
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) \
             SELECT x FROM c"
        }
        (Kind::Sqlite, false) => {
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) \
             SELECT x FROM c"
        }
    }
}

/// 3. Ten rows of a million-row stream are read and the stream is dropped: the same connection
///    answers the next query correctly, with no row of the abandoned result left for it. The same
///    holds for `fetch_optional`, which decodes the first row only, and for a stream on the pool.
///    (Where the protocol cannot stop a result midway, the abandoned rows are read and discarded
///    first; the smaller results of the last two cases keep that cheap.)
pub async fn abandoned_large_result_leaves_the_connection_usable(t: &TestDb) -> Result<()> {
    let million = many_rows(t.kind(), true);
    let conn = t.db.acquire().await?;
    let mut rows = raw(million).stream::<(i64,)>(&conn);
    for expected in 1..=10 {
        assert_eq!(rows.try_next().await?, Some((expected,)));
    }
    drop(rows);
    assert_eq!(scalar(&conn, "SELECT 42").await?, 42);
    assert_eq!(scalar(&conn, "SELECT 7").await?, 7);

    let fewer = many_rows(t.kind(), false);
    let first: Option<(i64,)> = raw(fewer).fetch_optional(&conn).await?;
    assert_eq!(first, Some((1,)));
    assert_eq!(scalar(&conn, "SELECT 42").await?, 42);

    // On the pool: the stream holds a connection of its own, handed back clean.
    let db = pool(t, "max_connections=1").await?;
    let mut rows = raw(fewer).stream::<(i64,)>(&db);
    for expected in 1..=10 {
        assert_eq!(rows.try_next().await?, Some((expected,)));
    }
    drop(rows);
    assert_clean(t.kind(), &db, "after a dropped stream").await?;
    Ok(())
}

/// 4. A task aborted (`JoinHandle::abort`) after its INSERT inside a transaction, and a transaction
///    closure that panics after its INSERT: nothing is committed, and the pool (of one connection)
///    keeps serving clean connections.
pub async fn aborted_task_and_panicking_closure_commit_nothing(t: &TestDb) -> Result<()> {
    let kind = t.kind();
    create_items(&t.db).await?;
    let db = pool(t, "max_connections=1").await?;

    let inserted = Arc::new(tokio::sync::Notify::new());
    let task = tokio::spawn({
        let (db, inserted) = (db.clone(), Arc::clone(&inserted));
        async move {
            db.transaction(async |tx| {
                insert(tx, 1).await?;
                inserted.notify_one();
                std::future::pending::<()>().await;
                Ok::<_, Error>(())
            })
            .await
        }
    });
    inserted.notified().await;
    task.abort();
    let joined = task.await;
    assert!(
        joined.as_ref().is_err_and(|e| e.is_cancelled()),
        "{joined:?}"
    );
    assert_clean(kind, &db, "after an aborted task").await?;
    assert!(
        ids(&t.db).await?.is_empty(),
        "the aborted insert is invisible"
    );

    let task = tokio::spawn({
        let db = db.clone();
        async move {
            db.transaction(async |tx| {
                insert(tx, 2).await?;
                let explode = true;
                if explode {
                    panic!("a transaction closure panics after its insert");
                }
                Ok::<_, Error>(())
            })
            .await
        }
    });
    let joined = task.await;
    assert!(joined.as_ref().is_err_and(|e| e.is_panic()), "{joined:?}");
    assert_clean(kind, &db, "after a panicking closure").await?;
    assert!(
        ids(&t.db).await?.is_empty(),
        "the panicking insert is invisible"
    );

    // The guard form: a transaction dropped without commit is rolled back.
    let tx = db.begin().await?;
    insert(&tx, 3).await?;
    drop(tx);
    assert_clean(kind, &db, "after a dropped transaction").await?;

    insert(&db, 4).await?;
    assert_eq!(ids(&t.db).await?, [4], "the pool still serves");
    Ok(())
}

/// A transaction opened by hand (`BEGIN` as raw SQL, outside the transaction API) is found open by
/// the server's own account when its connection goes back to the pool, and rolled back: on a
/// checked-out connection, and on the pool, where each statement has a checkout of its own.
pub async fn raw_begin_is_rolled_back_when_its_connection_returns(t: &TestDb) -> Result<()> {
    let kind = t.kind();
    create_items(&t.db).await?;
    let db = pool(t, "max_connections=1").await?;
    {
        let conn = db.acquire().await?;
        raw("BEGIN").execute(&conn).await?;
        insert(&conn, 1).await?;
        assert_eq!(ids(&conn).await?, [1]);
    }
    assert_clean(kind, &db, "after a raw BEGIN on a connection").await?;
    assert!(
        ids(&t.db).await?.is_empty(),
        "the open transaction was rolled back"
    );

    raw("BEGIN").execute(&db).await?;
    insert(&db, 2).await?;
    assert_eq!(
        ids(&t.db).await?,
        [2],
        "the insert ran on its own, committed"
    );
    assert_clean(kind, &db, "after a raw BEGIN on the pool").await?;
    Ok(())
}
