//! Times PageRank, core numbers and Louvain on a seeded Holme–Kim (power-law cluster)
//! graph, n = 200,000, m = 5, p = 0.3 (NetworkX `powerlaw_cluster_graph` algorithm, own
//! splitmix64 generator).
//!
//! ```text
//! cargo run --release --example bench_structure [n] [seed]
//! ```

use std::time::Instant;

use innograph::algo::community::{louvain, LouvainOptions};
use innograph::algo::core::core_number;
use innograph::algo::pagerank::{pagerank, PageRankOptions};
use innograph::algo::parallel::Parallelism;
use innograph::algo::Silent;
use innograph::graph::Csr;

#[path = "../benches/graphs/mod.rs"]
mod graphs;

use graphs::holme_kim;

fn thread_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns / 1e9)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(200_000);
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(42);
    let t = Instant::now();
    let edges = holme_kim(n, 5, 0.3, seed);
    let g = Csr::from_pairs(n, false, &edges);
    println!(
        "Holme-Kim n={} m=5 p=0.3 seed={}: {} ties, built in {:.3} s; rayon threads {}",
        g.node_count(),
        seed,
        g.edge_count(),
        t.elapsed().as_secs_f64(),
        rayon::current_num_threads()
    );

    let on_all_threads = Parallelism {
        threads: None,
        min_nodes: 0,
    };
    for (label, parallelism) in [
        ("sequential", Parallelism::sequential()),
        ("parallel", on_all_threads),
    ] {
        let opts = PageRankOptions {
            parallelism,
            ..Default::default()
        };
        let mut best = f64::INFINITY;
        let mut best_cpu = f64::INFINITY;
        for _ in 0..5 {
            let (t, cpu) = (Instant::now(), thread_cpu_seconds());
            let pr = pagerank(&g, &opts, &Silent).expect("PageRank converges");
            best = best.min(t.elapsed().as_secs_f64());
            best_cpu = best_cpu.min(thread_cpu_seconds() - cpu);
            std::hint::black_box(pr);
        }
        // The CPU figure counts the calling thread only (meaningful for the sequential run).
        println!("pagerank ({label}, tol 1e-6): best of 5 {best:.4} s wall, {best_cpu:.4} s on CPU (main thread)");
    }

    let (mut best, mut best_cpu) = (f64::INFINITY, f64::INFINITY);
    let mut kmax = 0;
    for _ in 0..5 {
        let (t, cpu) = (Instant::now(), thread_cpu_seconds());
        let core = core_number(&g);
        best = best.min(t.elapsed().as_secs_f64());
        best_cpu = best_cpu.min(thread_cpu_seconds() - cpu);
        kmax = core.iter().copied().max().unwrap_or(0);
    }
    println!("core_number: best of 5 {best:.4} s wall, {best_cpu:.4} s on CPU (max core {kmax})");

    for s in 0..3u64 {
        let (t, cpu) = (Instant::now(), thread_cpu_seconds());
        let r = louvain(
            &g,
            &LouvainOptions {
                seed: s,
                ..Default::default()
            },
            &Silent,
        )
        .expect("not cancelled");
        println!(
            "louvain seed {s}: {:.3} s wall, {:.3} s on CPU, modularity {:.4}, {} communities, {} levels",
            t.elapsed().as_secs_f64(),
            thread_cpu_seconds() - cpu,
            r.modularity,
            r.sizes.len(),
            r.levels
        );
    }
}
