//! Import throughput and snapshot load time on synthetic data (see `common`).
//!
//! - `import/scale10`: CSV import of ~100k nodes and ~350k edges into a fresh store,
//!   reported as records per second.
//! - `snapshot_load/scale30`: `Store::open` + `Store::snapshot()` of a store holding
//!   ~250k nodes and ~1M edges (built once, outside the measurement).
//!
//! `INNOGRAPH_BENCH_WRITE_ONLY=1 cargo bench --bench ingest` only writes the data files
//! (into `$INNOGRAPH_BENCH_DATA` or `target/bench-data`) and prints their paths.

#![allow(missing_docs)] // criterion_main! generates an undocumented `main`

mod common;

use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, Criterion, Throughput};
use innograph::ingest::{self, Files, ImportOptions, InputFile};
use innograph::model::Schema;
use innograph::store::Store;

use common::{data_dir, write_data, DataSet, SCALE_10, SCALE_30};

const SEED: u64 = 0x0012_0240_D47A;

fn import_into(db: &Path, data: &DataSet) {
    let (store, _) = Store::init(db, Schema::builtin(), None).expect("init");
    let mut input = Files(vec![
        InputFile::new(&data.nodes_csv),
        InputFile::new(&data.edges_csv),
    ]);
    let report = ingest::import(
        &store,
        &mut input,
        ImportOptions::default(),
        "bench import",
        &mut |_| {},
        &|| false,
    )
    .expect("import");
    assert_eq!(report.nodes_read as usize, data.nodes);
    assert_eq!(report.edges_read as usize, data.edges);
    let m = report.manifest.expect("committed");
    assert_eq!(m.nodes as usize, data.nodes);
    assert_eq!(m.edges as usize, data.edges);
}

fn bench_import(c: &mut Criterion) {
    let data = write_data(&data_dir(), SCALE_10, SEED).expect("write data");
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(60));
    group.throughput(Throughput::Elements(data.records()));
    group.bench_function(SCALE_10.name, |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("tempdir"),
            |dir| {
                import_into(&dir.path().join("db"), &data);
                dir // dropped (deleted) outside the timing
            },
            criterion::BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn bench_snapshot_load(c: &mut Criterion) {
    let data = write_data(&data_dir(), SCALE_30, SEED).expect("write data");
    // The store is built once and kept next to the data (an import of this size takes
    // minutes); it is rebuilt when it does not open or does not hold the data's counts.
    let db = data_dir().join(format!("{}-db", SCALE_30.name));
    let reusable = Store::open(&db).is_ok_and(|s| {
        let m = s.manifest();
        m.nodes as usize == data.nodes && m.edges as usize == data.edges
    });
    if !reusable {
        let _ = std::fs::remove_dir_all(&db);
        import_into(&db, &data);
    }
    let mut group = c.benchmark_group("snapshot_load");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(15));
    group.throughput(Throughput::Elements(data.edges as u64));
    group.bench_function(SCALE_30.name, |b| {
        b.iter(|| {
            let store = Store::open(&db).expect("open");
            let snap = store.snapshot().expect("snapshot");
            assert_eq!(snap.edge_count(), data.edges);
            drop(snap);
            store // dropped (sled closes) outside the timing
        })
    });
    group.finish();
}

criterion_group!(benches, bench_import, bench_snapshot_load);

fn main() {
    if std::env::var_os("INNOGRAPH_BENCH_WRITE_ONLY").is_some() {
        let dir = data_dir();
        for scale in [SCALE_10, SCALE_30] {
            let d = write_data(&dir, scale, SEED).expect("write data");
            println!("{} {}", d.nodes_csv.display(), d.edges_csv.display());
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
