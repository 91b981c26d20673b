//! What a query returns: selections into tuples, DISTINCT, inner and left joins into
//! `(User, Post)` / `(User, Option<Post>)`, self-joins through an alias, sort orders with NULLs first
//! or last, limit and offset; each checked against the same query written by hand.

use orm::prelude::*;

use crate::TestDb;
use crate::models::{ApiKey, Employee, Post, User};
use crate::suite::builder::{firsts, order_nulls, same, seed, sql};

const USER_COLS: &str = "users.id, users.name, users.email, users.hair_color, users.age";
const POST_COLS: &str = "posts.id, posts.user_id, posts.title, posts.body";

pub async fn selections_and_distinct_match_hand_written_sql(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = seed(db).await?;
    let k = t.kind();
    type Row = (i64, String, Option<String>, i32);
    let built: Vec<Row> = User::query()
        .select((User::ID, User::NAME, User::HAIR_COLOR, User::AGE))
        .order_by(User::ID.asc())
        .all(db)
        .await?;
    let hand: Vec<Row> = raw("SELECT id, name, hair_color, age FROM users ORDER BY id")
        .fetch_all(db)
        .await?;
    let want: Vec<Row> = s
        .users
        .iter()
        .map(|u| (u.id, u.name.clone(), u.hair_color.clone(), u.age))
        .collect();
    assert_eq!(same("tuple selection", built, hand), want);

    // DISTINCT over a nullable column, NULL first.
    let built: Vec<Option<String>> = User::query()
        .select(User::HAIR_COLOR)
        .distinct()
        .order_by(User::HAIR_COLOR.asc().nulls_first())
        .all(db)
        .await?;
    let hand = firsts(
        sql(format!(
            "SELECT DISTINCT hair_color FROM users ORDER BY {}",
            order_nulls(k, "hair_color", "ASC", true)
        ))
        .fetch_all::<(Option<String>,)>(db)
        .await?,
    );
    let mut want: Vec<Option<String>> = s.users.iter().map(|u| u.hair_color.clone()).collect();
    want.sort();
    want.dedup();
    assert_eq!(same("distinct", built, hand), want);
    assert_eq!(
        User::query()
            .select(User::HAIR_COLOR)
            .distinct()
            .count(db)
            .await?,
        want.len() as u64
    );

    // DISTINCT pairs with duplicates in both columns.
    let built: Vec<(String, i32)> = User::query()
        .select((User::NAME, User::AGE))
        .distinct()
        .order_by(User::NAME.desc())
        .order_by(User::AGE.asc())
        .all(db)
        .await?;
    let hand: Vec<(String, i32)> =
        raw("SELECT DISTINCT name, age FROM users ORDER BY name DESC, age ASC")
            .fetch_all(db)
            .await?;
    let mut want: Vec<(String, i32)> = s.users.iter().map(|u| (u.name.clone(), u.age)).collect();
    want.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    want.dedup();
    assert_eq!(same("distinct pairs", built, hand), want);
    Ok(())
}

pub async fn joins_match_hand_written_sql(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = seed(db).await?;
    let by_id = |id: i64| s.users.iter().find(|u| u.id == id).cloned();

    let built: Vec<(User, Post)> = User::query()
        .inner_join::<Post>(Post::USER_ID.eq(User::ID))
        .order_by(Post::ID.asc())
        .all(db)
        .await?;
    let hand: Vec<(User, Post)> = sql(format!(
        "SELECT {USER_COLS}, {POST_COLS} FROM users INNER JOIN posts ON posts.user_id = users.id \
         ORDER BY posts.id"
    ))
    .fetch_all(db)
    .await?;
    let want: Vec<(User, Post)> = s
        .posts
        .iter()
        .filter_map(|p| by_id(p.user_id).map(|u| (u, p.clone())))
        .collect();
    assert_eq!(same("inner join", built, hand), want);

    // Every user once per post, users without posts once with `None`.
    let built: Vec<(User, Option<Post>)> = User::query()
        .left_join::<Post>(Post::USER_ID.eq(User::ID))
        .order_by(User::ID.asc())
        .order_by(Post::ID.asc())
        .all(db)
        .await?;
    let hand: Vec<(User, Option<Post>)> = sql(format!(
        "SELECT {USER_COLS}, {POST_COLS} FROM users LEFT JOIN posts ON posts.user_id = users.id \
         ORDER BY users.id, posts.id"
    ))
    .fetch_all(db)
    .await?;
    let mut want = Vec::new();
    for u in &s.users {
        let mine: Vec<&Post> = s.posts.iter().filter(|p| p.user_id == u.id).collect();
        if mine.is_empty() {
            want.push((u.clone(), None));
        }
        want.extend(mine.into_iter().map(|p| (u.clone(), Some(p.clone()))));
    }
    assert_eq!(same("left join", built, hand), want);

    // A condition in ON keeps unmatched users; the same condition in WHERE would drop them.
    let built: Vec<(i64, Option<String>)> = User::query()
        .left_join::<Post>(Post::USER_ID.eq(User::ID).and(Post::TITLE.contains("_")))
        .select((User::ID, Post::TITLE))
        .order_by(User::ID.asc())
        .order_by(Post::ID.asc())
        .all(db)
        .await?;
    let hand: Vec<(i64, Option<String>)> =
        raw("SELECT users.id, posts.title FROM users LEFT JOIN posts \
         ON posts.user_id = users.id AND posts.title LIKE ? ESCAPE '\\' \
         ORDER BY users.id, posts.id")
        .bind("%\\_%")
        .fetch_all(db)
        .await?;
    let built = same("left join, ON with a condition", built, hand);
    assert_eq!(built.len(), s.users.len());
    assert_eq!(built.iter().filter(|(_, t)| t.is_some()).count(), 2);

    // Anti-join: users without posts.
    let built: Vec<String> = User::query()
        .left_join::<Post>(Post::USER_ID.eq(User::ID))
        .filter(Post::ID.is_null())
        .select(User::NAME)
        .order_by(User::ID.asc())
        .all(db)
        .await?;
    let hand = firsts(
        raw(
            "SELECT users.name FROM users LEFT JOIN posts ON posts.user_id = users.id \
             WHERE posts.id IS NULL ORDER BY users.id",
        )
        .fetch_all::<(String,)>(db)
        .await?,
    );
    let want: Vec<String> = s
        .users
        .iter()
        .filter(|u| !s.posts.iter().any(|p| p.user_id == u.id))
        .map(|u| u.name.clone())
        .collect();
    assert_eq!(same("anti-join", built, hand), want);
    Ok(())
}

/// A left-joined model keyed by text: `None` needs its key read as NULL without consuming it, and a
/// matched row decodes that key again.
pub async fn left_joins_of_a_text_keyed_model_match_hand_written_sql(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = seed(db).await?;
    db.create_table::<ApiKey>().await?;
    let keys: Vec<ApiKey> = s
        .users
        .iter()
        .step_by(2)
        .flat_map(|u| {
            ["a", "b"].map(|k| ApiKey {
                key: format!("{k}-{}", u.id),
                owner: u.name.clone(),
            })
        })
        .collect();
    ApiKey::insert_many(db, &mut keys.clone()).await?;
    let built: Vec<(User, Option<ApiKey>)> = User::query()
        .left_join::<ApiKey>(ApiKey::OWNER.eq(User::NAME))
        .order_by(User::ID.asc())
        .order_by(ApiKey::KEY.asc())
        .all(db)
        .await?;
    let hand: Vec<(User, Option<ApiKey>)> = sql(format!(
        "SELECT {USER_COLS}, api_key.key, api_key.owner FROM users \
         LEFT JOIN api_key ON api_key.owner = users.name ORDER BY users.id, api_key.key"
    ))
    .fetch_all(db)
    .await?;
    let mut want = Vec::new();
    for u in &s.users {
        let mut mine: Vec<&ApiKey> = keys.iter().filter(|k| k.owner == u.name).collect();
        mine.sort_by(|a, b| a.key.cmp(&b.key));
        if mine.is_empty() {
            want.push((u.clone(), None));
        }
        want.extend(mine.into_iter().map(|k| (u.clone(), Some(k.clone()))));
    }
    assert!(want.iter().any(|(_, k)| k.is_none()) && want.iter().any(|(_, k)| k.is_some()));
    assert_eq!(same("left join on a text key", built, hand), want);
    Ok(())
}

pub async fn self_joins_through_an_alias_match_hand_written_sql(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = seed(db).await?;
    let boss = Employee::alias("boss");
    let by_id = |id: Option<i64>| s.employees.iter().find(|e| Some(e.id) == id).cloned();

    let built: Vec<(Employee, Option<Employee>)> = Employee::query()
        .left_join_alias(boss, boss.col(Employee::ID).eq(Employee::BOSS_ID))
        .order_by(Employee::ID.asc())
        .all(db)
        .await?;
    let hand: Vec<(Employee, Option<Employee>)> = raw(
        "SELECT e.id, e.name, e.boss_id, e.salary, e.rating, b.id, b.name, b.boss_id, b.salary, b.rating \
         FROM employees AS e LEFT JOIN employees AS b ON b.id = e.boss_id ORDER BY e.id",
    )
    .fetch_all(db)
    .await?;
    let want: Vec<(Employee, Option<Employee>)> = s
        .employees
        .iter()
        .map(|e| (e.clone(), by_id(e.boss_id)))
        .collect();
    assert_eq!(same("left self-join", built, hand), want);

    // Who earns more than their boss; selections over both copies of the table.
    let built: Vec<(String, String, i64)> = Employee::query()
        .inner_join_alias(boss, boss.col(Employee::ID).eq(Employee::BOSS_ID))
        .filter(Employee::SALARY.gt(boss.col(Employee::SALARY)))
        .select((
            Employee::NAME,
            boss.col(Employee::NAME),
            boss.col(Employee::SALARY),
        ))
        .order_by(Employee::NAME.asc())
        .all(db)
        .await?;
    let hand: Vec<(String, String, i64)> = raw(
        "SELECT e.name, b.name, b.salary FROM employees AS e \
         INNER JOIN employees AS b ON b.id = e.boss_id WHERE e.salary > b.salary ORDER BY e.name ASC",
    )
    .fetch_all(db)
    .await?;
    let mut want: Vec<(String, String, i64)> = s
        .employees
        .iter()
        .filter_map(|e| by_id(e.boss_id).map(|b| (e, b)))
        .filter(|(e, b)| e.salary > b.salary)
        .map(|(e, b)| (e.name.clone(), b.name, b.salary))
        .collect();
    want.sort();
    assert_eq!(same("inner self-join", built, hand), want);

    // A left-joined alias reads as `Option` in a selection.
    let built: Vec<(String, Option<String>)> = Employee::query()
        .left_join_alias(boss, boss.col(Employee::ID).eq(Employee::BOSS_ID))
        .select((Employee::NAME, boss.col(Employee::NAME)))
        .order_by(Employee::ID.asc())
        .all(db)
        .await?;
    let hand: Vec<(String, Option<String>)> = raw(
        "SELECT e.name, b.name FROM employees AS e LEFT JOIN employees AS b ON b.id = e.boss_id \
         ORDER BY e.id",
    )
    .fetch_all(db)
    .await?;
    same("left self-join selection", built, hand);
    Ok(())
}

pub async fn sort_orders_limits_and_offsets_match_hand_written_sql(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = seed(db).await?;
    let k = t.kind();
    type Row = (i64, Option<String>, i32);
    let all = |users: &[User]| -> Vec<Row> {
        users
            .iter()
            .map(|u| (u.id, u.hair_color.clone(), u.age))
            .collect()
    };
    let cases: [(bool, bool); 4] = [(true, true), (true, false), (false, true), (false, false)];
    for (asc, nulls_first) in cases {
        let key = if asc {
            User::HAIR_COLOR.asc()
        } else {
            User::HAIR_COLOR.desc()
        };
        let key = if nulls_first {
            key.nulls_first()
        } else {
            key.nulls_last()
        };
        let built: Vec<Row> = User::query()
            .select((User::ID, User::HAIR_COLOR, User::AGE))
            .order_by(key)
            .order_by(User::AGE.desc())
            .order_by(User::ID.asc())
            .all(db)
            .await?;
        let hand: Vec<Row> = sql(format!(
            "SELECT id, hair_color, age FROM users ORDER BY {}, age DESC, id ASC",
            order_nulls(
                k,
                "hair_color",
                if asc { "ASC" } else { "DESC" },
                nulls_first
            )
        ))
        .fetch_all(db)
        .await?;
        let mut want = all(&s.users);
        want.sort_by(|a, b| {
            let by_hair = match (&a.1, &b.1) {
                (None, None) => std::cmp::Ordering::Equal,
                (None, Some(_)) if nulls_first => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some(_), None) if nulls_first => std::cmp::Ordering::Greater,
                (Some(_), None) => std::cmp::Ordering::Less,
                (Some(x), Some(y)) if asc => x.cmp(y),
                (Some(x), Some(y)) => y.cmp(x),
            };
            by_hair.then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0))
        });
        let what = format!("order by hair asc={asc} nulls_first={nulls_first}");
        assert_eq!(same(&what, built, hand), want, "{what}");
    }

    // Limit and offset over a total order (name, then id).
    let mut by_name = s.users.clone();
    by_name.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let ordered = || {
        User::query()
            .order_by(User::NAME.asc())
            .order_by(User::ID.asc())
    };
    let window = |skip: usize, take: usize| -> Vec<User> {
        by_name.iter().skip(skip).take(take).cloned().collect()
    };
    let built = ordered().limit(4).offset(3).all(db).await?;
    let hand: Vec<User> = raw("SELECT * FROM users ORDER BY name ASC, id ASC LIMIT 4 OFFSET 3")
        .fetch_all(db)
        .await?;
    assert_eq!(same("limit 4 offset 3", built, hand), window(3, 4));
    let built = ordered().limit(5).all(db).await?;
    let hand: Vec<User> = raw("SELECT * FROM users ORDER BY name ASC, id ASC LIMIT 5")
        .fetch_all(db)
        .await?;
    assert_eq!(same("limit 5", built, hand), window(0, 5));
    let built = ordered().offset(13).all(db).await?;
    let only_offset = match k {
        crate::Kind::Postgres => "OFFSET 13",
        crate::Kind::MySql => "LIMIT 18446744073709551615 OFFSET 13",
        crate::Kind::Sqlite => "LIMIT -1 OFFSET 13",
    };
    let hand: Vec<User> = sql(format!(
        "SELECT * FROM users ORDER BY name ASC, id ASC {only_offset}"
    ))
    .fetch_all(db)
    .await?;
    assert_eq!(same("offset 13", built, hand), window(13, usize::MAX));
    assert!(ordered().offset(100).all(db).await?.is_empty());
    assert!(ordered().limit(0).all(db).await?.is_empty());
    assert_eq!(ordered().limit(4).offset(14).count(db).await?, 2);
    assert_eq!(ordered().first(db).await?, by_name.first().cloned());
    Ok(())
}
