//! Criterion benches of the graph algorithms (issue "Parallel analytics"):
//! exact betweenness on a Barabási–Albert graph (n = 2,000, m = 4), PageRank, core numbers
//! and Louvain on a Holme–Kim graph (n = 50,000, m = 5, p = 0.3). Small sample sizes keep
//! the whole run within a few minutes; and the JSON writing of a 200,000-row report:
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

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use innograph::algo::betweenness::{betweenness, BetweennessOptions};
use innograph::algo::community::{louvain, LouvainOptions};
use innograph::algo::core::core_number;
use innograph::algo::pagerank::{pagerank, PageRankOptions};
use innograph::algo::parallel::Parallelism;
use innograph::algo::Silent;
use innograph::graph::Csr;
use innograph::query::{Algo, CentralityReport, CentralityRow};

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

/// Writing a centrality report's rows as JSON (issue 11: output at ≥ 200 MB/s): 200,000
/// rows of PageRank with ids, kinds and Chinese names, serialised row by row into a buffer
/// as `centrality --format json` does (compact, and indented as on a terminal).
fn bench_output(c: &mut Criterion) {
    let rows = (0..200_000u32)
        .map(|i| CentralityRow {
            id: format!("ent:{i:06}"),
            kind: "enterprise".into(),
            name: format!("上海示例科技有限公司{i}"),
            name_en: (i % 3 == 0).then(|| format!("Shanghai Example Technology {i}")),
            values: vec![1.0 / f64::from(i + 7)],
        })
        .collect();
    let report = CentralityReport {
        algos: vec![Algo::Pagerank],
        rows,
        summaries: Vec::new(),
        view_nodes: 200_000,
        view_ties: 0,
        view_seconds: 0.0,
    };
    let mut group = c.benchmark_group("output_200k_rows");
    group.sample_size(10);
    for pretty in [false, true] {
        let write = |out: &mut Vec<u8>| {
            out.clear();
            let rows = report.json_rows();
            if pretty {
                serde_json::to_writer_pretty(&mut *out, &rows).expect("in memory")
            } else {
                serde_json::to_writer(&mut *out, &rows).expect("in memory")
            }
        };
        let mut out = Vec::new();
        write(&mut out);
        group.throughput(Throughput::Bytes(out.len() as u64));
        let label = if pretty {
            "json_pretty"
        } else {
            "json_compact"
        };
        group.bench_function(label, |b| b.iter(|| write(black_box(&mut out))));
    }
    group.finish();
}

criterion_group!(benches, bench_betweenness, bench_structure, bench_output);
criterion_main!(benches);
