//! innograph's own components, cuts and Dijkstra against petgraph's, run on the same view
//! through petgraph's visit traits: which of the two the library uses (BENCHMARKS.md,
//! "petgraph on the view").
//!
//! ```text
//! cargo run --release --example bench_petgraph EDGELIST [REPEAT]
//! ```
//!
//! `EDGELIST` holds `u v` per line (0-based ids; `benches/peers/run.py` writes
//! `benches/out/hk_200k.edges`). The graph is built undirected with unit weights; a
//! directed copy orients every tie at random (seeded) for strongly connected components,
//! and a weighted copy draws strengths 1..=5 for Dijkstra. Each measurement is the median
//! of `REPEAT` (default 5) runs, one thread.

use std::io::{BufRead, BufReader};
use std::time::Instant;

use petgraph::visit::EdgeRef;

use innograph::algo::components::{connected_components, strongly_connected_components};
use innograph::algo::cuts::cuts;
use innograph::algo::rng::SplitMix64;
use innograph::algo::shortest_paths::{tie_length, Direction, ShortestPathDag};
use innograph::graph::Csr;

fn median_seconds(repeat: usize, mut run: impl FnMut() -> usize) -> (f64, usize) {
    let mut times = Vec::with_capacity(repeat);
    let mut answer = 0;
    for _ in 0..repeat {
        let t = Instant::now();
        answer = std::hint::black_box(run());
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], answer)
}

fn row(what: &str, ours: (f64, usize), theirs: (f64, usize)) {
    assert_eq!(ours.1, theirs.1, "{what}: the two disagree");
    println!(
        "| {what} | {:.4} s | {:.4} s | {:.2}× | {} |",
        ours.0,
        theirs.0,
        ours.0 / theirs.0,
        ours.1
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .expect("usage: bench_petgraph EDGELIST [REPEAT]");
    let repeat: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let file = std::fs::File::open(path).expect("cannot open the edge list");
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut n = 0usize;
    for line in BufReader::new(file).lines() {
        let line = line.expect("cannot read the edge list");
        let mut it = line.split_whitespace();
        if let (Some(a), Some(b)) = (it.next(), it.next()) {
            let (a, b): (u32, u32) = (a.parse().expect("id"), b.parse().expect("id"));
            n = n.max(a.max(b) as usize + 1);
            pairs.push((a, b));
        }
    }
    let mut rng = SplitMix64::new(7);
    let undirected = Csr::from_pairs(n, false, &pairs);
    let oriented: Vec<(u32, u32)> = pairs
        .iter()
        .map(|&(a, b)| {
            if rng.next_u64() & 1 == 0 {
                (a, b)
            } else {
                (b, a)
            }
        })
        .collect();
    let directed = Csr::from_pairs(n, true, &oriented);
    let weighted: Vec<(u32, u32, f64)> = pairs
        .iter()
        .map(|&(a, b)| (a, b, 1.0 + rng.index(5) as f64))
        .collect();
    let weighted = Csr::from_edges(n, false, &weighted);
    println!(
        "{path}: n = {n}, m = {}; median of {repeat}, one thread\n",
        undirected.edge_count()
    );
    println!("| algorithm | innograph | petgraph on the view | ratio | answer |");
    println!("|---|---:|---:|---:|---:|");

    row(
        "connected components (innograph: labels; petgraph: count)",
        median_seconds(repeat, || connected_components(&undirected).count()),
        median_seconds(repeat, || petgraph::algo::connected_components(&undirected)),
    );
    row(
        "strongly connected components (random orientation)",
        median_seconds(repeat, || strongly_connected_components(&directed).count()),
        median_seconds(repeat, || petgraph::algo::tarjan_scc(&directed).len()),
    );
    row(
        "articulation points",
        median_seconds(repeat, || cuts(&undirected).articulation_points.len()),
        median_seconds(repeat, || {
            petgraph::algo::articulation_points::articulation_points(&undirected).len()
        }),
    );
    row(
        "bridges",
        median_seconds(repeat, || cuts(&undirected).bridges.len()),
        median_seconds(repeat, || {
            petgraph::algo::bridges(&undirected)
                .filter(|e| e.source() < e.target())
                .count()
        }),
    );
    let mut dag = ShortestPathDag::new(n);
    let sources: Vec<usize> = (0..8).map(|_| rng.index(n)).collect();
    row(
        "weighted single-source shortest paths, 8 sources (innograph: Brandes DAG with path counts)",
        median_seconds(repeat, || {
            let mut reached = 0;
            for &s in &sources {
                dag.dijkstra(&weighted, s, Direction::Forward);
                reached += dag.order().len();
            }
            reached
        }),
        median_seconds(repeat, || {
            let mut reached = 0;
            for &s in &sources {
                reached += petgraph::algo::dijkstra(&weighted, s as u32, None, |e| {
                    tie_length(*e.weight()).unwrap_or(f64::INFINITY)
                })
                .len();
            }
            reached
        }),
    );
}
