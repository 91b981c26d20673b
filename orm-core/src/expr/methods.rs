//! The methods every typed expression offers ([`Column`] and [`Expr`] alike): comparisons, null tests,
//! membership, LIKE matching, text functions, `COALESCE`, aggregates and sort keys. One macro writes
//! them for both receivers; the bodies are the shared functions below.

use crate::ast::{self, BinOp, Direction, Func};
use crate::column::Column;
use crate::expr::coalesce::{Fallback, coalesce};
use crate::expr::like::{fold_case, wrap};
use crate::expr::{
    Compatible, Condition, Expr, Expression, Numeric, Operand, Order, Ordered, TextColumn,
    ValueType, fold_value,
};
use crate::query::Query;
use crate::scope::{NonNull, OrNull, SubScope, SubqueryScope};
use crate::value::{SqlParam, Value};

fn compare<S>(op: BinOp, lhs: ast::Expr, rhs: ast::Expr) -> Condition<S> {
    Condition::from_expr(ast::Expr::binary(op, lhs, rhs))
}

fn between<S>(e: ast::Expr, low: ast::Expr, high: ast::Expr, negated: bool) -> Condition<S> {
    Condition::from_expr(ast::Expr::Between {
        expr: Box::new(e),
        low: Box::new(low),
        high: Box::new(high),
        negated,
    })
}

fn in_list<S>(e: ast::Expr, values: impl Iterator<Item = Value>, negated: bool) -> Condition<S> {
    Condition::from_expr(ast::Expr::InList {
        expr: Box::new(e),
        list: values.collect(),
        negated,
    })
}

fn in_subquery<S>(e: ast::Expr, query: ast::Select, negated: bool) -> Condition<S> {
    Condition::from_expr(ast::Expr::InSubquery {
        expr: Box::new(e),
        query: Box::new(query),
        negated,
    })
}

fn is_null<S>(e: ast::Expr, negated: bool) -> Condition<S> {
    Condition::from_expr(ast::Expr::IsNull {
        expr: Box::new(e),
        negated,
    })
}

fn like<S>(e: ast::Expr, pattern: String, negated: bool) -> Condition<S> {
    Condition::from_expr(ast::Expr::Like {
        expr: Box::new(e),
        pattern: Box::new(ast::Expr::Value(Value::String(pattern))),
        negated,
    })
}

fn func<S, T>(func: Func, e: ast::Expr) -> Expr<S, T> {
    Expr::from_ast(ast::Expr::func(func, vec![e]))
}

fn lower(e: ast::Expr) -> ast::Expr {
    ast::Expr::func(Func::Lower, vec![e])
}

fn cast<S, T>(e: ast::Expr, to: ast::CastType) -> Expr<S, T> {
    Expr::from_ast(ast::Expr::Cast {
        expr: Box::new(e),
        to,
    })
}

macro_rules! expression_methods {
    ($Recv:ident) => {
        impl<Sc, T> $Recv<Sc, T> {
            /// `self = rhs`. On a nullable column, `None` means `IS NULL`.
            pub fn eq<S, R, K, I>(self, rhs: R) -> Condition<S>
            where
                Sc: SubScope<S, I>,
                R: Operand<S, T, K>,
            {
                compare(BinOp::Eq, self.into_ast(), rhs.into_operand())
            }
            /// `self <> rhs`. On a nullable column, `None` means `IS NOT NULL`.
            pub fn ne<S, R, K, I>(self, rhs: R) -> Condition<S>
            where
                Sc: SubScope<S, I>,
                R: Operand<S, T, K>,
            {
                compare(BinOp::Ne, self.into_ast(), rhs.into_operand())
            }
            /// `self < rhs`
            pub fn lt<S, R, K, I>(self, rhs: R) -> Condition<S>
            where
                Sc: SubScope<S, I>,
                R: Operand<S, T, K>,
            {
                compare(BinOp::Lt, self.into_ast(), rhs.into_operand())
            }
            /// `self <= rhs`
            pub fn le<S, R, K, I>(self, rhs: R) -> Condition<S>
            where
                Sc: SubScope<S, I>,
                R: Operand<S, T, K>,
            {
                compare(BinOp::Le, self.into_ast(), rhs.into_operand())
            }
            /// `self > rhs`
            pub fn gt<S, R, K, I>(self, rhs: R) -> Condition<S>
            where
                Sc: SubScope<S, I>,
                R: Operand<S, T, K>,
            {
                compare(BinOp::Gt, self.into_ast(), rhs.into_operand())
            }
            /// `self >= rhs`
            pub fn ge<S, R, K, I>(self, rhs: R) -> Condition<S>
            where
                Sc: SubScope<S, I>,
                R: Operand<S, T, K>,
            {
                compare(BinOp::Ge, self.into_ast(), rhs.into_operand())
            }
            /// `self BETWEEN low AND high` (both ends included).
            pub fn between<S, L, H, KL, KH, I>(self, low: L, high: H) -> Condition<S>
            where
                Sc: SubScope<S, I>,
                L: Operand<S, T, KL>,
                H: Operand<S, T, KH>,
            {
                between(
                    self.into_ast(),
                    low.into_operand(),
                    high.into_operand(),
                    false,
                )
            }
            /// `self NOT BETWEEN low AND high`
            pub fn not_between<S, L, H, KL, KH, I>(self, low: L, high: H) -> Condition<S>
            where
                Sc: SubScope<S, I>,
                L: Operand<S, T, KL>,
                H: Operand<S, T, KH>,
            {
                between(
                    self.into_ast(),
                    low.into_operand(),
                    high.into_operand(),
                    true,
                )
            }
            /// `self IN (v1, v2, ...)` for a list of any length; an empty list matches nothing, and a
            /// NULL (on either side) never matches, as in SQL. The values are always bound, never
            /// inlined: on PostgreSQL the whole list is one array parameter (`self = ANY($1)`, one
            /// statement text whatever the length); on SQLite and MySQL/MariaDB a short list is one
            /// placeholder per value and a longer one (more than
            /// [`Dialect::max_inline_list`](crate::Dialect::max_inline_list) values) is one parameter
            /// read by `rarray(...)` on SQLite and `JSON_TABLE` on MySQL/MariaDB (MySQL 8.0.4+,
            /// MariaDB 10.6+), with text compared under the tables' binary NO PAD collation. So
            /// 100,000 ids from elsewhere work on every backend.
            pub fn in_list<S, I, P: SqlParam<T>>(
                self,
                values: impl IntoIterator<Item = P>,
            ) -> Condition<S>
            where
                Sc: SubScope<S, I>,
            {
                in_list(
                    self.into_ast(),
                    values.into_iter().map(P::into_value),
                    false,
                )
            }
            /// `self NOT IN (v1, v2, ...)`, rendered like [`in_list`](Self::in_list) (`self <> ALL($1)`
            /// on PostgreSQL). An empty list matches everything; otherwise a NULL `self`, or a NULL in
            /// the list, makes it match nothing, as SQL's `NOT IN` does.
            pub fn not_in<S, I, P: SqlParam<T>>(
                self,
                values: impl IntoIterator<Item = P>,
            ) -> Condition<S>
            where
                Sc: SubScope<S, I>,
            {
                in_list(self.into_ast(), values.into_iter().map(P::into_value), true)
            }
            /// `self IN (SELECT ...)`: `User::ID.in_subquery(Post::query().select(Post::USER_ID))`.
            pub fn in_subquery<S, I, Sub, R, IO>(self, query: Query<Sub, R>) -> Condition<S>
            where
                Sc: SubScope<S, I>,
                Sub: SubqueryScope,
                Sub::Outer: SubScope<S, IO>,
                R: Compatible<T>,
            {
                in_subquery(self.into_ast(), query.into_select(), false)
            }
            /// `self NOT IN (SELECT ...)`. Matches nothing when the subquery yields a NULL, as SQL
            /// defines.
            pub fn not_in_subquery<S, I, Sub, R, IO>(self, query: Query<Sub, R>) -> Condition<S>
            where
                Sc: SubScope<S, I>,
                Sub: SubqueryScope,
                Sub::Outer: SubScope<S, IO>,
                R: Compatible<T>,
            {
                in_subquery(self.into_ast(), query.into_select(), true)
            }
            /// `self IS NULL` (also useful on any column of a left-joined table).
            pub fn is_null<S, I>(self) -> Condition<S>
            where
                Sc: SubScope<S, I>,
            {
                is_null(self.into_ast(), false)
            }
            /// `self IS NOT NULL`
            pub fn is_not_null<S, I>(self) -> Condition<S>
            where
                Sc: SubScope<S, I>,
            {
                is_null(self.into_ast(), true)
            }
            /// Ascending sort key.
            pub fn asc(self) -> Order<Sc> {
                Order::new(self.into_ast(), Direction::Asc)
            }
            /// Descending sort key.
            pub fn desc(self) -> Order<Sc> {
                Order::new(self.into_ast(), Direction::Desc)
            }
            /// `COUNT(self)`: the number of non-NULL values.
            pub fn count(self) -> Expr<NonNull<Sc>, i64> {
                func(Func::Count, self.into_ast())
            }
            /// `COUNT(DISTINCT self)`
            pub fn count_distinct(self) -> Expr<NonNull<Sc>, i64> {
                func(Func::CountDistinct, self.into_ast())
            }
        }

        impl<Sc, T: Ordered> $Recv<Sc, T> {
            /// `MIN(self)`; `None` over no rows.
            pub fn min(self) -> Expr<NonNull<Sc>, <T as OrNull>::Nullable> {
                func(Func::Min, self.into_ast())
            }
            /// `MAX(self)`; `None` over no rows.
            pub fn max(self) -> Expr<NonNull<Sc>, <T as OrNull>::Nullable> {
                func(Func::Max, self.into_ast())
            }
        }

        impl<Sc, T: Numeric> $Recv<Sc, T> {
            /// `SUM(self)` as `i64` (integers) or `f64` (floats) on every backend; `None` over no rows.
            pub fn sum(self) -> Expr<NonNull<Sc>, Option<T::Sum>> {
                cast(
                    ast::Expr::func(Func::Sum, vec![self.into_ast()]),
                    T::SUM_CAST,
                )
            }
            /// `AVG(self)` as `f64` on every backend; `None` over no rows.
            pub fn avg(self) -> Expr<NonNull<Sc>, Option<f64>> {
                cast(
                    ast::Expr::func(Func::Avg, vec![self.into_ast()]),
                    ast::CastType::Double,
                )
            }
        }

        impl<Sc, T: TextColumn> $Recv<Sc, T> {
            /// `self LIKE pattern ESCAPE '\'`: `%` and `_` in `pattern` are wildcards and `\` escapes
            /// them. Case-sensitive on every backend. For user text use [`contains`](Self::contains)
            /// and friends, which escape it.
            pub fn like<S, I>(self, pattern: impl Into<String>) -> Condition<S>
            where
                Sc: SubScope<S, I>,
            {
                like(self.into_ast(), pattern.into(), false)
            }
            /// `self NOT LIKE pattern ESCAPE '\'`
            pub fn not_like<S, I>(self, pattern: impl Into<String>) -> Condition<S>
            where
                Sc: SubScope<S, I>,
            {
                like(self.into_ast(), pattern.into(), true)
            }
            /// The text contains `needle` literally (`%`, `_` and `\` in it are escaped).
            pub fn contains<S, I>(self, needle: &str) -> Condition<S>
            where
                Sc: SubScope<S, I>,
            {
                like(self.into_ast(), wrap(needle, true, true), false)
            }
            /// The text starts with `prefix` literally (can use an index).
            pub fn starts_with<S, I>(self, prefix: &str) -> Condition<S>
            where
                Sc: SubScope<S, I>,
            {
                like(self.into_ast(), wrap(prefix, false, true), false)
            }
            /// The text ends with `suffix` literally.
            pub fn ends_with<S, I>(self, suffix: &str) -> Condition<S>
            where
                Sc: SubScope<S, I>,
            {
                like(self.into_ast(), wrap(suffix, true, false), false)
            }
            /// `LOWER(self) LIKE lower(pattern)`: [`like`](Self::like) ignoring ASCII case.
            pub fn ilike<S, I>(self, pattern: impl Into<String>) -> Condition<S>
            where
                Sc: SubScope<S, I>,
            {
                like(lower(self.into_ast()), fold_case(&pattern.into()), false)
            }
            /// [`contains`](Self::contains) ignoring ASCII case.
            pub fn icontains<S, I>(self, needle: &str) -> Condition<S>
            where
                Sc: SubScope<S, I>,
            {
                like(
                    lower(self.into_ast()),
                    wrap(&fold_case(needle), true, true),
                    false,
                )
            }
            /// [`starts_with`](Self::starts_with) ignoring ASCII case.
            pub fn istarts_with<S, I>(self, prefix: &str) -> Condition<S>
            where
                Sc: SubScope<S, I>,
            {
                like(
                    lower(self.into_ast()),
                    wrap(&fold_case(prefix), false, true),
                    false,
                )
            }
            /// [`ends_with`](Self::ends_with) ignoring ASCII case.
            pub fn iends_with<S, I>(self, suffix: &str) -> Condition<S>
            where
                Sc: SubScope<S, I>,
            {
                like(
                    lower(self.into_ast()),
                    wrap(&fold_case(suffix), true, false),
                    false,
                )
            }
            /// `LOWER(self) = lower(value)`: equality ignoring ASCII case.
            pub fn ieq<S, I>(self, value: impl SqlParam<T>) -> Condition<S>
            where
                Sc: SubScope<S, I>,
            {
                compare(
                    BinOp::Eq,
                    lower(self.into_ast()),
                    ast::Expr::Value(fold_value(value.into_value())),
                )
            }
            /// The text with ASCII letters lower-cased (the same rule on every backend).
            pub fn lower(self) -> Expr<Sc, T> {
                func(Func::Lower, self.into_ast())
            }
            /// The text with ASCII letters upper-cased.
            pub fn upper(self) -> Expr<Sc, T> {
                func(Func::Upper, self.into_ast())
            }
            /// Length in characters.
            pub fn length(self) -> Expr<Sc, T::Length> {
                func(Func::Length, self.into_ast())
            }
        }

        impl<Sc, T: ValueType> $Recv<Sc, T> {
            /// `COALESCE(self, fallback)`: the value, or `fallback` when it is NULL. `fallback` is a
            /// value (the result is never NULL) or another expression, of any table of the query
            /// (the result may be NULL only when both may be). Chained calls append arguments:
            /// `Post::BODY.coalesce(User::HAIR_COLOR).coalesce("none")`. On a column of a
            /// left-joined table, a plain type counts as nullable. See [`Fallback`].
            pub fn coalesce<F, K>(self, fallback: F) -> Expr<F::Scope, F::Type>
            where
                F: Fallback<Sc, T, K>,
            {
                Expr::from_ast(coalesce(self.into_ast(), fallback.into_fallback()))
            }
        }
    };
}

expression_methods!(Column);
expression_methods!(Expr);
