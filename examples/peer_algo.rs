//! Runs one of innograph's graph algorithms on a plain edge list and prints its in-process
//! timings as JSON: the innograph side of the peer comparison (`benches/peers/run.py`).
//!
//! ```text
//! cargo build --release --example peer_algo
//! target/release/examples/peer_algo ALGO EDGELIST [--repeat N] [--threads T]
//!     [--epsilon E --delta D --seed S] [--dump FILE]
//! ```
//!
//! `ALGO` is one of `betweenness`, `closeness`, `harmonic`, `pagerank`, `core`, `louvain`,
//! `approx_betweenness`. `EDGELIST` holds `u v` per line (0-based integer ids, whitespace
//! separated, `#` starts a comment); the graph is built undirected and unweighted, on nodes
//! `0..=max id`. Only the algorithm call is timed (not reading or building). The JSON line
//! is `{"algo", "n", "m", "threads", "load_seconds", "seconds": [...], "median",
//! "checksum"}` where `checksum` is the sum of the values (the modularity for `louvain`).
//! `--dump FILE` writes the values of the last run, one per line (communities for louvain).
//! `--threads T` sizes rayon's global pool (T = 1 also makes PageRank sequential).
//!
//! Conventions (as NetworkX): betweenness normalised, closeness with Wasserman–Faust
//! scaling, harmonic unnormalised, PageRank α = 0.85 tol = 1e-6, Louvain resolution 1.

use std::io::{BufRead, BufReader, Write};
use std::time::Instant;

use innograph::algo::betweenness::{
    approximate_betweenness, betweenness, ApproxOptions, BetweennessOptions,
};
use innograph::algo::closeness::{closeness, harmonic};
use innograph::algo::community::{louvain, LouvainOptions};
use innograph::algo::core::core_number;
use innograph::algo::pagerank::{pagerank, PageRankOptions};
use innograph::algo::parallel::Parallelism;
use innograph::algo::Silent;
use innograph::graph::Csr;

fn usage() -> ! {
    eprintln!(
        "usage: peer_algo ALGO EDGELIST [--repeat N] [--threads T] \
         [--epsilon E --delta D --seed S] [--dump FILE]\n\
         ALGO: betweenness closeness harmonic pagerank core louvain approx_betweenness"
    );
    std::process::exit(2)
}

fn read_edges(path: &str) -> std::io::Result<(usize, Vec<(u32, u32)>)> {
    let file = std::fs::File::open(path)?;
    let mut pairs = Vec::new();
    let mut max_id: i64 = -1;
    for line in BufReader::with_capacity(1 << 20, file).lines() {
        let line = line?;
        let line = line.split('#').next().unwrap_or("");
        let mut it = line.split_whitespace();
        let (Some(a), Some(b)) = (it.next(), it.next()) else {
            continue;
        };
        let parse = |s: &str| {
            s.parse::<u32>().map_err(|e| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{s:?}: {e}"))
            })
        };
        let (u, v) = (parse(a)?, parse(b)?);
        max_id = max_id.max(u as i64).max(v as i64);
        pairs.push((u, v));
    }
    Ok(((max_id + 1) as usize, pairs))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        usage();
    }
    let algo = args[0].as_str();
    let path = args[1].as_str();
    let mut repeat = 1usize;
    let mut threads: Option<usize> = None;
    let (mut epsilon, mut delta, mut seed) = (0.05f64, 0.1f64, 1u64);
    let mut dump: Option<String> = None;
    let mut i = 2;
    while i < args.len() {
        let value = args.get(i + 1).unwrap_or_else(|| usage());
        match args[i].as_str() {
            "--repeat" => repeat = value.parse().unwrap_or_else(|_| usage()),
            "--threads" => threads = Some(value.parse().unwrap_or_else(|_| usage())),
            "--epsilon" => epsilon = value.parse().unwrap_or_else(|_| usage()),
            "--delta" => delta = value.parse().unwrap_or_else(|_| usage()),
            "--seed" => seed = value.parse().unwrap_or_else(|_| usage()),
            "--dump" => dump = Some(value.clone()),
            _ => usage(),
        }
        i += 2;
    }
    if let Some(t) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t.max(1))
            .build_global()
            .expect("rayon global pool");
    }

    let t = Instant::now();
    let (n, pairs) = read_edges(path).unwrap_or_else(|e| {
        eprintln!("peer_algo: cannot read {path}: {e}");
        std::process::exit(1)
    });
    let g = Csr::from_pairs(n, false, &pairs);
    drop(pairs);
    let load_seconds = t.elapsed().as_secs_f64();

    let par = Parallelism::auto();
    let mut seconds = Vec::with_capacity(repeat);
    let mut checksum = 0.0;
    let mut values: Vec<f64> = Vec::new();
    let mut extra = String::new();
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        match algo {
            "betweenness" => {
                values = betweenness(&g, &BetweennessOptions::default(), &par, &Silent)
                    .expect("not cancelled");
            }
            "closeness" => {
                values = closeness(&g, false, true, &par, &Silent).expect("not cancelled");
            }
            "harmonic" => {
                values = harmonic(&g, false, &par, &Silent).expect("not cancelled");
            }
            "pagerank" => {
                let opts = PageRankOptions {
                    weighted: false,
                    parallelism: if threads == Some(1) {
                        Parallelism::sequential()
                    } else {
                        Parallelism::auto_linear()
                    },
                    ..Default::default()
                };
                values = pagerank(&g, &opts, &Silent).expect("PageRank converges");
            }
            "core" => {
                values = core_number(&g).into_iter().map(|c| c as f64).collect();
            }
            "louvain" => {
                let r = louvain(
                    &g,
                    &LouvainOptions {
                        seed,
                        weighted: false,
                        ..Default::default()
                    },
                    &Silent,
                )
                .expect("not cancelled");
                checksum = r.modularity;
                extra = format!(",\"communities\":{},\"levels\":{}", r.sizes.len(), r.levels);
                values = r.communities.into_iter().map(|c| c as f64).collect();
            }
            "approx_betweenness" => {
                let r = approximate_betweenness(
                    &g,
                    &ApproxOptions {
                        epsilon,
                        delta,
                        seed,
                    },
                    &par,
                    &Silent,
                )
                .expect("valid parameters");
                extra = format!(
                    ",\"samples\":{},\"vertex_diameter_bound\":{}",
                    r.samples, r.vertex_diameter_bound
                );
                values = r.values;
            }
            _ => usage(),
        }
        seconds.push(t.elapsed().as_secs_f64());
        std::hint::black_box(&values);
    }
    if algo != "louvain" {
        checksum = values.iter().sum();
    }
    if let Some(dump) = dump {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&dump).expect("dump file"));
        for v in &values {
            writeln!(out, "{v:.17e}").expect("write dump");
        }
    }
    let mut sorted = seconds.clone();
    sorted.sort_by(f64::total_cmp);
    let median = if sorted.len() % 2 == 1 {
        sorted[sorted.len() / 2]
    } else {
        (sorted[sorted.len() / 2 - 1] + sorted[sorted.len() / 2]) / 2.0
    };
    let secs: Vec<String> = seconds.iter().map(|s| format!("{s:.6}")).collect();
    println!(
        "{{\"algo\":\"{algo}\",\"n\":{},\"m\":{},\"threads\":{},\"load_seconds\":{load_seconds:.6},\
         \"seconds\":[{}],\"median\":{median:.6},\"checksum\":{checksum:.12}{extra}}}",
        g.node_count(),
        g.edge_count(),
        rayon::current_num_threads(),
        secs.join(",")
    );
}
