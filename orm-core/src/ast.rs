//! Statement trees: SELECT, INSERT, UPDATE, DELETE and the untyped expression node. Built by the typed
//! query builder and the CRUD methods, turned into SQL text plus bound parameters by [`crate::render`].
//!
//! Contract: these trees carry no Rust types; whoever builds one by hand vouches that it is well typed.
//! The typed API in [`crate::expr`] and [`crate::Query`] only builds trees that are.

mod expr;

use std::borrow::Cow;

pub use expr::{BinOp, CastType, ColumnRef, Direction, Expr, Func, Nulls, OrderBy};

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
    /// The name columns of this table are qualified with: the alias, or the table name.
    pub const fn qualifier(&self) -> &'static str {
        match self.alias {
            Some(a) => a,
            None => self.name,
        }
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
    /// Selected expressions, in order: a list of its own, or a `&'static` one shared by every query
    /// that selects it (a derived model's columns, see [`Model::SELECT_LIST`](crate::Model)).
    pub columns: Cow<'static, [Expr]>,
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
    pub fn new(from: TableRef, columns: impl Into<Cow<'static, [Expr]>>) -> Self {
        Self {
            from,
            columns: columns.into(),
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

    /// ANDs `cond` into WHERE (a literal `TRUE` adds nothing).
    pub fn and_where(&mut self, cond: Expr) {
        self.filter = Some(match self.filter.take() {
            None => cond,
            Some(prev) => prev.and(cond),
        })
        .filter(|f| *f != Expr::Bool(true));
    }

    /// ANDs `cond` into HAVING (a literal `TRUE` adds nothing).
    pub fn and_having(&mut self, cond: Expr) {
        self.having = Some(match self.having.take() {
            None => cond,
            Some(prev) => prev.and(cond),
        })
        .filter(|f| *f != Expr::Bool(true));
    }

    /// Calls `f` on every column any clause mentions.
    pub fn for_each_column(&self, f: &mut impl FnMut(&ColumnRef)) {
        self.columns.iter().for_each(|e| e.for_each_column(f));
        self.joins.iter().for_each(|j| j.on.for_each_column(f));
        self.filter.iter().for_each(|e| e.for_each_column(f));
        self.group_by.iter().for_each(|e| e.for_each_column(f));
        self.having.iter().for_each(|e| e.for_each_column(f));
        self.order_by.iter().for_each(|o| o.expr.for_each_column(f));
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

/// How a MySQL upsert reports its outcome through the statement's insert id. PostgreSQL and SQLite use
/// `RETURNING` instead and ignore this.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum InsertIdReport {
    /// The server's default (the generated id of an inserted row).
    #[default]
    Default,
    /// The insert id is this auto-increment column of the inserted *or updated* row
    /// (`col = LAST_INSERT_ID(col)`); a row skipped by DO NOTHING reports 0.
    Key(&'static str),
    /// For tables without an auto-increment column: a row skipped by DO NOTHING reports insert id 1,
    /// an inserted row reports 0.
    FlagSkipped,
}

/// `ON CONFLICT` / `ON DUPLICATE KEY` clause.
#[derive(Clone, Debug, PartialEq)]
pub struct OnConflict {
    /// The unique key's columns (PostgreSQL and SQLite name them; MySQL uses any unique key).
    pub target: Vec<&'static str>,
    /// What to do.
    pub action: ConflictAction,
    /// MySQL only: what the insert id reports.
    pub report: InsertIdReport,
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
