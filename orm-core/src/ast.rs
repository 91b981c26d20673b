//! Statement trees: SELECT, INSERT, UPDATE, DELETE. Built by the query builder and CRUD methods,
//! turned into SQL text plus bound parameters by [`crate::render`].

use crate::expr::{ColumnRef, Expr, OrderBy};
use crate::value::Value;

/// Row lock requested by a SELECT.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lock {
    /// `FOR UPDATE`
    Update,
    /// `FOR SHARE` (`LOCK IN SHARE MODE` on MySQL)
    Share,
}

/// Join kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JoinKind {
    /// `INNER JOIN`
    Inner,
    /// `LEFT JOIN`
    Left,
}

/// A table in FROM or JOIN, optionally aliased.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TableRef {
    /// Table name.
    pub name: &'static str,
    /// Alias, for self-joins.
    pub alias: Option<&'static str>,
}

impl TableRef {
    /// An unaliased table.
    pub const fn new(name: &'static str) -> Self {
        Self { name, alias: None }
    }
}

/// One JOIN clause.
#[derive(Clone, Debug, PartialEq)]
pub struct Join {
    /// Inner or left.
    pub kind: JoinKind,
    /// Joined table.
    pub table: TableRef,
    /// ON condition.
    pub on: Expr,
}

/// SELECT.
#[derive(Clone, Debug, PartialEq)]
pub struct Select {
    /// FROM table.
    pub from: TableRef,
    /// Selected expressions, in order.
    pub columns: Vec<Expr>,
    /// `SELECT DISTINCT`.
    pub distinct: bool,
    /// JOIN clauses.
    pub joins: Vec<Join>,
    /// WHERE.
    pub filter: Option<Expr>,
    /// GROUP BY.
    pub group_by: Vec<Expr>,
    /// HAVING.
    pub having: Option<Expr>,
    /// ORDER BY.
    pub order_by: Vec<OrderBy>,
    /// LIMIT (rendered as an integer literal: it is typed, never user text).
    pub limit: Option<u64>,
    /// OFFSET (integer literal).
    pub offset: Option<u64>,
    /// Row lock.
    pub lock: Option<Lock>,
}

impl Select {
    /// `SELECT <columns> FROM <table>` with no clauses.
    pub fn new(from: TableRef, columns: Vec<Expr>) -> Self {
        Self {
            from,
            columns,
            distinct: false,
            joins: Vec::new(),
            filter: None,
            group_by: Vec::new(),
            having: None,
            order_by: Vec::new(),
            limit: None,
            offset: None,
            lock: None,
        }
    }

    /// ANDs `cond` into WHERE.
    pub fn and_where(&mut self, cond: Expr) {
        self.filter = Some(match self.filter.take() {
            None => cond,
            Some(prev) => Expr::binary(crate::expr::BinOp::And, prev, cond),
        });
    }
}

/// What an upsert does on a key conflict.
#[derive(Clone, Debug, PartialEq)]
pub enum ConflictAction {
    /// Keep the existing row.
    DoNothing,
    /// Overwrite these columns with the inserted values.
    Update(Vec<&'static str>),
}

/// `ON CONFLICT` / `ON DUPLICATE KEY` clause.
#[derive(Clone, Debug, PartialEq)]
pub struct OnConflict {
    /// The unique key's columns (PostgreSQL and SQLite name them; MySQL uses any unique key).
    pub target: Vec<&'static str>,
    /// What to do.
    pub action: ConflictAction,
}

/// INSERT of one or more rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Insert {
    /// Target table.
    pub table: &'static str,
    /// Inserted columns.
    pub columns: Vec<&'static str>,
    /// Rows, each with one value per column.
    pub rows: Vec<Vec<Value>>,
    /// Upsert clause.
    pub on_conflict: Option<OnConflict>,
    /// RETURNING columns (an error on servers without RETURNING).
    pub returning: Vec<&'static str>,
}

/// UPDATE.
#[derive(Clone, Debug, PartialEq)]
pub struct Update {
    /// Target table.
    pub table: &'static str,
    /// `SET col = expr` pairs.
    pub set: Vec<(ColumnRef, Expr)>,
    /// WHERE.
    pub filter: Option<Expr>,
}

/// DELETE.
#[derive(Clone, Debug, PartialEq)]
pub struct Delete {
    /// Target table.
    pub table: &'static str,
    /// WHERE.
    pub filter: Option<Expr>,
}
