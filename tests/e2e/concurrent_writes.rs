//! Concurrent writers cannot store what the schema forbids. CLI imports race each other
//! (one process holds the database at a time; the others are refused, cleanly); HTTP
//! writers race inside one server (validation runs under the write lock, against the
//! generation the write commits onto); CLI writers race the server. Afterwards the
//! database passes `check`, its export re-imports into a fresh store with no error, and no
//! node changed kind.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;

use crate::case;
use crate::common::{base_db, check_ok, cmd, export_jsonl, run, s, stats, write};
use crate::server_e2e::{http, start_with_token, terminate};

const TOKEN: &str = "race";

/// The exit codes a CLI writer may end with: 0 (written) or 1 (refused: invalid, or the
/// database is in use). Never a panic (101) or a signal.
fn allowed_cli_exit(code: Option<i32>, stderr: &str) {
    assert!(
        matches!(code, Some(0) | Some(1)),
        "a racing CLI writer exited {code:?}:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Runs the one-file imports `files` as simultaneous processes; returns how many wrote.
fn race_cli(db: &Path, files: &[std::path::PathBuf]) -> usize {
    let children: Vec<_> = files
        .iter()
        .map(|f| {
            cmd()
                .arg("--db")
                .arg(db)
                .arg("import")
                .arg(f)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("cannot start an import")
        })
        .collect();
    let mut wrote = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        allowed_cli_exit(out.status.code(), &stderr);
        if out.status.success() {
            wrote += 1;
        }
    }
    wrote
}

/// Node id -> kind, from a JSON Lines export.
fn kinds(export: &[u8]) -> BTreeMap<String, String> {
    String::from_utf8_lossy(export)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            let n = v.get("node")?;
            Some((
                n["id"].as_str()?.to_string(),
                n["kind"].as_str()?.to_string(),
            ))
        })
        .collect()
}

/// The export of `db` re-imports into a fresh store with no error and the same counts.
fn export_reimports(db: &Path, dir: &Path) -> Vec<u8> {
    let out = dir.join("export");
    let records = export_jsonl(db, &out);
    let fresh = dir.join("fresh");
    run(&fresh, &["init"]).ok();
    let r = run(&fresh, &["import", s(&out.join("graph.jsonl"))]);
    r.ok();
    assert_eq!(stats(&fresh), stats(db), "{}", r.stdout);
    records
}

fn concurrent_writers_cannot_store_what_the_schema_forbids() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let original = kinds(&export_jsonl(&db, &dir.path().join("x0")));

    // CLI writers, six at a time, with conflicting kinds and edges that are valid only for
    // one of them.
    let mut cli_wrote = 0;
    for round in 0..4 {
        let id = format!("ent:cli{round}");
        let files = vec![
            write(
                dir.path(),
                &format!("a{round}.jsonl"),
                format!(
                    "{{\"node\":{{\"id\":\"{id}\",\"kind\":\"enterprise\",\"name\":\"A\"}}}}\n\
                     {{\"edge\":{{\"source\":\"univ:a\",\"target\":\"{id}\",\"kind\":\"contracts_with\",\"props\":{{\"mode\":\"service\"}}}}}}\n"
                ),
            ),
            write(
                dir.path(),
                &format!("b{round}.csv"),
                format!("id,kind,name\n{id},university,B\n"),
            ),
            write(
                dir.path(),
                &format!("c{round}.csv"),
                format!("source,target,kind,mode\ninst:c,{id},contracts_with,licence\n"),
            ),
            write(
                dir.path(),
                &format!("d{round}.csv"),
                "id,kind,name\nuniv:a,enterprise,Kind change\n",
            ),
            write(
                dir.path(),
                &format!("e{round}.csv"),
                format!("id,kind,name\n{id},research_institute,E\n"),
            ),
            write(
                dir.path(),
                &format!("f{round}.csv"),
                format!("source,target,kind\n{id},proj:p,leads\n"),
            ),
        ];
        cli_wrote += race_cli(&db, &files);
        check_ok(&db);
    }
    assert!(cli_wrote > 0, "no racing CLI import ever wrote");

    // HTTP writers inside one server, and CLI writers against it.
    let server = start_with_token(&db, &["--addr", "127.0.0.1:0"], Some(TOKEN));
    let addr = server.addr.clone();
    let mut both_created = Vec::new();
    for round in 0..10 {
        let id = format!("ent:http{round}");
        let node = |kind: &str| {
            format!("{{\"id\":\"{id}\",\"kind\":\"{kind}\",\"name\":\"{kind} {round}\"}}")
        };
        let import = format!(
            "{{\"node\":{{\"id\":\"{id}\",\"kind\":\"enterprise\",\"name\":\"I\"}}}}\n\
             {{\"edge\":{{\"source\":\"univ:a\",\"target\":\"{id}\",\"kind\":\"contracts_with\",\"props\":{{\"mode\":\"equity\"}}}}}}\n"
        );
        let edge = format!(
            "{{\"source\":\"inst:c\",\"target\":\"{id}\",\"kind\":\"contracts_with\",\"props\":{{\"mode\":\"transfer\"}}}}"
        );
        let requests: Vec<(&str, String, String)> = vec![
            ("POST", "/api/v1/nodes".into(), node("enterprise")),
            ("POST", "/api/v1/nodes".into(), node("university")),
            ("POST", "/api/v1/import".into(), import),
            ("POST", "/api/v1/edges".into(), edge),
            ("DELETE", format!("/api/v1/nodes/{id}"), String::new()),
            ("POST", "/api/v1/nodes".into(), node("platform")),
        ];
        let statuses: Vec<u16> = std::thread::scope(|scope| {
            let handles: Vec<_> = requests
                .iter()
                .map(|(method, path, body)| {
                    let addr = &addr;
                    scope.spawn(move || {
                        let r = http(addr, method, path, Some(TOKEN), body);
                        assert!(
                            matches!(r.status, 200 | 201 | 404 | 409 | 422),
                            "{method} {path} answered {}: {}",
                            r.status,
                            r.body
                        );
                        r.status
                    })
                })
                .collect();
            // A CLI writer meanwhile is refused cleanly: the server holds the database.
            let cli = run(
                &db,
                &["import", s(&dir.path().join(format!("b{}.csv", round % 4)))],
            );
            allowed_cli_exit(Some(cli.code), &cli.stderr);
            assert_eq!(cli.code, 1, "a CLI write got in beside the server");
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let created_kinds = [statuses[0], statuses[1], statuses[5]]
            .iter()
            .filter(|&&st| st == 201)
            .count();
        // Several creations of one id with different kinds can all succeed only if a
        // DELETE came between them; count the rounds where two did, to show it below.
        if created_kinds > 1 && statuses[4] != 200 {
            both_created.push((round, statuses.clone()));
        }
    }
    assert!(
        both_created.is_empty(),
        "a node's kind changed without a delete between the writes: {both_created:?}"
    );
    assert_eq!(terminate(server), 0);

    check_ok(&db);
    let records = export_reimports(&db, dir.path());
    // The nodes that were there before kept their kind.
    let now = kinds(&records);
    for (id, kind) in &original {
        assert_eq!(now.get(id), Some(kind), "node {id} changed kind");
    }
}
case!(concurrent_writers_cannot_store_what_the_schema_forbids);
