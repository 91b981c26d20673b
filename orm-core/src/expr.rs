//! The untyped expression tree every statement is built from, and its typed wrappers.
//!
//! Contract: [`Expr`] is what renderers walk; users never build it by hand. They build typed
//! [`Condition<M>`]s from [`Column`](crate::Column) handles, so a filter on a `User` query can only
//! mention `User` columns with values of the right Rust type. Values inside an `Expr` are always bound.

use std::marker::PhantomData;
use std::ops;

use crate::value::Value;

/// A column reference: table (or alias) and column name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ColumnRef {
    /// Table name or alias.
    pub table: &'static str,
    /// Column name.
    pub name: &'static str,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `AND`
    And,
    /// `OR`
    Or,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl BinOp {
    /// The SQL spelling.
    pub const fn sql(self) -> &'static str {
        match self {
            BinOp::Eq => "=",
            BinOp::Ne => "<>",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::And => "AND",
            BinOp::Or => "OR",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }
}

/// SQL functions the renderer knows how to spell on every dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Func {
    /// `count(x)`
    Count,
    /// `lower(x)`
    Lower,
    /// `upper(x)`
    Upper,
    /// character length
    Length,
    /// `coalesce(a, b, ...)`
    Coalesce,
    /// `sum(x)`
    Sum,
    /// `avg(x)`
    Avg,
    /// `min(x)`
    Min,
    /// `max(x)`
    Max,
}

/// An expression node.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A column.
    Column(ColumnRef),
    /// A bound value.
    Value(Value),
    /// `TRUE` / `FALSE` literal (used for empty IN lists and empty AND/OR).
    Bool(bool),
    /// `lhs op rhs`
    Binary {
        /// Operator.
        op: BinOp,
        /// Left side.
        lhs: Box<Expr>,
        /// Right side.
        rhs: Box<Expr>,
    },
    /// `NOT e`
    Not(Box<Expr>),
    /// `e IS NULL` / `e IS NOT NULL`
    IsNull {
        /// Tested expression.
        expr: Box<Expr>,
        /// `IS NOT NULL` when `true`.
        negated: bool,
    },
    /// `e IN (...)` / `e NOT IN (...)`; an empty list is `FALSE` / `TRUE`.
    InList {
        /// Tested expression.
        expr: Box<Expr>,
        /// Candidates.
        list: Vec<Expr>,
        /// `NOT IN` when `true`.
        negated: bool,
    },
    /// `e LIKE pattern ESCAPE '\'`; the pattern is bound.
    Like {
        /// Tested expression.
        expr: Box<Expr>,
        /// The pattern (a bound value).
        pattern: Box<Expr>,
        /// `NOT LIKE` when `true`.
        negated: bool,
    },
    /// A function call.
    Func {
        /// Function.
        func: Func,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// `count(*)`
    CountStar,
    /// A raw SQL fragment with `?` placeholders and its bound values (see [`crate::raw`]).
    Raw {
        /// SQL text with `?` placeholders.
        sql: std::borrow::Cow<'static, str>,
        /// One value per placeholder.
        params: Vec<Value>,
    },
}

impl Expr {
    /// `lhs op rhs`
    pub fn binary(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
        Expr::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        }
    }
}

/// A boolean expression over the columns of `M` (a model, or a join of models).
pub struct Condition<M> {
    expr: Expr,
    _m: PhantomData<fn() -> M>,
}

impl<M> Clone for Condition<M> {
    fn clone(&self) -> Self {
        Self {
            expr: self.expr.clone(),
            _m: PhantomData,
        }
    }
}

impl<M> std::fmt::Debug for Condition<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.expr.fmt(f)
    }
}

impl<M> Condition<M> {
    /// Wraps an untyped expression. The caller vouches that it is boolean and mentions only `M`.
    pub fn from_expr(expr: Expr) -> Self {
        Self {
            expr,
            _m: PhantomData,
        }
    }
    /// Always true.
    pub fn all() -> Self {
        Self::from_expr(Expr::Bool(true))
    }
    /// Always false.
    pub fn none() -> Self {
        Self::from_expr(Expr::Bool(false))
    }
    /// The expression tree.
    pub fn into_expr(self) -> Expr {
        self.expr
    }
    /// The expression tree, borrowed.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }
    /// `self AND other`
    #[must_use]
    pub fn and(self, other: Condition<M>) -> Self {
        Self::from_expr(Expr::binary(BinOp::And, self.expr, other.expr))
    }
    /// `self OR other`
    #[must_use]
    pub fn or(self, other: Condition<M>) -> Self {
        Self::from_expr(Expr::binary(BinOp::Or, self.expr, other.expr))
    }
    /// `NOT self`
    #[allow(clippy::should_implement_trait)]
    #[must_use]
    pub fn not(self) -> Self {
        Self::from_expr(Expr::Not(Box::new(self.expr)))
    }
}

impl<M> ops::Not for Condition<M> {
    type Output = Condition<M>;
    fn not(self) -> Self {
        Condition::not(self)
    }
}

impl<M> ops::BitAnd for Condition<M> {
    type Output = Condition<M>;
    fn bitand(self, rhs: Self) -> Self {
        self.and(rhs)
    }
}

impl<M> ops::BitOr for Condition<M> {
    type Output = Condition<M>;
    fn bitor(self, rhs: Self) -> Self {
        self.or(rhs)
    }
}

/// Sort direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

/// Where NULLs sort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Nulls {
    /// NULLs before values.
    First,
    /// NULLs after values.
    Last,
}

/// One ORDER BY key.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderBy {
    /// Sorted expression.
    pub expr: Expr,
    /// Direction.
    pub direction: Direction,
    /// Explicit NULL placement (emulated where the dialect lacks NULLS FIRST/LAST).
    pub nulls: Option<Nulls>,
}

/// A typed ORDER BY key over the columns of `M`.
pub struct Order<M> {
    order: OrderBy,
    _m: PhantomData<fn() -> M>,
}

impl<M> Clone for Order<M> {
    fn clone(&self) -> Self {
        Self {
            order: self.order.clone(),
            _m: PhantomData,
        }
    }
}

impl<M> std::fmt::Debug for Order<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.order.fmt(f)
    }
}

impl<M> Order<M> {
    /// Wraps an untyped key.
    pub fn from_order(order: OrderBy) -> Self {
        Self {
            order,
            _m: PhantomData,
        }
    }
    /// The untyped key.
    pub fn into_order(self) -> OrderBy {
        self.order
    }
    /// NULLs sort first.
    #[must_use]
    pub fn nulls_first(mut self) -> Self {
        self.order.nulls = Some(Nulls::First);
        self
    }
    /// NULLs sort last.
    #[must_use]
    pub fn nulls_last(mut self) -> Self {
        self.order.nulls = Some(Nulls::Last);
        self
    }
}
