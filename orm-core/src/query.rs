//! The typed SELECT builder: `User::query().filter(..).order_by(..).limit(..).all(&db)`.
//!
//! Contract: a `Query<M>` accepts only conditions and sort keys over `M`, selects `M`'s columns in
//! field order and decodes them positionally. Nothing runs until a terminal method (`all`, `one`,
//! `first`, `count`) is awaited with an executor.

use std::marker::PhantomData;

use crate::ast::{Select, TableRef};
use crate::dialect::Backend;
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::expr::{ColumnRef, Condition, Expr, Order};
use crate::model::Model;
use crate::render::{self, Statement};
use crate::row::Scalar;

/// A SELECT over model `M`.
#[must_use = "a query does nothing until a terminal method such as `all` is awaited"]
pub struct Query<M> {
    select: Select,
    _m: PhantomData<fn() -> M>,
}

impl<M> Clone for Query<M> {
    fn clone(&self) -> Self {
        Self {
            select: self.select.clone(),
            _m: PhantomData,
        }
    }
}

impl<M> std::fmt::Debug for Query<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.select.fmt(f)
    }
}

impl<M: Model> Default for Query<M> {
    fn default() -> Self {
        Self::new()
    }
}

impl<M: Model> Query<M> {
    /// `SELECT <all columns of M> FROM <M's table>`.
    pub fn new() -> Self {
        let columns = M::COLUMNS
            .iter()
            .map(|c| {
                Expr::Column(ColumnRef {
                    table: M::TABLE,
                    name: c.name,
                })
            })
            .collect();
        Self {
            select: Select::new(TableRef::new(M::TABLE), columns),
            _m: PhantomData,
        }
    }

    /// Adds a WHERE condition (ANDed with earlier ones).
    pub fn filter(mut self, condition: Condition<M>) -> Self {
        self.select.and_where(condition.into_expr());
        self
    }

    /// Adds a condition only when it is `Some`, for search forms with optional fields.
    pub fn filter_opt(self, condition: Option<Condition<M>>) -> Self {
        match condition {
            Some(c) => self.filter(c),
            None => self,
        }
    }

    /// Adds a sort key (after earlier ones).
    pub fn order_by(mut self, order: Order<M>) -> Self {
        self.select.order_by.push(order.into_order());
        self
    }

    /// At most `n` rows.
    pub fn limit(mut self, n: u64) -> Self {
        self.select.limit = Some(n);
        self
    }

    /// Skips the first `n` rows.
    pub fn offset(mut self, n: u64) -> Self {
        self.select.offset = Some(n);
        self
    }

    /// The statement tree.
    pub fn as_select(&self) -> &Select {
        &self.select
    }

    /// The SQL and parameters this query runs on `backend`.
    pub fn to_statement(&self, backend: &Backend) -> Result<Statement> {
        render::select(backend, &self.select)
    }

    /// Every matching row.
    pub async fn all(self, db: &impl Executor) -> Result<Vec<M>> {
        let st = self.to_statement(&db.backend())?;
        db.fetch_all(st).await
    }

    /// The first matching row, if any (adds `LIMIT 1`).
    pub async fn first(mut self, db: &impl Executor) -> Result<Option<M>> {
        self.select.limit = Some(1);
        let st = self.to_statement(&db.backend())?;
        db.fetch_optional(st).await
    }

    /// Exactly one row: [`Error::NotFound`] when none matches, [`Error::TooManyRows`] when several do.
    pub async fn one(mut self, db: &impl Executor) -> Result<M> {
        self.select.limit = Some(2);
        let st = self.to_statement(&db.backend())?;
        let rows: Vec<M> = db.fetch_all(st).await?;
        let mut rows = rows.into_iter();
        match (rows.next(), rows.next()) {
            (None, _) => Err(Error::NotFound { table: M::TABLE }),
            (Some(row), None) => Ok(row),
            (Some(_), Some(_)) => Err(Error::TooManyRows { table: M::TABLE }),
        }
    }

    /// Number of matching rows (honouring `limit` and `offset`).
    pub async fn count(self, db: &impl Executor) -> Result<u64> {
        let st = self.count_statement(&db.backend())?;
        let n: Option<Scalar<i64>> = db.fetch_optional(st).await?;
        let n = n.map_or(0, |s| s.0);
        u64::try_from(n).map_err(|_| Error::decode("count", "u64", format!("negative count {n}")))
    }

    /// The SQL `count` runs.
    pub fn count_statement(&self, backend: &Backend) -> Result<Statement> {
        let mut s = self.select.clone();
        s.order_by.clear();
        if s.limit.is_none() && s.offset.is_none() && !s.distinct {
            s.columns = vec![Expr::CountStar];
            return render::select(backend, &s);
        }
        s.columns = vec![Expr::Raw {
            sql: "1".into(),
            params: Vec::new(),
        }];
        let inner = render::select(backend, &s)?;
        let mut w = render::Writer::new(backend, false);
        w.push("SELECT COUNT(*) FROM (");
        w.push(&inner.sql);
        w.push(") AS ");
        w.ident("counted");
        let mut out = w.finish();
        out.params = inner.params;
        Ok(out)
    }
}
