//! Per-connection options every backend's connect path honours.

use std::time::Duration;

/// Options applied when a backend opens one connection. Built by the URL/config layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ConnectOptions {
    /// Give up opening a connection after this long (`Error::Connect`).
    pub connect_timeout: Duration,
    /// Prepared statements cached per connection (PostgreSQL, MySQL); 0 disables the cache.
    pub statement_cache_capacity: usize,
    /// SQLite: how long a writer waits for the lock before `Error::Busy`.
    pub busy_timeout: Duration,
    /// SQLite: the connection's thread and its callers poll briefly before sleeping (see
    /// `sqlite::wait`); `false` makes every hand-off a plain sleep and wake-up.
    pub sqlite_spin: bool,
    /// SQLite: statements keep the plan they were prepared with whatever values are bound
    /// (`SQLITE_DBCONFIG_ENABLE_QPSG`), so rebinding never makes SQLite prepare them again.
    pub sqlite_stable_plans: bool,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            statement_cache_capacity: 256,
            busy_timeout: Duration::from_secs(5),
            sqlite_spin: true,
            sqlite_stable_plans: true,
        }
    }
}
