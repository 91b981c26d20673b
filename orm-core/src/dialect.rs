//! Which SQL dialect a statement is rendered for, and what the connected server can do.
//!
//! Contract: [`Dialect`] chooses syntax (quoting, placeholders, DDL). [`Backend`] adds what was detected
//! on the live server (for example MariaDB >= 10.5 accepts `INSERT ... RETURNING`). Renderers take a
//! [`Backend`] so a missing capability becomes a typed `Unsupported` error, never a dropped clause.

use std::fmt;

/// The three SQL dialects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// PostgreSQL.
    Postgres,
    /// MySQL and MariaDB.
    MySql,
    /// SQLite.
    Sqlite,
}

impl Dialect {
    /// The most bind parameters one statement may carry.
    pub const fn max_params(self) -> usize {
        match self {
            Dialect::Postgres | Dialect::MySql => 65_535,
            Dialect::Sqlite => 32_766,
        }
    }
    /// Lower-case name, as used in `db.system` tracing fields.
    pub const fn name(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgresql",
            Dialect::MySql => "mysql",
            Dialect::Sqlite => "sqlite",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Dialect::Postgres => "PostgreSQL",
            Dialect::MySql => "MySQL/MariaDB",
            Dialect::Sqlite => "SQLite",
        })
    }
}

/// A dialect plus the capabilities of the connected server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Backend {
    /// Syntax family.
    pub dialect: Dialect,
    /// `INSERT ... RETURNING` works (PostgreSQL, SQLite >= 3.35, MariaDB >= 10.5; not MySQL).
    pub insert_returning: bool,
    /// The MySQL-dialect server is MariaDB (decides, for example, the NO PAD binary collation's name).
    pub mariadb: bool,
}

impl Backend {
    /// PostgreSQL.
    pub const POSTGRES: Backend = Backend {
        dialect: Dialect::Postgres,
        insert_returning: true,
        mariadb: false,
    };
    /// MySQL 8 (no RETURNING).
    pub const MYSQL: Backend = Backend {
        dialect: Dialect::MySql,
        insert_returning: false,
        mariadb: false,
    };
    /// MariaDB >= 10.5 (INSERT ... RETURNING).
    pub const MARIADB: Backend = Backend {
        dialect: Dialect::MySql,
        insert_returning: true,
        mariadb: true,
    };
    /// SQLite (bundled, >= 3.35).
    pub const SQLITE: Backend = Backend {
        dialect: Dialect::Sqlite,
        insert_returning: true,
        mariadb: false,
    };
}
