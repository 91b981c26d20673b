//! Typed expressions: [`Expr<S, T>`], boolean [`Condition<S>`]s and sort keys ([`Order<S>`]).
//!
//! Contract:
//! - `S` is a scope (see [`crate::scope`]): the tables an expression reads. `T` is the Rust type of its
//!   value (`Option<_>` when it may be NULL). Column handles ([`Column<M, T>`](crate::Column)) are
//!   expressions of scope `M`.
//! - Comparisons (`eq`, `lt`, `like`, `in_list`, ...) return a `Condition<S>` whose scope `S` is chosen
//!   by where the condition is used (the query it filters, the join it is the ON clause of); the
//!   compiler checks that `S` provides every table the condition reads. So
//!   `User::query().filter(Post::TITLE.eq("x"))` does not compile, while
//!   `User::query().inner_join::<Post>(Post::USER_ID.eq(User::ID))` does.
//! - Values are checked by [`SqlParam`]: an `i64` column is compared with integers,
//!   not `&str`. Expressions compare with expressions of the same type ([`Compatible`]). Arithmetic
//!   needs [`Numeric`] operands, text functions need [`TextColumn`].
//! - Two expressions combined into one (`a - b`, `a.coalesce(b)`) may read different tables: the
//!   result reads the tables of both, and may be NULL in a query where a left-joined table makes it
//!   so (a `coalesce` only where every argument may be NULL).
//! - Every value is a bound parameter. LIKE needles from user text are escaped (see [`like`]).
//!
//! Portable typing of functions (the renderer adds casts where a server would differ):
//!
//! | method | Rust type | PostgreSQL | MySQL/MariaDB | SQLite |
//! |---|---|---|---|---|
//! | `count`, `count_distinct`, [`count_star`] | `i64` | `COUNT(..)` | `COUNT(..)` | `COUNT(..)` |
//! | `sum` of integers | `Option<i64>` | `CAST(SUM(x) AS BIGINT)` | `CAST(SUM(x) AS SIGNED)` | `CAST(SUM(x) AS INTEGER)` |
//! | `sum` of floats | `Option<f64>` | `CAST(.. AS DOUBLE PRECISION)` | `CAST(.. AS DOUBLE)` | `CAST(.. AS REAL)` |
//! | `avg` | `Option<f64>` | `CAST(AVG(x) AS DOUBLE PRECISION)` | `CAST(AVG(x) AS DOUBLE)` | `CAST(AVG(x) AS REAL)` |
//! | `min`, `max` | `Option<T>` | `MIN`/`MAX` | `MIN`/`MAX` | `MIN`/`MAX` |
//! | `lower`, `upper` | `T` | `LOWER(x COLLATE "C")` | 26 nested `REPLACE`s | `LOWER(x)` |
//! | `length` | `i64` | `LENGTH` | `CHAR_LENGTH` | `LENGTH` |
//! | `coalesce` | see [`Fallback`] | `COALESCE(a, b, ..)` | `COALESCE(a, b, ..)` | `COALESCE(a, b, ..)` |
//!
//! `sum`, `avg`, `min` and `max` are `None` over no rows (or only NULLs), as SQL defines. A sum beyond
//! the `i64` range is an error on PostgreSQL and SQLite; MySQL saturates it with a warning.
//!
//! `lower`, `upper` and the case-insensitive matchers (`ilike`, `icontains`, `ieq`, ...) change ASCII
//! letters only, on every backend: SQLite's `LOWER` is ASCII-only, so PostgreSQL is pinned to the `C`
//! collation (ASCII-only) and MySQL, whose `LOWER` is Unicode-aware, uses `REPLACE` per letter. Needles
//! are folded in Rust with [`like::fold_case`], the same rule.
//!
//! Integer division truncates toward zero everywhere (MySQL renders `DIV`). Division by zero is an
//! error on PostgreSQL and NULL on MySQL and SQLite.

mod coalesce;
mod kinds;
pub mod like;
mod methods;
mod ops;

pub use coalesce::Fallback;
pub use kinds::{Compatible, Numeric, Ordered, TextColumn, ValueType};

use std::marker::PhantomData;

use crate::ast::{self, Direction, Nulls, OrderBy};
use crate::query::Query;
use crate::raw::{Raw, SqlSafeStr};
use crate::scope::{SubScope, SubqueryScope};
use crate::value::{SqlParam, ToValue, Value};

/// Markers for how a value reaches an expression; inferred, never written by users.
pub mod via {
    /// A bound value.
    #[derive(Debug)]
    pub enum ByValue {}
    /// Another expression, whose tables are found at positions `I` of the scope.
    #[derive(Debug)]
    pub struct ByExpr<I>(I);
    /// A [`Condition`](super::Condition) built for exactly this scope.
    #[derive(Debug)]
    pub enum Exact {}
    /// A boolean expression of a narrower scope, found at positions `I`.
    #[derive(Debug)]
    pub struct Lift<I>(I);
}

use via::{ByExpr, ByValue, Exact, Lift};

/// A typed expression: something with a scope (the tables it reads) and a Rust value type.
/// Implemented by [`Column`](crate::Column), [`Expr`] and [`Condition`].
pub trait Expression: Sized {
    /// The tables the expression reads.
    type Scope;
    /// The Rust type of its value.
    type Type;
    /// The untyped expression tree.
    fn into_ast(self) -> ast::Expr;
}

/// An expression over the tables `S` with a value of Rust type `T`: `User::AGE + 1`,
/// `User::NAME.lower()`, `Post::ID.count()`.
#[must_use]
pub struct Expr<S, T> {
    node: ast::Expr,
    _t: PhantomData<fn() -> (S, T)>,
}

impl<S, T> Clone for Expr<S, T> {
    fn clone(&self) -> Self {
        Self::from_ast(self.node.clone())
    }
}

impl<S, T> std::fmt::Debug for Expr<S, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.node.fmt(f)
    }
}

impl<S, T> Expr<S, T> {
    /// Wraps an untyped tree. The caller vouches that it reads only `S` and has type `T`.
    pub fn from_ast(node: ast::Expr) -> Self {
        Self {
            node,
            _t: PhantomData,
        }
    }
    /// The untyped tree, borrowed.
    pub fn ast(&self) -> &ast::Expr {
        &self.node
    }
}

impl<T> Expr<(), T> {
    /// A raw SQL expression with `?` placeholders, for what the builder cannot express:
    /// `Expr::<_, i64>::raw("EXTRACT(YEAR FROM NOW())", &[])`. The caller vouches for its type `T`
    /// (use `Option<_>` if it can be NULL). Columns inside are not checked: qualify them yourself
    /// (`"users"."age"`) in queries with joins.
    pub fn raw(sql: impl SqlSafeStr, params: &[&dyn ToValue]) -> Self {
        Self::from_ast(ast::Expr::Raw {
            sql: sql.into_sql(),
            params: params.iter().map(|p| p.to_value()).collect(),
        })
    }
}

impl<S, T> Expression for Expr<S, T> {
    type Scope = S;
    type Type = T;
    fn into_ast(self) -> ast::Expr {
        self.node
    }
}

/// A value or an expression that may stand where a value of type `T` is expected, inside scope `S`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be compared with or assigned to an expression of type `{T}`",
    label = "expected a value of type `{T}` (or a lossless widening), or an expression of that type",
    note = "an `i64` column takes integers, a `String` column takes `&str`/`String`; a nullable column \
            also takes the plain type and `None`"
)]
pub trait Operand<S, T, K> {
    /// The untyped operand.
    fn into_operand(self) -> ast::Expr;
}

impl<S, T, V: SqlParam<T>> Operand<S, T, ByValue> for V {
    fn into_operand(self) -> ast::Expr {
        ast::Expr::Value(self.into_value())
    }
}

impl<S, T, E, I> Operand<S, T, ByExpr<I>> for E
where
    E: Expression,
    E::Type: Compatible<T>,
    E::Scope: SubScope<S, I>,
{
    fn into_operand(self) -> ast::Expr {
        self.into_ast()
    }
}

/// A boolean expression usable as a condition in scope `S`: a [`Condition<S>`], or a boolean
/// column/expression of a narrower scope.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a condition over `{S}`",
    label = "expected a `Condition` (e.g. `User::AGE.gt(18)`) over the query's tables"
)]
pub trait IntoCondition<S, K> {
    /// The untyped boolean expression.
    fn into_condition(self) -> ast::Expr;
}

impl<S> IntoCondition<S, Exact> for Condition<S> {
    fn into_condition(self) -> ast::Expr {
        self.expr
    }
}

impl<S, S0, I> IntoCondition<S, Lift<I>> for Expr<S0, bool>
where
    S0: SubScope<S, I>,
{
    fn into_condition(self) -> ast::Expr {
        self.node
    }
}

impl<S, M, I> IntoCondition<S, Lift<I>> for crate::Column<M, bool>
where
    M: SubScope<S, I>,
{
    fn into_condition(self) -> ast::Expr {
        self.into_ast()
    }
}

/// A boolean condition over the tables of scope `S` (a model, or a join of models).
///
/// Conditions built from columns take their scope from where they are used, so one
/// `User::AGE.gt(18)` fits a query over `User` and one joining `User` with `Post`. A condition whose
/// type names a narrower scope (`fn adults() -> Condition<User>`) is moved into a join with
/// [`Condition::widen`].
#[must_use]
pub struct Condition<S> {
    expr: ast::Expr,
    _s: PhantomData<fn() -> S>,
}

impl<S> Clone for Condition<S> {
    fn clone(&self) -> Self {
        Self::from_expr(self.expr.clone())
    }
}

impl<S> std::fmt::Debug for Condition<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.expr.fmt(f)
    }
}

impl<S> Expression for Condition<S> {
    type Scope = S;
    type Type = bool;
    fn into_ast(self) -> ast::Expr {
        self.expr
    }
}

impl<S> Condition<S> {
    /// Wraps an untyped expression. The caller vouches that it is boolean and reads only `S`.
    pub fn from_expr(expr: ast::Expr) -> Self {
        Self {
            expr,
            _s: PhantomData,
        }
    }
    /// Always true; the neutral start of an AND fold (it disappears from the SQL).
    pub fn all() -> Self {
        Self::from_expr(ast::Expr::Bool(true))
    }
    /// Always false; the neutral start of an OR fold.
    pub fn none() -> Self {
        Self::from_expr(ast::Expr::Bool(false))
    }
    /// Every condition holds (`TRUE` for none).
    pub fn all_of<C: IntoCondition<S, K>, K>(conditions: impl IntoIterator<Item = C>) -> Self {
        conditions
            .into_iter()
            .fold(Self::all(), |acc, c| acc.and(c))
    }
    /// At least one condition holds (`FALSE` for none).
    pub fn any_of<C: IntoCondition<S, K>, K>(conditions: impl IntoIterator<Item = C>) -> Self {
        conditions
            .into_iter()
            .fold(Self::none(), |acc, c| acc.or(c))
    }
    /// A raw SQL condition with `?` placeholders, bound to `params`: the explicit escape hatch,
    /// `Condition::raw("age > ? + 1", &[&17])`. Follows the rules of [`crate::raw`](mod@crate::raw): only
    /// `&'static str` or [`AssertSqlSafe`](crate::AssertSqlSafe) text; values are always bound. Columns
    /// inside are not checked by the compiler: qualify them yourself in queries with joins.
    pub fn raw(sql: impl SqlSafeStr, params: &[&dyn ToValue]) -> Self {
        Self::from_expr(ast::Expr::Raw {
            sql: sql.into_sql(),
            params: params.iter().map(|p| p.to_value()).collect(),
        })
    }
    /// A raw SQL condition from a [`Raw`] statement built with `raw(..).bind(..)`.
    pub fn from_raw(raw: Raw) -> Self {
        Self::from_expr(raw.into_expr())
    }
    /// The expression tree.
    pub fn into_expr(self) -> ast::Expr {
        self.expr
    }
    /// The expression tree, borrowed.
    pub fn expr(&self) -> &ast::Expr {
        &self.expr
    }
    /// `self AND other`
    pub fn and<K>(self, other: impl IntoCondition<S, K>) -> Self {
        Self::from_expr(self.expr.and(other.into_condition()))
    }
    /// `self OR other`
    pub fn or<K>(self, other: impl IntoCondition<S, K>) -> Self {
        Self::from_expr(self.expr.or(other.into_condition()))
    }
    /// `self AND other` when `other` is `Some`, else `self`: for optional search-form fields.
    pub fn and_opt<K>(self, other: Option<impl IntoCondition<S, K>>) -> Self {
        match other {
            Some(o) => self.and(o),
            None => self,
        }
    }
    /// `self OR other` when `other` is `Some`, else `self`.
    pub fn or_opt<K>(self, other: Option<impl IntoCondition<S, K>>) -> Self {
        match other {
            Some(o) => self.or(o),
            None => self,
        }
    }
    /// `NOT self`
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Self {
        Self::from_expr(ast::Expr::Not(Box::new(self.expr)))
    }
    /// The same condition in a wider scope that provides all its tables: a `Condition<User>` used in a
    /// query joining `User` and `Post`.
    pub fn widen<S2, I>(self) -> Condition<S2>
    where
        S: SubScope<S2, I>,
    {
        Condition::from_expr(self.expr)
    }
}

impl<S> std::ops::Not for Condition<S> {
    type Output = Condition<S>;
    fn not(self) -> Self {
        Condition::not(self)
    }
}

impl<S> std::ops::BitAnd for Condition<S> {
    type Output = Condition<S>;
    fn bitand(self, rhs: Self) -> Self {
        self.and(rhs)
    }
}

impl<S> std::ops::BitOr for Condition<S> {
    type Output = Condition<S>;
    fn bitor(self, rhs: Self) -> Self {
        self.or(rhs)
    }
}

/// `EXISTS (subquery)`. A subquery that reads the outer query's table is built with
/// [`Query::correlate`]: `exists(Post::query().correlate::<User>().filter(Post::USER_ID.eq(User::ID)))`.
pub fn exists<S, Sub, R, I>(query: Query<Sub, R>) -> Condition<S>
where
    Sub: SubqueryScope,
    Sub::Outer: SubScope<S, I>,
{
    Condition::from_expr(ast::Expr::Exists {
        query: Box::new(query.into_exists_select()),
        negated: false,
    })
}

/// `NOT EXISTS (subquery)`.
pub fn not_exists<S, Sub, R, I>(query: Query<Sub, R>) -> Condition<S>
where
    Sub: SubqueryScope,
    Sub::Outer: SubScope<S, I>,
{
    Condition::from_expr(ast::Expr::Exists {
        query: Box::new(query.into_exists_select()),
        negated: true,
    })
}

/// `COUNT(*)`: the number of rows (per group with `group_by`).
pub fn count_star() -> Expr<(), i64> {
    Expr::from_ast(ast::Expr::CountStar)
}

/// A sort key over the tables `S`: `User::NAME.asc()`. Keys of different columns have the same type,
/// so a sort chosen at run time is a plain `match`.
#[must_use]
pub struct Order<S> {
    order: OrderBy,
    _s: PhantomData<fn() -> S>,
}

impl<S> Clone for Order<S> {
    fn clone(&self) -> Self {
        Self::from_order(self.order.clone())
    }
}

impl<S> std::fmt::Debug for Order<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.order.fmt(f)
    }
}

impl<S> Order<S> {
    /// Wraps an untyped key.
    pub fn from_order(order: OrderBy) -> Self {
        Self {
            order,
            _s: PhantomData,
        }
    }
    pub(crate) fn new(expr: ast::Expr, direction: Direction) -> Self {
        Self::from_order(OrderBy {
            expr,
            direction,
            nulls: None,
        })
    }
    /// The untyped key.
    pub fn into_order(self) -> OrderBy {
        self.order
    }
    /// NULLs sort first (emulated on MySQL).
    pub fn nulls_first(mut self) -> Self {
        self.order.nulls = Some(Nulls::First);
        self
    }
    /// NULLs sort last (emulated on MySQL).
    pub fn nulls_last(mut self) -> Self {
        self.order.nulls = Some(Nulls::Last);
        self
    }
}

/// A sort key usable in a query over scope `S`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a sort key for a query over `{S}`",
    label = "expected `column.asc()` or `column.desc()` over the query's tables"
)]
pub trait IntoOrder<S, I> {
    /// The untyped key.
    fn into_order_by(self) -> OrderBy;
}

impl<S, S0, I> IntoOrder<S, I> for Order<S0>
where
    S0: SubScope<S, I>,
{
    fn into_order_by(self) -> OrderBy {
        self.order
    }
}

/// Makes a text value lower-case by [`like::fold_case`]; other values are unchanged.
fn fold_value(v: Value) -> Value {
    match v {
        Value::String(s) => Value::String(like::fold_case(&s)),
        other => other,
    }
}
