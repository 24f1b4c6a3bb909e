//! Small writes, as a user makes them: N whole-process `innograph import` runs of a
//! one-line node file on a generated store, each one timed, with the database directory's
//! size after each write. Prints p50/p99 latency and the size after every tenth of them.
//!
//! ```text
//! cargo bench --bench writes -- [--scale 1] [--writes 100] [--bin PATH] [--dir DIR]
//! ```
//!
//! `--bin` measures another build of innograph (e.g. the one before a change) on the same
//! generated data; by default the release binary cargo built with this bench. The store and
//! the generated files go under `--dir` (default `target/bench-writes`), which is removed
//! and recreated.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

struct Options {
    scale: u32,
    writes: usize,
    bin: PathBuf,
    dir: PathBuf,
}

fn parse() -> Options {
    let mut options = Options {
        scale: 1,
        writes: 100,
        bin: PathBuf::from(env!("CARGO_BIN_EXE_innograph")),
        dir: PathBuf::from("target/bench-writes"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--scale" => options.scale = value().parse().expect("--scale N"),
            "--writes" => options.writes = value().parse().expect("--writes N"),
            "--bin" => options.bin = PathBuf::from(value()),
            "--dir" => options.dir = PathBuf::from(value()),
            // cargo bench passes --bench; anything else is a mistake.
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    options
}

fn run(bin: &Path, args: &[&str]) {
    let out = Command::new(bin)
        .args(args)
        .output()
        .expect("run innograph");
    assert!(
        out.status.success(),
        "innograph {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn dir_size(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn main() {
    let o = parse();
    let _ = std::fs::remove_dir_all(&o.dir);
    std::fs::create_dir_all(&o.dir).expect("create the bench directory");
    let data = o.dir.join("data");
    let db = o.dir.join("db");
    let (data_s, db_s) = (data.to_string_lossy(), db.to_string_lossy());
    let scale = o.scale.to_string();
    run(
        &o.bin,
        &[
            "generate", "--scale", &scale, "--seed", "42", "--out", &data_s,
        ],
    );
    let mut files: Vec<String> = std::fs::read_dir(&data)
        .expect("generated files")
        .flatten()
        .map(|e| e.path().to_string_lossy().to_string())
        .filter(|p| p.ends_with(".csv"))
        .collect();
    files.sort();
    run(&o.bin, &["init", "--db", &db_s]);
    let started = Instant::now();
    let mut import = vec!["import", "--db", &db_s];
    import.extend(files.iter().map(String::as_str));
    run(&o.bin, &import);
    let fresh = dir_size(&db);
    println!(
        "{}: scale {} imported in {:.1} s, {} on disk; {} one-record writes",
        o.bin.display(),
        o.scale,
        started.elapsed().as_secs_f64(),
        mb(fresh),
        o.writes
    );
    let one = o.dir.join("one.csv");
    let one_s = one.to_string_lossy().to_string();
    let mut latencies = Vec::with_capacity(o.writes);
    let mut batch = Vec::new();
    let report_every = (o.writes / 10).max(1);
    for i in 0..o.writes {
        std::fs::write(
            &one,
            format!("id,kind,name\nent:bench{i:06},enterprise,Bench enterprise {i}\n"),
        )
        .expect("write the one-line file");
        let t = Instant::now();
        run(&o.bin, &["import", "--db", &db_s, &one_s]);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        latencies.push(ms);
        batch.push(ms);
        let done = i + 1;
        if done % report_every == 0 || done == o.writes {
            batch.sort_by(f64::total_cmp);
            let size = dir_size(&db);
            println!(
                "after {done:>5} writes: {:>9} ({:.2}x fresh); last {} writes p50 {:.0} ms, p99 {:.0} ms",
                mb(size),
                size as f64 / fresh as f64,
                batch.len(),
                percentile(&batch, 50.0),
                percentile(&batch, 99.0),
            );
            batch.clear();
        }
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "all {} writes: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms; {} on disk at the end ({:.2}x fresh)",
        latencies.len(),
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        latencies[latencies.len() - 1],
        mb(dir_size(&db)),
        dir_size(&db) as f64 / fresh as f64
    );
}
