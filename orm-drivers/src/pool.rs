//! The pool of each backend and one checked-out connection of any backend, dispatched by enum.
//!
//! Contract:
//! - [`AnyPool`] wraps a `deadpool::managed::Pool` of the backend's manager, with a finite create
//!   timeout (each manager bounds its recycle step itself), and bounds the wait for a free
//!   connection by the acquire timeout (see [`crate::checkout_wait`]). A wait timeout is
//!   `Error::PoolTimeout`, a create timeout is `Error::Connect`, a closed pool is
//!   `Error::PoolClosed`; backend errors pass through. The acquire timeout bounds a checkout that
//!   finds the pool contended (more users than connections it may open) from the moment it has to
//!   wait; opening or checking a connection is otherwise bounded by that step's own limit. A
//!   checkout waits its turn behind the tasks already waiting.
//! - Recycling (in each manager) resets a connection that is not reusable and discards it when the
//!   reset fails, so a checked-out connection is clean.
//! - [`AnyConn`] forwards to the backend's [`Conn`] and runs every statement, BEGIN, COMMIT and
//!   ROLLBACK in its tracing span (see [`crate::instrument`]) when a subscriber wants the span or
//!   the slow-statement warning; otherwise it awaits the backend's call directly. Statements run
//!   on a `Database` or a `Connection` do the same through `run_statement!`, expanded in the
//!   caller's future.

use std::time::Duration;

use deadpool::Runtime;
use deadpool::managed::{Manager, Object, Pool, PoolError, TimeoutType, Timeouts};
use orm_core::{Backend, Dialect, Error, FromRow, KeyedInsert, Result, Statement};
use tracing::Span;

use crate::checkout_wait::WaitLimit;
use crate::config::DatabaseConfig;
use crate::conn::{Conn, TxOptions};
use crate::instrument::query_span;
use crate::stream::RowSink;

#[cfg(feature = "mysql")]
use crate::mysql::MySqlManager;
#[cfg(feature = "postgres")]
use crate::postgres::PgManager;
#[cfg(feature = "sqlite")]
use crate::sqlite::SqliteManager;

#[cfg(not(any(feature = "postgres", feature = "mysql", feature = "sqlite")))]
compile_error!("orm-drivers needs at least one backend feature: `postgres`, `mysql` or `sqlite`");

/// Runs `$body` with `$c` bound to the backend-specific value inside `$value` (an `AnyPool` or
/// `AnyConn`, by value or by reference; `$enum` is its type's path). In the second form `$wrap` is
/// also bound, to the same backend's variant of the enum `$out` (a pool's checkout wraps its
/// connection in `AnyConn`); the first form is the second with that binding unused.
macro_rules! dispatch {
    ($value:expr, $($enum:ident)::+, $c:ident => $body:expr) => {
        $crate::pool::dispatch!($value, $($enum)::+, $c, _variant in $($enum)::+ => $body)
    };
    ($value:expr, $($enum:ident)::+, $c:ident, $wrap:ident in $($out:ident)::+ => $body:expr) => {
        match $value {
            #[cfg(feature = "postgres")]
            $($enum)::+::Postgres($c) => {
                let $wrap = $($out)::+::Postgres;
                $body
            }
            #[cfg(feature = "mysql")]
            $($enum)::+::MySql($c) => {
                let $wrap = $($out)::+::MySql;
                $body
            }
            #[cfg(feature = "sqlite")]
            $($enum)::+::Sqlite($c) => {
                let $wrap = $($out)::+::Sqlite;
                $body
            }
        }
    };
}

/// Runs `$call` (with `$c` bound to the backend's connection inside the `&mut AnyConn` `$conn`)
/// inside the span `$span` (see [`traced`]), awaited in the caller's future. When nothing listens,
/// the call is awaited directly: the span wrapper would only move the statement's future once
/// more and poll through one more layer.
macro_rules! traced_call {
    ($conn:expr, $span:expr, $c:ident => $call:expr) => {{
        let conn: &mut $crate::pool::AnyConn = $conn;
        let span = $span;
        if $crate::instrument::is_active(&span) {
            $crate::pool::dispatch!(conn, $crate::pool::AnyConn, $c => $crate::instrument::traced(span, $call).await)
        } else {
            $crate::pool::dispatch!(conn, $crate::pool::AnyConn, $c => $call.await)
        }
    }};
}

/// Runs the statement `$st` on the `&mut AnyConn` `$conn` with the backend connection's `$method`
/// (and any further `$arg`s) in the statement's span, awaited in the caller's future: a statement
/// run on a `Database` or a `Connection` polls through no `AnyConn` future of its own.
macro_rules! run_statement {
    ($conn:expr, $method:ident($st:expr $(, $arg:expr)*)) => {{
        use $crate::conn::Conn as _;
        let conn: &mut $crate::pool::AnyConn = $conn;
        let st: ::orm_core::Statement = $st;
        let span = $crate::instrument::query_span(conn.backend().dialect, &st.sql);
        $crate::pool::traced_call!(conn, span, c => c.$method(st $(, $arg)*))
    }};
}

pub(crate) use {dispatch, run_statement, traced_call};

/// The connection pool of one backend, and its acquire timeout.
pub(crate) struct AnyPool {
    pools: Pools,
    wait: WaitLimit,
}

/// The deadpool pool of one backend.
enum Pools {
    #[cfg(feature = "postgres")]
    Postgres(Pool<PgManager>),
    #[cfg(feature = "mysql")]
    MySql(Pool<MySqlManager>),
    #[cfg(feature = "sqlite")]
    Sqlite(Pool<SqliteManager>),
}

/// One checked-out connection; dropping it returns it to its pool. Every backend's connection is
/// on the heap, so the variants are deadpool's small handles, alike in size.
pub(crate) enum AnyConn {
    #[cfg(feature = "postgres")]
    Postgres(Object<PgManager>),
    #[cfg(feature = "mysql")]
    MySql(Object<MySqlManager>),
    #[cfg(feature = "sqlite")]
    Sqlite(Object<SqliteManager>),
}

#[cfg(not(all(feature = "postgres", feature = "mysql", feature = "sqlite")))]
fn not_compiled(feature: &str) -> Error {
    Error::Config(format!(
        "support for this database is not compiled in: enable the `{feature}` feature of `orm`"
    ))
}

/// The pool of `manager`. It sets neither a wait timeout ([`AnyPool`] bounds the wait itself) nor a
/// recycle timeout (every manager bounds its own recycle step, `health::recycle`), so that a
/// checkout sets up no timer of its own.
fn build<M: Manager<Error = Error>>(manager: M, cfg: &DatabaseConfig) -> Result<Pool<M>> {
    Pool::builder(manager)
        .max_size(cfg.max_connections())
        .runtime(Runtime::Tokio1)
        .timeouts(Timeouts {
            wait: None,
            create: Some(cfg.connect_timeout()),
            recycle: None,
        })
        .build()
        .map_err(|e| Error::Config(format!("cannot build the connection pool: {e}")))
}

/// The URL mysql_async accepts: `mariadb://` is spelled `mysql://`.
#[cfg(feature = "mysql")]
fn mysql_url(url: &str) -> std::borrow::Cow<'_, str> {
    match url.get(..10) {
        Some(s) if s.eq_ignore_ascii_case("mariadb://") => format!("mysql://{}", &url[10..]).into(),
        _ => url.into(),
    }
}

impl AnyPool {
    /// Builds the pool for `cfg`'s backend; opens no connection.
    pub(crate) fn new(cfg: &DatabaseConfig) -> Result<Self> {
        let url = cfg.backend_url();
        let opts = cfg.connect_options();
        let pools = match cfg.dialect() {
            #[cfg(feature = "postgres")]
            Dialect::Postgres => Pools::Postgres(build(PgManager::new(url, opts)?, cfg)?),
            #[cfg(feature = "mysql")]
            Dialect::MySql => Pools::MySql(build(MySqlManager::new(&mysql_url(url), opts)?, cfg)?),
            #[cfg(feature = "sqlite")]
            Dialect::Sqlite => Pools::Sqlite(build(SqliteManager::new(url, opts)?, cfg)?),
            #[cfg(not(feature = "postgres"))]
            Dialect::Postgres => return Err(not_compiled("postgres")),
            #[cfg(not(feature = "mysql"))]
            Dialect::MySql => return Err(not_compiled("mysql")),
            #[cfg(not(feature = "sqlite"))]
            Dialect::Sqlite => return Err(not_compiled("sqlite")),
        };
        Ok(AnyPool {
            pools,
            wait: WaitLimit::new(cfg.acquire_timeout()),
        })
    }

    /// Checks a connection out, waiting at most the acquire timeout.
    pub(crate) fn get(&self) -> impl Future<Output = Result<AnyConn>> + Send + '_ {
        let map = |e| self.checkout_error(e);
        // `timeout_get` with the pool's own timeouts is deadpool's `get` without the future `get`
        // wraps around it.
        let checkout = async move {
            dispatch!(&self.pools, Pools, p, wrap in AnyConn => {
                p.timeout_get(&p.timeouts()).await.map(wrap).map_err(map)
            })
        };
        self.wait.bound(checkout, || self.is_contended())
    }

    /// `true` when the pool has more users (checkouts under way and connections checked out) than
    /// connections it may open, so that a pending checkout may be waiting for a free one. Never
    /// `false` for a checkout that waits for one: a pending checkout that is not waiting is opening
    /// or checking a connection, bounded by that step's own time limit.
    fn is_contended(&self) -> bool {
        // Users are `size - available + waiting` (deadpool reports one of the last two as 0).
        let s = self.status();
        s.size + s.waiting > s.max_size + s.available
    }

    /// Size, idle connections and limits.
    pub(crate) fn status(&self) -> deadpool::Status {
        dispatch!(&self.pools, Pools, p => p.status())
    }

    /// Closes the pool: idle connections are dropped, checked-out ones when they come back, and
    /// waiting or later checkouts fail with `Error::PoolClosed`.
    pub(crate) fn close(&self) {
        dispatch!(&self.pools, Pools, p => p.close())
    }

    /// `true` once [`AnyPool::close`] ran.
    pub(crate) fn is_closed(&self) -> bool {
        dispatch!(&self.pools, Pools, p => p.is_closed())
    }

    /// The error of a failed checkout.
    #[cold]
    fn checkout_error(&self, e: PoolError<Error>) -> Error {
        let timeouts = Timeouts {
            wait: Some(self.wait.limit()),
            ..dispatch!(&self.pools, Pools, p => p.timeouts())
        };
        pool_error(e, &timeouts)
    }
}

fn pool_error(e: PoolError<Error>, timeouts: &Timeouts) -> Error {
    let or_zero = |t: Option<Duration>| t.unwrap_or_default();
    match e {
        PoolError::Backend(e) => e,
        PoolError::Closed => Error::PoolClosed,
        PoolError::Timeout(TimeoutType::Create) => Error::connect(
            format!(
                "timed out after {:?} opening a connection",
                or_zero(timeouts.create)
            ),
            None,
        ),
        PoolError::Timeout(TimeoutType::Wait | TimeoutType::Recycle) => Error::PoolTimeout {
            waited: or_zero(timeouts.wait),
        },
        PoolError::NoRuntimeSpecified => {
            Error::Config("the connection pool has no async runtime".into())
        }
        PoolError::PostCreateHook(e) => {
            Error::connect(format!("connection setup failed: {e}"), None)
        }
    }
}

impl AnyConn {
    /// Dialect and capabilities of this connection's server.
    pub(crate) fn backend(&self) -> Backend {
        dispatch!(self, AnyConn, c => c.backend())
    }

    /// `false` when the connection may hold an open transaction or an interrupted operation.
    pub(crate) fn is_reusable(&self) -> bool {
        dispatch!(self, AnyConn, c => c.is_reusable())
    }

    /// Removes the connection from its pool for good (it is closed, and the pool may open another).
    pub(crate) fn discard(self) {
        dispatch!(self, AnyConn, c => drop(Object::take(c)))
    }

    /// Rolls back whatever is open and makes the connection clean, or fails.
    pub(crate) async fn reset(&mut self) -> Result<()> {
        dispatch!(self, AnyConn, c => c.reset().await)
    }

    /// Hands the rows of `st` to `rows` as they are read; the span records the rows handed over.
    pub(crate) async fn stream<T: FromRow>(
        &mut self,
        st: Statement,
        rows: &RowSink<T>,
    ) -> Result<u64> {
        run_statement!(self, stream(st, rows))
    }

    /// Runs a multi-row INSERT and returns its generated keys in row order (see
    /// [`orm_core::Executor::insert_keys`] and `Conn::insert_keys`).
    pub(crate) async fn insert_keys(&mut self, insert: KeyedInsert) -> Result<Vec<i64>> {
        let span = query_span(self.backend().dialect, &insert.statement().sql);
        traced_call!(self, span, c => c.insert_keys(insert))
    }

    /// The span of a transaction-control statement: `top` at depth 0, `<nested> sp_<depth>` below.
    fn control_span(&self, depth: u32, top: &'static str, nested: &'static str) -> Span {
        let dialect = self.backend().dialect;
        if depth == 0 {
            query_span(dialect, top)
        } else {
            query_span(dialect, &format!("{nested} sp_{depth}"))
        }
    }

    /// BEGIN (`depth == 0`) or SAVEPOINT `sp_<depth>`.
    pub(crate) async fn begin(&mut self, depth: u32, opts: TxOptions) -> Result<()> {
        let span = self.control_span(depth, "BEGIN", "SAVEPOINT");
        traced_call!(self, span, c => c.begin(depth, opts))
    }

    /// COMMIT (`depth == 0`) or RELEASE `sp_<depth>`.
    pub(crate) async fn commit(&mut self, depth: u32) -> Result<()> {
        let span = self.control_span(depth, "COMMIT", "RELEASE");
        traced_call!(self, span, c => c.commit(depth))
    }

    /// ROLLBACK (`depth == 0`) or ROLLBACK TO `sp_<depth>` and RELEASE it.
    pub(crate) async fn rollback(&mut self, depth: u32) -> Result<()> {
        let span = self.control_span(depth, "ROLLBACK", "ROLLBACK TO");
        traced_call!(self, span, c => c.rollback(depth))
    }
}
