//! The text of a model's plain INSERT, rendered once per shape and reused with fresh parameters.
//!
//! Contract:
//! - Only INSERTs without a conflict clause and with at most one RETURNING column are reused. Their
//!   text depends on the model's table and insert columns, the backend, the row count and the
//!   RETURNING column, never on the values, so a reused text with freshly bound parameters is exactly
//!   the statement [`render::insert_rows`] renders (pinned by a test for every backend).
//! - Each text is keyed by the model type, the backend, the row count and the RETURNING column; the
//!   caller passes an INSERT of the model's own insert columns.
//! - At most [`CAPACITY`] texts are kept: when full, the cache is emptied before the next text is
//!   kept (a program inserts in a handful of batch sizes).

use std::any::TypeId;
use std::sync::{LazyLock, PoisonError, RwLock};

use crate::ast::Insert;
use crate::dialect::Backend;
use crate::error::Result;
use crate::model::Model;
use crate::render::{self, Statement};
use crate::value::Value;

/// How many INSERT texts are kept at most.
pub(crate) const CAPACITY: usize = 64;

type Key = (TypeId, Backend, usize, Option<&'static str>);

static TEXTS: LazyLock<RwLock<foldhash::HashMap<Key, Box<str>>>> = LazyLock::new(RwLock::default);

/// `ins` (an INSERT of `M`'s insert columns) with one row of values per item of `rows`.
pub(crate) fn statement<M: Model, R: ExactSizeIterator<Item = Value>>(
    backend: &Backend,
    ins: &Insert,
    rows: impl ExactSizeIterator<Item = R>,
) -> Result<Statement> {
    let n_rows = rows.len();
    if ins.on_conflict.is_some() || ins.returning.len() > 1 || n_rows == 0 {
        return render::insert_rows(backend, ins, n_rows, rows);
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
    if let Some(sql) = cached {
        let params = render::insert_params(ins.columns.len(), n_rows, rows)?;
        return Ok(Statement { sql, params });
    }
    let st = render::insert_rows(backend, ins, n_rows, rows)?;
    let mut texts = TEXTS.write().unwrap_or_else(PoisonError::into_inner);
    if texts.len() >= CAPACITY {
        texts.clear();
    }
    texts.insert(key, st.sql.as_str().into());
    Ok(st)
}
