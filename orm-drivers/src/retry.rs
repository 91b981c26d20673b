//! Running a transaction again when the server gave up on it: serialization failures and deadlocks
//! (PostgreSQL 40001/40P01, MySQL/MariaDB 1213/1205) and SQLite BUSY.
//!
//! Contract:
//! - [`retry`] runs an operation at most [`RetryPolicy`]'s `max_attempts` times. It runs it again only
//!   after an error that says so ([`Retryable::is_retryable`]; for `orm::Error`,
//!   [`Error::is_retryable`]), sleeping in between with exponential backoff and jitter, capped at
//!   `max_backoff`. Any other error, and the error of the last attempt, is returned as is.
//! - [`Database::transaction_with_retry`] runs each attempt as a whole transaction of its own (its
//!   own BEGIN on its own checkout): the closure is re-run from the start, so everything it did in a
//!   failed attempt was rolled back. Side effects outside the database happen once per attempt. A
//!   BEGIN that fails retryably (SQLite's `BEGIN IMMEDIATE` while another connection writes) is
//!   retried like the rest.
//! - Single statements are never retried behind the caller's back: only what is passed here is.

use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

use orm_core::Error;

use crate::database::Database;
use crate::transaction::{Transaction, run_in_transaction};

/// How often, and how patiently, [`retry`] runs an operation again.
///
/// The default makes 5 attempts, waiting about 10 ms, 20 ms, 40 ms and 80 ms in between (each
/// wait is picked at random between half and all of that, so competing transactions drift apart).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_secs(1),
        }
    }
}

impl RetryPolicy {
    /// Makes at most `attempts` attempts in all (at least one).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Waits about `initial` before the second attempt, doubling for each further one up to `max`.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The most attempts this policy makes.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Waits before the attempt after failed attempt number `attempt`.
    async fn pause(&self, attempt: u32) {
        let wait = self.delay(attempt);
        tracing::debug!(
            target: "orm::retry",
            attempt,
            wait_ms = wait.as_secs_f64() * 1000.0,
            "retrying after a serialization failure, deadlock or busy database"
        );
        tokio::time::sleep(wait).await;
    }

    /// The wait after failed attempt number `attempt` (1-based): exponential, capped, with jitter.
    fn delay(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(31);
        let full = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        let half = full / 2;
        let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        let jitter = match nanos {
            0 => 0,
            n => RandomState::new().hash_one(attempt) % (n + 1),
        };
        half + Duration::from_nanos(jitter)
    }
}

/// An error that can tell whether running the whole operation again may succeed.
///
/// Implemented for `orm::Error`; implement it for an application error type that wraps one to use
/// it with [`retry`] and [`Database::transaction_with_retry`].
pub trait Retryable {
    /// `true` when the operation may succeed if run again from the start.
    fn is_retryable(&self) -> bool;
}

impl Retryable for Error {
    fn is_retryable(&self) -> bool {
        Error::is_retryable(self)
    }
}

/// Runs `op` until it succeeds, fails with an error that is not retryable, or has been attempted
/// `policy.attempts()` times.
///
/// Inside `tokio::spawn`, a closure that changes state it captured by reference fails to compile
/// ("implementation of `Send` is not general enough", rust-lang/rust#139475): capture that state
/// by value with an `async move` closure instead.
///
/// ```no_run
/// # async fn demo(db: orm_drivers::Database) -> orm_core::Result<()> {
/// use orm_drivers::{RetryPolicy, retry};
/// let moved = retry(RetryPolicy::default(), async || {
///     db.transaction(async |tx| {
///         orm_core::raw("UPDATE accounts SET balance = balance - 10 WHERE id = 1").execute(tx).await?;
///         orm_core::raw("UPDATE accounts SET balance = balance + 10 WHERE id = 2").execute(tx).await
///     })
///     .await
/// })
/// .await?;
/// # Ok(()) }
/// ```
pub async fn retry<T, E, F>(policy: RetryPolicy, mut op: F) -> Result<T, E>
where
    F: AsyncFnMut() -> Result<T, E>,
    E: Retryable,
{
    let mut attempt = 1;
    loop {
        match op().await {
            Err(e) if attempt < policy.max_attempts && e.is_retryable() => {
                policy.pause(attempt).await;
                attempt += 1;
            }
            outcome => return outcome,
        }
    }
}

impl Database {
    /// Runs `f` in a transaction like [`Database::transaction`], and runs the whole transaction again
    /// (a new BEGIN, `f` from the start) when it fails with a serialization failure, a deadlock or
    /// SQLite BUSY, as `policy` allows. See [`retry`] for closures inside `tokio::spawn`.
    ///
    /// ```no_run
    /// # async fn demo(db: orm_drivers::Database) -> orm_core::Result<()> {
    /// use orm_drivers::RetryPolicy;
    /// let n = db.transaction_with_retry(RetryPolicy::default(), async |tx| {
    ///     orm_core::raw("UPDATE counters SET n = n + 1 WHERE id = 1").execute(tx).await
    /// }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn transaction_with_retry<T, E, F>(
        &self,
        policy: RetryPolicy,
        mut f: F,
    ) -> Result<T, E>
    where
        F: AsyncFnMut(&Transaction<'_>) -> Result<T, E>,
        E: From<Error> + Retryable,
    {
        // The loop of `retry`, written out: a closure capturing `self` would make this future fail
        // the `Send` check inside `tokio::spawn` (rust-lang/rust#139475).
        let mut attempt = 1;
        loop {
            let outcome = match self.begin().await {
                Ok(tx) => run_in_transaction(tx, &mut f).await,
                // SQLite reports a held write lock at `BEGIN IMMEDIATE`.
                Err(e) => Err(E::from(e)),
            };
            match outcome {
                Err(e) if attempt < policy.max_attempts && e.is_retryable() => {
                    policy.pause(attempt).await;
                    attempt += 1;
                }
                outcome => return outcome,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_bounds() {
        let policy = RetryPolicy::default()
            .max_attempts(0)
            .backoff(Duration::from_millis(10), Duration::from_millis(50));
        assert_eq!(policy.attempts(), 1);
        for (attempt, full) in [(1, 10), (2, 20), (3, 40), (4, 50), (40, 50)] {
            let full = Duration::from_millis(full);
            for _ in 0..20 {
                let d = policy.delay(attempt);
                assert!(d >= full / 2 && d <= full, "attempt {attempt}: {d:?}");
            }
        }
        let none = RetryPolicy::default().backoff(Duration::ZERO, Duration::ZERO);
        assert_eq!(none.delay(3), Duration::ZERO);
    }

    /// Compile-time check: a retried transaction runs inside `tokio::spawn`, its closure keeping
    /// state between attempts (moved into an `async move` closure, see `retry`).
    #[allow(dead_code)]
    fn retried_transactions_are_send(db: Database) {
        tokio::spawn(async move {
            let mut attempts = 0_u32;
            db.transaction_with_retry(RetryPolicy::default(), async move |tx| {
                attempts += 1;
                orm_core::raw("SELECT 1").execute(tx).await?;
                Ok::<_, Error>(attempts)
            })
            .await
        });
    }

    #[tokio::test]
    async fn retries_only_retryable_errors_and_at_most_max_attempts() {
        let fast = RetryPolicy::default().backoff(Duration::ZERO, Duration::ZERO);
        let busy = || {
            Error::from_db(
                orm_core::DbErrorKind::Busy,
                orm_core::DbError::new("5", "busy"),
            )
        };

        let mut calls = 0;
        let out: Result<u32, Error> = retry(fast, async || {
            calls += 1;
            if calls < 3 { Err(busy()) } else { Ok(calls) }
        })
        .await;
        assert_eq!(out.unwrap(), 3);

        let mut calls = 0;
        let out: Result<(), Error> = retry(fast.max_attempts(4), async || {
            calls += 1;
            Err(busy())
        })
        .await;
        assert!(out.unwrap_err().is_retryable());
        assert_eq!(calls, 4);

        let mut calls = 0;
        let out: Result<(), Error> = retry(fast, async || {
            calls += 1;
            Err(Error::PoolClosed)
        })
        .await;
        assert!(matches!(out, Err(Error::PoolClosed)));
        assert_eq!(calls, 1);
    }
}
