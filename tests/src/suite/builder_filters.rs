//! Filters and expressions: every comparison, ranges, lists, subqueries, NULL tests, boolean logic,
//! arithmetic and text functions, each checked against the same query written by hand and against
//! the answer computed from the seed.

use orm::prelude::*;

use crate::TestDb;
use crate::models::{Post, User};
use crate::suite::builder::{
    Seed, ascii_lower, ascii_upper, char_length, firsts, int_div, same, seed, sql,
};

/// Runs `cond` through the builder and `by_hand` (which selects `id` ordered by `id`), and checks
/// both against the users for which `oracle` holds.
async fn check(
    db: &Database,
    s: &Seed,
    cond: Condition<User>,
    by_hand: orm::Raw,
    oracle: impl Fn(&User) -> bool,
) -> Result<()> {
    let what = format!("{cond:?}");
    let built: Vec<i64> = User::query()
        .filter(cond)
        .select(User::ID)
        .order_by(User::ID.asc())
        .all(db)
        .await?;
    let hand = firsts(by_hand.fetch_all::<(i64,)>(db).await?);
    let built = same(&what, built, hand);
    assert_eq!(built, s.user_ids(oracle), "{what}: differs from the seed");
    Ok(())
}

fn hair(u: &User) -> Option<&str> {
    u.hair_color.as_deref()
}

pub async fn comparisons_match_hand_written_sql(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = &seed(db).await?;
    macro_rules! case {
        ($cond:expr, $sql:literal $(, $bind:expr)*; $oracle:expr) => {
            check(db, s, $cond, raw($sql)$(.bind($bind))*, $oracle).await?
        };
    }
    case!(User::AGE.eq(30), "SELECT id FROM users WHERE age = ? ORDER BY id", 30; |u| u.age == 30);
    case!(User::AGE.ne(30), "SELECT id FROM users WHERE age <> ? ORDER BY id", 30; |u| u.age != 30);
    case!(User::AGE.lt(30), "SELECT id FROM users WHERE age < ? ORDER BY id", 30; |u| u.age < 30);
    case!(User::AGE.le(30), "SELECT id FROM users WHERE age <= ? ORDER BY id", 30; |u| u.age <= 30);
    case!(User::AGE.gt(41), "SELECT id FROM users WHERE age > ? ORDER BY id", 41; |u| u.age > 41);
    case!(User::AGE.ge(41), "SELECT id FROM users WHERE age >= ? ORDER BY id", 41; |u| u.age >= 41);
    // Text compares exactly and sorts by code point on every backend.
    case!(User::NAME.eq("Zoë"), "SELECT id FROM users WHERE name = ? ORDER BY id", "Zoë"; |u| u.name == "Zoë");
    case!(User::NAME.eq("ann"), "SELECT id FROM users WHERE name = ? ORDER BY id", "ann"; |u| u.name == "ann");
    case!(User::NAME.lt("Zoë"), "SELECT id FROM users WHERE name < ? ORDER BY id", "Zoë"; |u| u.name.as_str() < "Zoë");
    case!(User::NAME.ge("Ω"), "SELECT id FROM users WHERE name >= ? ORDER BY id", "Ω"; |u| u.name.as_str() >= "Ω");
    case!(User::NAME.eq("O'Brien \"Q\""), "SELECT id FROM users WHERE name = ? ORDER BY id", "O'Brien \"Q\""; |u| u.name == "O'Brien \"Q\"");
    // A nullable column: comparisons skip NULLs, `eq(None)` / `ne(None)` test for NULL.
    case!(User::HAIR_COLOR.eq("black"), "SELECT id FROM users WHERE hair_color = ? ORDER BY id", "black"; |u| hair(u) == Some("black"));
    case!(User::HAIR_COLOR.ne("black"), "SELECT id FROM users WHERE hair_color <> ? ORDER BY id", "black"; |u| hair(u).is_some_and(|h| h != "black"));
    case!(User::HAIR_COLOR.eq(None::<String>), "SELECT id FROM users WHERE hair_color IS NULL ORDER BY id"; |u| u.hair_color.is_none());
    case!(User::HAIR_COLOR.ne(None::<String>), "SELECT id FROM users WHERE hair_color IS NOT NULL ORDER BY id"; |u| u.hair_color.is_some());
    case!(User::HAIR_COLOR.is_null(), "SELECT id FROM users WHERE hair_color IS NULL ORDER BY id"; |u| u.hair_color.is_none());
    case!(User::HAIR_COLOR.is_not_null(), "SELECT id FROM users WHERE hair_color IS NOT NULL ORDER BY id"; |u| u.hair_color.is_some());
    // Ranges.
    case!(User::AGE.between(25, 33), "SELECT id FROM users WHERE age BETWEEN ? AND ? ORDER BY id", 25, 33; |u| (25..=33).contains(&u.age));
    case!(User::AGE.not_between(25, 33), "SELECT id FROM users WHERE age NOT BETWEEN ? AND ? ORDER BY id", 25, 33; |u| !(25..=33).contains(&u.age));
    case!(User::NAME.between("A", "Z"), "SELECT id FROM users WHERE name BETWEEN ? AND ? ORDER BY id", "A", "Z"; |u| ("A"..="Z").contains(&u.name.as_str()));
    case!(User::HAIR_COLOR.between("b", "c"), "SELECT id FROM users WHERE hair_color BETWEEN ? AND ? ORDER BY id", "b", "c"; |u| hair(u).is_some_and(|h| ("b"..="c").contains(&h)));
    // Column against column.
    case!(User::NAME.lt(User::EMAIL), "SELECT id FROM users WHERE name < email ORDER BY id"; |u| u.name < u.email);
    // A raw fragment inside a builder query: its `?`s are numbered with the builder's own.
    case!(
        User::NAME.ne("Bob").and(Condition::raw("age > ? + 1", &[&29])),
        "SELECT id FROM users WHERE name <> ? AND age > ? + 1 ORDER BY id", "Bob", 29;
        |u| u.name != "Bob" && u.age > 30
    );
    Ok(())
}

pub async fn lists_and_subqueries_match_hand_written_sql(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = &seed(db).await?;
    macro_rules! case {
        ($cond:expr, $sql:literal $(, $bind:expr)*; $oracle:expr) => {
            check(db, s, $cond, raw($sql)$(.bind($bind))*, $oracle).await?
        };
    }
    case!(User::AGE.in_list([19, 30, 99]), "SELECT id FROM users WHERE age IN (?, ?, ?) ORDER BY id", 19, 30, 99; |u| [19, 30, 99].contains(&u.age));
    case!(User::AGE.not_in([19, 30, 99]), "SELECT id FROM users WHERE age NOT IN (?, ?, ?) ORDER BY id", 19, 30, 99; |u| ![19, 30, 99].contains(&u.age));
    case!(User::NAME.in_list(["Zoë", "日本", "Ann"]), "SELECT id FROM users WHERE name IN (?, ?, ?) ORDER BY id", "Zoë", "日本", "Ann"; |u| ["Zoë", "日本", "Ann"].contains(&u.name.as_str()));
    // NOT IN over a nullable column skips NULLs, as SQL's three-valued logic says.
    case!(User::HAIR_COLOR.not_in(["black", "red"]), "SELECT id FROM users WHERE hair_color NOT IN (?, ?) ORDER BY id", "black", "red"; |u| hair(u).is_some_and(|h| h != "black" && h != "red"));
    // Empty lists: IN () matches nothing, NOT IN () everything (NULLs included).
    case!(User::AGE.in_list(Vec::<i32>::new()), "SELECT id FROM users WHERE 1 = 0 ORDER BY id"; |_| false);
    case!(User::AGE.not_in(Vec::<i32>::new()), "SELECT id FROM users ORDER BY id"; |_| true);
    case!(User::HAIR_COLOR.not_in(Vec::<String>::new()), "SELECT id FROM users ORDER BY id"; |_| true);
    // Subqueries.
    let has_post = |u: &User| s.posts.iter().any(|p| p.user_id == u.id);
    case!(
        User::ID.in_subquery(Post::query().select(Post::USER_ID)),
        "SELECT id FROM users WHERE id IN (SELECT user_id FROM posts) ORDER BY id";
        has_post
    );
    case!(
        User::ID.not_in_subquery(Post::query().select(Post::USER_ID)),
        "SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM posts) ORDER BY id";
        |u| !has_post(u)
    );
    case!(
        User::ID.in_subquery(Post::query().filter(Post::BODY.is_not_null()).select(Post::USER_ID)),
        "SELECT id FROM users WHERE id IN (SELECT user_id FROM posts WHERE body IS NOT NULL) ORDER BY id";
        |u| s.posts.iter().any(|p| p.user_id == u.id && p.body.is_some())
    );
    case!(
        exists(Post::query().correlate::<User>().filter(Post::USER_ID.eq(User::ID))),
        "SELECT id FROM users WHERE EXISTS (SELECT 1 FROM posts WHERE posts.user_id = users.id) ORDER BY id";
        has_post
    );
    case!(
        not_exists(Post::query().correlate::<User>().filter(Post::USER_ID.eq(User::ID))),
        "SELECT id FROM users WHERE NOT EXISTS (SELECT 1 FROM posts WHERE posts.user_id = users.id) ORDER BY id";
        |u| !has_post(u)
    );
    case!(
        exists(
            Post::query()
                .correlate::<User>()
                .filter(Post::USER_ID.eq(User::ID))
                .filter(Post::TITLE.starts_with("日本"))
        ),
        "SELECT id FROM users WHERE EXISTS (SELECT 1 FROM posts WHERE posts.user_id = users.id AND posts.title LIKE ? ESCAPE '\\') ORDER BY id",
        "日本%";
        |u| s.posts.iter().any(|p| p.user_id == u.id && p.title.starts_with("日本"))
    );
    // A subquery over the same table, correlated through an alias.
    let older = User::alias("older");
    case!(
        exists(older.query().correlate::<User>().filter(older.col(User::NAME).eq(User::NAME)).filter(older.col(User::ID).ne(User::ID))),
        "SELECT id FROM users WHERE EXISTS (SELECT 1 FROM users AS o WHERE o.name = users.name AND o.id <> users.id) ORDER BY id";
        |u| s.users.iter().any(|o| o.name == u.name && o.id != u.id)
    );
    Ok(())
}

pub async fn boolean_logic_matches_hand_written_sql(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = &seed(db).await?;
    macro_rules! case {
        ($cond:expr, $sql:literal $(, $bind:expr)*; $oracle:expr) => {
            check(db, s, $cond, raw($sql)$(.bind($bind))*, $oracle).await?
        };
    }
    case!(
        User::AGE.gt(30).and(User::HAIR_COLOR.eq("black")).or(User::NAME.eq("Bob")),
        "SELECT id FROM users WHERE (age > ? AND hair_color = ?) OR name = ? ORDER BY id", 30, "black", "Bob";
        |u| (u.age > 30 && hair(u) == Some("black")) || u.name == "Bob"
    );
    case!(
        User::AGE.gt(30).and(User::HAIR_COLOR.eq("black").or(User::NAME.eq("Bob"))),
        "SELECT id FROM users WHERE age > ? AND (hair_color = ? OR name = ?) ORDER BY id", 30, "black", "Bob";
        |u| u.age > 30 && (hair(u) == Some("black") || u.name == "Bob")
    );
    // NOT of an unknown (NULL) comparison is unknown: NULL hair colours match neither.
    case!(
        !User::HAIR_COLOR.eq("black"),
        "SELECT id FROM users WHERE NOT (hair_color = ?) ORDER BY id", "black";
        |u| hair(u).is_some_and(|h| h != "black")
    );
    case!(
        !(User::AGE.lt(20) | User::AGE.gt(50)),
        "SELECT id FROM users WHERE NOT (age < ? OR age > ?) ORDER BY id", 20, 50;
        |u| !(u.age < 20 || u.age > 50)
    );
    case!(
        User::AGE.ge(30) & !User::HAIR_COLOR.is_null(),
        "SELECT id FROM users WHERE age >= ? AND NOT (hair_color IS NULL) ORDER BY id", 30;
        |u| u.age >= 30 && u.hair_color.is_some()
    );
    case!(Condition::all(), "SELECT id FROM users ORDER BY id"; |_| true);
    case!(Condition::none(), "SELECT id FROM users WHERE 1 = 0 ORDER BY id"; |_| false);
    case!(
        Condition::any_of([User::NAME.eq("Ann"), User::NAME.eq("ann"), User::AGE.eq(70)]),
        "SELECT id FROM users WHERE name = ? OR name = ? OR age = ? ORDER BY id", "Ann", "ann", 70;
        |u| u.name == "Ann" || u.name == "ann" || u.age == 70
    );
    case!(
        Condition::all_of([User::AGE.ge(19), User::AGE.le(33), User::HAIR_COLOR.is_not_null()]),
        "SELECT id FROM users WHERE age >= ? AND age <= ? AND hair_color IS NOT NULL ORDER BY id", 19, 33;
        |u| (19..=33).contains(&u.age) && u.hair_color.is_some()
    );
    case!(
        Condition::any_of(Vec::<Condition<User>>::new()),
        "SELECT id FROM users WHERE 1 = 0 ORDER BY id";
        |_| false
    );
    // Conditions built at run time, only when a form field is set.
    let wanted: Option<&str> = Some("red");
    let min_age: Option<i32> = None;
    let found: Vec<i64> = User::query()
        .filter_opt(wanted.map(|h| User::HAIR_COLOR.eq(h)))
        .filter_opt(min_age.map(|a| User::AGE.ge(a)))
        .filter_if(false, || User::AGE.lt(0))
        .select(User::ID)
        .order_by(User::ID.asc())
        .all(db)
        .await?;
    let hand = firsts(
        raw("SELECT id FROM users WHERE hair_color = ? ORDER BY id")
            .bind("red")
            .fetch_all::<(i64,)>(db)
            .await?,
    );
    same("filter_opt", found, hand);
    Ok(())
}

pub async fn arithmetic_in_filters_matches_hand_written_sql(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = &seed(db).await?;
    let k = t.kind();
    check(
        db,
        s,
        (User::AGE + 5).gt(40),
        raw("SELECT id FROM users WHERE age + ? > ? ORDER BY id")
            .bind(5)
            .bind(40),
        |u| u.age + 5 > 40,
    )
    .await?;
    check(
        db,
        s,
        (User::AGE * 2).eq(User::AGE + 30),
        raw("SELECT id FROM users WHERE age * ? = age + ? ORDER BY id")
            .bind(2)
            .bind(30),
        |u| u.age * 2 == u.age + 30,
    )
    .await?;
    check(
        db,
        s,
        (User::AGE % 7).eq(0),
        raw("SELECT id FROM users WHERE age % ? = ? ORDER BY id")
            .bind(7)
            .bind(0),
        |u| u.age % 7 == 0,
    )
    .await?;
    check(
        db,
        s,
        (User::AGE / 10).eq(3),
        sql(format!(
            "SELECT id FROM users WHERE age {} ? = ? ORDER BY id",
            int_div(k)
        ))
        .bind(10)
        .bind(3),
        |u| u.age / 10 == 3,
    )
    .await?;
    check(
        db,
        s,
        (User::AGE - User::AGE / 2 * 2).eq(1),
        sql(format!(
            "SELECT id FROM users WHERE age - age {} ? * ? = ? ORDER BY id",
            int_div(k)
        ))
        .bind(2)
        .bind(2)
        .bind(1),
        |u| u.age % 2 == 1,
    )
    .await?;
    check(
        db,
        s,
        User::NAME.length().eq(3),
        sql(format!(
            "SELECT id FROM users WHERE {}(name) = ? ORDER BY id",
            char_length(k)
        ))
        .bind(3),
        |u| u.name.chars().count() == 3,
    )
    .await?;
    check(
        db,
        s,
        User::HAIR_COLOR.coalesce("none").eq("none"),
        raw("SELECT id FROM users WHERE COALESCE(hair_color, ?) = ? ORDER BY id")
            .bind("none")
            .bind("none"),
        |u| u.hair_color.is_none(),
    )
    .await?;
    Ok(())
}

pub async fn expressions_select_what_hand_written_sql_computes(t: &TestDb) -> Result<()> {
    let db = &t.db;
    let s = &seed(db).await?;
    let k = t.kind();
    type Numbers = (i64, i32, i32, i32, i32);
    let built: Vec<Numbers> = User::query()
        .select((
            User::ID,
            User::AGE + 1,
            User::AGE * 2 - 3,
            User::AGE / 7,
            User::AGE % 7,
        ))
        .order_by(User::ID.asc())
        .all(db)
        .await?;
    let hand: Vec<Numbers> = sql(format!(
        "SELECT id, age + 1, age * 2 - 3, age {} 7, age % 7 FROM users ORDER BY id",
        int_div(k),
    ))
    .fetch_all(db)
    .await?;
    let want: Vec<Numbers> = s
        .users
        .iter()
        .map(|u| (u.id, u.age + 1, u.age * 2 - 3, u.age / 7, u.age % 7))
        .collect();
    assert_eq!(same("arithmetic", built, hand), want);

    type Texts = (String, String, i64, String, i64);
    let built: Vec<Texts> = User::query()
        .select((
            User::NAME.lower(),
            User::NAME.upper(),
            User::NAME.length(),
            User::HAIR_COLOR.coalesce("none"),
            User::HAIR_COLOR.length().coalesce(-1),
        ))
        .order_by(User::ID.asc())
        .all(db)
        .await?;
    let hand: Vec<Texts> = sql(format!(
        "SELECT {lower}, {upper}, {len}(name), COALESCE(hair_color, 'none'), \
         COALESCE({len}(hair_color), -1) FROM users ORDER BY id",
        lower = ascii_lower(k, "name"),
        upper = ascii_upper(k, "name"),
        len = char_length(k),
    ))
    .fetch_all(db)
    .await?;
    let want: Vec<Texts> = s
        .users
        .iter()
        .map(|u| {
            (
                u.name.to_ascii_lowercase(),
                u.name.to_ascii_uppercase(),
                u.name.chars().count() as i64,
                u.hair_color.clone().unwrap_or_else(|| "none".into()),
                u.hair_color
                    .as_ref()
                    .map_or(-1, |h| h.chars().count() as i64),
            )
        })
        .collect();
    assert_eq!(
        same("text functions", built, hand),
        want,
        "ASCII-only case mapping, lengths in characters"
    );
    Ok(())
}
