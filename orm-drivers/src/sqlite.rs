//! SQLite backend: rusqlite (bundled SQLite) on one dedicated OS thread per connection.
//!
//! Contract:
//! - Each call hands one whole statement to the connection's worker thread and awaits one answer:
//!   preparing (from the per-connection statement cache), binding, stepping every row and decoding
//!   them with `FromRow` all happen on the worker. Nothing blocks the async runtime and rows never
//!   cross the thread boundary one by one: a stream receives them in batches (see `stream`).
//! - A multi-row INSERT whose generated keys are wanted back leaves out its RETURNING clause where
//!   SQLite guarantees the keys, in the same single job (see `insert`).
//! - Transactions: read-write ones start with `BEGIN IMMEDIATE`, read-only ones with `BEGIN DEFERRED`
//!   under `PRAGMA query_only`; savepoints are `SAVEPOINT sp_<n>` / `RELEASE sp_<n>` /
//!   `ROLLBACK TO sp_<n>` + `RELEASE sp_<n>`. SQLite transactions are serializable, so isolation
//!   levels are accepted and have no further effect.
//! - Recycling (`crate::health::recycle`) rolls back an open transaction (after interrupting a
//!   statement a dropped call left running) instead of discarding the connection, so an in-memory
//!   database survives; a connection whose worker stopped is discarded and replaced.

mod error;
mod exec;
mod insert;
mod open;
mod row;
mod stream;
mod url;
mod value;
mod wait;
mod worker;

use std::sync::{Arc, Mutex};

use deadpool::managed::{self, Metrics, RecycleResult};
use orm_core::{Backend, Error, ExecResult, FromRow, KeyedInsert, Result, Statement};

use self::insert::RowidAliases;
use self::worker::Worker;
use crate::conn::{Conn, TxOptions};
use crate::health::{self, Health};
use crate::options::ConnectOptions;
use crate::stream::RowSink;

pub(crate) use self::url::SqliteUrl;

/// Opens and recycles SQLite connections for the pool.
#[derive(Debug)]
pub(crate) struct SqliteManager {
    url: SqliteUrl,
    opts: ConnectOptions,
    health: Health,
}

impl SqliteManager {
    /// A manager for `url` (a `sqlite:` URL without this crate's pool parameters).
    pub(crate) fn new(url: &str, opts: &ConnectOptions) -> Result<Self> {
        Ok(SqliteManager {
            url: SqliteUrl::parse(url)?,
            opts: opts.clone(),
            health: Health::default(),
        })
    }
}

impl managed::Manager for SqliteManager {
    /// On the heap, as the servers' connections: a checked-out connection of any backend is moved
    /// between the futures of its checkout and its statement, and is as large as the largest.
    type Type = Box<SqliteConn>;
    type Error = Error;

    async fn create(&self) -> Result<Box<SqliteConn>> {
        // On the heap: the pool embeds this future in every checkout's, and a small one is cheap
        // to move.
        let worker = Box::pin(Worker::start(self.url.clone(), self.opts.clone())).await?;
        Ok(Box::new(SqliteConn {
            worker,
            aliases: Arc::default(),
        }))
    }

    fn recycle(
        &self,
        conn: &mut Box<SqliteConn>,
        metrics: &Metrics,
    ) -> impl Future<Output = RecycleResult<Error>> + Send {
        health::recycle(
            &mut **conn,
            metrics,
            &self.health,
            self.opts.connect_timeout,
        )
    }
}

/// One SQLite connection, owned by its worker thread.
#[derive(Debug)]
pub(crate) struct SqliteConn {
    worker: Worker,
    /// What `insert` learnt about this connection's schema.
    aliases: Arc<Mutex<RowidAliases>>,
}

impl Conn for SqliteConn {
    fn backend(&self) -> Backend {
        Backend::SQLITE
    }

    /// In one job on the worker, without RETURNING where SQLite guarantees the keys (see `insert`).
    async fn insert_keys(&mut self, insert: KeyedInsert) -> Result<Vec<i64>> {
        let aliases = Arc::clone(&self.aliases);
        self.worker
            .run(move |c| insert::insert_keys(c, &insert, &aliases))
            .await
    }

    async fn execute(&mut self, st: Statement) -> Result<ExecResult> {
        self.worker.run(move |c| exec::execute(c, &st)).await
    }

    async fn fetch_all<T: FromRow>(&mut self, st: Statement) -> Result<Vec<T>> {
        self.worker.run(move |c| exec::fetch_all(c, &st)).await
    }

    async fn fetch_optional<T: FromRow>(&mut self, st: Statement) -> Result<Option<T>> {
        self.worker.run(move |c| exec::fetch_optional(c, &st)).await
    }

    async fn stream<T: FromRow>(&mut self, st: Statement, rows: &RowSink<T>) -> Result<u64> {
        stream::stream_rows(&mut self.worker, st, rows).await
    }

    async fn begin(&mut self, depth: u32, opts: TxOptions) -> Result<()> {
        self.worker
            .run(move |c| exec::begin(c, depth, opts.read_only))
            .await
    }

    async fn commit(&mut self, depth: u32) -> Result<()> {
        self.worker.run(move |c| exec::commit(c, depth)).await
    }

    async fn rollback(&mut self, depth: u32) -> Result<()> {
        self.worker.run(move |c| exec::rollback(c, depth)).await
    }

    fn is_reusable(&self) -> bool {
        self.worker.is_reusable()
    }

    async fn reset(&mut self) -> Result<()> {
        self.worker.interrupt_abandoned();
        self.worker.run(exec::reset).await
    }

    async fn ping(&mut self) -> Result<()> {
        self.worker.run(|_| Ok(())).await
    }
}
