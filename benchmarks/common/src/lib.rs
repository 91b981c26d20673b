//! What every benchmark contender shares, so that they differ only in the library under test.
//!
//! - [`args`]: the command-line protocol the runner speaks to every contender binary.
//! - [`data`]: the data set each workload runs against (seeded once by the raw contender) and the
//!   constants of the workloads.
//! - [`sql`]: SQL text for the contenders that send hand-written SQL.
//! - [`check`]: an order-independent digest of what a contender loaded, compared with what the data set
//!   says it must load, so nothing wins by doing less.
//! - [`harness`]: the measuring loop and the JSON line each contender prints.
//! - [`alloc`]: the global allocator that records the heap peak of one iteration.
//! - [`pool`]: minimal pools for the raw drivers (async and blocking).
//! - [`crew`]: persistent threads for the pool workload of blocking contenders.
//! - [`group`]: nesting children under parents by key (the associations workload).

pub mod alloc;
pub mod args;
pub mod check;
pub mod crew;
pub mod data;
pub mod group;
pub mod harness;
pub mod pool;
pub mod sql;
pub mod tasks;

pub use args::{Args, Backend, Workload};
pub use check::Check;
pub use harness::Harness;

/// The error type of every contender: anything printable.
pub type Error = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Result alias over [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The Tokio runtime every async contender measures on: multi-threaded with the default worker count
/// (one per core), as `#[tokio::main]` builds it.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}
