//! One connection checked out of the pool, usable as an [`Executor`] and as the base of transactions.
//!
//! Contract:
//! - Statements on one [`Connection`] (and on its transactions) run one at a time, in call order.
//! - A transaction or savepoint dropped without commit or rollback leaves a pending rollback: it is
//!   performed before the next statement on this connection, so later statements never run inside a
//!   transaction that was given up.
//! - Dropping a connection that may hold an open transaction or an interrupted statement rolls it back
//!   on a background task before the connection goes back to the pool (outside a runtime, the pool's
//!   recycle does it before the next checkout). A connection that cannot be made clean (a statement
//!   still on the wire on PostgreSQL or MySQL) is discarded instead, and the backend stops that
//!   statement on the server (cancel request, `KILL QUERY`); SQLite interrupts it and rolls back.

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};

use orm_core::{
    Backend, Error, ExecResult, Executor, FromRow, KeyedInsert, Result, RowStream, Statement,
};
use tokio::sync::{MappedMutexGuard, Mutex, MutexGuard};

use crate::conn::TxOptions;
use crate::pool::AnyConn;
use crate::pool::run_statement;
use crate::stream::{RowSink, feed};
use crate::transaction::{Transaction, TxConn, run_in_transaction};

/// No rollback is pending.
const NO_ROLLBACK: u32 = u32::MAX;

/// A pooled connection held by one user until dropped. Obtain one with
/// [`Database::acquire`](crate::Database::acquire).
pub struct Connection {
    /// `None` only while the connection is being dropped.
    slot: Mutex<Option<AnyConn>>,
    /// Depth to roll back to before the next statement (`NO_ROLLBACK` when none).
    pending_rollback: AtomicU32,
    backend: Backend,
}

/// Locks the [`Connection`] `$conn` for one operation, first performing any pending rollback, or
/// returns the error. A free lock is taken without building the waiting future (the common case:
/// one task per connection); a held one is waited for in turn, as the lock is fair. A macro, not
/// an `async fn`, so that a statement awaits the lock inside its own future instead of through one
/// more state machine.
macro_rules! locked {
    ($conn:expr) => {{
        let this: &Connection = $conn;
        let slot = match this.slot.try_lock() {
            Ok(slot) => slot,
            Err(_) => this.slot.lock().await,
        };
        let mut conn = MutexGuard::try_map(slot, Option::as_mut).map_err(|_| Error::PoolClosed)?;
        let depth = this.pending_rollback.swap(NO_ROLLBACK, Ordering::AcqRel);
        if depth != NO_ROLLBACK {
            // On the heap: rare, and every statement's future embeds this one.
            Box::pin(conn.rollback(depth)).await?;
        }
        conn
    }};
}

impl Connection {
    pub(crate) fn new(conn: AnyConn) -> Self {
        let backend = conn.backend();
        Connection {
            slot: Mutex::new(Some(conn)),
            pending_rollback: AtomicU32::new(NO_ROLLBACK),
            backend,
        }
    }

    /// Dialect and capabilities of the server.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a transaction on this connection.
    pub async fn begin(&mut self) -> Result<Transaction<'_>> {
        self.begin_with(TxOptions::default()).await
    }

    /// Starts a transaction with an isolation level or read-only mode.
    pub async fn begin_with(&mut self, opts: TxOptions) -> Result<Transaction<'_>> {
        Transaction::start(TxConn::Borrowed(self), 0, opts).await
    }

    /// Runs `f` in a transaction: commits when it returns `Ok`, rolls back when it returns `Err` or
    /// panics (the panic then continues).
    pub async fn transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: AsyncFnOnce(&Transaction<'_>) -> Result<T, E>,
        E: From<Error>,
    {
        let tx = self.begin().await?;
        run_in_transaction(tx, f).await
    }

    /// Locks the connection for one operation, first performing any pending rollback (see
    /// [`locked!`]).
    pub(crate) async fn lock(&self) -> Result<MappedMutexGuard<'_, AnyConn>> {
        Ok(locked!(self))
    }

    /// Hands the rows of `st` to `rows` as they are read, holding this connection until done.
    pub(crate) async fn stream_rows<T: FromRow>(
        &self,
        st: Statement,
        rows: &RowSink<T>,
    ) -> Result<()> {
        locked!(self).stream(st, rows).await.map(drop)
    }

    /// Records that everything from savepoint depth `depth` on must be rolled back before the next
    /// statement (depth 0: the whole transaction).
    pub(crate) fn roll_back_later(&self, depth: u32) {
        self.pending_rollback.fetch_min(depth, Ordering::AcqRel);
    }

    /// Forgets a rollback recorded by [`Connection::roll_back_later`].
    pub(crate) fn clear_pending_rollback(&self) {
        self.pending_rollback.store(NO_ROLLBACK, Ordering::Release);
    }
}

impl Executor for Connection {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn execute(&self, statement: Statement) -> Result<ExecResult> {
        let mut conn = locked!(self);
        run_statement!(&mut conn, execute(statement))
    }

    async fn fetch_all<T: FromRow>(&self, statement: Statement) -> Result<Vec<T>> {
        let mut conn = locked!(self);
        run_statement!(&mut conn, fetch_all(statement))
    }

    async fn fetch_optional<T: FromRow>(&self, statement: Statement) -> Result<Option<T>> {
        let mut conn = locked!(self);
        run_statement!(&mut conn, fetch_optional(statement))
    }

    fn stream<T: FromRow>(&self, statement: Statement) -> RowStream<'_, T> {
        feed(move |rows| async move { self.stream_rows(statement, &rows).await })
    }

    async fn insert_keys(&self, insert: KeyedInsert) -> Result<Vec<i64>> {
        locked!(self).insert_keys(insert).await
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if let Some(conn) = self.slot.get_mut().take() {
            release(conn);
        }
    }
}

/// Returns a checked-out connection to its pool: as is when it is reusable, otherwise after a reset
/// on a background task, or discarded when the reset fails (see the module docs).
pub(crate) fn release(mut conn: AnyConn) {
    if conn.is_reusable() {
        return; // back to the pool as is
    }
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(async move {
            if let Err(e) = conn.reset().await {
                tracing::debug!(target: "orm::pool", error = %e, "discarding a connection that could not be reset");
                conn.discard();
            }
        });
    }
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}
