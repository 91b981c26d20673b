//! The text of a model's plain INSERT, rendered once per shape and reused with fresh parameters.
//!
//! Contract:
//! - Only INSERTs without a conflict clause, with at least one column and at most one RETURNING
//!   column are reused. Their text depends on the model's table and insert columns, the backend,
//!   the row count and the RETURNING column, never on the values, so a reused text with the values
//!   bound is exactly the statement [`render::insert_rows`] renders (pinned by a test for every
//!   backend).
//! - Each text is keyed by the model type, the backend, the row count and the RETURNING column; the
//!   caller passes an INSERT of the model's own table and insert columns.
//! - At most [`CAPACITY`] texts are kept (see [`SqlTexts`]); a reused text is shared with the
//!   statement, not copied.

use std::any::TypeId;
use std::sync::Arc;

use crate::ast::Insert;
use crate::dialect::Backend;
use crate::error::Result;
use crate::insert_rows::insert_columns;
use crate::model::Model;
use crate::render::{self, SqlText, Statement};
use crate::sql_texts::SqlTexts;
use crate::value::Value;

/// How many INSERT texts are kept at most.
const CAPACITY: usize = 64;

static TEXTS: SqlTexts<(TypeId, Backend, usize, Option<&'static str>), Arc<str>> =
    SqlTexts::new(CAPACITY);

/// `ins` (an INSERT of `M`'s insert columns) of `n_rows` rows whose values are `values`, row after
/// row.
pub(crate) fn statement<M: Model>(
    backend: &Backend,
    ins: &Insert,
    n_rows: usize,
    mut values: Vec<Value>,
) -> Result<Statement> {
    debug_assert!(ins.table == M::TABLE && ins.columns.len() == insert_columns::<M>().count());
    let reusable = ins.on_conflict.is_none()
        && ins.returning.len() <= 1
        && n_rows > 0
        && !ins.columns.is_empty()
        && values.len() == n_rows * ins.columns.len();
    if !reusable {
        return render::insert_rows(backend, ins, n_rows, values.into_iter());
    }
    let key = (
        TypeId::of::<M>(),
        *backend,
        n_rows,
        ins.returning.first().copied(),
    );
    let Some(sql) = TEXTS.get(&key) else {
        let st = render::insert_rows(backend, ins, n_rows, values.into_iter())?;
        TEXTS.put(key, (*st.sql).into());
        return Ok(st);
    };
    for v in &mut values {
        v.make_bindable()?;
    }
    Ok(Statement {
        sql: SqlText::Shared(sql),
        params: values,
    })
}
