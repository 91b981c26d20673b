//! SQL snapshots of writes: bulk UPDATE/DELETE from queries and upserts, for all three dialects.

#[path = "common/all3.rs"]
mod all3;
#[path = "common/fixtures.rs"]
mod fixtures;

use all3::Cases;
use fixtures::{Post, Tag, User};
use orm_core::ast::InsertIdReport;
use orm_core::{Backend, ModelExt, OnConflict, render};

#[test]
fn bulk_update() {
    let mut s = Cases::new();
    s.case("counter increment and a value, filtered", |b| {
        Post::query()
            .filter(Post::USER_ID.eq(7).and(Post::TITLE.starts_with("draft")))
            .update()
            .set(Post::LIKES, Post::LIKES + 1)
            .set(Post::BODY, None::<String>)
            .set(Post::TITLE, "x")
            .to_statement(b)
    });
    s.case("expression over several columns, subquery filter", |b| {
        User::query()
            .filter(
                User::ID.in_subquery(
                    Post::query()
                        .filter(Post::LIKES.gt(100))
                        .select(Post::USER_ID),
                ),
            )
            .update()
            .set(User::AGE, User::AGE * 2 - 1)
            .to_statement(b)
    });
    s.case(
        "reading a column assigned earlier: MySQL would see the new value",
        |b| {
            Post::query()
                .update()
                .set(Post::LIKES, Post::LIKES + 1)
                .set(Post::USER_ID, Post::USER_ID + Post::ID)
                .set(Post::SCORE, Post::SCORE * 2.0)
                .set(Post::ID, Post::USER_ID)
                .to_statement(b)
        },
    );
    s.case("a column set twice", |b| {
        Post::query()
            .update()
            .set(Post::LIKES, 1)
            .set(Post::LIKES, 2)
            .to_statement(b)
    });
    s.case("a limited query cannot become a bulk update", |b| {
        Post::query()
            .limit(3)
            .update()
            .set(Post::LIKES, 0)
            .to_statement(b)
    });
    s.case("nothing to set", |b| Post::query().update().to_statement(b));
    insta::assert_snapshot!(s.finish());
}

#[test]
fn bulk_delete() {
    let mut s = Cases::new();
    s.case("filtered", |b| {
        Post::query()
            .filter(Post::LIKES.lt(0).or(Post::BODY.is_null()))
            .delete()
            .to_statement(b)
    });
    s.case("every row", |b| Post::query().delete().to_statement(b));
    s.case("sorted query", |b| {
        Post::query()
            .order_by(Post::ID.asc())
            .delete()
            .to_statement(b)
    });
    insta::assert_snapshot!(s.finish());
}

#[test]
fn upsert_with_generated_keys() {
    let user = User::new("Ann", 30);
    let mut s = Cases::new();
    s.case(
        "update chosen columns: the key of the written row is reported",
        |b| {
            user.upsert_statement(
                b,
                &OnConflict::columns(User::EMAIL).update((User::NAME, User::AGE)),
            )
        },
    );
    s.case("update every other column", |b| {
        user.upsert_statement(b, &OnConflict::columns(User::EMAIL).update_all())
    });
    s.case("do nothing: a skipped row reports no key", |b| {
        user.upsert_statement(b, &OnConflict::columns([User::EMAIL]).do_nothing())
    });
    s.case("MariaDB with RETURNING still uses the insert id", |b| {
        let b = if b.dialect == orm_core::Dialect::MySql {
            Backend::MARIADB
        } else {
            *b
        };
        user.upsert_statement(&b, &OnConflict::columns(User::EMAIL).update(User::NAME))
    });
    s.case("update with nothing to update", |b| {
        user.upsert_statement(b, &OnConflict::columns(User::EMAIL).update([User::NAME; 0]))
    });
    insta::assert_snapshot!(s.finish());
}

#[test]
fn upsert_without_generated_keys() {
    let tag = Tag {
        name: "rust".into(),
        uses: 1,
    };
    let mut s = Cases::new();
    s.case("on the primary key, update", |b| {
        tag.upsert_statement(b, &OnConflict::primary_key().update(Tag::USES))
    });
    s.case(
        "on the primary key, do nothing: MySQL flags a skipped row",
        |b| tag.upsert_statement(b, &OnConflict::primary_key()),
    );
    insta::assert_snapshot!(s.finish());
}

#[test]
fn upsert_many_statement() {
    let rows = [User::new("Ann", 30), User::new("Bob", 40)];
    let mut s = Cases::new();
    for (label, oc) in [
        (
            "update",
            OnConflict::columns(User::EMAIL).update(User::NAME),
        ),
        ("do nothing", OnConflict::columns(User::EMAIL)),
    ] {
        s.case(label, |b| {
            let mut ins = orm_core::ast::Insert {
                table: "users",
                columns: vec!["name", "email", "hair_color", "age"],
                rows: rows
                    .iter()
                    .map(|u| {
                        (1..5)
                            .map(|i| orm_core::Model::column_value(u, i))
                            .collect()
                    })
                    .collect(),
                on_conflict: None,
                returning: vec![],
            };
            ins.on_conflict = Some(oc.to_ast(InsertIdReport::Default));
            render::insert(b, &ins)
        });
    }
    insta::assert_snapshot!(s.finish());
}
