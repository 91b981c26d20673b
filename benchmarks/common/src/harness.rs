//! The measuring loop every contender drives, and the one JSON line it prints.
//!
//! ```text
//! let mut h = Harness::new(&args);
//! while let Some(i) = h.next() {
//!     let t = h.start();
//!     let loaded = run_the_workload(i)?;          // the only timed part
//!     h.stop(t, check_of(&loaded))?;              // checked against the data set, then dropped
//! }
//! h.finish();
//! ```
//!
//! Warm-up iterations run for `--warmup-ms` (at least one), are checked, and are not recorded. Then
//! iterations are recorded until `--time-ms` has passed and at least `--min-iters` were recorded, or
//! `--max-iters` were. The insert workload also reports, untimed, how many rows its clean-up deleted
//! ([`Harness::deleted`]), which must equal what the insert claimed.
//!
//! Output (stdout, one line): `{"samples_ns":[...],"warmup_iterations":N,"peak_heap_bytes":N|null,
//! "vm_hwm_kib":N|null}`. Errors go to stderr with a non-zero exit status.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use crate::args::{Args, Workload};
use crate::check::{self, Check};
use crate::data::Dataset;
use crate::{Result, alloc};

/// State of one contender process's measurement.
#[derive(Debug)]
pub struct Harness {
    workload: Workload,
    size: usize,
    data: Dataset,
    same_every_iteration: Option<Check>,
    warmup: Duration,
    time: Duration,
    min_iters: usize,
    max_iters: usize,
    memory: bool,
    warming: bool,
    phase_started: Instant,
    iteration: usize,
    warmup_iterations: usize,
    samples: Vec<u64>,
    peak_heap: u64,
    last_check: Check,
}

impl Harness {
    /// A harness for the workload `args` names.
    pub fn new(args: &Args) -> Harness {
        let data = Dataset::for_workload(args.workload, args.size);
        let same_every_iteration = (args.workload != Workload::PkLookup)
            .then(|| check::expected(args.workload, args.size, &data, 0));
        Harness {
            workload: args.workload,
            size: args.size,
            data,
            same_every_iteration,
            warmup: args.warmup,
            time: args.time,
            min_iters: args.min_iters,
            max_iters: args.max_iters,
            memory: args.memory,
            warming: true,
            phase_started: Instant::now(),
            iteration: 0,
            warmup_iterations: 0,
            samples: Vec::new(),
            peak_heap: 0,
            last_check: Check::default(),
        }
    }

    /// The next iteration's index, or `None` when measuring is done.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<usize> {
        if self.warming
            && self.warmup_iterations >= 1
            && self.phase_started.elapsed() >= self.warmup
        {
            self.warming = false;
            self.phase_started = Instant::now();
        }
        if !self.warming {
            let n = self.samples.len();
            if n >= self.max_iters
                || (n >= self.min_iters && self.phase_started.elapsed() >= self.time)
            {
                return None;
            }
        }
        let i = self.iteration;
        self.iteration += 1;
        Some(i)
    }

    /// Starts timing an iteration (and, in memory runs, counting its heap growth).
    #[inline]
    pub fn start(&mut self) -> Instant {
        if self.memory {
            alloc::arm();
        }
        Instant::now()
    }

    /// Ends the iteration started at `started`; `check` is the digest of what it loaded.
    #[inline]
    pub fn stop(&mut self, started: Instant, check: Check) -> Result<()> {
        let elapsed = started.elapsed();
        let peak = if self.memory { alloc::disarm() } else { 0 };
        let i = self.iteration - 1;
        let expected = match self.same_every_iteration {
            Some(c) => c,
            None => check::expected(self.workload, self.size, &self.data, i),
        };
        if check != expected {
            return Err(format!(
                "check failed at iteration {i}: loaded {} rows (digest {:016x}), expected {} rows (digest {:016x})",
                check.rows, check.digest, expected.rows, expected.digest
            )
            .into());
        }
        self.last_check = check;
        if self.warming {
            self.warmup_iterations += 1;
        } else {
            self.samples
                .push(u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX));
            self.peak_heap = self.peak_heap.max(peak);
        }
        Ok(())
    }

    /// Reports the rows the insert workload's untimed clean-up deleted; must equal the rows inserted.
    pub fn deleted(&mut self, rows: u64) -> Result<()> {
        if rows != self.last_check.rows {
            return Err(format!(
                "clean-up deleted {rows} rows, the insert reported {}",
                self.last_check.rows
            )
            .into());
        }
        Ok(())
    }

    /// Prints the result line.
    pub fn finish(self) {
        let mut out = String::from("{\"samples_ns\":[");
        for (i, s) in self.samples.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{s}");
        }
        let _ = write!(out, "],\"warmup_iterations\":{}", self.warmup_iterations);
        match self.memory {
            true => {
                let _ = write!(out, ",\"peak_heap_bytes\":{}", self.peak_heap);
            }
            false => out.push_str(",\"peak_heap_bytes\":null"),
        }
        match alloc::vm_hwm_kib() {
            Some(k) => {
                let _ = write!(out, ",\"vm_hwm_kib\":{k}}}");
            }
            None => out.push_str(",\"vm_hwm_kib\":null}"),
        }
        println!("{out}");
    }
}

/// Runs a contender's `main`: parses the arguments, runs `body`, and exits non-zero with the error on
/// stderr if it fails.
pub fn main(body: impl FnOnce(Args) -> Result<()>) {
    exit_on_error(Args::from_env().and_then(body));
}

/// Exits non-zero with the error on stderr if `result` is an error.
pub fn exit_on_error(result: Result<()>) {
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
