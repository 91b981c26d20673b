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
    /// The longest IN list written with one placeholder per value. A longer list is bound as ONE
    /// [`Value::List`](crate::Value::List) parameter, so no list length reaches
    /// [`max_params`](Self::max_params): `= ANY($n)` / `<> ALL($n)` on PostgreSQL (every length, so
    /// one statement text serves them all), `IN rarray(...)` on SQLite, and an IN subquery over
    /// `JSON_TABLE(?, ...)` on MySQL/MariaDB.
    ///
    /// Measured: on SQLite `rarray` costs at most ~8% more instructions than cached placeholders
    /// (0.5% when rows dominate), while preparing one more statement per list length costs ~2,700
    /// instructions per placeholder; beyond 16 values lengths vary too much to stay cached. On
    /// MariaDB the `JSON_TABLE` form is up to 3x faster for selective lists up to 1,000 values but up
    /// to 2.5x slower when a 1,000-value list selects most of a table (the planner cannot see how
    /// many values it holds), and beyond 1,000 values a statement per length grows costly to prepare.
    pub const fn max_inline_list(self) -> usize {
        match self {
            Dialect::Postgres => 0,
            Dialect::MySql => 1_000,
            Dialect::Sqlite => 16,
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
    /// The binary NO PAD collation of MySQL-dialect text (`'a' = 'a '` is false and case matters,
    /// as on PostgreSQL and SQLite): `utf8mb4_nopad_bin` on MariaDB, `utf8mb4_0900_bin` on MySQL 8.
    pub const fn mysql_text_collation(&self) -> &'static str {
        if self.mariadb {
            "utf8mb4_nopad_bin"
        } else {
            "utf8mb4_0900_bin"
        }
    }

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
