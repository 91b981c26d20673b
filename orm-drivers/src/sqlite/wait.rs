//! How a connection's worker thread and its async caller wait for each other.
//!
//! Waking a sleeping thread costs far more than a short statement: on a virtual machine whose idle
//! CPUs halt, each wake-up is tens of microseconds, against two or three for a primary-key lookup.
//! So neither side goes to sleep straight away.
//!
//! Contract:
//! - The worker thread, after answering, polls its queue before it sleeps, yielding its CPU to any
//!   other runnable thread between polls, so a statement that follows soon after the last one does
//!   not wake it. How long is set from the previous gap between an answer and the next job
//!   ([`Idle`]): one and a half times it, at least [`THREAD_SPIN`] and at most [`THREAD_SPIN_MAX`];
//!   after a gap longer than [`THREAD_SPIN_MAX`], only [`THREAD_SPIN`]. A caller that works on each
//!   answer for a while before its next statement thus finds the thread awake.
//! - The caller polls for the answer for a budget set from the connection's previous round trip
//!   ([`Pace`]): one and a half times it, at least [`CALLER_SPIN_MIN`], and none at all when the
//!   previous one took longer than [`CALLER_SPIN_MAX`] (then a wake-up is a small part of the
//!   wait). Between polls it yields to the Tokio scheduler, so other tasks on its thread run and
//!   the runtime thread is never blocked; past the budget it waits for the answer's wake-up.
//! - With spinning off (`sqlite_spin=false`) neither side polls: every hand-off is a plain sleep
//!   and wake-up.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

/// The least the worker thread polls for its next job before it sleeps.
pub(super) const THREAD_SPIN: Duration = Duration::from_micros(50);
/// The most the worker thread polls for its next job; a longer gap between jobs is not waited out.
pub(super) const THREAD_SPIN_MAX: Duration = Duration::from_micros(400);
/// The least a caller polls for an answer.
pub(super) const CALLER_SPIN_MIN: Duration = Duration::from_micros(50);
/// A caller whose previous round trip took longer than this does not poll.
pub(super) const CALLER_SPIN_MAX: Duration = Duration::from_micros(400);

/// The previous gap between a worker thread's answer and its next job, which sets how long the
/// thread polls for the next one.
#[derive(Debug, Clone, Copy)]
pub(super) struct Idle {
    spin: bool,
    last: Duration,
}

impl Idle {
    /// A worker thread's idle pace; with `spin` off it never polls.
    pub(super) fn new(spin: bool) -> Idle {
        Idle {
            spin,
            last: Duration::ZERO,
        }
    }

    /// How long to poll for the next job.
    fn budget(self) -> Duration {
        if !self.spin {
            Duration::ZERO
        } else if self.last > THREAD_SPIN_MAX {
            THREAD_SPIN
        } else {
            (self.last + self.last / 2).clamp(THREAD_SPIN, THREAD_SPIN_MAX)
        }
    }

    /// The worker thread's next job (see the module docs); `None` once the handle is gone.
    pub(super) fn next_job<J>(&mut self, jobs: &mpsc::Receiver<J>) -> Option<J> {
        if !self.spin {
            // No polling, so no gap to measure either.
            return jobs.recv().ok();
        }
        let budget = self.budget();
        let start = Instant::now();
        let job = loop {
            match jobs.try_recv() {
                Ok(job) => break Some(job),
                Err(mpsc::TryRecvError::Empty) => {}
                Err(mpsc::TryRecvError::Disconnected) => break None,
            }
            if start.elapsed() >= budget {
                break jobs.recv().ok();
            }
            std::thread::yield_now();
        };
        self.last = start.elapsed();
        job
    }
}

/// The previous round trip of one connection, which sets how long its caller polls.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pace {
    spin: bool,
    last: Duration,
}

impl Pace {
    /// A connection's pace; with `spin` off its callers never poll.
    pub(super) fn new(spin: bool) -> Pace {
        Pace {
            spin,
            last: Duration::ZERO,
        }
    }

    /// How long to poll for the next answer.
    pub(super) fn budget(self) -> Duration {
        if !self.spin || self.last > CALLER_SPIN_MAX {
            Duration::ZERO
        } else {
            (self.last + self.last / 2).max(CALLER_SPIN_MIN)
        }
    }

    /// Waits for `answer` (see the module docs) and records the round trip that began at `sent`.
    /// `None` when the channel closed without an answer.
    pub(super) async fn answer<R>(
        &mut self,
        sent: Instant,
        mut answer: oneshot::Receiver<R>,
    ) -> Option<R> {
        let budget = self.budget();
        let out = loop {
            match answer.try_recv() {
                Ok(out) => break Some(out),
                Err(oneshot::error::TryRecvError::Closed) => break None,
                Err(oneshot::error::TryRecvError::Empty) => {}
            }
            if sent.elapsed() >= budget {
                break (&mut answer).await.ok();
            }
            tokio::task::yield_now().await;
        };
        self.last = sent.elapsed();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polls_after_short_round_trips_only() {
        let short = Pace {
            spin: true,
            last: Duration::from_micros(4),
        };
        assert_eq!(short.budget(), CALLER_SPIN_MIN);
        let medium = Pace {
            spin: true,
            last: Duration::from_micros(200),
        };
        assert_eq!(
            Pace {
                spin: false,
                ..medium
            }
            .budget(),
            Duration::ZERO,
            "spinning off"
        );
        assert_eq!(medium.budget(), Duration::from_micros(300));
        let long = Pace {
            spin: true,
            last: CALLER_SPIN_MAX + Duration::from_micros(1),
        };
        assert_eq!(long.budget(), Duration::ZERO);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_slow_answer_is_awaited_without_blocking_the_runtime() {
        let (tx, rx) = oneshot::channel();
        let sender = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            tx.send(7).ok();
        });
        let mut pace = Pace::new(true);
        assert_eq!(pace.answer(Instant::now(), rx).await, Some(7));
        assert!(pace.last >= Duration::from_millis(20));
        assert_eq!(pace.budget(), Duration::ZERO);
        sender.await.ok();
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_closed_channel_is_none() {
        let (tx, rx) = oneshot::channel::<u8>();
        drop(tx);
        assert_eq!(Pace::new(true).answer(Instant::now(), rx).await, None);
    }

    #[test]
    fn the_thread_polls_longer_after_short_gaps_only() {
        let idle = |spin, micros| Idle {
            spin,
            last: Duration::from_micros(micros),
        };
        assert_eq!(idle(true, 4).budget(), THREAD_SPIN);
        assert_eq!(idle(true, 200).budget(), Duration::from_micros(300));
        assert_eq!(idle(true, 390).budget(), THREAD_SPIN_MAX);
        assert_eq!(idle(true, 401).budget(), THREAD_SPIN, "a long gap");
        assert_eq!(idle(false, 200).budget(), Duration::ZERO, "spinning off");
    }

    #[test]
    fn the_thread_gets_its_jobs_and_stops_when_the_handle_is_gone() {
        for spin in [true, false] {
            let (tx, rx) = mpsc::channel();
            let thread = std::thread::spawn(move || {
                let mut idle = Idle::new(spin);
                let mut got = Vec::new();
                while let Some(job) = idle.next_job(&rx) {
                    got.push(job);
                }
                got
            });
            tx.send(1).unwrap();
            std::thread::sleep(Duration::from_millis(2));
            tx.send(2).unwrap();
            drop(tx);
            assert_eq!(thread.join().unwrap(), [1, 2], "spin {spin}");
        }
    }
}
