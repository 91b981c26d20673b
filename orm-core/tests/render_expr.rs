//! SQL snapshots of every expression construct, rendered for all three dialects side by side.

#[path = "common/all3.rs"]
mod all3;
#[path = "common/fixtures.rs"]
mod fixtures;

use all3::Cases;
use fixtures::{Employee, Post, User};
use orm_core::{Alias, Condition, Expr, ModelExt, Query, count_star, exists, raw};

fn users(c: Condition<User>) -> Query<User, i64> {
    User::query().filter(c).select(User::ID)
}

#[test]
fn comparisons_between_and_null_tests() {
    let mut s = Cases::new();
    s.case("eq ne lt le gt ge", |b| {
        users(
            User::ID
                .eq(1)
                .and(User::ID.ne(2))
                .and(User::AGE.lt(3))
                .and(User::AGE.le(4))
                .and(User::AGE.gt(5))
                .and(User::AGE.ge(6)),
        )
        .to_statement(b)
    });
    s.case("column against column, nullable against plain", |b| {
        users(
            User::NAME
                .eq(User::EMAIL)
                .or(User::HAIR_COLOR.eq(User::NAME)),
        )
        .to_statement(b)
    });
    s.case("between / not between", |b| {
        users(User::AGE.between(18, 65).and(User::ID.not_between(10, 20))).to_statement(b)
    });
    s.case("nullable column with a plain value, None, is_null", |b| {
        let none: Option<String> = None;
        users(
            User::HAIR_COLOR
                .eq("red")
                .and(User::HAIR_COLOR.ne(none))
                .and(User::HAIR_COLOR.is_null().or(User::EMAIL.is_not_null())),
        )
        .to_statement(b)
    });
    s.case("and/or/not nesting keeps explicit parentheses", |b| {
        users(!(User::AGE.gt(1) | User::AGE.lt(0)) & (User::ID.eq(1) | !User::ID.eq(2)))
            .to_statement(b)
    });
    insta::assert_snapshot!(s.finish());
}

#[test]
fn in_lists() {
    let mut s = Cases::new();
    let empty: Vec<i64> = vec![];
    s.case("in / not in", |b| {
        users(
            User::ID
                .in_list([1, 2, 3])
                .and(User::NAME.not_in(["a", "b"])),
        )
        .to_statement(b)
    });
    s.case("empty lists are FALSE / TRUE", |b| {
        users(
            User::ID
                .in_list(empty.clone())
                .or(User::ID.not_in(empty.clone())),
        )
        .to_statement(b)
    });
    insta::assert_snapshot!(s.finish());
}

#[test]
fn arithmetic() {
    let mut s = Cases::new();
    s.case("+ - * with values and columns", |b| {
        User::query()
            .select((
                User::AGE + 1,
                User::AGE * 2 - User::AGE,
                User::ID - (User::ID - 1),
            ))
            .to_statement(b)
    });
    s.case("integer division and remainder, float division", |b| {
        Post::query()
            .select((Post::LIKES / 2, Post::LIKES % 7, Post::SCORE / 2.0))
            .to_statement(b)
    });
    s.case("arithmetic in a comparison", |b| {
        Post::query()
            .filter(Post::LIKES.gt(Post::LIKES % 10 + 1))
            .select(Post::ID)
            .to_statement(b)
    });
    insta::assert_snapshot!(s.finish());
}

#[test]
fn arithmetic_across_tables() {
    let mut s = Cases::new();
    s.case("columns of two joined tables", |b| {
        let q: Query<_, (i32, i32)> = User::query()
            .inner_join::<Post>(Post::USER_ID.eq(User::ID))
            .select((Post::LIKES - User::AGE, (Post::LIKES + User::AGE) * 2));
        q.to_statement(b)
    });
    s.case("a left-joined side reads as Option", |b| {
        let q: Query<_, (Option<i32>, Option<f64>)> = User::query()
            .left_join::<Post>(Post::USER_ID.eq(User::ID))
            .select((User::AGE * Post::LIKES, Post::SCORE / 2.0));
        q.to_statement(b)
    });
    s.case("self-join through aliases", |b| {
        let boss = Employee::alias("boss");
        let top = Alias::<Employee, 1>::new("top");
        let q: Query<_, (i64, Option<i64>)> = Employee::query()
            .inner_join_alias(boss, boss.col(Employee::ID).eq(Employee::BOSS_ID))
            .left_join_alias(top, top.col(Employee::ID).eq(boss.col(Employee::BOSS_ID)))
            .filter((Employee::SALARY - boss.col(Employee::SALARY)).gt(0))
            .select((
                Employee::SALARY - boss.col(Employee::SALARY),
                top.col(Employee::SALARY) - boss.col(Employee::SALARY) % Employee::SALARY,
            ));
        q.to_statement(b)
    });
    s.case("in a join condition and a correlated subquery", |b| {
        User::query()
            .inner_join::<Post>(
                Post::USER_ID
                    .eq(User::ID)
                    .and(Post::LIKES.gt(User::AGE / 2)),
            )
            .filter(exists(
                Post::query()
                    .correlate::<User>()
                    .filter((Post::LIKES - User::AGE).ge(0)),
            ))
            .select(Post::ID)
            .to_statement(b)
    });
    s.case("aggregates of two tables", |b| {
        let q: Query<_, (i64, Option<i64>)> = User::query()
            .left_join::<Post>(Post::USER_ID.eq(User::ID))
            .group_by(User::ID)
            .select((User::ID, Post::LIKES.sum() - User::AGE.sum()));
        q.to_statement(b)
    });
    insta::assert_snapshot!(s.finish());
}

#[test]
fn coalesce_fallbacks() {
    let mut s = Cases::new();
    s.case("a column of the same table", |b| {
        let q: Query<_, String> = User::query().select(User::HAIR_COLOR.coalesce(User::NAME));
        q.to_statement(b)
    });
    s.case("a column of another table, an expression, a chain", |b| {
        let q: Query<_, (String, String, String)> = User::query()
            .inner_join::<Post>(Post::USER_ID.eq(User::ID))
            .select((
                Post::BODY.coalesce(User::NAME),
                Post::BODY.coalesce(Post::TITLE.lower()),
                Post::BODY.coalesce(User::HAIR_COLOR).coalesce("none"),
            ));
        q.to_statement(b)
    });
    s.case("NULL only where every argument may be", |b| {
        let q: Query<_, (Option<String>, String, Option<String>, i32)> = User::query()
            .left_join::<Post>(Post::USER_ID.eq(User::ID))
            .select((
                User::HAIR_COLOR.coalesce(Post::TITLE),
                Post::TITLE.coalesce(User::NAME),
                Post::BODY.coalesce(User::HAIR_COLOR),
                Post::LIKES.coalesce(0),
            ));
        q.to_statement(b)
    });
    s.case("a left-joined alias falling back on the row itself", |b| {
        let boss = Employee::alias("boss");
        let q: Query<_, (i64, Option<i64>)> = Employee::query()
            .left_join_alias(boss, boss.col(Employee::ID).eq(Employee::BOSS_ID))
            .filter(
                boss.col(Employee::SALARY)
                    .coalesce(Employee::SALARY)
                    .ge(100),
            )
            .select((
                boss.col(Employee::SALARY).coalesce(Employee::SALARY),
                boss.col(Employee::BOSS_ID).coalesce(Employee::BOSS_ID),
            ));
        q.to_statement(b)
    });
    insta::assert_snapshot!(s.finish());
}

#[test]
fn comparisons_with_operands_of_other_tables() {
    let mut s = Cases::new();
    s.case(
        "between and comparisons with columns and expressions",
        |b| {
            User::query()
                .inner_join::<Post>(Post::USER_ID.eq(User::ID))
                .filter(
                    Post::LIKES
                        .between(User::AGE, User::AGE * 2)
                        .and(Post::TITLE.ne(User::NAME))
                        .and(Post::BODY.eq(User::HAIR_COLOR.coalesce(User::NAME))),
                )
                .select(Post::ID)
                .to_statement(b)
        },
    );
    insta::assert_snapshot!(s.finish());
}

#[test]
fn text_functions_and_coalesce() {
    let mut s = Cases::new();
    s.case("lower / upper / length", |b| {
        User::query()
            .select((User::NAME.lower(), User::NAME.upper(), User::NAME.length()))
            .to_statement(b)
    });
    s.case("coalesce with a value", |b| {
        User::query()
            .select(User::HAIR_COLOR.coalesce("none"))
            .to_statement(b)
    });
    s.case("lower in a filter", |b| {
        users(User::EMAIL.lower().eq("x@y.z")).to_statement(b)
    });
    insta::assert_snapshot!(s.finish());
}

#[test]
fn like_family() {
    let mut s = Cases::new();
    s.case("like / not like with user patterns", |b| {
        users(User::NAME.like("J_n%").and(User::NAME.not_like("%x"))).to_statement(b)
    });
    s.case("contains / starts_with / ends_with escape % _ \\", |b| {
        users(
            User::NAME
                .contains("50%_off\\")
                .and(User::NAME.starts_with("a_"))
                .and(User::HAIR_COLOR.ends_with("%")),
        )
        .to_statement(b)
    });
    s.case(
        "case-insensitive: needle folded in Rust, column by the server",
        |b| {
            users(
                User::NAME
                    .ilike("J%N")
                    .and(User::NAME.icontains("ÉtÉ_X"))
                    .and(User::NAME.istarts_with("AB"))
                    .and(User::NAME.iends_with("Cd"))
                    .and(User::EMAIL.ieq("A@B.C")),
            )
            .to_statement(b)
        },
    );
    insta::assert_snapshot!(s.finish());
}

#[test]
fn aggregates() {
    let mut s = Cases::new();
    s.case("count, count distinct, count(*)", |b| {
        User::query()
            .select((
                User::ID.count(),
                User::HAIR_COLOR.count_distinct(),
                count_star(),
            ))
            .to_statement(b)
    });
    s.case("sum and avg get one type everywhere", |b| {
        Post::query()
            .select((Post::LIKES.sum(), Post::SCORE.sum(), Post::LIKES.avg()))
            .to_statement(b)
    });
    s.case("min / max", |b| {
        Post::query()
            .select((Post::LIKES.min(), Post::TITLE.max()))
            .to_statement(b)
    });
    insta::assert_snapshot!(s.finish());
}

#[test]
fn raw_fragments() {
    let mut s = Cases::new();
    s.case("raw condition and raw expression with bound values", |b| {
        User::query()
            .filter(User::ID.gt(0))
            .filter(Condition::raw("age > ? + 1", &[&17]))
            .filter(Condition::from_raw(raw("name <> ?").bind("x")))
            .select((User::ID, Expr::<_, i64>::raw("LENGTH(name) + ?", &[&21i64])))
            .to_statement(b)
    });
    s.case("placeholder count mismatch", |b| {
        users(Condition::raw("age > ? AND age < ?", &[&1])).to_statement(b)
    });
    insta::assert_snapshot!(s.finish());
}

#[test]
fn condition_folding() {
    let mut s = Cases::new();
    let names = ["ann", "bob"];
    s.case("all_of / any_of / and_opt", |b| {
        let mut c = Condition::all();
        for n in names {
            c = c.and(User::NAME.ne(n));
        }
        let any = Condition::any_of(names.iter().map(|n| User::NAME.eq(*n)));
        let min_age: Option<i32> = Some(3);
        let hair: Option<&str> = None;
        users(
            c.and(any)
                .and_opt(min_age.map(|a| User::AGE.ge(a)))
                .and_opt(hair.map(|h| User::HAIR_COLOR.eq(h))),
        )
        .to_statement(b)
    });
    s.case("filter_if and filter_opt", |b| {
        let only_adults = true;
        let name: Option<&str> = None;
        User::query()
            .filter_if(only_adults, || User::AGE.ge(18))
            .filter_if(false, || User::AGE.lt(0))
            .filter_opt(name.map(|n| User::NAME.eq(n)))
            .select(User::ID)
            .to_statement(b)
    });
    s.case("empty folds", |b| {
        users(
            Condition::all_of(Vec::<Condition<User>>::new())
                .and(Condition::any_of(Vec::<Condition<User>>::new())),
        )
        .to_statement(b)
    });
    insta::assert_snapshot!(s.finish());
}
