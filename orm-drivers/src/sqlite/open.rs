//! Opening and configuring one SQLite connection (on its worker thread).
//!
//! Contract: every connection gets `busy_timeout`, `foreign_keys = ON`, `case_sensitive_like = ON`
//! (LIKE is case-sensitive, as on the other backends), its statement-cache size, the `rarray`
//! table-valued function (long IN lists are bound through it) and, unless `sqlite_stable_plans` is
//! off, SQLite's query planner stability guarantee (a statement keeps its plan whatever values are
//! bound, so a cached statement is not prepared again on every use). A writable file
//! also gets `journal_mode = WAL` and `synchronous = NORMAL`. Reading the header happens here, so a
//! missing file (without `mode=rwc`), an unreadable one or one that is not a database fails with
//! `Error::Connect`, never later and never with a panic.

use orm_core::{Error, Result};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, MAIN_DB, OpenFlags};

use super::url::{Location, Mode, SqliteUrl};
use crate::options::ConnectOptions;

/// Opens and configures a connection for `url`.
pub(crate) fn open(url: &SqliteUrl, opts: &ConnectOptions) -> Result<Connection> {
    let cache = if url.shared_cache {
        OpenFlags::SQLITE_OPEN_SHARED_CACHE
    } else {
        OpenFlags::SQLITE_OPEN_PRIVATE_CACHE
    };
    let base = OpenFlags::SQLITE_OPEN_NO_MUTEX | cache;
    let create = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
    let opened = match &url.location {
        Location::Memory => Connection::open_in_memory_with_flags(create | base),
        Location::NamedMemory(name) => Connection::open_with_flags(
            SqliteUrl::memory_uri(name, url.shared_cache),
            create | OpenFlags::SQLITE_OPEN_URI | base,
        ),
        Location::File(path) => {
            let mode = match url.mode {
                Mode::Ro => OpenFlags::SQLITE_OPEN_READ_ONLY,
                Mode::Rw => OpenFlags::SQLITE_OPEN_READ_WRITE,
                Mode::Rwc => create,
            };
            Connection::open_with_flags(path, mode | base)
        }
    };
    let conn = opened.map_err(|e| open_error(url, e))?;
    configure(&conn, url, opts).map_err(|e| open_error(url, e))?;
    Ok(conn)
}

fn configure(conn: &Connection, url: &SqliteUrl, opts: &ConnectOptions) -> rusqlite::Result<()> {
    conn.busy_timeout(opts.busy_timeout)?;
    rusqlite::vtab::array::load_module(conn)?;
    conn.set_prepared_statement_cache_capacity(opts.statement_cache_capacity);
    conn.set_db_config(
        DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        opts.sqlite_stable_plans,
    )?;
    if matches!(url.location, Location::File(_)) {
        if conn.is_readonly(MAIN_DB)? {
            conn.query_row("PRAGMA schema_version", [], |_| Ok(()))?;
        } else {
            conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
            conn.execute_batch("PRAGMA synchronous = NORMAL")?;
        }
    }
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA case_sensitive_like = ON")
}

fn open_error(url: &SqliteUrl, e: rusqlite::Error) -> Error {
    let hint = match (&url.location, url.mode) {
        (Location::File(path), Mode::Rw | Mode::Ro) if !path.exists() => {
            " (the file does not exist; add ?mode=rwc to create it)"
        }
        _ => "",
    };
    Error::connect(
        format!("cannot open SQLite database {}: {e}{hint}", url.describe()),
        Some(Box::new(e)),
    )
}

#[cfg(test)]
mod tests {
    use rusqlite::StatementStatus;

    use super::*;

    /// How often each statement was prepared again over ten uses through the statement cache, on
    /// a connection opened with `opts`: a join filtered with `= ?` on a column no index serves, a
    /// query ordered by an indexed column filtered the same way, and a `LIKE ?` filter.
    fn reprepares(opts: &ConnectOptions) -> Vec<i32> {
        let url = SqliteUrl::parse("sqlite::memory:").unwrap();
        let conn = open(&url, opts).unwrap();
        conn.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, colour TEXT, name TEXT);
             CREATE INDEX t_name ON t (name);
             CREATE TABLE u (id INTEGER PRIMARY KEY, t_id INTEGER);
             INSERT INTO t (colour, name) VALUES ('black', 'black'), ('brown', 'brown');",
        )
        .unwrap();
        let statements = [
            "SELECT t.id FROM t LEFT JOIN u ON u.t_id = t.id WHERE t.colour = ?",
            "SELECT id FROM t WHERE colour = ? ORDER BY name",
            "SELECT id FROM t WHERE name LIKE ?",
        ];
        statements
            .iter()
            .map(|sql| {
                for _ in 0..10 {
                    let mut st = conn.prepare_cached(sql).unwrap();
                    let ids: Vec<i64> = st
                        .query_map(["black"], |r| r.get(0))
                        .unwrap()
                        .collect::<rusqlite::Result<_>>()
                        .unwrap();
                    assert_eq!(ids, [1], "{sql}");
                }
                conn.prepare_cached(sql)
                    .unwrap()
                    .get_status(StatementStatus::RePrepare)
            })
            .collect()
    }

    #[test]
    fn stable_plans_keep_cached_statements_prepared() {
        let stable = ConnectOptions::default();
        assert!(stable.sqlite_stable_plans);
        assert_eq!(reprepares(&stable), [0, 0, 0]);
        let following = ConnectOptions {
            sqlite_stable_plans: false,
            ..ConnectOptions::default()
        };
        assert_eq!(reprepares(&following), [9, 9, 10]);
    }
}
