//! The store behind the PostgreSQL and MySQL prepared-statement caches of one connection.
//!
//! Contract: entries are keyed by SQL text; a lookup marks its entry most recently used; inserting
//! into a full store evicts the least recently used entry and hands it back, so that the backend
//! can close it on the server. Capacity 0 disables the store: nothing is kept, every lookup misses.
//!
//! A statement run again and again on one connection is looked up without hashing or comparing its
//! text: the store remembers the entry of its last hit together with that lookup's text when the
//! text is static or shared (see [`SqlText::shares_text_with`]), and a lookup by the very same text
//! takes that entry. The remembered entry is always the most recently used one (any other lookup,
//! insert or removal forgets it), so such a hit leaves the order as a full lookup would.

use std::fmt;
use std::num::NonZeroUsize;

use lru::LruCache;
use orm_core::SqlText;

/// Prepared statements (with whatever a backend keeps beside them) of one connection, by SQL text.
pub(crate) struct StatementLru<S> {
    lru: Option<LruCache<Box<str>, S>>,
    /// The most recently used entry and the static or shared text it was last looked up by.
    last: Option<(SqlText, S)>,
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
            last: None,
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
        self.last = None;
        let (_, displaced) = self.lru.as_mut()?.push(sql.into(), statement)?;
        Some(displaced)
    }

    /// Forgets the statement for `sql` and returns it.
    #[cfg(any(test, feature = "postgres"))]
    pub(crate) fn remove(&mut self, sql: &str) -> Option<S> {
        self.last = None;
        self.lru.as_mut()?.pop(sql)
    }
}

impl<S: Clone> StatementLru<S> {
    /// The statement for `sql`, marked most recently used; borrowed, so that a hit costs no
    /// reference count.
    pub(crate) fn get(&mut self, sql: &SqlText) -> Option<&S> {
        let remembered = matches!(&self.last, Some((text, _)) if text.shares_text_with(sql));
        if !remembered {
            self.last = None;
            let statement = self.lru.as_mut()?.get(&**sql)?;
            if matches!(sql, SqlText::Owned(_)) {
                return Some(statement);
            }
            self.last = Some((sql.clone(), statement.clone()));
        }
        self.last.as_ref().map(|(_, statement)| statement)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn text(s: &'static str) -> SqlText {
        SqlText::Static(s)
    }

    #[test]
    fn evicts_the_least_recently_used_and_hands_it_back() {
        let mut store = StatementLru::new(2);
        assert_eq!(store.insert("a", 1), None);
        assert_eq!(store.insert("b", 2), None);
        assert_eq!(
            store.get(&text("a")),
            Some(&1),
            "a is now the most recently used"
        );
        assert_eq!(store.insert("c", 3), Some(2), "b is evicted");
        assert_eq!(store.get(&text("b")), None);
        assert_eq!(
            store.insert("c", 4),
            Some(3),
            "a new statement for the same text"
        );
        assert_eq!(store.remove("a"), Some(1));
        assert_eq!((store.len(), store.capacity()), (1, 2));
    }

    #[test]
    fn a_text_looked_up_again_finds_its_entry_as_a_full_lookup_would() {
        let shared = SqlText::Shared(Arc::from("a"));
        let mut store = StatementLru::new(2);
        store.insert("a", 1);
        store.insert("b", 2);
        for _ in 0..3 {
            assert_eq!(store.get(&shared), Some(&1));
            assert_eq!(store.get(&SqlText::Owned("a".into())), Some(&1));
        }
        assert_eq!(
            store.insert("c", 3),
            Some(2),
            "a stays the most recently used"
        );
        assert_eq!(store.get(&shared), Some(&1));
        assert_eq!(store.remove("a"), Some(1));
        assert_eq!(
            store.get(&shared),
            None,
            "a removed entry is not remembered"
        );
        store.insert("a", 4);
        assert_eq!(store.get(&shared), Some(&4), "nor is a replaced one");
        let mut one = StatementLru::new(1);
        one.insert("a", 1);
        assert_eq!(one.get(&shared), Some(&1));
        assert_eq!(one.insert("b", 2), Some(1));
        assert_eq!(one.get(&shared), None, "nor an evicted one");
    }

    #[test]
    fn capacity_zero_keeps_nothing() {
        let mut store = StatementLru::new(0);
        assert_eq!(store.insert("a", 1), None);
        assert_eq!(store.get(&text("a")), None);
        assert_eq!((store.len(), store.capacity()), (0, 0));
    }
}
