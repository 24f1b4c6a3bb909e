//! Exports other tools open (GraphML, GEXF, Parquet, Neo4j) and the imports that match
//! (GraphML, GEXF, edge lists), on the Shanghai fixtures. The independent readers are
//! NetworkX and pyarrow (`read_exports.py`, run with `$INNOGRAPH_PYTHON`).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::{export_jsonl, generation, run, s, shanghai_db, stats, write};
use crate::{case, harness};

const READER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/e2e/read_exports.py");

fn read_with_python(kind: &str, path: &Path) -> Value {
    let out = Command::new(harness::python())
        .arg(READER)
        .arg(kind)
        .arg(path)
        .output()
        .expect("cannot run the test Python");
    assert!(
        out.status.success(),
        "{kind} reader failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the reader prints JSON")
}

fn total(stats: &Value, what: &str) -> u64 {
    stats[what]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum()
}

/// `centrality --format json` as id → row.
fn centrality(db: &Path, args: &[&str]) -> BTreeMap<String, Value> {
    let mut all = vec!["centrality", "--format", "json"];
    all.extend_from_slice(args);
    let rows = run(db, &all).ok().json();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), r.clone()))
        .collect()
}

fn assert_scores_match(found: &Value, expected: &BTreeMap<String, Value>, algo: &str, what: &str) {
    let found = found[algo]
        .as_object()
        .unwrap_or_else(|| panic!("{what}: no {algo} scores"));
    assert_eq!(found.len(), expected.len(), "{what}: {algo} for every node");
    for (id, row) in expected {
        let want = row[algo].as_f64().unwrap();
        let got = found[id]
            .as_f64()
            .unwrap_or_else(|| panic!("{what}: no {algo} for {id}"));
        assert!(
            (got - want).abs() <= 1e-12,
            "{what}: {algo} of {id} is {got}, centrality says {want}"
        );
    }
}

fn exports_read_back_in_networkx_and_pyarrow() {
    let dir = tempfile::tempdir().unwrap();
    let db = shanghai_db(dir.path(), "db");
    let st = stats(&db);
    let (nodes, edges) = (total(&st, "nodes"), total(&st, "edges"));
    let expected = centrality(&db, &["--algo", "pagerank,community"]);
    let sjtu = run(&db, &["node", "get", "univ:sjtu", "--format", "json"])
        .ok()
        .json();
    for (format, file) in [
        ("graphml", "graph.graphml"),
        ("gexf", "graph.gexf"),
        ("parquet", ""),
    ] {
        let out = dir.path().join(format);
        let r = run(
            &db,
            &[
                "export",
                "--format",
                format,
                "--out",
                s(&out),
                "--with",
                "pagerank,community",
            ],
        );
        r.ok();
        assert!(r.stdout.contains(&format!("{nodes} nodes")), "{}", r.stdout);
        let found = read_with_python(format, &out.join(file));
        assert_eq!(found["nodes"].as_u64(), Some(nodes), "{format}: node count");
        assert_eq!(found["edges"].as_u64(), Some(edges), "{format}: edge count");
        assert_eq!(found["node_kinds"], st["nodes"], "{format}: nodes per kind");
        assert_eq!(found["edge_kinds"], st["edges"], "{format}: edges per kind");
        assert_scores_match(&found["scores"], &expected, "pagerank", format);
        assert_scores_match(&found["scores"], &expected, "community", format);
        let node = &found["node_attributes"]["univ:sjtu"];
        assert_eq!(node["name"], sjtu["name"], "{format}: name");
        assert_eq!(node["name_en"], sjtu["name_en"], "{format}: name_en");
        assert_eq!(node["kind"], "university", "{format}: kind");
        if format == "gexf" {
            assert_eq!(
                node["viz"]["color"]["b"], 180,
                "{format}: viz colour by kind"
            );
        }
        if format == "parquet" {
            assert_eq!(found["node_types"]["name"], "string");
            assert_eq!(found["node_types"]["pagerank"], "double");
            assert_eq!(found["node_types"]["community"], "int64");
            assert_eq!(found["edge_types"]["weight"], "double");
            assert_eq!(found["edge_types"]["directed"], "bool");
        }
    }
}
case!(exports_read_back_in_networkx_and_pyarrow, requires(Python));

fn the_collab_view_exports_its_ties_with_their_scores() {
    let dir = tempfile::tempdir().unwrap();
    let db = shanghai_db(dir.path(), "db");
    let expected = centrality(&db, &["--algo", "degree", "--view", "collab"]);
    let out = dir.path().join("collab");
    run(
        &db,
        &[
            "export",
            "--format",
            "graphml",
            "--view",
            "collab",
            "--with",
            "degree",
            "--out",
            s(&out),
        ],
    )
    .ok();
    let found = read_with_python("graphml", &out.join("graph.graphml"));
    assert_eq!(found["nodes"].as_u64(), Some(expected.len() as u64));
    let degree_sum: u64 = expected
        .values()
        .map(|r| r["degree"].as_u64().unwrap())
        .sum();
    assert_eq!(
        found["edges"].as_u64(),
        Some(degree_sum / 2),
        "one edge per tie"
    );
    assert_eq!(found["edge_kinds"]["collab"].as_u64(), Some(degree_sum / 2));
}
case!(
    the_collab_view_exports_its_ties_with_their_scores,
    requires(Python)
);

fn graphml_and_gexf_exports_import_back_to_the_same_graph() {
    let dir = tempfile::tempdir().unwrap();
    let db = shanghai_db(dir.path(), "db");
    let original = export_jsonl(&db, &dir.path().join("original"));
    for (format, file) in [("graphml", "graph.graphml"), ("gexf", "graph.gexf")] {
        let out = dir.path().join(format);
        run(
            &db,
            &[
                "export",
                "--format",
                format,
                "--out",
                s(&out),
                "--with",
                "pagerank",
            ],
        )
        .ok();
        let copy = dir.path().join(format!("{format}.db"));
        run(&copy, &["init"]).ok();
        run(&copy, &["import", "--from", format, s(&out.join(file))]).ok();
        let again = export_jsonl(&copy, &dir.path().join(format!("{format}-again")));
        assert!(
            original == again,
            "{format}: the re-imported graph differs from the original"
        );
        // Recognised by its extension too; importing the same graph changes nothing.
        let r = run(&copy, &["import", s(&out.join(file))]);
        r.ok();
        assert!(r.stdout.contains(": 0 new, 0 changed"), "{}", r.stdout);
    }
}
case!(graphml_and_gexf_exports_import_back_to_the_same_graph);

fn neo4j_export_has_admin_import_headers_and_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = shanghai_db(dir.path(), "db");
    let st = stats(&db);
    let out = dir.path().join("neo4j");
    run(
        &db,
        &[
            "export",
            "--format",
            "neo4j",
            "--out",
            s(&out),
            "--with",
            "pagerank",
        ],
    )
    .ok();
    let nodes = std::fs::read_to_string(out.join("nodes.csv")).unwrap();
    let header = nodes.lines().next().unwrap();
    assert!(
        header.starts_with("id:ID,:LABEL,kind,name,name_en"),
        "{header}"
    );
    assert!(header.ends_with(",pagerank:double"), "{header}");
    let mut reader = csv::Reader::from_reader(nodes.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len() as u64, total(&st, "nodes"));
    let sjtu = rows.iter().find(|r| &r[0] == "univ:sjtu").unwrap();
    assert_eq!(&sjtu[1], "University;Organisation");
    let rels = std::fs::read_to_string(out.join("relationships.csv")).unwrap();
    assert!(rels.starts_with(":START_ID,:END_ID,:TYPE,kind,key,weight:double"));
    assert!(
        rels.contains(",COLLABORATES_WITH,collaborates_with,"),
        "relationship types in upper snake case"
    );
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(readme.contains("neo4j-admin database import full neo4j"));
}
case!(neo4j_export_has_admin_import_headers_and_the_command);

fn edge_lists_import_with_kinds_from_options_and_errors_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = shanghai_db(dir.path(), "db");
    let before = stats(&db);
    let list = write(
        dir.path(),
        "ties.txt",
        "# firm ties\nent:x ent:y 2.5\nent:y ent:catl\n",
    );
    let r = run(
        &db,
        &[
            "import",
            "--from",
            "edgelist",
            "--edge-kind",
            "collaborates_with",
            "--node-kind",
            "enterprise",
            s(&list),
        ],
    );
    r.ok();
    let after = stats(&db);
    assert_eq!(total(&after, "nodes"), total(&before, "nodes") + 2);
    assert_eq!(total(&after, "edges"), total(&before, "edges") + 2);
    let catl = run(&db, &["node", "get", "ent:catl", "--format", "json"])
        .ok()
        .json();
    assert_ne!(catl["name"], "ent:catl", "an existing node keeps its name");

    let g = generation(&db);
    let bad = write(dir.path(), "bad.csv", "a,b\nc,d,heavy\n");
    let r = run(
        &db,
        &[
            "import",
            "--from",
            "edgelist",
            "--edge-kind",
            "collaborates_with",
            "--node-kind",
            "enterprise",
            s(&bad),
        ],
    );
    r.expect_code(1);
    assert!(r.stderr.contains("bad.csv:2: weight:"), "{}", r.stderr);
    assert_eq!(generation(&db), g, "nothing was written");
}
case!(edge_lists_import_with_kinds_from_options_and_errors_by_line);
