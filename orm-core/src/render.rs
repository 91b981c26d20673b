//! SQL rendering: statement trees to [`Statement`]s (SQL text + bound parameters) for one [`Backend`].
//!
//! Contract: rendering is pure and fallible. Identifiers are always quoted by [`quote_ident`], values
//! are always bound (never inlined), only the [`Writer`] numbers placeholders, and a feature the dialect
//! lacks is `Error::Unsupported`, never a panic and never a silently dropped clause. LIMIT and OFFSET are
//! integer literals (typed `u64`, not user text), so SQLite does not re-prepare per value.

mod ddl;
mod writer;

pub use ddl::{create_table, drop_table};
pub use writer::{Writer, quote_ident};

use crate::ast::{ConflictAction, Delete, Insert, JoinKind, Lock, Select, Update};
use crate::dialect::{Backend, Dialect};
use crate::error::{Error, Result};
use crate::value::Value;

/// SQL text in the backend's placeholder style plus its parameters, ready for a driver.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// SQL text.
    pub sql: String,
    /// One bound value per placeholder, in order; already checked by [`Value::into_bindable`].
    pub params: Vec<Value>,
}

impl Statement {
    /// A statement without parameters.
    pub fn text(sql: impl Into<String>) -> Self {
        Self {
            sql: sql.into(),
            params: Vec::new(),
        }
    }
}

/// Renders a SELECT.
pub fn select(backend: &Backend, q: &Select) -> Result<Statement> {
    let mut w = Writer::new(backend, !q.joins.is_empty() || q.from.alias.is_some());
    w.push("SELECT ");
    if q.distinct {
        w.push("DISTINCT ");
    }
    w.comma_list(&q.columns, |w, e| w.expr(e))?;
    w.push(" FROM ");
    w.table_ref(&q.from);
    for j in &q.joins {
        w.push(match j.kind {
            JoinKind::Inner => " INNER JOIN ",
            JoinKind::Left => " LEFT JOIN ",
        });
        w.table_ref(&j.table);
        w.push(" ON ");
        w.expr(&j.on)?;
    }
    if let Some(f) = &q.filter {
        w.push(" WHERE ");
        w.expr(f)?;
    }
    if !q.group_by.is_empty() {
        w.push(" GROUP BY ");
        w.comma_list(&q.group_by, |w, e| w.expr(e))?;
    }
    if let Some(h) = &q.having {
        w.push(" HAVING ");
        w.expr(h)?;
    }
    if !q.order_by.is_empty() {
        w.push(" ORDER BY ");
        w.comma_list(&q.order_by, |w, o| w.order_by(o))?;
    }
    w.limit_offset(q.limit, q.offset);
    if let Some(lock) = q.lock {
        match (backend.dialect, lock) {
            (Dialect::Sqlite, Lock::Update) => {
                return Err(Error::unsupported("SELECT ... FOR UPDATE", Dialect::Sqlite));
            }
            (Dialect::Sqlite, Lock::Share) => {
                return Err(Error::unsupported("SELECT ... FOR SHARE", Dialect::Sqlite));
            }
            (_, Lock::Update) => w.push(" FOR UPDATE"),
            (Dialect::MySql, Lock::Share) => w.push(" LOCK IN SHARE MODE"),
            (_, Lock::Share) => w.push(" FOR SHARE"),
        }
    }
    Ok(w.finish())
}

/// Renders an INSERT (one or more rows, optional upsert and RETURNING).
pub fn insert(backend: &Backend, q: &Insert) -> Result<Statement> {
    let d = backend.dialect;
    if q.rows.is_empty() {
        return Err(Error::InvalidQuery("INSERT with no rows".into()));
    }
    let mut w = Writer::new(backend, false);
    w.push("INSERT INTO ");
    w.ident(q.table);
    if q.columns.is_empty() {
        if q.rows.len() > 1 {
            return Err(Error::unsupported("multi-row INSERT of DEFAULT VALUES", d));
        }
        w.push(if d == Dialect::MySql {
            " () VALUES ()"
        } else {
            " DEFAULT VALUES"
        });
    } else {
        w.push(" (");
        w.comma_list(&q.columns, |w, c| {
            w.ident(c);
            Ok(())
        })?;
        w.push(") VALUES ");
        for (i, row) in q.rows.iter().enumerate() {
            if row.len() != q.columns.len() {
                return Err(Error::InvalidQuery(format!(
                    "INSERT row {i} has {} values for {} columns",
                    row.len(),
                    q.columns.len()
                )));
            }
            if i > 0 {
                w.push(", ");
            }
            w.push("(");
            w.comma_list(row, |w, v| w.param(v.clone()))?;
            w.push(")");
        }
    }
    if let Some(c) = &q.on_conflict {
        match (d, &c.action) {
            (Dialect::MySql, ConflictAction::DoNothing) => {
                // A no-op assignment, not INSERT IGNORE: IGNORE would also turn NOT NULL and type errors
                // into warnings.
                let Some(first) = c.target.first().or(q.columns.first()) else {
                    return Err(Error::InvalidQuery(
                        "insert-or-ignore needs a conflict target".into(),
                    ));
                };
                w.push(" ON DUPLICATE KEY UPDATE ");
                w.ident(first);
                w.push(" = ");
                w.ident(first);
            }
            (Dialect::MySql, ConflictAction::Update(cols)) => {
                w.push(" ON DUPLICATE KEY UPDATE ");
                w.comma_list(cols, |w, col| {
                    w.ident(col);
                    w.push(" = VALUES(");
                    w.ident(col);
                    w.push(")");
                    Ok(())
                })?;
            }
            (_, action) => {
                w.push(" ON CONFLICT (");
                w.comma_list(&c.target, |w, col| {
                    w.ident(col);
                    Ok(())
                })?;
                match action {
                    ConflictAction::DoNothing => w.push(") DO NOTHING"),
                    ConflictAction::Update(cols) => {
                        w.push(") DO UPDATE SET ");
                        w.comma_list(cols, |w, col| {
                            w.ident(col);
                            w.push(" = excluded.");
                            w.ident(col);
                            Ok(())
                        })?;
                    }
                }
            }
        }
    }
    if !q.returning.is_empty() {
        if !backend.insert_returning {
            return Err(Error::unsupported("INSERT ... RETURNING", d));
        }
        w.push(" RETURNING ");
        w.comma_list(&q.returning, |w, col| {
            w.ident(col);
            Ok(())
        })?;
    }
    Ok(w.finish())
}

/// Renders an UPDATE.
pub fn update(backend: &Backend, q: &Update) -> Result<Statement> {
    if q.set.is_empty() {
        return Err(Error::InvalidQuery("UPDATE with nothing to set".into()));
    }
    let mut w = Writer::new(backend, false);
    w.push("UPDATE ");
    w.ident(q.table);
    w.push(" SET ");
    w.comma_list(&q.set, |w, (col, e)| {
        w.ident(col.name);
        w.push(" = ");
        w.expr(e)
    })?;
    if let Some(f) = &q.filter {
        w.push(" WHERE ");
        w.expr(f)?;
    }
    Ok(w.finish())
}

/// Renders a DELETE.
pub fn delete(backend: &Backend, q: &Delete) -> Result<Statement> {
    let mut w = Writer::new(backend, false);
    w.push("DELETE FROM ");
    w.ident(q.table);
    if let Some(f) = &q.filter {
        w.push(" WHERE ");
        w.expr(f)?;
    }
    Ok(w.finish())
}
