//! Row streams ([`RowStream`]) for every executor, built one way: a *producer* future reads a result
//! and hands each decoded row to a [`RowSink`]; the stream polls that producer on the reader's own
//! task and yields each row as it is handed over.
//!
//! Contract:
//! - Rows are handed over one at a time: the producer waits until the reader took the previous row,
//!   so no row is decoded ahead of the reader, and every backend reads from its server (or steps its
//!   statement) only as fast as rows are handed over. Memory stays bounded.
//! - Nothing runs before the stream is first polled, and the producer runs only while the stream is
//!   polled (no task is spawned), so a producer may borrow the executor's connection.
//! - A producer's error is yielded after every row handed over before it, and ends the stream.
//! - Dropping the stream drops the producer wherever it is waiting. What that leaves on the
//!   connection is each backend's contract (`postgres::stream`, `mysql::session::stream`,
//!   `sqlite::stream`); none leaves an unread result for the connection's next user.

use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};

use futures_util::Stream;
use orm_core::{Result, RowStream};

use crate::instrument::RowCount;

/// The row handed over and not yet taken by the reader.
type Slot<T> = Arc<Mutex<Option<Result<T>>>>;

fn lock<T>(slot: &Mutex<Option<Result<T>>>) -> MutexGuard<'_, Option<Result<T>>> {
    // Nothing panics while holding the lock; a poisoned slot still holds a consistent `Option`.
    slot.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Where a producer hands its rows over.
pub(crate) struct RowSink<T> {
    slot: Slot<T>,
}

impl<T> RowSink<T> {
    /// Hands one row to the reader and waits until the reader has taken it.
    pub(crate) async fn send(&self, row: T) {
        let mut row = Some(Ok(row));
        poll_fn(|_| {
            let mut slot = lock(&self.slot);
            match row.take() {
                // The stream takes the row as soon as the producer is pending, and polls it again
                // only when the reader asks for the next row: no waker is needed.
                Some(r) if slot.is_none() => {
                    *slot = Some(r);
                    Poll::Pending
                }
                Some(r) => {
                    row = Some(r);
                    Poll::Pending
                }
                None if slot.is_some() => Poll::Pending,
                None => Poll::Ready(()),
            }
        })
        .await;
    }

    /// Hands the producer's final error over; the producer ends right after.
    fn fail(&self, error: orm_core::Error) {
        let mut slot = lock(&self.slot);
        if slot.is_none() {
            *slot = Some(Err(error));
        }
    }
}

impl<T> fmt::Debug for RowSink<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RowSink").finish_non_exhaustive()
    }
}

/// Rows handed over by a stream, recorded as the `rows` field of its tracing span.
impl RowCount for u64 {
    fn row_count(&self) -> u64 {
        *self
    }
}

/// The stream whose rows `produce` hands to its sink. An `Err` the producer returns is the stream's
/// last item.
pub(crate) fn feed<'a, T, F>(produce: impl FnOnce(RowSink<T>) -> F) -> RowStream<'a, T>
where
    T: Send + 'a,
    F: Future<Output = Result<()>> + Send + 'a,
{
    let slot: Slot<T> = Arc::new(Mutex::new(None));
    let errors = RowSink {
        slot: Arc::clone(&slot),
    };
    let work = produce(RowSink {
        slot: Arc::clone(&slot),
    });
    let producer = async move {
        if let Err(e) = work.await {
            errors.fail(e);
        }
    };
    RowStream::new(Feed {
        producer: Some(Box::pin(producer)),
        slot,
    })
}

/// A producer and the slot it hands rows over in.
struct Feed<'a, T> {
    /// `None` once it has finished.
    producer: Option<Pin<Box<dyn Future<Output = ()> + Send + 'a>>>,
    slot: Slot<T>,
}

impl<T> Stream for Feed<'_, T> {
    type Item = Result<T>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        let this = self.get_mut();
        loop {
            if let Some(row) = lock(&this.slot).take() {
                return Poll::Ready(Some(row));
            }
            let Some(producer) = &mut this.producer else {
                return Poll::Ready(None);
            };
            match producer.as_mut().poll(cx) {
                // Finished: yield what it handed over last, if anything, then end.
                Poll::Ready(()) => this.producer = None,
                // Either it handed a row over, or it waits for the server (and registered a waker).
                Poll::Pending => {
                    return lock(&this.slot)
                        .take()
                        .map_or(Poll::Pending, |row| Poll::Ready(Some(row)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use orm_core::Error;

    use super::*;

    async fn collect<T>(mut s: RowStream<'_, T>) -> Vec<Result<T>> {
        let mut out = Vec::new();
        while let Some(item) = s.next().await {
            out.push(item);
        }
        out
    }

    #[tokio::test]
    async fn rows_then_error_then_end() {
        let s = feed(|sink| async move {
            for i in 0..100 {
                sink.send(i).await;
                tokio::task::yield_now().await;
            }
            Err(Error::InvalidQuery("boom".into()))
        });
        let items = collect(s).await;
        assert_eq!(items.len(), 101);
        assert!(
            items[..100]
                .iter()
                .enumerate()
                .all(|(i, r)| r.as_ref().ok() == Some(&i))
        );
        assert!(matches!(items[100], Err(Error::InvalidQuery(_))));
    }

    #[tokio::test]
    async fn nothing_runs_ahead_of_the_reader() {
        let produced = AtomicUsize::new(0);
        let mut s = feed(|sink| {
            let produced = &produced;
            async move {
                for i in 0..10_000 {
                    produced.fetch_add(1, Ordering::Relaxed);
                    sink.send(i).await;
                }
                Ok(())
            }
        });
        assert!(s.next().await.is_some_and(|r| r.ok() == Some(0)));
        assert!(s.next().await.is_some_and(|r| r.ok() == Some(1)));
        assert_eq!(produced.load(Ordering::Relaxed), 2);
        drop(s);
        assert_eq!(produced.load(Ordering::Relaxed), 2);
    }

    #[tokio::test]
    async fn an_empty_producer_ends_at_once() {
        let s = feed(|_sink: RowSink<u8>| async { Ok(()) });
        assert!(collect(s).await.is_empty());
    }
}
