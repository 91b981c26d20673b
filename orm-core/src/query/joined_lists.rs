//! Select lists of joins over derived models, built once and shared.
//!
//! A join appends the joined model's columns, qualified with its table or alias, to the query's
//! select list. When that list is a shared `&'static` one (a derived model's
//! [`SELECT_LIST`](crate::Model::SELECT_LIST), or one made here), the result depends only on that
//! list, the joined model type and the qualifier (a `&'static str`). It is built once, leaked, and
//! shared by every later query with the same join, which then neither copies nor drops a list, and
//! whose SELECT text is found by one token for the whole list (see `select_sql`).
//!
//! Contract: [`joined`] returns `list` followed by the joined model's columns qualified with
//! `qualifier`, as built by its `make` argument, which it calls at most once per key. Keys are the
//! list's and the qualifier's addresses and lengths and the model type, bounded by the program's
//! models, joins and aliases (an equal qualifier at another address only makes another entry): the
//! store has no capacity and each list is leaked once.

use std::any::TypeId;
use std::cell::RefCell;

use crate::ast::Expr;
use crate::sql_texts::{Recent, SqlTexts, lookup};

/// The select list's address and length, the joined model and the qualifier's address and length.
type Key = (usize, usize, TypeId, usize, usize);

static LISTS: SqlTexts<Key, &'static [Expr]> = SqlTexts::new(usize::MAX);

thread_local! {
    static RECENT_LISTS: RefCell<Recent<(Key, &'static [Expr])>> = const {
        RefCell::new(Recent::new())
    };
}

/// `list` joined with the columns of `model` qualified with `qualifier`; `make` builds it the
/// first time.
pub(crate) fn joined(
    list: &'static [Expr],
    model: TypeId,
    qualifier: &'static str,
    make: impl FnOnce() -> Vec<Expr>,
) -> &'static [Expr] {
    let key = (
        list.as_ptr() as usize,
        list.len(),
        model,
        qualifier.as_ptr() as usize,
        qualifier.len(),
    );
    lookup(&RECENT_LISTS, &LISTS, key)
        .unwrap_or_else(|| LISTS.get_or_put_with(key, || Vec::leak(make())))
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    /// One address for the qualifier (equal literals need not share one).
    static POSTS: &str = "posts";

    static USERS: [Expr; 2] = [Expr::column("users", "id"), Expr::column("users", "name")];

    /// `USERS` joined with one `title` column of `qualifier`, counting the calls to `make`.
    fn with_posts<M: 'static>(qualifier: &'static str, made: &Cell<u32>) -> &'static [Expr] {
        joined(&USERS, TypeId::of::<M>(), qualifier, || {
            made.set(made.get() + 1);
            let mut list = USERS.to_vec();
            list.push(Expr::column(qualifier, "title"));
            list
        })
    }

    #[test]
    fn a_join_is_built_once_and_shared_per_list_model_and_qualifier() {
        struct Post;
        struct Comment;
        let made = Cell::new(0);
        let first = with_posts::<Post>(POSTS, &made);
        assert_eq!(first[..2], USERS);
        assert_eq!(first[2], Expr::column(POSTS, "title"));
        // Six lookups of the same join, past this thread's recent entries and back.
        for qualifier in ["p1", "p2", "p3", "p4", "p5"] {
            let aliased = with_posts::<Post>(qualifier, &made);
            assert_eq!(aliased[2], Expr::column(qualifier, "title"));
            assert!(!std::ptr::eq(aliased, first));
        }
        assert!(std::ptr::eq(with_posts::<Post>(POSTS, &made), first));
        assert_eq!(made.get(), 6, "one list per qualifier, none built twice");

        let other_model = with_posts::<Comment>(POSTS, &made);
        assert!(!std::ptr::eq(other_model, first));
        assert_eq!(made.get(), 7);

        let elsewhere = std::thread::spawn(|| with_posts::<Post>(POSTS, &Cell::new(0)));
        let elsewhere = elsewhere.join().ok();
        assert!(elsewhere.is_some_and(|list| std::ptr::eq(list, first)));
    }
}
