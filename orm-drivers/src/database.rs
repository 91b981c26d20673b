//! [`Database`]: the pooled entry point, an [`Executor`] over any backend.
//!
//! Contract:
//! - `connect` validates the URL, builds the pool and opens one connection, so a bad URL, an
//!   unreachable server or wrong credentials fail right there; the server's capabilities are read
//!   from that connection and [`Database::backend`] is free afterwards.
//! - `Database` is a cheap handle (`Clone` shares one pool).
//! - Each statement run on `Database` itself checks a connection out for that statement only; a
//!   statement dropped midway has its connection cleaned up right away, as a dropped [`Connection`]
//!   does. A stream (`Executor::stream`) holds the connection it checked out until it ends or is
//!   dropped.
//! - Checkouts wait at most the acquire timeout (`Error::PoolTimeout`); after [`Database::close`]
//!   they fail with `Error::PoolClosed`.
//! - No error leaving this module contains a credential from the URL.

use std::fmt;
use std::sync::Arc;

use orm_core::{
    Backend, Error, ExecResult, Executor, FromRow, KeyedInsert, Result, RowStream, Statement,
};

use crate::config::{DatabaseBuilder, DatabaseConfig};
use crate::conn::TxOptions;
use crate::connection::{Connection, release};
use crate::instrument::{acquire_span, traced_acquire};
use crate::pool::run_statement;
use crate::pool::{AnyConn, AnyPool};
use crate::stream::feed;
use crate::transaction::{Transaction, TxConn, run_in_transaction};

/// A pool of connections to one database. Clone it freely: clones share the pool.
///
/// ```no_run
/// # async fn demo() -> orm_core::Result<()> {
/// use orm_drivers::Database;
/// let db = Database::connect("sqlite://app.db?mode=rwc").await?;
/// let n = orm_core::raw("SELECT 1").execute(&db).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Database {
    inner: Arc<Inner>,
}

struct Inner {
    pool: AnyPool,
    backend: Backend,
    config: DatabaseConfig,
}

/// A snapshot of the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PoolStatus {
    /// Most connections the pool opens.
    pub max_size: usize,
    /// Connections open now (idle or checked out).
    pub size: usize,
    /// Idle connections ready to be checked out.
    pub available: usize,
    /// Tasks waiting for a connection.
    pub waiting: usize,
}

/// Checks a connection out of `$pool` (an [`AnyPool`]) configured by `$config`, in the acquire
/// span when a subscriber wants it; the error is scrubbed of credentials. A macro, not an
/// `async fn`, so that a statement run on the pool awaits the checkout inside its own future
/// instead of through one more state machine.
macro_rules! checkout {
    ($pool:expr, $config:expr) => {{
        let (pool, config): (&AnyPool, &DatabaseConfig) = ($pool, $config);
        let span = acquire_span(config.dialect());
        let out = if span.is_disabled() {
            pool.get().await
        } else {
            traced_acquire(span, pool.get()).await
        };
        out.map_err(|e| config.scrub(e))
    }};
}

/// A [`Lease`] on a connection checked out of `$db`'s pool (see [`checkout!`]), or a return of the
/// checkout's error.
macro_rules! lease {
    ($db:expr) => {
        Lease(Some(checkout!(&$db.inner.pool, &$db.inner.config)?))
    };
}

impl Database {
    /// Connects with a URL: `sqlite://app.db?mode=rwc`, `sqlite::memory:`, `postgres://...`,
    /// `mysql://...`. See [`DatabaseConfig`] for the pool parameters a URL may carry.
    pub async fn connect(url: &str) -> Result<Database> {
        Database::connect_with(DatabaseConfig::from_url(url)?).await
    }

    /// Starts configuring a database: `Database::builder(url).max_connections(8).build().await`.
    pub fn builder(url: &str) -> DatabaseBuilder {
        DatabaseBuilder::new(url)
    }

    /// Connects with a parsed configuration.
    pub async fn connect_with(config: DatabaseConfig) -> Result<Database> {
        let pool = AnyPool::new(&config).map_err(|e| config.scrub(e))?;
        let first = checkout!(&pool, &config)?;
        let backend = first.backend();
        drop(first);
        Ok(Database {
            inner: Arc::new(Inner {
                pool,
                backend,
                config,
            }),
        })
    }

    /// Dialect and capabilities of the server (detected at connect).
    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    /// The configuration (credentials redacted in its `Debug` and `Display`).
    pub fn config(&self) -> &DatabaseConfig {
        &self.inner.config
    }

    /// Size and occupancy of the pool.
    pub fn status(&self) -> PoolStatus {
        let s = self.inner.pool.status();
        PoolStatus {
            max_size: s.max_size,
            size: s.size,
            available: s.available,
            waiting: s.waiting,
        }
    }

    /// Closes the pool for every clone: idle connections are closed now, checked-out ones when they
    /// are returned, and later checkouts fail with `Error::PoolClosed`.
    pub async fn close(&self) {
        self.inner.pool.close();
    }

    /// `true` once [`Database::close`] ran.
    pub fn is_closed(&self) -> bool {
        self.inner.pool.is_closed()
    }

    /// Checks one connection out of the pool until the returned [`Connection`] is dropped.
    pub async fn acquire(&self) -> Result<Connection> {
        Ok(Connection::new(self.checkout().await?))
    }

    /// Starts a transaction on a connection of its own.
    pub async fn begin(&self) -> Result<Transaction<'static>> {
        self.begin_with(TxOptions::default()).await
    }

    /// Starts a transaction with an isolation level or read-only mode.
    pub async fn begin_with(&self, opts: TxOptions) -> Result<Transaction<'static>> {
        let conn = Connection::new(self.checkout().await?);
        Transaction::start(TxConn::Owned(conn), 0, opts).await
    }

    /// Runs `f` in a transaction: commits when it returns `Ok`, rolls back when it returns `Err` or
    /// panics (the panic then continues).
    ///
    /// ```no_run
    /// # async fn demo(db: orm_drivers::Database) -> orm_core::Result<()> {
    /// let id = db.transaction(async |tx| {
    ///     orm_core::raw("INSERT INTO t (v) VALUES (?)").bind("x").execute(tx).await?;
    ///     Ok::<_, orm_core::Error>(42)
    /// }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn transaction<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: AsyncFnOnce(&Transaction<'_>) -> Result<T, E>,
        E: From<Error>,
    {
        let tx = self.begin().await?;
        run_in_transaction(tx, f).await
    }

    /// Checks a connection out of the pool (see [`checkout!`]), for callers that keep it.
    async fn checkout(&self) -> Result<AnyConn> {
        checkout!(&self.inner.pool, &self.inner.config)
    }
}

/// A connection checked out for one statement or stream run on the [`Database`] itself. Dropped
/// (mid-statement too), it is released as a dropped [`Connection`] is: cleaned up (cancelled,
/// rolled back or discarded) at once instead of when the pool next hands it out.
struct Lease(Option<AnyConn>);

impl Lease {
    fn conn(&mut self) -> Result<&mut AnyConn> {
        self.0.as_mut().ok_or_else(|| Error::PoolClosed)
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(conn) = self.0.take() {
            release(conn);
        }
    }
}

impl Executor for Database {
    fn backend(&self) -> Backend {
        self.inner.backend
    }

    async fn execute(&self, statement: Statement) -> Result<ExecResult> {
        let mut lease = lease!(self);
        run_statement!(lease.conn()?, execute(statement))
    }

    async fn fetch_all<T: FromRow>(&self, statement: Statement) -> Result<Vec<T>> {
        let mut lease = lease!(self);
        run_statement!(lease.conn()?, fetch_all(statement))
    }

    async fn fetch_optional<T: FromRow>(&self, statement: Statement) -> Result<Option<T>> {
        let mut lease = lease!(self);
        run_statement!(lease.conn()?, fetch_optional(statement))
    }

    async fn insert_keys(&self, insert: KeyedInsert) -> Result<Vec<i64>> {
        self.acquire().await?.insert_keys(insert).await
    }

    /// The stream owns the connection it checked out until it ends or is dropped.
    fn stream<T: FromRow>(&self, statement: Statement) -> RowStream<'_, T> {
        feed(move |rows| async move {
            let mut lease = lease!(self);
            lease.conn()?.stream(statement, &rows).await.map(drop)
        })
    }
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Database")
            .field("url", &self.inner.config.redacted_url())
            .field("backend", &self.inner.backend)
            .field("status", &self.status())
            .finish()
    }
}
