//! The bad-input matrix: every malformed file is rejected with exit code 1 and a
//! `FILE:LINE: FIELD: reason` line on stderr, and the store is left exactly as it was.

use crate::case;
use std::path::Path;

use crate::common::{base_db, check_ok, export_jsonl, generation, run, s, stats, write};

/// Imports `file` into a fresh copy of the base store and asserts the import is refused
/// with `file:line: field: ` on stderr and no change to the store.
#[track_caller]
fn assert_rejected(file: &str, line: u64, field: &str) {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    assert_store_refuses(&db, dir.path(), &[file], file, line, field);
}

/// Runs `import files...` on `db` and asserts the refusal and an unchanged store.
#[track_caller]
fn assert_store_refuses(
    db: &Path,
    scratch: &Path,
    files: &[&str],
    file: &str,
    line: u64,
    field: &str,
) {
    let before = export_jsonl(db, &scratch.join("before"));
    let generation_before = generation(db);
    let mut args = vec!["import"];
    args.extend_from_slice(files);
    let r = run(db, &args);
    r.expect_code(1);
    let prefix = format!("{file}:{line}: {field}: ");
    assert!(
        r.stderr.lines().any(|l| l.starts_with(&prefix)),
        "no line starting with `{prefix}` in stderr:\n{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("nothing was imported"),
        "stderr does not say nothing was imported:\n{}",
        r.stderr
    );
    let after = export_jsonl(db, &scratch.join("after"));
    assert!(
        before == after,
        "the export changed after a refused import of {file}"
    );
    assert_eq!(generation(db), generation_before, "the generation moved");
    check_ok(db);
}

macro_rules! bad_file {
    ($($name:ident: $file:literal, $line:literal, $field:literal;)*) => {$(
        fn $name() {
            assert_rejected(concat!("tests/data/bad/", $file), $line, $field);
        }
        case!($name);
    )*};
}

bad_file! {
    bad_header: "bad_header.csv", 1, "header";
    unknown_node_kind: "unknown_node_kind.csv", 2, "kind";
    unknown_edge_kind: "unknown_edge_kind.csv", 2, "kind";
    edge_to_missing_node: "edge_missing_node.csv", 2, "target";
    undirected_edge_to_missing_node_names_the_column_given: "edge_missing_node_undirected.csv", 2, "target";
    forbidden_endpoint_kinds: "forbidden_endpoint.csv", 2, "source";
    forbidden_endpoint_kinds_undirected_names_the_column_given: "forbidden_endpoint_undirected.csv", 2, "target";
    non_numeric_amount: "non_numeric_amount.csv", 2, "amount";
    missing_required_mode: "missing_mode.csv", 2, "props.mode";
    bad_enum_value: "bad_enum.csv", 2, "props.mode";
    bad_int: "bad_int.csv", 2, "since";
    empty_id: "empty_id.csv", 2, "id";
    id_reused_with_another_kind_in_the_import: "id_reused_in_import.csv", 3, "kind";
    id_reused_with_another_kind_than_stored: "id_reused_vs_store.csv", 2, "kind";
    truncated_json_line: "truncated_json.jsonl", 2, "json";
    json_line_not_an_object: "json_not_object.jsonl", 2, "json";
    unknown_json_field: "unknown_json_field.jsonl", 1, "node.colour";
    json_edge_missing_mode_after_blank_line: "json_edge_missing_mode.jsonl", 3, "props.mode";
    json_bad_weight: "json_bad_weight.jsonl", 1, "edge.weight";
    empty_file: "empty.csv", 1, "file";
    row_with_too_many_fields: "too_many_fields.csv", 2, "row";
    negative_weight: "negative_weight.csv", 2, "weight";
    bad_bool: "bad_bool.csv", 2, "pilot_2023";
    duplicate_header_column: "duplicate_header.csv", 1, "header";
    unknown_type_annotation: "unknown_type_annotation.csv", 1, "header";
    self_loop_edge: "self_loop.csv", 2, "target";
    id_with_leading_whitespace: "leading_space_id.csv", 2, "id";
    line_numbers_count_multiline_fields_and_blank_lines: "line_after_multiline_field.csv", 5, "kind";
    crlf_line_ends_and_empty_name: "crlf_empty_name.csv", 3, "name";
}

fn invalid_utf8_csv_cell() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let mut bytes = b"id,kind,name\nx:1,university,\xff\xfe\xe7\n".to_vec();
    bytes.extend_from_slice("x:2,university,乙\n".as_bytes());
    let file = write(dir.path(), "invalid_utf8.csv", bytes);
    assert_store_refuses(&db, dir.path(), &[s(&file)], s(&file), 2, "name");
}
case!(invalid_utf8_csv_cell);

fn invalid_utf8_json_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let mut bytes = r#"{"node":{"id":"x:1","kind":"university","name":"甲"}}"#
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(
        b"\n{\"node\":{\"id\":\"x:2\",\"kind\":\"university\",\"name\":\"\xc3\x28\"}}\n",
    );
    let file = write(dir.path(), "invalid_utf8.jsonl", bytes);
    assert_store_refuses(&db, dir.path(), &[s(&file)], s(&file), 2, "line");
}
case!(invalid_utf8_json_line);

fn huge_csv_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let text = format!(
        "id,kind,name\nx:1,university,甲\nx:2,university,{}\n",
        "长".repeat(70 * 1024 / 3 + 10)
    );
    assert!(text.len() > 70 * 1024);
    let file = write(dir.path(), "huge_field.csv", text);
    assert_store_refuses(&db, dir.path(), &[s(&file)], s(&file), 3, "name");
}
case!(huge_csv_field);

fn huge_json_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let text = format!(
        "{{\"node\":{{\"id\":\"x:1\",\"kind\":\"university\",\"name\":\"{}\"}}}}\n",
        "x".repeat(65 * 1024)
    );
    let file = write(dir.path(), "huge_field.jsonl", text);
    assert_store_refuses(&db, dir.path(), &[s(&file)], s(&file), 1, "node.name");
}
case!(huge_json_field);

fn error_in_the_second_file_names_that_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let good = write(
        dir.path(),
        "good.csv",
        "id,kind,name\nx:new,enterprise,新公司\n",
    );
    let bad = "tests/data/bad/bad_bool.csv";
    assert_store_refuses(&db, dir.path(), &[s(&good), bad], bad, 2, "pilot_2023");
}
case!(error_in_the_second_file_names_that_file);

fn skip_invalid_writes_the_valid_records_and_reports_each_skipped_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let before = stats(&db);
    let nodes = write(
        dir.path(),
        "mixed_nodes.csv",
        "id,kind,name\n\
         ent:new1,enterprise,新一\n\
         ent:bad,spaceship,坏\n\
         ent:new2,enterprise,新二\n\
         ent:noname,enterprise,\n",
    );
    let edges = write(
        dir.path(),
        "mixed_edges.csv",
        "source,target,kind,mode\n\
         univ:a,ent:new1,contracts_with,service\n\
         univ:a,ent:bad,contracts_with,service\n\
         univ:a,ent:new2,contracts_with,fraud\n\
         inst:c,ent:new2,contracts_with,licence\n",
    );
    let r = run(&db, &["import", "--skip-invalid", s(&nodes), s(&edges)]);
    r.ok();
    for (file, line, field) in [
        (&nodes, 3, "kind"),
        (&nodes, 5, "name"),
        (&edges, 3, "target"),
        (&edges, 4, "props.mode"),
    ] {
        let prefix = format!("{}:{line}: {field}: ", s(file));
        assert!(
            r.stderr.lines().any(|l| l.starts_with(&prefix)),
            "no `{prefix}` in stderr:\n{}",
            r.stderr
        );
    }
    assert!(
        r.stderr.contains("skipped 4 invalid record(s)"),
        "{}",
        r.stderr
    );
    let after = stats(&db);
    assert_eq!(
        after["nodes"]["enterprise"].as_u64(),
        before["nodes"]["enterprise"].as_u64().map(|n| n + 2)
    );
    assert_eq!(
        after["edges"]["contracts_with"].as_u64(),
        before["edges"]["contracts_with"].as_u64().map(|n| n + 2)
    );
    check_ok(&db);
}
case!(skip_invalid_writes_the_valid_records_and_reports_each_skipped_line);

fn more_than_fifty_errors_lists_fifty_then_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let mut text = String::from("id,kind,name\n");
    for i in 0..63 {
        text.push_str(&format!("x:{i},spaceship,飞船{i}\n"));
    }
    let file = write(dir.path(), "many.csv", text);
    let before = export_jsonl(&db, &dir.path().join("before"));
    let r = run(&db, &["import", s(&file)]);
    r.expect_code(1);
    let prefix = format!("{}:", s(&file));
    let listed: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with(&prefix))
        .collect();
    assert_eq!(listed.len(), 50, "{}", r.stderr);
    assert!(listed[0].starts_with(&format!("{prefix}2: kind: ")));
    assert!(listed[49].starts_with(&format!("{prefix}51: kind: ")));
    let lines: Vec<&str> = r.stderr.lines().collect();
    let pos = lines
        .iter()
        .position(|l| *l == "... and 13 more")
        .unwrap_or_else(|| panic!("no `... and 13 more` line:\n{}", r.stderr));
    assert!(lines[..pos]
        .iter()
        .rev()
        .take(50)
        .all(|l| l.starts_with(&prefix)));
    assert_eq!(before, export_jsonl(&db, &dir.path().join("after")));
    check_ok(&db);
}
case!(more_than_fifty_errors_lists_fifty_then_counts_the_rest);

fn unknown_flag_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let r = run(&db, &["import", "--frobnicate", "tests/data/bad/empty.csv"]);
    r.expect_code(2);
    assert!(r.stderr.contains("--frobnicate"), "{}", r.stderr);
    run(&db, &["frobnicate"]).expect_code(2);
    run(&db, &["import"]).expect_code(2);
}
case!(unknown_flag_is_a_usage_error);

fn nonexistent_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let before = export_jsonl(&db, &dir.path().join("before"));
    let missing = dir.path().join("no-such-file.csv");
    // A missing file is an error, not an invalid record, even with --skip-invalid.
    for args in [vec!["import"], vec!["import", "--skip-invalid"]] {
        let mut args = args;
        args.push(s(&missing));
        let r = run(&db, &args);
        r.expect_code(1);
        let first = r.stderr.lines().next().unwrap_or_default();
        assert!(
            first.contains(&format!("{}: cannot read", s(&missing)))
                && first.contains("No such file"),
            "unclear error:\n{}",
            r.stderr
        );
        assert!(!r.stderr.contains("invalid record"), "{}", r.stderr);
    }
    assert_eq!(before, export_jsonl(&db, &dir.path().join("after")));
    check_ok(&db);
}
case!(nonexistent_file_is_a_clear_error);
