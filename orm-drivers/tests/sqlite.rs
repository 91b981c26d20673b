//! The SQLite backend against real database files: URLs, CRUD, decoding, error mapping, locking,
//! cancellation and worker failures.
#![cfg(feature = "sqlite")]

use std::time::{Duration, Instant};

use orm_core::{AssertSqlSafe, Error, Executor, FromRow, RawRow, Scalar, Statement, Value, raw};
use orm_drivers::{Database, TxOptions};

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}

fn file_url(dir: &tempfile::TempDir, name: &str, params: &str) -> String {
    format!("sqlite://{}?{params}", dir.path().join(name).display())
}

async fn open(dir: &tempfile::TempDir) -> Database {
    Database::connect(&file_url(dir, "t.db", "mode=rwc"))
        .await
        .unwrap()
}

fn text(s: &str) -> Value {
    Value::String(s.to_owned())
}

fn st(sql: &str, params: Vec<Value>) -> Statement {
    Statement {
        sql: sql.to_owned().into(),
        params,
    }
}

#[tokio::test]
async fn every_url_form_connects() {
    let dir = temp();
    let path = dir.path().join("forms.db");
    let abs = path.display().to_string();
    for url in [
        format!("sqlite://{abs}?mode=rwc"),
        format!("sqlite:{abs}"),
        format!("sqlite://{abs}"),
        format!("sqlite://{abs}?mode=rw&max_connections=3&busy_timeout=0.5"),
        format!("SQLITE://{abs}?mode=ro"),
    ] {
        let db = Database::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        let one: (i64,) = raw("SELECT 1").fetch_one(&db).await.unwrap();
        assert_eq!(one.0, 1, "{url}");
    }
    assert!(abs.starts_with('/'), "absolute path expected: {abs}");
    let db = Database::connect(&format!("sqlite://{abs}?max_connections=3"))
        .await
        .unwrap();
    assert_eq!(db.status().max_size, 3);

    let db = Database::connect("sqlite::memory:").await.unwrap();
    assert_eq!(db.status().max_size, 1);
    let db = Database::connect("sqlite://:memory:").await.unwrap();
    assert_eq!(db.backend(), orm_core::Backend::SQLITE);
    let err = Database::builder("sqlite::memory:")
        .max_connections(4)
        .build()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err}");
}

#[tokio::test]
async fn memory_database_is_shared_by_every_caller() {
    let db = Database::connect("sqlite::memory:").await.unwrap();
    raw("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        .execute(&db)
        .await
        .unwrap();
    raw("INSERT INTO t (v) VALUES ('a')")
        .execute(&db)
        .await
        .unwrap();
    let clone = db.clone();
    let n: (i64,) = raw("SELECT COUNT(*) FROM t")
        .fetch_one(&clone)
        .await
        .unwrap();
    assert_eq!(n.0, 1);
    {
        // A dropped transaction is rolled back, not the database thrown away.
        let tx = db.begin().await.unwrap();
        raw("INSERT INTO t (v) VALUES ('b')")
            .execute(&tx)
            .await
            .unwrap();
    }
    let n: (i64,) = raw("SELECT COUNT(*) FROM t").fetch_one(&db).await.unwrap();
    assert_eq!(n.0, 1);

    // A named shared in-memory database is visible from every pooled connection.
    let shared =
        Database::connect("sqlite://drv_shared_mem?mode=memory&cache=shared&max_connections=3")
            .await
            .unwrap();
    raw("CREATE TABLE s (id INTEGER PRIMARY KEY)")
        .execute(&shared)
        .await
        .unwrap();
    let (a, b) = (
        shared.acquire().await.unwrap(),
        shared.acquire().await.unwrap(),
    );
    raw("INSERT INTO s (id) VALUES (1)")
        .execute(&a)
        .await
        .unwrap();
    let n: (i64,) = raw("SELECT COUNT(*) FROM s").fetch_one(&b).await.unwrap();
    assert_eq!(n.0, 1);
}

#[tokio::test]
async fn opening_failures_are_typed() {
    let dir = temp();
    let missing = Database::connect(&file_url(&dir, "missing.db", "mode=rw"))
        .await
        .unwrap_err();
    assert!(matches!(missing, Error::Connect { .. }), "{missing:?}");
    assert!(missing.to_string().contains("mode=rwc"), "{missing}");
    let missing = Database::connect(&format!("sqlite:{}", dir.path().join("nope.db").display()))
        .await
        .unwrap_err();
    assert!(matches!(missing, Error::Connect { .. }), "{missing:?}");
    assert!(!dir.path().join("nope.db").exists());

    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![0x5a_u8; 8192]).unwrap();
    let corrupt = Database::connect(&format!("sqlite://{}", garbage.display()))
        .await
        .unwrap_err();
    assert!(matches!(corrupt, Error::Connect { .. }), "{corrupt:?}");
    let corrupt_ro = Database::connect(&format!("sqlite://{}?mode=ro", garbage.display()))
        .await
        .unwrap_err();
    assert!(
        matches!(corrupt_ro, Error::Connect { .. }),
        "{corrupt_ro:?}"
    );

    for bad in [
        "sqlite:",
        "sqlite:x.db?mode=bogus",
        "sqlite:x.db?max_connections=zero",
        "sqlite:x.db?foo=1",
    ] {
        assert!(
            matches!(Database::connect(bad).await, Err(Error::Config(_))),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn read_only_mode_rejects_writes() {
    let dir = temp();
    let db = open(&dir).await;
    raw("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        .execute(&db)
        .await
        .unwrap();
    raw("INSERT INTO t (id) VALUES (1)")
        .execute(&db)
        .await
        .unwrap();
    let ro = Database::connect(&file_url(&dir, "t.db", "mode=ro"))
        .await
        .unwrap();
    let n: (i64,) = raw("SELECT COUNT(*) FROM t").fetch_one(&ro).await.unwrap();
    assert_eq!(n.0, 1);
    let err = raw("INSERT INTO t (id) VALUES (2)")
        .execute(&ro)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Database(db) if db.code == "8"),
        "{err:?}"
    );
}

#[tokio::test]
async fn crud_through_statements_and_raw() {
    let dir = temp();
    let db = open(&dir).await;
    let created = db
        .execute(Statement::text("CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, email TEXT UNIQUE)"))
        .await
        .unwrap();
    assert_eq!(created.rows_affected, 0);
    assert_eq!(created.last_insert_id, None);

    let r = db
        .execute(st(
            "INSERT INTO users (name, email) VALUES (?, ?)",
            vec![text("Ann"), text("a@x.io")],
        ))
        .await
        .unwrap();
    assert_eq!((r.rows_affected, r.last_insert_id), (1, Some(1)));
    let r = db
        .execute(st(
            "INSERT INTO users (name, email) VALUES (?, ?), (?, ?)",
            vec![text("Bob"), text("b@x.io"), text("Cid"), Value::Null],
        ))
        .await
        .unwrap();
    assert_eq!((r.rows_affected, r.last_insert_id), (2, Some(3)));

    let rows: Vec<(i64, String, Option<String>)> = db
        .fetch_all(st("SELECT id, name, email FROM users ORDER BY id", vec![]))
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (1, "Ann".into(), Some("a@x.io".into())),
            (2, "Bob".into(), Some("b@x.io".into())),
            (3, "Cid".into(), None),
        ]
    );
    let first: Option<(String,)> = db
        .fetch_optional(st("SELECT name FROM users ORDER BY id DESC", vec![]))
        .await
        .unwrap();
    assert_eq!(first, Some(("Cid".into(),)));
    let none: Option<(String,)> = db
        .fetch_optional(st(
            "SELECT name FROM users WHERE id = ?",
            vec![Value::I64(99)],
        ))
        .await
        .unwrap();
    assert_eq!(none, None);

    // UPDATE reports matched rows, even when nothing changes.
    let same = raw("UPDATE users SET name = name WHERE id <= ?")
        .bind(2_i64)
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(same, 2);
    let r = db
        .execute(st("UPDATE users SET name = 'Zed' WHERE id = 99", vec![]))
        .await
        .unwrap();
    assert_eq!((r.rows_affected, r.last_insert_id), (0, None));

    // RETURNING through fetch and through execute.
    let returned: Vec<(i64,)> = raw("INSERT INTO users (name) VALUES (?) RETURNING id")
        .bind("Dee")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(returned, vec![(4,)]);
    let r = db
        .execute(st(
            "DELETE FROM users WHERE id >= ? RETURNING id",
            vec![Value::I64(3)],
        ))
        .await
        .unwrap();
    assert_eq!(r.rows_affected, 2);
    assert_eq!(raw("DELETE FROM users").execute(&db).await.unwrap(), 2);

    let mismatch = db.execute(st("SELECT ?", vec![])).await.unwrap_err();
    assert!(matches!(mismatch, Error::InvalidQuery(_)), "{mismatch:?}");
    let two = db
        .execute(Statement::text("SELECT 1; SELECT 2"))
        .await
        .unwrap_err();
    assert!(matches!(two, Error::InvalidQuery(_)), "{two:?}");
    let syntax = db.execute(Statement::text("SELEC 1")).await.unwrap_err();
    assert!(matches!(syntax, Error::Database(_)), "{syntax:?}");
}

#[tokio::test]
async fn decodes_every_type() {
    let dir = temp();
    let db = open(&dir).await;
    raw("CREATE TABLE v (b INTEGER, s INTEGER, i INTEGER, l INTEGER, u INTEGER, f REAL, d REAL, t TEXT, y BLOB)")
        .execute(&db)
        .await
        .unwrap();
    let insert = "INSERT INTO v (b, s, i, l, u, f, d, t, y) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    let rows: [Vec<Value>; 4] = [
        vec![
            Value::Bool(true),
            Value::I16(i16::MIN),
            Value::I32(i32::MIN),
            Value::I64(i64::MIN),
            Value::U64(0),
            Value::F32(1.5),
            Value::F64(-2.25),
            Value::String(String::new()),
            Value::Bytes(Vec::new()),
        ],
        vec![
            Value::Bool(false),
            Value::I16(i16::MAX),
            Value::I32(i32::MAX),
            Value::I64(i64::MAX),
            Value::U64(i64::MAX as u64),
            Value::F32(f32::MAX),
            Value::F64(f64::INFINITY),
            Value::String("héllo 👋🏽 世界".into()),
            Value::Bytes(vec![0, 255, 1, 254, 0]),
        ],
        vec![Value::Null; 9],
        vec![
            Value::Bool(true),
            Value::I16(0),
            Value::I32(0),
            Value::I64(0),
            Value::U64(7),
            Value::F32(0.0),
            Value::F64(f64::MIN_POSITIVE),
            Value::String("a\0b".into()),
            Value::Bytes((0..=255).collect()),
        ],
    ];
    for params in &rows {
        db.execute(st(insert, params.clone())).await.unwrap();
    }
    type Row = (
        Option<bool>,
        Option<i16>,
        Option<i32>,
        Option<i64>,
        Option<u64>,
        Option<f32>,
        Option<f64>,
        Option<String>,
        Option<Vec<u8>>,
    );
    let got: Vec<Row> = raw("SELECT b, s, i, l, u, f, d, t, y FROM v ORDER BY rowid")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(
        got[0],
        (
            Some(true),
            Some(i16::MIN),
            Some(i32::MIN),
            Some(i64::MIN),
            Some(0),
            Some(1.5),
            Some(-2.25),
            Some(String::new()),
            Some(Vec::new())
        )
    );
    assert_eq!(
        got[1],
        (
            Some(false),
            Some(i16::MAX),
            Some(i32::MAX),
            Some(i64::MAX),
            Some(i64::MAX as u64),
            Some(f32::MAX),
            Some(f64::INFINITY),
            Some("héllo 👋🏽 世界".into()),
            Some(vec![0, 255, 1, 254, 0])
        )
    );
    assert_eq!(
        got[2],
        (None, None, None, None, None, None, None, None, None)
    );
    assert_eq!(got[3].7.as_deref(), Some("a\0b"));
    assert_eq!(got[3].8.as_ref().map(Vec::len), Some(256));

    // Scalars, integers read as floats, text read as bytes, u32.
    let Scalar(n): Scalar<i64> = db
        .fetch_optional(Statement::text("SELECT COUNT(*) FROM v"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(n, 4);
    let mixed: (f64, f32, Vec<u8>, u32) = raw("SELECT 3, 4, 'hi', 4000000000")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(mixed, (3.0, 4.0, b"hi".to_vec(), 4_000_000_000));

    // Checked conversions: every mismatch is a Decode error naming the column.
    async fn decode_err<T: orm_core::FromRawRow + std::fmt::Debug>(
        db: &Database,
        sql: &'static str,
    ) -> Error {
        raw(sql).fetch_one::<T>(db).await.unwrap_err()
    }
    let cases = [
        (
            decode_err::<(i16,)>(&db, "SELECT 40000 AS small").await,
            "small",
        ),
        (
            decode_err::<(i32,)>(&db, "SELECT 3000000000 AS mid").await,
            "mid",
        ),
        (
            decode_err::<(u64,)>(&db, "SELECT -1 AS unsigned").await,
            "unsigned",
        ),
        (
            decode_err::<(u32,)>(&db, "SELECT 5000000000 AS u").await,
            "u",
        ),
        (decode_err::<(bool,)>(&db, "SELECT 2 AS flag").await, "flag"),
        (decode_err::<(i64,)>(&db, "SELECT 'x' AS txt").await, "txt"),
        (
            decode_err::<(i64,)>(&db, "SELECT 1.5 AS real").await,
            "real",
        ),
        (
            decode_err::<(String,)>(&db, "SELECT CAST(x'ff' AS TEXT) AS bad_utf8").await,
            "bad_utf8",
        ),
        (
            decode_err::<(String,)>(&db, "SELECT x'00' AS blob").await,
            "blob",
        ),
        (
            decode_err::<(f64,)>(&db, "SELECT 9007199254740993 AS big").await,
            "big",
        ),
        (
            decode_err::<(String,)>(&db, "SELECT NULL AS absent").await,
            "absent",
        ),
        (
            decode_err::<(Vec<u8>,)>(&db, "SELECT 1 AS int_bytes").await,
            "int_bytes",
        ),
    ];
    for (err, column) in cases {
        match err {
            Error::Decode { column: c, .. } => assert_eq!(c, column),
            other => panic!("{column}: {other:?}"),
        }
    }
    let short = raw("SELECT 1")
        .fetch_one::<(i64, i64)>(&db)
        .await
        .unwrap_err();
    assert!(matches!(short, Error::Decode { .. }), "{short:?}");

    // Values SQLite cannot hold are encode errors, not silent changes.
    let nan = db
        .execute(st("SELECT ?", vec![Value::F64(f64::NAN)]))
        .await
        .unwrap_err();
    assert!(matches!(nan, Error::Encode { .. }), "{nan:?}");
    let big = db
        .execute(st("SELECT ?", vec![Value::U64(u64::MAX)]))
        .await
        .unwrap_err();
    assert!(matches!(big, Error::Encode { .. }), "{big:?}");
}

#[tokio::test]
async fn constraint_errors_are_mapped() {
    let dir = temp();
    let db = open(&dir).await;
    for sql in [
        "CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL, CONSTRAINT uq_teams_name UNIQUE (name))",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, team_id INTEGER REFERENCES teams (id), \
         age INTEGER CONSTRAINT adult CHECK (age >= 18))",
    ] {
        raw(AssertSqlSafe(sql)).execute(&db).await.unwrap();
    }
    raw("INSERT INTO teams (id, name) VALUES (1, 'a')")
        .execute(&db)
        .await
        .unwrap();
    raw("INSERT INTO users (id, email, team_id) VALUES (1, 'a@x.io', 1)")
        .execute(&db)
        .await
        .unwrap();

    let unique = raw("INSERT INTO users (id, email) VALUES (2, ?)")
        .bind("a@x.io")
        .execute(&db)
        .await
        .unwrap_err();
    assert!(unique.is_unique_violation(), "{unique:?}");
    let info = unique.db_error().unwrap();
    assert_eq!(
        (
            info.code.as_str(),
            info.table.as_deref(),
            info.column.as_deref()
        ),
        ("2067", Some("users"), Some("email"))
    );

    let pk = raw("INSERT INTO users (id, email) VALUES (1, 'z@x.io')")
        .execute(&db)
        .await
        .unwrap_err();
    assert!(pk.is_unique_violation(), "{pk:?}");
    assert_eq!(pk.code(), Some("1555"));
    assert_eq!(pk.db_error().unwrap().column.as_deref(), Some("id"));

    let named = raw("INSERT INTO teams (id, name) VALUES (2, 'a')")
        .execute(&db)
        .await
        .unwrap_err();
    assert!(named.is_unique_violation());
    assert_eq!(named.db_error().unwrap().column.as_deref(), Some("name"));

    let not_null = raw("INSERT INTO users (id, email) VALUES (3, NULL)")
        .execute(&db)
        .await
        .unwrap_err();
    assert!(not_null.is_not_null_violation(), "{not_null:?}");
    assert_eq!(not_null.code(), Some("1299"));
    assert_eq!(
        not_null.db_error().unwrap().column.as_deref(),
        Some("email")
    );

    let fk = raw("INSERT INTO users (id, email, team_id) VALUES (4, 'f@x.io', 99)")
        .execute(&db)
        .await
        .unwrap_err();
    assert!(fk.is_foreign_key_violation(), "{fk:?}");
    assert_eq!(fk.code(), Some("787"));
    let fk_delete = raw("DELETE FROM teams WHERE id = 1")
        .execute(&db)
        .await
        .unwrap_err();
    assert!(fk_delete.is_foreign_key_violation(), "{fk_delete:?}");

    let check = raw("INSERT INTO users (id, email, age) VALUES (5, 'c@x.io', 3)")
        .execute(&db)
        .await
        .unwrap_err();
    assert!(matches!(check, Error::CheckViolation(_)), "{check:?}");
    assert_eq!(check.constraint(), Some("adult"));

    let missing = raw("SELECT * FROM nowhere").execute(&db).await.unwrap_err();
    assert!(
        matches!(&missing, Error::Database(e) if e.code == "1" && e.message.contains("nowhere")),
        "{missing:?}"
    );
}

#[tokio::test]
async fn like_is_case_sensitive() {
    let db = Database::connect("sqlite::memory:").await.unwrap();
    let (hit, miss): (bool, bool) = raw("SELECT 'Hello' LIKE 'H%', 'Hello' LIKE 'h%'")
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(hit && !miss);
    let fk: (i64,) = raw("PRAGMA foreign_keys").fetch_one(&db).await.unwrap();
    assert_eq!(fk.0, 1);
}

#[tokio::test]
async fn file_databases_use_wal() {
    let dir = temp();
    let db = open(&dir).await;
    let (mode,): (String,) = raw("PRAGMA journal_mode").fetch_one(&db).await.unwrap();
    assert_eq!(mode, "wal");
    let (sync,): (i64,) = raw("PRAGMA synchronous").fetch_one(&db).await.unwrap();
    assert_eq!(sync, 1, "NORMAL");
    let (timeout,): (i64,) = raw("PRAGMA busy_timeout").fetch_one(&db).await.unwrap();
    assert_eq!(timeout, 5000);
    let quick = Database::connect(&file_url(&dir, "t.db", "busy_timeout=0.25"))
        .await
        .unwrap();
    let (timeout,): (i64,) = raw("PRAGMA busy_timeout").fetch_one(&quick).await.unwrap();
    assert_eq!(timeout, 250);
}

/// Many tasks run read-then-write transactions on one WAL file: writers queue on `BEGIN IMMEDIATE`
/// (within the busy timeout) instead of failing with BUSY halfway.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_read_then_write_transactions_never_busy() {
    concurrent_transactions("mode=rwc&max_connections=8").await;
}

/// The same with every hand-off a plain sleep and wake-up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_transactions_without_spinning() {
    concurrent_transactions("mode=rwc&max_connections=8&sqlite_spin=false").await;
}

async fn concurrent_transactions(params: &str) {
    let dir = temp();
    let db = Database::connect(&file_url(&dir, "t.db", params))
        .await
        .unwrap();
    raw("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
        .execute(&db)
        .await
        .unwrap();
    raw("INSERT INTO counter (id, n) VALUES (1, 0)")
        .execute(&db)
        .await
        .unwrap();
    let (tasks, rounds) = (12, 60);

    // A ticker shows the runtime keeps running while SQLite works on its own threads.
    let ticker = tokio::spawn(async {
        let mut worst = Duration::ZERO;
        let mut interval = tokio::time::interval(Duration::from_millis(10));
        interval.tick().await;
        let mut last = Instant::now();
        for _ in 0..30 {
            interval.tick().await;
            worst = worst.max(last.elapsed());
            last = Instant::now();
        }
        worst
    });
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let db = db.clone();
        handles.push(tokio::spawn(async move {
            for _ in 0..rounds {
                db.transaction(async |tx| {
                    let (n,): (i64,) = raw("SELECT n FROM counter WHERE id = 1")
                        .fetch_one(tx)
                        .await?;
                    raw("UPDATE counter SET n = ? WHERE id = 1")
                        .bind(n + 1)
                        .execute(tx)
                        .await?;
                    Ok::<_, Error>(())
                })
                .await?;
            }
            Ok::<_, Error>(())
        }));
    }
    for h in handles {
        h.await.unwrap().unwrap();
    }
    let (n,): (i64,) = raw("SELECT n FROM counter WHERE id = 1")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(n, tasks * rounds);
    let worst = ticker.await.unwrap();
    assert!(
        worst < Duration::from_secs(1),
        "the runtime stalled for {worst:?}"
    );
}

#[tokio::test]
async fn busy_is_typed_and_read_only_transactions_read() {
    let dir = temp();
    let db = Database::connect(&file_url(&dir, "t.db", "mode=rwc&busy_timeout=0.2"))
        .await
        .unwrap();
    raw("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        .execute(&db)
        .await
        .unwrap();
    let writer = db.begin().await.unwrap();
    raw("INSERT INTO t (id) VALUES (1)")
        .execute(&writer)
        .await
        .unwrap();

    let start = Instant::now();
    let busy = db.begin().await.unwrap_err();
    assert!(
        matches!(busy, Error::Busy(_)) && busy.is_retryable(),
        "{busy:?}"
    );
    assert!(start.elapsed() >= Duration::from_millis(150));
    let busy = raw("INSERT INTO t (id) VALUES (2)")
        .execute(&db)
        .await
        .unwrap_err();
    assert!(matches!(busy, Error::Busy(_)), "{busy:?}");

    // Readers are not blocked by the writer (WAL), and see the last committed state.
    let reader = db
        .begin_with(TxOptions {
            read_only: true,
            ..TxOptions::default()
        })
        .await
        .unwrap();
    let (n,): (i64,) = raw("SELECT COUNT(*) FROM t")
        .fetch_one(&reader)
        .await
        .unwrap();
    assert_eq!(n, 0);
    reader.commit().await.unwrap();
    writer.commit().await.unwrap();
    let (n,): (i64,) = raw("SELECT COUNT(*) FROM t").fetch_one(&db).await.unwrap();
    assert_eq!(n, 1);
}

/// A statement whose future is dropped is interrupted; the connection is clean for the next user.
#[tokio::test]
async fn dropped_statements_are_interrupted() {
    let dir = temp();
    let db = Database::connect(&file_url(&dir, "t.db", "mode=rwc&max_connections=1"))
        .await
        .unwrap();
    let endless =
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";
    let cancelled = tokio::time::timeout(
        Duration::from_millis(100),
        raw(endless).fetch_one::<(i64,)>(&db),
    )
    .await;
    assert!(
        cancelled.is_err(),
        "the endless query must still be running"
    );
    let start = Instant::now();
    let (one,): (i64,) = raw("SELECT 1").fetch_one(&db).await.unwrap();
    assert_eq!(one, 1);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );

    // Same inside a transaction: the transaction is rolled back.
    raw("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        .execute(&db)
        .await
        .unwrap();
    let tx = db.begin().await.unwrap();
    raw("INSERT INTO t (id) VALUES (1)")
        .execute(&tx)
        .await
        .unwrap();
    let cancelled = tokio::time::timeout(
        Duration::from_millis(100),
        raw(endless).fetch_one::<(i64,)>(&tx),
    )
    .await;
    assert!(cancelled.is_err());
    drop(tx);
    let (n,): (i64,) = raw("SELECT COUNT(*) FROM t").fetch_one(&db).await.unwrap();
    assert_eq!(n, 0);
}

/// A row type whose decoding panics on the worker thread.
#[derive(Debug)]
struct Explodes;

impl FromRow for Explodes {
    const WIDTH: usize = 1;
    fn from_row_at<R: RawRow + ?Sized>(_: &R, _: usize) -> orm_core::Result<Self> {
        panic!("decoder exploded")
    }
}

#[tokio::test]
async fn worker_panics_become_disconnected_errors() {
    let dir = temp();
    let db = Database::connect(&file_url(&dir, "t.db", "mode=rwc&max_connections=1"))
        .await
        .unwrap();
    let conn = db.acquire().await.unwrap();
    let err = conn
        .fetch_all::<Explodes>(Statement::text("SELECT 1"))
        .await
        .unwrap_err();
    assert!(err.is_disconnected(), "{err:?}");
    assert!(err.to_string().contains("decoder exploded"), "{err}");
    let again = conn.execute(Statement::text("SELECT 1")).await.unwrap_err();
    assert!(again.is_disconnected(), "{again:?}");
    drop(conn);
    // The pool replaces the dead connection.
    let (one,): (i64,) = raw("SELECT 1").fetch_one(&db).await.unwrap();
    assert_eq!(one, 1);
    assert_eq!(db.status().size, 1);
}

#[tokio::test]
async fn closing_releases_the_file() {
    let dir = temp();
    let db = open(&dir).await;
    raw("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        .execute(&db)
        .await
        .unwrap();
    db.close().await;
    assert!(matches!(db.begin().await, Err(Error::PoolClosed)));
    assert_eq!(db.status().size, 0);
}
