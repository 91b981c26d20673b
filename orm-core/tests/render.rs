//! SQL snapshot tests: each statement is built once and rendered for all three dialects side by side.

#[path = "common/all3.rs"]
mod all3;
#[path = "common/fixtures.rs"]
mod fixtures;

use all3::all3;
use fixtures::{Membership, User};
use orm_core::{Backend, Dialect, ModelExt, Query, raw, render};

#[test]
fn select_filter_order_limit() {
    let q = User::query()
        .filter(User::HAIR_COLOR.eq("black").and(User::NAME.like("J%")))
        .order_by(User::NAME.asc())
        .limit(10)
        .offset(20);
    insta::assert_snapshot!(all3(|b| q.to_statement(b)));
}

#[test]
fn comparisons_and_boolean_logic() {
    let q = User::query().filter(
        User::AGE
            .ge(18)
            .and(User::AGE.lt(65))
            .or(User::ID.eq(1).and(!User::EMAIL.ne("a@b.c"))),
    );
    insta::assert_snapshot!(all3(|b| q.to_statement(b)));
}

#[test]
fn null_tests() {
    let none: Option<String> = None;
    let q = User::query()
        .filter(User::HAIR_COLOR.is_null())
        .filter(
            User::HAIR_COLOR
                .eq(none.clone())
                .or(User::HAIR_COLOR.ne(none)),
        )
        .filter(User::EMAIL.is_not_null());
    insta::assert_snapshot!(all3(|b| q.to_statement(b)));
}

#[test]
fn in_lists_including_empty() {
    let empty: Vec<i64> = Vec::new();
    let q = User::query()
        .filter(User::ID.in_list([1, 2, 3]))
        .filter(User::ID.in_list(empty.clone()))
        .filter(User::ID.not_in(empty));
    insta::assert_snapshot!(all3(|b| q.to_statement(b)));
}

#[test]
fn offset_without_limit() {
    let q = User::query().offset(5);
    insta::assert_snapshot!(all3(|b| q.to_statement(b)));
}

#[test]
fn nulls_first_last() {
    let q = User::query()
        .order_by(User::HAIR_COLOR.asc().nulls_first())
        .order_by(User::AGE.desc().nulls_last());
    insta::assert_snapshot!(all3(|b| q.to_statement(b)));
}

#[test]
fn count_plain_and_limited() {
    let q = User::query()
        .filter(User::AGE.gt(30))
        .order_by(User::NAME.asc());
    let limited = q.clone().limit(5);
    let mut s = all3(|b| q.count_statement(b));
    s.push_str(&all3(|b| limited.count_statement(b)));
    insta::assert_snapshot!(s);
}

#[test]
fn create_and_drop_table() {
    let mut s = String::new();
    for (name, b) in [
        ("postgres", Backend::POSTGRES),
        ("mysql", Backend::MYSQL),
        ("sqlite", Backend::SQLITE),
    ] {
        s.push_str(&format!("-- {name}\n"));
        for st in render::create_table(&b, "users", <User as orm_core::Model>::COLUMNS).unwrap() {
            s.push_str(&st.sql);
            s.push('\n');
        }
        for st in render::create_table(&b, "memberships", <Membership as orm_core::Model>::COLUMNS)
            .unwrap()
        {
            s.push_str(&st.sql);
            s.push('\n');
        }
        s.push_str(&render::drop_table(&b, "users").sql);
        s.push('\n');
    }
    insta::assert_snapshot!(s);
}

#[test]
fn insert_update_delete() {
    use orm_core::Value;
    use orm_core::ast::{BinOp, ColumnRef, Expr, InsertIdReport};
    use orm_core::ast::{ConflictAction, Delete, Insert, OnConflict, Update};
    let ins = Insert {
        table: "users",
        columns: vec!["name", "email"],
        rows: vec![
            vec![Value::String("a".into()), Value::String("a@x".into())],
            vec![Value::String("b".into()), Value::String("b@x".into())],
        ],
        on_conflict: None,
        returning: vec!["id"],
    };
    let upsert = Insert {
        returning: vec![],
        on_conflict: Some(OnConflict {
            target: vec!["email"],
            action: ConflictAction::Update(vec!["name"]),
            report: InsertIdReport::Default,
        }),
        ..ins.clone()
    };
    let ignore = Insert {
        returning: vec![],
        on_conflict: Some(OnConflict {
            target: vec!["email"],
            action: ConflictAction::DoNothing,
            report: InsertIdReport::Default,
        }),
        ..ins.clone()
    };
    let age = ColumnRef {
        table: "users",
        name: "age",
    };
    let upd = Update {
        table: "users",
        set: vec![(
            age,
            Expr::binary(BinOp::Add, Expr::Column(age), Expr::Value(Value::I32(1))),
        )],
        filter: Some(Expr::binary(
            BinOp::Eq,
            Expr::Column(ColumnRef {
                table: "users",
                name: "id",
            }),
            Expr::Value(Value::I64(7)),
        )),
    };
    let del = Delete {
        table: "users",
        filter: None,
    };
    let mut s = all3(|b| render::insert(b, &ins));
    s.push_str(&all3(|b| render::insert(b, &upsert)));
    s.push_str(&all3(|b| render::insert(b, &ignore)));
    s.push_str(&all3(|b| {
        render::insert(
            &Backend {
                insert_returning: true,
                ..*b
            },
            &ins,
        )
    }));
    s.push_str(&all3(|b| render::update(b, &upd)));
    s.push_str(&all3(|b| render::delete(b, &del)));
    insta::assert_snapshot!(s);
}

#[test]
fn identifiers_are_quoted_and_escaped() {
    let mut out = String::new();
    for d in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
        render::quote_ident(d, "we\"ird`name", &mut out);
        out.push('\n');
    }
    insta::assert_snapshot!(out);
}

#[test]
fn raw_placeholders() {
    let r = raw("SELECT id, '?' AS q, \"a?\" , `b?` FROM users WHERE id = ? AND name = ? -- ?\n AND x ?? y /* ? */")
        .bind(7)
        .bind("n");
    let mut s = String::new();
    for d in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
        let st = r.to_statement(d).unwrap();
        s.push_str(&format!("{d}: {}\n", st.sql));
    }
    let dollar = raw("SELECT $tag$ ? $tag$, ? ")
        .bind(1)
        .to_statement(Dialect::Postgres)
        .unwrap();
    s.push_str(&dollar.sql);
    insta::assert_snapshot!(s);
}

#[test]
fn raw_placeholder_count_mismatch_is_an_error() {
    let err = raw("SELECT ?").to_statement(Dialect::Sqlite).unwrap_err();
    assert!(matches!(err, orm_core::Error::InvalidQuery(_)), "{err}");
}

#[test]
fn u64_out_of_range_is_an_encode_error() {
    let q = Query::<User>::new()
        .filter(User::ID.eq(5))
        .filter(orm_core::Condition::from_expr(orm_core::ast::Expr::Value(
            orm_core::Value::U64(u64::MAX),
        )));
    let err = q.to_statement(&Backend::POSTGRES).unwrap_err();
    assert!(matches!(err, orm_core::Error::Encode { .. }), "{err}");
}

#[test]
fn for_update_is_unsupported_on_sqlite() {
    let mut s = User::query().as_select().clone();
    s.lock = Some(orm_core::ast::Lock::Update);
    insta::assert_snapshot!(all3(|b| render::select(b, &s)));
}
