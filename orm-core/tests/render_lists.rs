//! IN lists of every length, rendered for every backend: placeholders for short lists, one bound
//! list for longer ones (`= ANY`, `rarray`, `JSON_TABLE`), and the typed errors.

#[path = "common/fixtures.rs"]
mod fixtures;

use std::fmt::Write as _;

use fixtures::{Post, User};
use orm_core::{Backend, Column, Condition, Error, ModelExt, Result, Statement, Value};

const BACKENDS: [(&str, Backend); 4] = [
    ("postgres", Backend::POSTGRES),
    ("mysql   ", Backend::MYSQL),
    ("mariadb ", Backend::MARIADB),
    ("sqlite  ", Backend::SQLITE),
];

const AVATAR: Column<User, Vec<u8>> = Column::new("users", "avatar");
const SCORE: Column<User, f64> = Column::new("users", "score");
const ACTIVE: Column<User, bool> = Column::new("users", "active");
const BIG: Column<User, u64> = Column::new("users", "big");

/// A parameter, with lists summarized by length, first elements and element types.
fn describe(v: &Value) -> String {
    match v {
        Value::List(items) => {
            let mut types: Vec<&str> = items.iter().map(Value::type_name).collect();
            types.sort_unstable();
            types.dedup();
            format!(
                "List(len {}, {}, first {:?})",
                items.len(),
                types.join("/"),
                &items[..items.len().min(2)]
            )
        }
        v => format!("{v:?}"),
    }
}

/// Renders with every backend (MySQL 8 and MariaDB apart: their collations differ).
fn all4(f: impl Fn(&Backend) -> Result<Statement>) -> String {
    let mut out = String::new();
    for (name, b) in BACKENDS {
        match f(&b) {
            Ok(st) => {
                let _ = writeln!(out, "{name}: {}", st.sql);
                let params: Vec<String> = st.params.iter().map(describe).collect();
                match &params[..] {
                    [] => {}
                    [first, .., last] if params.len() > 6 => {
                        let _ = writeln!(
                            out,
                            "          [{} params: {first}, ..., {last}]",
                            params.len()
                        );
                    }
                    _ => {
                        let _ = writeln!(out, "          [{}]", params.join(", "));
                    }
                }
            }
            Err(e) => {
                let _ = writeln!(out, "{name}: ERROR {e}");
            }
        }
    }
    out
}

/// Renders a statement for one backend.
type Render<'a> = &'a dyn Fn(&Backend) -> Result<Statement>;

/// Labelled statements, each rendered for every backend.
fn cases(list: &[(&str, Render<'_>)]) -> String {
    let mut out = String::new();
    for (label, f) in list {
        let _ = writeln!(out, "-- {label}");
        out.push_str(&all4(f));
    }
    out
}

fn ids(n: i64) -> Vec<i64> {
    (1..=n).collect()
}

fn users(c: Condition<User>) -> orm_core::Query<User, i64> {
    User::query().filter(c).select(User::ID)
}

#[test]
fn short_lists_bind_one_placeholder_per_value_except_on_postgres() {
    let snapshot = cases(&[
        ("in / not in", &|b| {
            users(
                User::ID
                    .in_list([1, 2, 3])
                    .and(User::NAME.not_in(["a", "b"])),
            )
            .to_statement(b)
        }),
        ("NULL in the list of a nullable column", &|b| {
            users(User::HAIR_COLOR.in_list([Some("red"), None])).to_statement(b)
        }),
        ("the longest inline list on SQLite", &|b| {
            users(User::ID.in_list(ids(16))).to_statement(b)
        }),
        ("empty lists are FALSE / TRUE", &|b| {
            users(
                User::ID
                    .in_list(Vec::<i64>::new())
                    .or(User::ID.not_in(Vec::<i64>::new())),
            )
            .to_statement(b)
        }),
    ]);
    insta::assert_snapshot!(snapshot);
}

#[test]
fn long_lists_are_one_parameter() {
    let long_text: Vec<String> = (0..2_000).map(|i| format!("name {i}")).collect();
    let mut longer_text = long_text.clone();
    longer_text.push("x".repeat(256));
    let long_bytes: Vec<Vec<u8>> = (0..2_000u32).map(|i| i.to_be_bytes().to_vec()).collect();
    let mut longer_bytes = long_bytes.clone();
    longer_bytes.push(vec![7; 256]);
    let floats: Vec<f64> = (0..2_000).map(f64::from).collect();
    let snapshot = cases(&[
        ("17 integers: beyond SQLite's inline limit", &|b| {
            users(User::ID.in_list(ids(17))).to_statement(b)
        }),
        ("1,001 integers: beyond MySQL's inline limit", &|b| {
            users(User::ID.not_in(ids(1_001))).to_statement(b)
        }),
        ("100,000 integers between other parameters", &|b| {
            users(
                User::AGE
                    .gt(18)
                    .and(User::ID.in_list(ids(100_000)))
                    .and(User::NAME.ne("x")),
            )
            .to_statement(b)
        }),
        ("text up to 255 characters", &|b| {
            users(User::NAME.in_list(long_text.iter())).to_statement(b)
        }),
        ("text with a longer value", &|b| {
            users(User::NAME.not_in(longer_text.iter())).to_statement(b)
        }),
        ("nullable text with NULLs", &|b| {
            users(
                User::HAIR_COLOR.not_in(
                    long_text
                        .iter()
                        .enumerate()
                        .map(|(i, s)| (i % 2 == 0).then(|| s.clone())),
                ),
            )
            .to_statement(b)
        }),
        ("bytes up to 255", &|b| {
            users(AVATAR.in_list(long_bytes.iter().map(Vec::as_slice))).to_statement(b)
        }),
        ("bytes with a longer value", &|b| {
            users(AVATAR.in_list(longer_bytes.iter().map(Vec::as_slice))).to_statement(b)
        }),
        ("floats", &|b| {
            users(SCORE.in_list(floats.iter().copied())).to_statement(b)
        }),
        ("booleans", &|b| {
            users(ACTIVE.in_list((0..2_000).map(|i| i % 2 == 0))).to_statement(b)
        }),
        ("two long lists and an expression on the left", &|b| {
            users(
                (User::AGE + 1)
                    .in_list((0..2_000).collect::<Vec<i32>>())
                    .or(User::ID.not_in(ids(2_000))),
            )
            .to_statement(b)
        }),
    ]);
    insta::assert_snapshot!(snapshot);
}

#[test]
fn long_lists_in_updates_and_deletes() {
    let snapshot = cases(&[
        ("update", &|b| {
            Post::query()
                .filter(Post::ID.in_list(ids(5_000)).and(Post::TITLE.ne("keep")))
                .update()
                .set(Post::LIKES, Post::LIKES + 1)
                .set(Post::TITLE, "seen")
                .to_statement(b)
        }),
        ("delete", &|b| {
            Post::query()
                .filter(Post::USER_ID.not_in(ids(5_000)))
                .delete()
                .to_statement(b)
        }),
        ("short lists keep the single-table forms", &|b| {
            Post::query()
                .filter(Post::ID.in_list([1, 2]))
                .delete()
                .to_statement(b)
        }),
    ]);
    insta::assert_snapshot!(snapshot);
}

#[test]
fn u64_above_i64_max_in_a_list_is_an_encode_error() {
    for n in [1usize, 5_000] {
        let mut values: Vec<u64> = (0..n as u64).collect();
        values.push(u64::MAX);
        let q = User::query().filter(BIG.in_list(values)).select(User::ID);
        for (name, b) in BACKENDS {
            let err = q.to_statement(&b).unwrap_err();
            assert!(
                matches!(&err, Error::Encode { message } if message.contains("18446744073709551615")),
                "{name}, {n}: {err:?}"
            );
        }
    }
    // In range, u64 lists bind as signed integers.
    let q = User::query()
        .filter(BIG.in_list((0..5_000u64).map(|v| v << 40)))
        .select(User::ID);
    let st = q.to_statement(&Backend::POSTGRES).unwrap();
    match &st.params[..] {
        [Value::List(items)] => {
            assert_eq!(items.len(), 5_000);
            assert_eq!(items[4_999], Value::I64(4_999 << 40));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_list_inside_a_list_is_an_encode_error() {
    let nested = Value::List(vec![Value::I64(1), Value::List(vec![Value::I64(2)].into())].into());
    let err = nested.into_bindable().unwrap_err();
    assert!(matches!(err, Error::Encode { .. }), "{err:?}");
}

#[test]
fn make_bindable_converts_in_place_and_keeps_the_value_on_error() {
    let mut v = Value::U64(7);
    v.make_bindable().unwrap();
    assert_eq!(v, Value::I64(7));
    let mut list = Value::List(vec![Value::U64(1), Value::I64(2)].into());
    list.make_bindable().unwrap();
    assert_eq!(list, Value::List(vec![Value::I64(1), Value::I64(2)].into()));
    for bad in [
        Value::U64(u64::MAX),
        Value::List(vec![Value::U64(1), Value::List(vec![].into())].into()),
    ] {
        let mut v = bad.clone();
        let err = v.make_bindable().unwrap_err();
        assert!(matches!(err, Error::Encode { .. }), "{err:?}");
        assert_eq!(v, bad, "left as it was");
    }
    let mut text = Value::String("x".into());
    text.make_bindable().unwrap();
    assert_eq!(text, Value::String("x".into()));
}

#[test]
fn mixed_types_in_a_long_mysql_list_are_refused() {
    let mut list: Vec<Value> = (0..2_000).map(Value::I64).collect();
    list.push(Value::String("x".into()));
    let cond = Condition::<User>::from_expr(orm_core::ast::Expr::InList {
        expr: Box::new(orm_core::ast::Expr::Column(orm_core::ast::ColumnRef {
            table: "users",
            name: "id",
        })),
        list: list.into(),
        negated: false,
    });
    let q = users(cond);
    let err = q.to_statement(&Backend::MARIADB).unwrap_err();
    assert!(matches!(err, Error::InvalidQuery(_)), "{err:?}");
}
