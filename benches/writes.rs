//! Small writes, as a user makes them, on a generated store: N whole-process
//! `innograph import` runs of a one-line node file (`cli`), and N `POST /api/v1/nodes`
//! requests to a running `innograph serve` (`http`, one connection per request, the
//! response read in full), each one timed, with the database directory's size after each
//! write. Prints p50/p99 latency and the size after every tenth of them.
//!
//! ```text
//! cargo bench --bench writes -- [--scale 1] [--writes 100] [--mode cli|http|both]
//!                               [--bin PATH] [--dir DIR]
//! ```
//!
//! `--bin` measures another build of innograph (e.g. the one before a change) on the same
//! generated data; by default the release binary cargo built with this bench. The store and
//! the generated files go under `--dir` (default `target/bench-writes`), which is removed
//! and recreated. With `both`, the HTTP writes follow the CLI writes on the same store.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

struct Options {
    scale: u32,
    writes: usize,
    bin: PathBuf,
    dir: PathBuf,
    cli: bool,
    http: bool,
}

fn parse() -> Options {
    let mut options = Options {
        scale: 1,
        writes: 100,
        bin: PathBuf::from(env!("CARGO_BIN_EXE_innograph")),
        dir: PathBuf::from("target/bench-writes"),
        cli: true,
        http: true,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--scale" => options.scale = value().parse().expect("--scale N"),
            "--writes" => options.writes = value().parse().expect("--writes N"),
            "--bin" => options.bin = PathBuf::from(value()),
            "--dir" => options.dir = PathBuf::from(value()),
            "--mode" => {
                let mode = value();
                options.cli = mode == "cli" || mode == "both";
                options.http = mode == "http" || mode == "both";
                assert!(options.cli || options.http, "--mode cli|http|both");
            }
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
    if o.cli {
        let one = o.dir.join("one.csv");
        let one_s = one.to_string_lossy().to_string();
        let mut series = Series::new("cli import", o.writes, fresh, &db);
        for i in 0..o.writes {
            std::fs::write(
                &one,
                format!("id,kind,name\nent:bench{i:06},enterprise,Bench enterprise {i}\n"),
            )
            .expect("write the one-line file");
            let t = Instant::now();
            run(&o.bin, &["import", "--db", &db_s, &one_s]);
            series.push(t);
        }
        series.finish();
    }
    if o.http {
        let server = Server::start(&o.bin, &db);
        let mut series = Series::new("POST /nodes", o.writes, fresh, &db);
        for i in 0..o.writes {
            let body = format!(
                "{{\"id\":\"ent:http{i:06}\",\"kind\":\"enterprise\",\"name\":\"HTTP enterprise {i}\"}}"
            );
            let t = Instant::now();
            server.post("/api/v1/nodes", &body);
            series.push(t);
        }
        series.finish();
    }
}

/// Latencies of one kind of write, reported every tenth of them.
struct Series<'a> {
    label: &'static str,
    writes: usize,
    fresh: u64,
    db: &'a Path,
    latencies: Vec<f64>,
    batch: Vec<f64>,
}

impl<'a> Series<'a> {
    fn new(label: &'static str, writes: usize, fresh: u64, db: &'a Path) -> Series<'a> {
        Series {
            label,
            writes,
            fresh,
            db,
            latencies: Vec::with_capacity(writes),
            batch: Vec::new(),
        }
    }

    fn push(&mut self, started: Instant) {
        let ms = started.elapsed().as_secs_f64() * 1e3;
        self.latencies.push(ms);
        self.batch.push(ms);
        let done = self.latencies.len();
        if done % (self.writes / 10).max(1) == 0 || done == self.writes {
            self.batch.sort_by(f64::total_cmp);
            let size = dir_size(self.db);
            println!(
                "{}: after {done:>5} writes: {:>9} ({:.2}x fresh); last {} writes p50 {:.1} ms, p99 {:.1} ms",
                self.label,
                mb(size),
                size as f64 / self.fresh as f64,
                self.batch.len(),
                percentile(&self.batch, 50.0),
                percentile(&self.batch, 99.0),
            );
            self.batch.clear();
        }
    }

    fn finish(mut self) {
        self.latencies.sort_by(f64::total_cmp);
        let size = dir_size(self.db);
        println!(
            "{}: all {} writes: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {} on disk at the end ({:.2}x fresh)",
            self.label,
            self.latencies.len(),
            percentile(&self.latencies, 50.0),
            percentile(&self.latencies, 99.0),
            self.latencies[self.latencies.len() - 1],
            mb(size),
            size as f64 / self.fresh as f64
        );
    }
}

/// A running `innograph serve` with writes enabled; stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

const TOKEN: &str = "bench-writes";

impl Server {
    fn start(bin: &Path, db: &Path) -> Server {
        let mut child = Command::new(bin)
            .arg("--db")
            .arg(db)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("INNOGRAPH_TOKEN", TOKEN)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start innograph serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("serve's stdout"))
            .read_line(&mut line)
            .expect("serve prints its address");
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line from serve: {line:?}"))
            .to_string();
        Server { child, addr }
    }

    /// One request on a fresh connection; panics unless the answer is 201.
    fn post(&self, path: &str, body: &str) {
        let mut stream = TcpStream::connect(&self.addr).expect("connect to the server");
        write!(
            stream,
            "POST {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .expect("send the request");
        let mut reply = String::new();
        stream
            .read_to_string(&mut reply)
            .expect("read the response");
        assert!(
            reply.starts_with("HTTP/1.1 201"),
            "POST {path} failed: {reply}"
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
