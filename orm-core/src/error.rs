//! The one error type of the crate family.
//!
//! Contract: every driver maps its native errors into [`Error`] so that users match the same kinds on
//! PostgreSQL, MySQL/MariaDB and SQLite. Server errors keep their raw code and message in [`DbError`].
//! No variant ever carries a password: connection strings are redacted before they reach an error.

use std::fmt;
use std::time::Duration;

use crate::dialect::Dialect;

/// `Result<T, orm::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Boxed driver error kept as the `source()` of an [`Error`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What the server said: raw code, message and, where the server names them, the constraint, table and
/// column involved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DbError {
    /// SQLSTATE on PostgreSQL (`23505`), the error number on MySQL (`1062`), the extended result code
    /// on SQLite (`2067`).
    pub code: String,
    /// The server's message.
    pub message: String,
    /// The constraint (or MySQL key) named by the server, if any.
    pub constraint: Option<String>,
    /// The table named by the server, if any.
    pub table: Option<String>,
    /// The column named by the server, if any (SQLite names `table.column`; the column part lands here).
    pub column: Option<String>,
}

impl DbError {
    /// A server error with just a code and a message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            ..Self::default()
        }
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.code, self.message)?;
        if let Some(c) = &self.constraint {
            write!(f, " (constraint `{c}`)")?;
        }
        Ok(())
    }
}

/// The portable class of a server error, as determined by a driver from its native code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DbErrorKind {
    /// UNIQUE / PRIMARY KEY.
    UniqueViolation,
    /// FOREIGN KEY.
    ForeignKeyViolation,
    /// NOT NULL.
    NotNullViolation,
    /// CHECK.
    CheckViolation,
    /// Serialization failure or deadlock.
    TransactionConflict,
    /// SQLite lock wait exceeded.
    Busy,
    /// Anything else.
    Other,
}

/// Every failure the ORM reports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A lookup that must find a row found none.
    #[error("no row found in `{table}`")]
    NotFound {
        /// The table that was searched.
        table: &'static str,
    },
    /// A query expected at most one row and got more.
    #[error("expected one row from `{table}`, found several")]
    TooManyRows {
        /// The table that was searched.
        table: &'static str,
    },
    /// A UNIQUE or PRIMARY KEY constraint was violated.
    #[error("unique violation: {0}")]
    UniqueViolation(Box<DbError>),
    /// A FOREIGN KEY constraint was violated.
    #[error("foreign key violation: {0}")]
    ForeignKeyViolation(Box<DbError>),
    /// A NOT NULL constraint was violated.
    #[error("not null violation: {0}")]
    NotNullViolation(Box<DbError>),
    /// A CHECK constraint was violated.
    #[error("check violation: {0}")]
    CheckViolation(Box<DbError>),
    /// Serialization failure or deadlock: the transaction may succeed if run again
    /// (PostgreSQL 40001/40P01, MySQL 1213/1205).
    #[error("transaction conflict, retry: {0}")]
    TransactionConflict(Box<DbError>),
    /// SQLite could not take a lock within the busy timeout.
    #[error("database is busy: {0}")]
    Busy(Box<DbError>),
    /// Any other error reported by the server.
    #[error("database error: {0}")]
    Database(Box<DbError>),
    /// The connection is gone (closed socket, killed backend, server restart). The connection is discarded.
    #[error("connection lost: {message}")]
    Disconnected {
        /// What was observed.
        message: String,
        /// The driver error, if any.
        #[source]
        source: Option<BoxError>,
    },
    /// A new connection could not be opened (refused, bad credentials, unknown database, missing file).
    #[error("cannot connect: {message}")]
    Connect {
        /// What went wrong, without credentials.
        message: String,
        /// The driver error, if any.
        #[source]
        source: Option<BoxError>,
    },
    /// No pooled connection became free within the acquire timeout.
    #[error("timed out after {waited:?} waiting for a pooled connection")]
    PoolTimeout {
        /// The configured acquire timeout.
        waited: Duration,
    },
    /// The pool was closed.
    #[error("the connection pool is closed")]
    PoolClosed,
    /// A statement did not finish within its deadline; it was cancelled on the server.
    #[error("statement timed out after {0:?}")]
    Timeout(Duration),
    /// A column could not be decoded into the requested Rust type.
    #[error("cannot decode column `{column}` as {expected}: {message}")]
    Decode {
        /// Column name (or index when the name is unknown).
        column: String,
        /// The Rust type asked for.
        expected: &'static str,
        /// What was found instead.
        message: String,
    },
    /// A Rust value cannot be represented in the database (for example `u64` above `i64::MAX`).
    #[error("cannot encode value: {message}")]
    Encode {
        /// What does not fit.
        message: String,
    },
    /// The dialect cannot express this feature.
    #[error("{feature} is not supported on {dialect}")]
    Unsupported {
        /// The feature asked for.
        feature: &'static str,
        /// The dialect that lacks it.
        dialect: Dialect,
    },
    /// Invalid configuration or URL (never echoes a password).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// Invalid use of the API detected at run time (for example a raw SQL placeholder count mismatch).
    #[error("invalid query: {0}")]
    InvalidQuery(String),
}

impl Error {
    /// The server's error, for every variant that carries one.
    pub fn db_error(&self) -> Option<&DbError> {
        match self {
            Error::UniqueViolation(e)
            | Error::ForeignKeyViolation(e)
            | Error::NotNullViolation(e)
            | Error::CheckViolation(e)
            | Error::TransactionConflict(e)
            | Error::Busy(e)
            | Error::Database(e) => Some(e.as_ref()),
            _ => None,
        }
    }
    /// The raw server code (SQLSTATE, MySQL error number, SQLite extended code), if any.
    pub fn code(&self) -> Option<&str> {
        self.db_error().map(|e| e.code.as_str())
    }
    /// The constraint the server named, if any.
    pub fn constraint(&self) -> Option<&str> {
        self.db_error().and_then(|e| e.constraint.as_deref())
    }
    /// `true` for [`Error::NotFound`].
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound { .. })
    }
    /// `true` for [`Error::UniqueViolation`].
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, Error::UniqueViolation(_))
    }
    /// `true` for [`Error::ForeignKeyViolation`].
    pub fn is_foreign_key_violation(&self) -> bool {
        matches!(self, Error::ForeignKeyViolation(_))
    }
    /// `true` for [`Error::NotNullViolation`].
    pub fn is_not_null_violation(&self) -> bool {
        matches!(self, Error::NotNullViolation(_))
    }
    /// `true` for [`Error::Disconnected`].
    pub fn is_disconnected(&self) -> bool {
        matches!(self, Error::Disconnected { .. })
    }
    /// `true` for [`Error::PoolTimeout`].
    pub fn is_pool_timeout(&self) -> bool {
        matches!(self, Error::PoolTimeout { .. })
    }
    /// `true` when running the whole transaction again may succeed (conflict, deadlock, busy).
    pub fn is_retryable(&self) -> bool {
        matches!(self, Error::TransactionConflict(_) | Error::Busy(_))
    }

    /// A decode error for `column`.
    pub fn decode(
        column: impl Into<String>,
        expected: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Error::Decode {
            column: column.into(),
            expected,
            message: message.into(),
        }
    }
    /// A connection-lost error.
    pub fn disconnected(message: impl Into<String>, source: Option<BoxError>) -> Self {
        Error::Disconnected {
            message: message.into(),
            source,
        }
    }
    /// A connect error.
    pub fn connect(message: impl Into<String>, source: Option<BoxError>) -> Self {
        Error::Connect {
            message: message.into(),
            source,
        }
    }
    /// Maps a server error to its kind from the portable class the driver determined.
    pub fn from_db(kind: DbErrorKind, e: DbError) -> Self {
        let e = Box::new(e);
        match kind {
            DbErrorKind::UniqueViolation => Error::UniqueViolation(e),
            DbErrorKind::ForeignKeyViolation => Error::ForeignKeyViolation(e),
            DbErrorKind::NotNullViolation => Error::NotNullViolation(e),
            DbErrorKind::CheckViolation => Error::CheckViolation(e),
            DbErrorKind::TransactionConflict => Error::TransactionConflict(e),
            DbErrorKind::Busy => Error::Busy(e),
            DbErrorKind::Other => Error::Database(e),
        }
    }
    /// An unsupported-feature error.
    pub fn unsupported(feature: &'static str, dialect: Dialect) -> Self {
        Error::Unsupported { feature, dialect }
    }
}
