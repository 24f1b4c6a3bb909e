//! End-to-end tests of the command line on the Shanghai fixtures.

use crate::case;
use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::{
    assert_quiet_on_closed_pipe, base_db, check_ok, export_jsonl, generation, run, run_in, s,
    shanghai_db, stats, write, FIXTURE_EDGES, FIXTURE_NODES,
};

/// The node and edge lines of an export, parsed.
fn graph_lines(jsonl: &[u8]) -> Vec<Value> {
    std::str::from_utf8(jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn total(stats: &Value, what: &str) -> u64 {
    stats[what]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum()
}

fn init_twice_is_a_no_op() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let r = run(&db, &["init"]);
    r.ok();
    assert!(r.stdout.contains("created"), "{}", r.stdout);
    let r = run(&db, &["init"]);
    r.ok();
    assert!(r.stdout.contains("nothing to do"), "{}", r.stdout);
    assert_eq!(generation(&db), 0);
    check_ok(&db);
}
case!(init_twice_is_a_no_op);

fn schema_extension_adds_a_hospital_kind() {
    let dir = tempfile::tempdir().unwrap();
    let db = shanghai_db(dir.path(), "db");
    let ext = write(
        dir.path(),
        "ext.toml",
        r#"
[node_kinds.hospital]
category = "organisation"
label = "Hospital"
label_zh = "医院"
description = "A hospital that runs a transfer office."
props.beds = { type = "int", description = "Number of beds." }
"#,
    );
    // Before the extension, a hospital is an unknown kind.
    let nodes = write(
        dir.path(),
        "hospital.csv",
        "id,kind,name,name_en,beds\nhosp:ruijin,hospital,瑞金医院,Ruijin Hospital,2000\n",
    );
    let edges = write(
        dir.path(),
        "hospital_edges.csv",
        "source,target,kind,year\nhosp:ruijin,plat:sjtu-biomed-cv,operates,2024\n",
    );
    let r = run(&db, &["import", s(&nodes), s(&edges)]);
    r.expect_code(1);
    assert!(r.stderr.contains(&format!("{}:2: kind: ", s(&nodes))));

    let r = run(&db, &["init", "--schema", s(&ext)]);
    r.ok();
    assert!(r.stdout.contains("extended"), "{}", r.stdout);
    let schema = run(&db, &["schema"]).ok().stdout.clone();
    assert!(schema.contains("[node_kinds.hospital]"), "{schema}");

    run(&db, &["import", s(&nodes), s(&edges)]).ok();
    let node = run(&db, &["node", "get", "hosp:ruijin", "--format", "json"])
        .ok()
        .json();
    assert_eq!(node["kind"], "hospital");
    assert_eq!(node["props"]["beds"], 2000);
    assert_eq!(node["degree"], 1);
    let n = run(
        &db,
        &[
            "neighbors",
            "hosp:ruijin",
            "--depth",
            "1",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    assert_eq!(n[0]["id"], "plat:sjtu-biomed-cv");
    assert_eq!(stats(&db)["nodes"]["hospital"], 1);
    check_ok(&db);

    // A fresh database can be created with the extension straight away.
    let db2 = dir.path().join("db2");
    run(&db2, &["init", "--schema", s(&ext)]).ok();
    assert!(
        run(&db2, &["schema", "--format", "json"]).ok().json()["node_kinds"]["hospital"]
            .is_object()
    );
}
case!(schema_extension_adds_a_hospital_kind);

fn schema_prints_toml() {
    let dir = tempfile::tempdir().unwrap();
    // Without a database: the built-in schema.
    let r = run(&dir.path().join("none"), &["schema"]);
    r.ok();
    assert!(r.stdout.contains("contracts_with"));
    let parsed: toml::Value = toml::from_str(&r.stdout).expect("schema output is TOML");
    assert!(parsed["edge_kinds"]["contracts_with"]["props"]["mode"].is_table());
    assert!(
        !dir.path().join("none").exists(),
        "`schema` created a database"
    );
    let db = dir.path().join("db");
    run(&db, &["init"]).ok();
    let r2 = run(&db, &["schema"]);
    r2.ok();
    assert_eq!(r.stdout, r2.stdout);
}
case!(schema_prints_toml);

fn export_then_import_is_the_identity() {
    let dir = tempfile::tempdir().unwrap();
    let db = shanghai_db(dir.path(), "db");
    let jsonl = export_jsonl(&db, &dir.path().join("out-jsonl"));
    let lines = graph_lines(&jsonl);
    assert_eq!(lines.iter().filter(|l| l.get("node").is_some()).count(), 75);
    assert_eq!(
        lines.iter().filter(|l| l.get("edge").is_some()).count(),
        103
    );

    let csv_dir = dir.path().join("out-csv");
    let r = run(&db, &["export", "--format", "csv", "--out", s(&csv_dir)]);
    r.ok();
    assert!(r.stdout.contains("75 nodes and 103 edges"), "{}", r.stdout);

    // CSV export → fresh db → JSONL export: the same bytes.
    let db2 = dir.path().join("db2");
    run(&db2, &["init"]).ok();
    run(
        &db2,
        &[
            "import",
            s(&csv_dir.join("nodes.csv")),
            s(&csv_dir.join("edges.csv")),
        ],
    )
    .ok();
    let jsonl2 = export_jsonl(&db2, &dir.path().join("out2"));
    assert!(jsonl == jsonl2, "CSV round trip changed the graph");

    // JSONL export → fresh db → JSONL export: the same bytes.
    let db3 = dir.path().join("db3");
    run(&db3, &["init"]).ok();
    run(
        &db3,
        &[
            "import",
            s(&dir.path().join("out-jsonl").join("graph.jsonl")),
        ],
    )
    .ok();
    let jsonl3 = export_jsonl(&db3, &dir.path().join("out3"));
    assert!(jsonl == jsonl3, "JSONL round trip changed the graph");
    assert_eq!(stats(&db), stats(&db3));
    check_ok(&db2);
    check_ok(&db3);
}
case!(export_then_import_is_the_identity);

fn reimport_is_idempotent_and_undo_restores() {
    let dir = tempfile::tempdir().unwrap();
    let db = shanghai_db(dir.path(), "db");
    let g = generation(&db);
    let before = export_jsonl(&db, &dir.path().join("a"));
    let r = run(&db, &["import", FIXTURE_NODES, FIXTURE_EDGES]);
    r.ok();
    assert!(
        r.stdout.contains(": 0 new, 0 changed, 178 unchanged"),
        "{}",
        r.stdout
    );
    assert_eq!(generation(&db), g, "a no-op import moved the generation");
    assert_eq!(before, export_jsonl(&db, &dir.path().join("b")));

    // A real change, then undo.
    let extra = write(
        dir.path(),
        "extra.csv",
        "id,kind,name\nent:new,enterprise,新公司\nuniv:sjtu,university,上海交大(改名)\n",
    );
    let r = run(&db, &["import", s(&extra)]);
    r.ok();
    assert!(r.stdout.contains("1 new, 1 changed"), "{}", r.stdout);
    // The no-op import used no generation number.
    assert_eq!(generation(&db), g + 1);
    assert_ne!(before, export_jsonl(&db, &dir.path().join("c")));
    run(&db, &["import", "--undo"]).ok();
    assert_eq!(before, export_jsonl(&db, &dir.path().join("d")));
    check_ok(&db);
    let r = run(&db, &["import", "--undo"]);
    r.expect_code(1);
    assert!(r.stderr.contains("nothing to undo"), "{}", r.stderr);
    assert_eq!(before, export_jsonl(&db, &dir.path().join("e")));
    check_ok(&db);
}
case!(reimport_is_idempotent_and_undo_restores);

fn queries() {
    let dir = tempfile::tempdir().unwrap();
    let db = shanghai_db(dir.path(), "db");

    // node get: the JSON shape.
    let node = run(&db, &["node", "get", "univ:sjtu", "--format", "json"])
        .ok()
        .json();
    let keys: BTreeSet<&str> = node
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from(["id", "kind", "name", "name_en", "props", "degree"])
    );
    assert_eq!(node["id"], "univ:sjtu");
    assert_eq!(node["kind"], "university");
    assert_eq!(node["name"], "上海交通大学");
    assert_eq!(node["name_en"], "Shanghai Jiao Tong University");
    assert_eq!(node["props"]["tech_manager_count"], 17);
    assert!(node["degree"].as_u64().unwrap() > 0);
    // The table form works too.
    let t = run(&db, &["node", "get", "univ:sjtu"]);
    t.ok();
    assert!(t.stdout.contains("上海交通大学"));

    // node list --kind university.
    let list = run(
        &db,
        &["node", "list", "--kind", "university", "--format", "json"],
    )
    .ok()
    .json();
    let ids: BTreeSet<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        BTreeSet::from([
            "univ:fudan",
            "univ:reform-pilot-universities",
            "univ:sjtu",
            "univ:tongji"
        ])
    );
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["kind"] == "university"));
    run(&db, &["node", "list", "--kind", "starship"]).expect_code(2);

    // search: Chinese substring, English name case- and width-insensitive.
    for text in [
        "交通大学",
        "shanghai jiao",
        "SHANGHAI JIAO",
        "ＳＨＡＮＧＨＡＩ　ｊｉａｏ",
    ] {
        let hits = run(&db, &["search", text, "--format", "json"]).ok().json();
        assert!(
            hits.as_array()
                .unwrap()
                .iter()
                .any(|n| n["id"] == "univ:sjtu"),
            "search `{text}` did not find univ:sjtu: {hits}"
        );
    }
    let none = run(&db, &["search", "no such thing at all", "--format", "json"])
        .ok()
        .json();
    assert_eq!(none, Value::Array(vec![]));

    // neighbors at depth 1 are exactly the nodes sharing an edge with univ:sjtu.
    let jsonl = export_jsonl(&db, &dir.path().join("x"));
    let mut expected = BTreeSet::new();
    for line in graph_lines(&jsonl) {
        if let Some(e) = line.get("edge") {
            let (a, b) = (e["source"].as_str().unwrap(), e["target"].as_str().unwrap());
            if a == "univ:sjtu" {
                expected.insert(b.to_string());
            } else if b == "univ:sjtu" {
                expected.insert(a.to_string());
            }
        }
    }
    assert!(!expected.is_empty());
    let n = run(
        &db,
        &["neighbors", "univ:sjtu", "--depth", "1", "--format", "json"],
    )
    .ok()
    .json();
    let got: BTreeSet<String> = n
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, expected);
    let deeper = run(
        &db,
        &["neighbors", "univ:sjtu", "--depth", "2", "--format", "json"],
    )
    .ok()
    .json();
    assert!(deeper.as_array().unwrap().len() > got.len());

    // An unknown id: exit 1 with suggestions.
    let r = run(&db, &["node", "get", "univ:sjtv"]);
    r.expect_code(1);
    assert!(
        r.stderr.contains("did you mean") && r.stderr.contains("univ:sjtu"),
        "{}",
        r.stderr
    );
    let r = run(&db, &["node", "get", "univ:nope"]);
    r.expect_code(1);
    assert!(r.stderr.contains("did you mean"), "{}", r.stderr);
    run(&db, &["neighbors", "univ:nope"]).expect_code(1);

    // stats: {"nodes":{kind:count},"edges":{kind:count}}.
    let st = stats(&db);
    let keys: Vec<&str> = st.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(keys, ["edges", "nodes"]);
    assert_eq!(st["nodes"]["university"], 4);
    assert_eq!(st["nodes"]["programme"], 17);
    assert_eq!(st["edges"]["supports"], 28);
    assert_eq!(total(&st, "nodes"), 75);
    assert_eq!(total(&st, "edges"), 103);
}
case!(queries);

fn deletes() {
    let dir = tempfile::tempdir().unwrap();
    let db = shanghai_db(dir.path(), "db");
    let before = stats(&db);
    let degree = run(&db, &["node", "get", "univ:sjtu", "--format", "json"])
        .ok()
        .json()["degree"]
        .as_u64()
        .unwrap();
    let neighbours = run(&db, &["neighbors", "univ:sjtu", "--format", "json"])
        .ok()
        .json();
    let r = run(&db, &["node", "delete", "univ:sjtu"]);
    r.ok();
    assert!(
        r.stdout.contains(&format!("{degree} edge(s)")),
        "{}",
        r.stdout
    );
    let after = stats(&db);
    assert_eq!(total(&after, "edges"), total(&before, "edges") - degree);
    assert_eq!(total(&after, "nodes"), total(&before, "nodes") - 1);
    run(&db, &["node", "get", "univ:sjtu"]).expect_code(1);
    // No remaining edge mentions the deleted node.
    let jsonl = export_jsonl(&db, &dir.path().join("x"));
    assert!(!String::from_utf8_lossy(&jsonl).contains("\"univ:sjtu\""));
    for n in neighbours.as_array().unwrap() {
        let id = n["id"].as_str().unwrap();
        let theirs = run(&db, &["neighbors", id, "--format", "json"]).ok().json();
        assert!(theirs
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["id"] != "univ:sjtu"));
    }
    check_ok(&db);
    run(&db, &["node", "delete", "univ:sjtu"]).expect_code(1);

    // edge delete: an undirected edge named either way round.
    let st = stats(&db);
    let collab = st["edges"]["collaborates_with"].as_u64().unwrap();
    let line = graph_lines(&jsonl)
        .into_iter()
        .filter_map(|l| l.get("edge").cloned())
        .find(|e| e["kind"] == "collaborates_with")
        .unwrap();
    let (src, tgt) = (
        line["source"].as_str().unwrap(),
        line["target"].as_str().unwrap(),
    );
    let r = run(&db, &["edge", "delete", tgt, src, "collaborates_with"]);
    r.ok();
    assert_eq!(
        stats(&db)["edges"]["collaborates_with"].as_u64().unwrap(),
        collab - 1
    );
    let r = run(&db, &["edge", "delete", src, tgt, "collaborates_with"]);
    r.expect_code(1);
    assert!(r.stderr.contains("no edge"), "{}", r.stderr);
    run(&db, &["edge", "delete", src, tgt, "no_such_kind"]).expect_code(2);
    check_ok(&db);
}
case!(deletes);

/// `innograph … | head -1`: the reader goes away before (or while) the command writes; the
/// command stops quietly with status 0 instead of panicking on the broken pipe.
fn a_closed_pipe_ends_the_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let db = s(&db);
    for args in [
        &["schema"][..],
        &["--db", db, "node", "list"],
        &["--db", db, "node", "list", "--format", "json"],
        &[
            "--db",
            db,
            "centrality",
            "--algo",
            "pagerank",
            "--format",
            "csv",
        ],
        &[
            "--db",
            db,
            "centrality",
            "--algo",
            "pagerank",
            "--format",
            "json",
        ],
        &[
            "--db",
            db,
            "centrality",
            "--algo",
            "pagerank",
            "--format",
            "ndjson",
        ],
        &["--db", db, "--pretty", "stats", "--format", "json"],
        &["--db", db, "path", "univ:a", "plat:x"],
    ] {
        assert_quiet_on_closed_pipe(args);
    }
}
case!(a_closed_pipe_ends_the_command_quietly);

/// JSON in a pipe is compact with one row per line; `--pretty` indents it; `--format ndjson`
/// is the same rows without the array; `--out` files follow the pipe's layout; all hold the
/// same values.
fn json_layouts_hold_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let centrality = ["centrality", "--algo", "pagerank,core"];
    let with = |extra: &[&str]| {
        let mut args = centrality.to_vec();
        args.extend_from_slice(extra);
        let r = run(&db, &args);
        r.ok();
        r.stdout
    };
    let compact = with(&["--format", "json"]);
    let lines: Vec<&str> = compact.lines().collect();
    assert!(lines.len() > 3, "{compact}");
    assert_eq!((lines[0], lines[lines.len() - 1]), ("[", "]"), "{compact}");
    for row in &lines[1..lines.len() - 1] {
        let row = row.strip_suffix(',').unwrap_or(row);
        let v: Value = serde_json::from_str(row).unwrap_or_else(|e| panic!("{row}: {e}"));
        assert!(v["id"].is_string() && v["pagerank"].is_number(), "{row}");
    }
    let rows: Value = serde_json::from_str(&compact).unwrap();
    let pretty = with(&["--format", "json", "--pretty"]);
    assert!(pretty.starts_with("[\n  {\n    \"core\": "), "{pretty}");
    assert_eq!(serde_json::from_str::<Value>(&pretty).unwrap(), rows);
    assert_eq!(with(&["--format", "json", "--compact"]), compact);
    let ndjson = with(&["--format", "ndjson"]);
    let objects: Vec<Value> = ndjson
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(Value::Array(objects), rows);
    let out = dir.path().join("rows.json");
    let r = run(
        &db,
        &[&centrality[..], &["--format", "json", "--out", s(&out)]].concat(),
    );
    r.ok();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), compact);
    let r = run(&db, &["--compact", "--pretty", "stats"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}
case!(json_layouts_hold_the_same_rows);

fn a_database_in_use_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let db = shanghai_db(dir.path(), "db");
    let store = innograph::store::Store::open(&db).expect("the test can open the store");
    for args in [
        &["stats"][..],
        &["check"][..],
        &["import", FIXTURE_NODES][..],
    ] {
        let r = run(&db, args);
        r.expect_code(1);
        assert!(
            r.stderr.contains("in use"),
            "`{}` on a database in use: {}",
            args.join(" "),
            r.stderr
        );
    }
    drop(store);
    check_ok(&db);
}
case!(a_database_in_use_is_refused_clearly);

fn bare_innograph_creates_nothing_and_overview_builds_the_default_database() {
    let dir = tempfile::tempdir().unwrap();
    // A bare `innograph` creates nothing unasked: the help, and how to get a database.
    let r = run_in(dir.path(), &[]);
    r.ok();
    assert!(!dir.path().join("innograph.db").exists());
    assert!(r.stdout.contains("Usage:"), "{}", r.stdout);
    assert!(r.stdout.contains("innograph overview"), "{}", r.stdout);
    let r = run_in(dir.path(), &["overview"]);
    r.ok();
    assert!(dir.path().join("innograph.db").is_dir());
    assert!(r.stdout.contains("75 nodes, 103 edges"), "{}", r.stdout);
    assert!(r.stdout.contains("univ:sjtu"), "{}", r.stdout);
    assert!(r.stderr.contains("building it"), "{}", r.stderr);
    // A second run opens it instead of rebuilding it.
    let r = run_in(dir.path(), &[]);
    r.ok();
    assert!(!r.stderr.contains("building it"), "{}", r.stderr);
    assert!(r.stdout.contains("generation 1"), "{}", r.stdout);
    let st = run_in(dir.path(), &["stats", "--format", "json"])
        .ok()
        .json();
    assert_eq!(total(&st, "nodes"), 75);
    run_in(dir.path(), &["check"]).ok();
}
case!(bare_innograph_creates_nothing_and_overview_builds_the_default_database);
