//! Drivers for the `orm` crate family: PostgreSQL (tokio-postgres), MySQL/MariaDB (mysql_async) and
//! SQLite (rusqlite on dedicated worker threads, never blocking the async runtime), each pooled with
//! deadpool and exposed through one [`Database`] that implements [`orm_core::Executor`].
//!
//! - [`Database`]: the pool; run statements on it directly, or check out a [`Connection`], or start a
//!   [`Transaction`].
//! - [`DatabaseConfig`] / [`DatabaseBuilder`]: URL parsing, pool size and timeouts.
//! - Tracing: every statement runs in an `orm.query` span (target `orm::query`) carrying `db.system`,
//!   `db.operation`, `db.statement` (placeholders only, never bound values) and
//!   `otel.kind = "client"`, and records `rows`, `elapsed_ms` and `error` when it ends; a statement
//!   slower than one second also emits a WARN event. Pool checkouts run in `orm.pool.acquire` spans.

mod config;
mod conn;
mod connection;
mod database;
mod instrument;
mod options;
mod pool;
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
pub use transaction::Transaction;
