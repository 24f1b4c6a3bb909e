//! Load test of `innograph serve`: a minimal HTTP/1.1 keep-alive client on tokio.
//!
//! ```text
//! cargo run --release --example load -- --addr 127.0.0.1:8080 --mode open --rate 200 --seconds 30
//! cargo run --release --example load -- --addr 127.0.0.1:8080 --mode closed --connections 64 --seconds 30
//! ```
//!
//! The request mix: 50% `GET /api/v1/nodes/{id}`, 25% `GET /api/v1/nodes/{id}/neighbors`
//! (depth 1, first 100), 25% `GET /api/v1/centrality` (one of a few questions, top 100;
//! computed once during the warm-up, then cached per generation). Ids are sampled from every
//! node kind. Open loop: requests are sent on a fixed schedule, whatever the answers, and
//! latency counts from the scheduled time (no coordinated omission). Closed loop: each
//! connection sends its next request when the previous one is answered.
//! See benches/load/run.sh, which builds a scale-10 store and runs both.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::Mutex;

const CENTRALITY: &[&str] = &[
    "/api/v1/centrality?algo=degree&top=100",
    "/api/v1/centrality?algo=pagerank&top=100",
    "/api/v1/centrality?algo=degree&kind=university&top=100",
    "/api/v1/centrality?algo=core&kind=enterprise&top=100",
];

struct Conn {
    reader: BufReader<TcpStream>,
}

impl Conn {
    async fn open(addr: &str) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            reader: BufReader::new(stream),
        })
    }

    /// Sends a GET and reads the response; returns the status and the body.
    async fn get(&mut self, addr: &str, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
        let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
        self.reader.get_mut().write_all(req.as_bytes()).await?;
        let mut line = String::new();
        self.reader.read_line(&mut line).await?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
        let mut length = None;
        loop {
            line.clear();
            if self.reader.read_line(&mut line).await? == 0 {
                return Err(std::io::Error::other("connection closed in headers"));
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse::<usize>().ok();
                }
            }
        }
        let length = length.ok_or_else(|| std::io::Error::other("no content-length"))?;
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).await?;
        Ok((status, body))
    }
}

/// Connections shared by the open-loop sender.
struct Pool {
    addr: String,
    idle: Mutex<Vec<Conn>>,
}

impl Pool {
    async fn get(&self, path: &str) -> std::io::Result<u16> {
        let conn = self.idle.lock().await.pop();
        let mut conn = match conn {
            Some(c) => c,
            None => Conn::open(&self.addr).await?,
        };
        let (status, _) = conn.get(&self.addr, path).await?;
        self.idle.lock().await.push(conn);
        Ok(status)
    }
}

/// A tiny deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn encode(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~:".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn pick(rng: &mut Rng, ids: &[String]) -> String {
    let id = encode(&ids[rng.below(ids.len())]);
    match rng.below(4) {
        0 | 1 => format!("/api/v1/nodes/{id}"),
        2 => format!("/api/v1/nodes/{id}/neighbors?depth=1&limit=100"),
        _ => CENTRALITY[rng.below(CENTRALITY.len())].to_string(),
    }
}

async fn sample_ids(addr: &str) -> std::io::Result<Vec<String>> {
    let mut conn = Conn::open(addr).await?;
    let (_, body) = conn.get(addr, "/api/v1/stats").await?;
    let stats: serde_json::Value = serde_json::from_slice(&body).map_err(std::io::Error::other)?;
    let mut ids = Vec::new();
    for kind in stats["nodes"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.keys())
    {
        let (_, body) = conn
            .get(addr, &format!("/api/v1/nodes?kind={kind}&limit=500"))
            .await?;
        let page: serde_json::Value =
            serde_json::from_slice(&body).map_err(std::io::Error::other)?;
        for item in page["items"].as_array().into_iter().flatten() {
            if let Some(id) = item["id"].as_str() {
                ids.push(id.to_string());
            }
        }
    }
    Ok(ids)
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

fn report(label: &str, mut micros: Vec<u64>, errors: u64, elapsed: Duration) {
    micros.sort_unstable();
    println!(
        "{label}: {} ok, {errors} errors in {:.1} s = {:.0} req/s; latency ms p50 {:.2}, p90 {:.2}, p99 {:.2}, max {:.2}",
        micros.len(),
        elapsed.as_secs_f64(),
        micros.len() as f64 / elapsed.as_secs_f64(),
        percentile(&micros, 0.50),
        percentile(&micros, 0.90),
        percentile(&micros, 0.99),
        micros.last().copied().unwrap_or(0) as f64 / 1000.0,
    );
}

struct Args {
    addr: String,
    mode: String,
    rate: f64,
    seconds: f64,
    connections: usize,
}

fn args() -> Args {
    let mut a = Args {
        addr: "127.0.0.1:8080".into(),
        mode: "open".into(),
        rate: 200.0,
        seconds: 30.0,
        connections: 64,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i + 1 < argv.len() {
        let v = argv[i + 1].clone();
        match argv[i].as_str() {
            "--addr" => a.addr = v,
            "--mode" => a.mode = v,
            "--rate" => a.rate = v.parse().expect("--rate"),
            "--seconds" => a.seconds = v.parse().expect("--seconds"),
            "--connections" => a.connections = v.parse().expect("--connections"),
            other => panic!("unknown option {other}"),
        }
        i += 2;
    }
    a
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = args();
    let ids = Arc::new(sample_ids(&args.addr).await?);
    println!("sampled {} ids", ids.len());
    // Warm-up: compute the cached analyses once.
    let mut conn = Conn::open(&args.addr).await?;
    for path in CENTRALITY {
        let t = Instant::now();
        let (status, _) = conn.get(&args.addr, path).await?;
        println!(
            "warm-up {path}: {status} in {:.0} ms",
            t.elapsed().as_secs_f64() * 1e3
        );
    }
    let duration = Duration::from_secs_f64(args.seconds);
    let errors = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut micros = Vec::new();
    if args.mode == "open" {
        let pool = Arc::new(Pool {
            addr: args.addr.clone(),
            idle: Mutex::new(Vec::new()),
        });
        let total = (args.rate * args.seconds) as u64;
        let interval = Duration::from_secs_f64(1.0 / args.rate);
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut tasks = Vec::with_capacity(total as usize);
        for i in 0..total {
            let due = started + interval * i as u32;
            tokio::time::sleep_until(due.into()).await;
            let path = pick(&mut rng, &ids);
            let pool = Arc::clone(&pool);
            let errors = Arc::clone(&errors);
            tasks.push(tokio::spawn(async move {
                match pool.get(&path).await {
                    Ok(200) => Some(due.elapsed().as_micros() as u64),
                    Ok(status) => {
                        eprintln!("{status} for {path}");
                        errors.fetch_add(1, Ordering::Relaxed);
                        None
                    }
                    Err(e) => {
                        eprintln!("error for {path}: {e}");
                        errors.fetch_add(1, Ordering::Relaxed);
                        None
                    }
                }
            }));
        }
        for t in tasks {
            if let Ok(Some(us)) = t.await {
                micros.push(us);
            }
        }
        let elapsed = started.elapsed();
        report(
            &format!("open loop {} req/s", args.rate),
            micros,
            errors.load(Ordering::Relaxed),
            elapsed,
        );
    } else {
        let mut tasks = Vec::new();
        for c in 0..args.connections {
            let ids = Arc::clone(&ids);
            let addr = args.addr.clone();
            let errors = Arc::clone(&errors);
            tasks.push(tokio::spawn(async move {
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((c as u64 + 1) * 0x2545_F491));
                let mut out = Vec::new();
                let mut conn = None;
                while started.elapsed() < duration {
                    let path = pick(&mut rng, &ids);
                    let t = Instant::now();
                    if conn.is_none() {
                        conn = Conn::open(&addr).await.ok();
                    }
                    let Some(c) = conn.as_mut() else {
                        errors.fetch_add(1, Ordering::Relaxed);
                        continue;
                    };
                    match c.get(&addr, &path).await {
                        Ok((200, _)) => out.push(t.elapsed().as_micros() as u64),
                        Ok((status, _)) => {
                            eprintln!("{status} for {path}");
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => {
                            eprintln!("error for {path}: {e}");
                            errors.fetch_add(1, Ordering::Relaxed);
                            conn = None;
                        }
                    }
                }
                out
            }));
        }
        for t in tasks {
            if let Ok(v) = t.await {
                micros.extend(v);
            }
        }
        let elapsed = started.elapsed();
        report(
            &format!("closed loop {} connections", args.connections),
            micros,
            errors.load(Ordering::Relaxed),
            elapsed,
        );
    }
    Ok(())
}
