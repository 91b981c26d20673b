//! Multi-row INSERTs whose generated keys are wanted back ([`orm_core::Executor::insert_keys`]),
//! without `RETURNING` where SQLite itself guarantees the keys. A RETURNING clause costs SQLite a
//! trigger-program run and an ephemeral-table row per inserted row, which doubles the cost of a
//! batch insert.
//!
//! Contract: [`insert_keys`] returns exactly the keys the statement's RETURNING clause reports, in
//! row order. It leaves the clause out when all of these hold, and otherwise runs the statement with
//! it:
//! - no transaction is open (the INSERT then runs in a `BEGIN IMMEDIATE` transaction of its own),
//!   or the open one already writes (the INSERT then runs in a savepoint), so neither the schema
//!   nor the table changes between the checks below and the INSERT;
//! - the key column is the table's rowid alias: it is `AUTOINCREMENT` (which SQLite allows on an
//!   `INTEGER PRIMARY KEY` only), or it is the only primary-key column, declared `INTEGER`, of a
//!   table with no primary-key index (which rules out `WITHOUT ROWID` tables and
//!   `INTEGER PRIMARY KEY DESC`). The latter answer is remembered per connection
//!   ([`RowidAliases`]) while the `main` and `temp` schema versions stay the same, for tables found
//!   in `main` or `temp`; for a table in an attached database, which is read every time, batches
//!   under [`MIN_ROWS_TO_CHECK_SCHEMA`] rows keep the clause;
//! - without AUTOINCREMENT, the largest key before the INSERT leaves room for `rows` more below
//!   `i64::MAX`, so SQLite never picks random rowids (with AUTOINCREMENT it fails instead, as the
//!   statement with RETURNING does);
//! - the INSERT inserted exactly `rows` rows and changed nothing else (no trigger ran).
//!
//! SQLite then gives the new rows consecutive rowids in VALUES order, each one past the largest
//! rowid in the table (and its AUTOINCREMENT counter), so the keys are the `rows` values ending at
//! `last_insert_rowid()`. When a check fails after the transaction or savepoint was opened, it is
//! rolled back (undoing the INSERT if it ran) and the statement runs again with RETURNING. An error
//! leaves the connection as the INSERT alone would: a transaction begun here is rolled back, a
//! savepoint is rolled back and released.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use orm_core::render::quote_ident;
use orm_core::{Dialect, KeyedInsert, Result, Scalar};
use rusqlite::{Connection, MAIN_DB, TransactionState};

use super::error;
use super::exec::{self, control};

/// Smallest batch for which reading the table's schema every time costs less than the RETURNING
/// clause.
pub(crate) const MIN_ROWS_TO_CHECK_SCHEMA: usize = 16;

/// `(primary-key columns, of which the key column declared INTEGER, primary-key indexes)` of table
/// `?1`, key column `?2`.
const ROWID_ALIAS_CHECK: &str = "SELECT count(*) FILTER (WHERE pk > 0), \
     count(*) FILTER (WHERE pk > 0 AND name = ?2 AND upper(type) = 'INTEGER'), \
     (SELECT count(*) FROM pragma_index_list(?1) WHERE origin = 'pk') \
     FROM pragma_table_info(?1)";

/// The savepoint inside an open write transaction.
const SAVEPOINT: &str = "SAVEPOINT orm_insert_keys";
const RELEASE: &str = "RELEASE orm_insert_keys";
const ROLLBACK_TO: &str = "ROLLBACK TO orm_insert_keys";

/// Which key columns of which tables are rowid aliases, as read from the schema of one connection.
#[derive(Debug, Default)]
pub(crate) struct RowidAliases {
    /// `main` and `temp` schema versions the answers were read at.
    versions: Option<(i64, i64)>,
    known: HashMap<(&'static str, &'static str), KeyKind>,
}

/// What a key column is to its table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyKind {
    /// Not a rowid alias (or no such column).
    Other,
    /// `INTEGER PRIMARY KEY`: past `i64::MAX`, SQLite would pick random rowids.
    Rowid,
    /// `INTEGER PRIMARY KEY AUTOINCREMENT`: past `i64::MAX`, the INSERT fails instead.
    Autoincrement,
}

/// Runs `insert` and returns its generated keys in row order (see the module docs).
pub(crate) fn insert_keys(
    conn: &Connection,
    insert: &KeyedInsert,
    aliases: &Mutex<RowidAliases>,
) -> Result<Vec<i64>> {
    if let Some(keys) = without_returning(conn, insert, aliases)? {
        return Ok(keys);
    }
    let returned = exec::fetch_all::<Scalar<i64>>(conn, insert.statement())?;
    Ok(KeyedInsert::keys_in_row_order(returned))
}

/// Where the INSERT runs without RETURNING.
#[derive(Clone, Copy)]
enum Scope {
    /// A `BEGIN IMMEDIATE` transaction of its own.
    Transaction,
    /// A savepoint inside the open write transaction.
    Savepoint,
}

impl Scope {
    fn open(self, conn: &Connection) -> Result<()> {
        match self {
            Scope::Transaction => control(conn, "BEGIN IMMEDIATE"),
            Scope::Savepoint => control(conn, SAVEPOINT),
        }
    }

    fn keep(self, conn: &Connection) -> Result<()> {
        match self {
            Scope::Transaction => control(conn, "COMMIT"),
            Scope::Savepoint => control(conn, RELEASE),
        }
    }

    fn undo(self, conn: &Connection) -> Result<()> {
        match self {
            // SQLite itself may have rolled back already (an interrupt, `ON CONFLICT ROLLBACK`).
            Scope::Transaction if conn.is_autocommit() => Ok(()),
            Scope::Transaction => control(conn, "ROLLBACK"),
            Scope::Savepoint => {
                control(conn, ROLLBACK_TO)?;
                control(conn, RELEASE)
            }
        }
    }
}

/// The keys of `insert` run without its RETURNING clause, or `None` when the checks of the module
/// docs do not hold (nothing is then left inserted).
fn without_returning(
    conn: &Connection,
    insert: &KeyedInsert,
    aliases: &Mutex<RowidAliases>,
) -> Result<Option<Vec<i64>>> {
    if !worth_a_transaction(conn, insert, aliases)? {
        return Ok(None);
    }
    let scope = if conn.is_autocommit() {
        Scope::Transaction
    } else if conn.transaction_state(Some(MAIN_DB)).map_err(error::map)? == TransactionState::Write
    {
        Scope::Savepoint
    } else {
        return Ok(None);
    };
    scope.open(conn)?;
    let outcome = match rowid_alias(conn, insert, aliases) {
        Ok(KeyKind::Other) => Ok(None),
        Ok(kind) => consecutive_keys(conn, insert, kind),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(Some(keys)) => match scope.keep(conn) {
            Ok(()) => Ok(Some(keys)),
            Err(e) => {
                let _ = scope.undo(conn);
                Err(e)
            }
        },
        Ok(None) => scope.undo(conn).map(|()| None),
        Err(e) => {
            let _ = scope.undo(conn);
            Err(e)
        }
    }
}

/// A first look, outside any transaction, that spares opening one when the answer is already no:
/// the key column cannot be a rowid alias, this connection found it is not one and neither schema
/// changed since, or the table is in an attached database and the batch is small. Falling back to
/// RETURNING is always correct, so a stale look costs time only; [`rowid_alias`] decides inside
/// the transaction.
fn worth_a_transaction(
    conn: &Connection,
    insert: &KeyedInsert,
    aliases: &Mutex<RowidAliases>,
) -> Result<bool> {
    if insert.rows() == 0 || key_column(conn, None, insert).is_none_or(|c| !c.may_be_alias()) {
        return Ok(false);
    }
    let known_other = {
        let aliases = aliases.lock().unwrap_or_else(PoisonError::into_inner);
        (aliases.known.get(&(insert.table(), insert.key())) == Some(&KeyKind::Other))
            .then_some(aliases.versions)
    };
    if let Some(versions) = known_other
        && versions == Some(schema_versions(conn)?)
    {
        return Ok(false);
    }
    Ok(insert.rows() >= MIN_ROWS_TO_CHECK_SCHEMA || in_tracked_schema(conn, insert))
}

/// The `main` and `temp` schema versions.
fn schema_versions(conn: &Connection) -> Result<(i64, i64)> {
    Ok((
        schema_version(conn, "PRAGMA main.schema_version")?,
        schema_version(conn, "PRAGMA temp.schema_version")?,
    ))
}

/// `true` when the statement finds `insert`'s table in `temp` or `main`, whose schema versions are
/// tracked (it looks there first, then in attached databases).
fn in_tracked_schema(conn: &Connection, insert: &KeyedInsert) -> bool {
    ["temp", "main"]
        .into_iter()
        .any(|schema| key_column(conn, Some(schema), insert).is_some())
}

/// What the schema says about a key column.
struct KeyColumn {
    integer: bool,
    primary_key: bool,
    autoincrement: bool,
}

impl KeyColumn {
    /// Whether the column can be a rowid alias.
    fn may_be_alias(&self) -> bool {
        self.primary_key && (self.autoincrement || self.integer)
    }
}

/// The key column of `insert`'s table in schema `schema` (`None`: wherever the statement finds the
/// table), or `None` when there is no such table or column.
fn key_column(conn: &Connection, schema: Option<&str>, insert: &KeyedInsert) -> Option<KeyColumn> {
    let (declared, _, _, primary_key, autoincrement) = conn
        .column_metadata(schema, insert.table(), insert.key())
        .ok()?;
    let integer = declared
        .and_then(|t| t.to_str().ok())
        .is_some_and(|t| t.eq_ignore_ascii_case("INTEGER"));
    Some(KeyColumn {
        integer,
        primary_key,
        autoincrement,
    })
}

/// What `insert.key` is to `insert.table` (see the module docs); `Other` also when the table or
/// column is unknown (the statement then reports that). Runs inside the write transaction, where
/// the schema cannot change.
fn rowid_alias(
    conn: &Connection,
    insert: &KeyedInsert,
    aliases: &Mutex<RowidAliases>,
) -> Result<KeyKind> {
    let Some(column) = key_column(conn, None, insert) else {
        return Ok(KeyKind::Other);
    };
    if !column.may_be_alias() {
        return Ok(KeyKind::Other);
    }
    if column.autoincrement {
        return Ok(KeyKind::Autoincrement);
    }
    let versions = Some(schema_versions(conn)?);
    let mut aliases = aliases.lock().unwrap_or_else(PoisonError::into_inner);
    if aliases.versions != versions {
        aliases.known.clear();
        aliases.versions = versions;
    }
    // Remembered answers are for tables in `temp` or `main`: while neither schema changes, the
    // statement still finds the same table.
    if let Some(&known) = aliases.known.get(&(insert.table(), insert.key())) {
        return Ok(known);
    }
    let tracked = in_tracked_schema(conn, insert);
    if !tracked && insert.rows() < MIN_ROWS_TO_CHECK_SCHEMA {
        return Ok(KeyKind::Other);
    }
    let (keys, integer_key, key_indexes): (i64, i64, i64) = conn
        .prepare_cached(ROWID_ALIAS_CHECK)
        .and_then(|mut s| {
            s.query_row([insert.table(), insert.key()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
        })
        .map_err(error::map)?;
    let kind = if keys == 1 && integer_key == 1 && key_indexes == 0 {
        KeyKind::Rowid
    } else {
        KeyKind::Other
    };
    if tracked {
        aliases.known.insert((insert.table(), insert.key()), kind);
    }
    Ok(kind)
}

/// The schema version `pragma` (`PRAGMA <schema>.schema_version`) reads.
fn schema_version(conn: &Connection, pragma: &str) -> Result<i64> {
    conn.prepare_cached(pragma)
        .and_then(|mut s| s.query_row([], |r| r.get(0)))
        .map_err(error::map)
}

/// Inside the scope: runs the INSERT without RETURNING (for an `INTEGER PRIMARY KEY`, once the
/// largest key leaves room for the rows) and, when SQLite numbered the rows consecutively, returns
/// their keys.
fn consecutive_keys(
    conn: &Connection,
    insert: &KeyedInsert,
    kind: KeyKind,
) -> Result<Option<Vec<i64>>> {
    let rows = i64::try_from(insert.rows()).unwrap_or(i64::MAX);
    if kind == KeyKind::Rowid && !room_for(conn, insert, rows)? {
        return Ok(None);
    }
    let before = conn.total_changes();
    exec::prepare(
        conn,
        insert.sql_without_returning(),
        &insert.statement().params,
    )?
    .raw_execute()
    .map_err(error::map)?;
    let inserted = conn.changes();
    if inserted != insert.rows() as u64 || conn.total_changes() - before != inserted {
        return Ok(None);
    }
    let last = conn.last_insert_rowid();
    Ok(last
        .checked_sub(rows - 1)
        .map(|first| (first..=last).collect()))
}

/// `true` when the largest key of the table leaves room for `rows` more below `i64::MAX`.
fn room_for(conn: &Connection, insert: &KeyedInsert, rows: i64) -> Result<bool> {
    let mut largest_sql = String::from("SELECT max(");
    quote_ident(Dialect::Sqlite, insert.key(), &mut largest_sql);
    largest_sql.push_str(") FROM ");
    quote_ident(Dialect::Sqlite, insert.table(), &mut largest_sql);
    let largest: Option<i64> = conn
        .prepare_cached(&largest_sql)
        .and_then(|mut s| s.query_row([], |r| r.get(0)))
        .map_err(error::map)?;
    Ok(largest.is_none_or(|m| m <= i64::MAX - rows))
}

#[cfg(test)]
mod tests {
    use orm_core::Backend;
    use orm_core::Value;
    use orm_core::ast::Insert;

    use super::*;

    fn conn() -> Connection {
        Connection::open_in_memory().unwrap()
    }

    /// An INSERT of `rows` rows of text into `t (v)`, returning `id`.
    fn insert(rows: usize, tag: &str) -> KeyedInsert {
        let table = Insert {
            table: "t",
            columns: vec!["v"],
            rows: vec![],
            on_conflict: None,
            returning: vec![],
        };
        let values = (0..rows).map(|i| Value::String(format!("{tag}{i}")));
        KeyedInsert::new(&Backend::SQLITE, table, "id", rows, values).unwrap()
    }

    fn count(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap()
    }

    /// The keys of the rows whose text starts with `tag`, in insertion (rowid) order.
    fn keys_of(conn: &Connection, tag: &str) -> Vec<i64> {
        conn.prepare("SELECT id FROM t WHERE v LIKE ?1 || '%' ORDER BY rowid")
            .unwrap()
            .query_map([tag], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// Runs `rows` rows through the path without RETURNING; `Some(keys)` when it was taken, after
    /// checking they are the keys the rows got. When it was not taken, checks nothing was inserted,
    /// then runs the whole operation and checks its keys too.
    fn run(
        conn: &Connection,
        aliases: &Mutex<RowidAliases>,
        rows: usize,
        tag: &str,
    ) -> Option<Vec<i64>> {
        let before = count(conn);
        let ins = insert(rows, tag);
        match without_returning(conn, &ins, aliases).unwrap() {
            Some(keys) => {
                assert_eq!(keys, keys_of(conn, tag), "{tag}");
                Some(keys)
            }
            None => {
                assert_eq!(count(conn), before, "{tag}: nothing left inserted");
                let keys = insert_keys(conn, &ins, aliases).unwrap();
                assert_eq!(keys, keys_of(conn, tag), "{tag}");
                None
            }
        }
    }

    #[test]
    fn skips_returning_only_for_rowid_aliases() {
        let cases = [
            ("id INTEGER PRIMARY KEY, v TEXT", true),
            ("id integer primary key autoincrement, v TEXT", true),
            ("id INTEGER, v TEXT, PRIMARY KEY (id DESC)", true),
            ("rowid TEXT, id INTEGER PRIMARY KEY, v TEXT", true),
            // Not aliases: the key is NULL or its default.
            ("id INTEGER PRIMARY KEY DESC, v TEXT", false),
            ("id BIGINT PRIMARY KEY, v TEXT", false),
            ("id INTEGER DEFAULT 7, v TEXT, PRIMARY KEY (id, v)", false),
            (
                "id INTEGER DEFAULT 3, v TEXT, PRIMARY KEY (id, v)) WITHOUT ROWID; SELECT (1",
                false,
            ),
        ];
        for (columns, alias) in cases {
            let conn = conn();
            conn.execute_batch(&format!("CREATE TABLE t ({columns})"))
                .unwrap();
            conn.execute("INSERT INTO t (id, v) VALUES (40, 'seed')", [])
                .unwrap();
            let ins = insert(20, "a");
            let fast = without_returning(&conn, &ins, &Mutex::default()).unwrap();
            if alias {
                assert_eq!(fast, Some((41..=60).collect()), "{columns}");
                assert_eq!(
                    keys_of(&conn, "a"),
                    (41..=60).collect::<Vec<_>>(),
                    "{columns}"
                );
            } else {
                assert_eq!(fast, None, "{columns}");
                assert_eq!(count(&conn), 1, "{columns}: nothing left inserted");
            }
        }
    }

    #[test]
    fn small_batches_skip_returning_once_the_schema_is_known() {
        let conn = conn();
        let aliases = Mutex::default();
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
            .unwrap();
        assert_eq!(run(&conn, &aliases, 1, "one"), Some(vec![1]));
        assert_eq!(run(&conn, &aliases, 2, "two"), Some(vec![2, 3]));

        // A table of an attached database is read every time: small batches keep RETURNING.
        conn.execute_batch(
            "ATTACH ':memory:' AS side; DROP TABLE t; \
             CREATE TABLE side.t (id INTEGER PRIMARY KEY, v TEXT)",
        )
        .unwrap();
        let small = MIN_ROWS_TO_CHECK_SCHEMA - 1;
        assert_eq!(run(&conn, &aliases, small, "small"), None);
        let large = run(&conn, &aliases, MIN_ROWS_TO_CHECK_SCHEMA, "large").unwrap();
        assert_eq!(large.first(), Some(&(i64::try_from(small).unwrap() + 1)));
    }

    #[test]
    fn keys_follow_autoincrement_past_deleted_rows_and_explicit_ids() {
        let conn = conn();
        let aliases = Mutex::default();
        conn.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
             INSERT INTO t (id, v) VALUES (500, 'x'), (7, 'y');
             DELETE FROM t WHERE id = 500;",
        )
        .unwrap();
        assert_eq!(run(&conn, &aliases, 3, "n"), Some(vec![501, 502, 503]));
        conn.execute("INSERT INTO t (id, v) VALUES (900, 'z')", [])
            .unwrap();
        assert_eq!(run(&conn, &aliases, 2, "m"), Some(vec![901, 902]));
    }

    #[test]
    fn triggers_and_keys_near_the_maximum_use_returning() {
        let conn = conn();
        let aliases = Mutex::default();
        conn.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
             CREATE TRIGGER echo AFTER INSERT ON t WHEN NEW.v NOT LIKE 'echo%'
             BEGIN INSERT INTO t (v) VALUES ('echo' || NEW.v); END;",
        )
        .unwrap();
        assert_eq!(run(&conn, &aliases, 20, "trig"), None);
        assert_eq!(
            keys_of(&conn, "echo").len(),
            20,
            "the first attempt was rolled back"
        );

        let conn = self::conn();
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
            .unwrap();
        conn.execute("INSERT INTO t (id, v) VALUES (?1, 'top')", [i64::MAX - 19])
            .unwrap();
        assert_eq!(run(&conn, &aliases, 20, "near"), None);
        conn.execute("DELETE FROM t", []).unwrap();
        conn.execute("INSERT INTO t (id, v) VALUES (?1, 'top')", [i64::MAX - 20])
            .unwrap();
        let keys = run(&conn, &aliases, 20, "edge").unwrap();
        assert_eq!(keys.last(), Some(&i64::MAX));

        let conn = self::conn();
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)")
            .unwrap();
        conn.execute("INSERT INTO t (id, v) VALUES (?1, 'top')", [i64::MAX - 19])
            .unwrap();
        let full = insert_keys(&conn, &insert(20, "full"), &aliases).unwrap_err();
        let with_returning =
            exec::fetch_all::<Scalar<i64>>(&conn, insert(20, "full").statement()).unwrap_err();
        assert_eq!(full.to_string(), with_returning.to_string());
        assert!(conn.is_autocommit());
        assert_eq!(count(&conn), 1);
    }

    #[test]
    fn transactions_use_a_savepoint_only_once_they_write() {
        let conn = conn();
        let aliases = Mutex::default();
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
            .unwrap();
        conn.execute_batch("BEGIN DEFERRED; SELECT count(*) FROM t;")
            .unwrap();
        assert_eq!(run(&conn, &aliases, 20, "read"), None);
        conn.execute_batch("COMMIT; BEGIN IMMEDIATE").unwrap();
        assert_eq!(run(&conn, &aliases, 20, "write"), Some((21..=40).collect()));
        assert!(!conn.is_autocommit(), "the caller's transaction stays open");
        conn.execute_batch("ROLLBACK").unwrap();
        assert_eq!(
            count(&conn),
            20,
            "the savepoint's rows went with the transaction"
        );
        assert_eq!(run(&conn, &aliases, 20, "auto"), Some((21..=40).collect()));
        assert!(conn.is_autocommit(), "its own transaction is committed");
    }

    #[test]
    fn errors_leave_the_connection_as_the_insert_alone_would() {
        let conn = conn();
        let aliases = Mutex::default();
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)")
            .unwrap();
        conn.execute("INSERT INTO t (v) VALUES ('dup5')", [])
            .unwrap();
        let err = insert_keys(&conn, &insert(20, "dup"), &aliases).unwrap_err();
        assert!(
            matches!(err, orm_core::Error::UniqueViolation(_)),
            "{err:?}"
        );
        assert!(conn.is_autocommit());
        assert_eq!(count(&conn), 1);

        conn.execute_batch("BEGIN IMMEDIATE; INSERT INTO t (v) VALUES ('kept')")
            .unwrap();
        let err = insert_keys(&conn, &insert(20, "dup"), &aliases).unwrap_err();
        assert!(
            matches!(err, orm_core::Error::UniqueViolation(_)),
            "{err:?}"
        );
        assert!(!conn.is_autocommit(), "the caller's transaction stays open");
        conn.execute_batch("COMMIT").unwrap();
        assert_eq!(count(&conn), 2);
        assert!(conn.execute_batch(RELEASE).is_err(), "released");
    }

    #[test]
    fn a_changed_schema_is_read_again() {
        let conn = conn();
        let aliases = Mutex::default();
        // (schema change, then the table no longer has a rowid-alias key, whose default fills it)
        let changes = [
            (
                "DROP TABLE t; CREATE TABLE t (id INTEGER DEFAULT 7, v TEXT, PRIMARY KEY (id, v))",
                "second",
                7,
            ),
            (
                "CREATE TEMP TABLE t (id INTEGER DEFAULT 9, v TEXT, PRIMARY KEY (id, v))",
                "shadow",
                9,
            ),
        ];
        for (change, tag, default) in changes {
            conn.execute_batch(
                "DROP TABLE IF EXISTS main.t; CREATE TABLE main.t (id INTEGER PRIMARY KEY, v TEXT)",
            )
            .unwrap();
            assert!(run(&conn, &aliases, 20, "first").is_some(), "{tag}");
            conn.execute_batch(change).unwrap();
            assert_eq!(run(&conn, &aliases, 20, tag), None, "{tag}");
            assert_eq!(keys_of(&conn, tag), vec![default; 20], "{tag}");
        }
    }
}
