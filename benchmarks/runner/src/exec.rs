//! Running things: building the contender families, seeding, and running one contender process with a
//! time limit while reading its output.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::plan::{Case, Contender};
use bench_common::Backend;

/// Where things are.
#[derive(Clone, Debug)]
pub struct Paths {
    /// `benchmarks/`.
    pub root: PathBuf,
    /// The shared target directory.
    pub target: PathBuf,
}

impl Paths {
    /// Paths relative to this crate's manifest.
    pub fn new() -> Paths {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target"));
        Paths { root, target }
    }

    /// The release binary `name`.
    pub fn binary(&self, name: &str) -> PathBuf {
        self.target.join("release").join(name)
    }

    /// The package directory of a contender family.
    pub fn family(&self, family: &str) -> PathBuf {
        self.root.join("contenders").join(family)
    }
}

/// Builds a contender family in release mode (niced: the machine is shared). Returns the error output
/// tail on failure.
pub fn build(paths: &Paths, family: &str) -> Result<(), String> {
    let manifest = paths.family(family).join("Cargo.toml");
    let out = Command::new("nice")
        .args(["-n", "10", "cargo", "build", "--release", "--manifest-path"])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", &paths.target)
        .current_dir(&paths.root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error") || l.contains("-->"))
        .take(12)
        .collect();
    Err(lines.join("\n"))
}

/// Output of one process.
#[derive(Debug)]
pub struct Output {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `cmd` to completion or kills it after `limit`.
fn run_limited(mut cmd: Command, limit: Duration) -> Result<Output, String> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("spawn: {e}"))?;
    let mut stdout = child.stdout.take().ok_or("no stdout pipe")?;
    let mut stderr = child.stderr.take().ok_or("no stderr pipe")?;
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("wait: {e}")),
        }
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    match status {
        None => Err(format!("timed out after {limit:?}")),
        Some(s) if !s.success() => {
            let msg = stderr
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim()
                .to_owned();
            Err(if msg.is_empty() {
                format!("exited with {s}")
            } else {
                msg
            })
        }
        Some(_) => Ok(Output { stdout, stderr }),
    }
}

/// Seeds `case`'s data set on `backend`.
pub fn seed(paths: &Paths, backend: Backend, url: &str, case: &Case) -> Result<(), String> {
    let mut cmd = Command::new(paths.binary("bench-raw"));
    cmd.arg("seed").args([
        "--backend",
        backend.name(),
        "--workload",
        case.workload,
        "--size",
        &case.size.to_string(),
        "--url",
        url,
    ]);
    run_limited(cmd, Duration::from_secs(300)).map(drop)
}

/// The server's (or bundled library's) version.
pub fn server_version(paths: &Paths, backend: Backend, url: &str) -> Result<String, String> {
    let mut cmd = Command::new(paths.binary("bench-raw"));
    cmd.arg("version").args([
        "--backend",
        backend.name(),
        "--workload",
        "trivial",
        "--size",
        "1",
        "--url",
        url,
    ]);
    run_limited(cmd, Duration::from_secs(30)).map(|o| o.stdout.trim().to_owned())
}

/// How long and how often a contender process measures.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Measuring time per process.
    pub time: Duration,
    /// Warm-up time per process.
    pub warmup: Duration,
    /// Recorded iterations at least.
    pub min_iters: usize,
    /// Recorded iterations at most.
    pub max_iters: usize,
    /// Memory run (heap peak recorded, timings discarded).
    pub memory: bool,
}

/// What one contender process reported.
#[derive(Debug, Default)]
pub struct Run {
    /// Per-iteration wall time, nanoseconds.
    pub samples: Vec<u64>,
    /// Heap peak of the worst iteration (memory runs).
    pub peak_heap: Option<u64>,
    /// Peak resident set size of the process, KiB.
    pub vm_hwm_kib: Option<u64>,
}

/// Runs `contender` on `case` once.
pub fn run(
    paths: &Paths,
    contender: &Contender,
    backend: Backend,
    url: &str,
    case: &Case,
    budget: Budget,
) -> Result<Run, String> {
    let mut cmd = Command::new(paths.binary(contender.binary));
    cmd.args([
        "--backend",
        backend.name(),
        "--workload",
        case.workload,
        "--size",
        &case.size.to_string(),
        "--url",
        url,
    ]);
    if !contender.variant.is_empty() {
        cmd.args(["--variant", contender.variant]);
    }
    cmd.args([
        "--time-ms",
        &budget.time.as_millis().to_string(),
        "--warmup-ms",
        &budget.warmup.as_millis().to_string(),
    ]);
    cmd.args([
        "--min-iters",
        &budget.min_iters.to_string(),
        "--max-iters",
        &budget.max_iters.to_string(),
    ]);
    if budget.memory {
        cmd.arg("--memory");
    }
    let limit = Duration::from_secs(60) + (budget.time + budget.warmup) * 10;
    let out = run_limited(cmd, limit)?;
    let line = out
        .stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .ok_or_else(|| {
            format!(
                "no result line (stderr: {})",
                out.stderr.lines().last().unwrap_or("")
            )
        })?;
    let v: Value = serde_json::from_str(line).map_err(|e| format!("bad result line: {e}"))?;
    let samples = v["samples_ns"]
        .as_array()
        .ok_or("result line without samples_ns")?
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    Ok(Run {
        samples,
        peak_heap: v["peak_heap_bytes"].as_u64(),
        vm_hwm_kib: v["vm_hwm_kib"].as_u64(),
    })
}
