//! Helpers shared by the end-to-end tests: run the real `innograph` binary against
//! databases in temporary directories.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_innograph");

/// A small valid graph: the state the bad-input tests start from.
pub const BASE_NODES: &str = "\
id,kind,name,name_en
univ:a,university,甲大学,Alpha University
ent:b,enterprise,乙公司,Beta Company
inst:c,research_institute,丙研究所,
proj:p,project,示范项目,Pilot Project
plat:x,platform,概念验证中心,Proof-of-concept Centre
";

/// Edges of the small valid graph.
pub const BASE_EDGES: &str = "\
source,target,kind,key,weight,mode,amount:float
univ:a,ent:b,contracts_with,,,development,1000000.0
inst:c,ent:b,contracts_with,k1,2,transfer,
univ:a,inst:c,collaborates_with,,,,
univ:a,proj:p,leads,,,,
ent:b,plat:x,operates,,,,
";

/// What a finished run of the binary gave.
#[derive(Debug)]
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Standard error, lossily decoded.
    pub stderr: String,
}

impl Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Panics with both streams unless the exit code is `code`.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "expected exit code {code}, got {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// Panics unless the run succeeded.
    #[track_caller]
    pub fn ok(&self) -> &Run {
        self.expect_code(0)
    }

    /// Standard output parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// A `Command` for the binary with a clean environment for our variables.
pub fn cmd() -> Command {
    let mut c = Command::new(BIN);
    c.env_remove("INNOGRAPH_DB").stdin(Stdio::null());
    c
}

/// Runs `innograph --db DB ARGS...` to completion.
pub fn run(db: &Path, args: &[&str]) -> Run {
    let mut c = cmd();
    c.arg("--db").arg(db).args(args);
    Run::from(c.output().expect("cannot start the innograph binary"))
}

/// Runs `innograph ARGS...` in `cwd` without `--db`.
pub fn run_in(cwd: &Path, args: &[&str]) -> Run {
    let mut c = cmd();
    c.current_dir(cwd).args(args);
    Run::from(c.output().expect("cannot start the innograph binary"))
}

/// Writes `content` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).expect("cannot write a test file");
    path
}

/// Path as a `&str` (test paths are UTF-8).
pub fn s(path: &Path) -> &str {
    path.to_str().expect("test paths are UTF-8")
}

/// Creates a database at `dir/db` holding the small base graph; returns its path.
pub fn base_db(dir: &Path) -> PathBuf {
    let db = dir.join("db");
    let nodes = write(dir, "base_nodes.csv", BASE_NODES);
    let edges = write(dir, "base_edges.csv", BASE_EDGES);
    run(&db, &["init"]).ok();
    run(&db, &["import", s(&nodes), s(&edges)]).ok();
    db
}

/// The Shanghai fixtures' nodes.
pub const FIXTURE_NODES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/shanghai/nodes.csv");
/// The Shanghai fixtures' edges.
pub const FIXTURE_EDGES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/shanghai/edges.csv");

/// A database at `dir/name` holding the Shanghai fixtures; returns its path.
pub fn shanghai_db(dir: &Path, name: &str) -> PathBuf {
    let db = dir.join(name);
    run(&db, &["init"]).ok();
    run(&db, &["import", FIXTURE_NODES, FIXTURE_EDGES]).ok();
    db
}

/// Generates scale 0.1 (seed 42) into `dir/gen` and imports it into `dir/db`; returns both.
pub fn generated_db(dir: &Path) -> (PathBuf, PathBuf) {
    let gen = dir.join("gen");
    let db = dir.join("db");
    run(
        &db,
        &[
            "generate",
            "--scale",
            "0.1",
            "--seed",
            "42",
            "--out",
            s(&gen),
        ],
    )
    .ok();
    let mut files: Vec<String> = std::fs::read_dir(&gen)
        .expect("generate wrote its folder")
        .map(|e| e.expect("a readable folder entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .map(|p| s(&p).to_string())
        .collect();
    files.sort();
    run(&db, &["init"]).ok();
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    run(&db, &args).ok();
    (db, gen)
}

/// Runs `innograph ARGS...` with its standard output closed before it writes (`innograph …
/// | head -0`) and panics unless it exits 0 without a word on standard error.
#[track_caller]
pub fn assert_quiet_on_closed_pipe(args: &[&str]) {
    let mut child = cmd()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start the innograph binary");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("the binary ran");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    assert!(stderr.is_empty(), "{args:?} wrote to stderr: {stderr}");
}

/// The bytes of `export --format jsonl` (graph.jsonl).
#[track_caller]
pub fn export_jsonl(db: &Path, out: &Path) -> Vec<u8> {
    run(db, &["export", "--format", "jsonl", "--out", s(out)]).ok();
    std::fs::read(out.join("graph.jsonl")).expect("export wrote no graph.jsonl")
}

/// `stats --format json`, parsed.
#[track_caller]
pub fn stats(db: &Path) -> serde_json::Value {
    run(db, &["stats", "--format", "json"]).ok().json()
}

/// Panics unless `check` passes.
#[track_caller]
pub fn check_ok(db: &Path) {
    run(db, &["check"]).ok();
}

/// The generation the database is at, read from the `import`/`check` summary line.
pub fn generation(db: &Path) -> u64 {
    let r = run(db, &["check"]);
    r.ok();
    let rest = r
        .stdout
        .split("generation ")
        .nth(1)
        .unwrap_or_else(|| panic!("no generation in `check` output: {}", r.stdout));
    rest.split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no generation number in `check` output: {}", r.stdout))
}
