//! The first hour with the CLI, tried as a new user would (issue 12): `import` creates the
//! database, export folders import back whole, files that are not data are errors naming
//! them, delimiters are sniffed, names are forgiving and every bad value exits 2.

use crate::case;
use crate::common::{base_db, check_ok, export_jsonl, generation, run, s, stats, write};

const FIXTURE_NODES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/shanghai/nodes.csv");
const FIXTURE_EDGES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/shanghai/edges.csv");

fn import_creates_the_database_and_removes_it_when_the_import_fails() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let r = run(&db, &["import", FIXTURE_NODES, FIXTURE_EDGES]);
    r.ok();
    assert!(r.stderr.contains("created the database"), "{}", r.stderr);
    assert!(r.stdout.contains("75 nodes, 103 edges"), "{}", r.stdout);
    check_ok(&db);

    let other = dir.path().join("other.db");
    let bad = write(
        dir.path(),
        "bad.csv",
        "id,kind,name\nx:1,starship,Enterprise\n",
    );
    run(&other, &["import", s(&bad)]).expect_code(1);
    assert!(
        !other.exists(),
        "a failed import leaves no new database behind"
    );
}
case!(import_creates_the_database_and_removes_it_when_the_import_fails);

fn csv_export_folders_import_back_as_dir_and_as_dir_star() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let original = export_jsonl(&db, &dir.path().join("original"));
    let dump = dir.path().join("dump");
    run(&db, &["export", "--format", "csv", "--out", s(&dump)]).ok();
    assert!(dump.join("schema.toml").exists());

    // `import DIR`: schema.toml is applied to the new database, not read as CSV.
    let copy = dir.path().join("copy.db");
    let r = run(&copy, &["import", s(&dump)]);
    r.ok();
    assert_eq!(original, export_jsonl(&copy, &dir.path().join("copy")));

    // `import DIR/*` (the shell's expansion) onto the same database: the identical schema
    // is noted, nothing changes.
    let mut files: Vec<String> = std::fs::read_dir(&dump)
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_string())
        .collect();
    files.sort();
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    let r = run(&copy, &args);
    r.ok();
    assert!(
        r.stderr
            .contains("schema.toml is the database's schema already"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("0 new, 0 changed"), "{}", r.stdout);
}
case!(csv_export_folders_import_back_as_dir_and_as_dir_star);

fn workbooks_and_missing_files_are_errors_even_with_skip_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let g = generation(&db);
    let xlsx = write(
        dir.path(),
        "nodes.csv",
        b"PK\x03\x04\x14\x00\x06\x00workbook",
    );
    for skip in [false, true] {
        let mut args = vec!["import"];
        if skip {
            args.push("--skip-invalid");
        }
        args.push(s(&xlsx));
        let r = run(&db, &args);
        r.expect_code(1);
        assert!(r.stderr.contains("is an Excel workbook"), "{}", r.stderr);
        assert!(r.stderr.contains("CSV UTF-8"), "{}", r.stderr);
    }
    let utf16 = write(dir.path(), "unicode.csv", b"\xFF\xFEi\x00d\x00");
    let r = run(&db, &["import", s(&utf16)]);
    r.expect_code(1);
    assert!(r.stderr.contains("UTF-16"), "{}", r.stderr);
    assert_eq!(generation(&db), g, "nothing was written");
}
case!(workbooks_and_missing_files_are_errors_even_with_skip_invalid);

fn semicolon_and_tab_separated_csv_files_are_sniffed() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let before = stats(&db);
    let semi = write(
        dir.path(),
        "semi.csv",
        "id;kind;name;name_en\nent:s1;enterprise;分号公司;\"Semicolon; Ltd\"\n",
    );
    let tabs = write(
        dir.path(),
        "tabs.csv",
        "id\tkind\tname\nent:t1\tenterprise\t制表公司\n",
    );
    run(&db, &["import", s(&semi), s(&tabs)]).ok();
    let after = stats(&db);
    assert_eq!(
        after["nodes"]["enterprise"].as_u64(),
        before["nodes"]["enterprise"].as_u64().map(|n| n + 2)
    );
    let s1 = run(&db, &["node", "get", "ent:s1", "--format", "json"])
        .ok()
        .json();
    assert_eq!(s1["name_en"], "Semicolon; Ltd");
}
case!(semicolon_and_tab_separated_csv_files_are_sniffed);

fn algorithm_and_kind_names_are_forgiving_and_bad_values_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    // Repeated and comma-separated, any case, with aliases.
    let rows = run(
        &db,
        &[
            "centrality",
            "--algo",
            "PageRank,degree",
            "--algo",
            "louvain",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    let row = &rows[0];
    for key in ["pagerank", "degree", "community"] {
        assert!(row.get(key).is_some(), "no {key} in {row}");
    }
    let r = run(&db, &["centrality", "--algo", "betweeness"]);
    r.expect_code(2);
    assert!(
        r.stderr.contains("did you mean betweenness"),
        "{}",
        r.stderr
    );
    let r = run(&db, &["centrality", "--kind", "univeristy"]);
    r.expect_code(2);
    assert!(r.stderr.contains("did you mean university"), "{}", r.stderr);
    let firms = run(&db, &["centrality", "--kind", "Firm", "--format", "json"])
        .ok()
        .json();
    assert!(firms
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["kind"] == "enterprise"));
    run(&db, &["export", "--format", "gephy", "--out", "x"]).expect_code(2);
}
case!(algorithm_and_kind_names_are_forgiving_and_bad_values_exit_2);

fn markdown_everywhere_and_no_negative_zero() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    // An isolated node: its eigenvector and closeness scores are 0, never -0.
    let lone = write(
        dir.path(),
        "lone.csv",
        "id,kind,name\nent:lone,enterprise,孤独公司\n",
    );
    run(&db, &["import", s(&lone)]).ok();
    let text = run(
        &db,
        &[
            "centrality",
            "--algo",
            "eigenvector,closeness,pagerank",
            "--format",
            "csv",
        ],
    )
    .ok()
    .stdout
    .clone();
    assert!(!text.contains("-0.0") && !text.contains(",-0,"), "{text}");
    for args in [
        vec!["centrality", "--format", "md"],
        vec!["stats", "--format", "md"],
        vec!["path", "univ:a", "ent:b", "--format", "md"],
        vec!["match", "--format", "md"],
        vec!["gaps", "--coverage", "--format", "md"],
    ] {
        let r = run(&db, &args);
        r.ok();
        assert!(
            r.stdout.contains("| ---") || r.stdout.contains("|---"),
            "{args:?}:\n{}",
            r.stdout
        );
    }
}
case!(markdown_everywhere_and_no_negative_zero);

fn gaps_coverage_writes_one_csv_per_section() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    run(&db, &["import", FIXTURE_NODES, FIXTURE_EDGES]).ok();
    let out = dir.path().join("coverage");
    run(
        &db,
        &["gaps", "--coverage", "--format", "csv", "--out", s(&out)],
    )
    .ok();
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "districts_without_platforms.csv",
            "idle_universities.csv",
            "sparse_community_pairs.csv",
            "unanswered_fields.csv",
            "untied_chain_leaders.csv"
        ]
    );
    for name in &names {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let width = reader.headers().unwrap().len();
        for row in reader.records() {
            assert_eq!(row.unwrap().len(), width, "{name}: one table per file");
        }
    }
}
case!(gaps_coverage_writes_one_csv_per_section);

fn centrality_out_confirms_and_an_empty_result_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let out = dir.path().join("firms.json");
    let r = run(
        &db,
        &[
            "centrality",
            "--kind",
            "enterprise",
            "--out",
            s(&out),
            "--format",
            "json",
        ],
    );
    r.ok();
    assert!(r.stderr.contains("wrote 1 rows"), "{}", r.stderr);
    let r = run(&db, &["centrality", "--kind", "incubator"]);
    r.ok();
    assert!(r.stderr.contains("note: no rows"), "{}", r.stderr);
}
case!(centrality_out_confirms_and_an_empty_result_says_why);

fn the_readme_endpoint_table_lists_every_endpoint_of_the_openapi_document() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let openapi: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{root}/src/server/openapi.json")).unwrap(),
    )
    .unwrap();
    let rows: Vec<&str> = readme.lines().filter(|l| l.starts_with("| `")).collect();
    let mut missing = Vec::new();
    for (path, methods) in openapi["paths"].as_object().unwrap() {
        // A path item also holds fields that are not methods (`parameters`, `summary`).
        let operations = methods.as_object().unwrap().keys().filter(|k| {
            [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ]
            .contains(&k.as_str())
        });
        for method in operations {
            let wanted = format!("{} {path}", method.to_uppercase());
            let listed = rows.iter().any(|row| {
                row.split('`').skip(1).step_by(2).any(|cell| {
                    cell == wanted
                        || cell
                            .strip_prefix(wanted.as_str())
                            .is_some_and(|r| r.starts_with('?'))
                })
            });
            if !listed {
                missing.push(wanted);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "README's endpoint table lacks {missing:?}"
    );
}
case!(the_readme_endpoint_table_lists_every_endpoint_of_the_openapi_document);
