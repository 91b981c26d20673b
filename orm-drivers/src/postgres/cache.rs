//! The per-connection prepared-statement cache.
//!
//! Contract: statements are keyed by their SQL text and kept, with whether they control a
//! transaction (so that their text is examined once), in a least-recently-used cache of at
//! most `capacity` entries, so the server never holds more than that many of this connection's
//! statements. Dropping the last handle to a tokio-postgres `Statement` closes it on the server, so
//! an evicted statement is deallocated as soon as no running query uses it. Capacity 0 disables the
//! cache: every statement is prepared for one use and closed after it.

use orm_core::SqlText;
use tokio_postgres::{Client, Statement};

use crate::instrument::first_keyword;
use crate::statement_lru::StatementLru;

/// A prepared statement and whether it may open, end or nest a transaction block.
pub(crate) type Prepared = (Statement, bool);

/// Prepared statements of one connection.
#[derive(Debug)]
pub(crate) struct StatementCache {
    lru: StatementLru<Prepared>,
}

impl StatementCache {
    /// A cache holding at most `capacity` statements (none when 0).
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            lru: StatementLru::new(capacity),
        }
    }

    /// The cached statement for `sql`, if any (marked most recently used).
    pub(crate) fn get(&mut self, sql: &SqlText) -> Option<&Prepared> {
        self.lru.get(sql)
    }

    /// A freshly prepared statement for `sql`, cached (evicting the least recently used statement
    /// when full; dropping it closes it once no query uses it).
    pub(crate) async fn prepare(
        &mut self,
        client: &Client,
        sql: &str,
    ) -> Result<Prepared, tokio_postgres::Error> {
        // On the heap: rare, and every statement's future embeds this one.
        let stmt = Box::pin(client.prepare(sql)).await?;
        let prepared = (stmt, is_transaction_control(sql));
        drop(self.lru.insert(sql, prepared.clone()));
        Ok(prepared)
    }

    /// Forgets the statement for `sql` (closing it on the server).
    pub(crate) fn evict(&mut self, sql: &str) {
        drop(self.lru.remove(sql));
    }

    /// Number of cached statements.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lru.len()
    }
}

/// `true` for a statement that may open, end or nest a transaction block.
fn is_transaction_control(sql: &str) -> bool {
    const CONTROL: [&str; 9] = [
        "BEGIN",
        "START",
        "COMMIT",
        "END",
        "ROLLBACK",
        "ABORT",
        "SAVEPOINT",
        "RELEASE",
        "PREPARE",
    ];
    let keyword = first_keyword(sql);
    CONTROL.iter().any(|c| c.eq_ignore_ascii_case(keyword))
}
