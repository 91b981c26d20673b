//! Driving tokio-postgres' `Connection` on the task that uses it.
//!
//! tokio-postgres splits a connection in two: a `Client` that queues requests and hands back their
//! responses, and a `Connection` future that does the socket I/O. [`Io`] owns the `Connection` and
//! never spawns it: a statement costs no hop to another task and back.
//!
//! Contract:
//! - Every request future of the connection's `Client` (and every read of a `RowStream`) is awaited
//!   through [`Io::drive`], which polls the request and the connection in turn on the caller's
//!   task. Each half is polled with a waker of its own that only records the wake while the other
//!   is being polled, so the hand-offs between them (a request queued, a response delivered) are
//!   acted upon in the same poll, and only a wake from outside (the socket became readable) wakes
//!   the task. A poll that runs out of Tokio's cooperative budget yields to the scheduler.
//! - A request dropped midway leaves its responses due; the connection reads and discards them the
//!   next time it is polled, before the answers of later requests.
//! - Between operations nothing polls the connection: whatever the server sends meanwhile (notices,
//!   parameter changes, the rest of an abandoned result, the error it sends before closing the
//!   session) waits in the socket until the next request, or until [`Io::poll_idle`] reads it
//!   without waiting. The connection is polled with a waker of its own, which the socket wakes when
//!   anything arrives, so `poll_idle` polls only a connection that heard something.
//! - Once the connection future has ended (session closed by the server, I/O or protocol error) it
//!   is dropped: the request being driven gets its own error if it has one, else the connection's;
//!   every later request fails with tokio-postgres' "connection closed". [`Io::is_open`] then
//!   reports `false`.
//! - [`Io::close`] hands the connection to a background task that reads what is still due, then ends
//!   the session politely, within [`CLOSE_WITHIN`].

use std::future::Future;
use std::mem;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use futures_util::task::AtomicWaker;
use tokio_postgres::tls::NoTlsStream;
use tokio_postgres::{CancelToken, Connection, NoTls, Socket};

use super::error;

pub(crate) type PgError = tokio_postgres::Error;

/// How long a closed connection may take to read what is still due and end the session, after
/// which its socket is dropped.
pub(crate) const CLOSE_WITHIN: Duration = Duration::from_secs(10);

/// Rounds of polling in one poll of a driven request before it yields to the scheduler anyway.
const MAX_ROUNDS: usize = 32;

/// [`Wakeups::state`]: a driven request is being polled right now.
const POLLING: u8 = 1;
/// [`Wakeups::state`]: the request was woken since it was last polled.
const REQUEST: u8 = 2;
/// [`Wakeups::state`]: the connection was woken since it was last polled.
const CONNECTION: u8 = 4;
const WOKEN: u8 = REQUEST | CONNECTION;

/// What woke the two halves of a driven request. Wakes that one half sends the other while they
/// are being polled (a request queued for the connection, a response handed to the request) only
/// set a flag, acted upon in the same poll; only wakes from outside (the socket became readable)
/// reach the task.
struct Wakeups {
    state: AtomicU8,
    /// The task that last polled a driven request and is waiting.
    task: AtomicWaker,
}

/// The waker one half is polled with: it sets the half's flag in [`Wakeups::state`].
struct Half {
    wakeups: Arc<Wakeups>,
    flag: u8,
}

impl Wake for Half {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let before = self.wakeups.state.fetch_or(self.flag, Ordering::AcqRel);
        if before & POLLING == 0 {
            self.wakeups.task.wake();
        }
    }
}

/// The I/O half of one PostgreSQL connection.
pub(crate) struct Io {
    /// `None` once the connection future has ended. In a `Mutex` only to make `Io` `Sync` (the
    /// `Connection` is not): it is reached through `&mut self` alone, with `Mutex::get_mut`, which
    /// never locks.
    connection: Option<Mutex<Connection<Socket, NoTlsStream>>>,
    wakeups: Arc<Wakeups>,
    /// Polls the request: sets [`REQUEST`].
    request_waker: Waker,
    /// Polls the connection: sets [`CONNECTION`].
    connection_waker: Waker,
}

pin_project_lite::pin_project! {
    /// A request driven together with its connection: [`Io::drive`]. A plain struct rather than an
    /// `async fn`, which would hold the request twice.
    pub(crate) struct Drive<'a, F> {
        io: &'a mut Io,
        #[pin]
        request: F,
        first: bool,
    }
}

impl<F, T> Future for Drive<'_, F>
where
    F: Future<Output = Result<T, PgError>>,
{
    type Output = Result<T, PgError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        this.io.poll_driven(this.request, this.first, cx)
    }
}

/// How one poll of a driven request ended.
enum Polled<T> {
    Done(Result<T, PgError>),
    Pending,
    /// The connection future ended, with this outcome.
    Ended(Result<(), PgError>),
}

impl Io {
    pub(crate) fn new(connection: Connection<Socket, NoTlsStream>) -> Self {
        let wakeups = Arc::new(Wakeups {
            // Not yet polled by this side: the first `poll_idle` polls it.
            state: AtomicU8::new(CONNECTION),
            task: AtomicWaker::new(),
        });
        let half = |flag| {
            Waker::from(Arc::new(Half {
                wakeups: Arc::clone(&wakeups),
                flag,
            }))
        };
        Self {
            connection: Some(Mutex::new(connection)),
            request_waker: half(REQUEST),
            connection_waker: half(CONNECTION),
            wakeups,
        }
    }

    /// `false` once the connection future has ended.
    pub(crate) fn is_open(&self) -> bool {
        self.connection.is_some()
    }

    /// Runs `request` to its end, doing the connection's I/O on this task (see the module docs).
    pub(crate) fn drive<F>(&mut self, request: F) -> Drive<'_, F> {
        Drive {
            io: self,
            request,
            first: true,
        }
    }

    /// One poll of a driven request (see [`Drive`]).
    fn poll_driven<T>(
        &mut self,
        mut request: Pin<&mut impl Future<Output = Result<T, PgError>>>,
        first: &mut bool,
        cx: &mut Context<'_>,
    ) -> Poll<Result<T, PgError>> {
        if self.connection.is_none() {
            return request.poll(cx);
        }
        let due = if mem::take(first) {
            // Often ready at once (the next row of a batch already read): no bookkeeping then.
            let mut request_cx = Context::from_waker(&self.request_waker);
            if let Poll::Ready(out) = request.as_mut().poll(&mut request_cx) {
                return Poll::Ready(out);
            }
            CONNECTION
        } else {
            // The request is polled whatever woke the task: it may wait on something that does not
            // wake it (a row handed over to a stream's reader).
            REQUEST | (self.wakeups.state.load(Ordering::Acquire) & CONNECTION)
        };
        match self.poll_both(request.as_mut(), due, cx) {
            Polled::Done(out) => {
                self.wakeups.task.take();
                Poll::Ready(out)
            }
            Polled::Pending => Poll::Pending,
            Polled::Ended(ended) => {
                // Dropping it drops every queued request's sender: their futures end with
                // "closed".
                self.connection = None;
                match (request.poll(cx), ended) {
                    // The request only saw the channel close: the connection knows why.
                    (Poll::Ready(Err(closed)), Err(why)) if closed.is_closed() => {
                        Poll::Ready(Err(why))
                    }
                    (polled, _) => polled,
                }
            }
        }
    }

    /// Polls the halves flagged in `due`, then those their polls woke, until nothing is left to do.
    /// The connection goes first in each round, so that a request waiting for a response the
    /// socket just brought is polled once, after the connection has handed the response over.
    fn poll_both<T>(
        &mut self,
        mut request: Pin<&mut impl Future<Output = Result<T, PgError>>>,
        mut due: u8,
        cx: &mut Context<'_>,
    ) -> Polled<T> {
        let Some(connection) = &mut self.connection else {
            return Polled::Ended(Ok(()));
        };
        let connection = connection.get_mut().unwrap_or_else(PoisonError::into_inner);
        let state = &self.wakeups.state;
        state.fetch_or(POLLING, Ordering::AcqRel);
        for _ in 0..MAX_ROUNDS {
            if due & CONNECTION != 0 {
                state.fetch_and(!CONNECTION, Ordering::AcqRel);
                let mut connection_cx = Context::from_waker(&self.connection_waker);
                if let Poll::Ready(ended) = Pin::new(&mut *connection).poll(&mut connection_cx) {
                    state.fetch_and(!POLLING, Ordering::AcqRel);
                    return Polled::Ended(ended);
                }
            }
            if due & REQUEST != 0 {
                state.fetch_and(!REQUEST, Ordering::AcqRel);
                let mut request_cx = Context::from_waker(&self.request_waker);
                if let Poll::Ready(out) = request.as_mut().poll(&mut request_cx) {
                    state.fetch_and(!POLLING, Ordering::AcqRel);
                    return Polled::Done(out);
                }
            }
            due = state.load(Ordering::Acquire) & WOKEN;
            if due == 0 {
                self.wakeups.task.register(cx.waker());
                due = state.fetch_and(!POLLING, Ordering::AcqRel) & WOKEN;
                if due == 0 {
                    return Polled::Pending;
                }
                state.fetch_or(POLLING, Ordering::AcqRel);
            }
            if due & CONNECTION != 0 && !tokio::task::coop::has_budget_remaining() {
                break;
            }
        }
        // Out of Tokio's cooperative budget (the socket yields) or of rounds: let other tasks run.
        // The flags left set say what to poll next time.
        state.fetch_and(!POLLING, Ordering::AcqRel);
        cx.waker().wake_by_ref();
        Polled::Pending
    }

    /// Reads, without waiting, what the server sent while the connection sat idle. Returns the
    /// connection's error when that ended it (the server closed the session meanwhile).
    ///
    /// The socket wakes the connection's waker when anything arrives, so the connection is polled
    /// only when its [`CONNECTION`] flag is set: an idle connection that heard nothing costs no poll.
    pub(crate) fn poll_idle(&mut self) -> Result<(), PgError> {
        let Some(connection) = &mut self.connection else {
            return Ok(());
        };
        let state = &self.wakeups.state;
        if state.load(Ordering::Acquire) & CONNECTION == 0 {
            return Ok(());
        }
        state.fetch_and(!CONNECTION, Ordering::AcqRel);
        let connection = connection.get_mut().unwrap_or_else(PoisonError::into_inner);
        let mut connection_cx = Context::from_waker(&self.connection_waker);
        match Pin::new(connection).poll(&mut connection_cx) {
            Poll::Ready(ended) => {
                self.connection = None;
                ended
            }
            Poll::Pending => Ok(()),
        }
    }

    /// Ends the connection in the background: `cancel` (the request still running, if any) is
    /// cancelled first; then, once the `Client` is dropped, the connection reads what is still due
    /// and closes the session. Outside a Tokio runtime the socket is just dropped.
    pub(crate) fn close(&mut self, cancel: Option<CancelToken>) {
        let Some(connection) = self.connection.take() else {
            return;
        };
        let connection = connection
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        runtime.spawn(async move {
            if let Some(token) = cancel
                && let Err(e) = token.cancel_query(NoTls).await
            {
                tracing::debug!(error = %error::describe(&e), "cancelling an abandoned PostgreSQL query failed");
            }
            match tokio::time::timeout(CLOSE_WITHIN, connection).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    tracing::debug!(error = %error::describe(&e), "PostgreSQL connection ended");
                }
                Err(_) => tracing::debug!("PostgreSQL connection not closed in time; dropped"),
            }
        });
    }
}
