//! CRUD on models: `insert`, `insert_many`, `insert_all`, `upsert`, `upsert_many`, `get`, `find`,
//! `update`, `save`, `delete`, `delete_by_id` and `query`, provided for every [`Model`] by a blanket
//! impl.
//!
//! Contract:
//! - `insert` never sends the auto-increment column; the database generates it and the value is written
//!   back (RETURNING on PostgreSQL, SQLite and MariaDB >= 10.5 for multi-row; the insert id on MySQL).
//! - `insert_many` sends multi-row INSERTs, chunked under the backend's bind-parameter limit; generated
//!   keys are written back in row order ([`Executor::insert_keys`]). Chunks are separate statements:
//!   run it inside a transaction when all-or-nothing matters across chunks.
//! - `insert_all` sends the same chunked INSERTs without reading keys back and returns the rows
//!   inserted; it takes borrowed rows (copied) or owned rows (moved, see [`InsertRows`]).
//! - `find` and `get` render their SELECT once per model and backend and reuse its text; plain
//!   INSERTs reuse theirs per model, backend and row count (see `insert_sql`).
//! - `update` and `delete` address the row by primary key; `update` of a missing row is `NotFound`.
//! - `save` inserts when the auto-increment key is unset (0), otherwise updates, and inserts when the
//!   update matched nothing.
//! - `upsert` inserts or, on a conflict on the given unique key, updates the chosen columns (or does
//!   nothing). For a model with an auto-increment key, the key of the row that now holds the values
//!   (inserted or updated) is written back on every backend: RETURNING on PostgreSQL and SQLite,
//!   `key = LAST_INSERT_ID(key)` in the MySQL update clause. When DO NOTHING skips an existing row,
//!   nothing is written back and `upsert` returns `false`.
//! - `upsert_many` is the multi-row form, chunked like `insert_many`; it writes no keys back (which
//!   input row a returned key belongs to is not knowable once rows are skipped or updated). A batch that
//!   repeats a conflict key updates the row twice on MySQL and SQLite and is an error on PostgreSQL.

use std::any::TypeId;
use std::future::Future;

use crate::ast::{BinOp, ColumnRef, Delete, Expr, Insert, InsertIdReport, Update};
use crate::dialect::{Backend, Dialect};
use crate::error::{Error, Result};
use crate::executor::{Executor, KeyedInsert};
use crate::find_sql;
use crate::insert_rows::{InsertRows, insert_columns, push_copied};
use crate::insert_sql;
use crate::model::{KeyParam, Model};
use crate::query::{AllColumns, Query};
use crate::render::{self, SqlText, Statement};
use crate::row::Scalar;
use crate::scope::Alias;
use crate::upsert::OnConflict;
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

/// Rows per multi-row INSERT for `columns` columns: under the bind limit, at most 1000.
fn rows_per_statement(backend: &Backend, columns: usize) -> usize {
    (backend.dialect.max_params() / columns.max(1)).clamp(1, 1000)
}

/// An INSERT into `M`'s table of every column but the auto-increment one (`rows` empty: the values
/// come from the models, through `insert_sql`).
fn insert_of<M: Model>() -> Insert {
    Insert {
        table: M::TABLE,
        columns: insert_columns::<M>().map(|(_, name)| name).collect(),
        rows: vec![],
        on_conflict: None,
        returning: vec![],
    }
}

/// Renders `ins` with one row of values per model in `rows` (copied).
fn render_insert<M: Model>(backend: &Backend, ins: &Insert, rows: &[M]) -> Result<Statement> {
    let mut values = Vec::with_capacity(rows.len() * ins.columns.len());
    rows.iter().for_each(|m| push_copied(m, &mut values));
    insert_sql::statement::<M>(backend, ins, rows.len(), values)
}

/// Runs `ins` over `rows` in multi-row statements under the bind limit; returns the rows affected.
async fn insert_chunks<M: Model, E: Executor + ?Sized, R: InsertRows<M>>(
    db: &E,
    backend: &Backend,
    ins: &Insert,
    rows: R,
) -> Result<u64> {
    let per_chunk = rows_per_statement(backend, ins.columns.len());
    let mut rows = rows.into_rows();
    let mut affected = 0;
    while rows.len() > 0 {
        let n = rows.len().min(per_chunk);
        let mut values = Vec::with_capacity(n * ins.columns.len());
        rows.by_ref()
            .take(n)
            .for_each(|row| R::push_values(row, &mut values));
        let st = insert_sql::statement::<M>(backend, ins, n, values)?;
        affected += db.execute(st).await?.rows_affected;
    }
    Ok(affected)
}

/// CRUD and query entry points for every model. In scope through `orm::prelude::*`.
pub trait ModelExt: Model + Sized {
    /// A SELECT over this model.
    fn query() -> Query<Self> {
        Query::new()
    }

    /// This model's table under an alias, for self-joins:
    /// `let boss = Employee::alias("boss"); Employee::query().left_join_alias(boss, ..)`.
    fn alias(name: &'static str) -> Alias<Self> {
        Alias::new(name)
    }

    /// Every column of this model, for [`Query::select`]: `.select((User::all_columns(), Post::ID.count()))`.
    fn all_columns() -> AllColumns<Self> {
        AllColumns::of_model()
    }

    /// The row with this primary key, or [`Error::NotFound`].
    fn get<E: Executor + ?Sized>(
        db: &E,
        key: impl KeyParam<Self::Key>,
    ) -> impl Future<Output = Result<Self>> + Send {
        let found = Self::find(db, key);
        async move {
            found
                .await?
                .ok_or_else(|| Error::NotFound { table: Self::TABLE })
        }
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
            let mut ins = insert_of::<Self>();
            let Some(ai) = Self::AUTO_INCREMENT else {
                db.execute(render_insert(&backend, &ins, std::slice::from_ref(self))?)
                    .await?;
                return Ok(());
            };
            let id = if backend.dialect == Dialect::MySql {
                let res = db
                    .execute(render_insert(&backend, &ins, std::slice::from_ref(self))?)
                    .await?;
                res.last_insert_id
                    .ok_or_else(|| unexpected("the server reported no insert id"))?
            } else {
                ins.returning = vec![Self::COLUMNS[ai].name];
                let row: Option<Scalar<i64>> = db
                    .fetch_optional(render_insert(&backend, &ins, std::slice::from_ref(self))?)
                    .await?;
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
            let returning = Self::AUTO_INCREMENT.map(|ai| Self::COLUMNS[ai].name);
            if returning.is_some() && !backend.insert_returning {
                // MySQL without RETURNING: only a single-row insert reports its key reliably.
                for row in rows.iter_mut() {
                    row.insert(db).await?;
                }
                return Ok(());
            }
            let Some(key) = returning else {
                insert_chunks(db, &backend, &insert_of::<Self>(), &*rows).await?;
                return Ok(());
            };
            let keyed = KeyedInsert::keyed(insert_of::<Self>(), key)?;
            for chunk in rows.chunks_mut(rows_per_statement(&backend, keyed.columns.len())) {
                let st = render_insert(&backend, &keyed, chunk)?;
                let insert = KeyedInsert::rendered(&backend, st, keyed.table, key, chunk.len())?;
                let ids = db.insert_keys(insert).await?;
                if ids.len() != chunk.len() {
                    return Err(unexpected(format!(
                        "INSERT returned {} keys for {} rows",
                        ids.len(),
                        chunk.len()
                    )));
                }
                for (m, id) in chunk.iter_mut().zip(ids) {
                    m.set_generated_key(id)?;
                }
            }
            Ok(())
        }
    }

    /// Inserts all rows with multi-row INSERTs chunked under the bind limit, without reading
    /// generated keys back; returns how many rows were inserted. For bulk loads whose keys the
    /// caller does not need: it saves [`insert_many`](Self::insert_many)'s key round trip
    /// (`RETURNING`, or one INSERT per row on MySQL without `RETURNING`).
    ///
    /// `rows` may be borrowed (`&rows`: only read, values copied) or owned (`rows`: consumed, text and
    /// bytes moved into the statement without a copy); see [`InsertRows`].
    fn insert_all<'a, E: Executor + ?Sized, R: InsertRows<Self> + 'a>(
        db: &'a E,
        rows: R,
    ) -> impl Future<Output = Result<u64>> + Send + 'a {
        async move {
            let backend = db.backend();
            insert_chunks(db, &backend, &insert_of::<Self>(), rows).await
        }
    }

    /// The statement [`upsert`](Self::upsert) runs on `backend`.
    fn upsert_statement(
        &self,
        backend: &Backend,
        on_conflict: &OnConflict<Self>,
    ) -> Result<Statement> {
        let mut ins = insert_of::<Self>();
        let key = Self::AUTO_INCREMENT.map(|ai| Self::COLUMNS[ai].name);
        let report = match (backend.dialect, key) {
            (Dialect::MySql, Some(k)) => InsertIdReport::Key(k),
            (Dialect::MySql, None) if on_conflict.is_do_nothing() => InsertIdReport::FlagSkipped,
            _ => InsertIdReport::Default,
        };
        ins.on_conflict = Some(on_conflict.to_ast(report));
        if backend.dialect != Dialect::MySql {
            ins.returning = key.into_iter().collect();
        }
        render_insert(backend, &ins, std::slice::from_ref(self))
    }

    /// Inserts this row or, when it conflicts with an existing row on `on_conflict`'s key, updates
    /// that row's chosen columns (or leaves it alone). Returns `true` when the row's values were
    /// written (inserted, or updated), `false` when DO NOTHING skipped an existing row. The key of the
    /// written row is stored into the auto-increment field (see the module docs).
    fn upsert<E: Executor + ?Sized>(
        &mut self,
        db: &E,
        on_conflict: OnConflict<Self>,
    ) -> impl Future<Output = Result<bool>> + Send {
        async move {
            let backend = db.backend();
            let st = self.upsert_statement(&backend, &on_conflict)?;
            let do_nothing = on_conflict.is_do_nothing();
            match (backend.dialect, Self::AUTO_INCREMENT) {
                (Dialect::MySql, key) => {
                    let res = db.execute(st).await?;
                    let id = res.last_insert_id.filter(|&id| id != 0);
                    match (key, id) {
                        (Some(_), Some(id)) => self.set_generated_key(id).map(|()| true),
                        (Some(_), None) if do_nothing => Ok(false),
                        (Some(_), None) => Err(unexpected("the server reported no insert id")),
                        (None, flagged) => Ok(!do_nothing || flagged.is_none()),
                    }
                }
                (_, Some(_)) => {
                    let row: Option<Scalar<i64>> = db.fetch_optional(st).await?;
                    match row {
                        Some(id) => self.set_generated_key(id.0).map(|()| true),
                        None if do_nothing => Ok(false),
                        None => Err(unexpected("INSERT ... RETURNING returned no row")),
                    }
                }
                (_, None) => {
                    let res = db.execute(st).await?;
                    Ok(!do_nothing || res.rows_affected > 0)
                }
            }
        }
    }

    /// Upserts all rows with multi-row INSERTs chunked under the bind limit. No keys are written back.
    fn upsert_many<'a, E: Executor + ?Sized>(
        db: &'a E,
        rows: &'a [Self],
        on_conflict: OnConflict<Self>,
    ) -> impl Future<Output = Result<()>> + Send + 'a {
        async move {
            let backend = db.backend();
            let mut ins = insert_of::<Self>();
            ins.on_conflict = Some(on_conflict.to_ast(InsertIdReport::Default));
            insert_chunks(db, &backend, &ins, rows).await?;
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
    let st = find_statement::<M>(&db.backend(), key)?;
    db.fetch_optional(st).await
}

/// The SELECT of `M`'s row with primary key `key`. A key with a NULL (rendered `IS NULL`) or of the
/// wrong length is rendered afresh (the latter fails in [`key_filter`]).
fn find_statement<M: Model>(backend: &Backend, mut key: Vec<Value>) -> Result<Statement> {
    let render = |key| {
        let mut select = Query::<M>::new().into_select();
        select.filter = Some(key_filter::<M>(key)?);
        render::select(backend, &select)
    };
    if key.len() != M::PRIMARY_KEY.len() || key.iter().any(Value::is_null) {
        return render(key);
    }
    for v in &mut key {
        v.make_bindable()?;
    }
    let id = (TypeId::of::<M>(), *backend);
    if let Some(sql) = find_sql::get(id) {
        return Ok(Statement {
            sql: SqlText::Static(sql),
            params: key,
        });
    }
    let st = render(key)?;
    find_sql::put_with(id, || st.sql.to_string());
    Ok(st)
}

async fn delete_key<M: Model, E: Executor + ?Sized>(db: &E, key: Vec<Value>) -> Result<bool> {
    let del = Delete {
        table: M::TABLE,
        filter: Some(key_filter::<M>(key)?),
    };
    let res = db.execute(render::delete(&db.backend(), &del)?).await?;
    Ok(res.rows_affected > 0)
}
