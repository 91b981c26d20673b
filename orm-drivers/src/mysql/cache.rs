//! The per-connection prepared-statement cache.
//!
//! Contract: statements are keyed by their SQL text and kept in a least-recently-used cache of at
//! most `capacity` entries. The statement evicted to make room is closed on the server
//! (`COM_STMT_CLOSE`) right after the new one is prepared, so the server never holds more than
//! `capacity` of this connection's statements. mysql_async's own cache stays disabled: it re-scans
//! the SQL text for named parameters on every lookup, where a hit here is at most one hash
//! lookup. Capacity 0 disables the cache: the caller closes each statement after its one use.

use mysql_async::Statement;
use mysql_async::prelude::Queryable;
use orm_core::SqlText;

use crate::statement_lru::StatementLru;

/// Prepared statements of one connection.
#[derive(Debug)]
pub(super) struct StatementCache {
    lru: StatementLru<Statement>,
}

impl StatementCache {
    /// A cache holding at most `capacity` statements (none when 0).
    pub(super) fn new(capacity: usize) -> Self {
        Self {
            lru: StatementLru::new(capacity),
        }
    }

    /// Most statements held; 0 when the cache is disabled.
    pub(super) fn capacity(&self) -> usize {
        self.lru.capacity()
    }

    /// The cached statement for `sql`, if any (marked most recently used).
    pub(super) fn get(&mut self, sql: &SqlText) -> Option<&Statement> {
        self.lru.get(sql)
    }

    /// A freshly prepared statement for `sql`, cached (closing the least recently used statement
    /// when full).
    pub(super) async fn prepare(
        &mut self,
        conn: &mut mysql_async::Conn,
        sql: &str,
    ) -> Result<Statement, mysql_async::Error> {
        // On the heap: a hit never polls it, and every statement's future embeds this one.
        let stmt = Box::pin(conn.prep(sql)).await?;
        if let Some(evicted) = self.lru.insert(sql, stmt.clone()) {
            conn.close(evicted).await?;
        }
        Ok(stmt)
    }

    /// Number of cached statements.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.lru.len()
    }
}
