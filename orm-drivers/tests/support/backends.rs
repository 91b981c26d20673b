//! Shared helpers for the orm-drivers integration tests: where each backend lives and how a test
//! gets a database of its own.
//!
//! SQLite tests get a fresh file in a temporary directory. PostgreSQL and MySQL/MariaDB tests use the
//! servers named by `ORM_TEST_POSTGRES_URL` / `ORM_TEST_MYSQL_URL` (local defaults) and tables named
//! after the test. An unreachable server skips the test with a loud message, and fails it when `CI`
//! is set.

#![allow(dead_code)]

use std::io::Write;

use orm_core::Error;
use orm_drivers::Database;

/// A database location for one test.
pub struct Fixture {
    /// URL without pool parameters.
    pub url: String,
    /// Table name private to this test.
    pub table: String,
    _dir: Option<tempfile::TempDir>,
}

impl Fixture {
    /// The URL with extra query parameters (`"max_connections=1&acquire_timeout=0.3"`).
    pub fn url_with(&self, params: &str) -> String {
        let sep = if self.url.contains('?') { '&' } else { '?' };
        format!("{}{sep}{params}", self.url)
    }

    /// Connects, with extra query parameters.
    pub async fn connect(&self, params: &str) -> Database {
        let url = if params.is_empty() {
            self.url.clone()
        } else {
            self.url_with(params)
        };
        Database::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("connect to {}: {e}", self.table))
    }
}

/// `true` under CI, where no backend may be skipped.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// A fresh SQLite file for `test`.
pub async fn sqlite(test: &str) -> Option<Fixture> {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
    Some(Fixture {
        url,
        table: format!("drv_{test}"),
        _dir: Some(dir),
    })
}

async fn server(env: &str, default: &str, test: &str) -> Option<Fixture> {
    let url = std::env::var(env).unwrap_or_else(|_| default.to_owned());
    match Database::builder(&url)
        .max_connections(1)
        .connect_timeout(std::time::Duration::from_secs(5))
        .build()
        .await
    {
        Ok(db) => db.close().await,
        Err(e @ Error::Connect { .. }) => {
            let msg = format!("server for {env} is unreachable: {e}");
            if in_ci() {
                panic!("{msg} (CI is set: a backend may not be skipped)");
            }
            // Written to the real stderr: the test harness captures `eprintln!` of passing tests.
            let _ = writeln!(
                std::io::stderr(),
                "\n!!!!!!!! SKIPPED {test}: {msg} !!!!!!!!\n"
            );
            return None;
        }
        Err(e) => panic!("connect with {env}: {e}"),
    }
    Some(Fixture {
        url,
        table: format!("drv_{test}"),
        _dir: None,
    })
}

/// The PostgreSQL server, or `None` (loudly) when it is down outside CI.
pub async fn postgres(test: &str) -> Option<Fixture> {
    server(
        "ORM_TEST_POSTGRES_URL",
        "postgres://postgres@127.0.0.1:5432/test",
        test,
    )
    .await
}

/// The MySQL/MariaDB server, or `None` (loudly) when it is down outside CI.
pub async fn mysql(test: &str) -> Option<Fixture> {
    server(
        "ORM_TEST_MYSQL_URL",
        "mysql://root@127.0.0.1:3306/test",
        test,
    )
    .await
}
