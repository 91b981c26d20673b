//! The acquire timeout of a pool: how long a checkout may wait for a free connection, kept with one
//! timer per pool instead of one per waiting checkout.
//!
//! A Tokio timer per checkout costs a registration and a removal in the runtime's timer wheel, plus
//! moving the timer with the checkout's future, on every checkout that waits, and the pool waits
//! far more often than it times out. Here all waiting checkouts of a pool share one watchdog task.
//!
//! Contract:
//! - [`WaitLimit::bound`] wraps a checkout and a test of whether the pool is contended. A checkout
//!   that is ready when first polled never touches the shared state or the clock, nor does one that
//!   is pending while the pool is not contended (it is opening or checking a connection, steps with
//!   time limits of their own). One that may be waiting for a free connection joins the pool's
//!   queue with its deadline (now plus the acquire timeout) and its waker; every checkout of a pool
//!   waits the same time, so the queue is in deadline order. It leaves the queue when it completes
//!   or is dropped.
//! - A checkout still waiting at its deadline fails with `Error::PoolTimeout` (a connection that
//!   arrives in the same poll wins). With an acquire timeout of zero, a checkout that would wait
//!   fails at once.
//! - The watchdog sleeps until the earliest deadline in the queue, marks the checkouts whose
//!   deadline passed and wakes them. It is spawned on the runtime of the first checkout that waits
//!   while none runs, and ends when it finds the queue empty or the pool gone. If its runtime shuts
//!   down, it wakes every waiting checkout, and the next one polled spawns another on its own
//!   runtime. Waiting outside a Tokio runtime is an `Error::Config`.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use orm_core::{Error, Result};
use pin_project_lite::pin_project;
use tokio::runtime::Handle;

/// Stands for a limit too long to add to the current time.
const FAR_FUTURE: Duration = Duration::from_secs(86_400 * 365 * 30);

/// The acquire timeout of one pool and the checkouts waiting under it.
#[derive(Debug)]
pub(crate) struct WaitLimit {
    limit: Duration,
    queue: Arc<Mutex<Queue>>,
}

/// Waiting checkouts, in deadline order.
#[derive(Debug, Default)]
struct Queue {
    /// `None` for a checkout that left; leading `None`s are dropped.
    waiters: VecDeque<Option<Waiter>>,
    /// Ticket of `waiters[0]`.
    first: u64,
    /// A watchdog task is alive.
    watched: bool,
}

#[derive(Debug)]
struct Waiter {
    deadline: Instant,
    waker: Waker,
    expired: bool,
}

fn lock(queue: &Mutex<Queue>) -> MutexGuard<'_, Queue> {
    queue.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Queue {
    fn waiter(&mut self, ticket: u64) -> Option<&mut Waiter> {
        let at = usize::try_from(ticket.checked_sub(self.first)?).ok()?;
        self.waiters.get_mut(at)?.as_mut()
    }

    fn leave(&mut self, ticket: u64) {
        if let Some(at) = ticket
            .checked_sub(self.first)
            .and_then(|at| usize::try_from(at).ok())
            && let Some(slot) = self.waiters.get_mut(at)
        {
            *slot = None;
        }
        while let Some(None) = self.waiters.front() {
            self.waiters.pop_front();
            self.first += 1;
        }
    }

    /// Marks the waiters whose deadline passed, adding their wakers to `wake` (woken once the queue
    /// is unlocked); returns the next deadline, if any.
    fn expire(&mut self, now: Instant, wake: &mut Vec<Waker>) -> Option<Instant> {
        for waiter in self.waiters.iter_mut().flatten() {
            if waiter.deadline > now {
                return Some(waiter.deadline);
            }
            if !waiter.expired {
                waiter.expired = true;
                wake.push(waiter.waker.clone());
            }
        }
        None
    }

    /// The wakers of every waiter.
    fn wakers(&self) -> Vec<Waker> {
        self.waiters
            .iter()
            .flatten()
            .map(|w| w.waker.clone())
            .collect()
    }
}

impl WaitLimit {
    /// Checkouts of a pool wait at most `limit`.
    pub(crate) fn new(limit: Duration) -> WaitLimit {
        WaitLimit {
            limit,
            queue: Arc::default(),
        }
    }

    /// The acquire timeout.
    pub(crate) fn limit(&self) -> Duration {
        self.limit
    }

    /// `checkout`, failing with `Error::PoolTimeout` once it has waited the acquire timeout;
    /// `contended` tells, when the checkout is first pending, whether it may be waiting for a free
    /// connection (otherwise it is not bounded).
    pub(crate) fn bound<F, W>(&self, checkout: F, contended: W) -> Bounded<'_, F, W>
    where
        W: FnOnce() -> bool,
    {
        Bounded {
            checkout,
            limit: self,
            contended: Some(contended),
            ticket: None,
        }
    }

    fn timeout(&self) -> Error {
        Error::PoolTimeout { waited: self.limit }
    }

    /// Joins the queue; starts a watchdog when none runs.
    fn join(&self, waker: &Waker) -> Result<u64> {
        let mut queue = lock(&self.queue);
        // Taken under the lock, so that deadlines are in queue order. A limit too long to add
        // (from a configuration asking for centuries) stands for thirty years.
        let now = Instant::now();
        let deadline = now
            .checked_add(self.limit)
            .or_else(|| now.checked_add(FAR_FUTURE))
            .unwrap_or(now);
        queue.waiters.push_back(Some(Waiter {
            deadline,
            waker: waker.clone(),
            expired: false,
        }));
        let ticket = queue.first + queue.waiters.len() as u64 - 1;
        match self.watchdog(&mut queue) {
            Ok(watchdog) => {
                drop(queue);
                if let Some(watchdog) = watchdog {
                    Watchdog::spawn(watchdog);
                }
                Ok(ticket)
            }
            Err(e) => {
                queue.leave(ticket);
                Err(e)
            }
        }
    }

    /// `true` once the waiter's deadline passed; otherwise keeps its waker current and makes sure a
    /// watchdog runs.
    fn expired(&self, ticket: u64, waker: &Waker) -> Result<bool> {
        let mut queue = lock(&self.queue);
        let Some(waiter) = queue.waiter(ticket) else {
            return Ok(true);
        };
        if waiter.expired {
            return Ok(true);
        }
        if !waiter.waker.will_wake(waker) {
            waiter.waker.clone_from(waker);
        }
        let watchdog = self.watchdog(&mut queue)?;
        drop(queue);
        if let Some(watchdog) = watchdog {
            Watchdog::spawn(watchdog);
        }
        Ok(false)
    }

    fn leave(&self, ticket: u64) {
        lock(&self.queue).leave(ticket);
    }

    /// A watchdog to spawn (after the queue is unlocked: a watchdog dropped unspawned locks it)
    /// when none runs.
    fn watchdog(&self, queue: &mut Queue) -> Result<Option<(Handle, Watchdog)>> {
        if queue.watched {
            return Ok(None);
        }
        let runtime = Handle::try_current().map_err(|_| {
            Error::Config("waiting for a pooled connection needs a Tokio runtime".into())
        })?;
        queue.watched = true;
        let watchdog = Watchdog {
            queue: Arc::downgrade(&self.queue),
            ended: false,
        };
        Ok(Some((runtime, watchdog)))
    }
}

/// The watchdog task's hold on its pool's queue. Dropped before it ends on its own (its runtime
/// shut down), it hands the watch over to the waiting checkouts.
struct Watchdog {
    queue: Weak<Mutex<Queue>>,
    /// It ended on its own: the pool is gone, or it found no checkout waiting.
    ended: bool,
}

impl Watchdog {
    fn spawn((runtime, watchdog): (Handle, Watchdog)) {
        drop(runtime.spawn(watchdog.run()));
    }

    async fn run(mut self) {
        let mut wake = Vec::new();
        while let Some(queue) = self.queue.upgrade() {
            let next = {
                let mut queue = lock(&queue);
                let next = queue.expire(Instant::now(), &mut wake);
                if next.is_none() {
                    queue.watched = false;
                }
                next
            };
            drop(queue);
            wake.drain(..).for_each(Waker::wake);
            match next {
                Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
                None => break,
            }
        }
        self.ended = true;
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if self.ended {
            return;
        }
        if let Some(queue) = self.queue.upgrade() {
            let wake = {
                let mut queue = lock(&queue);
                queue.watched = false;
                queue.wakers()
            };
            wake.into_iter().for_each(Waker::wake);
        }
    }
}

pin_project! {
    /// A checkout bounded by its pool's acquire timeout (see the module docs).
    pub(crate) struct Bounded<'a, F, W> {
        #[pin]
        checkout: F,
        limit: &'a WaitLimit,
        // Taken when the checkout is first pending.
        contended: Option<W>,
        ticket: Option<u64>,
    }

    impl<'a, F, W> PinnedDrop for Bounded<'a, F, W> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            if let Some(ticket) = this.ticket.take() {
                this.limit.leave(ticket);
            }
        }
    }
}

impl<T, F: Future<Output = Result<T>>, W: FnOnce() -> bool> Future for Bounded<'_, F, W> {
    type Output = Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        let this = self.project();
        if let Poll::Ready(out) = this.checkout.poll(cx) {
            if let Some(ticket) = this.ticket.take() {
                this.limit.leave(ticket);
            }
            return Poll::Ready(out);
        }
        let limit = *this.limit;
        // Whether it may wait for a free connection is asked once, when it is first pending.
        let waits = this.contended.take().is_some_and(|contended| contended());
        let expired = match *this.ticket {
            Some(ticket) => limit.expired(ticket, cx.waker()),
            None if !waits => Ok(false),
            None if limit.limit.is_zero() => Ok(true),
            None => limit.join(cx.waker()).map(|ticket| {
                *this.ticket = Some(ticket);
                false
            }),
        };
        match expired {
            Ok(false) => Poll::Pending,
            Ok(true) => {
                if let Some(ticket) = this.ticket.take() {
                    limit.leave(ticket);
                }
                Poll::Ready(Err(limit.timeout()))
            }
            Err(e) => Poll::Ready(Err(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use tokio::sync::Semaphore;

    /// A checkout of one of `slots`' permits, held until the returned permit is dropped.
    async fn take(slots: &Semaphore) -> Result<tokio::sync::SemaphorePermit<'_>> {
        slots.acquire().await.map_err(|_| Error::PoolClosed)
    }

    fn waiting(limit: &WaitLimit) -> usize {
        lock(&limit.queue).waiters.iter().flatten().count()
    }

    #[tokio::test]
    async fn a_checkout_that_is_ready_never_joins_the_queue() {
        let limit = WaitLimit::new(Duration::from_secs(5));
        let slots = Semaphore::new(1);
        let permit = limit.bound(take(&slots), || true).await.unwrap();
        assert_eq!(lock(&limit.queue).waiters.len(), 0);
        assert!(
            !lock(&limit.queue).watched,
            "no watchdog for a checkout that did not wait"
        );
        drop(permit);
    }

    #[tokio::test]
    async fn waiting_checkouts_time_out_in_turn_and_leave_the_queue() {
        let limit = Arc::new(WaitLimit::new(Duration::from_millis(150)));
        let slots = Arc::new(Semaphore::new(0));
        let start = Instant::now();
        let mut waiting_tasks = Vec::new();
        for i in 0..3u64 {
            let (limit, slots) = (limit.clone(), slots.clone());
            waiting_tasks.push(tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(40 * i)).await;
                let out = limit.bound(take(&slots), || true).await.map(drop);
                (out, start.elapsed())
            }));
        }
        for (i, task) in waiting_tasks.into_iter().enumerate() {
            let (out, at) = task.await.unwrap();
            assert!(matches!(out, Err(Error::PoolTimeout { waited }) if waited == limit.limit()));
            // Each at its own deadline: the second and third joined after the first.
            let earliest = Duration::from_millis(150 + 40 * i as u64);
            assert!(
                at >= earliest && at < earliest + Duration::from_secs(2),
                "{i}: {at:?}"
            );
        }
        assert_eq!(waiting(&limit), 0);
    }

    #[tokio::test]
    async fn a_checkout_served_in_time_succeeds_and_the_next_one_still_times_out() {
        let limit = Arc::new(WaitLimit::new(Duration::from_millis(200)));
        let slots = Arc::new(Semaphore::new(0));
        let served = tokio::spawn({
            let (limit, slots) = (limit.clone(), slots.clone());
            async move { limit.bound(take(&slots), || true).await.map(|p| p.forget()) }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(waiting(&limit), 1);
        slots.add_permits(1);
        served.await.unwrap().unwrap();
        assert_eq!(waiting(&limit), 0);
        let start = Instant::now();
        let out = limit.bound(take(&slots), || true).await.map(drop);
        assert!(matches!(out, Err(Error::PoolTimeout { .. })));
        assert!(start.elapsed() >= Duration::from_millis(200));
    }

    /// A checkout pending while the pool is not contended is not bounded (it outlives the acquire
    /// timeout); one dropped while it waits leaves the queue. Neither stays in the queue.
    #[tokio::test]
    async fn unbounded_and_dropped_checkouts_leave_no_trace() {
        for contended in [false, true] {
            let limit = WaitLimit::new(Duration::from_millis(50));
            let slots = Semaphore::new(0);
            let checkout = limit.bound(take(&slots), || contended);
            let out = tokio::time::timeout(Duration::from_millis(150), checkout).await;
            match out {
                Err(_) => assert!(!contended, "pending past the acquire timeout"),
                Ok(out) => assert!(contended && matches!(out, Err(Error::PoolTimeout { .. }))),
            }
            assert_eq!(
                lock(&limit.queue).waiters.len(),
                0,
                "contended: {contended}"
            );
        }
        let limit = WaitLimit::new(Duration::from_secs(5));
        let slots = Semaphore::new(0);
        let abandoned = limit.bound(take(&slots), || true);
        assert!(
            tokio::time::timeout(Duration::from_millis(30), abandoned)
                .await
                .is_err()
        );
        assert_eq!(waiting(&limit), 0);
    }

    #[tokio::test]
    async fn a_zero_limit_fails_at_once_instead_of_waiting() {
        let limit = WaitLimit::new(Duration::ZERO);
        let slots = Semaphore::new(0);
        let out = limit.bound(take(&slots), || true).await.map(drop);
        assert!(matches!(out, Err(Error::PoolTimeout { .. })));
        assert_eq!(lock(&limit.queue).waiters.len(), 0);
    }

    #[test]
    fn the_watch_survives_the_runtime_that_started_it() {
        let limit = Arc::new(WaitLimit::new(Duration::from_millis(100)));
        let slots = Arc::new(Semaphore::new(0));
        let wait_once = |limit: Arc<WaitLimit>, slots: Arc<Semaphore>| async move {
            limit.bound(take(&slots), || true).await.map(drop)
        };
        let first = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        // A checkout left waiting when its runtime (and the watchdog it started) is dropped.
        first.block_on(async {
            let abandoned = tokio::spawn(wait_once(limit.clone(), slots.clone()));
            tokio::time::sleep(Duration::from_millis(20)).await;
            assert!(lock(&limit.queue).watched);
            drop(abandoned);
        });
        drop(first);
        assert!(
            !lock(&limit.queue).watched,
            "the watchdog went with its runtime"
        );

        let second = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let start = Instant::now();
        let out = second.block_on(wait_once(limit.clone(), slots.clone()));
        assert!(matches!(out, Err(Error::PoolTimeout { .. })), "{out:?}");
        assert!(start.elapsed() < Duration::from_secs(2));
        assert_eq!(waiting(&limit), 0);
    }

    #[test]
    fn waiting_outside_a_tokio_runtime_is_an_error() {
        let limit = WaitLimit::new(Duration::from_secs(5));
        let slots = Semaphore::new(0);
        let out = futures_util::FutureExt::now_or_never(limit.bound(take(&slots), || true));
        assert!(matches!(out, Some(Err(Error::Config(_)))), "{out:?}");
        assert_eq!(lock(&limit.queue).waiters.len(), 0);
    }
}
