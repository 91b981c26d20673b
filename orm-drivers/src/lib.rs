//! Drivers for the `orm` crate family: PostgreSQL (tokio-postgres), MySQL/MariaDB (mysql_async) and
//! SQLite (rusqlite on dedicated worker threads, never blocking the async runtime), each pooled with
//! deadpool and exposed through one [`Database`] that implements [`orm_core::Executor`].
//!
//! - [`Database`]: the pool; run statements on it directly, or check out a [`Connection`], or start a
//!   [`Transaction`].
//! - [`DatabaseConfig`] / [`DatabaseBuilder`]: URL parsing, pool size and timeouts.
//! - Streams (`Executor::stream`, `Query::stream`): rows as they arrive, one at a time, with bounded
//!   memory: a PostgreSQL row stream, a MySQL result read as it is consumed, SQLite rows handed over
//!   in batches by the worker thread.
//! - [`retry`] / [`Database::transaction_with_retry`]: run a transaction again after a serialization
//!   failure, a deadlock or SQLite BUSY, a bounded number of times with backoff ([`RetryPolicy`]).
//! - Tracing: every statement runs in an `orm.query` span (target `orm::query`) carrying `db.system`,
//!   `db.operation`, `db.statement` (placeholders only, never bound values) and
//!   `otel.kind = "client"`, and records `rows`, `elapsed_ms` and `error` when it ends; a statement
//!   slower than one second also emits a WARN event. Pool checkouts run in `orm.pool.acquire` spans.

mod checkout_wait;
mod config;
mod conn;
mod connection;
mod database;
mod health;
mod instrument;
mod options;
mod pool;
mod retry;
#[cfg(any(feature = "postgres", feature = "mysql"))]
mod statement_lru;
mod stream;
mod transaction;

#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use config::{DatabaseBuilder, DatabaseConfig};
pub use conn::{IsolationLevel, TxOptions};
pub use connection::Connection;
pub use database::{Database, PoolStatus};
pub use retry::{RetryPolicy, Retryable, retry};
pub use transaction::Transaction;
