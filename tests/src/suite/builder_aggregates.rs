//! Aggregates and grouping: `count`, `count_distinct`, `sum`, `avg`, `min`, `max` with `group_by`
//! and `having` decode into the same Rust types on every backend (`i64` counts and integer sums,
//! `f64` averages and float sums, `Option` over no rows), and agree with the same query written by
//! hand and with the seed.

use std::collections::BTreeMap;

use orm::prelude::*;

use crate::TestDb;
use crate::models::{Employee, Post, User};
use crate::suite::builder::{bigint, double, order_nulls, same, seed, sql};

type HairRow = (
    Option<String>,
    i64,
    i64,
    Option<i64>,
    Option<f64>,
    Option<i32>,
    Option<i32>,
    Option<String>,
);

pub async fn grouped_aggregates_match_hand_written_sql(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = seed(db).await?;
    let k = t.kind();
    let grouped = || {
        User::query()
            .group_by(User::HAIR_COLOR)
            .order_by(User::HAIR_COLOR.asc().nulls_first())
    };
    let built: Vec<HairRow> = grouped()
        .select((
            User::HAIR_COLOR,
            count_star(),
            User::AGE.count_distinct(),
            User::AGE.sum(),
            User::AGE.avg(),
            User::AGE.min(),
            User::AGE.max(),
            User::NAME.max(),
        ))
        .all(db)
        .await?;
    let hand: Vec<HairRow> = sql(format!(
        "SELECT hair_color, COUNT(*), COUNT(DISTINCT age), CAST(SUM(age) AS {big}), \
         CAST(AVG(age) AS {dbl}), MIN(age), MAX(age), MAX(name) FROM users GROUP BY hair_color \
         ORDER BY {order}",
        big = bigint(k),
        dbl = double(k),
        order = order_nulls(k, "hair_color", "ASC", true),
    ))
    .fetch_all(db)
    .await?;
    let mut groups: BTreeMap<Option<String>, Vec<&User>> = BTreeMap::new();
    for u in &s.users {
        groups.entry(u.hair_color.clone()).or_default().push(u);
    }
    let want: Vec<HairRow> = groups
        .iter()
        .map(|(hair, us)| {
            let mut ages: Vec<i32> = us.iter().map(|u| u.age).collect();
            let sum: i64 = ages.iter().map(|&a| i64::from(a)).sum();
            let n = ages.len() as i64;
            ages.sort_unstable();
            let (min, max) = (ages.first().copied(), ages.last().copied());
            ages.dedup();
            (
                hair.clone(),
                n,
                ages.len() as i64,
                Some(sum),
                Some(sum as f64 / n as f64),
                min,
                max,
                us.iter().map(|u| u.name.clone()).max(),
            )
        })
        .collect();
    assert_eq!(same("grouped aggregates", built, hand), want);

    // HAVING on aggregates, and counting groups.
    let built: Vec<(Option<String>, i64)> = grouped()
        .having(count_star().gt(1))
        .having(User::AGE.max().ge(30))
        .select((User::HAIR_COLOR, count_star()))
        .all(db)
        .await?;
    let hand: Vec<(Option<String>, i64)> = sql(format!(
        "SELECT hair_color, COUNT(*) FROM users GROUP BY hair_color \
         HAVING COUNT(*) > ? AND MAX(age) >= ? ORDER BY {}",
        order_nulls(k, "hair_color", "ASC", true)
    ))
    .bind(1)
    .bind(30)
    .fetch_all(db)
    .await?;
    let want: Vec<(Option<String>, i64)> = groups
        .iter()
        .filter(|(_, us)| us.len() > 1 && us.iter().any(|u| u.age >= 30))
        .map(|(h, us)| (h.clone(), us.len() as i64))
        .collect();
    assert_eq!(same("having", built, hand), want);
    assert_eq!(
        grouped().select(User::HAIR_COLOR).count(db).await?,
        groups.len() as u64
    );
    Ok(())
}

type BossRow = (
    Option<i64>,
    i64,
    i64,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<i64>,
    Option<f64>,
);

pub async fn float_aggregates_and_empty_groups_match_hand_written_sql(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = seed(db).await?;
    let k = t.kind();
    let built: Vec<BossRow> = Employee::query()
        .group_by(Employee::BOSS_ID)
        .select((
            Employee::BOSS_ID,
            count_star(),
            Employee::RATING.count(),
            Employee::RATING.sum(),
            Employee::RATING.avg(),
            Employee::RATING.max(),
            Employee::SALARY.sum(),
            Employee::SALARY.avg(),
        ))
        .order_by(Employee::BOSS_ID.asc().nulls_last())
        .all(db)
        .await?;
    let hand: Vec<BossRow> = sql(format!(
        "SELECT boss_id, COUNT(*), COUNT(rating), CAST(SUM(rating) AS {dbl}), CAST(AVG(rating) AS {dbl}), \
         MAX(rating), CAST(SUM(salary) AS {big}), CAST(AVG(salary) AS {dbl}) FROM employees \
         GROUP BY boss_id ORDER BY {order}",
        big = bigint(k),
        dbl = double(k),
        order = order_nulls(k, "boss_id", "ASC", false),
    ))
    .fetch_all(db)
    .await?;
    let mut groups: BTreeMap<Option<i64>, Vec<&Employee>> = BTreeMap::new();
    for e in &s.employees {
        groups.entry(e.boss_id).or_default().push(e);
    }
    let mut want: Vec<BossRow> = groups
        .iter()
        .map(|(boss, es)| {
            let ratings: Vec<f64> = es.iter().filter_map(|e| e.rating).collect();
            let rsum: f64 = ratings.iter().sum();
            let ssum: i64 = es.iter().map(|e| e.salary).sum();
            (
                *boss,
                es.len() as i64,
                ratings.len() as i64,
                (!ratings.is_empty()).then_some(rsum),
                (!ratings.is_empty()).then(|| rsum / ratings.len() as f64),
                ratings.iter().copied().reduce(f64::max),
                Some(ssum),
                Some(ssum as f64 / es.len() as f64),
            )
        })
        .collect();
    // NULLs last: the `None` key moves from the front to the end.
    want.rotate_left(1);
    assert_eq!(same("float aggregates", built, hand), want);
    assert!(
        want.iter().any(|r| r.3.is_none() && r.4.is_none()),
        "a group whose ratings are all NULL sums and averages to None"
    );

    // Over no rows: counts are 0, the rest None.
    type Empty = (i64, Option<i64>, Option<f64>, Option<i32>, Option<String>);
    let built: Empty = User::query()
        .filter(User::AGE.gt(1000))
        .select((
            count_star(),
            User::AGE.sum(),
            User::AGE.avg(),
            User::AGE.min(),
            User::NAME.max(),
        ))
        .one(db)
        .await?;
    let hand: Empty = sql(format!(
        "SELECT COUNT(*), CAST(SUM(age) AS {}), CAST(AVG(age) AS {}), MIN(age), MAX(name) \
         FROM users WHERE age > ?",
        bigint(k),
        double(k)
    ))
    .bind(1000)
    .fetch_one(db)
    .await?;
    assert_eq!(
        same("aggregates over no rows", built, hand),
        (0, None, None, None, None)
    );
    // The whole table, without grouping.
    let total: (i64, Option<i64>, Option<f64>) = Employee::query()
        .select((count_star(), Employee::SALARY.sum(), Employee::RATING.avg()))
        .one(db)
        .await?;
    let ratings: Vec<f64> = s.employees.iter().filter_map(|e| e.rating).collect();
    assert_eq!(
        total,
        (
            s.employees.len() as i64,
            Some(s.employees.iter().map(|e| e.salary).sum()),
            Some(ratings.iter().sum::<f64>() / ratings.len() as f64)
        )
    );
    Ok(())
}

pub async fn aggregates_over_joins_match_hand_written_sql(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = seed(db).await?;
    // Posts per user, 0 for users without posts: COUNT of the joined key skips the NULL row.
    let built: Vec<(i64, String, i64)> = User::query()
        .left_join::<Post>(Post::USER_ID.eq(User::ID))
        .group_by((User::ID, User::NAME))
        .select((User::ID, User::NAME, Post::ID.count()))
        .order_by(User::ID.asc())
        .all(db)
        .await?;
    let hand: Vec<(i64, String, i64)> = raw(
        "SELECT users.id, users.name, COUNT(posts.id) FROM users \
         LEFT JOIN posts ON posts.user_id = users.id GROUP BY users.id, users.name ORDER BY users.id",
    )
    .fetch_all(db)
    .await?;
    let want: Vec<(i64, String, i64)> = s
        .users
        .iter()
        .map(|u| {
            let n = s.posts.iter().filter(|p| p.user_id == u.id).count() as i64;
            (u.id, u.name.clone(), n)
        })
        .collect();
    assert_eq!(same("posts per user", built, hand), want);

    // Whole models with an aggregate, filtered on the aggregate.
    let built: Vec<(User, i64)> = User::query()
        .inner_join::<Post>(Post::USER_ID.eq(User::ID))
        .group_by((
            User::ID,
            User::NAME,
            User::EMAIL,
            User::HAIR_COLOR,
            User::AGE,
        ))
        .having(Post::ID.count().ge(2))
        .select((User::all_columns(), Post::TITLE.count_distinct()))
        .order_by(User::ID.asc())
        .all(db)
        .await?;
    let hand: Vec<(User, i64)> = raw(
        "SELECT users.id, users.name, users.email, users.hair_color, users.age, COUNT(DISTINCT posts.title) \
         FROM users INNER JOIN posts ON posts.user_id = users.id \
         GROUP BY users.id, users.name, users.email, users.hair_color, users.age \
         HAVING COUNT(posts.id) >= ? ORDER BY users.id",
    )
    .bind(2)
    .fetch_all(db)
    .await?;
    let want: Vec<(User, i64)> = s
        .users
        .iter()
        .filter_map(|u| {
            let n = s.posts.iter().filter(|p| p.user_id == u.id).count() as i64;
            (n >= 2).then(|| (u.clone(), n))
        })
        .collect();
    assert_eq!(same("users with two posts or more", built, hand), want);
    Ok(())
}
