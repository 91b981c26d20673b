//! Streaming a PostgreSQL result: each row is decoded and handed over as tokio-postgres reads it.
//!
//! Contract:
//! - Memory stays bounded: the connection's socket is read only while the stream is polled (on the
//!   reader's task, see `drive`), tokio-postgres stops reading once it holds a batch of rows nobody
//!   took from its `RowStream`, and this side takes the next row only once the reader took the
//!   previous one.
//! - The connection is in flight from before the statement is sent until its result is read to the
//!   end. After a decode error the rest of the result is read and discarded before the error is
//!   returned: the connection's socket is read only by its user, so a result left unread would
//!   keep the server mid-query while the connection sat in the pool (as in `fetch_all`).
//! - A stream dropped midway leaves the connection marked in flight: later statements on the same
//!   connection still run (the connection reads and discards the abandoned rows first), but the
//!   pool does not reuse it; discarding it cancels the query on the server if it is still running.

use std::pin::pin;

use futures_util::TryStreamExt;
use orm_core::{FromRow, Result, Statement};

use super::PgConn;
use super::row::PgRow;
use crate::stream::RowSink;

impl PgConn {
    /// Runs `st` and hands each decoded row to `sink`; see the module docs.
    pub(super) async fn stream_rows<T: FromRow>(
        &mut self,
        st: &Statement,
        sink: &RowSink<T>,
    ) -> Result<u64> {
        self.run_with(st, async move |rows| {
            // After a decode error the rest is read and discarded (see the module docs).
            let mut rows = pin!(rows);
            let mut sent = 0;
            let mut failed = None;
            while let Some(row) = rows.try_next().await? {
                if failed.is_some() {
                    continue;
                }
                match T::from_row(&PgRow(&row)) {
                    Ok(row) => sink.send(row).await,
                    Err(e) => failed = Some(e),
                }
                sent += 1;
            }
            Ok(failed.map_or(Ok(sent), Err))
        })
        .await
    }
}
