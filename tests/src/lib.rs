//! Harness for the integration suite: each test is written once as `async fn(Database)` in
//! [`suite`] and instantiated for every backend by [`backend_tests!`].
//!
//! Isolation: every test gets its own database: a fresh SQLite file in a temporary directory, a fresh
//! PostgreSQL schema (selected through `search_path`), or a fresh MariaDB/MySQL database. Tests
//! therefore run in parallel and can reuse model table names.
//!
//! Servers are found through `ORM_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`)
//! and `ORM_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306/test`). A server that cannot be
//! reached skips that backend's tests with a loud message, unless `CI` is set: then it is a failure.

pub mod models;
pub mod suite;

use std::future::Future;
use std::io::Write;

use orm::prelude::*;

/// The backends the suite runs against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Bundled SQLite, one file per test.
    Sqlite,
    /// PostgreSQL, one schema per test.
    Postgres,
    /// MySQL/MariaDB, one database per test.
    MySql,
}

/// Default URL of the local PostgreSQL server.
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
/// Default URL of the local MySQL/MariaDB server.
pub const DEFAULT_MYSQL_URL: &str = "mysql://root@127.0.0.1:3306/test";

/// The server URL for `kind` (from the environment or the local default).
pub fn server_url(kind: Kind) -> Option<String> {
    match kind {
        Kind::Sqlite => None,
        Kind::Postgres => Some(
            std::env::var("ORM_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.into()),
        ),
        Kind::MySql => {
            Some(std::env::var("ORM_TEST_MYSQL_URL").unwrap_or_else(|_| DEFAULT_MYSQL_URL.into()))
        }
    }
}

/// `true` when running under CI, where no backend may be skipped.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// A database of its own for one test, dropped (best effort) at the end.
pub struct TestDb {
    /// The pool, connected to the isolated database.
    pub db: Database,
    /// URL of the isolated database (for tests that build their own pools).
    pub url: String,
    kind: Kind,
    name: String,
    admin: Option<Database>,
    _dir: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for TestDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDb")
            .field("kind", &self.kind)
            .field("name", &self.name)
            .finish()
    }
}

/// A schema/database name unique to this test and process, within the servers' 63-byte limit.
fn isolated_name(test: &str) -> String {
    let test: String = test
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(44)
        .collect();
    format!("orm_t_{test}_{}", std::process::id())
}

fn with_path(url: &str, db_name: &str) -> String {
    // mysql://user@host:port/db?params -> replace the path segment.
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{}", &base[..host_end], db_name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

fn with_param(url: &str, param: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{param}")
}

fn unreachable(kind: Kind, url: &str, err: &Error) -> Option<TestDb> {
    let msg = format!("{kind:?} server at {} is unreachable: {err}", redact(url));
    if in_ci() {
        panic!("{msg} (CI is set: a backend may not be skipped)");
    }
    // Straight to stderr: the test harness captures `eprintln!` of passing tests, and a skip must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "\n!!!!!!!! SKIPPED {kind:?} TEST: {msg}. Start the server or set ORM_TEST_*_URL. !!!!!!!!\n"
    );
    None
}

fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].find(':') {
            Some(colon) => format!("{}***{}", &url[..s + 3 + colon + 1], &url[at..]),
            None => url.to_owned(),
        },
        _ => url.to_owned(),
    }
}

impl TestDb {
    /// A fresh isolated database for test `test` on `kind`; `None` when the server is unreachable
    /// outside CI.
    pub async fn new(kind: Kind, test: &str) -> Option<TestDb> {
        let name = isolated_name(test);
        match kind {
            Kind::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
                let db = Database::connect(&url).await.expect("open SQLite file");
                Some(TestDb {
                    db,
                    url,
                    kind,
                    name,
                    admin: None,
                    _dir: Some(dir),
                })
            }
            Kind::Postgres => {
                let server = server_url(kind)?;
                let admin = match Database::builder(&server).max_connections(1).build().await {
                    Ok(db) => db,
                    Err(e) => return unreachable(kind, &server, &e),
                };
                let ddl = AssertSqlSafe(format!("DROP SCHEMA IF EXISTS \"{name}\" CASCADE"));
                raw(ddl).execute(&admin).await.expect("drop schema");
                raw(AssertSqlSafe(format!("CREATE SCHEMA \"{name}\"")))
                    .execute(&admin)
                    .await
                    .expect("create schema");
                let url = with_param(&server, &format!("options=-csearch_path%3D{name}"));
                let db = Database::connect(&url)
                    .await
                    .expect("connect to isolated schema");
                Some(TestDb {
                    db,
                    url,
                    kind,
                    name,
                    admin: Some(admin),
                    _dir: None,
                })
            }
            Kind::MySql => {
                let server = server_url(kind)?;
                let admin = match Database::builder(&server).max_connections(1).build().await {
                    Ok(db) => db,
                    Err(e) => return unreachable(kind, &server, &e),
                };
                raw(AssertSqlSafe(format!("DROP DATABASE IF EXISTS `{name}`")))
                    .execute(&admin)
                    .await
                    .expect("drop database");
                raw(AssertSqlSafe(format!(
                    "CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
                )))
                .execute(&admin)
                .await
                .expect("create database");
                let url = with_path(&server, &name);
                let db = Database::connect(&url)
                    .await
                    .expect("connect to isolated database");
                Some(TestDb {
                    db,
                    url,
                    kind,
                    name,
                    admin: Some(admin),
                    _dir: None,
                })
            }
        }
    }

    /// Which backend this is.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// A second, independent pool on the same isolated database.
    pub async fn second_pool(&self) -> Database {
        Database::connect(&self.url).await.expect("second pool")
    }

    /// Drops the isolated schema/database.
    pub async fn cleanup(self) {
        self.db.close().await;
        if let Some(admin) = &self.admin {
            let ddl = match self.kind {
                Kind::Postgres => format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.name),
                Kind::MySql => format!("DROP DATABASE IF EXISTS `{}`", self.name),
                Kind::Sqlite => return,
            };
            let _ = raw(AssertSqlSafe(ddl)).execute(admin).await;
            admin.close().await;
        }
    }
}

/// Runs one suite test on one backend: sets up isolation, runs, cleans up; panics (fails the test)
/// on an error.
pub async fn run<F, Fut>(kind: Kind, test: &str, f: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = (TestDb, orm::Result<()>)>,
{
    let Some(t) = TestDb::new(kind, test).await else {
        return;
    };
    let (t, result) = f(t).await;
    t.cleanup().await;
    if let Err(e) = result {
        panic!("{kind:?} {test}: {e}");
    }
}

/// Instantiates suite tests for one backend: `backend_tests!(Kind::Sqlite; crud::insert_get, ...)`.
/// Each suite test is `async fn name(t: &TestDb) -> orm::Result<()>`.
#[macro_export]
macro_rules! backend_tests {
    ($kind:expr; $($module:ident :: $test:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $test() {
                $crate::run($kind, concat!(stringify!($module), "_", stringify!($test)), |t| async move {
                    let r = $crate::suite::$module::$test(&t).await;
                    (t, r)
                })
                .await;
            }
        )*
    };
}
