//! Tables: medians per contender and case, ratios against the baseline (the first contender, the
//! raw driver) per backend with their 95% intervals, the orm against the fastest peer ORM, the
//! spread of per-round ratios, and peak memory.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use bench_common::Backend;

use crate::plan::{CASES, Contender};
use crate::stats::{median, median_interval, sorted_median};

/// Everything measured for one contender on one case.
#[derive(Debug, Default)]
pub struct Cell {
    /// All recorded samples (ns), every round.
    pub samples: Vec<u64>,
    /// Median of each round, in round order.
    pub round_medians: Vec<f64>,
    /// Why it has no (more) results.
    pub error: Option<String>,
}

/// Memory run of one contender.
#[derive(Debug, Default)]
pub struct Memory {
    /// Heap peak of the worst iteration, bytes.
    pub peak_heap: Option<u64>,
    /// Process peak RSS, KiB.
    pub vm_hwm_kib: Option<u64>,
    /// Why it has none.
    pub error: Option<String>,
}

/// All results of a run.
#[derive(Debug, Default)]
pub struct Results {
    /// Keyed by backend, case index, contender key.
    pub cells: BTreeMap<(Backend, usize, &'static str), Cell>,
    /// Keyed by backend, contender key.
    pub memory: BTreeMap<(Backend, &'static str), Memory>,
}

/// A duration in ns, human-readable.
pub fn duration(ns: f64) -> String {
    if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e6 {
        format!("{:.1} µs", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

fn bytes(b: f64) -> String {
    if b < 1024.0 * 1024.0 {
        format!("{:.0} KiB", b / 1024.0)
    } else {
        format!("{:.2} MiB", b / (1024.0 * 1024.0))
    }
}

impl Results {
    fn cell(&self, backend: Backend, case: usize, key: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|((b, c, k), _)| *b == backend && *c == case && *k == key)
            .map(|(_, v)| v)
    }

    /// Per round, the ratio of `key`'s median to `baseline`'s median in that round.
    fn ratios(&self, backend: Backend, case: usize, key: &str, baseline: &str) -> Vec<f64> {
        match (
            self.cell(backend, case, key),
            self.cell(backend, case, baseline),
        ) {
            (Some(c), Some(b)) => c
                .round_medians
                .iter()
                .zip(&b.round_medians)
                .map(|(x, y)| x / y)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The per-round ratios of `key` to `baseline`, ascending.
    fn sorted_ratios(&self, backend: Backend, case: usize, key: &str, baseline: &str) -> Vec<f64> {
        let mut r = self.ratios(backend, case, key, baseline);
        r.sort_by(f64::total_cmp);
        r
    }

    /// The ratio of `key` to `baseline`: the median of the per-round ratios (each compares runs
    /// seconds apart, so load that drifts over minutes cancels out).
    pub fn ratio(&self, backend: Backend, case: usize, key: &str, baseline: &str) -> Option<f64> {
        sorted_median(&self.sorted_ratios(backend, case, key, baseline))
    }

    /// The 95% interval of [`Results::ratio`] (see `crate::stats`).
    fn ratio_interval(
        &self,
        backend: Backend,
        case: usize,
        key: &str,
        baseline: &str,
    ) -> Option<(f64, f64)> {
        median_interval(&self.sorted_ratios(backend, case, key, baseline))
    }

    /// A markdown table per backend: median time, ratio to the baseline and its 95% interval for
    /// every case and contender.
    pub fn timing_tables(&self, backends: &[Backend], contenders: &[Contender]) -> String {
        let mut out = String::new();
        for &backend in backends {
            let cols: Vec<&Contender> = contenders
                .iter()
                .filter(|c| c.backends.contains(&backend))
                .collect();
            let Some(baseline) = cols.first() else {
                continue;
            };
            if !self.cells.keys().any(|(b, _, _)| *b == backend) {
                continue;
            }
            let _ = writeln!(
                out,
                "\n**{backend}**: median per iteration; in parentheses the median over rounds of the \
                 ratio to {} in the same round, in brackets its 95% interval\n",
                baseline.label(backend)
            );
            let _ = write!(out, "| workload |");
            for c in &cols {
                let _ = write!(out, " {} |", c.label(backend));
            }
            let _ = write!(out, "\n|---|");
            for _ in &cols {
                let _ = write!(out, "---:|");
            }
            out.push('\n');
            for (i, case) in CASES.iter().enumerate() {
                if self.cell(backend, i, baseline.key).is_none()
                    && cols.iter().all(|c| self.cell(backend, i, c.key).is_none())
                {
                    continue;
                }
                let _ = write!(out, "| {} |", case.label);
                for c in &cols {
                    let cell = self.cell(backend, i, c.key);
                    let m = cell.and_then(|c| median(&c.samples));
                    let text = match (m, cell.and_then(|c| c.error.as_ref())) {
                        (_, Some(_)) if m.is_none() => "failed".to_owned(),
                        (None, _) => "–".to_owned(),
                        (Some(m), _) => {
                            let mut s = duration(m);
                            if let Some(r) = self.ratio(backend, i, c.key, baseline.key) {
                                let _ = write!(s, " ({r:.2})");
                            }
                            if c.key != baseline.key
                                && let Some((lo, hi)) =
                                    self.ratio_interval(backend, i, c.key, baseline.key)
                            {
                                let _ = write!(s, " [{lo:.2}–{hi:.2}]");
                            }
                            s
                        }
                    };
                    let _ = write!(out, " {text} |");
                }
                out.push('\n');
            }
        }
        out
    }

    /// A markdown table setting the orm against the fastest peer ORM (by ratio to the baseline) of
    /// every backend and case: the median over rounds of the orm's time over the peer's in the same
    /// round, its 95% interval, and what that interval allows saying.
    pub fn peer_table(&self, backends: &[Backend], contenders: &[Contender]) -> String {
        let mut rows = String::new();
        for &backend in backends {
            let Some(baseline) = contenders.iter().find(|c| c.backends.contains(&backend)) else {
                continue;
            };
            for (i, case) in CASES.iter().enumerate() {
                let fastest = contenders
                    .iter()
                    .filter(|c| c.is_peer() && c.backends.contains(&backend))
                    .filter_map(|c| Some((self.ratio(backend, i, c.key, baseline.key)?, c)))
                    .min_by(|a, b| a.0.total_cmp(&b.0));
                let Some((_, peer)) = fastest else {
                    continue;
                };
                let ratios = self.sorted_ratios(backend, i, "orm", peer.key);
                let Some(r) = sorted_median(&ratios) else {
                    continue;
                };
                let (interval, verdict) = match median_interval(&ratios) {
                    Some((lo, hi)) => (
                        format!("{lo:.2}–{hi:.2}"),
                        if hi < 1.0 {
                            "orm faster"
                        } else if lo > 1.0 {
                            "orm slower"
                        } else {
                            "no difference measured"
                        },
                    ),
                    None => ("–".to_owned(), "too few rounds"),
                };
                let _ = writeln!(
                    rows,
                    "| {backend} | {} | {} | {r:.2} | {interval} | {verdict} |",
                    case.label,
                    peer.label(backend)
                );
            }
        }
        if rows.is_empty() {
            return rows;
        }
        format!(
            "\n**orm against the fastest peer ORM** of each cell: the median over rounds of the orm's \
             time over the peer's in the same round (below 1.00: the orm is faster) and its 95% \
             interval\n\n| backend | workload | fastest peer | orm / peer | 95% interval | verdict |\n\
             |---|---|---|---:|---:|---|\n{rows}"
        )
    }

    /// How much per-round ratios scatter: for each cell, the median absolute deviation of its
    /// per-round ratios relative to its ratio; returns the median and the 90th percentile over
    /// cells.
    pub fn noise(&self, contenders: &[Contender]) -> Option<(f64, f64)> {
        let mut spreads = Vec::new();
        for (backend, case, key) in self.cells.keys() {
            let Some(baseline) = contenders.iter().find(|c| c.backends.contains(backend)) else {
                continue;
            };
            if *key == baseline.key {
                continue;
            }
            let Some(r) = self.ratio(*backend, *case, key, baseline.key) else {
                continue;
            };
            let deviations: Vec<u64> = self
                .ratios(*backend, *case, key, baseline.key)
                .iter()
                .map(|x| ((x - r).abs() / r * 1e4) as u64)
                .collect();
            if let Some(mad) = median(&deviations) {
                spreads.push(mad as u64);
            }
        }
        spreads.sort_unstable();
        let m = median(&spreads)? / 1e4;
        let p90 = spreads[(spreads.len() * 9 / 10).min(spreads.len() - 1)] as f64 / 1e4;
        Some((m, p90))
    }

    /// Markdown table of peak memory per backend and contender.
    pub fn memory_table(&self, backends: &[Backend], contenders: &[Contender]) -> String {
        if self.memory.is_empty() {
            return String::new();
        }
        let mut out = String::from(
            "\n| backend | contender | heap peak while loading 10,000 rows | ratio to raw | process peak RSS (VmHWM) |\n|---|---|---:|---:|---:|\n",
        );
        for &backend in backends {
            let cols: Vec<&Contender> = contenders
                .iter()
                .filter(|c| c.backends.contains(&backend))
                .collect();
            let Some(baseline) = cols.first() else {
                continue;
            };
            let base = self
                .memory
                .get(&(backend, baseline.key))
                .and_then(|m| m.peak_heap);
            for c in &cols {
                let Some(m) = self.memory.get(&(backend, c.key)) else {
                    continue;
                };
                let (heap, ratio) = match (m.peak_heap, base) {
                    (Some(h), Some(b)) => (bytes(h as f64), format!("{:.2}", h as f64 / b as f64)),
                    (Some(h), None) => (bytes(h as f64), "–".into()),
                    (None, _) => ("failed".into(), "–".into()),
                };
                let rss = m
                    .vm_hwm_kib
                    .map_or("–".into(), |k| bytes(k as f64 * 1024.0));
                let _ = writeln!(
                    out,
                    "| {backend} | {} | {heap} | {ratio} | {rss} |",
                    c.label(backend)
                );
            }
        }
        out
    }

    /// Every error, one line each.
    pub fn errors(&self) -> Vec<String> {
        let mut out = Vec::new();
        for ((backend, case, key), cell) in &self.cells {
            if let Some(e) = &cell.error {
                out.push(format!("{backend} / {} / {key}: {e}", CASES[*case].label));
            }
        }
        for ((backend, key), m) in &self.memory {
            if let Some(e) = &m.error {
                out.push(format!("{backend} / memory / {key}: {e}"));
            }
        }
        out
    }
}
