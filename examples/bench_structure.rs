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
use innograph::algo::Silent;
use innograph::graph::{Adjacency, Csr};

struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, bound: usize) -> usize {
        ((self.next_u64() as u128 * bound as u128) >> 64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Holme & Kim (2002) growing graph with preferential attachment and triad formation, as
/// NetworkX `powerlaw_cluster_graph(n, m, p)`.
fn holme_kim(n: usize, m: usize, p: f64, seed: u64) -> Vec<(u32, u32)> {
    let mut rng = SplitMix64(seed);
    let mut adj: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut edges = Vec::with_capacity(n * m);
    let mut repeated: Vec<u32> = (0..m as u32).collect();
    let mut add = |adj: &mut Vec<Vec<u32>>, a: usize, b: usize| {
        adj[a].push(b as u32);
        adj[b].push(a as u32);
        edges.push((a as u32, b as u32));
    };
    let mut neighborhood: Vec<u32> = Vec::new();
    for source in m..n {
        // m distinct targets drawn from the degree-weighted list.
        let mut targets: Vec<u32> = Vec::with_capacity(m);
        while targets.len() < m {
            let x = repeated[rng.below(repeated.len())];
            if !targets.contains(&x) {
                targets.push(x);
            }
        }
        let Some(mut target) = targets.pop() else {
            break;
        };
        add(&mut adj, source, target as usize);
        repeated.push(target);
        let mut count = 1;
        while count < m {
            if rng.unit() < p {
                neighborhood.clear();
                for &nb in &adj[target as usize] {
                    if nb as usize != source && !adj[source].contains(&nb) {
                        neighborhood.push(nb);
                    }
                }
                if !neighborhood.is_empty() {
                    let nb = neighborhood[rng.below(neighborhood.len())];
                    add(&mut adj, source, nb as usize);
                    repeated.push(nb);
                    count += 1;
                    continue;
                }
            }
            let Some(t) = targets.pop() else { break };
            target = t;
            add(&mut adj, source, target as usize);
            repeated.push(target);
            count += 1;
        }
        repeated.extend(std::iter::repeat_n(source as u32, m));
    }
    edges
}

/// Time this thread has spent on a CPU (Linux schedstat; NaN elsewhere). On a shared
/// machine this is less noisy than wall time for single-threaded work.
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

    for (label, threshold) in [("sequential", usize::MAX), ("parallel", 0)] {
        let opts = PageRankOptions {
            parallel_threshold: threshold,
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
