//! Bulk writes from a filtered query: `update().set(..)` reports the rows it matched (also those
//! whose value does not change), like the same UPDATE written by hand; `delete()` reports the rows
//! it deleted; a query with more than filters is refused.

use orm::prelude::*;

use crate::TestDb;
use crate::models::{Counter, Post, User};
use crate::suite::builder::{same, seed};

const LABELS: &[(&str, i64)] = &[
    ("a", 1),
    ("b", 5),
    ("c", 5),
    ("d", 0),
    ("é", 7),
    ("100%", 5),
    ("_", 2),
];

async fn counters(db: &Database) -> Result<Vec<(String, i64)>> {
    raw("SELECT label, count FROM counters ORDER BY id")
        .fetch_all(db)
        .await
}

/// Applies `f` to the mirrored rows that `keep` selects and returns how many it selected.
fn apply(
    mirror: &mut [(String, i64)],
    keep: impl Fn(&(String, i64)) -> bool,
    f: impl Fn(i64) -> i64,
) -> u64 {
    let mut n = 0;
    for row in mirror.iter_mut().filter(|r| keep(r)) {
        row.1 = f(row.1);
        n += 1;
    }
    n
}

pub async fn bulk_update_reports_rows_matched_like_hand_written_sql(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<Counter>().await?;
    let mut rows: Vec<Counter> = LABELS
        .iter()
        .map(|&(label, count)| Counter {
            id: 0,
            label: label.into(),
            count,
        })
        .collect();
    Counter::insert_many(db, &mut rows).await?;
    let mut mirror: Vec<(String, i64)> = LABELS.iter().map(|&(l, c)| (l.to_owned(), c)).collect();

    // count = count + 1 where count >= 5, by the builder, then the same by hand.
    let built = Counter::query()
        .filter(Counter::COUNT.ge(5))
        .update()
        .set(Counter::COUNT, Counter::COUNT + 1)
        .execute(db)
        .await?;
    assert_eq!(built, apply(&mut mirror, |r| r.1 >= 5, |c| c + 1));
    let hand = raw("UPDATE counters SET count = count + 1 WHERE count >= ?")
        .bind(5)
        .execute(db)
        .await?;
    assert_eq!(hand, apply(&mut mirror, |r| r.1 >= 5, |c| c + 1));
    same("rows matched by count + 1", built, hand);
    assert_eq!(counters(db).await?, mirror);

    // Values that do not change still count as matched, on every backend.
    let built = Counter::query()
        .filter(Counter::LABEL.in_list(["b", "c", "a"]))
        .update()
        .set(Counter::COUNT, Counter::COUNT * 1)
        .execute(db)
        .await?;
    let hand = raw("UPDATE counters SET count = count * 1 WHERE label IN (?, ?, ?)")
        .bind("b")
        .bind("c")
        .bind("a")
        .execute(db)
        .await?;
    assert_eq!(same("unchanged values", built, hand), 3);
    let built = Counter::query()
        .filter(Counter::LABEL.eq("é"))
        .update()
        .set(Counter::COUNT, 9)
        .execute(db)
        .await?;
    let hand = raw("UPDATE counters SET count = ? WHERE label = ?")
        .bind(9)
        .bind("é")
        .execute(db)
        .await?;
    assert_eq!(same("same value twice", built, hand), 1);
    apply(&mut mirror, |r| r.0 == "é", |_| 9);

    // A filter with wildcards in the data, an empty list, and no filter at all.
    let built = Counter::query()
        .filter(Counter::LABEL.contains("%").or(Counter::LABEL.eq("_")))
        .update()
        .set(Counter::COUNT, Counter::COUNT - 2)
        .execute(db)
        .await?;
    assert_eq!(
        built,
        apply(&mut mirror, |r| r.0.contains('%') || r.0 == "_", |c| c - 2)
    );
    let none = Counter::query()
        .filter(Counter::LABEL.in_list(Vec::<String>::new()))
        .update()
        .set(Counter::COUNT, 0)
        .execute(db)
        .await?;
    assert_eq!(none, 0);
    let every = Counter::query()
        .update()
        .set(Counter::COUNT, Counter::COUNT + 10)
        .execute(db)
        .await?;
    assert_eq!(every, apply(&mut mirror, |_| true, |c| c + 10));
    assert_eq!(counters(db).await?, mirror);

    // Filters may read other tables through subqueries.
    let s = seed(db).await?;
    let built = User::query()
        .filter(User::ID.in_subquery(Post::query().select(Post::USER_ID)))
        .update()
        .set(User::AGE, User::AGE + 1)
        .execute(db)
        .await?;
    let hand = raw("UPDATE users SET age = age - 1 WHERE id IN (SELECT user_id FROM posts)")
        .execute(db)
        .await?;
    let authors = s
        .users
        .iter()
        .filter(|u| s.posts.iter().any(|p| p.user_id == u.id))
        .count() as u64;
    assert_eq!(same("update through a subquery", built, hand), authors);
    let ages: Vec<(i32,)> = raw("SELECT age FROM users ORDER BY id")
        .fetch_all(db)
        .await?;
    assert_eq!(
        ages,
        s.users.iter().map(|u| (u.age,)).collect::<Vec<_>>(),
        "+1 then -1"
    );
    Ok(())
}

pub async fn bulk_delete_reports_rows_deleted_like_hand_written_sql(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = seed(db).await?;
    let mut left: Vec<i64> = s.posts.iter().map(|p| p.id).collect();
    let title = |id: &i64| {
        s.posts
            .iter()
            .find(|p| p.id == *id)
            .map(|p| p.title.clone())
    };

    let built = Post::query()
        .filter(Post::TITLE.contains("%"))
        .delete()
        .execute(db)
        .await?;
    let before = left.len();
    left.retain(|id| !title(id).is_some_and(|t| t.contains('%')));
    assert_eq!(built, (before - left.len()) as u64);
    let hand = raw("DELETE FROM posts WHERE body IS NULL")
        .execute(db)
        .await?;
    let before = left.len();
    left.retain(|id| s.posts.iter().any(|p| p.id == *id && p.body.is_some()));
    assert_eq!(hand, (before - left.len()) as u64);
    let nothing = Post::query()
        .filter(Post::TITLE.eq("no such title"))
        .delete()
        .execute(db)
        .await?;
    assert_eq!(nothing, 0);
    let remaining: Vec<(i64,)> = raw("SELECT id FROM posts ORDER BY id")
        .fetch_all(db)
        .await?;
    assert_eq!(remaining.into_iter().map(|r| r.0).collect::<Vec<_>>(), left);

    // Users without posts, through NOT EXISTS; then everything.
    let built = User::query()
        .filter(not_exists(
            Post::query()
                .correlate::<User>()
                .filter(Post::USER_ID.eq(User::ID)),
        ))
        .delete()
        .execute(db)
        .await?;
    let authors: Vec<i64> = s
        .users
        .iter()
        .filter(|u| {
            s.posts
                .iter()
                .any(|p| p.user_id == u.id && left.contains(&p.id))
        })
        .map(|u| u.id)
        .collect();
    assert_eq!(built, (s.users.len() - authors.len()) as u64);
    assert_eq!(
        User::query().delete().execute(db).await?,
        authors.len() as u64
    );
    assert_eq!(User::query().count(db).await?, 0);
    Ok(())
}

pub async fn bulk_writes_refuse_more_than_filters(t: &TestDb) -> Result<()> {
    let db = &t.db;
    db.create_table::<Counter>().await?;
    let refused = [
        Counter::query()
            .order_by(Counter::ID.asc())
            .update()
            .set(Counter::COUNT, 0)
            .execute(db)
            .await,
        Counter::query()
            .limit(1)
            .update()
            .set(Counter::COUNT, 0)
            .execute(db)
            .await,
        Counter::query()
            .update()
            .set(Counter::COUNT, 0)
            .set(Counter::COUNT, 1)
            .execute(db)
            .await,
        Counter::query().distinct().delete().execute(db).await,
        Counter::query().offset(2).delete().execute(db).await,
    ];
    for r in refused {
        assert!(matches!(r, Err(Error::InvalidQuery(_))), "{r:?}");
    }
    Ok(())
}
