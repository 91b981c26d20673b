//! SQL snapshots of query shapes: selections, joins, grouping, ordering, pagination, locks and
//! subqueries, rendered for all three dialects side by side.

#[path = "common/all3.rs"]
mod all3;
#[path = "common/fixtures.rs"]
mod fixtures;

use all3::Cases;
use fixtures::{Employee, Post, User};
use orm_core::{Asc, Desc, ModelExt, Query, count_star, exists, not_exists};

#[test]
fn selections() {
    let mut s = Cases::new();
    s.case("tuple of columns", |b| {
        let q: Query<User, (i64, String)> = User::query().select((User::ID, User::NAME));
        q.to_statement(b)
    });
    s.case("single expression", |b| {
        let q: Query<User, Option<f64>> = User::query().select(User::AGE.avg());
        q.to_statement(b)
    });
    s.case("distinct", |b| {
        User::query()
            .select(User::HAIR_COLOR)
            .distinct()
            .order_by(User::HAIR_COLOR.asc())
            .to_statement(b)
    });
    s.case(
        "distinct sorted by an unselected column is refused everywhere",
        |b| {
            User::query()
                .select(User::HAIR_COLOR)
                .distinct()
                .order_by(User::NAME.asc())
                .to_statement(b)
        },
    );
    s.case("sixteen elements: select, group by, decode_as", |b| {
        type Wide = (i64, i64, i64, i64, i64, i64, i64, i64);
        let q: Query<_, (Wide, Wide)> = User::query()
            .inner_join::<Post>(Post::USER_ID.eq(User::ID))
            .select((
                User::ID,
                Post::ID,
                User::AGE,
                Post::LIKES,
                User::AGE + 1,
                Post::LIKES + 1,
                User::AGE + Post::LIKES,
                User::ID + Post::ID,
                User::ID * 2,
                Post::ID * 2,
                User::AGE * 2,
                Post::LIKES * 2,
                User::AGE - Post::LIKES,
                Post::USER_ID,
                User::NAME.length(),
                Post::TITLE.length(),
            ))
            .group_by((
                User::ID,
                Post::ID,
                User::AGE,
                Post::LIKES,
                User::NAME,
                Post::TITLE,
                Post::USER_ID,
                User::EMAIL,
                User::HAIR_COLOR,
                Post::BODY,
                Post::SCORE,
                User::AGE + Post::LIKES,
                User::ID + Post::ID,
                User::AGE - Post::LIKES,
                User::NAME.length(),
                Post::TITLE.length(),
            ))
            .decode_as();
        q.to_statement(b)
    });
    insta::assert_snapshot!(s.finish());
}

#[test]
fn joins() {
    let mut s = Cases::new();
    s.case("inner join reads (User, Post)", |b| {
        let q: Query<_, (User, Post)> = User::query()
            .inner_join::<Post>(Post::USER_ID.eq(User::ID))
            .filter(Post::TITLE.contains("rust"))
            .order_by(Post::ID.desc());
        q.to_statement(b)
    });
    s.case("left join reads (User, Option<Post>)", |b| {
        let q: Query<_, (User, Option<Post>)> = User::query()
            .left_join::<Post>(Post::USER_ID.eq(User::ID).and(Post::LIKES.gt(10)))
            .filter(User::AGE.ge(18));
        q.to_statement(b)
    });
    s.case("left join anti-join: users without posts", |b| {
        User::query()
            .left_join::<Post>(Post::USER_ID.eq(User::ID))
            .filter(Post::ID.is_null())
            .select(User::NAME)
            .to_statement(b)
    });
    s.case(
        "selected columns of a left-joined table read as Option",
        |b| {
            let q: Query<_, (String, Option<String>, Option<String>)> = User::query()
                .left_join::<Post>(Post::USER_ID.eq(User::ID))
                .select((User::NAME, Post::TITLE, Post::BODY));
            q.to_statement(b)
        },
    );
    s.case("self-join through an alias", |b| {
        let boss = Employee::alias("boss");
        let q: Query<_, (Employee, Option<Employee>)> = Employee::query()
            .left_join_alias(boss, boss.col(Employee::ID).eq(Employee::BOSS_ID))
            .filter(
                boss.col(Employee::SALARY)
                    .lt(Employee::SALARY)
                    .or(boss.col(Employee::ID).is_null()),
            );
        q.to_statement(b)
    });
    s.case(
        "a condition typed for one table, widened into a join",
        |b| {
            fn adults() -> orm_core::Condition<User> {
                User::AGE.ge(18)
            }
            User::query()
                .inner_join::<Post>(Post::USER_ID.eq(User::ID))
                .filter(adults().widen())
                .select(Post::TITLE)
                .to_statement(b)
        },
    );
    s.case("three tables, two aliases of one model", |b| {
        let boss = Employee::alias("boss");
        let top = orm_core::Alias::<Employee, 1>::new("top");
        let q: Query<_, (String, String, Option<String>)> = Employee::query()
            .inner_join_alias(boss, boss.col(Employee::ID).eq(Employee::BOSS_ID))
            .left_join_alias(top, top.col(Employee::ID).eq(boss.col(Employee::BOSS_ID)))
            .select((
                Employee::NAME,
                boss.col(Employee::NAME),
                top.col(Employee::NAME),
            ));
        q.to_statement(b)
    });
    insta::assert_snapshot!(s.finish());
}

#[test]
fn grouping_and_aggregates() {
    let mut s = Cases::new();
    s.case("group by with having", |b| {
        let q: Query<_, (i64, i64, Option<i64>, Option<f64>)> = Post::query()
            .group_by(Post::USER_ID)
            .having(count_star().gt(2))
            .having(Post::LIKES.sum().ge(100))
            .select((
                Post::USER_ID,
                count_star(),
                Post::LIKES.sum(),
                Post::SCORE.avg(),
            ))
            .order_by(Post::USER_ID.asc());
        q.to_statement(b)
    });
    s.case(
        "users with their post counts (count over a left join is never NULL)",
        |b| {
            let q: Query<_, (User, i64)> = User::query()
                .left_join::<Post>(Post::USER_ID.eq(User::ID))
                .group_by(User::ID)
                .select((User::all_columns(), Post::ID.count()));
            q.to_statement(b)
        },
    );
    insta::assert_snapshot!(s.finish());
}

#[test]
fn ordering_limit_locks() {
    let mut s = Cases::new();
    s.case("several keys, nulls first/last, limit/offset", |b| {
        User::query()
            .order_by(User::HAIR_COLOR.desc().nulls_last())
            .order_by(User::NAME.lower().asc())
            .order_by(User::ID.asc())
            .limit(10)
            .offset(30)
            .to_statement(b)
    });
    s.case("a sort chosen at run time", |b| {
        let sort = "age";
        let key = match sort {
            "name" => User::NAME.asc(),
            _ => User::AGE.desc(),
        };
        User::query().order_by(key).to_statement(b)
    });
    s.case("for update", |b| {
        User::query()
            .filter(User::ID.eq(1))
            .for_update()
            .to_statement(b)
    });
    s.case("for share", |b| {
        User::query()
            .filter(User::ID.eq(1))
            .for_share()
            .to_statement(b)
    });
    insta::assert_snapshot!(s.finish());
}

#[test]
fn keyset_pagination() {
    let mut s = Cases::new();
    s.case("first page", |b| {
        Post::query()
            .keyset((Desc(Post::LIKES), Desc(Post::ID)))
            .limit(20)
            .to_statement(b)
    });
    s.case("one key", |b| {
        Post::query().after(Post::ID, 100).limit(20).to_statement(b)
    });
    s.case(
        "two keys, one direction: row comparison where it is indexed",
        |b| {
            Post::query()
                .filter(Post::USER_ID.eq(7))
                .after((Desc(Post::LIKES), Desc(Post::ID)), (50, 1234))
                .limit(20)
                .to_statement(b)
        },
    );
    s.case("mixed directions: expanded form everywhere", |b| {
        Post::query()
            .after(
                (Asc(Post::TITLE), Desc(Post::ID), Post::USER_ID),
                ("m", 9, 3),
            )
            .limit(20)
            .to_statement(b)
    });
    s.case("after_opt without a cursor is the first page", |b| {
        let cursor: Option<(i32, i64)> = None;
        Post::query()
            .after_opt((Post::LIKES, Post::ID), cursor)
            .limit(20)
            .to_statement(b)
    });
    s.case("order_by before after is refused", |b| {
        Post::query()
            .order_by(Post::TITLE.asc())
            .after(Post::ID, 1)
            .to_statement(b)
    });
    insta::assert_snapshot!(s.finish());
}

#[test]
fn subqueries() {
    let mut s = Cases::new();
    s.case("in subquery / not in subquery", |b| {
        User::query()
            .filter(
                User::ID.in_subquery(
                    Post::query()
                        .filter(Post::LIKES.gt(10))
                        .select(Post::USER_ID),
                ),
            )
            .filter(
                User::ID.not_in_subquery(
                    Post::query()
                        .filter(Post::TITLE.eq("x"))
                        .select(Post::USER_ID),
                ),
            )
            .to_statement(b)
    });
    s.case("correlated exists / not exists", |b| {
        User::query()
            .filter(exists(
                Post::query()
                    .correlate::<User>()
                    .filter(Post::USER_ID.eq(User::ID)),
            ))
            .filter(not_exists(
                Post::query()
                    .correlate::<User>()
                    .filter(Post::USER_ID.eq(User::ID).and(Post::LIKES.lt(0))),
            ))
            .to_statement(b)
    });
    s.case("correlated with an aliased copy of the outer table", |b| {
        let other = orm_core::Alias::<Employee>::new("other");
        Employee::query()
            .filter(not_exists(
                other
                    .query()
                    .correlate::<Employee>()
                    .filter(other.col(Employee::SALARY).gt(Employee::SALARY)),
            ))
            .to_statement(b)
    });
    s.case("limit inside IN is refused on MySQL", |b| {
        User::query()
            .filter(User::ID.in_subquery(Post::query().select(Post::USER_ID).limit(5)))
            .to_statement(b)
    });
    insta::assert_snapshot!(s.finish());
}

#[test]
fn count_statements() {
    let mut s = Cases::new();
    s.case("plain", |b| {
        User::query().filter(User::AGE.gt(1)).count_statement(b)
    });
    s.case("distinct over a join names its columns", |b| {
        User::query()
            .inner_join::<Post>(Post::USER_ID.eq(User::ID))
            .select((User::ID, Post::ID))
            .distinct()
            .count_statement(b)
    });
    s.case("an aggregate returns one row", |b| {
        Post::query().select(Post::LIKES.sum()).count_statement(b)
    });
    s.case("grouped", |b| {
        Post::query()
            .group_by(Post::USER_ID)
            .select(Post::USER_ID)
            .count_statement(b)
    });
    s.case("page 3 of 10 rows", |b| {
        User::query()
            .order_by(User::ID.asc())
            .limit(10)
            .offset(20)
            .to_statement(b)
    });
    insta::assert_snapshot!(s.finish());
}
