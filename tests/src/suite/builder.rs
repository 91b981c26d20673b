//! The fixture of the builder suites (`builder_*`): a seeded data set with NULLs, duplicates and
//! non-ASCII text, and what it takes to write the same queries by hand on each backend.
//!
//! Every builder suite compares a builder query with the same query hand-written in SQL (through
//! `orm::raw`, with `?` placeholders) and, where the answer is easy to compute, with the answer
//! computed in Rust from the seed, which also makes the three backends agree with each other.

use std::fmt::Debug;

use orm::prelude::*;

use crate::Kind;
use crate::models::{Employee, Post, User};

/// Users: `(name, email, hair colour, age)`. Duplicate names and ages, NULL hair colours, case
/// variants, non-ASCII letters, emoji, and LIKE wildcards, backslashes and quotes in names.
pub const USERS: &[(&str, &str, Option<&str>, i32)] = &[
    ("Ann", "ann@example.com", Some("black"), 30),
    ("Bob", "bob@example.com", None, 25),
    ("Ann", "ann2@example.com", None, 30),
    ("Zoë", "zoe@example.com", Some("brown"), 41),
    ("ZOË", "zoe2@example.com", Some("Brown"), 41),
    ("Ωmega", "omega@example.com", None, 55),
    ("日本", "nihon@example.com", Some("black"), 19),
    ("party 🎉", "party@example.com", Some("red"), 25),
    ("100% sure", "pct@example.com", None, 60),
    ("under_score", "under@example.com", Some("blond"), 33),
    ("back\\slash", "back@example.com", None, 33),
    ("O'Brien \"Q\"", "obrien@example.com", Some("red"), 47),
    ("ann", "ann3@example.com", Some("BLACK"), 18),
    ("Émile", "emile@example.com", None, 70),
    ("émile", "emile2@example.com", Some("grey"), 70),
    ("x%_\\y", "wild@example.com", Some("blond"), 19),
];

/// Posts: `(index of the author in USERS, title, body)`. Most users have none.
pub const POSTS: &[(usize, &str, Option<&str>)] = &[
    (0, "hello", Some("first")),
    (0, "Hello again", None),
    (0, "50% off_sale\\", Some("deal")),
    (1, "rust", None),
    (3, "naïve café", Some("ü")),
    (3, "日本語", None),
    (6, "日本", Some("")),
    (8, "100%", None),
    (9, "a_b", None),
    (9, "a%b", Some("x")),
];

/// Employees: `(name, index of the boss in EMPLOYEES, salary, rating)`. Ratings are exact in binary
/// floating point, so sums and averages are exact on every backend.
pub const EMPLOYEES: &[(&str, Option<usize>, i64, Option<f64>)] = &[
    ("Boss", None, 300, Some(4.5)),
    ("Ada", Some(0), 200, Some(3.25)),
    ("Ben", Some(0), 350, None),
    ("Cyd", Some(1), 150, Some(4.5)),
    ("Dan", Some(1), 210, Some(0.75)),
    ("Eve", Some(2), 350, None),
    ("Ömer", None, 100, Some(2.0)),
];

/// The seeded rows, with their generated keys.
#[derive(Debug, Clone)]
pub struct Seed {
    /// In `USERS` order.
    pub users: Vec<User>,
    /// In `POSTS` order.
    pub posts: Vec<Post>,
    /// In `EMPLOYEES` order.
    pub employees: Vec<Employee>,
}

impl Seed {
    /// Ids of the users for which `keep` holds, ascending.
    pub fn user_ids(&self, keep: impl Fn(&User) -> bool) -> Vec<i64> {
        self.users
            .iter()
            .filter(|u| keep(u))
            .map(|u| u.id)
            .collect()
    }
}

/// Creates and fills `users`, `posts` and `employees`.
pub async fn seed(db: &Database) -> Result<Seed> {
    db.create_table::<User>().await?;
    db.create_table::<Post>().await?;
    db.create_table::<Employee>().await?;
    let mut users: Vec<User> = USERS
        .iter()
        .map(|&(name, email, hair, age)| User {
            id: 0,
            name: name.into(),
            email: email.into(),
            hair_color: hair.map(Into::into),
            age,
        })
        .collect();
    User::insert_many(db, &mut users).await?;
    let mut posts: Vec<Post> = POSTS
        .iter()
        .map(|&(author, title, body)| Post {
            id: 0,
            user_id: users[author].id,
            title: title.into(),
            body: body.map(Into::into),
        })
        .collect();
    Post::insert_many(db, &mut posts).await?;
    let mut employees: Vec<Employee> = Vec::with_capacity(EMPLOYEES.len());
    for &(name, boss, salary, rating) in EMPLOYEES {
        let mut e = Employee {
            id: 0,
            name: name.into(),
            boss_id: boss.map(|b| employees[b].id),
            salary,
            rating,
        };
        e.insert(db).await?;
        employees.push(e);
    }
    Ok(Seed {
        users,
        posts,
        employees,
    })
}

/// Asserts that a builder query and its hand-written twin returned the same thing, and returns it.
#[track_caller]
pub fn same<T: PartialEq + Debug>(what: &str, builder: T, by_hand: T) -> T {
    assert_eq!(
        builder, by_hand,
        "{what}: builder (left) and hand-written SQL (right) differ"
    );
    builder
}

/// The first column of each row.
pub fn firsts<T>(rows: Vec<(T,)>) -> Vec<T> {
    rows.into_iter().map(|(v,)| v).collect()
}

/// `text` as a LIKE pattern that matches it literally with `ESCAPE '\'`, escaped by hand.
pub fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// SQL lower-casing ASCII letters only, as a careful hand would write it on each backend: SQLite's
/// `LOWER` folds ASCII only, PostgreSQL does in the `C` collation, MySQL needs one `REPLACE` per
/// letter (its `LOWER` folds all of Unicode).
pub fn ascii_lower(kind: Kind, column: &str) -> String {
    match kind {
        Kind::Sqlite => format!("LOWER({column})"),
        Kind::Postgres => format!("LOWER({column} COLLATE \"C\")"),
        Kind::MySql => ('A'..='Z').fold(column.to_owned(), |acc, c| {
            format!("REPLACE({acc}, '{c}', '{}')", c.to_ascii_lowercase())
        }),
    }
}

/// SQL upper-casing ASCII letters only (see [`ascii_lower`]).
pub fn ascii_upper(kind: Kind, column: &str) -> String {
    match kind {
        Kind::Sqlite => format!("UPPER({column})"),
        Kind::Postgres => format!("UPPER({column} COLLATE \"C\")"),
        Kind::MySql => ('a'..='z').fold(column.to_owned(), |acc, c| {
            format!("REPLACE({acc}, '{c}', '{}')", c.to_ascii_uppercase())
        }),
    }
}

/// The type name for a 64-bit integer cast.
pub fn bigint(kind: Kind) -> &'static str {
    match kind {
        Kind::Postgres => "BIGINT",
        Kind::MySql => "SIGNED",
        Kind::Sqlite => "INTEGER",
    }
}

/// The type name for a double-precision cast.
pub fn double(kind: Kind) -> &'static str {
    match kind {
        Kind::Postgres => "DOUBLE PRECISION",
        Kind::MySql => "DOUBLE",
        Kind::Sqlite => "REAL",
    }
}

/// Length in characters.
pub fn char_length(kind: Kind) -> &'static str {
    match kind {
        Kind::MySql => "CHAR_LENGTH",
        Kind::Postgres | Kind::Sqlite => "LENGTH",
    }
}

/// Integer division, truncating toward zero.
pub fn int_div(kind: Kind) -> &'static str {
    match kind {
        Kind::MySql => "DIV",
        Kind::Postgres | Kind::Sqlite => "/",
    }
}

/// `ORDER BY` key `expr dir` with NULLs first or last (MySQL has no `NULLS FIRST`/`LAST`).
pub fn order_nulls(kind: Kind, expr: &str, dir: &str, nulls_first: bool) -> String {
    match kind {
        Kind::MySql => format!(
            "{expr} IS NULL {}, {expr} {dir}",
            if nulls_first { "DESC" } else { "ASC" }
        ),
        Kind::Postgres | Kind::Sqlite => format!(
            "{expr} {dir} NULLS {}",
            if nulls_first { "FIRST" } else { "LAST" }
        ),
    }
}

/// Hand-written SQL that differs per backend.
pub fn sql(text: String) -> orm::Raw {
    raw(AssertSqlSafe(text))
}

/// Matches `text` against a LIKE `pattern` with `\` as the escape character, as SQL defines it.
pub fn like_matches(pattern: &str, text: &str) -> bool {
    fn go(p: &[char], t: &[char]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some(('%', rest)) => (0..=t.len()).any(|i| go(rest, &t[i..])),
            Some(('_', rest)) => !t.is_empty() && go(rest, &t[1..]),
            Some(('\\', rest)) if !rest.is_empty() => {
                t.first() == Some(&rest[0]) && go(&rest[1..], &t[1..])
            }
            Some((c, rest)) => t.first() == Some(c) && go(rest, &t[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    go(&p, &t)
}
