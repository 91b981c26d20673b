//! SQL rendering: statement trees to [`Statement`]s (SQL text + bound parameters) for one [`Backend`].
//!
//! Contract: rendering is pure and fallible. Identifiers are always quoted by [`quote_ident`], values
//! are always bound (never inlined), only the [`Writer`] numbers placeholders, and a feature the dialect
//! lacks is `Error::Unsupported`, never a panic and never a silently dropped clause. LIMIT and OFFSET are
//! integer literals (typed `u64`, not user text), so SQLite does not re-prepare per value. A statement
//! needing more bound parameters than the dialect accepts is `Error::InvalidQuery` before it is sent.
//! Where the servers would disagree on the meaning of a construct, the renderer either spells it so
//! they agree (casts on aggregates, `DIV`, ASCII case folding, emulated NULLS FIRST/LAST) or refuses it
//! on the dialect that differs.

mod ddl;
mod writer;

pub use ddl::{create_table, drop_table};
pub(crate) use writer::push_decimal;
pub use writer::{Writer, quote_ident};

use crate::ast::{ConflictAction, Delete, Insert, InsertIdReport, Select, Update};
use crate::dialect::{Backend, Dialect};
use crate::error::{Error, Result};
use crate::value::Value;

pub use crate::sql_text::SqlText;

/// SQL text in the backend's placeholder style plus its parameters, ready for a driver.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// SQL text: static or shared when it is a text rendered once and reused (see [`SqlText`]),
    /// owned otherwise.
    pub sql: SqlText,
    /// One bound value per placeholder, in order; already checked by [`Value::into_bindable`].
    pub params: Vec<Value>,
}

impl Statement {
    /// A statement without parameters.
    pub fn text(sql: impl Into<String>) -> Self {
        Self {
            sql: SqlText::Owned(sql.into()),
            params: Vec::new(),
        }
    }
}

/// Renders a SELECT. Columns are qualified with their table when the query joins or aliases tables;
/// subqueries always qualify theirs.
pub fn select(backend: &Backend, q: &Select) -> Result<Statement> {
    let mut w = Writer::new(backend, !q.joins.is_empty() || q.from.alias.is_some());
    w.select(q)?;
    w.finish_checked()
}

/// Renders an INSERT (one or more rows, optional upsert and RETURNING).
pub fn insert(backend: &Backend, q: &Insert) -> Result<Statement> {
    if let Some((i, row)) = (q.rows.iter().enumerate()).find(|(_, r)| r.len() != q.columns.len()) {
        return Err(Error::InvalidQuery(format!(
            "INSERT row {i} has {} values for {} columns",
            row.len(),
            q.columns.len()
        )));
    }
    let values: Vec<Value> = q.rows.iter().flatten().cloned().collect();
    insert_rows(backend, q, q.rows.len(), values.into_iter())
}

/// The INSERT of `q` with `n_rows` rows whose values are `values`, row after row, one per column
/// (`q.rows` is not read).
pub(crate) fn insert_rows(
    backend: &Backend,
    q: &Insert,
    n_rows: usize,
    mut values: impl ExactSizeIterator<Item = Value>,
) -> Result<Statement> {
    let columns = q.columns.len();
    if values.len() != n_rows.saturating_mul(columns) {
        return Err(Error::InvalidQuery(format!(
            "an INSERT of {n_rows} rows of {columns} columns got {} values",
            values.len()
        )));
    }
    let d = backend.dialect;
    if n_rows == 0 {
        return Err(Error::InvalidQuery("INSERT with no rows".into()));
    }
    let mut w = Writer::new(backend, false);
    w.push("INSERT INTO ");
    w.ident(q.table);
    if q.columns.is_empty() {
        if n_rows > 1 {
            return Err(Error::unsupported("multi-row INSERT of DEFAULT VALUES", d));
        }
        w.push(if d == Dialect::MySql {
            " () VALUES ()"
        } else {
            " DEFAULT VALUES"
        });
    } else {
        w.push(" (");
        w.ident_list(&q.columns);
        w.push(") VALUES ");
        // `($n, ..), ` per row: the text and parameter lists grow once.
        let params = n_rows.saturating_mul(columns);
        w.reserve(params.saturating_mul(7).saturating_add(n_rows * 4), params);
        for i in 0..n_rows {
            if i > 0 {
                w.push(", ");
            }
            w.push("(");
            for (j, v) in values.by_ref().take(columns).enumerate() {
                if j > 0 {
                    w.push(", ");
                }
                w.param(v)?;
            }
            w.push(")");
        }
    }
    if let Some(c) = &q.on_conflict {
        if matches!(&c.action, ConflictAction::Update(cols) if cols.is_empty()) {
            return Err(Error::InvalidQuery(
                "an upsert that updates on conflict needs at least one column to update".into(),
            ));
        }
        if d == Dialect::MySql {
            mysql_on_duplicate(&mut w, q, c)?;
        } else {
            w.push(" ON CONFLICT");
            if !c.target.is_empty() {
                w.push(" (");
                w.ident_list(&c.target);
                w.push(")");
            }
            match &c.action {
                ConflictAction::DoNothing => w.push(" DO NOTHING"),
                ConflictAction::Update(cols) => {
                    if c.target.is_empty() {
                        return Err(Error::InvalidQuery(
                            "an upsert that updates on conflict needs a conflict target".into(),
                        ));
                    }
                    w.push(" DO UPDATE SET ");
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
    if !q.returning.is_empty() {
        if !backend.insert_returning {
            return Err(Error::unsupported("INSERT ... RETURNING", d));
        }
        w.push(" RETURNING ");
        w.ident_list(&q.returning);
    }
    w.finish_checked()
}

/// `ON DUPLICATE KEY UPDATE`, with the `LAST_INSERT_ID` assignments that make the insert id report
/// what the upsert did (see [`InsertIdReport`]). DO NOTHING is a no-op assignment, not
/// `INSERT IGNORE`, which would also turn NOT NULL and type errors into warnings.
fn mysql_on_duplicate(w: &mut Writer<'_>, q: &Insert, c: &crate::ast::OnConflict) -> Result<()> {
    let Some(first) = c.target.first().or(q.columns.first()).copied() else {
        return Err(Error::InvalidQuery(
            "insert-or-ignore needs a conflict target".into(),
        ));
    };
    w.push(" ON DUPLICATE KEY UPDATE ");
    match (&c.action, c.report) {
        (ConflictAction::Update(cols), report) => {
            w.comma_list(cols, |w, col| {
                w.ident(col);
                w.push(" = VALUES(");
                w.ident(col);
                w.push(")");
                Ok(())
            })?;
            if let InsertIdReport::Key(key) = report {
                w.push(", ");
                w.ident(key);
                w.push(" = LAST_INSERT_ID(");
                w.ident(key);
                w.push(")");
            }
        }
        (ConflictAction::DoNothing, InsertIdReport::Key(key)) => {
            w.ident(key);
            w.push(" = ");
            w.ident(key);
            w.push(" + LAST_INSERT_ID(0)");
        }
        (ConflictAction::DoNothing, InsertIdReport::FlagSkipped) => {
            w.ident(first);
            w.push(" = IF(LAST_INSERT_ID(1), ");
            w.ident(first);
            w.push(", ");
            w.ident(first);
            w.push(")");
        }
        (ConflictAction::DoNothing, InsertIdReport::Default) => {
            w.ident(first);
            w.push(" = ");
            w.ident(first);
        }
    }
    Ok(())
}

/// Renders an UPDATE. Every right-hand side reads the row's old values: on MySQL, which evaluates
/// assignments left to right, an assignment reading a column set earlier in the list is `Unsupported`.
pub fn update(backend: &Backend, q: &Update) -> Result<Statement> {
    if q.set.is_empty() {
        return Err(Error::InvalidQuery("UPDATE with nothing to set".into()));
    }
    if backend.dialect == Dialect::MySql {
        for (i, (_, e)) in q.set.iter().enumerate() {
            let mut reads_assigned = false;
            e.for_each_column(&mut |c| {
                reads_assigned |= q.set[..i].iter().any(|(set, _)| set == c);
            });
            if reads_assigned {
                return Err(Error::unsupported(
                    "UPDATE reading a column assigned earlier in the same SET list",
                    Dialect::MySql,
                ));
            }
        }
    }
    let mut w = Writer::new(backend, false);
    w.push("UPDATE ");
    w.ident(q.table);
    let head = w.sql_len();
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
    if w.wrote_list_subquery() {
        // The multi-table form, planned like a SELECT (see `Writer::wrote_list_subquery`).
        w.insert_sql(head, ", (SELECT 1) AS `orm_one`");
    }
    w.finish_checked()
}

/// Renders a DELETE.
pub fn delete(backend: &Backend, q: &Delete) -> Result<Statement> {
    let mut w = Writer::new(backend, false);
    w.push("DELETE ");
    let head = w.sql_len();
    w.push("FROM ");
    w.ident(q.table);
    if let Some(f) = &q.filter {
        w.push(" WHERE ");
        w.expr(f)?;
    }
    if w.wrote_list_subquery() {
        // `DELETE t FROM t`: the multi-table form, planned like a SELECT (see
        // `Writer::wrote_list_subquery`).
        let mut target = String::new();
        quote_ident(backend.dialect, q.table, &mut target);
        target.push(' ');
        w.insert_sql(head, &target);
    }
    w.finish_checked()
}
