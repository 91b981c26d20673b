//! The dedicated OS thread that owns one SQLite connection, and the async handle that feeds it.
//!
//! Contract:
//! - Jobs go over a channel and run one at a time, in order; each answers on its own oneshot. The
//!   async side waits for the answer as [`super::wait`] describes (polling briefly, yielding to the
//!   scheduler in between): it never blocks a runtime thread.
//! - After every job the thread records `is_autocommit()` in an atomic before answering, so
//!   [`Worker::is_reusable`] needs no round trip.
//! - A job is in flight from just before it is sent until its answer is read; a future dropped in
//!   between leaves the mark, and the connection is then not reusable until [`Worker::interrupt`] and a
//!   reset have run.
//! - A panic inside a job stops the thread: the database connection is closed, and that job and every
//!   later one fail with `Error::Disconnected` carrying the panic message. Dropping the handle ends
//!   the thread once its current job is done.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Instant;

use orm_core::{Error, Result};
use rusqlite::{Connection, InterruptHandle};
use tokio::sync::oneshot;

use super::open;
use super::url::SqliteUrl;
use super::wait::{self, Pace};
use crate::options::ConnectOptions;

/// Work for the thread: runs on the connection and answers on its own channel. Returns `false` when
/// the thread must stop.
type Job = Box<dyn FnOnce(&Connection, &State) -> bool + Send>;

/// What the thread shares with its handle.
#[derive(Debug)]
struct State {
    /// `Connection::is_autocommit()` after the last job.
    autocommit: AtomicBool,
    /// The thread has stopped; nothing sent will run.
    stopped: AtomicBool,
    /// Why it stopped, when a job panicked.
    panic: Mutex<Option<String>>,
}

/// Async handle to one connection's worker thread.
pub(crate) struct Worker {
    jobs: mpsc::Sender<Job>,
    state: Arc<State>,
    interrupt: InterruptHandle,
    in_flight: bool,
    pace: Pace,
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

fn serve(conn: Connection, jobs: mpsc::Receiver<Job>, state: &State, spin: bool) {
    let mut idle = wait::Idle::new(spin);
    while let Some(job) = idle.next_job(&jobs) {
        if !job(&conn, state) {
            break;
        }
    }
    state.stopped.store(true, Ordering::Release);
    // `conn` closes here; queued jobs are dropped with `jobs`, which fails their callers.
}

impl State {
    /// Records a panic and marks the thread stopped (before the panicking job answers).
    fn record_panic(&self, message: String) {
        tracing::error!(target: "orm::sqlite", panic = %message, "a job panicked on a SQLite worker thread; closing its connection");
        if let Ok(mut slot) = self.panic.lock() {
            *slot = Some(message);
        }
        self.stopped.store(true, Ordering::Release);
    }

    fn stopped_error(&self) -> Error {
        let panic = self.panic.lock().ok().and_then(|p| p.clone());
        let message = match panic {
            Some(p) => format!("the SQLite worker thread stopped after a panic: {p}"),
            None => "the SQLite worker thread stopped".to_owned(),
        };
        Error::disconnected(message, None)
    }
}

impl Worker {
    /// Starts a thread that opens `url`; resolves once the connection is open and configured.
    pub(crate) async fn start(url: SqliteUrl, opts: ConnectOptions) -> Result<Worker> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let (ready_tx, ready_rx) = oneshot::channel::<Result<InterruptHandle>>();
        let state = Arc::new(State {
            autocommit: AtomicBool::new(true),
            stopped: AtomicBool::new(false),
            panic: Mutex::new(None),
        });
        let thread_state = Arc::clone(&state);
        let spin = opts.sqlite_spin;
        std::thread::Builder::new()
            .name("orm-sqlite".into())
            .spawn(move || {
                let conn = match open::open(&url, &opts) {
                    Ok(conn) => conn,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                if ready_tx.send(Ok(conn.get_interrupt_handle())).is_ok() {
                    serve(conn, queue, &thread_state, spin);
                }
            })
            .map_err(|e| {
                Error::connect(
                    format!("cannot start a SQLite worker thread: {e}"),
                    Some(Box::new(e)),
                )
            })?;
        let interrupt = ready_rx.await.map_err(|_| {
            Error::connect(
                "the SQLite worker thread stopped while opening the database",
                None,
            )
        })??;
        Ok(Worker {
            jobs,
            state,
            interrupt,
            in_flight: false,
            pace: Pace::new(spin),
        })
    }

    /// Runs `f` on the worker thread and returns its result.
    pub(crate) async fn run<R: Send + 'static>(
        &mut self,
        f: impl FnOnce(&Connection) -> Result<R> + Send + 'static,
    ) -> Result<R> {
        let sent = Instant::now();
        let answer = self.submit(f)?;
        let out = self
            .pace
            .answer(sent, answer)
            .await
            .ok_or_else(|| self.stopped_error())?;
        self.answered();
        out
    }

    /// Sends `f` to the worker thread without waiting: its result arrives on the returned channel
    /// (closed without an answer when the thread stopped). The job is in flight until
    /// [`Worker::answered`]; meanwhile `f` may hand partial results over channels of its own.
    pub(crate) fn submit<R: Send + 'static>(
        &mut self,
        f: impl FnOnce(&Connection) -> Result<R> + Send + 'static,
    ) -> Result<oneshot::Receiver<Result<R>>> {
        if self.is_stopped() {
            return Err(self.stopped_error());
        }
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |conn: &Connection, state: &State| {
            match catch_unwind(AssertUnwindSafe(|| f(conn))) {
                Ok(out) => {
                    state
                        .autocommit
                        .store(conn.is_autocommit(), Ordering::Release);
                    let _ = reply.send(out);
                    true
                }
                Err(payload) => {
                    state.record_panic(panic_message(payload.as_ref()));
                    let _ = reply.send(Err(state.stopped_error()));
                    false
                }
            }
        });
        self.in_flight = true;
        if self.jobs.send(job).is_err() {
            return Err(self.stopped_error());
        }
        Ok(answer)
    }

    /// Records that the answer of the job in flight was read.
    pub(crate) fn answered(&mut self) {
        self.in_flight = false;
    }

    /// No job in flight, no transaction open, thread alive.
    pub(crate) fn is_reusable(&self) -> bool {
        !self.in_flight && !self.is_stopped() && self.state.autocommit.load(Ordering::Acquire)
    }

    /// Aborts a statement left running by a dropped call, so the next job starts promptly.
    pub(crate) fn interrupt_abandoned(&self) {
        if self.in_flight {
            self.interrupt.interrupt();
        }
    }

    fn is_stopped(&self) -> bool {
        self.state.stopped.load(Ordering::Acquire)
    }

    /// Why jobs can no longer run: the thread stopped (after a panic, with its message).
    pub(crate) fn stopped_error(&self) -> Error {
        self.state.stopped_error()
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.interrupt_abandoned();
    }
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("in_flight", &self.in_flight)
            .field("state", &self.state)
            .finish()
    }
}
