//! The store behind the PostgreSQL and MySQL prepared-statement caches of one connection.
//!
//! Contract: entries are keyed by SQL text; a lookup marks its entry most recently used; inserting
//! into a full store evicts the least recently used entry and hands it back, so that the backend
//! can close it on the server. Capacity 0 disables the store: nothing is kept, every lookup misses.

use std::fmt;
use std::num::NonZeroUsize;

use lru::LruCache;

/// Prepared statements (with whatever a backend keeps beside them) of one connection, by SQL text.
pub(crate) struct StatementLru<S> {
    lru: Option<LruCache<Box<str>, S>>,
}

impl<S> fmt::Debug for StatementLru<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StatementLru")
            .field("len", &self.len())
            .field("capacity", &self.capacity())
            .finish()
    }
}

impl<S> StatementLru<S> {
    /// A store of at most `capacity` statements (none when 0).
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            lru: NonZeroUsize::new(capacity).map(LruCache::new),
        }
    }

    /// Most statements held; 0 when disabled.
    pub(crate) fn capacity(&self) -> usize {
        self.lru.as_ref().map_or(0, |l| l.cap().get())
    }

    /// Statements held now.
    pub(crate) fn len(&self) -> usize {
        self.lru.as_ref().map_or(0, LruCache::len)
    }

    /// Keeps `statement` for `sql` (unless disabled) and returns the entry it displaced: the least
    /// recently used one when the store was full, or an earlier statement for the same text.
    pub(crate) fn insert(&mut self, sql: &str, statement: S) -> Option<S> {
        let (_, displaced) = self.lru.as_mut()?.push(sql.into(), statement)?;
        Some(displaced)
    }

    /// Forgets the statement for `sql` and returns it.
    #[cfg(any(test, feature = "postgres"))]
    pub(crate) fn remove(&mut self, sql: &str) -> Option<S> {
        self.lru.as_mut()?.pop(sql)
    }
}

impl<S: Clone> StatementLru<S> {
    /// The statement for `sql`, marked most recently used.
    pub(crate) fn get(&mut self, sql: &str) -> Option<S> {
        self.lru.as_mut()?.get(sql).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_the_least_recently_used_and_hands_it_back() {
        let mut store = StatementLru::new(2);
        assert_eq!(store.insert("a", 1), None);
        assert_eq!(store.insert("b", 2), None);
        assert_eq!(store.get("a"), Some(1), "a is now the most recently used");
        assert_eq!(store.insert("c", 3), Some(2), "b is evicted");
        assert_eq!(store.get("b"), None);
        assert_eq!(
            store.insert("c", 4),
            Some(3),
            "a new statement for the same text"
        );
        assert_eq!(store.remove("a"), Some(1));
        assert_eq!((store.len(), store.capacity()), (1, 2));
    }

    #[test]
    fn capacity_zero_keeps_nothing() {
        let mut store = StatementLru::new(0);
        assert_eq!(store.insert("a", 1), None);
        assert_eq!(store.get("a"), None);
        assert_eq!((store.len(), store.capacity()), (0, 0));
    }
}
