//! Bulk UPDATE and DELETE from a filtered query:
//! `User::query().filter(..).update().set(User::VISITS, User::VISITS + 1).execute(&db)`.
//!
//! Contract: only the query's filters carry over; a query with sort keys, limit, offset, grouping,
//! DISTINCT or a lock is an `InvalidQuery` error rather than a silently wider write. `execute` returns
//! the number of rows matched (also on MySQL, whose drivers run with CLIENT_FOUND_ROWS), not only
//! those whose values changed.

use std::marker::PhantomData;

use crate::ast::{ColumnRef, Delete, Expr, Update};
use crate::column::Column;
use crate::dialect::Backend;
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::expr::Operand;
use crate::model::Model;
use crate::query::Query;
use crate::render::{self, Statement};

/// A bulk UPDATE of the rows of `M` a query matched.
#[must_use = "an update does nothing until `execute` is awaited"]
pub struct UpdateQuery<M> {
    filter: Option<Expr>,
    set: Vec<(ColumnRef, Expr)>,
    invalid: Option<String>,
    _m: PhantomData<fn() -> M>,
}

/// A bulk DELETE of the rows of `M` a query matched.
#[must_use = "a delete does nothing until `execute` is awaited"]
pub struct DeleteQuery<M> {
    filter: Option<Expr>,
    invalid: Option<String>,
    _m: PhantomData<fn() -> M>,
}

impl<M> std::fmt::Debug for UpdateQuery<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpdateQuery")
            .field("set", &self.set)
            .field("filter", &self.filter)
            .finish()
    }
}

impl<M> std::fmt::Debug for DeleteQuery<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeleteQuery")
            .field("filter", &self.filter)
            .finish()
    }
}

impl<M: Model, R> Query<M, R> {
    /// The filter, or why the query cannot be turned into a bulk write.
    fn write_filter(self, what: &str) -> (Option<Expr>, Option<String>) {
        let s = &self.select;
        let extra = [
            (!s.order_by.is_empty(), "order_by"),
            (s.limit.is_some(), "limit"),
            (s.offset.is_some(), "offset"),
            (
                !s.group_by.is_empty() || s.having.is_some(),
                "group_by/having",
            ),
            (s.distinct, "distinct"),
            (s.lock.is_some(), "a row lock"),
        ]
        .into_iter()
        .find(|(set, _)| *set)
        .map(|(_, name)| format!("a bulk {what} takes only filters, but the query has {name}"));
        (self.select.filter, self.invalid.or(extra))
    }

    /// A bulk UPDATE of the rows this query matches; add assignments with [`UpdateQuery::set`].
    pub fn update(self) -> UpdateQuery<M> {
        let (filter, invalid) = self.write_filter("update");
        UpdateQuery {
            filter,
            set: Vec::new(),
            invalid,
            _m: PhantomData,
        }
    }

    /// A bulk DELETE of the rows this query matches (every row, without a filter).
    pub fn delete(self) -> DeleteQuery<M> {
        let (filter, invalid) = self.write_filter("delete");
        DeleteQuery {
            filter,
            invalid,
            _m: PhantomData,
        }
    }
}

fn checked(invalid: &Option<String>) -> Result<()> {
    match invalid {
        Some(m) => Err(Error::InvalidQuery(m.clone())),
        None => Ok(()),
    }
}

impl<M: Model> UpdateQuery<M> {
    /// `SET column = value`, where `value` is a value of the column's type or an expression over `M`
    /// (`User::VISITS + 1`). Right-hand sides read the row as it was before the update; MySQL would
    /// read a column assigned earlier in the same statement with its new value, so there that is
    /// `Unsupported`. Setting a column twice is an error.
    pub fn set<T, V: Operand<M, T, K>, K>(mut self, column: Column<M, T>, value: V) -> Self {
        let col = column.column_ref();
        if self.set.iter().any(|(c, _)| c.name == col.name) {
            self.invalid
                .get_or_insert_with(|| format!("bulk update sets column `{}` twice", col.name));
        }
        self.set.push((col, value.into_operand()));
        self
    }

    /// The SQL and parameters this update runs on `backend`.
    pub fn to_statement(&self, backend: &Backend) -> Result<Statement> {
        checked(&self.invalid)?;
        render::update(
            backend,
            &Update {
                table: M::TABLE,
                set: self.set.clone(),
                filter: self.filter.clone(),
            },
        )
    }

    /// Runs the update; returns the number of rows matched.
    pub async fn execute(self, db: &impl Executor) -> Result<u64> {
        let st = self.to_statement(&db.backend())?;
        Ok(db.execute(st).await?.rows_affected)
    }
}

impl<M: Model> DeleteQuery<M> {
    /// The SQL and parameters this delete runs on `backend`.
    pub fn to_statement(&self, backend: &Backend) -> Result<Statement> {
        checked(&self.invalid)?;
        render::delete(
            backend,
            &Delete {
                table: M::TABLE,
                filter: self.filter.clone(),
            },
        )
    }

    /// Runs the delete; returns the number of rows deleted.
    pub async fn execute(self, db: &impl Executor) -> Result<u64> {
        let st = self.to_statement(&db.backend())?;
        Ok(db.execute(st).await?.rows_affected)
    }
}
