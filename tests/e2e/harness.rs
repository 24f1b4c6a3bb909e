//! The test harness of the `e2e` binary: registration, prerequisites and a libtest-style runner.
//!
//! Every end-to-end test lives in one binary (`tests/e2e/`, one module per subject) so that the
//! crate is linked once, not once per file. The binary is built with `harness = false`, so
//! `#[test]` does nothing here: a test is a plain function registered with [`case!`] right
//! after it.
//!
//! ```text
//! fn export_then_import_is_the_identity() { … }
//! case!(export_then_import_is_the_identity);
//!
//! async fn healthz_reports_the_generation() { … }      // runs on a current-thread tokio runtime
//! case!(async healthz_reports_the_generation);
//!
//! fn the_page_renders_in_a_browser() { let chromium = harness::chromium(); … }
//! case!(the_page_renders_in_a_browser, requires(Chromium, Python));
//! ```
//!
//! A function that is written but not registered is dead code, which `cargo clippy -D warnings`
//! rejects, so a test cannot be forgotten silently. The test's name is its module path inside
//! the binary (`cli::queries`), so `cargo test --test e2e cli::` runs one module and
//! `cargo test --test e2e -- --exact cli::queries` one test.
//!
//! # Prerequisites
//! `requires(…)` names what the test needs from outside the repository ([`Requirement`]). When
//! one is missing the test is not run: plain `cargo test` lists it as `ignored` with the reason.
//! Under `INNOGRAPH_E2E_ALL=1` (set by `tests/all.sh`, which installs the tools) a missing tool
//! makes the test fail instead, so CI cannot pass by skipping. CORDIS data is the exception: it
//! is never installed, so a test needing it is ignored whenever it is absent. Inside the test,
//! [`python`], [`chromium`] and [`cordis_dir`] give the paths.
//!
//! # Runner
//! It understands the libtest flags that cargo, IDEs and nextest pass: filters, `--exact`,
//! `--skip`, `--list` (`--format terse`), `--ignored`, `--include-ignored`, `--test-threads`
//! (or `RUST_TEST_THREADS`), `-q`, and accepts `--nocapture`, `--show-output` and `--color`.
//! Output is not captured: a test's own prints appear as they happen. Each test runs on a thread
//! named after it, so a panic message names the test; failures are listed again at the end and
//! the process exits with 101, as libtest does.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Something a test needs from outside the repository.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requirement {
    /// A Python with the packages of `tests/requirements.txt`, at `$INNOGRAPH_PYTHON`.
    Python,
    /// A headless Chromium, at `$INNOGRAPH_CHROMIUM`.
    Chromium,
    /// The CORDIS H2020 subset (`organization.csv`, `topics.csv`), at `$INNOGRAPH_CORDIS_DIR`
    /// or `../shared/data/cordis-h2020` beside the crate. Optional even under
    /// `INNOGRAPH_E2E_ALL=1`.
    CordisData,
    /// Permission to mount a small tmpfs (root or `CAP_SYS_ADMIN`), for full-disk tests.
    /// Optional even under `INNOGRAPH_E2E_ALL=1`: CI runners often may not mount.
    TmpfsMount,
}

impl Requirement {
    /// Where it is, or why it is not available.
    fn locate(self) -> Result<PathBuf, String> {
        match self {
            Requirement::Python => tool_from_env(
                "INNOGRAPH_PYTHON",
                "a Python venv with tests/requirements.txt",
            ),
            Requirement::Chromium => tool_from_env("INNOGRAPH_CHROMIUM", "a headless Chromium"),
            Requirement::CordisData => {
                let dir = match std::env::var_os("INNOGRAPH_CORDIS_DIR") {
                    Some(d) => PathBuf::from(d),
                    None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                        .join("../shared/data/cordis-h2020"),
                };
                if dir.join("organization.csv").is_file() && dir.join("topics.csv").is_file() {
                    Ok(dir)
                } else {
                    Err(format!(
                        "no CORDIS data at {} (set INNOGRAPH_CORDIS_DIR to the folder holding organization.csv and topics.csv)",
                        dir.display()
                    ))
                }
            }
            Requirement::TmpfsMount => try_mount_tmpfs(),
        }
    }

    /// Whether `INNOGRAPH_E2E_ALL=1` turns its absence into a failure.
    fn mandatory_in_full_runs(self) -> bool {
        !matches!(self, Requirement::CordisData | Requirement::TmpfsMount)
    }
}

/// Mounts (and unmounts) a 1 MiB tmpfs on a temporary directory: `Ok("mount")` when that is
/// allowed here.
fn try_mount_tmpfs() -> Result<PathBuf, String> {
    let dir = tempfile::tempdir().map_err(|e| format!("no temporary directory: {e}"))?;
    let out = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(dir.path())
        .output()
        .map_err(|e| format!("cannot run mount: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let _ = std::process::Command::new("umount")
        .arg(dir.path())
        .status();
    Ok(PathBuf::from("mount"))
}

fn tool_from_env(var: &str, what: &str) -> Result<PathBuf, String> {
    match std::env::var_os(var) {
        Some(p) if !p.is_empty() => {
            let path = PathBuf::from(p);
            if path.is_file() {
                Ok(path)
            } else {
                Err(format!(
                    "{var}={} does not exist ({what}; tests/all.sh sets it up)",
                    path.display()
                ))
            }
        }
        _ => Err(format!(
            "{var} is not set ({what}; tests/all.sh sets it up)"
        )),
    }
}

#[track_caller]
fn located(requirement: Requirement) -> PathBuf {
    requirement.locate().unwrap_or_else(|why| {
        panic!("{requirement:?} is used but not declared with requires(…): {why}")
    })
}

/// The Python of `$INNOGRAPH_PYTHON`; only in a test registered with `requires(Python)`.
#[allow(
    dead_code,
    reason = "offered to the tests that read exports with Python"
)]
#[track_caller]
pub fn python() -> PathBuf {
    located(Requirement::Python)
}

/// The Chromium of `$INNOGRAPH_CHROMIUM`; only in a test registered with `requires(Chromium)`.
#[allow(dead_code, reason = "offered to the browser test")]
#[track_caller]
pub fn chromium() -> PathBuf {
    located(Requirement::Chromium)
}

/// The CORDIS data folder; only in a test registered with `requires(CordisData)`.
#[track_caller]
pub fn cordis_dir() -> PathBuf {
    located(Requirement::CordisData)
}

/// One registered test (built by [`case!`]).
pub struct Case {
    /// `module::function`, the module path inside the `e2e` binary.
    pub name: &'static str,
    /// The test body; it fails by panicking.
    pub run: fn(),
    /// What it needs from outside the repository.
    pub requires: &'static [Requirement],
}

inventory::collect!(Case);

/// Registers a test function of the `e2e` binary; see the [module docs](self).
macro_rules! case {
    (async $test:ident $(, requires($($need:ident),* $(,)?))?) => {
        $crate::harness::case!(@register $test, || $crate::harness::block_on($test()), [$($($need),*)?]);
    };
    ($test:ident $(, requires($($need:ident),* $(,)?))?) => {
        $crate::harness::case!(@register $test, $test, [$($($need),*)?]);
    };
    (@register $test:ident, $run:expr, [$($need:ident),*]) => {
        inventory::submit! {
            $crate::harness::Case {
                name: $crate::harness::strip_crate(concat!(module_path!(), "::", stringify!($test))),
                run: $run,
                requires: &[$($crate::harness::Requirement::$need),*],
            }
        }
    };
}
pub(crate) use case;

/// `e2e::cli::queries` → `cli::queries` (const, for the registration statics).
pub const fn strip_crate(path: &'static str) -> &'static str {
    let bytes = path.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b':' && bytes[i + 1] == b':' {
            let (_, rest) = bytes.split_at(i + 2);
            return match std::str::from_utf8(rest) {
                Ok(s) => s,
                Err(_) => path,
            };
        }
        i += 1;
    }
    path
}

/// Runs an async test body on a current-thread tokio runtime (what `#[tokio::test]` does).
pub fn block_on<F: std::future::Future<Output = ()>>(test: F) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("cannot build a tokio runtime for the test")
        .block_on(test)
}

/// Command-line options, as libtest spells them.
#[derive(Default)]
struct Options {
    filters: Vec<String>,
    skip: Vec<String>,
    exact: bool,
    list: bool,
    terse_list: bool,
    ignored_only: bool,
    include_ignored: bool,
    quiet: bool,
    threads: Option<usize>,
}

fn parse_options() -> Result<Options, String> {
    let mut o = Options::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--exact" => o.exact = true,
            "--list" => o.list = true,
            "--ignored" => o.ignored_only = true,
            "--include-ignored" => o.include_ignored = true,
            "-q" | "--quiet" => o.quiet = true,
            "--nocapture" | "--show-output" | "--bench" => {}
            "--skip" => o.skip.push(value("--skip")?),
            "--color" | "-Z" => {
                value(&arg)?;
            }
            "--format" => match value("--format")?.as_str() {
                "terse" => o.terse_list = true,
                "pretty" => {}
                other => {
                    return Err(format!(
                        "--format {other} is not supported (pretty or terse)"
                    ))
                }
            },
            "--test-threads" => o.threads = Some(parse_threads(&value("--test-threads")?)?),
            "-h" | "--help" => {
                println!("usage: e2e [FILTER…] [--exact] [--skip F] [--list] [--ignored|--include-ignored] [--test-threads N] [-q]\nSee tests/e2e/harness.rs.");
                std::process::exit(0);
            }
            flag if flag.starts_with("--color=") || flag.starts_with("-Z") => {}
            flag if flag.starts_with("--format=") => o.terse_list = flag == "--format=terse",
            flag if flag.starts_with("--test-threads=") => {
                o.threads = Some(parse_threads(&flag["--test-threads=".len()..])?)
            }
            flag if flag.starts_with("--skip=") => o.skip.push(flag["--skip=".len()..].to_string()),
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            filter => o.filters.push(filter.to_string()),
        }
    }
    Ok(o)
}

fn parse_threads(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("--test-threads wants a positive number, not {s:?}")),
    }
}

impl Options {
    fn selects(&self, name: &str) -> bool {
        let hit = |f: &String| {
            if self.exact {
                name == f
            } else {
                name.contains(f.as_str())
            }
        };
        (self.filters.is_empty() || self.filters.iter().any(hit)) && !self.skip.iter().any(hit)
    }
}

/// What became of one test.
enum Outcome {
    Passed,
    Ignored(String),
    Failed(String),
}

/// Decides whether a test needing `requires` can run: `Ok(())`, or the outcome it gets
/// instead. `force` (INNOGRAPH_E2E_ALL=1, `--ignored`, `--include-ignored`) turns a missing
/// mandatory tool into a failure; `locate` finds a requirement.
fn prerequisites(
    requires: &[Requirement],
    force: bool,
    locate: impl Fn(Requirement) -> Result<PathBuf, String>,
) -> Result<(), Outcome> {
    let mut missing = Vec::new();
    let mut fatal = false;
    for &need in requires {
        if let Err(why) = locate(need) {
            fatal |= force && need.mandatory_in_full_runs();
            missing.push(why);
        }
    }
    match (missing.is_empty(), fatal) {
        (true, _) => Ok(()),
        (false, false) => Err(Outcome::Ignored(missing.join("; "))),
        (false, true) => Err(Outcome::Failed(format!(
            "a prerequisite is missing and INNOGRAPH_E2E_ALL=1 (or --ignored) asks for every test: {}",
            missing.join("; ")
        ))),
    }
}

fn run_case(case: &Case, full_run: bool) -> Outcome {
    if let Err(outcome) = prerequisites(case.requires, full_run, Requirement::locate) {
        return outcome;
    }
    let body = case.run;
    let joined = std::thread::Builder::new()
        .name(case.name.to_string())
        .spawn(body)
        .map_err(|e| format!("cannot start the test thread: {e}"))
        .and_then(|handle| {
            handle
                .join()
                .map_err(|payload| panic_message(payload.as_ref()))
        });
    match joined {
        Ok(()) => Outcome::Passed,
        Err(message) => Outcome::Failed(message),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "the test panicked with a non-string payload".to_string()
    }
}

fn seconds(d: Duration) -> String {
    format!("{:.2}s", d.as_secs_f64())
}

/// Runs the registered tests selected by the command line; exits 101 if any failed.
pub fn main() {
    let options = match parse_options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(101);
        }
    };
    let mut cases: Vec<&'static Case> = inventory::iter::<Case>.into_iter().collect();
    cases.sort_by_key(|c| c.name);
    let total = cases.len();
    let full_run = std::env::var("INNOGRAPH_E2E_ALL").is_ok_and(|v| v == "1");
    // A test whose prerequisite is missing is what libtest would call ignored: --ignored
    // selects exactly those and --include-ignored adds them; both make them fail if run.
    let selected: Vec<&'static Case> = cases
        .into_iter()
        .filter(|c| options.selects(c.name))
        .filter(|c| !options.ignored_only || c.requires.iter().any(|r| r.locate().is_err()))
        .collect();
    let filtered_out = total - selected.len();

    if options.list {
        for c in &selected {
            println!("{}: test", c.name);
        }
        if !options.terse_list {
            println!("\n{} tests, 0 benchmarks", selected.len());
        }
        return;
    }

    let force = full_run || options.ignored_only || options.include_ignored;
    let threads = options
        .threads
        .or_else(|| {
            std::env::var("RUST_TEST_THREADS")
                .ok()
                .and_then(|t| t.parse().ok())
        })
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    println!("\nrunning {} tests", selected.len());
    let started = Instant::now();
    let queue = Mutex::new(selected.into_iter().collect::<VecDeque<_>>());
    let results: Mutex<Vec<(&'static str, Outcome)>> = Mutex::new(Vec::new());
    let report = |name: &str, outcome: &Outcome, took: Duration| {
        let line = match outcome {
            Outcome::Passed if options.quiet => ".".to_string(),
            Outcome::Ignored(_) if options.quiet => "i".to_string(),
            Outcome::Failed(_) if options.quiet => "F".to_string(),
            Outcome::Passed if took >= Duration::from_secs(1) => {
                format!("test {name} ... ok ({})\n", seconds(took))
            }
            Outcome::Passed => format!("test {name} ... ok\n"),
            Outcome::Ignored(why) => format!("test {name} ... ignored, {why}\n"),
            Outcome::Failed(_) => format!("test {name} ... FAILED ({})\n", seconds(took)),
        };
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(line.as_bytes());
        let _ = out.flush();
    };
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(case) = queue.lock().map(|mut q| q.pop_front()).unwrap_or(None) {
                    let t0 = Instant::now();
                    let outcome = run_case(case, force);
                    report(case.name, &outcome, t0.elapsed());
                    if let Ok(mut r) = results.lock() {
                        r.push((case.name, outcome));
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|(name, _)| *name);
    let count = |f: fn(&Outcome) -> bool| results.iter().filter(|(_, o)| f(o)).count();
    let passed = count(|o| matches!(o, Outcome::Passed));
    let ignored = count(|o| matches!(o, Outcome::Ignored(_)));
    let failed: Vec<_> = results
        .iter()
        .filter_map(|(name, o)| match o {
            Outcome::Failed(why) => Some((*name, why.as_str())),
            _ => None,
        })
        .collect();
    if options.quiet {
        println!();
    }
    if !failed.is_empty() {
        println!("\nfailures:\n");
        for (name, why) in &failed {
            println!("---- {name} ----\n{why}\n");
        }
        println!("failures:");
        for (name, _) in &failed {
            println!("    {name}");
        }
    }
    println!(
        "\ntest result: {}. {passed} passed; {} failed; {ignored} ignored; 0 measured; {filtered_out} filtered out; finished in {}\n",
        if failed.is_empty() { "ok" } else { "FAILED" },
        failed.len(),
        seconds(started.elapsed()),
    );
    if !failed.is_empty() {
        std::process::exit(101);
    }
}

// --- the harness's own tests ---------------------------------------------------------------

fn absent(r: Requirement) -> Result<PathBuf, String> {
    Err(format!("{r:?} is absent"))
}

fn present(_: Requirement) -> Result<PathBuf, String> {
    Ok(PathBuf::from("/found"))
}

fn a_missing_tool_is_ignored_with_its_reason_in_a_plain_run() {
    match prerequisites(&[Requirement::Python, Requirement::Chromium], false, absent) {
        Err(Outcome::Ignored(why)) => assert_eq!(why, "Python is absent; Chromium is absent"),
        _ => panic!("a missing tool must make the test ignored"),
    }
}
case!(a_missing_tool_is_ignored_with_its_reason_in_a_plain_run);

fn a_missing_tool_fails_the_test_in_a_full_run() {
    match prerequisites(&[Requirement::Chromium], true, absent) {
        Err(Outcome::Failed(why)) => assert!(why.contains("Chromium is absent"), "{why}"),
        _ => panic!("under INNOGRAPH_E2E_ALL=1 a missing tool must fail the test"),
    }
}
case!(a_missing_tool_fails_the_test_in_a_full_run);

fn missing_cordis_data_is_ignored_even_in_a_full_run() {
    assert!(matches!(
        prerequisites(&[Requirement::CordisData], true, absent),
        Err(Outcome::Ignored(_))
    ));
}
case!(missing_cordis_data_is_ignored_even_in_a_full_run);

fn a_test_with_its_tools_runs() {
    let all = [
        Requirement::Python,
        Requirement::Chromium,
        Requirement::CordisData,
    ];
    assert!(prerequisites(&all, true, present).is_ok());
    assert!(prerequisites(&[], true, absent).is_ok());
}
case!(a_test_with_its_tools_runs);

fn names_are_module_paths_inside_the_binary() {
    assert_eq!(strip_crate("e2e::cli::queries"), "cli::queries");
    assert_eq!(strip_crate("e2e"), "e2e");
    let this = inventory::iter::<Case>
        .into_iter()
        .find(|c| c.name.ends_with("names_are_module_paths_inside_the_binary"));
    assert_eq!(
        this.map(|c| c.name),
        Some("harness::names_are_module_paths_inside_the_binary")
    );
}
case!(names_are_module_paths_inside_the_binary);

fn filters_match_like_libtest() {
    let o = Options {
        filters: vec!["cli::".into()],
        skip: vec!["deletes".into()],
        ..Options::default()
    };
    assert!(o.selects("cli::queries"));
    assert!(!o.selects("cli::deletes"));
    assert!(!o.selects("gaps::coverage"));
    let exact = Options {
        filters: vec!["cli::queries".into()],
        exact: true,
        ..Options::default()
    };
    assert!(exact.selects("cli::queries"));
    assert!(!exact.selects("cli::queries_more"));
}
case!(filters_match_like_libtest);
