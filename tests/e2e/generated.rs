//! Generated data extends the Shanghai fixtures: the README's path (`innograph overview`
//! builds the database from the fixtures, then `generate` and `import gen/*.csv`) adds the
//! synthetic ecosystem and changes none of the fixtures' records, and no actor or field of
//! the fixtures appears under a second id.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::case;
use crate::common::{run, run_in, s};

/// The CSV files of `dir`, sorted, as `DIR/*.csv` lists them.
fn csv_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    files.sort();
    files
}

/// (id, kind, name, name_en) of every row of a node CSV file.
fn node_names(path: &Path) -> Vec<(String, String, String, String)> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (id, kind, name) = (
        col("id").unwrap(),
        col("kind").unwrap(),
        col("name").unwrap(),
    );
    let name_en = col("name_en");
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let en = name_en.map_or("", |i| &r[i]).to_string();
            (r[id].into(), r[kind].into(), r[name].into(), en)
        })
        .collect()
}

fn generated_data_extends_the_fixtures() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    run_in(cwd, &["overview"]).ok();
    let db = cwd.join("innograph.db");
    assert!(db.exists(), "overview built no database");
    let gen = cwd.join("gen");
    run(
        &db,
        &[
            "generate",
            "--scale",
            "0.05",
            "--seed",
            "42",
            "--out",
            s(&gen),
        ],
    )
    .ok();
    let files = csv_files(&gen);
    let mut args = vec!["import".to_string()];
    args.extend(files.iter().map(|p| s(p).to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = run(&db, &args);
    r.ok();
    assert!(r.stdout.contains(" new, 0 changed, "), "{}", r.stdout);
    assert!(!r.stdout.contains(" 0 new,"), "{}", r.stdout);

    // Every fixture actor and field is under one id only: its own.
    let out = cwd.join("export");
    run(&db, &["export", "--format", "csv", "--out", s(&out)]).ok();
    let stored = node_names(&out.join("nodes.csv"));
    let fixtures =
        node_names(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/shanghai/nodes.csv"));
    let mut ids_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (id, _, name, name_en) in &stored {
        for n in [name, name_en].into_iter().filter(|n| !n.is_empty()) {
            ids_of.entry(n.as_str()).or_default().insert(id.as_str());
        }
    }
    for (id, kind, name, name_en) in &fixtures {
        for n in [name, name_en].into_iter().filter(|n| !n.is_empty()) {
            let ids = &ids_of[n.as_str()];
            assert_eq!(
                ids.iter().copied().collect::<Vec<_>>(),
                [id.as_str()],
                "the {kind} {n} is stored under {ids:?}"
            );
        }
    }
    // The generator's own fields and districts are there too, beside the fixtures'.
    assert!(stored
        .iter()
        .any(|(id, ..)| id == "field:integrated-circuits"));
    assert!(stored.iter().any(|(id, ..)| id == "district:pudong"));
    assert!(!stored
        .iter()
        .any(|(id, ..)| id.contains('_') && (id.starts_with("field:") || id.starts_with("prog:"))));
}
case!(generated_data_extends_the_fixtures);
