//! Where and with what the numbers were taken: date, kernel, CPU, toolchain, and the versions of the
//! crates each contender family resolved (read from its lockfile).

use std::path::Path;
use std::process::Command;

fn command(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// `date -u`.
pub fn date() -> String {
    command("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_else(|| "unknown date".into())
}

/// Cores, CPU model and kernel.
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, m)| m.trim().to_owned())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let kernel = command("uname", &["-r"]).unwrap_or_else(|| "unknown kernel".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<u64>().ok())
        })
        .map(|kib| format!(", {} GiB RAM", kib / (1024 * 1024)))
        .unwrap_or_default();
    format!("{cores} cores, {model}{mem}, Linux {kernel}")
}

/// `rustc --version`.
pub fn rustc() -> String {
    command("rustc", &["--version"]).unwrap_or_else(|| "rustc (unknown)".into())
}

/// The repository commit the `orm` contender was built from, marked when the ORM's sources differ
/// from it.
pub fn commit(root: &Path) -> Option<String> {
    let dir = root.to_str()?;
    let head = command("git", &["-C", dir, "rev-parse", "--short", "HEAD"])?;
    let dirty = command(
        "git",
        &[
            "-C",
            dir,
            "status",
            "--porcelain",
            "--",
            "../src",
            "../orm-core",
            "../orm-derive",
            "../orm-drivers",
        ],
    )
    .is_some_and(|out| !out.is_empty());
    Some(if dirty {
        format!("{head} plus uncommitted changes")
    } else {
        head
    })
}

/// Crates whose versions the report names.
const NAMED: &[&str] = &[
    "tokio-postgres",
    "mysql_async",
    "rusqlite",
    "libsqlite3-sys",
    "sqlx",
    "sea-orm",
    "diesel",
    "diesel-async",
    "tokio",
];

/// `name version` of the named crates in a family's lockfile.
pub fn locked_versions(lockfile: &Path) -> Vec<(String, String)> {
    let Ok(text) = std::fs::read_to_string(lockfile) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut name: Option<&str> = None;
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("name = \"") {
            name = n.strip_suffix('"');
        } else if let (Some(v), Some(n)) = (line.strip_prefix("version = \""), name.take())
            && NAMED.contains(&n)
        {
            out.push((n.to_owned(), v.trim_end_matches('"').to_owned()));
        }
    }
    out.sort_by_key(|(n, _)| NAMED.iter().position(|x| x == n));
    out.dedup();
    out
}

/// The 1, 5 and 15-minute load averages.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" / "))
        .unwrap_or_else(|| "unknown".into())
}
