//! Streaming a MySQL/MariaDB result over the binary protocol: each row is decoded and handed over
//! as mysql_async reads it.
//!
//! Contract:
//! - Memory stays bounded: mysql_async reads the socket only as rows are asked for, and this side
//!   asks for the next row only once the reader took the previous one.
//! - The command is in flight from before it is written until every result set is read, as for any
//!   command. A decode error stops decoding; the rest of the result is then read and discarded, so
//!   the error is reported with the connection clean.
//! - Once the statement has been sent, what is left is a pending result that mysql_async itself
//!   reads and discards before the connection's next command. So a stream dropped after that point
//!   clears the in-flight mark: the connection stays usable, and its next command first drains the
//!   abandoned rows. A stream dropped earlier (while the statement was being prepared or sent), or
//!   any dropped stream when the statement cache is disabled (its prepared statement must be closed),
//!   leaves the mark set: the connection is refused and discarded as after any abandoned command.

use futures_util::TryStreamExt;
use mysql_async::Row;
use mysql_async::prelude::Queryable;
use orm_core::{FromRow, Result, SqlText, Statement};

use super::{MySqlConn, check_param_count, close_uncached};
use crate::mysql::cache::StatementCache;
use crate::mysql::row::MySqlRow;
use crate::mysql::value::to_params;
use crate::stream::RowSink;

/// Clears the in-flight mark when dropped once armed: the statement was sent and only a result that
/// mysql_async can drain by itself is left.
struct Sent<'a> {
    in_flight: &'a mut bool,
    armed: bool,
}

impl Drop for Sent<'_> {
    fn drop(&mut self) {
        if self.armed {
            *self.in_flight = false;
        }
    }
}

impl MySqlConn {
    /// Runs `st` and hands each decoded row to `sink`; see the module docs.
    pub(super) async fn stream_rows<T: FromRow>(
        &mut self,
        st: Statement,
        sink: &RowSink<T>,
    ) -> Result<u64> {
        let params = to_params(st.params)?;
        self.start()?;
        let mut sent = Sent {
            in_flight: &mut self.in_flight,
            armed: false,
        };
        let outcome = prepare_and_read(
            &mut self.conn,
            &mut self.cache,
            &st.sql,
            params,
            sink,
            &mut sent.armed,
        )
        .await;
        drop(sent);
        let (decoded, handed) = self.finish(outcome)?;
        decoded.map(|()| handed)
    }
}

/// Prepares (or takes from the cache) and runs one statement, handing the rows of its first result
/// set to `sink` and reading the rest. Sets `sent` once only a drainable result is left (with a
/// statement cache; without one the statement still has to be closed).
async fn prepare_and_read<T: FromRow>(
    conn: &mut mysql_async::Conn,
    cache: &mut StatementCache,
    sql: &SqlText,
    params: mysql_async::Params,
    sink: &RowSink<T>,
    sent: &mut bool,
) -> std::result::Result<(Result<()>, u64), mysql_async::Error> {
    let stmt = cache.prepare(conn, sql).await?;
    check_param_count(&stmt, &params)?;
    let cached = cache.capacity() > 0;
    let outcome = async {
        let mut result = conn.exec_iter(&stmt, params).await?;
        *sent = cached;
        let mut decoded = Ok(());
        let mut handed = 0;
        let columns = result.columns();
        let columns = columns.as_deref().unwrap_or_default();
        if let Some(mut rows) = result.stream::<Row>().await? {
            while let Some(row) = rows.try_next().await? {
                let decoded_row = T::from_row(&MySqlRow::new(row, columns));
                match decoded_row {
                    Ok(row) => {
                        sink.send(row).await;
                        handed += 1;
                    }
                    Err(e) => {
                        decoded = Err(e);
                        break;
                    }
                }
            }
        }
        result.drop_result().await?;
        Ok((decoded, handed))
    }
    .await;
    if cached {
        return outcome;
    }
    close_uncached(conn, stmt, outcome).await
}
