//! SQL texts rendered once and reused: for statements whose text depends only on a key (a model
//! type, the backend, a row count, ...), never on the values bound to it.
//!
//! Contract: [`SqlTexts::get`] hands out a copy of the text stored for a key; [`SqlTexts::put`]
//! stores one, first emptying the store when it holds its capacity (programs render a handful of
//! shapes, so a full store is a program rendering unbounded ones). Safe to share between threads.

use std::hash::Hash;
use std::sync::{LazyLock, PoisonError, RwLock};

type Map<K> = foldhash::HashMap<K, Box<str>>;

/// A process-wide store of rendered SQL texts (see the module docs).
pub(crate) struct SqlTexts<K> {
    map: LazyLock<RwLock<Map<K>>>,
    capacity: usize,
}

impl<K: Hash + Eq> SqlTexts<K> {
    /// An empty store keeping at most `capacity` texts.
    pub(crate) const fn new(capacity: usize) -> Self {
        SqlTexts {
            map: LazyLock::new(RwLock::default),
            capacity,
        }
    }

    /// The text stored for `key`.
    pub(crate) fn get(&self, key: &K) -> Option<String> {
        let map = self.map.read().unwrap_or_else(PoisonError::into_inner);
        map.get(key).map(|sql| String::from(&**sql))
    }

    /// Stores `sql` for `key`.
    pub(crate) fn put(&self, key: K, sql: &str) {
        let mut map = self.map.write().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= self.capacity {
            map.clear();
        }
        map.insert(key, sql.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_at_most_its_capacity() {
        let texts = SqlTexts::<u8>::new(2);
        texts.put(1, "a");
        texts.put(2, "b");
        assert_eq!(texts.get(&1).as_deref(), Some("a"));
        texts.put(3, "c");
        assert_eq!(texts.get(&1), None, "emptied when full");
        assert_eq!(texts.get(&3).as_deref(), Some("c"));
    }
}
