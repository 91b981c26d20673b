//! `bench`: the one command of the benchmark suite (see benchmarks/README.md).
//!
//! 1. Builds every selected contender family (`nice -n 10 cargo build --release`), each in its own
//!    workspace; a family that fails to build is reported and left out.
//! 2. Per backend and case: seeds the data set once (`bench-raw seed`), then runs rounds; each round
//!    runs every contender once, in a rotating order (A B C D, B C D A, ...), one fresh process each.
//! 3. Measures the heap peak of loading 10,000 rows in a separate memory run per contender.
//! 4. Prints medians and ratios to the raw driver per backend; `--write-readme` also puts the tables,
//!    date, machine and versions into benchmarks/README.md.

mod exec;
mod machine;
mod plan;
mod report;
mod stats;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use bench_common::Backend;

use crate::exec::{Budget, Paths};
use crate::plan::{CASES, CONTENDERS, Contender, MEMORY_CASE};
use crate::report::{Cell, Memory, Results};
use crate::stats::median;

const USAGE: &str = "usage: bench [--quick] [--rounds N] [--time-ms T] [--warmup-ms W]
             [--backends postgres,mysql,sqlite] [--workloads trivial,medium,insert,associations,pk,pool]
             [--contenders raw,raw-spawn-blocking,orm,sqlx,seaorm,diesel,orm-through-pool,orm-insert-many,orm-no-spin]
             [--no-build] [--no-memory] [--write-readme]
             [--postgres-url URL] [--mysql-url URL] [--sqlite-path FILE]
environment: ORM_BENCH_POSTGRES_URL, ORM_BENCH_MYSQL_URL (the database is created if missing)";

#[derive(Debug)]
struct Options {
    rounds: usize,
    budget: Budget,
    backends: Vec<Backend>,
    workloads: Option<Vec<String>>,
    contenders: Vec<Contender>,
    build: bool,
    memory: bool,
    write_readme: bool,
    postgres_url: String,
    mysql_url: String,
    sqlite_path: String,
}

fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

impl Options {
    fn parse(paths: &Paths) -> Result<Options, String> {
        let mut o = Options {
            rounds: 8,
            budget: Budget {
                time: Duration::from_millis(300),
                warmup: Duration::from_millis(100),
                min_iters: 3,
                max_iters: 20_000,
                memory: false,
            },
            backends: Backend::ALL.to_vec(),
            workloads: None,
            contenders: CONTENDERS.iter().filter(|c| c.default).copied().collect(),
            build: true,
            memory: true,
            write_readme: false,
            postgres_url: std::env::var("ORM_BENCH_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/orm_bench".into()),
            mysql_url: std::env::var("ORM_BENCH_MYSQL_URL")
                .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/orm_bench".into()),
            sqlite_path: paths
                .target
                .join("orm_bench.sqlite")
                .to_string_lossy()
                .into_owned(),
        };
        let mut args = std::env::args().skip(1);
        while let Some(a) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("`{a}` needs a value"));
            match a.as_str() {
                "--quick" => {
                    o.rounds = 2;
                    o.budget.time = Duration::from_millis(60);
                    o.budget.warmup = Duration::from_millis(20);
                    o.budget.min_iters = 2;
                    o.budget.max_iters = 500;
                }
                "--rounds" => o.rounds = value()?.parse().map_err(|e| format!("--rounds: {e}"))?,
                "--time-ms" => {
                    o.budget.time = Duration::from_millis(
                        value()?.parse().map_err(|e| format!("--time-ms: {e}"))?,
                    )
                }
                "--warmup-ms" => {
                    o.budget.warmup = Duration::from_millis(
                        value()?.parse().map_err(|e| format!("--warmup-ms: {e}"))?,
                    )
                }
                "--backends" => {
                    o.backends = list(&value()?)
                        .iter()
                        .map(|b| b.parse::<Backend>())
                        .collect::<Result<_, _>>()?;
                }
                "--workloads" => o.workloads = Some(list(&value()?)),
                "--contenders" => {
                    let keys = list(&value()?);
                    if let Some(bad) = keys
                        .iter()
                        .find(|k| !CONTENDERS.iter().any(|c| c.key == k.as_str()))
                    {
                        return Err(format!("unknown contender `{bad}`"));
                    }
                    // The baseline always runs: every ratio is relative to it.
                    o.contenders = CONTENDERS
                        .iter()
                        .filter(|c| c.key == "raw" || keys.iter().any(|k| k == c.key))
                        .copied()
                        .collect();
                }
                "--no-build" => o.build = false,
                "--no-memory" => o.memory = false,
                "--write-readme" => o.write_readme = true,
                "--postgres-url" => o.postgres_url = value()?,
                "--mysql-url" => o.mysql_url = value()?,
                "--sqlite-path" => o.sqlite_path = value()?,
                "-h" | "--help" => return Err(USAGE.to_owned()),
                _ => return Err(format!("unknown argument `{a}`\n{USAGE}")),
            }
        }
        o.rounds = o.rounds.max(1);
        Ok(o)
    }

    fn url(&self, backend: Backend) -> &str {
        match backend {
            Backend::Postgres => &self.postgres_url,
            Backend::Mysql => &self.mysql_url,
            Backend::Sqlite => &self.sqlite_path,
        }
    }

    fn wants(&self, workload: &str) -> bool {
        self.workloads
            .as_ref()
            .is_none_or(|w| w.iter().any(|x| x == workload))
    }
}

fn main() {
    let paths = Paths::new();
    let opts = match Options::parse(&paths) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let started = Instant::now();
    let mut notes: Vec<String> = Vec::new();

    // 1. Build.
    let mut contenders: Vec<Contender> = Vec::new();
    let mut families: Vec<(&str, Result<(), String>)> = Vec::new();
    for c in &opts.contenders {
        let built = match families.iter().find(|(f, _)| *f == c.family) {
            Some((_, r)) => r.clone(),
            None => {
                let r = if opts.build {
                    eprintln!("building contenders/{} ...", c.family);
                    exec::build(&paths, c.family)
                } else if paths.binary(c.binary).exists() {
                    Ok(())
                } else {
                    Err(format!(
                        "{} is not built (run without --no-build)",
                        c.binary
                    ))
                };
                families.push((c.family, r.clone()));
                r
            }
        };
        match built {
            Ok(()) => contenders.push(*c),
            Err(e) => {
                eprintln!("contender `{}` left out: build failed:\n{e}", c.key);
                notes.push(format!(
                    "`{}` was left out: its build failed ({})",
                    c.key,
                    e.lines().next().unwrap_or("")
                ));
            }
        }
    }
    if contenders.first().is_none_or(|c| c.key != "raw") {
        eprintln!("the raw baseline did not build; nothing to compare against");
        std::process::exit(1);
    }

    // 2. Time every case.
    let mut results = Results::default();
    let mut versions: Vec<String> = Vec::new();
    let mut backends: Vec<Backend> = Vec::new();
    for &backend in &opts.backends {
        let url = opts.url(backend);
        match exec::server_version(&paths, backend, url) {
            Ok(v) => versions.push(v),
            Err(e) => {
                eprintln!("{backend}: skipped, server unreachable: {e}");
                notes.push(format!("{backend} was skipped: {e}"));
                continue;
            }
        }
        backends.push(backend);
        let cols: Vec<Contender> = contenders
            .iter()
            .filter(|c| c.backends.contains(&backend))
            .copied()
            .collect();
        for (ci, case) in CASES.iter().enumerate() {
            if !opts.wants(case.workload) {
                continue;
            }
            if let Err(e) = exec::seed(&paths, backend, url, case) {
                eprintln!("{backend} / {}: seeding failed: {e}", case.label);
                notes.push(format!("{backend} / {}: seeding failed: {e}", case.label));
                continue;
            }
            for round in 0..opts.rounds {
                for k in 0..cols.len() {
                    let c = &cols[(round + k) % cols.len()];
                    let cell = results
                        .cells
                        .entry((backend, ci, c.key))
                        .or_insert_with(Cell::default);
                    if cell.error.is_some() {
                        continue;
                    }
                    match exec::run(&paths, c, backend, url, case, opts.budget) {
                        Ok(run) => {
                            if let Some(m) = median(&run.samples) {
                                cell.round_medians.push(m);
                            }
                            cell.samples.extend(run.samples);
                        }
                        Err(e) => {
                            eprintln!("  {backend} / {} / {}: {e}", case.label, c.key);
                            cell.error = Some(e);
                        }
                    }
                }
            }
            let mut line = format!("{backend:>8} | {:<55}", case.label);
            for c in &cols {
                let m = results
                    .cells
                    .get(&(backend, ci, c.key))
                    .and_then(|c| median(&c.samples));
                match (m, results.ratio(backend, ci, c.key, "raw")) {
                    (Some(m), Some(r)) => {
                        let _ = write!(line, " | {} {} ({r:.2})", c.key, report::duration(m));
                    }
                    _ => {
                        let _ = write!(line, " | {} failed", c.key);
                    }
                }
            }
            eprintln!("{line}");
        }

        // 3. Memory.
        if opts.memory && opts.wants(MEMORY_CASE.workload) {
            match exec::seed(&paths, backend, url, &MEMORY_CASE) {
                Err(e) => notes.push(format!("{backend} / memory: seeding failed: {e}")),
                Ok(()) => {
                    let budget = Budget {
                        time: Duration::ZERO,
                        warmup: Duration::ZERO,
                        min_iters: 5,
                        max_iters: 5,
                        memory: true,
                    };
                    for c in &cols {
                        let m = match exec::run(&paths, c, backend, url, &MEMORY_CASE, budget) {
                            Ok(run) => Memory {
                                peak_heap: run.peak_heap,
                                vm_hwm_kib: run.vm_hwm_kib,
                                error: None,
                            },
                            Err(e) => Memory {
                                error: Some(e),
                                ..Memory::default()
                            },
                        };
                        results.memory.insert((backend, c.key), m);
                    }
                }
            }
        }
    }

    // 4. Report.
    let elapsed = started.elapsed();
    let tables =
        results.timing_tables(&backends, &contenders) + &results.peer_table(&backends, &contenders);
    println!("{tables}");
    println!("{}", results.memory_table(&backends, &contenders));
    let errors = results.errors();
    for e in &errors {
        println!("failed: {e}");
    }
    let noise = results.noise(&contenders);
    if let Some((m, max)) = noise {
        println!(
            "per-round ratios deviate from the reported ratio by a median of {:.0}% (90th percentile of cells: {:.0}%)",
            m * 100.0,
            max * 100.0
        );
    }
    println!("total time: {:.0} s", elapsed.as_secs_f64());
    if opts.write_readme {
        let section = readme_section(
            &paths,
            &opts,
            &contenders,
            &versions,
            &tables,
            &results,
            &backends,
            noise,
            &notes,
            &errors,
        );
        match write_readme(&paths, &section) {
            Ok(()) => eprintln!("benchmarks/README.md updated"),
            Err(e) => {
                eprintln!("cannot update README.md: {e}");
                std::process::exit(1);
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn readme_section(
    paths: &Paths,
    opts: &Options,
    contenders: &[Contender],
    servers: &[String],
    tables: &str,
    results: &Results,
    backends: &[Backend],
    noise: Option<(f64, f64)>,
    notes: &[String],
    errors: &[String],
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Run of {} on {}.\n", machine::date(), machine::machine());
    let _ = writeln!(
        s,
        "- Toolchain: {}; servers: {}.",
        machine::rustc(),
        servers.join(", ")
    );
    let mut families: Vec<&str> = contenders.iter().map(|c| c.family).collect();
    families.dedup();
    for f in families {
        let v = machine::locked_versions(&paths.family(f).join("Cargo.lock"));
        let v: Vec<String> = v.iter().map(|(n, v)| format!("{n} {v}")).collect();
        let extra = match (f, machine::commit(&paths.root)) {
            ("orm", Some(c)) => format!("orm at commit {c}, "),
            _ => String::new(),
        };
        let _ = writeln!(s, "- `contenders/{f}`: {extra}{}.", v.join(", "));
    }
    let _ = writeln!(
        s,
        "- {} rounds; per process {} ms warm-up, then {} ms of recorded iterations (at least {}); release builds.",
        opts.rounds,
        opts.budget.warmup.as_millis(),
        opts.budget.time.as_millis(),
        opts.budget.min_iters
    );
    match noise {
        Some((m, max)) => {
            let _ = writeln!(
                s,
                "- Noise: the machine is shared with other builds and test runs (load average {} when the run ended). A cell's per-round ratios deviate from its reported ratio by a median of {:.0}% (90th percentile of cells: {:.0}%).",
                machine::load_average(),
                m * 100.0,
                max * 100.0
            );
        }
        None => {
            let _ = writeln!(s, "- Noise: the machine is shared with other builds.");
        }
    }
    for n in notes {
        let _ = writeln!(s, "- {n}");
    }
    s.push_str(tables);
    let mem = results.memory_table(backends, contenders);
    if !mem.is_empty() {
        let _ = writeln!(
            s,
            "\nPeak memory, trivial query over 10,000 rows (worst of 5 iterations, fresh process per contender):"
        );
        s.push_str(&mem);
    }
    if !errors.is_empty() {
        s.push_str("\nFailures:\n\n");
        for e in errors {
            let _ = writeln!(s, "- {e}");
        }
    }
    s
}

const START: &str = "<!-- results:start -->";
const END: &str = "<!-- results:end -->";

fn write_readme(paths: &Paths, section: &str) -> Result<(), String> {
    let file = paths.root.join("README.md");
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let (Some(a), Some(b)) = (text.find(START), text.find(END)) else {
        return Err(format!(
            "{} lacks the {START} / {END} markers",
            file.display()
        ));
    };
    if b < a {
        return Err("results markers out of order".into());
    }
    let new = format!(
        "{}{START}\n{}\n{}",
        &text[..a],
        section.trim_end(),
        &text[b..]
    );
    std::fs::write(&file, new).map_err(|e| format!("{}: {e}", file.display()))
}
