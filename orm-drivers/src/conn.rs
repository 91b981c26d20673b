//! The contract each backend's single connection implements. The pooled `Database`, `Connection`
//! and `Transaction` are written once against it.
//!
//! Contract:
//! - Methods take whole statements; SQLite hands each one to its worker thread in one hop.
//! - A connection marks itself in-flight *before* it writes anything to the wire (or to the worker)
//!   and clears the mark only when the response is fully read. A future dropped in between leaves the
//!   mark set, and [`Conn::is_reusable`] then reports `false`.
//! - Transaction state is recorded *before* BEGIN is sent, so a dropped `begin()` is still treated as
//!   a possibly open transaction.
//! - [`Conn::reset`] is what the pool runs before handing a connection out again: it rolls back an
//!   open transaction (verified against the server's own status where the protocol reports it) and
//!   fails when the connection cannot be made clean, so the pool discards it. [`Conn::ping`] is what
//!   it runs on a reusable connection it suspects dead (see `crate::health`).
//! - Errors are mapped into `orm::Error`; a lost connection is `Error::Disconnected` and marks the
//!   connection broken.

use std::future::Future;

use orm_core::{Backend, ExecResult, FromRow, KeyedInsert, Result, Statement};

use crate::stream::RowSink;

/// Isolation levels accepted by `begin`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IsolationLevel {
    /// READ UNCOMMITTED
    ReadUncommitted,
    /// READ COMMITTED
    ReadCommitted,
    /// REPEATABLE READ
    RepeatableRead,
    /// SERIALIZABLE
    Serializable,
}

/// Options for starting a transaction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TxOptions {
    /// Isolation level (server default when `None`). SQLite is always serializable.
    pub isolation: Option<IsolationLevel>,
    /// Read-only transaction. On SQLite this means a deferred BEGIN (no write lock).
    pub read_only: bool,
}

/// One open connection of one backend.
pub(crate) trait Conn: Send + Sync + 'static {
    /// Dialect and capabilities (detected at connect).
    fn backend(&self) -> Backend;

    /// Runs a statement that returns no rows.
    fn execute(&mut self, st: Statement) -> impl Future<Output = Result<ExecResult>> + Send;

    /// Runs a query and decodes every row.
    fn fetch_all<T: FromRow>(
        &mut self,
        st: Statement,
    ) -> impl Future<Output = Result<Vec<T>>> + Send;

    /// Runs a query and decodes the first row; the rest are discarded, never left unread.
    fn fetch_optional<T: FromRow>(
        &mut self,
        st: Statement,
    ) -> impl Future<Output = Result<Option<T>>> + Send;

    /// Runs a query and hands each decoded row to `rows` as it is read, waiting until the reader
    /// took it, so memory stays bounded. Returns the number of rows handed over once the result is
    /// read to its end; an error ends it. A future dropped midway (the reader dropped its stream)
    /// leaves the connection as the backend's stream contract says, never with an unread result for
    /// its next user.
    fn stream<T: FromRow>(
        &mut self,
        st: Statement,
        rows: &RowSink<T>,
    ) -> impl Future<Output = Result<u64>> + Send;

    /// Runs a multi-row INSERT and returns its generated keys in row order: by default through its
    /// RETURNING clause (a backend may know a cheaper way, see `sqlite::insert`).
    fn insert_keys(&mut self, insert: KeyedInsert) -> impl Future<Output = Result<Vec<i64>>> + Send
    where
        Self: Send,
    {
        async move {
            let returned = self.fetch_all(insert.into_statement()).await?;
            Ok(KeyedInsert::keys_in_row_order(returned))
        }
    }

    /// Starts a transaction (`depth == 0`) or a savepoint `sp_<depth>` (`depth > 0`).
    fn begin(&mut self, depth: u32, opts: TxOptions) -> impl Future<Output = Result<()>> + Send;

    /// Commits (`depth == 0`) or releases savepoint `sp_<depth>`.
    fn commit(&mut self, depth: u32) -> impl Future<Output = Result<()>> + Send;

    /// Rolls back (`depth == 0`) or rolls back to savepoint `sp_<depth>` and releases it.
    fn rollback(&mut self, depth: u32) -> impl Future<Output = Result<()>> + Send;

    /// `false` when the connection is broken, closed, has an interrupted operation, or may hold an
    /// open transaction. No I/O.
    fn is_reusable(&self) -> bool;

    /// Makes the connection clean for the next user (rollback if needed) or fails.
    fn reset(&mut self) -> impl Future<Output = Result<()>> + Send;

    /// Checks, with one round trip, that a reusable connection is alive (and, where the server
    /// reports it, outside any transaction), or fails.
    fn ping(&mut self) -> impl Future<Output = Result<()>> + Send;
}
