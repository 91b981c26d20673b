//! Expressions over several tables: arithmetic between columns of joined tables and aliases,
//! `coalesce` with column and expression fallbacks, and sixteen-column selections, each checked
//! against the same query written by hand and against the answer computed from the seed. The
//! explicitly typed results also pin nullability at compile time: an expression reading a left-joined
//! table is an `Option`, a `coalesce` is one only when every argument may be NULL.

use orm::prelude::*;

use crate::TestDb;
use crate::models::{Employee, Post, User};
use crate::suite::builder::{Seed, ascii_upper, char_length, firsts, int_div, same, seed, sql};

/// The boss of `e` in the seed.
fn boss_of<'a>(s: &'a Seed, e: &Employee) -> Option<&'a Employee> {
    s.employees.iter().find(|b| Some(b.id) == e.boss_id)
}

/// `u`'s posts in the seed, in id order.
fn posts_of<'a>(s: &'a Seed, u: &User) -> Vec<&'a Post> {
    s.posts.iter().filter(|p| p.user_id == u.id).collect()
}

pub async fn arithmetic_across_tables_matches_hand_written_sql(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = &seed(db).await?;
    let k = t.kind();
    let boss = Employee::alias("boss");

    // An inner self-join: both copies are present, so the results are plain integers.
    type Diffs = (i64, i64, i64, i64);
    let built: Vec<Diffs> = Employee::query()
        .inner_join_alias(boss, boss.col(Employee::ID).eq(Employee::BOSS_ID))
        .filter((Employee::SALARY - boss.col(Employee::SALARY)).gt(-100))
        .select((
            Employee::ID,
            Employee::SALARY - boss.col(Employee::SALARY),
            boss.col(Employee::SALARY) / Employee::SALARY,
            boss.col(Employee::SALARY) % Employee::SALARY,
        ))
        .order_by(Employee::ID.asc())
        .all(db)
        .await?;
    let hand: Vec<Diffs> = sql(format!(
        "SELECT e.id, e.salary - b.salary, b.salary {div} e.salary, b.salary % e.salary \
         FROM employees AS e INNER JOIN employees AS b ON b.id = e.boss_id \
         WHERE e.salary - b.salary > ? ORDER BY e.id",
        div = int_div(k),
    ))
    .bind(-100)
    .fetch_all(db)
    .await?;
    let want: Vec<Diffs> = s
        .employees
        .iter()
        .filter_map(|e| boss_of(s, e).map(|b| (e, b)))
        .filter(|(e, b)| e.salary - b.salary > -100)
        .map(|(e, b)| {
            (
                e.id,
                e.salary - b.salary,
                b.salary / e.salary,
                b.salary % e.salary,
            )
        })
        .collect();
    assert!(want.len() >= 3, "the seed has employees with bosses");
    assert_eq!(same("inner self-join arithmetic", built, hand), want);

    // A left self-join: anything reading the boss is an `Option`, even over NOT NULL columns.
    type Gaps = (i64, Option<i64>, Option<f64>);
    let built: Vec<Gaps> = Employee::query()
        .left_join_alias(boss, boss.col(Employee::ID).eq(Employee::BOSS_ID))
        .select((
            Employee::ID,
            boss.col(Employee::SALARY) - Employee::SALARY,
            Employee::RATING * boss.col(Employee::RATING) - boss.col(Employee::RATING),
        ))
        .order_by(Employee::ID.asc())
        .all(db)
        .await?;
    let hand: Vec<Gaps> = raw(
        "SELECT e.id, b.salary - e.salary, e.rating * b.rating - b.rating \
         FROM employees AS e LEFT JOIN employees AS b ON b.id = e.boss_id ORDER BY e.id",
    )
    .fetch_all(db)
    .await?;
    let want: Vec<Gaps> = s
        .employees
        .iter()
        .map(|e| {
            let b = boss_of(s, e);
            (
                e.id,
                b.map(|b| b.salary - e.salary),
                b.and_then(|b| Some(e.rating? * b.rating? - b.rating?)),
            )
        })
        .collect();
    assert!(want.iter().any(|g| g.1.is_none()) && want.iter().any(|g| g.2.is_some()));
    assert_eq!(same("left self-join arithmetic", built, hand), want);

    // Two models: arithmetic in the ON clause and in the selection of a left join.
    let built: Vec<(i64, Option<i64>)> = User::query()
        .left_join::<Post>(Post::USER_ID.eq(User::ID).and((Post::ID - User::ID).gt(0)))
        .select((User::ID, Post::ID * 2 - User::ID))
        .order_by(User::ID.asc())
        .order_by(Post::ID.asc())
        .all(db)
        .await?;
    let hand: Vec<(i64, Option<i64>)> = raw("SELECT u.id, p.id * 2 - u.id FROM users AS u \
         LEFT JOIN posts AS p ON p.user_id = u.id AND p.id - u.id > ? ORDER BY u.id, p.id")
    .bind(0)
    .fetch_all(db)
    .await?;
    let want: Vec<(i64, Option<i64>)> = s
        .users
        .iter()
        .flat_map(|u| {
            let ps: Vec<Option<i64>> = posts_of(s, u)
                .into_iter()
                .filter(|p| p.id - u.id > 0)
                .map(|p| Some(p.id * 2 - u.id))
                .collect();
            if ps.is_empty() { vec![None] } else { ps }
                .into_iter()
                .map(move |v| (u.id, v))
        })
        .collect();
    assert_eq!(same("users and posts arithmetic", built, hand), want);

    // A correlated subquery subtracting an outer column: bosses paid less than one of their reports.
    let report = Employee::alias("report");
    let built: Vec<i64> = Employee::query()
        .filter(exists(
            report
                .query()
                .correlate::<Employee>()
                .filter(report.col(Employee::BOSS_ID).eq(Employee::ID))
                .filter((report.col(Employee::SALARY) - Employee::SALARY).gt(0)),
        ))
        .select(Employee::ID)
        .order_by(Employee::ID.asc())
        .all(db)
        .await?;
    let hand = firsts(
        raw(
            "SELECT id FROM employees WHERE EXISTS (SELECT 1 FROM employees AS r \
             WHERE r.boss_id = employees.id AND r.salary - employees.salary > ?) ORDER BY id",
        )
        .bind(0)
        .fetch_all::<(i64,)>(db)
        .await?,
    );
    let want: Vec<i64> = s
        .employees
        .iter()
        .filter(|b| {
            s.employees
                .iter()
                .any(|r| r.boss_id == Some(b.id) && r.salary - b.salary > 0)
        })
        .map(|b| b.id)
        .collect();
    assert!(!want.is_empty());
    assert_eq!(same("correlated arithmetic", built, hand), want);
    Ok(())
}

pub async fn coalesce_fallbacks_match_hand_written_sql(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = &seed(db).await?;
    let k = t.kind();

    // A column of the same table.
    let built: Vec<String> = User::query()
        .select(User::HAIR_COLOR.coalesce(User::NAME))
        .order_by(User::ID.asc())
        .all(db)
        .await?;
    let hand = firsts(
        raw("SELECT COALESCE(hair_color, name) FROM users ORDER BY id")
            .fetch_all::<(String,)>(db)
            .await?,
    );
    let want: Vec<String> = s
        .users
        .iter()
        .map(|u| u.hair_color.clone().unwrap_or_else(|| u.name.clone()))
        .collect();
    assert_eq!(same("same-table coalesce", built, hand), want);

    // Columns of both sides of a left join, an expression, and a chain with a final value.
    type Row = (
        i64,
        Option<i64>,
        Option<String>,
        String,
        String,
        Option<String>,
        String,
    );
    let built: Vec<Row> = User::query()
        .left_join::<Post>(Post::USER_ID.eq(User::ID))
        .select((
            User::ID,
            Post::ID,
            Post::BODY.coalesce(User::HAIR_COLOR),
            Post::TITLE.coalesce(User::NAME),
            Post::BODY.coalesce(User::HAIR_COLOR).coalesce("none"),
            User::HAIR_COLOR.coalesce(Post::TITLE),
            Post::BODY.coalesce(User::NAME.upper()),
        ))
        .order_by(User::ID.asc())
        .order_by(Post::ID.asc())
        .all(db)
        .await?;
    let hand: Vec<Row> = sql(format!(
        "SELECT u.id, p.id, COALESCE(p.body, u.hair_color), COALESCE(p.title, u.name), \
         COALESCE(p.body, u.hair_color, 'none'), COALESCE(u.hair_color, p.title), \
         COALESCE(p.body, {upper}) \
         FROM users AS u LEFT JOIN posts AS p ON p.user_id = u.id ORDER BY u.id, p.id",
        upper = ascii_upper(k, "u.name"),
    ))
    .fetch_all(db)
    .await?;
    let row = |u: &User, p: Option<&Post>| -> Row {
        let body = p.and_then(|p| p.body.clone());
        let title = p.map(|p| p.title.clone());
        (
            u.id,
            p.map(|p| p.id),
            body.clone().or(u.hair_color.clone()),
            title.clone().unwrap_or_else(|| u.name.clone()),
            body.clone()
                .or(u.hair_color.clone())
                .unwrap_or_else(|| "none".into()),
            u.hair_color.clone().or(title),
            body.unwrap_or_else(|| u.name.to_ascii_uppercase()),
        )
    };
    let want: Vec<Row> = s
        .users
        .iter()
        .flat_map(|u| {
            let ps = posts_of(s, u);
            if ps.is_empty() {
                vec![row(u, None)]
            } else {
                ps.into_iter().map(|p| row(u, Some(p))).collect()
            }
        })
        .collect();
    assert!(
        want.iter().any(|r| r.5.is_none()) && want.iter().any(|r| r.4 == "none"),
        "the seed reaches the NULL and the value fallbacks"
    );
    assert_eq!(same("left join coalesce", built, hand), want);

    // A left-joined alias falling back on the row itself, in a filter and a selection.
    let boss = Employee::alias("boss");
    type Pay = (i64, i64, Option<f64>, Option<i64>);
    let built: Vec<Pay> = Employee::query()
        .left_join_alias(boss, boss.col(Employee::ID).eq(Employee::BOSS_ID))
        .filter(
            boss.col(Employee::SALARY)
                .coalesce(Employee::SALARY)
                .ge(300),
        )
        .select((
            Employee::ID,
            boss.col(Employee::SALARY).coalesce(Employee::SALARY),
            boss.col(Employee::RATING).coalesce(Employee::RATING),
            boss.col(Employee::BOSS_ID).coalesce(Employee::BOSS_ID),
        ))
        .order_by(Employee::ID.asc())
        .all(db)
        .await?;
    let hand: Vec<Pay> = raw(
        "SELECT e.id, COALESCE(b.salary, e.salary), COALESCE(b.rating, e.rating), \
         COALESCE(b.boss_id, e.boss_id) FROM employees AS e \
         LEFT JOIN employees AS b ON b.id = e.boss_id \
         WHERE COALESCE(b.salary, e.salary) >= ? ORDER BY e.id",
    )
    .bind(300)
    .fetch_all(db)
    .await?;
    let want: Vec<Pay> = s
        .employees
        .iter()
        .map(|e| {
            let b = boss_of(s, e);
            (
                e.id,
                b.map_or(e.salary, |b| b.salary),
                b.and_then(|b| b.rating).or(e.rating),
                b.and_then(|b| b.boss_id).or(e.boss_id),
            )
        })
        .filter(|p| p.1 >= 300)
        .collect();
    assert!(want.iter().any(|p| p.2.is_none()) && want.iter().any(|p| p.3.is_none()));
    assert_eq!(same("alias coalesce", built, hand), want);
    Ok(())
}

type Eight<A, B, C, D, E, F, G, H> = (A, B, C, D, E, F, G, H);
type Front = Eight<i64, String, String, Option<String>, i32, i64, i64, String>;
type Back = Eight<Option<String>, i32, i32, i64, String, String, i64, i64>;
type Sixteen = (
    i64,
    String,
    String,
    Option<String>,
    i32,
    i64,
    i64,
    String,
    Option<String>,
    i32,
    i32,
    i64,
    String,
    String,
    i64,
    i64,
);

/// The two halves of a sixteen-tuple (the standard library compares and prints tuples of up to 12).
fn halves(t: Sixteen) -> (Front, Back) {
    (
        (t.0, t.1, t.2, t.3, t.4, t.5, t.6, t.7),
        (t.8, t.9, t.10, t.11, t.12, t.13, t.14, t.15),
    )
}

pub async fn sixteen_column_selections_match_hand_written_sql(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = &seed(db).await?;
    let k = t.kind();
    let query = User::query()
        .inner_join::<Post>(Post::USER_ID.eq(User::ID))
        .select((
            User::ID,
            User::NAME,
            User::EMAIL,
            User::HAIR_COLOR,
            User::AGE,
            Post::ID,
            Post::USER_ID,
            Post::TITLE,
            Post::BODY,
            User::AGE + 1,
            User::AGE * 2,
            Post::ID - User::ID,
            Post::BODY.coalesce(User::NAME),
            User::NAME.upper(),
            Post::TITLE.length(),
            Post::ID + Post::USER_ID,
        ))
        .order_by(Post::ID.asc());
    let built: Vec<Sixteen> = query.clone().all(db).await?;
    let nested: Vec<(Front, Back)> = query.decode_as::<(Front, Back)>().all(db).await?;
    let hand: Vec<Sixteen> = sql(format!(
        "SELECT u.id, u.name, u.email, u.hair_color, u.age, p.id, p.user_id, p.title, p.body, \
         u.age + 1, u.age * 2, p.id - u.id, COALESCE(p.body, u.name), {upper}, {len}(p.title), \
         p.id + p.user_id FROM users AS u INNER JOIN posts AS p ON p.user_id = u.id ORDER BY p.id",
        upper = ascii_upper(k, "u.name"),
        len = char_length(k),
    ))
    .fetch_all(db)
    .await?;
    let want: Vec<(Front, Back)> = s
        .posts
        .iter()
        .map(|p| {
            let u = s.users.iter().find(|u| u.id == p.user_id).expect("author");
            halves((
                u.id,
                u.name.clone(),
                u.email.clone(),
                u.hair_color.clone(),
                u.age,
                p.id,
                p.user_id,
                p.title.clone(),
                p.body.clone(),
                u.age + 1,
                u.age * 2,
                p.id - u.id,
                p.body.clone().unwrap_or_else(|| u.name.clone()),
                u.name.to_ascii_uppercase(),
                p.title.chars().count() as i64,
                p.id + p.user_id,
            ))
        })
        .collect();
    let built: Vec<(Front, Back)> = built.into_iter().map(halves).collect();
    let hand: Vec<(Front, Back)> = hand.into_iter().map(halves).collect();
    assert_eq!(same("sixteen columns", built, hand), want);
    assert_eq!(nested, want, "decode_as into two eight-tuples");
    Ok(())
}
