//! A fixed crew of threads for the pool workload of blocking contenders: the threads are started once
//! and released together for each iteration, so an iteration measures the lookups, not thread creation.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, Mutex, PoisonError};
use std::thread::JoinHandle;

use crate::{Check, Result};

type Task = dyn Fn(usize) -> Result<Check> + Send + Sync + 'static;

/// `n` threads; each iteration every thread runs the task once with its index.
pub struct Crew {
    start: Arc<Barrier>,
    done: Arc<Barrier>,
    stop: Arc<AtomicBool>,
    results: Arc<Mutex<Vec<Result<Check>>>>,
    threads: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for Crew {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Crew")
            .field("threads", &self.threads.len())
            .finish()
    }
}

impl Crew {
    /// Starts `n` threads running `task(thread_index)` once per [`Crew::run`].
    pub fn new(n: usize, task: impl Fn(usize) -> Result<Check> + Send + Sync + 'static) -> Crew {
        let task: Arc<Task> = Arc::new(task);
        let start = Arc::new(Barrier::new(n + 1));
        let done = Arc::new(Barrier::new(n + 1));
        let stop = Arc::new(AtomicBool::new(false));
        let results = Arc::new(Mutex::new(Vec::with_capacity(n)));
        let threads = (0..n)
            .map(|i| {
                let (task, start, done, stop, results) = (
                    task.clone(),
                    start.clone(),
                    done.clone(),
                    stop.clone(),
                    results.clone(),
                );
                std::thread::spawn(move || {
                    loop {
                        start.wait();
                        if stop.load(Ordering::Acquire) {
                            return;
                        }
                        let r = task(i);
                        results
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .push(r);
                        done.wait();
                    }
                })
            })
            .collect();
        Crew {
            start,
            done,
            stop,
            results,
            threads,
        }
    }

    /// Runs the task on every thread and merges their checks.
    pub fn run(&self) -> Result<Check> {
        self.start.wait();
        self.done.wait();
        let mut total = Check::new();
        for r in self
            .results
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain(..)
        {
            total.merge(r?);
        }
        Ok(total)
    }
}

impl Drop for Crew {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        self.start.wait();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}
