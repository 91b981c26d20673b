//! Typed upsert clauses: `OnConflict::columns(User::EMAIL).update((User::NAME, User::AGE))` and
//! `OnConflict::columns(User::EMAIL).do_nothing()`, used by
//! [`ModelExt::upsert`](crate::ModelExt::upsert) and [`ModelExt::upsert_many`](crate::ModelExt::upsert_many).
//!
//! Contract: the conflict target names the columns of one unique key of `M` (PostgreSQL and SQLite
//! require a matching unique constraint; MySQL reacts to a conflict on *any* unique key, as
//! `ON DUPLICATE KEY UPDATE` always does). `update` overwrites the listed columns with the values of the
//! row being inserted. The auto-increment column is never sent by inserts.

use std::marker::PhantomData;

use crate::ast::{self, ConflictAction, InsertIdReport};
use crate::column::Column;
use crate::model::Model;

/// One or more columns of `M`: a column, an array of columns of one type, or a tuple of columns.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a list of columns of `{M}`",
    label = "expected `M::COL`, `[M::A, M::B]` or `(M::A, M::B)` with columns of `{M}`"
)]
pub trait ColumnList<M> {
    /// Appends the column names.
    fn push_names(self, out: &mut Vec<&'static str>);
}

impl<M, T> ColumnList<M> for Column<M, T> {
    fn push_names(self, out: &mut Vec<&'static str>) {
        out.push(self.name());
    }
}

impl<M, T, const N: usize> ColumnList<M> for [Column<M, T>; N] {
    fn push_names(self, out: &mut Vec<&'static str>) {
        out.extend(self.iter().map(Column::name));
    }
}

macro_rules! column_list_tuple {
    ($($t:ident),+) => {
        impl<M, $($t: ColumnList<M>),+> ColumnList<M> for ($($t,)+) {
            #[allow(non_snake_case)]
            fn push_names(self, out: &mut Vec<&'static str>) {
                let ($($t,)+) = self;
                $($t.push_names(out);)+
            }
        }
    };
}
column_list_tuple!(A);
column_list_tuple!(A, B);
column_list_tuple!(A, B, C);
column_list_tuple!(A, B, C, D);
column_list_tuple!(A, B, C, D, E);
column_list_tuple!(A, B, C, D, E, F);

/// What an insert does when it hits an existing row with the same unique key.
#[must_use]
pub struct OnConflict<M> {
    target: Vec<&'static str>,
    action: ConflictAction,
    _m: PhantomData<fn() -> M>,
}

impl<M> Clone for OnConflict<M> {
    fn clone(&self) -> Self {
        Self {
            target: self.target.clone(),
            action: self.action.clone(),
            _m: PhantomData,
        }
    }
}

impl<M> std::fmt::Debug for OnConflict<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnConflict")
            .field("target", &self.target)
            .field("action", &self.action)
            .finish()
    }
}

impl<M: Model> OnConflict<M> {
    /// A conflict on the unique key made of `columns`. Does nothing on conflict until
    /// [`update`](Self::update) says otherwise.
    pub fn columns(columns: impl ColumnList<M>) -> Self {
        let mut target = Vec::new();
        columns.push_names(&mut target);
        Self {
            target,
            action: ConflictAction::DoNothing,
            _m: PhantomData,
        }
    }

    /// A conflict on the primary key.
    pub fn primary_key() -> Self {
        Self {
            target: M::PRIMARY_KEY.iter().map(|&i| M::COLUMNS[i].name).collect(),
            action: ConflictAction::DoNothing,
            _m: PhantomData,
        }
    }

    /// On conflict, overwrite `columns` of the existing row with the inserted values.
    pub fn update(mut self, columns: impl ColumnList<M>) -> Self {
        let mut cols = Vec::new();
        columns.push_names(&mut cols);
        self.action = ConflictAction::Update(cols);
        self
    }

    /// On conflict, overwrite every column except the primary key, the auto-increment column and the
    /// conflict target.
    pub fn update_all(mut self) -> Self {
        let cols = M::COLUMNS
            .iter()
            .filter(|c| !c.primary_key && !c.auto_increment && !self.target.contains(&c.name))
            .map(|c| c.name)
            .collect();
        self.action = ConflictAction::Update(cols);
        self
    }

    /// On conflict, keep the existing row unchanged.
    pub fn do_nothing(mut self) -> Self {
        self.action = ConflictAction::DoNothing;
        self
    }

    /// `true` for [`do_nothing`](Self::do_nothing).
    pub fn is_do_nothing(&self) -> bool {
        self.action == ConflictAction::DoNothing
    }

    /// The untyped clause, with what a MySQL statement should report through its insert id.
    pub fn to_ast(&self, report: InsertIdReport) -> ast::OnConflict {
        ast::OnConflict {
            target: self.target.clone(),
            action: self.action.clone(),
            report,
        }
    }
}
