//! The typed SELECT builder: `User::query().filter(..).order_by(..).limit(..).all(&db)`.
//!
//! Contract: a `Query<S, R>` reads the tables of scope `S` (a model, or a tuple after joins) and
//! decodes each row as `R` ([`FromRow`]): the model by default, `(User, Option<Post>)` after a left
//! join, or whatever [`select`](Query::select) chose. It accepts only conditions and sort keys over
//! `S`. Nothing runs until a terminal method (`all`, `first`, `one`, `count`, `page`) is awaited or
//! the stream of [`stream`](Query::stream) is polled.
//! Builder misuse that types cannot catch (for example `page(0, ..)`) is an [`Error::InvalidQuery`]
//! from the terminal method, before anything is sent.

mod join;
mod joined_lists;
mod mutate;
mod paginate;
mod select;

pub use join::JoinRow;
pub use mutate::{DeleteQuery, UpdateQuery};
pub use paginate::{Asc, Desc, KeyValues, Keyset, Page};
pub use select::{AllColumns, Selectable};

use std::borrow::Cow;
use std::marker::PhantomData;

use crate::ast::{Expr, Lock, Select, TableRef};
use crate::dialect::Backend;
use crate::error::{Error, Result};
use crate::executor::{Executor, RowStream};
use crate::expr::{IntoCondition, IntoOrder};
use crate::model::Model;
use crate::render::{self, Statement};
use crate::row::{FromRow, Scalar};
use crate::scope::{Alias, Correlated, Source};

/// A SELECT over the tables of `S`, decoding rows as `R`.
#[must_use = "a query does nothing until a terminal method such as `all` is awaited"]
pub struct Query<S, R = S> {
    select: Select,
    invalid: Option<String>,
    _p: PhantomData<fn() -> (S, R)>,
}

impl<S, R> Clone for Query<S, R> {
    fn clone(&self) -> Self {
        Self {
            select: self.select.clone(),
            invalid: self.invalid.clone(),
            _p: PhantomData,
        }
    }
}

impl<S, R> std::fmt::Debug for Query<S, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.select.fmt(f)
    }
}

impl<M: Model> Default for Query<M> {
    fn default() -> Self {
        Self::new()
    }
}

/// The columns of `M` in field order, qualified with `table` (the table name or an alias).
pub(crate) fn model_columns<M: Model>(table: &'static str) -> impl Iterator<Item = Expr> {
    M::COLUMNS.iter().map(move |c| Expr::column(table, c.name))
}

impl<M: Model> Query<M> {
    /// `SELECT <all columns of M> FROM <M's table>`.
    pub fn new() -> Self {
        let columns: Cow<'static, [Expr]> = match M::SELECT_LIST {
            Some(list) => {
                debug_assert!(
                    list.iter().cloned().eq(model_columns::<M>(M::TABLE)),
                    "`{}::SELECT_LIST` differs from its COLUMNS",
                    M::TABLE
                );
                Cow::Borrowed(list)
            }
            None => Cow::Owned(model_columns::<M>(M::TABLE).collect()),
        };
        Self::from_select(Select::new(TableRef::new(M::TABLE), columns))
    }
}

impl<M: Model, const N: u8> Alias<M, N> {
    /// `SELECT <all columns> FROM <M's table> AS <alias>`: a query over the aliased table, for
    /// subqueries that are correlated with an outer query over the same model.
    pub fn query(&self) -> Query<Alias<M, N>, M> {
        Query::from_select(Select::new(
            self.table_ref(),
            model_columns::<M>(self.name()).collect::<Vec<_>>(),
        ))
    }
}

impl<S, R> Query<S, R> {
    fn from_select(select: Select) -> Self {
        Self {
            select,
            invalid: None,
            _p: PhantomData,
        }
    }

    /// The same statement decoded as another row type.
    fn retype<S2, R2>(self) -> Query<S2, R2> {
        Query {
            select: self.select,
            invalid: self.invalid,
            _p: PhantomData,
        }
    }

    /// Records builder misuse, reported by the terminal method.
    fn invalid(mut self, message: impl Into<String>) -> Self {
        self.invalid.get_or_insert_with(|| message.into());
        self
    }

    /// Adds a WHERE condition (ANDed with earlier ones).
    pub fn filter<K>(mut self, condition: impl IntoCondition<S, K>) -> Self {
        self.select.and_where(condition.into_condition());
        self
    }

    /// Adds a condition only when it is `Some`: `.filter_opt(form.name.map(|n| User::NAME.eq(n)))`.
    pub fn filter_opt<K>(self, condition: Option<impl IntoCondition<S, K>>) -> Self {
        match condition {
            Some(c) => self.filter(c),
            None => self,
        }
    }

    /// Adds the condition built by `condition` only when `when` is true; the closure runs only then.
    pub fn filter_if<C: IntoCondition<S, K>, K>(
        self,
        when: bool,
        condition: impl FnOnce() -> C,
    ) -> Self {
        if when { self.filter(condition()) } else { self }
    }

    /// Adds a sort key (after earlier ones).
    pub fn order_by<I>(mut self, order: impl IntoOrder<S, I>) -> Self {
        self.select.order_by.push(order.into_order_by());
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

    /// `SELECT DISTINCT`: duplicate rows are returned once. Every sort key must be selected.
    pub fn distinct(mut self) -> Self {
        self.select.distinct = true;
        self
    }

    /// `FOR UPDATE`: locks the selected rows until the transaction ends. `Unsupported` on SQLite
    /// (whose write transactions lock the whole database instead).
    pub fn for_update(mut self) -> Self {
        self.select.lock = Some(Lock::Update);
        self
    }

    /// `FOR SHARE` (`LOCK IN SHARE MODE` on MySQL). `Unsupported` on SQLite.
    pub fn for_share(mut self) -> Self {
        self.select.lock = Some(Lock::Share);
        self
    }

    /// Turns this query into a subquery that may read the outer query's table `O`:
    /// `Post::query().correlate::<User>().filter(Post::USER_ID.eq(User::ID))`, used with
    /// [`exists`](crate::exists) or `in_subquery`.
    pub fn correlate<O: Source>(self) -> Query<Correlated<S, O>, R> {
        self.retype()
    }

    /// The statement tree.
    pub fn as_select(&self) -> &Select {
        &self.select
    }

    /// The statement tree, for embedding as a subquery.
    pub(crate) fn into_select(self) -> Select {
        self.select
    }

    /// The statement tree with its select list reduced to `1`, for `EXISTS`.
    pub(crate) fn into_exists_select(mut self) -> Select {
        self.select.columns = vec![one()].into();
        self.select
    }

    fn check(&self) -> Result<()> {
        match &self.invalid {
            Some(m) => Err(Error::InvalidQuery(m.clone())),
            None => Ok(()),
        }
    }

    /// The SQL and parameters this query runs on `backend`. The text of a query shaped like one
    /// rendered before is reused rather than rendered again (see `select_sql`).
    pub fn to_statement(&self, backend: &Backend) -> Result<Statement> {
        self.check()?;
        crate::select_sql::statement(backend, self.select.clone())
    }

    /// [`to_statement`](Query::to_statement), consuming the query: its values move into the
    /// statement instead of being copied.
    pub(crate) fn into_statement(self, backend: &Backend) -> Result<Statement> {
        self.check()?;
        crate::select_sql::statement(backend, self.select)
    }

    /// The SQL `count` runs: `COUNT(*)` over the filtered rows, or over the query as a subquery when
    /// it is limited, grouped, aggregating, distinct or locking.
    pub fn count_statement(&self, backend: &Backend) -> Result<Statement> {
        self.check()?;
        let mut s = self.select.clone();
        s.order_by.clear();
        let plain = s.limit.is_none()
            && s.offset.is_none()
            && !s.distinct
            && s.group_by.is_empty()
            && s.having.is_none()
            && s.lock.is_none()
            && !s.columns.iter().any(Expr::has_aggregate);
        if plain {
            s.columns = vec![Expr::CountStar].into();
            return render::select(backend, &s);
        }
        if s.distinct || s.columns.iter().any(Expr::has_aggregate) {
            // The selected values decide the rows (distinct rows, or one row of aggregates); name
            // them so joined tables' equal column names do not collide in the derived table.
            s.columns = std::mem::take(&mut s.columns)
                .into_owned()
                .into_iter()
                .enumerate()
                .map(|(i, e)| Expr::Alias {
                    expr: Box::new(e),
                    name: format!("c{i}").into(),
                })
                .collect();
        } else {
            s.columns = vec![one()].into();
        }
        let mut w = render::Writer::new(backend, false);
        w.push("SELECT COUNT(*) FROM (");
        w.subquery_body(&s)?;
        w.push(") AS ");
        w.ident("counted");
        w.finish_checked()
    }
}

/// The literal `1`.
fn one() -> Expr {
    Expr::Raw {
        sql: "1".into(),
        params: Vec::new(),
    }
}

impl<S, R: FromRow> Query<S, R> {
    /// Every matching row.
    pub async fn all(self, db: &impl Executor) -> Result<Vec<R>> {
        let st = self.into_statement(&db.backend())?;
        db.fetch_all(st).await
    }

    /// The first matching row, if any (adds `LIMIT 1`).
    pub async fn first(mut self, db: &impl Executor) -> Result<Option<R>> {
        self.select.limit = Some(1);
        let st = self.into_statement(&db.backend())?;
        db.fetch_optional(st).await
    }

    /// Exactly one row: [`Error::NotFound`] when none matches, [`Error::TooManyRows`] when several do.
    pub async fn one(mut self, db: &impl Executor) -> Result<R> {
        let table = self.select.from.name;
        self.select.limit = Some(2);
        let st = self.into_statement(&db.backend())?;
        let rows: Vec<R> = db.fetch_all(st).await?;
        let mut rows = rows.into_iter();
        match (rows.next(), rows.next()) {
            (None, _) => Err(Error::NotFound { table }),
            (Some(row), None) => Ok(row),
            (Some(_), Some(_)) => Err(Error::TooManyRows { table }),
        }
    }

    /// The matching rows as they arrive, decoded one at a time with bounded memory (see
    /// [`RowStream`]): `let mut rows = User::query().stream(&db); while let Some(u) = rows.try_next().await? {..}`.
    /// The statement is sent when the stream is first polled; a query the builder rejects yields its
    /// error as the only item.
    pub fn stream<E: Executor>(self, db: &E) -> RowStream<'_, R> {
        match self.into_statement(&db.backend()) {
            Ok(st) => db.stream(st),
            Err(e) => RowStream::failed(e),
        }
    }

    /// Number of rows the query returns (honouring `limit`, `offset`, `distinct`, `group_by` and
    /// aggregates).
    pub async fn count(self, db: &impl Executor) -> Result<u64> {
        let st = self.count_statement(&db.backend())?;
        let n: Option<Scalar<i64>> = db.fetch_optional(st).await?;
        let n = n.map_or(0, |s| s.0);
        u64::try_from(n).map_err(|_| Error::decode("count", "u64", format!("negative count {n}")))
    }
}
