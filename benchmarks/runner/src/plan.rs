//! What is measured: the contenders (which binary, which variant, on which backends) and the cases
//! (workload and size), in report order.

use bench_common::Backend;

/// A workload as the contenders name it, with the size it runs at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Case {
    /// Workload name (`bench_common::Workload`).
    pub workload: &'static str,
    /// Size argument.
    pub size: usize,
    /// Row label in reports.
    pub label: &'static str,
}

/// Every case, in report order.
pub const CASES: &[Case] = &[
    Case {
        workload: "trivial",
        size: 1,
        label: "trivial query, 1 row",
    },
    Case {
        workload: "trivial",
        size: 100,
        label: "trivial query, 100 rows",
    },
    Case {
        workload: "trivial",
        size: 10_000,
        label: "trivial query, 10,000 rows",
    },
    Case {
        workload: "medium",
        size: 1,
        label: "medium query, 1 user",
    },
    Case {
        workload: "medium",
        size: 100,
        label: "medium query, 100 users",
    },
    Case {
        workload: "medium",
        size: 1_000,
        label: "medium query, 1,000 users",
    },
    Case {
        workload: "insert",
        size: 1,
        label: "insert 1 user",
    },
    Case {
        workload: "insert",
        size: 100,
        label: "insert 100 users",
    },
    Case {
        workload: "associations",
        size: 100,
        label: "associations (100 users, 1,000 posts, 10,000 comments)",
    },
    Case {
        workload: "pk",
        size: 1_000,
        label: "primary-key lookup",
    },
    Case {
        workload: "pool",
        size: 1_000,
        label: "32 tasks x 50 pk lookups, pool of 8",
    },
];

/// The case whose peak memory is measured.
pub const MEMORY_CASE: Case = CASES[2];

/// A contender: one library (or baseline) driven by one binary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Contender {
    /// Command-line key (`--contenders`).
    pub key: &'static str,
    /// Directory under `contenders/` holding its package.
    pub family: &'static str,
    /// Binary name.
    pub binary: &'static str,
    /// `--variant` passed to the binary (empty for none).
    pub variant: &'static str,
    /// Backends it runs on.
    pub backends: &'static [Backend],
    /// Part of a run that names no `--contenders`.
    pub default: bool,
}

const ALL: &[Backend] = &[Backend::Postgres, Backend::Mysql, Backend::Sqlite];

/// Every contender, in report order; the first is the baseline (ratio 1.00).
pub const CONTENDERS: &[Contender] = &[
    Contender {
        key: "raw",
        family: "raw",
        binary: "bench-raw",
        variant: "",
        backends: ALL,
        default: true,
    },
    Contender {
        key: "raw-spawn-blocking",
        family: "raw",
        binary: "bench-raw",
        variant: "spawn_blocking",
        backends: &[Backend::Sqlite],
        default: true,
    },
    Contender {
        key: "orm",
        family: "orm",
        binary: "bench-orm",
        variant: "",
        backends: ALL,
        default: true,
    },
    Contender {
        key: "sqlx",
        family: "sqlx",
        binary: "bench-sqlx",
        variant: "",
        backends: ALL,
        default: true,
    },
    Contender {
        key: "seaorm",
        family: "seaorm",
        binary: "bench-seaorm",
        variant: "",
        backends: ALL,
        default: true,
    },
    Contender {
        key: "diesel",
        family: "diesel",
        binary: "bench-diesel",
        variant: "",
        backends: ALL,
        default: true,
    },
    Contender {
        key: "orm-through-pool",
        family: "orm",
        binary: "bench-orm",
        variant: "through_pool",
        backends: ALL,
        default: false,
    },
    Contender {
        key: "orm-insert-many",
        family: "orm",
        binary: "bench-orm",
        variant: "insert_many",
        backends: ALL,
        default: false,
    },
    Contender {
        key: "orm-no-spin",
        family: "orm",
        binary: "bench-orm",
        variant: "no_spin",
        backends: &[Backend::Sqlite],
        default: false,
    },
];

impl Contender {
    /// A peer ORM, as opposed to the raw-driver baselines and this ORM with its variants.
    pub fn is_peer(&self) -> bool {
        !matches!(self.family, "raw" | "orm")
    }

    /// Column label in reports for `backend`.
    pub fn label(&self, backend: Backend) -> &'static str {
        match (self.key, backend) {
            ("raw", Backend::Postgres) => "tokio-postgres",
            ("raw", Backend::Mysql) => "mysql_async",
            ("raw", Backend::Sqlite) => "rusqlite",
            ("raw-spawn-blocking", _) => "rusqlite + spawn_blocking",
            ("orm", _) => "orm",
            ("orm-through-pool", _) => "orm, statements through the pool",
            ("orm-insert-many", _) => "orm, insert_many",
            ("orm-no-spin", _) => "orm, sqlite_spin=false",
            ("sqlx", _) => "sqlx",
            ("seaorm", _) => "SeaORM",
            ("diesel", Backend::Sqlite) => "diesel (sync)",
            ("diesel", _) => "diesel-async",
            _ => self.key,
        }
    }
}
