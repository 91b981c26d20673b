//! The SQL texts of `find`, per model type and backend: rendered once for the life of the program
//! (a text depends on neither the key values nor anything else that changes at run time) and
//! handed out without a copy.
//!
//! Contract: [`get`] returns the text stored for a model type and backend; [`put_with`] stores one,
//! leaked, unless one is stored already. The keys are bounded by the program's model types times
//! the backends, so the store has no capacity and each text is leaked once. Every thread also
//! remembers the few texts it used last and looks there first: a hit takes no lock and hashes
//! nothing.

use std::any::TypeId;
use std::cell::RefCell;

use crate::dialect::Backend;
use crate::sql_texts::{Recent, SqlTexts, lookup};

/// A model type and a backend.
pub(crate) type Key = (TypeId, Backend);

static SHARED: SqlTexts<Key, &'static str> = SqlTexts::new(usize::MAX);

thread_local! {
    static RECENT_TEXTS: RefCell<Recent<(Key, &'static str)>> = const {
        RefCell::new(Recent::new())
    };
}

/// The text stored for `key`.
pub(crate) fn get(key: Key) -> Option<&'static str> {
    lookup(&RECENT_TEXTS, &SHARED, key)
}

/// Stores `make()`, leaked, for `key` unless a text is stored for it already (`make` is then not
/// called).
pub(crate) fn put_with(key: Key, make: impl FnOnce() -> String) {
    SHARED.put_with(key, || Box::leak(make().into_boxed_str()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_remembers_its_last_texts_and_falls_back_to_the_shared_store() {
        struct A;
        struct B;
        let keys: Vec<Key> = [TypeId::of::<A>(), TypeId::of::<B>()]
            .into_iter()
            .flat_map(|t| [Backend::POSTGRES, Backend::MYSQL, Backend::SQLITE].map(|b| (t, b)))
            .collect();
        for (i, &key) in keys.iter().enumerate() {
            assert_eq!(get(key), None);
            put_with(key, || format!("text {i}"));
            put_with(key, || unreachable!("stored already"));
        }
        // Six keys through four recent slots, twice over: every lookup gets its own text.
        for _ in 0..2 {
            for (i, &key) in keys.iter().enumerate() {
                assert_eq!(get(key), Some(format!("text {i}").as_str()));
            }
        }
        let other = std::thread::spawn(move || get(keys[5]).map(str::len));
        assert_eq!(other.join().ok().flatten(), Some("text 5".len()));
    }
}
