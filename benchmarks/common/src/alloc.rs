//! The global allocator of every contender binary: the system allocator plus, while armed, the net
//! number of heap bytes allocated since arming and its peak. Disarmed (the default) it costs one relaxed
//! load per call, so timing runs are unaffected; the runner arms it only in memory runs.
//!
//! Peak heap of an iteration = heap at its start + the peak of the net change during it, so
//! [`disarm`] returns exactly the extra memory the iteration needed at its worst moment, counted over
//! every thread of the process (runtime workers, driver threads).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering::Relaxed};

static ARMED: AtomicBool = AtomicBool::new(false);
static NET: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

/// The counting allocator (installed as `#[global_allocator]` by this crate).
#[derive(Debug)]
pub struct Counting;

#[global_allocator]
static GLOBAL: Counting = Counting;

fn grew(by: usize) {
    let by = by as isize;
    let now = NET.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(now, Relaxed);
}

fn shrank(by: usize) {
    NET.fetch_sub(by as isize, Relaxed);
}

// SAFETY: every call is forwarded unchanged to `System`; the counters have no effect on allocation.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() && ARMED.load(Relaxed) {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() && ARMED.load(Relaxed) {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        if ARMED.load(Relaxed) {
            shrank(layout.size());
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() && ARMED.load(Relaxed) {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        p
    }
}

/// Starts counting from zero.
pub fn arm() {
    NET.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    ARMED.store(true, Relaxed);
}

/// Stops counting; returns the peak net heap growth since [`arm`], in bytes.
pub fn disarm() -> u64 {
    ARMED.store(false, Relaxed);
    PEAK.load(Relaxed).max(0) as u64
}

/// The process's peak resident set size (`VmHWM`), in KiB, where `/proc` exists.
pub fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
