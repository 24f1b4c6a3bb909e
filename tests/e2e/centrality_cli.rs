//! `innograph centrality --format json` on imported graphs matches NetworkX's values
//! (committed in fixtures/graphs/reference/, computed by the scripts beside them).

use crate::case;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_innograph")
}

fn reference(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/graphs/reference")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Imports an undirected graph (nodes `n000`…, ties `collaborates_with`) into a new db.
fn import_graph(dir: &Path, n: usize, edges: &[Value]) -> std::path::PathBuf {
    let db = dir.join("db");
    let nodes_csv = dir.join("nodes.csv");
    let edges_csv = dir.join("edges.csv");
    let mut nodes = String::from("id,kind,name\n");
    for i in 0..n {
        nodes.push_str(&format!("n{i:03},enterprise,firm {i}\n"));
    }
    let mut ties = String::from("source,target,kind,weight\n");
    for e in edges {
        let (u, v, w) = (
            e[0].as_u64().unwrap(),
            e[1].as_u64().unwrap(),
            e[2].as_f64().unwrap(),
        );
        ties.push_str(&format!("n{u:03},n{v:03},collaborates_with,{w}\n"));
    }
    std::fs::write(&nodes_csv, nodes).unwrap();
    std::fs::write(&edges_csv, ties).unwrap();
    let ok = |args: &[&str]| {
        let out = Command::new(bin())
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    ok(&["init"]);
    ok(&[
        "import",
        nodes_csv.to_str().unwrap(),
        edges_csv.to_str().unwrap(),
    ]);
    db
}

fn centrality(db: &Path, extra: &[&str]) -> Vec<Value> {
    let out = Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(["centrality", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut rows = rows.as_array().unwrap().clone();
    rows.sort_by_key(|r| r["id"].as_str().unwrap().to_string());
    rows
}

fn assert_close(got: &[Value], algo: &str, expected: &Value, tol: f64, graph: &str) {
    let expected = expected.as_array().unwrap();
    assert_eq!(got.len(), expected.len(), "{graph} {algo}: row count");
    for (i, (row, want)) in got.iter().zip(expected).enumerate() {
        let g = row[algo].as_f64().unwrap_or(f64::NAN);
        let w = want.as_f64().unwrap_or(f64::NAN);
        assert!(
            (g - w).abs() <= tol || (g.is_nan() && w.is_nan()),
            "{graph} {algo} node {i}: innograph {g}, NetworkX {w}"
        );
    }
}

fn centrality_json_matches_networkx_on_reference_graphs() {
    let structure = reference("structure.json");
    let paths = reference("paths.json");
    for graph in [
        "karate",
        "florentine",
        "kite",
        "path6",
        "star6",
        "cycle7",
        "disconnected",
    ] {
        let g = &structure["graphs"][graph];
        let dir = tempfile::tempdir().unwrap();
        let n = g["n"].as_u64().unwrap() as usize;
        let db = import_graph(dir.path(), n, g["edges"].as_array().unwrap());
        let rows = centrality(
            &db,
            &[
                "--algo",
                "degree,pagerank,core,betweenness,closeness,harmonic,eigenvector",
            ],
        );
        let m = &g["measures"];
        assert_close(&rows, "degree", &m["degree"], 0.0, graph);
        assert_close(&rows, "pagerank", &m["pagerank"], 1e-6, graph);
        assert_close(&rows, "core", &m["core_number"], 0.0, graph);
        // Path-based references for the named graphs come from paths.json.
        if ["karate", "florentine", "kite"].contains(&graph) {
            let p = &paths["results"][graph]["unweighted"];
            assert_close(&rows, "betweenness", &p["betweenness"], 1e-9, graph);
            assert_close(&rows, "closeness", &p["closeness"], 1e-9, graph);
            assert_close(&rows, "harmonic", &p["harmonic"], 1e-9, graph);
        }
        if graph != "disconnected" {
            assert_close(&rows, "eigenvector", &m["eigenvector"], 1e-6, graph);
        }
    }
}
case!(centrality_json_matches_networkx_on_reference_graphs);

fn path_measures_match_networkx_on_small_and_weighted_graphs() {
    let paths = reference("paths.json");
    for graph in [
        "star6",
        "path7",
        "cycle7",
        "cycle8",
        "disconnected",
        "weighted",
    ] {
        let g = &paths["graphs"][graph];
        assert_eq!(g["directed"], Value::Bool(false), "{graph}");
        let dir = tempfile::tempdir().unwrap();
        let n = g["n"].as_u64().unwrap() as usize;
        let db = import_graph(dir.path(), n, g["edges"].as_array().unwrap());
        let rows = centrality(&db, &["--algo", "betweenness,closeness,harmonic"]);
        let p = &paths["results"][graph]["unweighted"];
        for algo in ["betweenness", "closeness", "harmonic"] {
            assert_close(&rows, algo, &p[algo], 1e-9, graph);
        }
        if graph == "weighted" {
            let rows = centrality(
                &db,
                &[
                    "--algo",
                    "betweenness,closeness,harmonic",
                    "--weighted",
                    "--weight",
                    "weight",
                ],
            );
            let p = &paths["results"][graph]["weighted"];
            for algo in ["betweenness", "closeness", "harmonic"] {
                assert_close(&rows, algo, &p[algo], 1e-9, "weighted (weighted)");
            }
        }
    }
}
case!(path_measures_match_networkx_on_small_and_weighted_graphs);

fn top_and_kind_filters_shape_the_output() {
    let structure = reference("structure.json");
    let g = &structure["graphs"]["karate"];
    let dir = tempfile::tempdir().unwrap();
    let db = import_graph(dir.path(), 34, g["edges"].as_array().unwrap());
    let out = Command::new(bin())
        .arg("--db")
        .arg(&db)
        .args([
            "centrality",
            "--algo",
            "betweenness,degree",
            "--top",
            "3",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    // Ranked by the first algorithm: node 0 has the highest betweenness in the karate club.
    assert_eq!(rows[0]["id"], "n000");
    for key in ["id", "kind", "name", "betweenness", "degree"] {
        assert!(rows[0].get(key).is_some(), "missing {key}");
    }
    let out = Command::new(bin())
        .arg("--db")
        .arg(&db)
        .args(["centrality", "--algo", "fame"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "an invalid value is a usage error"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown algorithm"));
}
case!(top_and_kind_filters_shape_the_output);

fn planners_report_builds_from_the_shanghai_fixtures() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(bin())
        .current_dir(dir.path())
        .arg("overview")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let spec =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reports/shanghai-planners.toml");
    let out = Command::new(bin())
        .current_dir(dir.path())
        .args(["report", "--batch", spec.to_str().unwrap(), "--out", "rep"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let index = std::fs::read_to_string(dir.path().join("rep/index.md")).unwrap();
    assert!(index.contains("hubs-university.md"), "{index}");
    let hubs = std::fs::read_to_string(dir.path().join("rep/hubs-university.csv")).unwrap();
    assert!(hubs.contains("univ:sjtu"), "{hubs}");
    let brokers: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("rep/brokers-agency.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        brokers[0]["id"], "agency:stcsm",
        "the Commission is the top broker"
    );
}
case!(planners_report_builds_from_the_shanghai_fixtures);
