//! PostgreSQL on tokio-postgres: [`PgConn`] is one server connection implementing [`Conn`], and
//! [`PgManager`] opens and recycles them for the deadpool pool.
//!
//! Contract:
//! - Connecting honours `ConnectOptions::connect_timeout`. The connection's I/O runs on the task
//!   that uses it: every request is driven together with tokio-postgres' `Connection` future (see
//!   `drive`), never on a task of its own. When that future ends (the server closed the session, an
//!   I/O or protocol error), the connection is broken. Recycling first reads, without waiting,
//!   whatever arrived while the connection sat idle (nothing is polled when nothing arrived), so a
//!   session the server closed meanwhile is discarded without a round trip.
//! - Every statement goes through the extended protocol with its values bound (see `value`), using the
//!   per-connection statement cache (see `cache`). When the server rejects a cached statement as stale
//!   (`0A000` after an `ALTER TABLE`, `26000` after `DEALLOCATE`), it is evicted and, outside a
//!   transaction, prepared again and run once more; inside a transaction the error is returned, since
//!   the transaction is already aborted.
//! - Every operation marks the connection in flight before anything is sent and clears the mark once
//!   the response is fully read. A request dropped midway leaves its responses due: the next request
//!   on the connection reads and discards them first. A connection dropped while in flight asks the
//!   server to cancel the running query; a dropped connection reads what is still due and ends its
//!   session on a background task.
//! - Results are read to the end: `fetch_optional` decodes the first row and drains the rest, so an
//!   error raised by a later row is reported, not lost.
//! - Transaction state is recorded before `BEGIN` is sent. An error inside a transaction marks it
//!   aborted until a rollback to an enclosing savepoint; committing an aborted transaction rolls it
//!   back and fails (PostgreSQL would silently turn that `COMMIT` into a `ROLLBACK`).
//! - `reset` rolls back an open transaction, then checks with the server that no transaction block is
//!   open; it fails for a broken or interrupted connection so the pool discards it. A statement that
//!   controls transactions itself (raw `BEGIN`, `COMMIT`, `SAVEPOINT`, ...) makes the connection
//!   unverified: before it is reused, it is rolled back and checked the same way. `ping` is that
//!   check alone.
//! - A lost connection is recorded in the pool's `Health`, so that its siblings are pinged at their
//!   next checkout.

mod cache;
mod drive;
mod error;
mod row;
mod stream;
mod value;

#[cfg(test)]
mod tests;

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::pin::pin;
use std::str::FromStr;
use std::sync::Arc;

use deadpool::managed::{Manager, Metrics, RecycleResult};
use futures_util::TryStreamExt;
use orm_core::{Backend, DbError, DbErrorKind, Error, ExecResult, FromRow, Result, Statement};
use tokio_postgres::config::Host;
use tokio_postgres::{Client, Config, NoTls, RowStream, SimpleQueryMessage};

use self::cache::StatementCache;
use self::drive::{Io, PgError};
use self::row::PgRow;
use self::value::PgParam;
use crate::conn::{Conn, IsolationLevel, TxOptions};
use crate::health::{self, Health};
use crate::options::ConnectOptions;
use crate::stream::RowSink;

/// Opens and recycles PostgreSQL connections for the pool.
pub(crate) struct PgManager {
    config: Config,
    /// `user@host:port/database`, for error messages (never the password).
    target: String,
    opts: ConnectOptions,
    health: Arc<Health>,
}

impl fmt::Debug for PgManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgManager")
            .field("target", &self.target)
            .field("opts", &self.opts)
            .finish()
    }
}

impl PgManager {
    /// Parses a `postgres://` / `postgresql://` URL or a `key=value` connection string.
    pub(crate) fn new(url: &str, opts: &ConnectOptions) -> Result<Self> {
        let config = Config::from_str(url).map_err(|e| error::config(&e))?;
        Ok(Self {
            target: describe_target(&config),
            config,
            opts: opts.clone(),
            health: Arc::default(),
        })
    }
}

/// `user@host:port,host:port/database` with libpq's defaults filled in where tokio-postgres has none.
fn describe_target(config: &Config) -> String {
    let ports = config.get_ports();
    let port = |i: usize| {
        ports
            .get(i)
            .or_else(|| ports.first())
            .copied()
            .unwrap_or(5432)
    };
    let mut hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| match host {
            Host::Tcp(name) => format!("{name}:{}", port(i)),
            #[cfg(unix)]
            Host::Unix(dir) => format!("{}:{}", dir.display(), port(i)),
        })
        .collect();
    if hosts.is_empty() {
        hosts = config
            .get_hostaddrs()
            .iter()
            .enumerate()
            .map(|(i, addr)| format!("{addr}:{}", port(i)))
            .collect();
    }
    let user = config.get_user().unwrap_or("");
    let database = config.get_dbname().unwrap_or(user);
    format!("{user}@{}/{database}", hosts.join(","))
}

impl Manager for PgManager {
    /// On the heap: the pool moves its connections, and the futures of every checkout and
    /// statement hold one, so a pointer is cheaper to carry than the connection itself.
    type Type = Box<PgConn>;
    type Error = Error;

    async fn create(&self) -> Result<Box<PgConn>> {
        // On the heap too: the pool embeds this future in every checkout's.
        Box::pin(self.open()).await.map(Box::new)
    }

    /// Reads what the idle connection heard, then returns the recycle step's future itself (the
    /// pool awaits it at once), not one more state machine around it.
    fn recycle(
        &self,
        conn: &mut Box<PgConn>,
        metrics: &Metrics,
    ) -> impl Future<Output = RecycleResult<Error>> + Send {
        conn.poll_idle();
        health::recycle(
            &mut **conn,
            metrics,
            &self.health,
            self.opts.connect_timeout,
        )
    }
}

impl PgManager {
    /// Opens one connection within the connect timeout.
    async fn open(&self) -> Result<PgConn> {
        let connecting =
            tokio::time::timeout(self.opts.connect_timeout, self.config.connect(NoTls));
        let (client, connection) = match connecting.await {
            Ok(Ok(pair)) => pair,
            Ok(Err(e)) => return Err(error::connect(&self.target, e)),
            Err(_) => {
                return Err(Error::connect(
                    format!(
                        "PostgreSQL at {}: not connected within {:?}",
                        self.target, self.opts.connect_timeout
                    ),
                    None,
                ));
            }
        };
        Ok(PgConn {
            client,
            io: Io::new(connection),
            cache: StatementCache::new(self.opts.statement_cache_capacity),
            broken: false,
            in_flight: false,
            depth: None,
            aborted_at: None,
            unverified: false,
            health: Arc::clone(&self.health),
        })
    }
}

/// One PostgreSQL connection.
pub(crate) struct PgConn {
    client: Client,
    io: Io,
    cache: StatementCache,
    /// Set when an error shows the connection is lost.
    broken: bool,
    /// Set while a request is on the wire; still set when its future was dropped.
    in_flight: bool,
    /// Innermost open level: `Some(0)` inside a transaction, `Some(n)` inside savepoint `sp_<n>`.
    depth: Option<u32>,
    /// Level at which a server error aborted the open transaction.
    aborted_at: Option<u32>,
    /// A statement of the user's own controlled transactions: the server's transaction state is no
    /// longer known here.
    unverified: bool,
    health: Arc<Health>,
}

impl fmt::Debug for PgConn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgConn")
            .field("broken", &self.broken)
            .field("open", &self.io.is_open())
            .field("in_flight", &self.in_flight)
            .field("depth", &self.depth)
            .field("aborted_at", &self.aborted_at)
            .field("unverified", &self.unverified)
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}

impl PgConn {
    /// Maps a driver error, recording what it says about the connection: lost (broken) or, for a
    /// server error inside a transaction, the transaction aborted.
    fn fail(&mut self, e: tokio_postgres::Error) -> Error {
        let mut err = error::map(e);
        // The session ended (a FATAL error of any class, such as an idle-session timeout): the
        // connection is lost whatever the error says.
        if !self.io.is_open() && !err.is_disconnected() {
            err = Error::disconnected(
                format!("the server ended the session: {err}"),
                Some(Box::new(err)),
            );
        }
        if err.is_disconnected() {
            self.broken = true;
            self.health.record(&err);
        } else if let (Some(depth), Some(_)) = (self.depth, err.db_error()) {
            self.aborted_at.get_or_insert(depth);
        }
        err
    }

    /// Prepares (or takes from the cache) and runs `st`, handing its rows to `read`: one drive of
    /// the connection from preparing to the result's end. A statement the server reports stale when
    /// no transaction is open is prepared again once; that error comes before the first answer, so
    /// `read` has not run yet. The connection is in flight from the first poll until the result
    /// has been read (a future dropped midway leaves it in flight). `st` is owned or borrowed, so
    /// that a statement method can return this future itself instead of awaiting it in a future
    /// of its own.
    async fn run_with<T, F>(
        &mut self,
        st: impl Borrow<Statement>,
        read: impl FnOnce(RowStream) -> F,
    ) -> Result<T>
    where
        F: Future<Output = Result<Result<T>, PgError>>,
    {
        let st = st.borrow();
        self.in_flight = true;
        let PgConn {
            client,
            io,
            cache,
            depth,
            unverified,
            ..
        } = self;
        let done = io
            .drive(async move {
                let mut retried = false;
                loop {
                    // Borrowed from the cache on a hit: no reference count taken and dropped.
                    let prepared = match cache.get(&st.sql) {
                        Some(cached) => Cow::Borrowed(cached),
                        None => Cow::Owned(cache.prepare(client, &st.sql).await?),
                    };
                    let (prepared, controls_transaction) = &*prepared;
                    if *controls_transaction {
                        *unverified = true;
                    }
                    if prepared.params().len() != st.params.len() {
                        return Ok(Err(Error::InvalidQuery(format!(
                            "the statement has {} parameters but {} values are bound",
                            prepared.params().len(),
                            st.params.len()
                        ))));
                    }
                    let params = st
                        .params
                        .iter()
                        .enumerate()
                        .map(|(i, v)| PgParam::new(i, v));
                    match client.query_raw(prepared, params).await {
                        Ok(rows) => return read(rows).await,
                        Err(e) if error::is_stale_statement(&e) => {
                            cache.evict(&st.sql);
                            if retried || depth.is_some() || *unverified {
                                return Err(e);
                            }
                            retried = true;
                        }
                        Err(e) => return Err(e),
                    }
                }
            })
            .await;
        let out = done.unwrap_or_else(|e| Err(self.fail(e)));
        self.in_flight = false;
        out
    }

    /// Runs `sql` (transaction control) with the simple query protocol.
    async fn control(&mut self, sql: &str) -> Result<()> {
        self.in_flight = true;
        let done = self.io.drive(self.client.batch_execute(sql)).await;
        self.in_flight = false;
        done.map_err(|e| self.fail(e))
    }

    /// Checks that the server runs the next statement outside any transaction block: only then is
    /// `now()` (transaction start) equal to `statement_timestamp()`.
    async fn verify_idle(&mut self) -> Result<()> {
        self.in_flight = true;
        let answer = self
            .io
            .drive(
                self.client
                    .simple_query("SELECT now() = statement_timestamp()"),
            )
            .await;
        self.in_flight = false;
        let messages = answer.map_err(|e| self.fail(e))?;
        let idle = messages
            .iter()
            .any(|m| matches!(m, SimpleQueryMessage::Row(row) if row.try_get(0).ok().flatten() == Some("t")));
        if idle {
            Ok(())
        } else {
            self.broken = true;
            Err(Error::disconnected(
                "the server still reports an open transaction after ROLLBACK",
                None,
            ))
        }
    }

    /// Reads what the server sent while the connection sat idle (see `drive`), recording a session
    /// it closed meanwhile as lost.
    fn poll_idle(&mut self) {
        if let Err(e) = self.io.poll_idle() {
            let err = self.fail(e);
            tracing::debug!(error = %err, "an idle PostgreSQL connection was closed by the server");
        }
    }

    fn end_transaction(&mut self) {
        self.depth = None;
        self.aborted_at = None;
    }
}

/// A `read` for [`PgConn::run_with`]: hands every row to `on_row` with `state`, reads the result to
/// its end, then makes the output from `state` and the rows affected. After a decode error the
/// rest is read and discarded: nothing else reads this connection's socket, and the server must
/// finish before the connection is reused.
async fn read_rows<S, T>(
    rows: RowStream,
    mut state: S,
    mut on_row: impl FnMut(&mut S, PgRow<'_>) -> Result<()>,
    finish: impl FnOnce(S, u64) -> T,
) -> Result<Result<T>, PgError> {
    let mut rows = pin!(rows);
    let mut failed = None;
    while let Some(row) = rows.try_next().await? {
        if failed.is_none() {
            failed = on_row(&mut state, PgRow(&row)).err();
        }
    }
    Ok(match failed {
        None => Ok(finish(state, rows.rows_affected().unwrap_or(0))),
        Some(e) => Err(e),
    })
}

impl Conn for PgConn {
    fn backend(&self) -> Backend {
        Backend::POSTGRES
    }

    fn execute(&mut self, st: Statement) -> impl Future<Output = Result<ExecResult>> + Send {
        self.run_with(st, |rows| {
            read_rows(
                rows,
                (),
                |(), _| Ok(()),
                |(), n| ExecResult {
                    rows_affected: n,
                    last_insert_id: None,
                },
            )
        })
    }

    fn fetch_all<T: FromRow>(
        &mut self,
        st: Statement,
    ) -> impl Future<Output = Result<Vec<T>>> + Send {
        self.run_with(st, |rows| {
            read_rows(
                rows,
                Vec::new(),
                |out, row| T::from_row(&row).map(|v| out.push(v)),
                |out, _| out,
            )
        })
    }

    fn fetch_optional<T: FromRow>(
        &mut self,
        st: Statement,
    ) -> impl Future<Output = Result<Option<T>>> + Send {
        self.run_with(st, |rows| {
            read_rows(
                rows,
                None,
                |first, row| {
                    if first.is_none() {
                        *first = Some(T::from_row(&row)?);
                    }
                    Ok(())
                },
                |first, _| first,
            )
        })
    }

    async fn stream<T: FromRow>(&mut self, st: Statement, rows: &RowSink<T>) -> Result<u64> {
        self.stream_rows(&st, rows).await
    }

    async fn begin(&mut self, depth: u32, opts: TxOptions) -> Result<()> {
        if depth > 0 {
            self.control(&format!("SAVEPOINT sp_{depth}")).await?;
            self.depth = Some(depth);
            return Ok(());
        }
        let mut sql = String::from("BEGIN");
        if let Some(level) = opts.isolation {
            sql.push_str(match level {
                IsolationLevel::ReadUncommitted => " ISOLATION LEVEL READ UNCOMMITTED",
                IsolationLevel::ReadCommitted => " ISOLATION LEVEL READ COMMITTED",
                IsolationLevel::RepeatableRead => " ISOLATION LEVEL REPEATABLE READ",
                IsolationLevel::Serializable => " ISOLATION LEVEL SERIALIZABLE",
            });
        }
        if opts.read_only {
            sql.push_str(" READ ONLY");
        }
        self.depth = Some(0);
        self.aborted_at = None;
        self.control(&sql).await
    }

    async fn commit(&mut self, depth: u32) -> Result<()> {
        if depth > 0 {
            self.control(&format!("RELEASE SAVEPOINT sp_{depth}"))
                .await?;
            self.depth = Some(depth - 1);
            return Ok(());
        }
        if self.aborted_at.is_some() {
            self.control("ROLLBACK").await?;
            self.end_transaction();
            return Err(Error::from_db(
                DbErrorKind::Other,
                DbError::new(
                    "25P02",
                    "the transaction was aborted by an earlier error and has been rolled back, not committed",
                ),
            ));
        }
        self.control("COMMIT").await?;
        self.end_transaction();
        Ok(())
    }

    async fn rollback(&mut self, depth: u32) -> Result<()> {
        if depth > 0 {
            self.control(&format!(
                "ROLLBACK TO SAVEPOINT sp_{depth}; RELEASE SAVEPOINT sp_{depth}"
            ))
            .await?;
            self.depth = Some(depth - 1);
            if self.aborted_at.is_some_and(|at| at >= depth) {
                self.aborted_at = None;
            }
            return Ok(());
        }
        self.control("ROLLBACK").await?;
        self.end_transaction();
        Ok(())
    }

    fn is_reusable(&self) -> bool {
        !self.in_flight
            && self.depth.is_none()
            && !self.unverified
            && !self.broken
            && self.io.is_open()
    }

    async fn reset(&mut self) -> Result<()> {
        if self.broken || !self.io.is_open() {
            self.broken = true;
            return Err(Error::disconnected("the connection is closed", None));
        }
        if self.in_flight {
            return Err(Error::disconnected(
                "an operation was interrupted before its response was read; the connection state is unknown",
                None,
            ));
        }
        if self.depth.is_some() || self.unverified {
            self.control("ROLLBACK").await?;
            self.end_transaction();
            self.verify_idle().await?;
            self.unverified = false;
        }
        Ok(())
    }

    async fn ping(&mut self) -> Result<()> {
        self.verify_idle().await
    }
}

impl Drop for PgConn {
    /// A connection dropped in the middle of a request asks the server to cancel it, so an abandoned
    /// query does not keep running; then the session ends in the background (see `drive`).
    fn drop(&mut self) {
        let cancel = (self.in_flight && !self.broken).then(|| self.client.cancel_token());
        self.io.close(cancel);
    }
}
