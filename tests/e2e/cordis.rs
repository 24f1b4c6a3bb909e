//! CORDIS import on the real H2020 subset, when it is available.
//!
//! The data folder is `$INNOGRAPH_CORDIS_DIR`, or `../shared/data/cordis-h2020` beside the
//! crate; without it the tests are listed as ignored, with the reason.

use crate::{case, harness};

use crate::common::{check_ok, export_jsonl, generation, run, s, stats};

fn cordis_import_counts_check_and_idempotence() {
    let data = harness::cordis_dir();
    let orgs = data.join("organization.csv");
    let topics = data.join("topics.csv");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    run(&db, &["init"]).ok();
    run(&db, &["import", "--from", "cordis", s(&orgs), s(&topics)]).ok();

    let st = stats(&db);
    let nodes = &st["nodes"];
    for (kind, n) in [
        ("university", 545),
        ("enterprise", 1470),
        ("research_institute", 537),
        ("agency", 258),
        ("organisation", 304),
        ("project", 602),
    ] {
        assert_eq!(nodes[kind], n, "{kind}: {st:#}");
    }
    let organisations: u64 = [
        "university",
        "enterprise",
        "research_institute",
        "agency",
        "organisation",
    ]
    .iter()
    .map(|k| nodes[*k].as_u64().unwrap())
    .sum();
    assert_eq!(organisations, 3114);
    // One leads or participates_in edge per (organisation, project) pair.
    let ties = st["edges"]["leads"].as_u64().unwrap_or(0)
        + st["edges"]["participates_in"].as_u64().unwrap_or(0);
    assert!((3114..=5153).contains(&ties), "{st:#}");
    // PROVENANCE.md: 568 `coordinator` rows (some projects of the subset lack one).
    assert_eq!(
        st["edges"]["leads"], 568,
        "one leads edge per coordinator row"
    );
    check_ok(&db);

    // Re-import: nothing new, nothing changed, same generation, same export.
    let g = generation(&db);
    let before = export_jsonl(&db, &dir.path().join("a"));
    let r = run(&db, &["import", "--from", "cordis", s(&orgs), s(&topics)]);
    r.ok();
    assert!(r.stdout.contains(" 0 new, 0 changed,"), "{}", r.stdout);
    assert_eq!(generation(&db), g);
    assert_eq!(stats(&db), st);
    assert!(before == export_jsonl(&db, &dir.path().join("b")));
    check_ok(&db);
}
case!(
    cordis_import_counts_check_and_idempotence,
    requires(CordisData)
);

/// The collab projection of CORDIS matches the figures in the data's PROVENANCE.md
/// (computed there with networkx): 3,114 organisations, 39,331 ties, 95 components, the
/// largest with 2,998 organisations, 81 isolated; and centrality runs on it.
fn cordis_collab_view_matches_the_published_projection() {
    let data = harness::cordis_dir();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    run(&db, &["init"]).ok();
    run(
        &db,
        &[
            "import",
            "--from",
            "cordis",
            s(&data.join("organization.csv")),
        ],
    )
    .ok();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_innograph"))
        .arg("--db")
        .arg(&db)
        .args([
            "centrality",
            "--view",
            "collab",
            "--algo",
            "component,degree,pagerank,core",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3114);
    let degree_sum: u64 = rows.iter().map(|r| r["degree"].as_u64().unwrap()).sum();
    assert_eq!(degree_sum, 2 * 39_331, "ties of the projection");
    let components = rows
        .iter()
        .map(|r| r["component"].as_u64().unwrap())
        .max()
        .unwrap()
        + 1;
    assert_eq!(components, 95);
    let giant = rows.iter().filter(|r| r["component"] == 0).count();
    assert_eq!(giant, 2998);
    let isolated = rows.iter().filter(|r| r["degree"] == 0).count();
    assert_eq!(isolated, 81);
    let pagerank_sum: f64 = rows.iter().map(|r| r["pagerank"].as_f64().unwrap()).sum();
    assert!((pagerank_sum - 1.0).abs() < 1e-9);
}
case!(
    cordis_collab_view_matches_the_published_projection,
    requires(CordisData)
);
