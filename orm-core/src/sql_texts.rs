//! SQL texts rendered once and reused: for statements whose text depends only on a key (a model
//! type, the backend, a row count, ...), never on the values bound to it.
//!
//! Contract: [`SqlTexts::get`] hands out a clone of the text stored for a key (a `&'static str` for
//! a store of leaked texts, a shared handle for a store of shared ones); [`SqlTexts::put`] stores
//! one unless one is stored already, first emptying the store when it holds its capacity (programs
//! render a handful of shapes, so a full store is a program rendering unbounded ones);
//! [`SqlTexts::get_or_put_with`] does both under one lock. A store of leaked texts must have keys
//! bounded by the program itself (model types times backends) and no capacity, so that no text is
//! leaked twice. Safe to share between threads. The same store keeps other values built once per
//! key, such as joined select lists.
//!
//! [`Recent`] is what one thread keeps in front of a store: the few entries it used last, replaced
//! in turn, so that a hit there takes no lock and hashes nothing; [`lookup`] looks there first.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::hash::Hash;
use std::sync::{LazyLock, PoisonError, RwLock};
use std::thread::LocalKey;

type Map<K, T> = foldhash::HashMap<K, T>;

/// A process-wide store of rendered SQL texts of type `T` (see the module docs).
pub(crate) struct SqlTexts<K, T> {
    map: LazyLock<RwLock<Map<K, T>>>,
    capacity: usize,
}

impl<K: Hash + Eq, T: Clone> SqlTexts<K, T> {
    /// An empty store keeping at most `capacity` texts.
    pub(crate) const fn new(capacity: usize) -> Self {
        SqlTexts {
            map: LazyLock::new(RwLock::default),
            capacity,
        }
    }

    /// The text stored for `key` (or for a borrowed form of it, such as a slice of a boxed key).
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<T>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let map = self.map.read().unwrap_or_else(PoisonError::into_inner);
        map.get(key).cloned()
    }

    /// Stores `sql` for `key`.
    pub(crate) fn put(&self, key: K, sql: T) {
        self.put_with(key, || sql);
    }

    /// Stores `make()` for `key` unless a text is stored for it already (`make` is then not called).
    pub(crate) fn put_with(&self, key: K, make: impl FnOnce() -> T) {
        self.get_or_put_with(key, make);
    }

    /// The text stored for `key`, storing `make()` first unless one is stored already (`make` is
    /// then not called).
    pub(crate) fn get_or_put_with(&self, key: K, make: impl FnOnce() -> T) -> T {
        let mut map = self.map.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(stored) = map.get(&key) {
            return stored.clone();
        }
        if map.len() >= self.capacity {
            map.clear();
        }
        map.entry(key).or_insert_with(make).clone()
    }
}

/// The entry for `key`: from this thread's `recent` entries, else from `shared` (and then
/// remembered in `recent`). A thread being torn down has no recent entries and uses `shared`.
pub(crate) fn lookup<K: Copy + Hash + Eq + 'static, T: Copy + 'static>(
    recent: &'static LocalKey<RefCell<Recent<(K, T)>>>,
    shared: &SqlTexts<K, T>,
    key: K,
) -> Option<T> {
    let hit = recent
        .try_with(|r| r.borrow().find(|&(k, _)| k == key).map(|&(_, t)| t))
        .ok()
        .flatten();
    if hit.is_some() {
        return hit;
    }
    let stored = shared.get(&key)?;
    let _ = recent.try_with(|r| r.borrow_mut().remember((key, stored)));
    Some(stored)
}

/// The last [`RECENT`] entries one thread used, replaced in turn (see the module docs).
pub(crate) struct Recent<E> {
    entries: [Option<E>; RECENT],
    /// The slot filled next.
    next: usize,
}

/// How many entries a thread remembers.
pub(crate) const RECENT: usize = 4;

impl<E> Recent<E> {
    /// Remembers nothing yet.
    pub(crate) const fn new() -> Self {
        Recent {
            entries: [const { None }; RECENT],
            next: 0,
        }
    }

    /// The first remembered entry for which `hit` is true.
    pub(crate) fn find(&self, hit: impl Fn(&E) -> bool) -> Option<&E> {
        self.entries.iter().flatten().find(|e| hit(e))
    }

    /// Remembers `entry` in place of the oldest.
    pub(crate) fn remember(&mut self, entry: E) {
        self.entries[self.next] = Some(entry);
        self.next = (self.next + 1) % RECENT;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_at_most_its_capacity() {
        let texts = SqlTexts::<u8, Box<str>>::new(2);
        texts.put(1, "a".into());
        texts.put(2, "b".into());
        assert_eq!(texts.get(&1).as_deref(), Some("a"));
        texts.put(3, "c".into());
        assert_eq!(texts.get(&1), None, "emptied when full");
        assert_eq!(texts.get(&3).as_deref(), Some("c"));
    }
}
