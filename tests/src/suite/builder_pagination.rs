//! Pagination: `page` returns the same items as LIMIT/OFFSET written by hand, with the total and the
//! number of pages; keyset pagination (`keyset` / `after`) walks the whole table page by page in
//! exactly the order of one sorted query, for ascending, descending and mixed keys over duplicate and
//! non-ASCII values.

use orm::prelude::*;

use crate::TestDb;
use crate::models::User;
use crate::suite::builder::{firsts, same, seed};

pub async fn page_matches_hand_written_limit_offset(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = seed(db).await?;
    let per_page = 4u64;
    let total = s.users.len() as u64;
    let pages = total.div_ceil(per_page);
    let q = || {
        User::query()
            .order_by(User::AGE.desc())
            .order_by(User::ID.asc())
    };
    let mut seen = Vec::new();
    for page in 1..=pages + 1 {
        let built = q().page(db, page, per_page).await?;
        let hand: Vec<User> = raw("SELECT * FROM users ORDER BY age DESC, id ASC LIMIT ? OFFSET ?")
            .bind(per_page as i64)
            .bind(((page - 1) * per_page) as i64)
            .fetch_all(db)
            .await?;
        let (n,): (i64,) = raw("SELECT COUNT(*) FROM users").fetch_one(db).await?;
        assert_eq!(built.total, n as u64);
        assert_eq!(
            (built.page, built.per_page, built.pages),
            (page, per_page, pages)
        );
        seen.extend(same(&format!("page {page}"), built.items, hand));
    }
    same("every page", seen, q().all(db).await?);

    // With a filter, and past the end.
    let filtered = || {
        User::query()
            .filter(User::HAIR_COLOR.is_not_null())
            .order_by(User::NAME.asc())
            .order_by(User::ID.asc())
    };
    let p2 = filtered().page(db, 2, 3).await?;
    let hand: Vec<User> = raw(
        "SELECT * FROM users WHERE hair_color IS NOT NULL ORDER BY name ASC, id ASC LIMIT 3 OFFSET 3",
    )
    .fetch_all(db)
    .await?;
    let with_hair = s.users.iter().filter(|u| u.hair_color.is_some()).count() as u64;
    assert_eq!(same("filtered page", p2.items, hand).len(), 3);
    assert_eq!((p2.total, p2.pages), (with_hair, with_hair.div_ceil(3)));
    let past = filtered().page(db, 100, 3).await?;
    assert!(past.items.is_empty());
    assert_eq!(past.total, with_hair);
    let none = User::query()
        .filter(User::AGE.gt(1000))
        .page(db, 1, 10)
        .await?;
    assert_eq!((none.items.len(), none.total, none.pages), (0, 0, 0));
    assert!(matches!(
        q().page(db, 0, 10).await,
        Err(Error::InvalidQuery(_))
    ));
    Ok(())
}

/// Walks a keyset pagination to its end, `size` rows at a time, and returns the ids seen.
macro_rules! walk {
    ($db:expr, $base:expr, $keys:expr, |$u:ident| $last:expr, $size:expr) => {{
        let mut ids = Vec::new();
        let mut cursor = None;
        let mut pages = 0;
        loop {
            let page: Vec<User> = $base
                .after_opt($keys, cursor.clone())
                .limit($size)
                .all($db)
                .await?;
            if page.is_empty() {
                break;
            }
            pages += 1;
            assert!(pages <= 100, "keyset pagination does not end");
            cursor = page.last().map(|$u| $last);
            ids.extend(page.iter().map(|u| u.id));
        }
        ids
    }};
}

/// Ids of a hand-written query selecting `id`.
async fn hand_ids(db: &Database, sql: &'static str) -> Result<Vec<i64>> {
    Ok(firsts(raw(sql).fetch_all::<(i64,)>(db).await?))
}

pub async fn keyset_walks_the_table_in_one_query_order(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = seed(db).await?;

    // Ascending text then id: duplicates, case variants and non-ASCII, in code point order.
    let walked = walk!(
        db,
        User::query(),
        (Asc(User::NAME), Asc(User::ID)),
        |u| (u.name.clone(), u.id),
        3
    );
    let one = User::query()
        .keyset((Asc(User::NAME), Asc(User::ID)))
        .select(User::ID)
        .all(db)
        .await?;
    let hand = hand_ids(db, "SELECT id FROM users ORDER BY name ASC, id ASC").await?;
    let mut want = s.users.clone();
    want.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let want: Vec<i64> = want.iter().map(|u| u.id).collect();
    assert_eq!(same("name, id", one.clone(), hand), want);
    assert_eq!(walked, one, "walk by (name, id)");

    // Mixed directions.
    let walked = walk!(
        db,
        User::query(),
        (Desc(User::AGE), Asc(User::ID)),
        |u| (u.age, u.id),
        4
    );
    let hand = hand_ids(db, "SELECT id FROM users ORDER BY age DESC, id ASC").await?;
    let mut want = s.users.clone();
    want.sort_by(|a, b| b.age.cmp(&a.age).then(a.id.cmp(&b.id)));
    let want: Vec<i64> = want.iter().map(|u| u.id).collect();
    assert_eq!(same("walk by (age desc, id asc)", walked, hand), want);

    // Descending on both keys (a row comparison on PostgreSQL and SQLite).
    let walked = walk!(
        db,
        User::query(),
        (Desc(User::AGE), Desc(User::ID)),
        |u| (u.age, u.id),
        5
    );
    let hand = hand_ids(db, "SELECT id FROM users ORDER BY age DESC, id DESC").await?;
    same("walk by (age desc, id desc)", walked, hand);

    // Three keys, with a filter.
    let base = User::query().filter(User::AGE.ge(19));
    let walked = walk!(
        db,
        base.clone(),
        (Asc(User::AGE), Desc(User::NAME), Asc(User::ID)),
        |u| (u.age, u.name.clone(), u.id),
        2
    );
    let hand = hand_ids(
        db,
        "SELECT id FROM users WHERE age >= 19 ORDER BY age ASC, name DESC, id ASC",
    )
    .await?;
    same("walk by (age, name desc, id) where age >= 19", walked, hand);

    // A single unique key, one row per page.
    let walked = walk!(db, User::query(), User::ID, |u| u.id, 1);
    assert_eq!(walked, s.user_ids(|_| true));
    Ok(())
}
