//! Pagination: numbered pages with a total ([`Query::page`]) and keyset pagination
//! ([`Query::after`]), which stays fast at any depth on an indexed key.
//!
//! Contract for keysets: the key columns are non-nullable (checked by type) and should end with a
//! unique column, so the order is total. `after(keys, last)` sorts by the keys and keeps rows strictly
//! after `last` in that order. PostgreSQL and SQLite get a row comparison `(a, b) > ($1, $2)` when all
//! keys share a direction; MySQL/MariaDB (whose optimizer does not turn row comparisons into index
//! ranges) and mixed directions get `a >= ? AND (a > ? OR (a = ? AND b > ?))`, whose leading bound
//! is an index range everywhere.

use crate::ast::{Direction, Expr, OrderBy};
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::expr::Expression;
use crate::model::ColumnType;
use crate::query::Query;
use crate::row::{FromRow, Scalar};
use crate::scope::SubScope;
use crate::value::SqlParam;

/// One page of results and where it sits.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// Rows matching the query across all pages.
    pub total: u64,
    /// This page's number, from 1.
    pub page: u64,
    /// Page size.
    pub per_page: u64,
    /// Number of pages (0 when nothing matches).
    pub pages: u64,
}

/// An ascending keyset key (a bare column or expression is ascending too).
#[derive(Clone, Copy, Debug)]
pub struct Asc<C>(pub C);

/// A descending keyset key: `Desc(Post::CREATED_AT)`.
#[derive(Clone, Copy, Debug)]
pub struct Desc<C>(pub C);

/// Keyset keys over scope `S`: a column or expression of a non-nullable type, [`Asc`] / [`Desc`] of
/// one, or a tuple of those (most significant first).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a keyset key for a query over `{S}`",
    label = "expected non-nullable columns of the query's tables, optionally wrapped in `Asc`/`Desc`, \
             or a tuple of them"
)]
pub trait Keyset<S, I> {
    /// The Rust types of the key values.
    type Key;
    /// Appends the keys.
    fn push_keys(self, out: &mut Vec<(Expr, Direction)>);
}

/// Values of a keyset's last row: one value (or a tuple of values) accepted by each key's type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not match keyset keys of type `{K}`",
    label = "expected one value per key, of the key's type"
)]
pub trait KeyValues<K> {
    /// Appends the values as bound parameters.
    fn push_values(self, out: &mut Vec<Expr>);
}

impl<K: ColumnType, V: SqlParam<K>> KeyValues<K> for V {
    fn push_values(self, out: &mut Vec<Expr>) {
        out.push(Expr::Value(self.into_value()));
    }
}

fn push_key<S, I, C>(c: C, dir: Direction, out: &mut Vec<(Expr, Direction)>)
where
    C: Expression,
    C::Scope: SubScope<S, I>,
{
    out.push((c.into_ast(), dir));
}

impl<S, I, C> Keyset<S, I> for C
where
    C: Expression,
    C::Type: ColumnType,
    C::Scope: SubScope<S, I>,
{
    type Key = C::Type;
    fn push_keys(self, out: &mut Vec<(Expr, Direction)>) {
        push_key::<S, I, C>(self, Direction::Asc, out);
    }
}

impl<S, I, C> Keyset<S, I> for Asc<C>
where
    C: Expression,
    C::Type: ColumnType,
    C::Scope: SubScope<S, I>,
{
    type Key = C::Type;
    fn push_keys(self, out: &mut Vec<(Expr, Direction)>) {
        push_key::<S, I, C>(self.0, Direction::Asc, out);
    }
}

impl<S, I, C> Keyset<S, I> for Desc<C>
where
    C: Expression,
    C::Type: ColumnType,
    C::Scope: SubScope<S, I>,
{
    type Key = C::Type;
    fn push_keys(self, out: &mut Vec<(Expr, Direction)>) {
        push_key::<S, I, C>(self.0, Direction::Desc, out);
    }
}

macro_rules! keyset_tuple {
    ($($t:ident $i:ident $v:ident),+) => {
        impl<S, $($t, $i),+> Keyset<S, ($($i,)+)> for ($($t,)+)
        where
            $($t: Keyset<S, $i>),+
        {
            type Key = ($($t::Key,)+);
            #[allow(non_snake_case)]
            fn push_keys(self, out: &mut Vec<(Expr, Direction)>) {
                let ($($t,)+) = self;
                $($t.push_keys(out);)+
            }
        }
        impl<$($t, $v: KeyValues<$t>),+> KeyValues<($($t,)+)> for ($($v,)+) {
            #[allow(non_snake_case)]
            fn push_values(self, out: &mut Vec<Expr>) {
                let ($($v,)+) = self;
                $($v.push_values(out);)+
            }
        }
    };
}

keyset_tuple!(A IA VA, B IB VB);
keyset_tuple!(A IA VA, B IB VB, C IC VC);
keyset_tuple!(A IA VA, B IB VB, C IC VC, D ID VD);

impl<S, R> Query<S, R> {
    fn set_keyset_order(mut self, keys: &[(Expr, Direction)]) -> Self {
        if !self.select.order_by.is_empty() {
            return self.invalid(
                "keyset pagination defines the sort order: call `keyset`/`after` before `order_by`",
            );
        }
        self.select.order_by = keys
            .iter()
            .map(|(expr, direction)| OrderBy {
                expr: expr.clone(),
                direction: *direction,
                nulls: None,
            })
            .collect();
        self
    }

    /// Sorts by keyset keys, for the first page of a keyset pagination:
    /// `.keyset((Desc(Post::CREATED_AT), Desc(Post::ID))).limit(20)`.
    pub fn keyset<I>(self, keys: impl Keyset<S, I>) -> Self {
        let mut k = Vec::new();
        keys.push_keys(&mut k);
        self.set_keyset_order(&k)
    }

    /// The next keyset page: sorts by `keys` and keeps rows strictly after `last` (the previous
    /// page's last key values): `.after((Desc(Post::CREATED_AT), Desc(Post::ID)), (ts, id)).limit(20)`.
    pub fn after<K: Keyset<S, I>, I>(self, keys: K, last: impl KeyValues<K::Key>) -> Self {
        let mut k = Vec::new();
        keys.push_keys(&mut k);
        let mut values = Vec::new();
        last.push_values(&mut values);
        let mut q = self.set_keyset_order(&k);
        q.select.and_where(Expr::KeysetAfter { keys: k, values });
        q
    }

    /// [`after`](Self::after) when `last` is `Some`, else [`keyset`](Self::keyset).
    pub fn after_opt<K: Keyset<S, I>, I>(
        self,
        keys: K,
        last: Option<impl KeyValues<K::Key>>,
    ) -> Self {
        match last {
            Some(last) => self.after(keys, last),
            None => self.keyset(keys),
        }
    }
}

impl<S, R: FromRow> Query<S, R> {
    /// Page `page` (from 1) of `per_page` rows, with the total count and number of pages. The total and
    /// the rows come from two statements (count, then rows), so writes committed in between can make
    /// them disagree; run it in a snapshot-isolated transaction where that matters. Sort the query for
    /// stable pages. A page past the end is empty.
    pub async fn page(self, db: &impl Executor, page: u64, per_page: u64) -> Result<Page<R>> {
        if page == 0 || per_page == 0 {
            return Err(Error::InvalidQuery(format!(
                "page numbers start at 1 and pages hold at least one row (got page {page} of {per_page})"
            )));
        }
        if self.select.limit.is_some() || self.select.offset.is_some() {
            return Err(Error::InvalidQuery(
                "`page` sets limit and offset itself; remove `limit`/`offset`".into(),
            ));
        }
        let offset = (page - 1).checked_mul(per_page).ok_or_else(|| {
            Error::InvalidQuery(format!("page {page} of {per_page} rows is out of range"))
        })?;
        let backend = db.backend();
        let total: Option<Scalar<i64>> = db.fetch_optional(self.count_statement(&backend)?).await?;
        let total = total.map_or(0, |s| s.0);
        let total = u64::try_from(total)
            .map_err(|_| Error::decode("count", "u64", format!("negative count {total}")))?;
        let items = if offset >= total {
            Vec::new()
        } else {
            db.fetch_all(
                self.limit(per_page)
                    .offset(offset)
                    .into_statement(&backend)?,
            )
            .await?
        };
        Ok(Page {
            items,
            total,
            page,
            per_page,
            pages: total.div_ceil(per_page),
        })
    }
}
