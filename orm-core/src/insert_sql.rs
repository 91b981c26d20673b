//! The text of a model's plain INSERT, rendered once per shape and reused with fresh parameters.
//!
//! Contract:
//! - Only INSERTs without a conflict clause, with at least one column and at most one RETURNING
//!   column are reused. Their text depends on the model's table and insert columns, the backend,
//!   the row count and the RETURNING column, never on the values, so a reused text with the values
//!   bound is exactly the statement [`render::insert_rows`] renders (pinned by a test for every
//!   backend).
//! - Each text is keyed by the model type, the backend, the row count and the RETURNING column; the
//!   caller passes an INSERT of the model's own insert columns.
//! - At most [`CAPACITY`] texts are kept: when full, the cache is emptied before the next text is
//!   kept (a program inserts in a handful of batch sizes).

use std::any::TypeId;
use std::sync::{LazyLock, PoisonError, RwLock};

use crate::ast::Insert;
use crate::dialect::Backend;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::render::{self, Statement};
use crate::value::Value;

/// How many INSERT texts are kept at most.
pub(crate) const CAPACITY: usize = 64;

type Key = (TypeId, Backend, usize, Option<&'static str>);

static TEXTS: LazyLock<RwLock<foldhash::HashMap<Key, Box<str>>>> = LazyLock::new(RwLock::default);

/// `ins` (an INSERT of `M`'s insert columns) of `n_rows` rows whose values are `values`, row after
/// row.
pub(crate) fn statement<M: Model>(
    backend: &Backend,
    ins: &Insert,
    n_rows: usize,
    mut values: Vec<Value>,
) -> Result<Statement> {
    let columns = ins.columns.len();
    if values.len() != n_rows.saturating_mul(columns) {
        return Err(Error::InvalidQuery(format!(
            "an INSERT of {n_rows} rows of {columns} columns got {} values",
            values.len()
        )));
    }
    let rows = || (0..n_rows).map(|r| values[r * columns..(r + 1) * columns].iter().cloned());
    if ins.on_conflict.is_some() || ins.returning.len() > 1 || n_rows == 0 || columns == 0 {
        return render::insert_rows(backend, ins, n_rows, rows());
    }
    let key = (
        TypeId::of::<M>(),
        *backend,
        n_rows,
        ins.returning.first().copied(),
    );
    let cached = TEXTS
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
        .map(|sql| String::from(&**sql));
    let Some(sql) = cached else {
        let st = render::insert_rows(backend, ins, n_rows, rows())?;
        let mut texts = TEXTS.write().unwrap_or_else(PoisonError::into_inner);
        if texts.len() >= CAPACITY {
            texts.clear();
        }
        texts.insert(key, st.sql.as_str().into());
        return Ok(st);
    };
    for v in &mut values {
        *v = std::mem::replace(v, Value::Null).into_bindable()?;
    }
    Ok(Statement {
        sql,
        params: values,
    })
}
