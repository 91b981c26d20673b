//! CRUD on models: `insert`, `insert_many`, `get`, `find`, `update`, `save`, `delete`,
//! `delete_by_id` and `query`, provided for every [`Model`] by a blanket impl.
//!
//! Contract:
//! - `insert` never sends the auto-increment column; the database generates it and the value is written
//!   back (RETURNING on PostgreSQL, SQLite and MariaDB >= 10.5 for multi-row; the insert id on MySQL).
//! - `insert_many` sends multi-row INSERTs, chunked under the backend's bind-parameter limit; generated
//!   keys are written back in row order. Chunks are separate statements: run it inside a transaction
//!   when all-or-nothing matters across chunks.
//! - `update` and `delete` address the row by primary key; `update` of a missing row is `NotFound`.
//! - `save` inserts when the auto-increment key is unset (0), otherwise updates, and inserts when the
//!   update matched nothing.

use std::future::Future;

use crate::ast::{Delete, Insert, Update};
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::expr::{BinOp, ColumnRef, Expr};
use crate::model::{KeyParam, Model};
use crate::query::Query;
use crate::render;
use crate::row::Scalar;
use crate::value::Value;

/// The server answered in a way the protocol does not allow.
fn unexpected(message: impl Into<String>) -> Error {
    Error::Database(Box::new(crate::DbError::new("", message)))
}

fn col(idx: usize, table: &'static str, columns: &[crate::ColumnDef]) -> ColumnRef {
    ColumnRef {
        table,
        name: columns[idx].name,
    }
}

/// `pk1 = $1 AND pk2 = $2 ...` for model `M`.
fn key_filter<M: Model>(values: Vec<Value>) -> Result<Expr> {
    if values.len() != M::PRIMARY_KEY.len() {
        return Err(Error::InvalidQuery(format!(
            "`{}` has {} primary-key columns, got {} values",
            M::TABLE,
            M::PRIMARY_KEY.len(),
            values.len()
        )));
    }
    let mut filter: Option<Expr> = None;
    for (&idx, v) in M::PRIMARY_KEY.iter().zip(values) {
        let eq = Expr::binary(
            BinOp::Eq,
            Expr::Column(col(idx, M::TABLE, M::COLUMNS)),
            Expr::Value(v),
        );
        filter = Some(match filter {
            None => eq,
            Some(f) => Expr::binary(BinOp::And, f, eq),
        });
    }
    filter.ok_or_else(|| Error::InvalidQuery(format!("`{}` has no primary key", M::TABLE)))
}

fn own_key<M: Model>(m: &M) -> Vec<Value> {
    M::PRIMARY_KEY.iter().map(|&i| m.column_value(i)).collect()
}

/// Columns sent by INSERT: every column but the auto-increment one.
fn insert_columns<M: Model>() -> impl Iterator<Item = (usize, &'static str)> {
    M::COLUMNS
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != M::AUTO_INCREMENT)
        .map(|(i, c)| (i, c.name))
}

/// CRUD and query entry points for every model. In scope through `orm::prelude::*`.
pub trait ModelExt: Model + Sized {
    /// A SELECT over this model.
    fn query() -> Query<Self> {
        Query::new()
    }

    /// The row with this primary key, or [`Error::NotFound`].
    fn get<E: Executor + ?Sized>(
        db: &E,
        key: impl KeyParam<Self::Key>,
    ) -> impl Future<Output = Result<Self>> + Send {
        let found = Self::find(db, key);
        async move { found.await?.ok_or(Error::NotFound { table: Self::TABLE }) }
    }

    /// The row with this primary key, if any.
    fn find<E: Executor + ?Sized>(
        db: &E,
        key: impl KeyParam<Self::Key>,
    ) -> impl Future<Output = Result<Option<Self>>> + Send {
        let mut values = Vec::with_capacity(Self::PRIMARY_KEY.len());
        key.push_values(&mut values);
        find_key::<Self, E>(db, values)
    }

    /// Inserts this row and writes the generated key back.
    fn insert<E: Executor + ?Sized>(&mut self, db: &E) -> impl Future<Output = Result<()>> + Send {
        async move {
            let backend = db.backend();
            let (idx, columns): (Vec<usize>, Vec<&'static str>) = insert_columns::<Self>().unzip();
            let row = idx.iter().map(|&i| self.column_value(i)).collect();
            let mut ins = Insert {
                table: Self::TABLE,
                columns,
                rows: vec![row],
                on_conflict: None,
                returning: vec![],
            };
            let Some(ai) = Self::AUTO_INCREMENT else {
                db.execute(render::insert(&backend, &ins)?).await?;
                return Ok(());
            };
            let id = if backend.dialect == Dialect::MySql {
                let res = db.execute(render::insert(&backend, &ins)?).await?;
                res.last_insert_id
                    .ok_or_else(|| unexpected("the server reported no insert id"))?
            } else {
                ins.returning = vec![Self::COLUMNS[ai].name];
                let row: Option<Scalar<i64>> =
                    db.fetch_optional(render::insert(&backend, &ins)?).await?;
                row.ok_or_else(|| unexpected("INSERT ... RETURNING returned no row"))?
                    .0
            };
            self.set_generated_key(id)
        }
    }

    /// Inserts all rows with multi-row INSERTs, writing generated keys back in order.
    fn insert_many<'a, E: Executor + ?Sized>(
        db: &'a E,
        rows: &'a mut [Self],
    ) -> impl Future<Output = Result<()>> + Send + 'a {
        async move {
            if rows.is_empty() {
                return Ok(());
            }
            let backend = db.backend();
            let (idx, columns): (Vec<usize>, Vec<&'static str>) = insert_columns::<Self>().unzip();
            let per_chunk = (backend.dialect.max_params() / columns.len().max(1)).clamp(1, 1000);
            let returning = Self::AUTO_INCREMENT.map(|ai| Self::COLUMNS[ai].name);
            if returning.is_some() && !backend.insert_returning {
                // MySQL without RETURNING: only a single-row insert reports its key reliably.
                for row in rows.iter_mut() {
                    row.insert(db).await?;
                }
                return Ok(());
            }
            for chunk in rows.chunks_mut(per_chunk) {
                let values = chunk
                    .iter()
                    .map(|m| idx.iter().map(|&i| m.column_value(i)).collect())
                    .collect();
                let ins = Insert {
                    table: Self::TABLE,
                    columns: columns.clone(),
                    rows: values,
                    on_conflict: None,
                    returning: returning.into_iter().collect(),
                };
                let st = render::insert(&backend, &ins)?;
                if returning.is_none() {
                    db.execute(st).await?;
                    continue;
                }
                let mut ids: Vec<Scalar<i64>> = db.fetch_all(st).await?;
                if ids.len() != chunk.len() {
                    return Err(unexpected(format!(
                        "INSERT returned {} keys for {} rows",
                        ids.len(),
                        chunk.len()
                    )));
                }
                // Keys are generated in VALUES order; RETURNING order is not guaranteed, so sort.
                ids.sort_unstable();
                for (m, id) in chunk.iter_mut().zip(ids) {
                    m.set_generated_key(id.0)?;
                }
            }
            Ok(())
        }
    }

    /// Updates every non-key column of the row with this primary key; [`Error::NotFound`] if none.
    fn update<E: Executor + ?Sized>(&self, db: &E) -> impl Future<Output = Result<()>> + Send {
        async move {
            let set: Vec<_> = Self::COLUMNS
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.primary_key)
                .map(|(i, _)| {
                    (
                        col(i, Self::TABLE, Self::COLUMNS),
                        Expr::Value(self.column_value(i)),
                    )
                })
                .collect();
            if set.is_empty() {
                return match find_key::<Self, E>(db, own_key(self)).await? {
                    Some(_) => Ok(()),
                    None => Err(Error::NotFound { table: Self::TABLE }),
                };
            }
            let upd = Update {
                table: Self::TABLE,
                set,
                filter: Some(key_filter::<Self>(own_key(self))?),
            };
            let res = db.execute(render::update(&db.backend(), &upd)?).await?;
            if res.rows_affected == 0 {
                return Err(Error::NotFound { table: Self::TABLE });
            }
            Ok(())
        }
    }

    /// Inserts when the auto-increment key is unset, otherwise updates (inserting if nothing matched).
    fn save<E: Executor + ?Sized>(&mut self, db: &E) -> impl Future<Output = Result<()>> + Send {
        async move {
            if Self::AUTO_INCREMENT.is_some() && self.key_is_unset() {
                return self.insert(db).await;
            }
            match self.update(db).await {
                Err(Error::NotFound { .. }) => self.insert(db).await,
                other => other,
            }
        }
    }

    /// Deletes the row with this row's primary key; `true` if a row was deleted.
    fn delete<E: Executor + ?Sized>(&self, db: &E) -> impl Future<Output = Result<bool>> + Send {
        let key = own_key(self);
        async move { delete_key::<Self, E>(db, key).await }
    }

    /// Deletes the row with this primary key; `true` if a row was deleted.
    fn delete_by_id<E: Executor + ?Sized>(
        db: &E,
        key: impl KeyParam<Self::Key>,
    ) -> impl Future<Output = Result<bool>> + Send {
        let mut values = Vec::with_capacity(Self::PRIMARY_KEY.len());
        key.push_values(&mut values);
        async move { delete_key::<Self, E>(db, values).await }
    }
}

impl<M: Model> ModelExt for M {}

async fn find_key<M: Model, E: Executor + ?Sized>(db: &E, key: Vec<Value>) -> Result<Option<M>> {
    let mut select = Query::<M>::new().as_select().clone();
    select.filter = Some(key_filter::<M>(key)?);
    let st = render::select(&db.backend(), &select)?;
    db.fetch_optional(st).await
}

async fn delete_key<M: Model, E: Executor + ?Sized>(db: &E, key: Vec<Value>) -> Result<bool> {
    let del = Delete {
        table: M::TABLE,
        filter: Some(key_filter::<M>(key)?),
    };
    let res = db.execute(render::delete(&db.backend(), &del)?).await?;
    Ok(res.rows_affected > 0)
}
