//! The untyped expression node renderers walk. Built only through the typed API in [`crate::expr`]
//! (or by hand in tests and advanced code that vouches for its own typing).

use std::borrow::Cow;
use std::sync::Arc;

use crate::ast::Select;
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
    /// `/` on floating-point operands.
    Div,
    /// Integer division truncating toward zero: `/` on PostgreSQL and SQLite, `DIV` on MySQL (whose
    /// `/` would return a DECIMAL).
    IntDiv,
    /// Remainder with the sign of the dividend: `%`.
    Rem,
}

impl BinOp {
    /// The SQL spelling shared by every dialect (`IntDiv` is `DIV` on MySQL; the writer handles that).
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
            BinOp::Div | BinOp::IntDiv => "/",
            BinOp::Rem => "%",
        }
    }
}

/// SQL functions the renderer knows how to spell on every dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Func {
    /// `COUNT(x)`
    Count,
    /// `COUNT(DISTINCT x)`
    CountDistinct,
    /// Lower-cases ASCII letters only, on every dialect (see [`crate::expr`] for why).
    Lower,
    /// Upper-cases ASCII letters only, on every dialect.
    Upper,
    /// Length in characters (`CHAR_LENGTH` on MySQL).
    Length,
    /// `COALESCE(a, b, ...)`
    Coalesce,
    /// `SUM(x)`
    Sum,
    /// `AVG(x)`
    Avg,
    /// `MIN(x)`
    Min,
    /// `MAX(x)`
    Max,
}

/// Portable result types for [`Expr::Cast`], used to give aggregates one Rust type on every dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CastType {
    /// 64-bit integer: `BIGINT` / `SIGNED` / `INTEGER`.
    BigInt,
    /// Double precision float: `DOUBLE PRECISION` / `DOUBLE` / `REAL`.
    Double,
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
        /// `[lhs, rhs]`, in one allocation.
        operands: Box<[Expr; 2]>,
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
    /// `e IN (...)` / `e NOT IN (...)` over bound values; an empty list is `FALSE` / `TRUE`. A list
    /// longer than [`Dialect::max_inline_list`](crate::Dialect::max_inline_list) is bound as one
    /// [`Value::List`] parameter (shared, not copied, when the statement is rendered).
    InList {
        /// Tested expression.
        expr: Box<Expr>,
        /// Candidates.
        list: Arc<[Value]>,
        /// `NOT IN` when `true`.
        negated: bool,
    },
    /// `e IN (SELECT ...)` / `e NOT IN (SELECT ...)`; the subquery selects one column.
    InSubquery {
        /// Tested expression.
        expr: Box<Expr>,
        /// The subquery.
        query: Box<Select>,
        /// `NOT IN` when `true`.
        negated: bool,
    },
    /// `EXISTS (SELECT ...)` / `NOT EXISTS (SELECT ...)`.
    Exists {
        /// The subquery (its select list is irrelevant).
        query: Box<Select>,
        /// `NOT EXISTS` when `true`.
        negated: bool,
    },
    /// `e BETWEEN low AND high` (both ends inclusive).
    Between {
        /// Tested expression.
        expr: Box<Expr>,
        /// Lower bound.
        low: Box<Expr>,
        /// Upper bound.
        high: Box<Expr>,
        /// `NOT BETWEEN` when `true`.
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
    /// `COUNT(*)`
    CountStar,
    /// `CAST(e AS type)`, spelled per dialect.
    Cast {
        /// Converted expression.
        expr: Box<Expr>,
        /// Target type.
        to: CastType,
    },
    /// Keyset pagination: the row of `keys` sorts strictly after `values` in the keys' directions.
    /// Rendered as a row comparison where the dialect optimizes it (PostgreSQL and SQLite, uniform
    /// direction), otherwise as the expanded `k1 > v1 OR (k1 = v1 AND k2 > v2) ...` form with a
    /// leading range bound on the first key.
    KeysetAfter {
        /// Sort keys, most significant first.
        keys: Vec<(Expr, Direction)>,
        /// The last row's key values, one per key.
        values: Vec<Expr>,
    },
    /// `e AS "name"` inside a select list.
    Alias {
        /// Selected expression.
        expr: Box<Expr>,
        /// Output column name.
        name: Cow<'static, str>,
    },
    /// A raw SQL fragment with `?` placeholders and its bound values (see [`crate::raw`](mod@crate::raw)).
    Raw {
        /// SQL text with `?` placeholders.
        sql: Cow<'static, str>,
        /// One value per placeholder.
        params: Vec<Value>,
    },
}

impl Expr {
    /// The column `name` of `table` (a table name or an alias); usable in constants.
    pub const fn column(table: &'static str, name: &'static str) -> Expr {
        Expr::Column(ColumnRef { table, name })
    }

    /// `lhs op rhs`
    pub fn binary(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
        Expr::Binary {
            op,
            operands: Box::new([lhs, rhs]),
        }
    }

    /// A function call.
    pub fn func(func: Func, args: Vec<Expr>) -> Expr {
        Expr::Func { func, args }
    }

    /// `self AND other`, dropping a `TRUE` operand.
    pub fn and(self, other: Expr) -> Expr {
        match (self, other) {
            (Expr::Bool(true), e) | (e, Expr::Bool(true)) => e,
            (a, b) => Expr::binary(BinOp::And, a, b),
        }
    }

    /// `self OR other`, dropping a `FALSE` operand.
    pub fn or(self, other: Expr) -> Expr {
        match (self, other) {
            (Expr::Bool(false), e) | (e, Expr::Bool(false)) => e,
            (a, b) => Expr::binary(BinOp::Or, a, b),
        }
    }

    /// `true` when the expression computes an aggregate (outside subqueries), so a SELECT of it
    /// returns one row per group.
    pub fn has_aggregate(&self) -> bool {
        match self {
            Expr::CountStar => true,
            Expr::Func { func, args } => {
                matches!(
                    func,
                    Func::Count
                        | Func::CountDistinct
                        | Func::Sum
                        | Func::Avg
                        | Func::Min
                        | Func::Max
                ) || args.iter().any(Expr::has_aggregate)
            }
            Expr::Binary { operands, .. } => operands.iter().any(Expr::has_aggregate),
            Expr::Not(e)
            | Expr::IsNull { expr: e, .. }
            | Expr::Cast { expr: e, .. }
            | Expr::Alias { expr: e, .. }
            | Expr::Like { expr: e, .. }
            | Expr::InList { expr: e, .. }
            | Expr::InSubquery { expr: e, .. } => e.has_aggregate(),
            Expr::Between {
                expr, low, high, ..
            } => expr.has_aggregate() || low.has_aggregate() || high.has_aggregate(),
            Expr::Column(_)
            | Expr::Value(_)
            | Expr::Bool(_)
            | Expr::Exists { .. }
            | Expr::KeysetAfter { .. }
            | Expr::Raw { .. } => false,
        }
    }

    /// Calls `f` on every column this expression mentions, including inside subqueries.
    pub fn for_each_column(&self, f: &mut impl FnMut(&ColumnRef)) {
        match self {
            Expr::Column(c) => f(c),
            Expr::Value(_) | Expr::Bool(_) | Expr::CountStar | Expr::Raw { .. } => {}
            Expr::Binary { operands, .. } => operands.iter().for_each(|e| e.for_each_column(f)),
            Expr::Not(e) | Expr::IsNull { expr: e, .. } | Expr::Cast { expr: e, .. } => {
                e.for_each_column(f);
            }
            Expr::Alias { expr, .. } => expr.for_each_column(f),
            Expr::InList { expr, .. } => expr.for_each_column(f),
            Expr::InSubquery { expr, query, .. } => {
                expr.for_each_column(f);
                query.for_each_column(f);
            }
            Expr::Exists { query, .. } => query.for_each_column(f),
            Expr::Between {
                expr, low, high, ..
            } => {
                expr.for_each_column(f);
                low.for_each_column(f);
                high.for_each_column(f);
            }
            Expr::Like { expr, pattern, .. } => {
                expr.for_each_column(f);
                pattern.for_each_column(f);
            }
            Expr::Func { args, .. } => args.iter().for_each(|e| e.for_each_column(f)),
            Expr::KeysetAfter { keys, values } => {
                keys.iter().for_each(|(e, _)| e.for_each_column(f));
                values.iter().for_each(|e| e.for_each_column(f));
            }
        }
    }
}
