//! Stores the planners' commands are tested on: small hand-written graphs, the Shanghai
//! fixtures, and generated ecosystems (whose CSV files the tests recount independently).

use std::path::{Path, PathBuf};

use crate::generate::{generate, GenerateOptions, GenerateSummary};
use crate::ingest::{self, Files, ImportOptions, InputFile};
use crate::model::Schema;
use crate::store::Store;

/// A store in a temporary directory (removed with it).
pub struct TestStore {
    /// The store.
    pub store: Store,
    /// Its directory; also holds the generated CSV files, if any.
    pub dir: tempfile::TempDir,
}

fn import(store: &Store, files: Vec<PathBuf>) {
    let mut input = Files(files.into_iter().map(InputFile::new).collect());
    ingest::import(
        store,
        &mut input,
        ImportOptions::default(),
        "test data",
        &mut |_| {},
        &|| false,
    )
    .unwrap_or_else(|e| match e {
        ingest::ImportError::Invalid(r) => panic!("{:?}", r.issues),
        other => panic!("{other}"),
    });
}

/// A store holding the given CSV node and edge files.
pub fn from_csv(nodes: &str, edges: &str) -> TestStore {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = Store::init(&dir.path().join("db"), Schema::builtin(), None).unwrap();
    let n = dir.path().join("nodes.csv");
    let e = dir.path().join("edges.csv");
    std::fs::write(&n, nodes).unwrap();
    std::fs::write(&e, edges).unwrap();
    import(&store, vec![n, e]);
    TestStore { store, dir }
}

/// A store holding the Shanghai fixtures.
pub fn shanghai() -> TestStore {
    from_csv(
        crate::fixtures::SHANGHAI_NODES_CSV,
        crate::fixtures::SHANGHAI_EDGES_CSV,
    )
}

/// A generated ecosystem at `scale` (seed 42), its CSV files under `dir/gen`.
pub fn generated(scale: f64) -> (TestStore, GenerateSummary) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gen");
    let summary = generate(&GenerateOptions { scale, seed: 42 }, &out).unwrap();
    let (store, _) = Store::init(&dir.path().join("db"), Schema::builtin(), None).unwrap();
    import(&store, summary.files.clone());
    (TestStore { store, dir }, summary)
}

/// The Shanghai fixtures, then a generated ecosystem at `scale` (seed 42) imported over
/// them — the way `overview` then `import gen/*.csv` builds one — and the generated
/// ecosystem alone, for comparison.
pub fn fixtures_and_generated(scale: f64) -> (TestStore, TestStore) {
    let (alone, summary) = generated(scale);
    let both = shanghai();
    import(&both.store, summary.files.clone());
    (both, alone)
}

/// The generated figure with this label.
pub fn figure(summary: &GenerateSummary, label: &str) -> f64 {
    summary
        .figures
        .iter()
        .find(|f| f.label == label)
        .unwrap_or_else(|| panic!("no generated figure `{label}`"))
        .actual
}

/// The rows of a generated CSV file as maps from column name (type annotation removed) to
/// cell, read with the csv crate independently of the importer.
pub fn csv_rows(dir: &Path, file_suffix: &str) -> Vec<std::collections::HashMap<String, String>> {
    let path = std::fs::read_dir(dir.join("gen"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(file_suffix))
        .unwrap_or_else(|| panic!("no generated file *{file_suffix}"));
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.split(':').next().unwrap_or(h).to_string())
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}
