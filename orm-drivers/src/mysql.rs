//! MySQL and MariaDB backend on `mysql_async`, pooled by deadpool through [`MySqlManager`].
//!
//! Contract:
//! - `mysql://` and `mariadb://` URLs are accepted; errors about them never echo the password (the
//!   driver's own `Opts` is never formatted).
//! - Every session is set up so that it behaves like the other backends: utf8mb4, UTC session time
//!   zone, strict mode (out-of-range and NULL writes are errors, not silent clamps) and
//!   `NO_BACKSLASH_ESCAPES` (the renderer writes `LIKE ... ESCAPE '\'`). UPDATE reports rows
//!   matched (`CLIENT_FOUND_ROWS`), not rows changed. The setup is re-applied if the driver ever
//!   resets the session.
//! - MariaDB >= 10.5 is detected at connect and reported as [`Backend::MARIADB`]
//!   (`INSERT ... RETURNING`); anything else is [`Backend::MYSQL`].
//! - Recycling (`crate::health::recycle`) rolls back and checks a connection that reports itself not
//!   reusable, or discards it; a reusable one is pinged (`COM_PING`) only after the pool saw a lost
//!   connection since its last checkout, or after a long idle time. The driver has no background
//!   reader, so a connection killed while idle is otherwise only found dead when next used.
//! - A connection dropped in the middle of a command has the server stop that command
//!   (`KILL QUERY`, sent over a short-lived connection of its own) instead of letting it run on.
//!
//! [`Backend::MARIADB`]: orm_core::Backend::MARIADB
//! [`Backend::MYSQL`]: orm_core::Backend::MYSQL

mod cache;
mod error;
mod row;
mod session;
mod value;

#[cfg(test)]
mod tests;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use deadpool::managed::{Manager, Metrics, RecycleResult};
use mysql_async::{Opts, OptsBuilder};
use orm_core::{Error, Result};

use self::error::{describe_url_error, map_connect_error};
pub(crate) use self::session::MySqlConn;
use crate::health::{self, Health};
use crate::options::ConnectOptions;

/// Run on every new session and after any driver-level session reset, in one round trip.
const SESSION_SETUP: &str = "SET NAMES utf8mb4, time_zone = '+00:00', \
     SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), \
     'STRICT_ALL_TABLES', 'NO_BACKSLASH_ESCAPES')";

/// Opens and recycles MySQL/MariaDB connections for a deadpool pool.
pub(crate) struct MySqlManager {
    opts: Opts,
    /// Prepared statements cached per connection (by `cache::StatementCache`, not the driver).
    statement_cache_capacity: usize,
    connect_timeout: Duration,
    /// `host:port/database`, for messages (no credentials).
    target: String,
    health: Arc<Health>,
}

impl fmt::Debug for MySqlManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MySqlManager")
            .field("target", &self.target)
            .field("user", &self.opts.user())
            .field("connect_timeout", &self.connect_timeout)
            .field("statement_cache_capacity", &self.statement_cache_capacity)
            .finish_non_exhaustive()
    }
}

impl MySqlManager {
    /// Parses a `mysql://` or `mariadb://` URL and applies `opts`. No I/O.
    pub(crate) fn new(url: &str, opts: &ConnectOptions) -> Result<Self> {
        let url = match url.get(..10) {
            Some(scheme) if scheme.eq_ignore_ascii_case("mariadb://") => {
                format!("mysql://{}", &url[10..])
            }
            _ => url.to_owned(),
        };
        let parsed = Opts::from_url(&url)
            .map_err(|e| Error::Config(format!("invalid MySQL URL: {}", describe_url_error(&e))))?;
        let target = format!(
            "{}:{}/{}",
            parsed.ip_or_hostname(),
            parsed.tcp_port(),
            parsed.db_name().unwrap_or("")
        );
        // Rebuilding from parts also drops the parsed URL, which still holds the password. The
        // driver's statement cache stays off: `cache::StatementCache` replaces it.
        let built = OptsBuilder::from_opts(parsed)
            .client_found_rows(true)
            .stmt_cache_size(0)
            .setup(vec![SESSION_SETUP]);
        Ok(Self {
            opts: built.into(),
            statement_cache_capacity: opts.statement_cache_capacity,
            connect_timeout: opts.connect_timeout,
            target,
            health: Arc::default(),
        })
    }
}

impl Manager for MySqlManager {
    /// On the heap, as PostgreSQL's: the pool moves its connections several times per checkout,
    /// and a pointer is cheaper to move than the connection with its statement cache.
    type Type = Box<MySqlConn>;
    type Error = Error;

    async fn create(&self) -> Result<Box<MySqlConn>> {
        // On the heap: the pool embeds this future in every checkout's, and a small one is cheap
        // to move.
        let opening = Box::pin(MySqlConn::open(
            self.opts.clone(),
            self.statement_cache_capacity,
            Arc::clone(&self.health),
        ));
        match tokio::time::timeout(self.connect_timeout, opening).await {
            Ok(Ok(conn)) => Ok(Box::new(conn)),
            Ok(Err(e)) => Err(map_connect_error(e, &self.target)),
            Err(_) => Err(Error::connect(
                format!(
                    "timed out after {:?} connecting to {}",
                    self.connect_timeout, self.target
                ),
                None,
            )),
        }
    }

    fn recycle(
        &self,
        obj: &mut Box<MySqlConn>,
        metrics: &Metrics,
    ) -> impl Future<Output = RecycleResult<Error>> + Send {
        health::recycle(&mut **obj, metrics, &self.health, self.connect_timeout)
    }
}
