//! SQLite errors mapped to `orm::Error`.
//!
//! Contract: the mapping keys on the extended result code. 2067 (UNIQUE) and 1555 (PRIMARY KEY) are
//! `UniqueViolation`, 787 `ForeignKeyViolation`, 1299 `NotNullViolation`, 275 `CheckViolation`; every
//! BUSY or LOCKED code is `Busy`; anything else is `Database`. The extended code is kept as
//! `DbError::code`, and the `table.column` names SQLite puts in constraint messages land in
//! `DbError::table` / `DbError::column`.

use orm_core::{DbError, DbErrorKind, Error};

const SQLITE_CONSTRAINT_UNIQUE: i32 = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY: i32 = 1555;
const SQLITE_CONSTRAINT_FOREIGNKEY: i32 = 787;
const SQLITE_CONSTRAINT_NOTNULL: i32 = 1299;
const SQLITE_CONSTRAINT_CHECK: i32 = 275;
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;

/// Maps a rusqlite error.
pub(crate) fn map(e: rusqlite::Error) -> Error {
    match e {
        rusqlite::Error::SqliteFailure(err, msg) => {
            from_code(err.extended_code, msg.unwrap_or_else(|| err.to_string()))
        }
        rusqlite::Error::SqlInputError { error, msg, .. } => from_code(error.extended_code, msg),
        rusqlite::Error::MultipleStatement => {
            Error::InvalidQuery("a statement must hold exactly one SQL command".into())
        }
        rusqlite::Error::InvalidParameterCount(given, expected) => Error::InvalidQuery(format!(
            "the statement has {expected} placeholders but {given} values were bound"
        )),
        other => Error::from_db(DbErrorKind::Other, DbError::new("", other.to_string())),
    }
}

/// The error for an extended result code and SQLite's message.
fn from_code(code: i32, message: String) -> Error {
    let mut db = DbError::new(code.to_string(), message);
    let kind = match code {
        SQLITE_CONSTRAINT_UNIQUE | SQLITE_CONSTRAINT_PRIMARYKEY => {
            name_columns(&mut db, "UNIQUE constraint failed: ");
            DbErrorKind::UniqueViolation
        }
        SQLITE_CONSTRAINT_FOREIGNKEY => DbErrorKind::ForeignKeyViolation,
        SQLITE_CONSTRAINT_NOTNULL => {
            name_columns(&mut db, "NOT NULL constraint failed: ");
            DbErrorKind::NotNullViolation
        }
        SQLITE_CONSTRAINT_CHECK => {
            db.constraint = db
                .message
                .strip_prefix("CHECK constraint failed: ")
                .map(str::to_owned);
            DbErrorKind::CheckViolation
        }
        c if c & 0xff == SQLITE_BUSY || c & 0xff == SQLITE_LOCKED => DbErrorKind::Busy,
        _ => DbErrorKind::Other,
    };
    Error::from_db(kind, db)
}

/// Reads `table.column[, table.column2]` after `prefix`: the table, and the columns joined by `, `.
fn name_columns(db: &mut DbError, prefix: &str) {
    let Some(list) = db.message.strip_prefix(prefix) else {
        return;
    };
    let mut table = None;
    let mut columns = Vec::new();
    for item in list.split(", ") {
        if let Some((t, c)) = item.split_once('.') {
            table.get_or_insert(t);
            columns.push(c);
        }
    }
    if !columns.is_empty() {
        db.table = table.map(str::to_owned);
        db.column = Some(columns.join(", "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        match from_code(2067, "UNIQUE constraint failed: users.email".into()) {
            Error::UniqueViolation(db) => {
                assert_eq!(db.code, "2067");
                assert_eq!(db.table.as_deref(), Some("users"));
                assert_eq!(db.column.as_deref(), Some("email"));
            }
            other => panic!("{other:?}"),
        }
        match from_code(1555, "UNIQUE constraint failed: t.a, t.b".into()) {
            Error::UniqueViolation(db) => assert_eq!(db.column.as_deref(), Some("a, b")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            from_code(787, "FOREIGN KEY constraint failed".into()),
            Error::ForeignKeyViolation(_)
        ));
        match from_code(1299, "NOT NULL constraint failed: t.name".into()) {
            Error::NotNullViolation(db) => assert_eq!(db.column.as_deref(), Some("name")),
            other => panic!("{other:?}"),
        }
        match from_code(275, "CHECK constraint failed: positive".into()) {
            Error::CheckViolation(db) => assert_eq!(db.constraint.as_deref(), Some("positive")),
            other => panic!("{other:?}"),
        }
        assert!(from_code(5, "database is locked".into()).is_retryable());
        assert!(matches!(
            from_code(517, "busy snapshot".into()),
            Error::Busy(_)
        ));
        assert!(matches!(from_code(262, "locked".into()), Error::Busy(_)));
        match from_code(26, "file is not a database".into()) {
            Error::Database(db) => assert_eq!(db.code, "26"),
            other => panic!("{other:?}"),
        }
    }
}
