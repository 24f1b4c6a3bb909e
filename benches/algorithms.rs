//! Criterion benches of the graph algorithms (issue "Parallel analytics"):
//! exact betweenness on a Barabási–Albert graph (n = 2,000, m = 4), PageRank, core numbers
//! and Louvain on a Holme–Kim graph (n = 50,000, m = 5, p = 0.3). Small sample sizes keep
//! the whole run within a few minutes:
//!
//! ```text
//! cargo bench --bench algorithms
//! ```
//!
//! The peer comparison (NetworKit, igraph, rustworkx, NetworkX) is `benches/peers/run.py`.

#![allow(missing_docs)] // criterion_main! generates an undocumented `main`

mod graphs;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use innograph::algo::betweenness::{betweenness, BetweennessOptions};
use innograph::algo::community::{louvain, LouvainOptions};
use innograph::algo::core::core_number;
use innograph::algo::pagerank::{pagerank, PageRankOptions};
use innograph::algo::parallel::Parallelism;
use innograph::algo::Silent;
use innograph::graph::Csr;

fn bench_betweenness(c: &mut Criterion) {
    let n = 2_000;
    let g = Csr::from_pairs(n, false, &graphs::barabasi_albert(n, 4, 1));
    let mut group = c.benchmark_group("betweenness_ba2000_m4");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    for (label, par) in [
        ("sequential", Parallelism::sequential()),
        ("parallel", Parallelism::auto()),
    ] {
        group.bench_function(label, |b| {
            b.iter(|| {
                black_box(
                    betweenness(&g, &BetweennessOptions::default(), &par, &Silent)
                        .expect("not cancelled"),
                )
            })
        });
    }
    group.finish();
}

fn bench_structure(c: &mut Criterion) {
    let n = 50_000;
    let g = Csr::from_pairs(n, false, &graphs::holme_kim(n, 5, 0.3, 1));
    let mut group = c.benchmark_group("holme_kim50000_m5");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(6));
    let on_all_threads = Parallelism {
        threads: None,
        min_nodes: 0,
    };
    for (label, parallelism) in [
        ("pagerank_sequential", Parallelism::sequential()),
        ("pagerank_parallel", on_all_threads),
    ] {
        let opts = PageRankOptions {
            weighted: false,
            parallelism,
            ..Default::default()
        };
        group.bench_function(label, |b| {
            b.iter(|| black_box(pagerank(&g, &opts, &Silent).expect("converges")))
        });
    }
    group.bench_function("core_number", |b| b.iter(|| black_box(core_number(&g))));
    group.bench_function("louvain", |b| {
        b.iter(|| {
            black_box(
                louvain(
                    &g,
                    &LouvainOptions {
                        seed: 1,
                        ..Default::default()
                    },
                    &Silent,
                )
                .expect("not cancelled"),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench_betweenness, bench_structure);
criterion_main!(benches);
