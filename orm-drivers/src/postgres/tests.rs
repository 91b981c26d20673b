//! Tests of [`PgManager`] and [`PgConn`] against a real PostgreSQL server, through the [`Conn`] trait.
//!
//! The server is `ORM_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`). When it
//! is unreachable the tests are skipped with a loud message, unless `CI` is set: then they fail.
//! Every test uses its own tables (process id + counter), so tests run in parallel.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use deadpool::managed::{Manager, Metrics};
use orm_core::{Error, Scalar, Statement, Value};

use super::*;

/// The connection is still reusable and answers `SELECT 42`.
async fn assert_usable(c: &mut PgConn) {
    assert!(c.is_reusable());
    assert_eq!(
        scalar::<i32>(c, Statement::text("SELECT 42"))
            .await
            .unwrap(),
        42
    );
}

fn url() -> String {
    std::env::var("ORM_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn manager(statement_cache_capacity: usize) -> PgManager {
    let opts = ConnectOptions {
        statement_cache_capacity,
        ..ConnectOptions::default()
    };
    PgManager::new(&url(), &opts).expect("ORM_TEST_POSTGRES_URL must parse")
}

/// A connection, or `None` after a loud message when the server is unreachable outside CI.
async fn connect_with(statement_cache_capacity: usize) -> Option<Box<PgConn>> {
    match manager(statement_cache_capacity).create().await {
        Ok(conn) => Some(conn),
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!(
                "\n!!!!! SKIPPED: PostgreSQL is unreachable ({e}); set ORM_TEST_POSTGRES_URL !!!!!\n"
            );
            None
        }
        Err(e) => panic!("PostgreSQL is unreachable and CI is set: {e}"),
    }
}

/// Binds a connection (default cache capacity) or returns from the test when the server is unreachable.
macro_rules! connect {
    () => {
        connect!(16)
    };
    ($capacity:expr) => {
        match connect_with($capacity).await {
            Some(conn) => conn,
            None => return,
        }
    };
}

/// A connection, a second one to watch it from, and the first one's backend pid (or returns from
/// the test, as [`connect!`] does).
macro_rules! watched {
    () => {{
        let mut conn = connect!();
        let observer = connect!();
        let pid = backend_pid(&mut conn).await;
        (conn, observer, pid)
    }};
}

// After the helpers and macros it uses.
mod driving;

/// A table name no other test (or concurrent test process) uses.
fn table(what: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "orm_pg_{what}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

fn st(sql: impl Into<String>, params: Vec<Value>) -> Statement {
    Statement {
        sql: sql.into().into(),
        params,
    }
}

async fn exec(conn: &mut PgConn, sql: &str) -> u64 {
    match conn.execute(Statement::text(sql)).await {
        Ok(done) => done.rows_affected,
        Err(e) => panic!("{sql}: {e}"),
    }
}

async fn scalar<T: orm_core::Decode + Send + 'static>(
    conn: &mut PgConn,
    st: Statement,
) -> Result<T> {
    let sql = st.sql.clone();
    match conn.fetch_optional::<Scalar<T>>(st).await? {
        Some(Scalar(v)) => Ok(v),
        None => panic!("{sql}: no row"),
    }
}

async fn count(conn: &mut PgConn, table: &str) -> i64 {
    scalar(
        conn,
        Statement::text(format!("SELECT count(*) FROM {table}")),
    )
    .await
    .expect("count")
}

/// The server process id of `c`'s session.
async fn backend_pid(c: &mut PgConn) -> i32 {
    scalar(c, Statement::text("SELECT pg_backend_pid()"))
        .await
        .unwrap()
}

/// Terminates, from `observer`, the sessions of `pg_stat_activity` matching `condition` (on `$1`).
async fn terminate(observer: &mut PgConn, condition: &str, param: Value) {
    let killed: bool = scalar(
        observer,
        st(
            format!(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE {condition}"
            ),
            vec![param],
        ),
    )
    .await
    .unwrap();
    assert!(killed);
}

/// Waits until the session of `pid` is gone from the server, failing with `what` after five
/// seconds.
async fn wait_until_gone(observer: &mut PgConn, pid: i32, what: &str) {
    let alive = st(
        "SELECT count(*) FROM pg_stat_activity WHERE pid = $1",
        vec![Value::I32(pid)],
    );
    let since = Instant::now();
    while scalar::<i64>(observer, alive.clone()).await.unwrap() > 0 {
        assert!(since.elapsed() < Duration::from_secs(5), "{what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn assert_decode(err: Error, column: &str, expected: &str, found: &str) {
    match err {
        Error::Decode {
            column: c,
            expected: e,
            message,
        } => {
            assert_eq!((c.as_str(), e), (column, expected), "{message}");
            assert!(
                message.contains(found),
                "{message:?} should mention {found:?}"
            );
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

fn assert_encode(result: Result<impl std::fmt::Debug>, mentions: &str) {
    match result {
        Err(Error::Encode { message }) => assert!(
            message.contains(mentions),
            "{message:?} should mention {mentions:?}"
        ),
        other => panic!("expected an encode error, got {other:?}"),
    }
}

#[tokio::test]
async fn round_trips_every_value_type() {
    let mut c = connect!();
    assert_eq!(c.backend(), Backend::POSTGRES);
    let t = table("values");
    exec(
        &mut c,
        &format!(
            "CREATE TABLE {t} (id int8 PRIMARY KEY, s int2, i int4, b int8, f4 float4, f8 float8, flag bool, \
             txt text, vc varchar(40), bin bytea)"
        ),
    )
    .await;
    let insert = format!("INSERT INTO {t} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
    let rows = [
        vec![
            Value::I64(1),
            Value::I16(i16::MIN),
            Value::I32(i32::MIN),
            Value::I64(i64::MIN),
            Value::F32(f32::MIN_POSITIVE),
            Value::F64(-1.5e300),
            Value::Bool(true),
            Value::String(String::new()),
            Value::String(String::new()),
            Value::Bytes(Vec::new()),
        ],
        vec![
            Value::U64(2),
            Value::I16(i16::MAX),
            Value::I32(i32::MAX),
            Value::I64(i64::MAX),
            Value::F32(1.5),
            Value::F64(f64::MAX),
            Value::Bool(false),
            Value::String("héllo 🦀 世界 'quoted' \"double\" \\".into()),
            Value::String("emoji 🎉".into()),
            Value::Bytes(vec![0, 255, 0, 1, 0x80]),
        ],
        std::iter::once(Value::I64(3))
            .chain(std::iter::repeat_n(Value::Null, 9))
            .collect(),
    ];
    for params in rows {
        let done = c.execute(st(&insert, params)).await.expect("insert");
        assert_eq!(
            done,
            ExecResult {
                rows_affected: 1,
                last_insert_id: None
            }
        );
    }

    type Row = (
        Option<i16>,
        Option<i32>,
        Option<i64>,
        Option<f32>,
        Option<f64>,
        Option<bool>,
        Option<String>,
        Option<String>,
        Option<Vec<u8>>,
    );
    let select = format!("SELECT s, i, b, f4, f8, flag, txt, vc, bin FROM {t} ORDER BY id");
    let got: Vec<Row> = c.fetch_all(Statement::text(&select)).await.expect("select");
    assert_eq!(
        got,
        vec![
            (
                Some(i16::MIN),
                Some(i32::MIN),
                Some(i64::MIN),
                Some(f32::MIN_POSITIVE),
                Some(-1.5e300),
                Some(true),
                Some(String::new()),
                Some(String::new()),
                Some(Vec::new()),
            ),
            (
                Some(i16::MAX),
                Some(i32::MAX),
                Some(i64::MAX),
                Some(1.5),
                Some(f64::MAX),
                Some(false),
                Some("héllo 🦀 世界 'quoted' \"double\" \\".into()),
                Some("emoji 🎉".into()),
                Some(vec![0, 255, 0, 1, 0x80]),
            ),
            (None, None, None, None, None, None, None, None, None),
        ]
    );

    // Text reads as bytes; NULL parameters bind to any type; a filter by a bound value works.
    let by_id = format!("SELECT vc FROM {t} WHERE id = $1 AND txt IS DISTINCT FROM $2");
    let bytes: Vec<u8> = scalar(&mut c, st(&by_id, vec![Value::I32(2), Value::Null]))
        .await
        .expect("bytes");
    assert_eq!(bytes, "emoji 🎉".as_bytes());
    assert!(c.is_reusable());
    exec(&mut c, &format!("DROP TABLE {t}")).await;
}

#[tokio::test]
async fn integer_and_float_columns_convert_only_without_loss() {
    let mut c = connect!();
    let sql = "SELECT 7::int2 AS a, 70000::int4 AS b, 5000000000::int8 AS c, -1::int4 AS d";
    let wide: (i64, i64, i64, i32) = c
        .fetch_optional(Statement::text(sql))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(wide, (7, 70_000, 5_000_000_000, -1));
    let small: (i16, i32, f64) = c
        .fetch_optional(Statement::text("SELECT 7::int8, 7::int2, 3::int4"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(small, (7, 7, 3.0));

    let err = scalar::<i16>(&mut c, Statement::text("SELECT 70000::int4 AS b"))
        .await
        .unwrap_err();
    assert_decode(err, "b", "i16", "70000");
    let err = scalar::<i32>(&mut c, Statement::text("SELECT 5000000000::int8 AS c"))
        .await
        .unwrap_err();
    assert_decode(err, "c", "i32", "out of range");
    let err = scalar::<u64>(&mut c, Statement::text("SELECT -1::int4 AS d"))
        .await
        .unwrap_err();
    assert_decode(err, "d", "u64", "negative");
    let err = scalar::<f64>(
        &mut c,
        Statement::text("SELECT 9007199254740993::int8 AS big"),
    )
    .await
    .unwrap_err();
    assert_decode(err, "big", "f64", "out of range");

    let floats: (f64, f32, f32) = c
        .fetch_optional(Statement::text("SELECT 1.5::float4, 0.5::float8, 3::int4"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(floats, (1.5, 0.5, 3.0));
    let err = scalar::<f32>(&mut c, Statement::text("SELECT 0.1::float8 AS x"))
        .await
        .unwrap_err();
    assert_decode(err, "x", "f32", "out of range");
    let nan: f32 = scalar(&mut c, Statement::text("SELECT 'NaN'::float8"))
        .await
        .unwrap();
    assert!(nan.is_nan());
    assert!(c.is_reusable());
}

#[tokio::test]
async fn decoding_into_the_wrong_type_names_the_column() {
    let mut c = connect!();
    let err = scalar::<i64>(&mut c, Statement::text("SELECT 'x'::text AS name"))
        .await
        .unwrap_err();
    assert_decode(err, "name", "i64", "text");
    let err = scalar::<f64>(&mut c, Statement::text("SELECT 1.5::numeric AS price"))
        .await
        .unwrap_err();
    assert_decode(err, "price", "f64", "numeric");
    let err = scalar::<String>(&mut c, Statement::text("SELECT 1::int4 AS n"))
        .await
        .unwrap_err();
    assert_decode(err, "n", "String", "int4");
    let err = scalar::<bool>(&mut c, Statement::text("SELECT 1::int4 AS n"))
        .await
        .unwrap_err();
    assert_decode(err, "n", "bool", "int4");
    let err = scalar::<Vec<u8>>(&mut c, Statement::text("SELECT 1::int4 AS n"))
        .await
        .unwrap_err();
    assert_decode(err, "n", "Vec<u8>", "int4");
    let err = scalar::<i32>(&mut c, Statement::text("SELECT NULL::int4 AS missing"))
        .await
        .unwrap_err();
    assert_decode(err, "missing", "i32", "NULL");
    let err = c
        .fetch_all::<(i32, i32)>(Statement::text("SELECT 1::int4"))
        .await
        .unwrap_err();
    assert_decode(err, "#1", "i32", "1 columns");
    // A decode error in the middle of a result leaves the connection usable.
    let err = c
        .fetch_all::<Scalar<i16>>(Statement::text(
            "SELECT x * 10000 FROM generate_series(1, 5) x",
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_usable(&mut c).await;
}

/// A session the server ends with a FATAL error outside the usual disconnect classes (here the
/// idle-session timeout, 57P05) is a lost connection: `Disconnected`, never reused.
#[tokio::test]
async fn a_session_ended_by_the_server_is_disconnected() {
    let mut c = connect!();
    exec(&mut c, "SET idle_session_timeout = '50ms'").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let err = scalar::<i32>(&mut c, Statement::text("SELECT 1"))
        .await
        .unwrap_err();
    assert!(err.is_disconnected(), "{err:?}");
    assert!(!c.is_reusable());
}

/// A decode error early in a large result reads the rest before returning: nothing else reads the
/// socket, so a result left unread would hold the server mid-query while the connection sits idle
/// in the pool.
#[tokio::test]
async fn a_decode_error_reads_the_rest_of_the_result() {
    let (mut c, mut observer, pid) = watched!();
    let big = "SELECT repeat('x', 1000) AS v FROM generate_series(1, 20000)";
    let err = c
        .fetch_all::<Scalar<i32>>(Statement::text(big))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let streamed = {
        let c = &mut *c;
        let mut rows = crate::stream::feed(|sink| async move {
            c.stream::<Scalar<i32>>(Statement::text(big), &sink)
                .await
                .map(drop)
        });
        rows.try_next().await
    };
    assert!(
        matches!(streamed, Err(Error::Decode { .. })),
        "{streamed:?}"
    );
    let state: String = scalar(
        &mut observer,
        Statement {
            sql: "SELECT state FROM pg_stat_activity WHERE pid = $1".into(),
            params: vec![Value::I32(pid)],
        },
    )
    .await
    .unwrap();
    assert_eq!(state, "idle", "the server finished the query");
    assert_usable(&mut c).await;
}

#[tokio::test]
async fn values_that_do_not_fit_the_parameter_type_are_encode_errors() {
    let mut c = connect!();
    let t = table("encode");
    exec(
        &mut c,
        &format!("CREATE TABLE {t} (i int4, s int2, b bytea)"),
    )
    .await;
    let insert = format!("INSERT INTO {t} (i) VALUES ($1)");
    assert_encode(
        c.execute(st(&insert, vec![Value::I64(i64::from(i32::MAX) + 1)]))
            .await,
        "int4",
    );
    assert_encode(
        c.execute(st(&insert, vec![Value::U64(u64::MAX)])).await,
        "int4",
    );
    assert_encode(
        c.execute(st(&insert, vec![Value::String("7".into())]))
            .await,
        "String",
    );
    let insert_s = format!("INSERT INTO {t} (s) VALUES ($1)");
    assert_encode(
        c.execute(st(&insert_s, vec![Value::I32(40_000)])).await,
        "int2",
    );
    assert_encode(
        c.execute(st(
            format!("INSERT INTO {t} (b) VALUES ($1)"),
            vec![Value::String("x".into())],
        ))
        .await,
        "bytea",
    );
    assert_encode(
        scalar::<bool>(&mut c, st("SELECT $1::bool", vec![Value::I32(1)])).await,
        "bool",
    );
    let err = c.execute(st(&insert, vec![])).await.unwrap_err();
    assert!(matches!(err, Error::InvalidQuery(_)), "{err:?}");

    // Nothing was sent: the connection, and an open transaction, are still fine.
    assert!(c.is_reusable());
    c.begin(0, TxOptions::default()).await.unwrap();
    assert_encode(
        c.execute(st(&insert, vec![Value::I64(i64::MAX)])).await,
        "$1",
    );
    c.execute(st(&insert, vec![Value::I64(5)])).await.unwrap();
    c.commit(0).await.unwrap();
    assert_eq!(count(&mut c, &t).await, 1);
    exec(&mut c, &format!("DROP TABLE {t}")).await;
}

#[tokio::test]
async fn text_with_nul_is_rejected_and_the_connection_survives() {
    let mut c = connect!();
    let err = scalar::<String>(
        &mut c,
        st("SELECT $1::text", vec![Value::String("a\0b".into())]),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Database(_)), "{err:?}");
    assert_eq!(err.code(), Some("22021"));
    assert!(c.is_reusable());
    assert_eq!(
        scalar::<String>(
            &mut c,
            st("SELECT $1::text", vec![Value::String("ab".into())])
        )
        .await
        .unwrap(),
        "ab"
    );
    // NUL in the SQL text itself never reaches the wire.
    let err = c
        .execute(Statement::text("SELECT 1 -- \0"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidQuery(_)), "{err:?}");
    assert!(c.is_reusable());
}

#[tokio::test]
async fn constraint_violations_are_typed_and_name_the_constraint() {
    let mut c = connect!();
    let parent = table("parent");
    let child = table("child");
    exec(
        &mut c,
        &format!("CREATE TABLE {parent} (id int8 PRIMARY KEY)"),
    )
    .await;
    exec(
        &mut c,
        &format!(
            "CREATE TABLE {child} (id int8 PRIMARY KEY, parent_id int8 REFERENCES {parent}, name text NOT NULL, \
             qty int4 CHECK (qty > 0), email text UNIQUE)"
        ),
    )
    .await;
    exec(&mut c, &format!("INSERT INTO {parent} VALUES (1)")).await;
    let insert = format!("INSERT INTO {child} VALUES ($1, $2, $3, $4, $5)");
    let row = |id: i64, parent: i64, name: Option<&str>, qty: i32, email: &str| {
        st(
            &insert,
            vec![
                Value::I64(id),
                Value::I64(parent),
                name.map_or(Value::Null, |n| Value::String(n.into())),
                Value::I32(qty),
                Value::String(email.into()),
            ],
        )
    };
    c.execute(row(1, 1, Some("a"), 1, "a@x.io")).await.unwrap();

    let err = c
        .execute(row(2, 1, Some("b"), 1, "a@x.io"))
        .await
        .unwrap_err();
    assert!(err.is_unique_violation(), "{err:?}");
    assert_eq!(err.code(), Some("23505"));
    assert_eq!(
        err.constraint(),
        Some(format!("{child}_email_key").as_str())
    );
    assert_eq!(
        err.db_error().and_then(|d| d.table.as_deref()),
        Some(child.as_str())
    );

    let err = c
        .execute(row(3, 99, Some("c"), 1, "c@x.io"))
        .await
        .unwrap_err();
    assert!(err.is_foreign_key_violation(), "{err:?}");
    assert_eq!(
        err.constraint(),
        Some(format!("{child}_parent_id_fkey").as_str())
    );

    let err = c.execute(row(4, 1, None, 1, "d@x.io")).await.unwrap_err();
    assert!(err.is_not_null_violation(), "{err:?}");
    assert_eq!(
        err.db_error().and_then(|d| d.column.as_deref()),
        Some("name")
    );

    let err = c
        .execute(row(5, 1, Some("e"), 0, "e@x.io"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::CheckViolation(_)), "{err:?}");
    assert_eq!(
        err.constraint(),
        Some(format!("{child}_qty_check").as_str())
    );

    let err = c
        .execute(Statement::text("SELECT * FROM orm_pg_no_such_table"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Database(_)), "{err:?}");
    assert_eq!(err.code(), Some("42P01"));
    assert!(c.is_reusable());
    exec(&mut c, &format!("DROP TABLE {child}, {parent}")).await;
}

async fn server_statements(c: &mut PgConn) -> i64 {
    scalar(
        c,
        Statement::text("SELECT count(*) FROM pg_prepared_statements"),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn statement_cache_is_bounded() {
    let mut c = connect!(4);
    for n in 0..12 {
        let v: i64 = scalar(
            &mut c,
            st(format!("SELECT {n}::int8 + $1"), vec![Value::I64(1)]),
        )
        .await
        .unwrap();
        assert_eq!(v, n + 1);
    }
    assert_eq!(server_statements(&mut c).await, 4);
    assert_eq!(c.cache.len(), 4);
    // Cached statements are reused, not prepared again.
    let before = server_statements(&mut c).await;
    for _ in 0..3 {
        scalar::<i64>(&mut c, st("SELECT 11::int8 + $1", vec![Value::I64(1)]))
            .await
            .unwrap();
    }
    assert_eq!(server_statements(&mut c).await, before);

    let mut uncached = connect!(0);
    for n in 0..5 {
        scalar::<i64>(&mut uncached, Statement::text(format!("SELECT {n}::int8")))
            .await
            .unwrap();
    }
    // Only the statement counting is alive while it runs.
    assert_eq!(server_statements(&mut uncached).await, 1);
    assert_eq!(uncached.cache.len(), 0);
}

#[tokio::test]
async fn stale_cached_statement_is_prepared_again_outside_a_transaction() {
    let mut a = connect!();
    let mut b = connect!();
    let t = table("stale");
    exec(&mut a, &format!("CREATE TABLE {t} (id int8)")).await;
    exec(&mut a, &format!("INSERT INTO {t} VALUES (1)")).await;
    let select = Statement::text(format!("SELECT * FROM {t}"));
    let ids: Vec<Scalar<i64>> = a.fetch_all(select.clone()).await.unwrap();
    assert_eq!(ids, vec![Scalar(1)]);

    exec(
        &mut b,
        &format!("ALTER TABLE {t} ADD COLUMN extra text DEFAULT 'x'"),
    )
    .await;
    let rows: Vec<(i64, String)> = a
        .fetch_all(select.clone())
        .await
        .expect("re-prepared transparently");
    assert_eq!(rows, vec![(1, "x".to_owned())]);

    // A statement deallocated behind the cache's back (26000) is prepared again too.
    a.io.drive(a.client.batch_execute("DEALLOCATE ALL"))
        .await
        .unwrap();
    let rows: Vec<(i64, String)> = a
        .fetch_all(select.clone())
        .await
        .expect("re-prepared after DEALLOCATE");
    assert_eq!(rows.len(), 1);

    // Inside a transaction the typed error is returned: the transaction is already aborted.
    exec(&mut b, &format!("ALTER TABLE {t} ADD COLUMN more int4")).await;
    a.begin(0, TxOptions::default()).await.unwrap();
    let err = a
        .fetch_all::<Scalar<i64>>(select.clone())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Database(_)), "{err:?}");
    assert_eq!(err.code(), Some("0A000"));
    a.rollback(0).await.unwrap();
    let rows: Vec<(i64, String, Option<i32>)> = a
        .fetch_all(select)
        .await
        .expect("prepared again after rollback");
    assert_eq!(rows, vec![(1, "x".to_owned(), None)]);
    assert!(a.is_reusable());
    exec(&mut a, &format!("DROP TABLE {t}")).await;
}

#[tokio::test]
async fn transactions_and_savepoints() {
    let mut a = connect!();
    let mut b = connect!();
    let t = table("tx");
    exec(&mut a, &format!("CREATE TABLE {t} (id int8 PRIMARY KEY)")).await;
    let insert = format!("INSERT INTO {t} VALUES ($1)");
    let ins = |id: i64| st(&insert, vec![Value::I64(id)]);

    a.begin(0, TxOptions::default()).await.unwrap();
    assert!(!a.is_reusable());
    a.execute(ins(1)).await.unwrap();
    assert_eq!(count(&mut b, &t).await, 0);
    a.begin(1, TxOptions::default()).await.unwrap();
    a.execute(ins(2)).await.unwrap();
    a.rollback(1).await.unwrap();
    a.begin(1, TxOptions::default()).await.unwrap();
    a.execute(ins(3)).await.unwrap();
    a.begin(2, TxOptions::default()).await.unwrap();
    a.execute(ins(4)).await.unwrap();
    a.commit(2).await.unwrap();
    a.commit(1).await.unwrap();
    a.commit(0).await.unwrap();
    assert!(a.is_reusable());
    let ids: Vec<Scalar<i64>> = b
        .fetch_all(Statement::text(format!("SELECT id FROM {t} ORDER BY id")))
        .await
        .unwrap();
    assert_eq!(ids, vec![Scalar(1), Scalar(3), Scalar(4)]);

    a.begin(0, TxOptions::default()).await.unwrap();
    a.execute(ins(5)).await.unwrap();
    a.rollback(0).await.unwrap();
    assert!(a.is_reusable());
    assert_eq!(count(&mut b, &t).await, 3);

    let opts = TxOptions {
        isolation: Some(IsolationLevel::Serializable),
        read_only: true,
    };
    a.begin(0, opts).await.unwrap();
    let level: String = scalar(
        &mut a,
        Statement::text("SELECT current_setting('transaction_isolation')"),
    )
    .await
    .unwrap();
    assert_eq!(level, "serializable");
    let err = a.execute(ins(6)).await.unwrap_err();
    assert_eq!(err.code(), Some("25006"), "{err:?}");
    a.rollback(0).await.unwrap();
    for (level, name) in [
        (IsolationLevel::ReadUncommitted, "read uncommitted"),
        (IsolationLevel::ReadCommitted, "read committed"),
        (IsolationLevel::RepeatableRead, "repeatable read"),
    ] {
        a.begin(
            0,
            TxOptions {
                isolation: Some(level),
                read_only: false,
            },
        )
        .await
        .unwrap();
        let got: String = scalar(
            &mut a,
            Statement::text("SELECT current_setting('transaction_isolation')"),
        )
        .await
        .unwrap();
        assert_eq!(got, name);
        a.commit(0).await.unwrap();
    }
    exec(&mut a, &format!("DROP TABLE {t}")).await;
}

#[tokio::test]
async fn an_error_aborts_the_transaction_until_a_savepoint_is_rolled_back() {
    let mut a = connect!();
    let t = table("aborted");
    exec(&mut a, &format!("CREATE TABLE {t} (id int8 PRIMARY KEY)")).await;
    let insert = format!("INSERT INTO {t} VALUES ($1)");
    let ins = |id: i64| st(&insert, vec![Value::I64(id)]);

    // Recovered by rolling back the savepoint the error happened in.
    a.begin(0, TxOptions::default()).await.unwrap();
    a.execute(ins(1)).await.unwrap();
    a.begin(1, TxOptions::default()).await.unwrap();
    assert!(a.execute(ins(1)).await.unwrap_err().is_unique_violation());
    a.rollback(1).await.unwrap();
    a.execute(ins(2)).await.unwrap();
    a.commit(0).await.unwrap();
    assert_eq!(count(&mut a, &t).await, 2);

    // Not recovered: COMMIT would silently roll back, so commit fails and says so.
    a.begin(0, TxOptions::default()).await.unwrap();
    a.execute(ins(3)).await.unwrap();
    assert!(a.execute(ins(1)).await.unwrap_err().is_unique_violation());
    let err = a.commit(0).await.unwrap_err();
    assert_eq!(err.code(), Some("25P02"), "{err:?}");
    assert!(a.is_reusable());
    assert_eq!(count(&mut a, &t).await, 2);
    exec(&mut a, &format!("DROP TABLE {t}")).await;
}

#[tokio::test]
async fn fetch_optional_reads_the_first_row_and_reports_later_errors() {
    let mut c = connect!();
    let first = c
        .fetch_optional::<Scalar<i32>>(Statement::text(
            "SELECT x FROM generate_series(1, 1000) x ORDER BY x",
        ))
        .await
        .unwrap();
    assert_eq!(first, Some(Scalar(1)));
    let none = c
        .fetch_optional::<Scalar<i32>>(Statement::text("SELECT x FROM generate_series(1, 0) x"))
        .await;
    assert_eq!(none.unwrap(), None);
    let err = c
        .fetch_optional::<Scalar<i32>>(Statement::text(
            "SELECT 10 / (3 - x) FROM generate_series(1, 5) x",
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("22012"), "{err:?}");
    assert_usable(&mut c).await;
}

#[tokio::test]
async fn execute_reports_rows_affected() {
    let mut c = connect!();
    let t = table("affected");
    exec(&mut c, &format!("CREATE TABLE {t} (id int8, v int4)")).await;
    assert_eq!(
        exec(
            &mut c,
            &format!("INSERT INTO {t} SELECT x, 0 FROM generate_series(1, 3) x")
        )
        .await,
        3
    );
    assert_eq!(exec(&mut c, &format!("UPDATE {t} SET v = v")).await, 3);
    let done = c
        .execute(st(
            format!("DELETE FROM {t} WHERE id = $1"),
            vec![Value::I64(99)],
        ))
        .await
        .unwrap();
    assert_eq!(
        done,
        ExecResult {
            rows_affected: 0,
            last_insert_id: None
        }
    );
    let ids: Vec<Scalar<i64>> = c
        .fetch_all(Statement::text(format!(
            "DELETE FROM {t} WHERE id < 3 RETURNING id"
        )))
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
    exec(&mut c, &format!("DROP TABLE {t}")).await;
}

#[tokio::test]
async fn reset_rolls_back_an_abandoned_transaction() {
    let mut a = connect!();
    let mut b = connect!();
    let m = manager(16);
    let t = table("abandoned");
    exec(&mut a, &format!("CREATE TABLE {t} (id int8)")).await;
    let insert = Statement::text(format!("INSERT INTO {t} VALUES (1)"));

    a.begin(0, TxOptions::default()).await.unwrap();
    a.execute(insert.clone()).await.unwrap();
    assert!(!a.is_reusable());
    a.reset().await.expect("rolled back");
    assert!(a.is_reusable());
    assert_eq!(count(&mut b, &t).await, 0);

    a.begin(0, TxOptions::default()).await.unwrap();
    a.begin(1, TxOptions::default()).await.unwrap();
    a.execute(insert).await.unwrap();
    m.recycle(&mut a, &Metrics::default())
        .await
        .expect("recycled");
    assert!(a.is_reusable());
    assert_eq!(count(&mut b, &t).await, 0);
    // The next user runs outside any transaction: each statement gets its own transaction id.
    let first: i64 = scalar(&mut a, Statement::text("SELECT txid_current()"))
        .await
        .unwrap();
    let second: i64 = scalar(&mut a, Statement::text("SELECT txid_current()"))
        .await
        .unwrap();
    assert_ne!(first, second);
    m.recycle(&mut a, &Metrics::default())
        .await
        .expect("a clean connection recycles");
    exec(&mut a, &format!("DROP TABLE {t}")).await;
}

#[tokio::test]
async fn a_begin_dropped_before_its_answer_is_never_reused() {
    let mut a = connect!();
    // Poll exactly once, then drop: the answer cannot have been read by then.
    let mut begin = Box::pin(a.begin(0, TxOptions::default()));
    let first = std::future::poll_fn(|cx| std::task::Poll::Ready(begin.as_mut().poll(cx))).await;
    assert!(
        first.is_pending(),
        "the first poll cannot have read the answer"
    );
    drop(begin);
    assert!(!a.is_reusable());
    assert!(a.reset().await.is_err());
    assert!(
        manager(16)
            .recycle(&mut a, &Metrics::default())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_query_dropped_in_flight_is_cancelled_and_never_reused() {
    let (mut a, mut b, pid) = watched!();
    let slow = a.fetch_all::<Scalar<i32>>(Statement::text("SELECT 1 FROM pg_sleep(10)"));
    assert!(
        tokio::time::timeout(Duration::from_millis(200), slow)
            .await
            .is_err()
    );
    assert!(!a.is_reusable());
    assert!(a.reset().await.is_err());
    assert!(
        manager(16)
            .recycle(&mut a, &Metrics::default())
            .await
            .is_err()
    );

    // Dropping the connection cancels the query on the server; the backend goes away long before
    // the sleep would have ended.
    drop(a);
    wait_until_gone(&mut b, pid, "the abandoned query kept running").await;
}

#[tokio::test]
async fn a_killed_backend_is_disconnected_and_never_reused() {
    let (mut a, mut b, pid) = watched!();
    terminate(&mut b, "pid = $1", Value::I32(pid)).await;
    let err = a.execute(Statement::text("SELECT 1")).await.unwrap_err();
    assert!(err.is_disconnected(), "{err:?}");
    assert!(!a.is_reusable());
    assert!(a.reset().await.is_err());
    assert!(
        manager(16)
            .recycle(&mut a, &Metrics::default())
            .await
            .is_err()
    );
    let err = a.begin(0, TxOptions::default()).await.unwrap_err();
    assert!(err.is_disconnected(), "{err:?}");
}

#[tokio::test]
async fn connect_errors_never_show_the_password() {
    let opts = ConnectOptions {
        connect_timeout: Duration::from_secs(2),
        ..ConnectOptions::default()
    };
    let secret = "S3cretPw";

    let m = PgManager::new(
        &format!("postgres://postgres:{secret}@127.0.0.1:1/test"),
        &opts,
    )
    .unwrap();
    assert!(!format!("{m:?}").contains(secret));
    let err = m.create().await.unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(err.to_string().contains("127.0.0.1:1"), "{err}");
    assert!(
        !err.to_string().contains(secret) && !format!("{err:?}").contains(secret),
        "{err:?}"
    );

    for bad in [
        format!("host=127.0.0.1 password={secret} {secret}x=1"),
        format!("host=127.0.0.1 password={secret} {secret}"),
        format!("postgres://u:{secret}@host:notaport/db"),
        format!("postgres://u:{secret}@host/db?{secret}=1"),
    ] {
        let err = PgManager::new(&bad, &opts).unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert!(
            !err.to_string().contains(secret) && !format!("{err:?}").contains(secret),
            "{err:?}"
        );
    }
    let err = PgManager::new("postgres://u@host:notaport/db", &opts).unwrap_err();
    assert!(err.to_string().contains("port"), "{err}");

    // The timeout bounds a connect that never completes.
    let quick = ConnectOptions {
        connect_timeout: Duration::from_millis(300),
        ..ConnectOptions::default()
    };
    let started = Instant::now();
    let err = PgManager::new("postgres://postgres@10.255.255.1:5432/test", &quick)
        .unwrap()
        .create()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3));

    // A server-side refusal (unknown database) is a connect error too.
    let Some(_) = connect_with(16).await else {
        return;
    };
    let mut config = Config::from_str(&url()).unwrap();
    config.dbname("orm_pg_no_such_database");
    config.password(secret);
    let m = PgManager {
        target: describe_target(&config),
        config,
        opts,
        health: Default::default(),
    };
    let err = m.create().await.unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(err.to_string().contains("orm_pg_no_such_database"), "{err}");
    assert!(!format!("{err:?} {m:?}").contains(secret), "{err:?}");
}
