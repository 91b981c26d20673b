//! The per-connection prepared-statement cache.
//!
//! Contract: statements are keyed by their SQL text and kept, with whether they control a
//! transaction (so that their text is examined once), in a least-recently-used cache of at
//! most `capacity` entries, so the server never holds more than that many of this connection's
//! statements. Dropping the last handle to a tokio-postgres `Statement` closes it on the server, so
//! an evicted statement is deallocated as soon as no running query uses it. Capacity 0 disables the
//! cache: every statement is prepared for one use and closed after it.

use std::num::NonZeroUsize;

use lru::LruCache;
use tokio_postgres::{Client, Statement};

use crate::instrument::first_keyword;

/// A prepared statement and whether it may open, end or nest a transaction block.
pub(crate) type Prepared = (Statement, bool);

/// Prepared statements of one connection.
pub(crate) struct StatementCache {
    lru: Option<LruCache<String, Prepared>>,
}

impl std::fmt::Debug for StatementCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatementCache")
            .field("len", &self.lru.as_ref().map_or(0, LruCache::len))
            .field("capacity", &self.lru.as_ref().map_or(0, |l| l.cap().get()))
            .finish()
    }
}

impl StatementCache {
    /// A cache holding at most `capacity` statements (none when 0).
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            lru: NonZeroUsize::new(capacity).map(LruCache::new),
        }
    }

    /// The cached statement for `sql`, if any (marked most recently used).
    pub(crate) fn get(&mut self, sql: &str) -> Option<Prepared> {
        self.lru.as_mut()?.get(sql).cloned()
    }

    /// A freshly prepared statement for `sql`, cached (evicting the least recently used statement
    /// when full).
    pub(crate) async fn prepare(
        &mut self,
        client: &Client,
        sql: &str,
    ) -> Result<Prepared, tokio_postgres::Error> {
        // On the heap: rare, and every statement's future embeds this one.
        let stmt = Box::pin(client.prepare(sql)).await?;
        let prepared = (stmt, is_transaction_control(sql));
        if let Some(lru) = &mut self.lru {
            lru.push(sql.to_owned(), prepared.clone());
        }
        Ok(prepared)
    }

    /// Forgets the statement for `sql` (closing it on the server).
    pub(crate) fn evict(&mut self, sql: &str) {
        if let Some(lru) = &mut self.lru {
            lru.pop(sql);
        }
    }

    /// Number of cached statements.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lru.as_ref().map_or(0, LruCache::len)
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
