//! Joins: `User::query().left_join::<Post>(Post::USER_ID.eq(User::ID))` reads `(User, Option<Post>)`.
//!
//! Contract: a join adds the table to the query's scope (so its columns become usable) and its columns
//! to the select list and the row type: `J` for an inner join, `Option<J>` for a left join, which
//! decodes as `None` when the joined row's primary-key columns are all NULL. The ON condition is
//! checked against the joined scope. A table joined twice needs an [`Alias`]. Every column of a query
//! with joins is qualified with its table or alias. Join before calling `select`.

use std::any::TypeId;
use std::borrow::Cow;

use crate::ast::{Expr, Join as AstJoin, JoinKind, TableRef};
use crate::expr::Condition;
use crate::model::Model;
use crate::query::joined_lists::joined;
use crate::query::{Query, model_columns};
use crate::row::FromRow;
use crate::scope::{Alias, Join, Optional};

/// A row type that a joined table's row can be appended to: a model, or a tuple of models and
/// optional models built by earlier joins.
#[diagnostic::on_unimplemented(
    message = "cannot join to a query whose rows are `{Self}`",
    label = "join tables before calling `select`",
    note = "joins append the joined model to the row; a query that selects custom columns cannot join"
)]
pub trait JoinRow<X> {
    /// The row type after the join.
    type Out: FromRow;
}

/// A model, or an optional model, inside a joined row.
pub trait RowPart {}
impl<M: Model> RowPart for M {}
impl<M: Model> RowPart for Option<M> {}

impl<M: Model, X: FromRow> JoinRow<X> for M {
    type Out = (M, X);
}

macro_rules! join_row {
    ($($t:ident),+) => {
        impl<$($t: RowPart + FromRow,)+ X: FromRow> JoinRow<X> for ($($t,)+) {
            type Out = ($($t,)+ X);
        }
    };
}
join_row!(A, B);
join_row!(A, B, C);
join_row!(A, B, C, D);

/// The query a join produces: `S`'s tables plus `J`, rows of `R` plus an `X`.
type Joined<S, R, J, X> = Query<<S as Join<J>>::Out, <R as JoinRow<X>>::Out>;

impl<S, R> Query<S, R> {
    fn join_table<S2, R2, M: Model>(
        mut self,
        kind: JoinKind,
        table: TableRef,
        on: Expr,
    ) -> Query<S2, R2> {
        let qualifier = table.qualifier();
        self.select.columns = match std::mem::take(&mut self.select.columns) {
            // A shared list: joined once per program, then shared (see `joined_lists`).
            Cow::Borrowed(list) => {
                Cow::Borrowed(joined(list, TypeId::of::<M>(), qualifier, || {
                    let mut columns = Vec::with_capacity(list.len() + M::COLUMNS.len());
                    columns.extend_from_slice(list);
                    columns.extend(model_columns::<M>(qualifier));
                    columns
                }))
            }
            Cow::Owned(mut columns) => {
                columns.extend(model_columns::<M>(qualifier));
                Cow::Owned(columns)
            }
        };
        self.select.joins.push(AstJoin { kind, table, on });
        self.retype()
    }

    /// `INNER JOIN` model `J` on `on`; rows gain a `J`.
    pub fn inner_join<J: Model>(self, on: Condition<<S as Join<J>>::Out>) -> Joined<S, R, J, J>
    where
        S: Join<J>,
        R: JoinRow<J>,
    {
        self.join_table::<_, _, J>(JoinKind::Inner, TableRef::new(J::TABLE), on.into_expr())
    }

    /// `LEFT JOIN` model `J` on `on`; rows gain an `Option<J>`, and `J`'s columns read as `Option`s in
    /// [`select`](Query::select).
    pub fn left_join<J: Model>(
        self,
        on: Condition<<S as Join<Optional<J>>>::Out>,
    ) -> Joined<S, R, Optional<J>, Option<J>>
    where
        S: Join<Optional<J>>,
        R: JoinRow<Option<J>>,
    {
        self.join_table::<_, _, J>(JoinKind::Left, TableRef::new(J::TABLE), on.into_expr())
    }

    /// `INNER JOIN` an aliased model (self-joins): `.inner_join_alias(boss, boss.col(Emp::ID).eq(Emp::BOSS_ID))`.
    pub fn inner_join_alias<M: Model, const N: u8>(
        self,
        alias: Alias<M, N>,
        on: Condition<<S as Join<Alias<M, N>>>::Out>,
    ) -> Joined<S, R, Alias<M, N>, M>
    where
        S: Join<Alias<M, N>>,
        R: JoinRow<M>,
    {
        self.join_table::<_, _, M>(JoinKind::Inner, alias.table_ref(), on.into_expr())
    }

    /// `LEFT JOIN` an aliased model; rows gain an `Option<M>`.
    pub fn left_join_alias<M: Model, const N: u8>(
        self,
        alias: Alias<M, N>,
        on: Condition<<S as Join<Optional<Alias<M, N>>>>::Out>,
    ) -> Joined<S, R, Optional<Alias<M, N>>, Option<M>>
    where
        S: Join<Optional<Alias<M, N>>>,
        R: JoinRow<Option<M>>,
    {
        self.join_table::<_, _, M>(JoinKind::Left, alias.table_ref(), on.into_expr())
    }
}
