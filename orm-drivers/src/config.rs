//! Database configuration: the URL, pool sizing and timeouts.
//!
//! Contract:
//! - The scheme picks the backend: `sqlite:`, `postgres://` / `postgresql://`, `mysql://` /
//!   `mariadb://`. Parsing does not depend on which backends are compiled in; connecting does.
//! - This crate's own query parameters (`max_connections`, `acquire_timeout`, `connect_timeout`,
//!   `statement_cache_capacity`, `busy_timeout`, `sqlite_spin`, `sqlite_stable_plans`; timeouts in
//!   seconds, decimals allowed; switches are `true`/`1` or `false`/`0`) are read and removed; the
//!   rest of the URL goes to the backend untouched.
//! - Settings made on [`DatabaseBuilder`] override the URL's.
//! - Defaults: 10 connections (exactly 1 for a private in-memory SQLite database, whose connections
//!   would otherwise each see a different database), acquire timeout 30 s, connect timeout 10 s,
//!   256 cached statements per connection, SQLite busy timeout 5 s, SQLite spin and stable plans
//!   on.
//! - `Debug` and `Display` never show a password, and no error built here contains one.

mod url;

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use orm_core::{Dialect, Error, Result};

use crate::options::ConnectOptions;

pub(crate) use self::url::{redact, secrets};

/// Default pool size.
const DEFAULT_MAX_CONNECTIONS: usize = 10;
/// Default wait for a pooled connection.
const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

const MAX_CONNECTIONS: &str = "max_connections";
const ACQUIRE_TIMEOUT: &str = "acquire_timeout";
const CONNECT_TIMEOUT: &str = "connect_timeout";
const STATEMENT_CACHE_CAPACITY: &str = "statement_cache_capacity";
const BUSY_TIMEOUT: &str = "busy_timeout";
const SQLITE_SPIN: &str = "sqlite_spin";
const SQLITE_STABLE_PLANS: &str = "sqlite_stable_plans";
pub(crate) const OWN_PARAMS: &[&str] = &[
    MAX_CONNECTIONS,
    ACQUIRE_TIMEOUT,
    CONNECT_TIMEOUT,
    STATEMENT_CACHE_CAPACITY,
    BUSY_TIMEOUT,
    SQLITE_SPIN,
    SQLITE_STABLE_PLANS,
];

/// A validated database configuration: which backend, where, and how the pool behaves.
///
/// Build one with [`DatabaseConfig::from_url`] (or `str::parse`) or through [`Database::builder`](crate::Database::builder).
#[derive(Clone)]
pub struct DatabaseConfig {
    dialect: Dialect,
    /// The URL handed to the backend: the user's URL without this crate's parameters. Secret.
    backend_url: String,
    /// The user's URL with credentials redacted.
    redacted: String,
    /// Credentials found in the URL, scrubbed from any error that might echo them.
    secrets: Vec<String>,
    /// Each connection sees its own database (private in-memory SQLite): the pool holds one.
    single_connection: bool,
    max_connections: usize,
    acquire_timeout: Duration,
    connect: ConnectOptions,
}

fn scheme_dialect(url: &str) -> Result<Dialect> {
    let lower = url.get(..14).unwrap_or(url).to_ascii_lowercase();
    if lower.starts_with("sqlite:") {
        Ok(Dialect::Sqlite)
    } else if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        Ok(Dialect::Postgres)
    } else if lower.starts_with("mysql://") || lower.starts_with("mariadb://") {
        Ok(Dialect::MySql)
    } else {
        let scheme = url.split(':').next().filter(|s| {
            s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
        Err(Error::Config(match scheme {
            Some(s) if s.len() < url.len() => format!(
                "unsupported database URL scheme `{s}`: expected sqlite:, postgres://, postgresql://, mysql:// or mariadb://"
            ),
            _ => "the database URL has no scheme: expected sqlite:, postgres://, postgresql://, mysql:// or mariadb://".to_owned(),
        }))
    }
}

fn parse_count(name: &str, value: &str) -> Result<usize> {
    value.trim().parse().map_err(|_| {
        Error::Config(format!(
            "invalid `{name}` value `{value}`: expected a whole number"
        ))
    })
}

fn parse_bool(name: &str, value: &str) -> Result<bool> {
    match value.trim() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(Error::Config(format!(
            "invalid `{name}` value `{value}`: expected true or false (or 1 or 0)"
        ))),
    }
}

fn parse_seconds(name: &str, value: &str) -> Result<Duration> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| {
            Error::Config(format!(
                "invalid `{name}` value `{value}`: expected seconds, e.g. 2.5"
            ))
        })
}

impl DatabaseConfig {
    /// Parses a database URL, reading and removing this crate's own query parameters.
    pub fn from_url(url: &str) -> Result<Self> {
        let dialect = scheme_dialect(url)?;
        let (backend_url, params) = url::take_params(url, OWN_PARAMS);
        let mut cfg = DatabaseConfig {
            dialect,
            single_connection: false,
            redacted: redact(url),
            secrets: secrets(url),
            backend_url,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            acquire_timeout: DEFAULT_ACQUIRE_TIMEOUT,
            connect: ConnectOptions::default(),
        };
        for (name, value) in &params {
            match name.as_str() {
                MAX_CONNECTIONS => cfg.max_connections = parse_count(name, value)?,
                ACQUIRE_TIMEOUT => cfg.acquire_timeout = parse_seconds(name, value)?,
                CONNECT_TIMEOUT => cfg.connect.connect_timeout = parse_seconds(name, value)?,
                STATEMENT_CACHE_CAPACITY => {
                    cfg.connect.statement_cache_capacity = parse_count(name, value)?
                }
                BUSY_TIMEOUT => cfg.connect.busy_timeout = parse_seconds(name, value)?,
                SQLITE_SPIN => cfg.connect.sqlite_spin = parse_bool(name, value)?,
                SQLITE_STABLE_PLANS => cfg.connect.sqlite_stable_plans = parse_bool(name, value)?,
                _ => {}
            }
        }
        #[cfg(feature = "sqlite")]
        if dialect == Dialect::Sqlite {
            cfg.single_connection =
                crate::sqlite::SqliteUrl::parse(&cfg.backend_url)?.is_private_memory();
        }
        if cfg.single_connection && !params.iter().any(|(n, _)| n == MAX_CONNECTIONS) {
            cfg.max_connections = 1;
        }
        cfg.validate()?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<()> {
        if self.max_connections == 0 {
            return Err(Error::Config("`max_connections` must be at least 1".into()));
        }
        if self.single_connection && self.max_connections != 1 {
            return Err(Error::Config(format!(
                "a private in-memory SQLite database lives in a single connection, but `max_connections` is {}; \
                 use 1, or share a named database: sqlite://name?mode=memory&cache=shared",
                self.max_connections
            )));
        }
        if self.connect.connect_timeout.is_zero() {
            return Err(Error::Config(
                "`connect_timeout` must be greater than zero".into(),
            ));
        }
        Ok(())
    }

    /// The SQL dialect the URL's scheme selects.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }
    /// Most connections the pool opens.
    pub fn max_connections(&self) -> usize {
        self.max_connections
    }
    /// How long [`Database::acquire`](crate::Database::acquire) waits for a free connection before
    /// `Error::PoolTimeout`.
    pub fn acquire_timeout(&self) -> Duration {
        self.acquire_timeout
    }
    /// How long opening one connection may take before `Error::Connect`.
    pub fn connect_timeout(&self) -> Duration {
        self.connect.connect_timeout
    }
    /// Prepared statements cached per connection (0 disables the cache).
    pub fn statement_cache_capacity(&self) -> usize {
        self.connect.statement_cache_capacity
    }
    /// SQLite: how long a writer waits for the database lock before `Error::Busy`.
    pub fn busy_timeout(&self) -> Duration {
        self.connect.busy_timeout
    }
    /// SQLite: whether a connection's thread and its callers poll briefly before sleeping.
    pub fn sqlite_spin(&self) -> bool {
        self.connect.sqlite_spin
    }
    /// SQLite: whether a statement keeps one query plan whatever values are bound to it.
    pub fn sqlite_stable_plans(&self) -> bool {
        self.connect.sqlite_stable_plans
    }
    /// The URL with any password replaced by `***`.
    pub fn redacted_url(&self) -> &str {
        &self.redacted
    }

    /// The URL the backend parses (secret: may hold a password).
    pub(crate) fn backend_url(&self) -> &str {
        &self.backend_url
    }
    /// Per-connection options for the backend.
    pub(crate) fn connect_options(&self) -> &ConnectOptions {
        &self.connect
    }
    /// Removes every credential of this configuration from `err`'s text.
    pub(crate) fn scrub(&self, err: Error) -> Error {
        scrub(err, &self.secrets)
    }
}

/// Rebuilds `err` without its source when its text (or its sources') contains a credential.
pub(crate) fn scrub(err: Error, secrets: &[String]) -> Error {
    fn leaks(e: &(dyn std::error::Error + 'static), secrets: &[String]) -> bool {
        let text = e.to_string();
        secrets.iter().any(|s| text.contains(s.as_str()))
            || e.source().is_some_and(|s| leaks(s, secrets))
    }
    fn clean(
        message: &str,
        source: Option<&(dyn std::error::Error + 'static)>,
        secrets: &[String],
    ) -> String {
        let mut text = message.to_owned();
        let mut next = source;
        while let Some(e) = next {
            text.push_str(": ");
            text.push_str(&e.to_string());
            next = e.source();
        }
        for s in secrets {
            text = text.replace(s.as_str(), "***");
        }
        text
    }
    if secrets.is_empty() || !leaks(&err, secrets) {
        return err;
    }
    match err {
        Error::Connect { message, source } => Error::connect(
            clean(&message, source.as_deref().map(|s| s as _), secrets),
            None,
        ),
        Error::Disconnected { message, source } => Error::disconnected(
            clean(&message, source.as_deref().map(|s| s as _), secrets),
            None,
        ),
        other => Error::Config(clean(&other.to_string(), None, secrets)),
    }
}

impl FromStr for DatabaseConfig {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::from_url(s)
    }
}

impl fmt::Debug for DatabaseConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseConfig")
            .field("url", &self.redacted)
            .field("dialect", &self.dialect)
            .field("max_connections", &self.max_connections)
            .field("acquire_timeout", &self.acquire_timeout)
            .field("connect_timeout", &self.connect.connect_timeout)
            .field(
                "statement_cache_capacity",
                &self.connect.statement_cache_capacity,
            )
            .field("busy_timeout", &self.connect.busy_timeout)
            .field("sqlite_spin", &self.connect.sqlite_spin)
            .field("sqlite_stable_plans", &self.connect.sqlite_stable_plans)
            .finish()
    }
}

impl fmt::Display for DatabaseConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted)
    }
}

/// Builds a [`Database`](crate::Database): `Database::builder(url).max_connections(8).build().await?`.
///
/// Settings made here override the URL's query parameters.
#[must_use = "a builder does nothing until `build` is awaited"]
#[derive(Clone)]
pub struct DatabaseBuilder {
    url: String,
    max_connections: Option<usize>,
    acquire_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    statement_cache_capacity: Option<usize>,
    busy_timeout: Option<Duration>,
    sqlite_spin: Option<bool>,
    sqlite_stable_plans: Option<bool>,
}

impl DatabaseBuilder {
    pub(crate) fn new(url: &str) -> Self {
        DatabaseBuilder {
            url: url.to_owned(),
            max_connections: None,
            acquire_timeout: None,
            connect_timeout: None,
            statement_cache_capacity: None,
            busy_timeout: None,
            sqlite_spin: None,
            sqlite_stable_plans: None,
        }
    }

    /// Most connections the pool opens (default 10; a private in-memory SQLite database needs 1).
    pub fn max_connections(mut self, n: usize) -> Self {
        self.max_connections = Some(n);
        self
    }
    /// How long to wait for a free pooled connection before `Error::PoolTimeout` (default 30 s).
    pub fn acquire_timeout(mut self, timeout: Duration) -> Self {
        self.acquire_timeout = Some(timeout);
        self
    }
    /// How long opening one connection may take before `Error::Connect` (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }
    /// Prepared statements cached per connection (default 256; 0 disables the cache).
    pub fn statement_cache_capacity(mut self, n: usize) -> Self {
        self.statement_cache_capacity = Some(n);
        self
    }
    /// SQLite: how long a writer waits for the database lock before `Error::Busy` (default 5 s).
    pub fn busy_timeout(mut self, timeout: Duration) -> Self {
        self.busy_timeout = Some(timeout);
        self
    }
    /// SQLite: after each statement the connection's thread polls for the next one (yielding its
    /// CPU between polls) for one and a half times the previous gap between statements, from 50 to
    /// 400 µs, and a caller polls for its answer (yielding to Tokio) for up to one and a half times
    /// the previous round trip when that took under 400 µs, before either sleeps; statements that
    /// follow each other then do not pay for waking a sleeping thread (default `true`). `false`
    /// trades that latency for no polling at all.
    pub fn sqlite_spin(mut self, spin: bool) -> Self {
        self.sqlite_spin = Some(spin);
        self
    }
    /// SQLite: each statement keeps the query plan it was prepared with, whatever values are bound
    /// to it later (SQLite's query planner stability guarantee, `SQLITE_DBCONFIG_ENABLE_QPSG`;
    /// default `true`). Otherwise SQLite prepares a statement again when a value bound to it may
    /// change its plan: on every execution of a `LIKE ?` filter, and, because the statement cache
    /// clears a statement's bindings after each use, on every execution of a join or of a query
    /// ordered by an indexed column that filters with `column = ?` (its estimate depends on whether
    /// the value is 0 or 1). `false` lets the plan follow the bound values (a `LIKE ?` prefix
    /// search may then use an index) at that cost.
    pub fn sqlite_stable_plans(mut self, stable: bool) -> Self {
        self.sqlite_stable_plans = Some(stable);
        self
    }

    /// The configuration this builder describes.
    pub fn config(&self) -> Result<DatabaseConfig> {
        let mut cfg = DatabaseConfig::from_url(&self.url)?;
        if let Some(n) = self.max_connections {
            cfg.max_connections = n;
        }
        if let Some(t) = self.acquire_timeout {
            cfg.acquire_timeout = t;
        }
        if let Some(t) = self.connect_timeout {
            cfg.connect.connect_timeout = t;
        }
        if let Some(n) = self.statement_cache_capacity {
            cfg.connect.statement_cache_capacity = n;
        }
        if let Some(t) = self.busy_timeout {
            cfg.connect.busy_timeout = t;
        }
        if let Some(spin) = self.sqlite_spin {
            cfg.connect.sqlite_spin = spin;
        }
        if let Some(stable) = self.sqlite_stable_plans {
            cfg.connect.sqlite_stable_plans = stable;
        }
        cfg.validate()?;
        Ok(cfg)
    }

    /// Opens the pool and checks that one connection can be made.
    pub async fn build(self) -> Result<crate::Database> {
        crate::Database::connect_with(self.config()?).await
    }
}

impl fmt::Debug for DatabaseBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseBuilder")
            .field("url", &redact(&self.url))
            .field("max_connections", &self.max_connections)
            .field("acquire_timeout", &self.acquire_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("statement_cache_capacity", &self.statement_cache_capacity)
            .field("busy_timeout", &self.busy_timeout)
            .field("sqlite_spin", &self.sqlite_spin)
            .field("sqlite_stable_plans", &self.sqlite_stable_plans)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_params_are_read_and_stripped() {
        let cfg = DatabaseConfig::from_url(
            "postgres://u:pw@h/db?sslmode=disable&max_connections=4&acquire_timeout=2.5&connect_timeout=3\
             &statement_cache_capacity=0&busy_timeout=0.25&sqlite_spin=false&sqlite_stable_plans=0",
        )
        .unwrap();
        assert_eq!(cfg.dialect(), Dialect::Postgres);
        assert_eq!(cfg.backend_url(), "postgres://u:pw@h/db?sslmode=disable");
        assert_eq!(cfg.max_connections(), 4);
        assert_eq!(cfg.acquire_timeout(), Duration::from_millis(2500));
        assert_eq!(cfg.connect_timeout(), Duration::from_secs(3));
        assert_eq!(cfg.statement_cache_capacity(), 0);
        assert_eq!(cfg.busy_timeout(), Duration::from_millis(250));
        assert!(!cfg.sqlite_spin());
        assert!(!cfg.sqlite_stable_plans());
        let err = DatabaseConfig::from_url("sqlite::memory:?sqlite_spin=maybe").unwrap_err();
        assert!(err.to_string().contains("expected true or false"), "{err}");
    }

    #[test]
    fn defaults() {
        let cfg = DatabaseConfig::from_url("mysql://root@127.0.0.1:3306/test").unwrap();
        assert_eq!(cfg.dialect(), Dialect::MySql);
        assert_eq!(cfg.max_connections(), 10);
        assert_eq!(cfg.acquire_timeout(), Duration::from_secs(30));
        assert_eq!(cfg.connect_timeout(), Duration::from_secs(10));
        assert_eq!(cfg.statement_cache_capacity(), 256);
        assert_eq!(cfg.busy_timeout(), Duration::from_secs(5));
        assert!(cfg.sqlite_spin());
        assert!(cfg.sqlite_stable_plans());
    }

    #[test]
    fn scrub_removes_secrets() {
        let e = scrub(
            Error::connect("bad password S3cret for u", None),
            &["S3cret".to_owned()],
        );
        assert_eq!(e.to_string(), "cannot connect: bad password *** for u");
        assert!(matches!(e, Error::Connect { .. }));
        let kept = scrub(Error::PoolClosed, &["S3cret".to_owned()]);
        assert!(matches!(kept, Error::PoolClosed));
    }
}
