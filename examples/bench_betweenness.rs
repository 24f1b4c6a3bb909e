//! Times exact betweenness on a seeded Barabási–Albert graph.
//!
//! `cargo run --release --example bench_betweenness -- [n] [m] [threads] [measures]`
//! (defaults: n = 10000, m = 4, threads = all of rayon's pool (0 also means that),
//! measures = 7: a bit mask, 1 exact betweenness, 2 weighted betweenness, 4 closeness).

use std::time::Instant;

use innograph::algo::betweenness::{betweenness, BetweennessOptions};
use innograph::algo::closeness::closeness;
use innograph::algo::parallel::Parallelism;
use innograph::algo::rng::SplitMix64;
use innograph::algo::Silent;
use innograph::graph::Csr;

/// Preferential attachment as NetworkX's `barabasi_albert_graph`: a star on `m + 1` nodes,
/// then each new node links to `m` distinct nodes drawn proportionally to degree.
fn barabasi_albert(n: usize, m: usize, seed: u64) -> Csr {
    let mut rng = SplitMix64::new(seed);
    let mut edges: Vec<(u32, u32)> = (1..=m as u32).map(|i| (0, i)).collect();
    let mut repeated: Vec<u32> = Vec::new();
    for &(a, b) in &edges {
        repeated.push(a);
        repeated.push(b);
    }
    let mut targets: Vec<u32> = Vec::with_capacity(m);
    for v in (m + 1) as u32..n as u32 {
        targets.clear();
        while targets.len() < m {
            let t = repeated[rng.index(repeated.len())];
            if !targets.contains(&t) {
                targets.push(t);
            }
        }
        for &t in &targets {
            edges.push((v, t));
            repeated.push(v);
            repeated.push(t);
        }
    }
    Csr::from_pairs(n, false, &edges)
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(10_000);
    let m = args.get(1).copied().unwrap_or(4);
    let par = match args.get(2) {
        Some(&t) if t > 0 => Parallelism::with_threads(t),
        _ => Parallelism::auto(),
    };
    let measures = args.get(3).copied().unwrap_or(7);
    let g = barabasi_albert(n, m, 42);
    println!(
        "BA graph: n = {}, m = {} ties; {} thread(s)",
        g.node_count(),
        g.edge_count(),
        par.effective_threads(n)
    );
    if measures & 1 != 0 {
        exact(&g, &par);
    }
    if measures & 2 != 0 {
        weighted(&g, &par);
    }
    if measures & 4 != 0 {
        let start = Instant::now();
        let c = closeness(&g, false, true, &par, &Silent);
        println!("closeness: {:.3?} (ok: {})", start.elapsed(), c.is_ok());
    }
}

fn exact(g: &Csr, par: &Parallelism) {
    let start = Instant::now();
    let bc = match betweenness(g, &BetweennessOptions::default(), par, &Silent) {
        Ok(bc) => bc,
        Err(e) => return eprintln!("{e}"),
    };
    let elapsed = start.elapsed();
    let max = bc.iter().copied().fold(0.0, f64::max);
    println!("exact betweenness: {elapsed:.3?} (max {max:.6})");
}

fn weighted(g: &Csr, par: &Parallelism) {
    let start = Instant::now();
    let weighted = betweenness(
        g,
        &BetweennessOptions {
            weighted: true,
            ..Default::default()
        },
        par,
        &Silent,
    );
    println!(
        "weighted betweenness: {:.3?} (ok: {})",
        start.elapsed(),
        weighted.is_ok()
    );
}
