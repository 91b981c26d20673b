//! Mapping tokio-postgres errors into `orm::Error`.
//!
//! Contract:
//! - Server errors keep their SQLSTATE, message, constraint, table and column in `DbError`, and are
//!   classified by SQLSTATE: 23505 unique, 23503 foreign key, 23502 not null, 23514 check,
//!   40001/40P01 transaction conflict, class 08 and 57P01/57P02/57P03 disconnected; anything else
//!   (57014 `query_canceled` included) is `Error::Database`.
//! - A parameter the encoder refused is `Error::Encode`; a statement the client cannot put on the
//!   wire (NUL in the SQL text, oversized message) is `Error::InvalidQuery`.
//! - A closed connection, an I/O failure or a protocol error is `Error::Disconnected`: the connection
//!   cannot be trusted any more.
//! - Connect and configuration errors never contain the password: connection-string parse errors
//!   are reported only when their text is fixed by the parser, never echoing input.

use std::error::Error as StdError;

use orm_core::{DbError, DbErrorKind, Error};
use tokio_postgres::error::SqlState;

use super::value::ParamError;

type PgError = tokio_postgres::Error;

/// The driver error's text with its cause (tokio-postgres puts the server's message in the cause).
pub(crate) fn describe(e: &PgError) -> String {
    match e.source() {
        Some(cause) => format!("{e}: {cause}"),
        None => e.to_string(),
    }
}

/// Maps an error raised while running a statement.
pub(crate) fn map(e: PgError) -> Error {
    if let Some(db) = e.as_db_error() {
        let info = DbError {
            code: db.code().code().to_owned(),
            message: db.message().to_owned(),
            constraint: db.constraint().map(str::to_owned),
            table: db.table().map(str::to_owned),
            column: db.column().map(str::to_owned),
        };
        let kind = match info.code.as_str() {
            "23505" => DbErrorKind::UniqueViolation,
            "23503" => DbErrorKind::ForeignKeyViolation,
            "23502" => DbErrorKind::NotNullViolation,
            "23514" => DbErrorKind::CheckViolation,
            "40001" | "40P01" => DbErrorKind::TransactionConflict,
            code if code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03") => {
                return Error::disconnected(info.to_string(), Some(Box::new(e)));
            }
            _ => DbErrorKind::Other,
        };
        return Error::from_db(kind, info);
    }
    if let Some(param) = e.source().and_then(|s| s.downcast_ref::<ParamError>()) {
        return Error::Encode {
            message: param.to_string(),
        };
    }
    if !e.is_closed()
        && e.source()
            .and_then(|s| s.downcast_ref::<std::io::Error>())
            .is_some_and(|io| io.kind() == std::io::ErrorKind::InvalidInput)
    {
        return Error::InvalidQuery(describe(&e));
    }
    Error::disconnected(describe(&e), Some(Box::new(e)))
}

/// `true` when the server no longer accepts a cached prepared statement: its result type changed
/// (`0A000` "cached plan must not change result type", raised by `RevalidateCachedQuery`) or it was
/// deallocated behind the client's back (`26000`).
pub(crate) fn is_stale_statement(e: &PgError) -> bool {
    e.as_db_error().is_some_and(|db| {
        *db.code() == SqlState::INVALID_SQL_STATEMENT_NAME
            || (*db.code() == SqlState::FEATURE_NOT_SUPPORTED
                && (db.routine() == Some("RevalidateCachedQuery")
                    || db
                        .message()
                        .starts_with("cached plan must not change result type")))
    })
}

/// Maps a failure to open a connection to `target` (a description without credentials).
pub(crate) fn connect(target: &str, e: PgError) -> Error {
    Error::connect(
        format!("PostgreSQL at {target}: {}", describe(&e)),
        Some(Box::new(e)),
    )
}

/// Maps a connection-string parse error. The parser's text is kept only when it cannot contain a
/// piece of the input (which could be the password).
pub(crate) fn config(e: &PgError) -> Error {
    const FIXED: [&str; 4] = [
        "invalid value for option `",
        "unexpected EOF",
        "unterminated",
        "invalid utf-8",
    ];
    let detail = e
        .source()
        .map(ToString::to_string)
        .filter(|d| FIXED.iter().any(|f| d.starts_with(f)));
    Error::Config(match detail {
        Some(d) => format!("invalid PostgreSQL connection string: {d}"),
        None => "invalid PostgreSQL connection string (expected `postgres://user:password@host:port/database` \
                 or `key=value` pairs)"
            .to_owned(),
    })
}
