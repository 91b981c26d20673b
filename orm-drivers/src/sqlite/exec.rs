//! What the worker thread does for each job: one whole statement (prepare from the cache, bind, step
//! every row, decode), or one transaction-control step.
//!
//! Contract: these functions run on the connection's worker thread only. A statement's rows are
//! decoded right here with `FromRow`, so one job answers one statement. `rows_affected` is
//! `changes()` when the statement changed rows (0 for DDL and queries); `last_insert_id` is
//! `last_insert_rowid()` after an INSERT or REPLACE that inserted.

use orm_core::{ExecResult, FromRow, Result, Statement, Value};
use rusqlite::{CachedStatement, Connection};

use super::error;
use super::row::SqliteRow;
use super::value;
use crate::instrument::first_keyword;

/// Prepares `sql` (from the connection's cache) and binds `params`.
pub(super) fn prepare<'c>(
    conn: &'c Connection,
    sql: &str,
    params: &[Value],
) -> Result<CachedStatement<'c>> {
    let mut stmt = conn.prepare_cached(sql).map_err(error::map)?;
    value::bind(&mut stmt, params)?;
    Ok(stmt)
}

/// Runs a statement to completion (any rows it returns are stepped through and dropped).
pub(crate) fn execute(conn: &Connection, st: &Statement) -> Result<ExecResult> {
    let mut stmt = prepare(conn, &st.sql, &st.params)?;
    let before = conn.total_changes();
    let mut rows = stmt.raw_query();
    while rows.next().map_err(error::map)?.is_some() {}
    drop(rows);
    if conn.total_changes() == before {
        return Ok(ExecResult::default());
    }
    let keyword = first_keyword(&st.sql);
    let inserted =
        keyword.eq_ignore_ascii_case("INSERT") || keyword.eq_ignore_ascii_case("REPLACE");
    Ok(ExecResult {
        rows_affected: conn.changes(),
        last_insert_id: inserted.then(|| conn.last_insert_rowid()),
    })
}

/// Runs a query and decodes every row.
pub(crate) fn fetch_all<T: FromRow>(conn: &Connection, st: &Statement) -> Result<Vec<T>> {
    let mut stmt = prepare(conn, &st.sql, &st.params)?;
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(error::map)? {
        out.push(T::from_row(&SqliteRow(row))?);
    }
    Ok(out)
}

/// Runs a query and decodes its first row; the statement is reset without reading the rest.
pub(crate) fn fetch_optional<T: FromRow>(conn: &Connection, st: &Statement) -> Result<Option<T>> {
    let mut stmt = prepare(conn, &st.sql, &st.params)?;
    let mut rows = stmt.raw_query();
    match rows.next().map_err(error::map)? {
        Some(row) => T::from_row(&SqliteRow(row)).map(Some),
        None => Ok(None),
    }
}

/// Runs one parameterless transaction-control statement.
pub(super) fn control(conn: &Connection, sql: &str) -> Result<()> {
    conn.prepare_cached(sql)
        .and_then(|mut s| s.raw_execute())
        .map(drop)
        .map_err(error::map)
}

/// Lifts the read-only guard of a read-only transaction once no transaction is open.
fn end_read_only(conn: &Connection) -> Result<()> {
    if conn.is_autocommit() {
        control(conn, "PRAGMA query_only = OFF")
    } else {
        Ok(())
    }
}

/// `BEGIN IMMEDIATE` (takes the write lock now, so a read-then-write transaction never fails with
/// BUSY halfway), `BEGIN DEFERRED` with `query_only` for read-only ones, or `SAVEPOINT sp_<depth>`.
pub(crate) fn begin(conn: &Connection, depth: u32, read_only: bool) -> Result<()> {
    if depth > 0 {
        return control(conn, &format!("SAVEPOINT sp_{depth}"));
    }
    if !read_only {
        return control(conn, "BEGIN IMMEDIATE");
    }
    control(conn, "PRAGMA query_only = ON")?;
    control(conn, "BEGIN DEFERRED").inspect_err(|_| {
        // The transaction did not start; `reset` lifts the guard if this fails too.
        let _ = end_read_only(conn);
    })
}

/// `COMMIT` or `RELEASE sp_<depth>`.
pub(crate) fn commit(conn: &Connection, depth: u32) -> Result<()> {
    if depth > 0 {
        return control(conn, &format!("RELEASE sp_{depth}"));
    }
    let committed = control(conn, "COMMIT");
    let lifted = end_read_only(conn);
    committed.and(lifted)
}

/// `ROLLBACK` (when a transaction is open), or `ROLLBACK TO sp_<depth>` then `RELEASE sp_<depth>`.
pub(crate) fn rollback(conn: &Connection, depth: u32) -> Result<()> {
    if depth > 0 {
        control(conn, &format!("ROLLBACK TO sp_{depth}"))?;
        return control(conn, &format!("RELEASE sp_{depth}"));
    }
    reset(conn)
}

/// Rolls back any open transaction and lifts the read-only guard.
pub(crate) fn reset(conn: &Connection) -> Result<()> {
    if !conn.is_autocommit() {
        control(conn, "ROLLBACK")?;
    }
    end_read_only(conn)
}
