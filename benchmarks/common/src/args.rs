//! The command line every contender binary accepts (written by the runner, rarely by hand):
//!
//! `bench-<family> --backend postgres|mysql|sqlite --workload <name> --size N --url URL
//! [--variant NAME] [--time-ms T] [--warmup-ms W] [--min-iters N] [--max-iters N] [--memory]`
//!
//! For SQLite `--url` is the database file path; contenders turn it into their own URL syntax.
//! The raw contender also accepts `seed` as its first argument (see its docs).

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use crate::Result;

/// A database backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Backend {
    /// PostgreSQL.
    Postgres,
    /// MySQL / MariaDB.
    Mysql,
    /// SQLite (a file).
    Sqlite,
}

impl Backend {
    /// Every backend, in report order.
    pub const ALL: [Backend; 3] = [Backend::Postgres, Backend::Mysql, Backend::Sqlite];

    /// The command-line spelling.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Postgres => "postgres",
            Backend::Mysql => "mysql",
            Backend::Sqlite => "sqlite",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Backend {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "postgres" | "pg" => Ok(Backend::Postgres),
            "mysql" | "mariadb" => Ok(Backend::Mysql),
            "sqlite" => Ok(Backend::Sqlite),
            _ => Err(format!("unknown backend `{s}` (postgres, mysql, sqlite)")),
        }
    }
}

/// A workload (see [`crate::data`] for the data each one reads).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Workload {
    /// Load every user (`size` users).
    Trivial,
    /// Users LEFT JOIN posts where the hair colour is black (`size` users, half of them black).
    Medium,
    /// One multi-row INSERT of `size` users.
    Insert,
    /// Users, then their posts, then the posts' comments, grouped (`size` users x 10 posts x 10 comments).
    Associations,
    /// One primary-key lookup per iteration in a table of `size` users.
    PkLookup,
    /// [`crate::data::POOL_TASKS`] tasks doing [`crate::data::POOL_LOOKUPS_PER_TASK`] primary-key
    /// lookups each through a pool of [`crate::data::POOL_CONNECTIONS`] connections (table of `size`).
    Pool,
}

impl Workload {
    /// Every workload, in report order.
    pub const ALL: [Workload; 6] = [
        Workload::Trivial,
        Workload::Medium,
        Workload::Insert,
        Workload::Associations,
        Workload::PkLookup,
        Workload::Pool,
    ];

    /// The command-line spelling.
    pub fn name(self) -> &'static str {
        match self {
            Workload::Trivial => "trivial",
            Workload::Medium => "medium",
            Workload::Insert => "insert",
            Workload::Associations => "associations",
            Workload::PkLookup => "pk",
            Workload::Pool => "pool",
        }
    }
}

impl fmt::Display for Workload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Workload {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Workload::ALL
            .into_iter()
            .find(|w| w.name() == s)
            .ok_or_else(|| {
                format!("unknown workload `{s}` (trivial, medium, insert, associations, pk, pool)")
            })
    }
}

/// Parsed command line of a contender.
#[derive(Clone, Debug)]
pub struct Args {
    /// Backend to run against.
    pub backend: Backend,
    /// Workload to run.
    pub workload: Workload,
    /// Workload size (see [`Workload`]).
    pub size: usize,
    /// Server URL, or the database file path for SQLite.
    pub url: String,
    /// Contender variant (e.g. `spawn_blocking` for the raw SQLite contender); empty for the default.
    pub variant: String,
    /// Time spent measuring, after warm-up.
    pub time: Duration,
    /// Time spent warming up (iterations checked but not recorded).
    pub warmup: Duration,
    /// Recorded iterations at least.
    pub min_iters: usize,
    /// Recorded iterations at most.
    pub max_iters: usize,
    /// Record the heap peak of every iteration (slower: timings of such runs are not reported).
    pub memory: bool,
}

impl Args {
    /// Parses `std::env::args()` after the program name.
    pub fn from_env() -> Result<Args> {
        Args::parse(std::env::args().skip(1))
    }

    /// Parses `--key value` pairs.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args> {
        let mut backend = None;
        let mut workload = None;
        let mut size = None;
        let mut url = None;
        let mut variant = String::new();
        let mut time_ms = 1000u64;
        let mut warmup_ms = 200u64;
        let mut min_iters = 3usize;
        let mut max_iters = 100_000usize;
        let mut memory = false;
        let mut it = args.into_iter();
        while let Some(key) = it.next() {
            if key == "--memory" {
                memory = true;
                continue;
            }
            let value = it.next().ok_or_else(|| format!("`{key}` needs a value"))?;
            match key.as_str() {
                "--backend" => backend = Some(value.parse::<Backend>()?),
                "--workload" => workload = Some(value.parse::<Workload>()?),
                "--size" => size = Some(value.parse::<usize>()?),
                "--url" => url = Some(value),
                "--variant" => variant = value,
                "--time-ms" => time_ms = value.parse()?,
                "--warmup-ms" => warmup_ms = value.parse()?,
                "--min-iters" => min_iters = value.parse()?,
                "--max-iters" => max_iters = value.parse()?,
                _ => return Err(format!("unknown argument `{key}`").into()),
            }
        }
        Ok(Args {
            backend: backend.ok_or("--backend is required")?,
            workload: workload.ok_or("--workload is required")?,
            size: size.ok_or("--size is required")?,
            url: url.ok_or("--url is required")?,
            variant,
            time: Duration::from_millis(time_ms),
            warmup: Duration::from_millis(warmup_ms),
            min_iters: min_iters.max(1),
            max_iters: max_iters.max(min_iters.max(1)),
            memory,
        })
    }

    /// An error for a workload/backend/variant combination a contender does not implement.
    pub fn unsupported(&self) -> crate::Error {
        format!(
            "unsupported: {} {} (variant `{}`)",
            self.backend, self.workload, self.variant
        )
        .into()
    }
}
