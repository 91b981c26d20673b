//! Streaming a PostgreSQL result: each row is decoded and handed over as tokio-postgres reads it.
//!
//! Contract:
//! - Memory stays bounded: the connection's socket is read only while the stream is polled (on the
//!   reader's task, see `drive`), tokio-postgres stops reading once it holds a batch of rows nobody
//!   took from its `RowStream`, and this side takes the next row only once the reader took the
//!   previous one.
//! - The connection is in flight from before the statement is sent until its result is read to the
//!   end. A decode error stops reading and drops tokio-postgres' `RowStream`, which discards the
//!   rest of the result on its own, so the connection stays usable (as in `fetch_all`).
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
        self.in_flight = true;
        let rows = match self.start(st).await {
            Ok(rows) => rows,
            Err(e) => {
                self.in_flight = false;
                return Err(e);
            }
        };
        let read = self
            .io
            .drive(async {
                let mut rows = pin!(rows);
                let mut sent = 0;
                while let Some(row) = rows.try_next().await? {
                    match T::from_row(&PgRow(&row)) {
                        Ok(row) => sink.send(row).await,
                        Err(e) => return Ok(Err(e)),
                    }
                    sent += 1;
                }
                Ok(Ok(sent))
            })
            .await;
        self.in_flight = false;
        read.unwrap_or_else(|e| Err(self.fail(e)))
    }
}
