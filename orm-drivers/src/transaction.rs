//! Transactions and savepoints.
//!
//! Contract:
//! - A [`Transaction`] is an [`Executor`]; statements run on its connection, in call order.
//! - `commit` / `rollback` end it. Dropped without either, it is rolled back before its connection runs
//!   anything else: a top-level transaction from [`Database::begin`](crate::Database::begin) is rolled
//!   back before the connection returns to the pool; one on a borrowed [`Connection`] (or a savepoint)
//!   before the next statement on that connection.
//! - [`Transaction::begin`] nests with `SAVEPOINT sp_<depth>`; releasing or rolling back a savepoint
//!   leaves the enclosing transaction open.
//! - The `transaction` helpers commit when the closure returns `Ok`, and roll back when it returns
//!   `Err` or panics; the panic then resumes.

use std::fmt;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use orm_core::{
    Backend, Error, ExecResult, Executor, FromRow, KeyedInsert, Result, RowStream, Statement,
};

use crate::conn::TxOptions;
use crate::connection::Connection;

/// The connection a transaction runs on: owned when it came straight from the pool.
#[allow(
    clippy::large_enum_variant,
    reason = "moved once per transaction; boxing would allocate per BEGIN"
)]
pub(crate) enum TxConn<'c> {
    Owned(Connection),
    Borrowed(&'c Connection),
}

impl TxConn<'_> {
    fn get(&self) -> &Connection {
        match self {
            TxConn::Owned(c) => c,
            TxConn::Borrowed(c) => c,
        }
    }
}

/// An open transaction (depth 0) or savepoint (depth > 0).
#[must_use = "a transaction is rolled back unless `commit` is awaited"]
pub struct Transaction<'c> {
    conn: TxConn<'c>,
    depth: u32,
    /// Not yet committed or rolled back.
    open: bool,
}

impl<'c> Transaction<'c> {
    /// Sends BEGIN (`depth == 0`) or SAVEPOINT on `conn`.
    pub(crate) async fn start(conn: TxConn<'c>, depth: u32, opts: TxOptions) -> Result<Self> {
        {
            let c = conn.get();
            let mut guard = c.lock().await?;
            // If this future is dropped while BEGIN is in flight, the next statement rolls back.
            c.roll_back_later(depth);
            let begun = guard.begin(depth, opts).await;
            c.clear_pending_rollback();
            begun?;
        }
        Ok(Transaction {
            conn,
            depth,
            open: true,
        })
    }

    /// 0 for a transaction, 1 and up for nested savepoints.
    pub fn depth(&self) -> u32 {
        self.depth
    }

    /// Dialect and capabilities of the server.
    pub fn backend(&self) -> Backend {
        self.conn.get().backend()
    }

    /// Starts a nested transaction: `SAVEPOINT sp_<depth>`.
    pub async fn begin(&self) -> Result<Transaction<'_>> {
        Transaction::start(
            TxConn::Borrowed(self.conn.get()),
            self.depth + 1,
            TxOptions::default(),
        )
        .await
    }

    /// Runs `f` in a savepoint: released when it returns `Ok`, rolled back when it returns `Err` or
    /// panics (the panic then continues). The enclosing transaction stays open either way.
    pub async fn transaction<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: AsyncFnOnce(&Transaction<'_>) -> Result<T, E>,
        E: From<Error>,
    {
        let savepoint = self.begin().await?;
        run_in_transaction(savepoint, f).await
    }

    /// Commits (or releases the savepoint).
    pub async fn commit(mut self) -> Result<()> {
        // A savepoint whose RELEASE is abandoned halfway stays part of the enclosing transaction,
        // which then decides its fate; a RELEASE that fails is rolled back like a dropped savepoint.
        self.open = self.depth == 0;
        let committed = async { self.conn.get().lock().await?.commit(self.depth).await }.await;
        self.open = committed.is_err();
        committed
    }

    /// Rolls back (or rolls back to the savepoint and releases it).
    pub async fn rollback(mut self) -> Result<()> {
        self.conn.get().lock().await?.rollback(self.depth).await?;
        self.open = false;
        Ok(())
    }
}

/// Runs `f` on `tx`, then commits on `Ok` and rolls back on `Err` or panic.
pub(crate) async fn run_in_transaction<T, E, F>(tx: Transaction<'_>, f: F) -> Result<T, E>
where
    F: AsyncFnOnce(&Transaction<'_>) -> Result<T, E>,
    E: From<Error>,
{
    let outcome = AssertUnwindSafe(f(&tx)).catch_unwind().await;
    match outcome {
        Ok(Ok(value)) => {
            tx.commit().await?;
            Ok(value)
        }
        Ok(Err(e)) => {
            if let Err(rollback) = tx.rollback().await {
                tracing::warn!(target: "orm::transaction", error = %rollback, "rollback after a failed transaction closure failed");
            }
            Err(e)
        }
        Err(panic) => {
            if let Err(rollback) = tx.rollback().await {
                tracing::warn!(target: "orm::transaction", error = %rollback, "rollback after a panicking transaction closure failed");
            }
            std::panic::resume_unwind(panic)
        }
    }
}

impl Executor for Transaction<'_> {
    fn backend(&self) -> Backend {
        self.conn.get().backend()
    }

    fn execute(&self, statement: Statement) -> impl Future<Output = Result<ExecResult>> + Send {
        self.conn.get().execute(statement)
    }

    fn fetch_all<T: FromRow>(
        &self,
        statement: Statement,
    ) -> impl Future<Output = Result<Vec<T>>> + Send {
        self.conn.get().fetch_all(statement)
    }

    fn fetch_optional<T: FromRow>(
        &self,
        statement: Statement,
    ) -> impl Future<Output = Result<Option<T>>> + Send {
        self.conn.get().fetch_optional(statement)
    }

    fn stream<T: FromRow>(&self, statement: Statement) -> RowStream<'_, T> {
        self.conn.get().stream(statement)
    }

    fn insert_keys(&self, insert: KeyedInsert) -> impl Future<Output = Result<Vec<i64>>> + Send {
        self.conn.get().insert_keys(insert)
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if self.open {
            // An owned connection is dropped right after and rolls back before returning to the pool.
            self.conn.get().roll_back_later(self.depth);
        }
    }
}

impl fmt::Debug for Transaction<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transaction")
            .field("depth", &self.depth)
            .field("open", &self.open)
            .field("backend", &self.backend())
            .finish()
    }
}
