//! Finding dead pooled connections at checkout, without a round trip on the hot path.
//!
//! Contract:
//! - Every pool owns one [`Health`], shared with its connections. A connection that finds itself
//!   lost (`Error::Disconnected`) records the moment with [`Health::record`]: when one connection of
//!   a pool dies, its siblings (killed together, or cut off by a server restart) are likely dead
//!   too, and a driver without a background reader (MySQL) only finds out when it next uses them.
//! - [`recycle`] is every manager's recycle step. A connection that is not reusable is reset
//!   (rolled back and checked against the server) or fails. A reusable one is pinged only when it
//!   was last checked out no later than the pool's latest loss, or more than [`IDLE_PING_AFTER`]
//!   ago; otherwise the checkout costs no round trip. When the reset or ping fails the pool discards
//!   the connection and moves on to the next idle one, or opens a new one. The reset or ping is
//!   bounded by a time limit (a failure when exceeded); the pool sets no recycle timeout of its own,
//!   so a checkout that needs no round trip sets up no timer at all.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use deadpool::managed::{Metrics, RecycleError, RecycleResult};
use orm_core::{Error, Result};

use crate::conn::Conn;

/// A pooled connection last checked out longer ago than this is pinged before it is handed out.
pub(crate) const IDLE_PING_AFTER: Duration = Duration::from_secs(60);

/// When a connection of one pool was last found lost.
#[derive(Debug)]
pub(crate) struct Health {
    origin: Instant,
    /// Nanoseconds from `origin` to the latest loss, plus one; 0 when none was seen.
    lost: AtomicU64,
}

impl Default for Health {
    fn default() -> Self {
        Health {
            origin: Instant::now(),
            lost: AtomicU64::new(0),
        }
    }
}

impl Health {
    fn nanos_since_origin(&self, at: Instant) -> u64 {
        let elapsed = at.saturating_duration_since(self.origin).as_nanos();
        u64::try_from(elapsed).unwrap_or(u64::MAX - 1)
    }

    /// Records a loss when `err` says the connection is gone.
    #[cfg(any(feature = "postgres", feature = "mysql"))]
    pub(crate) fn record(&self, err: &Error) {
        if err.is_disconnected() {
            let marker = self.nanos_since_origin(Instant::now()) + 1;
            self.lost.fetch_max(marker, Ordering::AcqRel);
        }
    }

    /// `true` when a connection last checked out per `metrics` must be pinged first.
    pub(crate) fn needs_ping(&self, metrics: &Metrics) -> bool {
        let checked_out = metrics.recycled.unwrap_or(metrics.created);
        if checked_out.elapsed() > IDLE_PING_AFTER {
            return true;
        }
        let lost = self.lost.load(Ordering::Acquire);
        lost != 0 && self.nanos_since_origin(checked_out) < lost
    }
}

/// The recycle step of every backend's manager (see the module docs): the reset or ping, when one
/// is needed, fails once it takes longer than `limit`. The pool sets no recycle timeout of its own,
/// so the common case (reusable, no ping due) sets up no timer and completes without touching the
/// round-trip path, whose future lives on the heap: the pool embeds this future in every checkout's,
/// and a small one is cheap to move.
pub(crate) async fn recycle<C: Conn>(
    conn: &mut C,
    metrics: &Metrics,
    health: &Health,
    limit: Duration,
) -> RecycleResult<Error> {
    if conn.is_reusable() && !health.needs_ping(metrics) {
        return Ok(());
    }
    // On the heap with its timer: the pool embeds this future in every checkout's.
    Box::pin(tokio::time::timeout(limit, check(conn, metrics, health)))
        .await
        .unwrap_or_else(|_| {
            tracing::debug!(target: "orm::pool", ?limit, "discarding a pooled connection that did not answer in time");
            Err(RecycleError::Backend(Error::disconnected(
                format!("the connection did not answer within {limit:?}"),
                None,
            )))
        })
}

/// Resets a connection that is not reusable, or pings one that is due (see the module docs).
async fn check<C: Conn>(conn: &mut C, metrics: &Metrics, health: &Health) -> RecycleResult<Error> {
    let checked: Result<()> = if !conn.is_reusable() {
        conn.reset().await
    } else if health.needs_ping(metrics) {
        conn.ping().await
    } else {
        Ok(())
    };
    checked.map_err(|e| {
        tracing::debug!(target: "orm::pool", error = %e, "discarding a pooled connection");
        RecycleError::Backend(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pings_only_connections_checked_out_before_a_loss_or_idle_too_long() {
        let health = Health::default();
        let before = Metrics::default();
        assert!(!health.needs_ping(&before), "nothing lost yet");
        health.record(&Error::PoolClosed);
        assert!(!health.needs_ping(&before), "not a loss");
        health.record(&Error::disconnected("gone", None));
        assert!(health.needs_ping(&before));
        let after = Metrics {
            recycled: Some(Instant::now() + Duration::from_millis(1)),
            ..Metrics::default()
        };
        assert!(!health.needs_ping(&after));
        if let Some(long_ago) = Instant::now().checked_sub(IDLE_PING_AFTER * 2) {
            let idle = Metrics {
                created: long_ago,
                recycled: None,
                recycle_count: 0,
            };
            assert!(Health::default().needs_ping(&idle));
        }
    }

    /// A connection whose reset and ping never answer.
    struct Silent;

    impl Conn for Silent {
        fn backend(&self) -> orm_core::Backend {
            orm_core::Backend::POSTGRES
        }
        async fn execute(&mut self, _: orm_core::Statement) -> Result<orm_core::ExecResult> {
            Err(Error::PoolClosed)
        }
        async fn fetch_all<T: orm_core::FromRow>(
            &mut self,
            _: orm_core::Statement,
        ) -> Result<Vec<T>> {
            Err(Error::PoolClosed)
        }
        async fn fetch_optional<T: orm_core::FromRow>(
            &mut self,
            _: orm_core::Statement,
        ) -> Result<Option<T>> {
            Err(Error::PoolClosed)
        }
        async fn stream<T: orm_core::FromRow>(
            &mut self,
            _: orm_core::Statement,
            _: &crate::stream::RowSink<T>,
        ) -> Result<u64> {
            Err(Error::PoolClosed)
        }
        async fn begin(&mut self, _: u32, _: crate::conn::TxOptions) -> Result<()> {
            Err(Error::PoolClosed)
        }
        async fn commit(&mut self, _: u32) -> Result<()> {
            Err(Error::PoolClosed)
        }
        async fn rollback(&mut self, _: u32) -> Result<()> {
            Err(Error::PoolClosed)
        }
        fn is_reusable(&self) -> bool {
            false
        }
        async fn reset(&mut self) -> Result<()> {
            std::future::pending().await
        }
        async fn ping(&mut self) -> Result<()> {
            std::future::pending().await
        }
    }

    #[tokio::test]
    async fn a_reset_that_never_answers_fails_at_the_limit() {
        let started = Instant::now();
        let limit = Duration::from_millis(100);
        let out = recycle(&mut Silent, &Metrics::default(), &Health::default(), limit).await;
        match out {
            Err(RecycleError::Backend(e)) => assert!(e.is_disconnected(), "{e:?}"),
            other => panic!("expected a backend error, got {other:?}"),
        }
        assert!(started.elapsed() >= limit);
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
