//! One MySQL/MariaDB connection implementing [`Conn`].
//!
//! Contract:
//! - Statements run over the binary protocol (prepared, cached per connection when the cache is
//!   enabled, see `super::cache`, closed after use when it is not); transaction control runs over
//!   the text protocol.
//! - Every command sets the in-flight mark before it writes and clears it once the whole response,
//!   every result set included, is read. A dropped future leaves the mark set: the connection is
//!   then refused for further commands and [`Conn::reset`] fails, so the pool discards it.
//! - Transaction state is pessimistic: it is set before `START TRANSACTION` is sent and afterwards
//!   follows the server's own `SERVER_STATUS_IN_TRANS` flag from each OK packet, so a transaction
//!   opened with raw SQL is seen too.
//! - A lost connection marks the connection broken and is recorded in the pool's `Health`.
//! - Dropping a connection while a command is in flight spawns a task that opens a connection of its
//!   own and sends `KILL QUERY <id>`, so the abandoned statement stops on the server; the drop itself
//!   never waits.

mod stream;

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use mysql_async::consts::StatusFlags;
use mysql_async::prelude::Queryable;
use mysql_async::{Column, Opts, OptsBuilder, Row};
use orm_core::{Backend, Error, ExecResult, FromRow, Result, SqlText, Statement};

use super::cache::StatementCache;
use super::error::map_error;
use super::row::MySqlRow;
use super::value::to_params;
use crate::conn::{Conn, IsolationLevel, TxOptions};
use crate::health::Health;
use crate::stream::RowSink;

/// How long the task stopping an abandoned command may take, connecting included.
const KILL_QUERY_TIMEOUT: Duration = Duration::from_secs(10);

/// An open MySQL/MariaDB connection and what is known about its state.
pub(crate) struct MySqlConn {
    conn: mysql_async::Conn,
    cache: StatementCache,
    backend: Backend,
    /// A command was started and its response not yet fully read.
    in_flight: bool,
    /// The connection is known to be unusable.
    broken: bool,
    /// A transaction may be open on the server.
    tx_open: bool,
    health: Arc<Health>,
}

impl fmt::Debug for MySqlConn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MySqlConn")
            .field("connection_id", &self.conn.id())
            .field("backend", &self.backend)
            .field("in_flight", &self.in_flight)
            .field("broken", &self.broken)
            .field("tx_open", &self.tx_open)
            .finish()
    }
}

impl MySqlConn {
    /// Opens a connection and detects the server's capabilities.
    pub(super) async fn open(
        opts: Opts,
        statement_cache_capacity: usize,
        health: Arc<Health>,
    ) -> std::result::Result<Self, mysql_async::Error> {
        let mut conn = mysql_async::Conn::new(opts).await?;
        let mut version = None;
        conn.query_iter("SELECT VERSION()")
            .await?
            .for_each_and_drop(|row| {
                if version.is_none() {
                    version = row.unwrap_raw().into_iter().next().flatten();
                }
            })
            .await?;
        let is_mariadb = matches!(&version, Some(mysql_async::Value::Bytes(v))
            if v.windows(7).any(|w| w.eq_ignore_ascii_case(b"mariadb")));
        let backend = match (is_mariadb, conn.server_version() >= (10, 5, 0)) {
            (true, true) => Backend::MARIADB,
            (true, false) => Backend {
                insert_returning: false,
                ..Backend::MARIADB
            },
            (false, _) => Backend::MYSQL,
        };
        Ok(Self {
            conn,
            cache: StatementCache::new(statement_cache_capacity),
            backend,
            in_flight: false,
            broken: false,
            tx_open: false,
            health,
        })
    }

    /// The server's id for this session (`CONNECTION_ID()`, the argument of `KILL`).
    #[cfg(test)]
    pub(super) fn connection_id(&self) -> u32 {
        self.conn.id()
    }

    /// Number of prepared statements the cache holds.
    #[cfg(test)]
    pub(super) fn cached_statements(&self) -> usize {
        self.cache.len()
    }

    /// Checks that a command may start and sets the in-flight mark.
    fn start(&mut self) -> Result<&mut mysql_async::Conn> {
        if self.in_flight {
            // A previous command was abandoned mid-way: its response may still be unread.
            self.broken = true;
        }
        if self.broken || self.conn.is_disconnected() {
            self.broken = true;
            return Err(Error::disconnected(
                "the MySQL connection is broken or was left mid-command",
                None,
            ));
        }
        self.in_flight = true;
        Ok(&mut self.conn)
    }

    /// Clears the in-flight mark once a command's response is fully read and records what it did
    /// to the session.
    fn finish<T>(&mut self, outcome: std::result::Result<T, mysql_async::Error>) -> Result<T> {
        self.in_flight = false;
        match outcome {
            Ok(v) => {
                if let Some(ok) = self.conn.last_ok_packet() {
                    self.tx_open = ok
                        .status_flags()
                        .contains(StatusFlags::SERVER_STATUS_IN_TRANS);
                }
                Ok(v)
            }
            Err(e) => {
                let err = map_error(e);
                if err.is_disconnected() || self.conn.is_disconnected() {
                    self.broken = true;
                    self.health.record(&err);
                }
                Err(err)
            }
        }
    }

    /// Runs a prepared statement, handing each row of the first result set to `on_row` with
    /// `state`, then makes the output from `state` and what the statement did. The first error
    /// `on_row` returns is kept while the remaining rows, and any further result sets, are still
    /// read and discarded, so nothing is left unread on the wire.
    async fn run<S: Send, T>(
        &mut self,
        st: Statement,
        mut state: S,
        mut on_row: impl FnMut(&mut S, Row, &[Column]) -> Result<()> + Send,
        finish: impl FnOnce(S, ExecResult) -> T,
    ) -> Result<T> {
        let params = to_params(st.params)?;
        self.start()?;
        let outcome = exec_rows(
            &mut self.conn,
            &mut self.cache,
            &st.sql,
            params,
            |row, columns| on_row(&mut state, row, columns),
        )
        .await;
        let (decoded, done) = self.finish(outcome)?;
        decoded?;
        let last_insert_id = match done.last_insert_id {
            None => None,
            Some(id) => Some(i64::try_from(id).map_err(|_| {
                Error::decode(
                    "last_insert_id",
                    "i64",
                    format!("generated id {id} exceeds i64"),
                )
            })?),
        };
        Ok(finish(
            state,
            ExecResult {
                rows_affected: done.rows_affected,
                last_insert_id,
            },
        ))
    }

    /// Runs transaction control over the text protocol.
    async fn control(&mut self, sql: &str) -> Result<()> {
        let conn = self.start()?;
        let outcome = conn.query_drop(sql).await;
        self.finish(outcome)
    }
}

/// What the server reported after the last result set of a statement.
struct Done {
    rows_affected: u64,
    last_insert_id: Option<u64>,
}

/// Prepares (or takes from the cache) and runs one statement, reading every result set. Without a
/// statement cache the server-side statement is closed again, even when execution failed.
async fn exec_rows<F>(
    conn: &mut mysql_async::Conn,
    cache: &mut StatementCache,
    sql: &SqlText,
    params: mysql_async::Params,
    mut on_row: F,
) -> std::result::Result<(Result<()>, Done), mysql_async::Error>
where
    F: FnMut(Row, &[Column]) -> Result<()> + Send,
{
    let cached = cache.capacity() > 0;
    // Borrowed from the cache on a hit: no copy of the statement's handle made and dropped.
    let stmt = match cache.get(sql) {
        Some(stmt) => Cow::Borrowed(stmt),
        None => Cow::Owned(cache.prepare(conn, sql).await?),
    };
    let outcome = async {
        check_param_count(&stmt, &params)?;
        let mut decoded = Ok(());
        let mut result = conn.exec_iter(&*stmt, params).await?;
        // One handle on the result set's columns for all its rows.
        let columns = result.columns();
        let columns = columns.as_deref().unwrap_or_default();
        // Read here rather than through `QueryResult::for_each`: one future fewer per statement.
        while let Some(row) = result.next().await? {
            if decoded.is_ok() {
                decoded = on_row(row, columns);
            }
        }
        // Further result sets (of a procedure call, say) are read and dropped; after the usual
        // single set there is nothing left to ask for.
        if !result.is_empty() {
            result.drop_result().await?;
        }
        let done = Done {
            rows_affected: conn.affected_rows(),
            last_insert_id: conn.last_insert_id(),
        };
        Ok((decoded, done))
    }
    .await;
    if cached {
        return outcome;
    }
    close_uncached(conn, stmt.into_owned(), outcome).await
}

/// Closes the server-side statement `stmt` again (for a connection without a statement cache), even
/// when its execution failed (whose error then comes first). Callers with a cache skip it: it is
/// one more future on every statement's path.
async fn close_uncached<T>(
    conn: &mut mysql_async::Conn,
    stmt: mysql_async::Statement,
    outcome: std::result::Result<T, mysql_async::Error>,
) -> std::result::Result<T, mysql_async::Error> {
    if !conn.is_disconnected() {
        let closed = conn.close(stmt).await;
        let done = outcome?;
        closed?;
        return Ok(done);
    }
    outcome
}

/// Fails when `params` does not bind every placeholder of `stmt`. Checked here because the driver
/// closes the connection when it detects this itself.
fn check_param_count(
    stmt: &mysql_async::Statement,
    params: &mysql_async::Params,
) -> std::result::Result<(), mysql_async::Error> {
    let supplied = match params {
        mysql_async::Params::Positional(values) => values.len(),
        _ => 0,
    };
    if usize::from(stmt.num_params()) != supplied {
        return Err(mysql_async::DriverError::StmtParamsMismatch {
            required: stmt.num_params(),
            supplied,
        }
        .into());
    }
    Ok(())
}

fn isolation_sql(level: IsolationLevel) -> &'static str {
    match level {
        IsolationLevel::ReadUncommitted => "SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED",
        IsolationLevel::ReadCommitted => "SET TRANSACTION ISOLATION LEVEL READ COMMITTED",
        IsolationLevel::RepeatableRead => "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
        IsolationLevel::Serializable => "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
    }
}

impl Conn for MySqlConn {
    fn backend(&self) -> Backend {
        self.backend
    }

    fn execute(&mut self, st: Statement) -> impl Future<Output = Result<ExecResult>> + Send {
        self.run(st, (), |(), _, _| Ok(()), |(), done| done)
    }

    fn fetch_all<T: FromRow>(
        &mut self,
        st: Statement,
    ) -> impl Future<Output = Result<Vec<T>>> + Send {
        self.run(
            st,
            Vec::new(),
            |rows, row, columns| {
                rows.push(T::from_row(&MySqlRow::new(row, columns))?);
                Ok(())
            },
            |rows, _| rows,
        )
    }

    fn fetch_optional<T: FromRow>(
        &mut self,
        st: Statement,
    ) -> impl Future<Output = Result<Option<T>>> + Send {
        self.run(
            st,
            None,
            |first, row, columns| {
                if first.is_none() {
                    *first = Some(T::from_row(&MySqlRow::new(row, columns))?);
                }
                Ok(())
            },
            |first, _| first,
        )
    }

    async fn stream<T: FromRow>(&mut self, st: Statement, rows: &RowSink<T>) -> Result<u64> {
        self.stream_rows(st, rows).await
    }

    async fn begin(&mut self, depth: u32, opts: TxOptions) -> Result<()> {
        if depth > 0 {
            return self.control(&format!("SAVEPOINT sp_{depth}")).await;
        }
        self.tx_open = true;
        if let Some(level) = opts.isolation {
            self.control(isolation_sql(level)).await?;
            // `SET TRANSACTION` does not open one; the flag must stay pessimistic until BEGIN.
            self.tx_open = true;
        }
        self.control(if opts.read_only {
            "START TRANSACTION READ ONLY"
        } else {
            "START TRANSACTION READ WRITE"
        })
        .await
    }

    async fn commit(&mut self, depth: u32) -> Result<()> {
        if depth > 0 {
            self.control(&format!("RELEASE SAVEPOINT sp_{depth}")).await
        } else {
            self.control("COMMIT").await
        }
    }

    async fn rollback(&mut self, depth: u32) -> Result<()> {
        if depth > 0 {
            self.control(&format!("ROLLBACK TO SAVEPOINT sp_{depth}"))
                .await?;
            self.control(&format!("RELEASE SAVEPOINT sp_{depth}")).await
        } else {
            self.control("ROLLBACK").await
        }
    }

    fn is_reusable(&self) -> bool {
        !self.broken && !self.in_flight && !self.tx_open && !self.conn.is_disconnected()
    }

    async fn reset(&mut self) -> Result<()> {
        if self.in_flight {
            self.broken = true;
        }
        if self.broken || self.conn.is_disconnected() {
            return Err(Error::disconnected(
                "the MySQL connection cannot be reused: it is broken or was left mid-command",
                None,
            ));
        }
        if self.tx_open {
            self.control("ROLLBACK").await?;
            let in_tx = self.conn.last_ok_packet().map(|ok| {
                ok.status_flags()
                    .contains(StatusFlags::SERVER_STATUS_IN_TRANS)
            });
            if in_tx != Some(false) {
                self.broken = true;
                self.tx_open = true;
                return Err(Error::disconnected(
                    "the server still reports an open transaction after ROLLBACK",
                    None,
                ));
            }
        }
        Ok(())
    }

    async fn ping(&mut self) -> Result<()> {
        let conn = self.start()?;
        let outcome = conn.ping().await;
        self.finish(outcome)
    }
}

impl Drop for MySqlConn {
    fn drop(&mut self) {
        if !self.in_flight {
            return;
        }
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(kill_query(self.conn.opts().clone(), self.conn.id()));
        }
    }
}

/// Stops whatever session `id` is running, over a connection of its own.
async fn kill_query(opts: Opts, id: u32) {
    let opts = OptsBuilder::from_opts(opts).setup(Vec::<String>::new());
    let killing = async {
        let mut side = mysql_async::Conn::new(opts).await?;
        side.query_drop(format!("KILL QUERY {id}")).await?;
        side.disconnect().await
    };
    match tokio::time::timeout(KILL_QUERY_TIMEOUT, killing).await {
        Ok(Ok(())) => {
            tracing::debug!(target: "orm::pool", connection_id = id, "stopped an abandoned MySQL command")
        }
        Ok(Err(e)) => {
            tracing::debug!(target: "orm::pool", connection_id = id, error = %map_error(e), "stopping an abandoned MySQL command failed")
        }
        Err(_) => {
            tracing::debug!(target: "orm::pool", connection_id = id, "stopping an abandoned MySQL command timed out")
        }
    }
}
