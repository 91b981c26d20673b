//! Drivers for the `orm` crate family: PostgreSQL (tokio-postgres), MySQL/MariaDB (mysql_async) and
//! SQLite (rusqlite on dedicated worker threads, never blocking the async runtime), each pooled with
//! deadpool and exposed through one [`Database`] that implements [`orm_core::Executor`].

mod conn;
mod options;

#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use conn::{IsolationLevel, TxOptions};
