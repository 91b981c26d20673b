//! Streaming a SQLite result: the worker thread steps the statement and decodes its rows in batches
//! of [`BATCH`], handing each batch over a bounded channel; the async side hands the rows on one by
//! one.
//!
//! Contract:
//! - Memory stays bounded: the worker blocks while [`BATCHES_AHEAD`] batches wait to be read, so it
//!   never runs more than that ahead of the reader.
//! - A decode or step error is reported after the rows decoded before it.
//! - The job is in flight until its answer is read. A stream dropped midway closes the channel, which
//!   stops the worker at its next batch; the statement is reset, and the connection's next job runs
//!   after it. A read-only statement, or any statement outside a transaction, is also interrupted so
//!   that a long step ends promptly (interrupting a write inside a transaction would roll the whole
//!   transaction back, so those finish their step). As after any abandoned job, the connection is
//!   then reset before the pool reuses it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use orm_core::{FromRow, Result, Statement};
use rusqlite::Connection;
use tokio::sync::mpsc;

use super::error;
use super::exec::prepare;
use super::row::SqliteRow;
use super::worker::Worker;
use crate::stream::RowSink;

/// Rows per batch sent from the worker thread.
const BATCH: usize = 256;

/// Batches the worker may decode ahead of the reader.
const BATCHES_AHEAD: usize = 2;

/// Interrupts the statement of a job whose answer was never read, when that is safe.
struct Abandoned<'w> {
    worker: &'w mut Worker,
    /// Set by the worker once the statement is prepared: it is read-only or runs outside a
    /// transaction.
    interruptible: Arc<AtomicBool>,
    answered: bool,
}

impl Drop for Abandoned<'_> {
    fn drop(&mut self) {
        if !self.answered && self.interruptible.load(Ordering::Acquire) {
            self.worker.interrupt_abandoned();
        }
    }
}

/// Runs `st` on `worker` and hands each decoded row to `sink`; see the module docs.
pub(super) async fn stream_rows<T: FromRow>(
    worker: &mut Worker,
    st: Statement,
    sink: &RowSink<T>,
) -> Result<u64> {
    let (batches, mut incoming) = mpsc::channel(BATCHES_AHEAD);
    let interruptible = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&interruptible);
    let answer = worker.submit(move |conn| produce::<T>(conn, &st, &batches, &flag))?;
    let mut job = Abandoned {
        worker,
        interruptible,
        answered: false,
    };
    let mut handed = 0;
    while let Some(batch) = incoming.recv().await {
        for row in batch {
            sink.send(row).await;
            handed += 1;
        }
    }
    let out = answer.await.map_err(|_| job.worker.stopped_error())?;
    job.answered = true;
    job.worker.answered();
    out.map(|()| handed)
}

/// On the worker thread: steps `st`, decoding rows into batches sent over `batches` (blocking while
/// it is full). Stops early once the receiver is gone. Sets `interruptible` (see [`Abandoned`]).
fn produce<T: FromRow>(
    conn: &Connection,
    st: &Statement,
    batches: &mpsc::Sender<Vec<T>>,
    interruptible: &AtomicBool,
) -> Result<()> {
    let mut stmt = prepare(conn, &st.sql, &st.params)?;
    interruptible.store(stmt.readonly() || conn.is_autocommit(), Ordering::Release);
    let mut rows = stmt.raw_query();
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        let next = match rows.next() {
            Ok(Some(row)) => T::from_row(&SqliteRow(row)).map(Some),
            Ok(None) => Ok(None),
            Err(e) => Err(error::map(e)),
        };
        match next {
            Ok(Some(row)) => {
                batch.push(row);
                if batch.len() == BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    if batches.blocking_send(full).is_err() {
                        return Ok(());
                    }
                }
            }
            Ok(None) => {
                if !batch.is_empty() {
                    let _ = batches.blocking_send(batch);
                }
                return Ok(());
            }
            Err(e) => {
                if !batch.is_empty() {
                    let _ = batches.blocking_send(batch);
                }
                return Err(e);
            }
        }
    }
}
