//! `partners`, `path`, `brokers` and `match` on small hand-made graphs with known answers,
//! through the real binary.

use crate::case;
use std::path::{Path, PathBuf};

use crate::common::{generated_db, run, s, write};
use serde_json::Value;

/// A database holding these CSV nodes and edges.
fn db(dir: &Path, nodes: &str, edges: &str) -> PathBuf {
    let db = dir.join("db");
    let n = write(dir, "nodes.csv", nodes);
    let e = write(dir, "edges.csv", edges);
    run(&db, &["init"]).ok();
    run(&db, &["import", s(&n), s(&e)]).ok();
    db
}

const PARTNER_NODES: &str = "\
id,kind,name
univ:u,university,U University
ent:a,enterprise,A Corp
ent:b,enterprise,B Corp
ent:c,enterprise,C Corp
ent:far,enterprise,Far Corp
inc:i,incubator,I Incubator
tm:t,tech_manager,T Manager
field:x,field,X Field
district:d,district,D District
";

// ent:a is an existing partner (a contract). ent:c is two steps away both through ent:a
// and through the incubator: the introduction path must prefer the incubator although
// `ent:a` sorts first. ent:far is three steps away.
const PARTNER_EDGES: &str = "\
source,target,kind,mode
univ:u,ent:a,contracts_with,development
tm:t,univ:u,works_for,
tm:t,ent:b,serves,
ent:a,ent:c,collaborates_with,
univ:u,inc:i,collaborates_with,
inc:i,ent:c,incubates,
ent:c,ent:far,collaborates_with,
ent:b,field:x,in_field,
ent:far,district:d,located_in,
";

fn ids(rows: &Value) -> Vec<String> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

fn an_existing_partner_is_excluded_unless_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path(), PARTNER_NODES, PARTNER_EDGES);
    let rows = run(
        &db,
        &[
            "partners", "univ:u", "--method", "blend", "--format", "json",
        ],
    )
    .ok()
    .json();
    let got = ids(&rows);
    assert!(!got.contains(&"ent:a".to_string()), "{got:?}");
    let learned = run(&db, &["partners", "univ:u", "--format", "json"])
        .ok()
        .json();
    assert!(!ids(&learned).contains(&"ent:a".to_string()));
    for r in learned.as_array().unwrap() {
        assert_eq!(r["method"], "learned", "{r:#}");
        let c = &r["components"];
        // An organisation: the learned part alone.
        assert!((c["learned"].as_f64().unwrap() - r["score"].as_f64().unwrap()).abs() < 1e-12);
    }
    for id in ["ent:b", "ent:c", "ent:far"] {
        assert!(got.contains(&id.to_string()), "{id} missing from {got:?}");
    }
    for r in rows.as_array().unwrap() {
        assert_eq!(r["kind"], "enterprise");
        assert_eq!(r["method"], "blend");
        let c = &r["components"];
        assert!(c["learned"].is_null());
        let blend = 0.5 * c["pagerank"].as_f64().unwrap()
            + 0.3 * c["field"].as_f64().unwrap()
            + 0.2 * c["proximity"].as_f64().unwrap();
        assert!((blend - r["score"].as_f64().unwrap()).abs() < 1e-12);
    }
    let with = run(
        &db,
        &[
            "partners",
            "univ:u",
            "--include-existing",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    let a = with
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "ent:a")
        .expect("ent:a is listed with --include-existing");
    assert_eq!(a["existing"], true);
    assert_eq!(a["path"], serde_json::json!(["univ:u", "ent:a"]));
    assert_eq!(a["path_edges"], serde_json::json!(["contracts_with"]));
    // Filters by field and district (ids or bare names).
    let field = run(
        &db,
        &["partners", "univ:u", "--field", "x", "--format", "json"],
    )
    .ok()
    .json();
    assert_eq!(ids(&field), vec!["ent:b"]);
    let district = run(
        &db,
        &[
            "partners",
            "univ:u",
            "--district",
            "district:d",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    assert_eq!(ids(&district), vec!["ent:far"]);
    // A field source: its members are not "existing partners"; membership scores 1.
    let from_field = run(&db, &["partners", "field:x", "--format", "json"])
        .ok()
        .json();
    assert_eq!(from_field[0]["id"], "ent:b");
    assert_eq!(from_field[0]["existing"], false);
    assert_eq!(from_field[0]["components"]["field"], 1.0);
    assert_eq!(
        from_field[0]["path"],
        serde_json::json!(["field:x", "ent:b"])
    );
    assert_eq!(from_field[0]["path_edges"], serde_json::json!(["in_field"]));
    // --top
    let top = run(
        &db,
        &["partners", "univ:u", "--top", "1", "--format", "json"],
    )
    .ok()
    .json();
    assert_eq!(top.as_array().unwrap().len(), 1);
}
case!(an_existing_partner_is_excluded_unless_asked_for);

fn the_introduction_path_is_a_shortest_one_through_an_introducer() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path(), PARTNER_NODES, PARTNER_EDGES);
    let rows = run(&db, &["partners", "univ:u", "--format", "json"])
        .ok()
        .json();
    let by_id = |id: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    let c = by_id("ent:c");
    assert_eq!(c["path"], serde_json::json!(["univ:u", "inc:i", "ent:c"]));
    assert_eq!(
        c["path_edges"],
        serde_json::json!(["collaborates_with", "incubates"])
    );
    let b = by_id("ent:b");
    assert_eq!(b["path"], serde_json::json!(["univ:u", "tm:t", "ent:b"]));
    assert_eq!(b["path_edges"], serde_json::json!(["works_for", "serves"]));
    // Every path is as long as the shortest path `path` finds, and as the reported distance.
    for r in rows.as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        let shortest = run(&db, &["path", "univ:u", id, "--k", "1", "--format", "json"])
            .ok()
            .json();
        let len = shortest[0]["length"].as_u64().unwrap();
        assert_eq!(r["path"].as_array().unwrap().len() as u64, len + 1, "{id}");
        assert_eq!(r["components"]["distance"].as_u64().unwrap(), len, "{id}");
        assert_eq!(r["path_edges"].as_array().unwrap().len() as u64, len);
    }
    assert_eq!(by_id("ent:far")["components"]["distance"], 3);
}
case!(the_introduction_path_is_a_shortest_one_through_an_introducer);

fn path_k_returns_distinct_shortest_paths_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let nodes = "id,kind,name\nent:a,enterprise,A\nent:b,enterprise,B\nent:c,enterprise,C\n\
                 ent:d,enterprise,D\nent:e,enterprise,E\nent:f,enterprise,F\n";
    let edges = "source,target,kind\nent:a,ent:b,collaborates_with\nent:b,ent:d,collaborates_with\n\
                 ent:a,ent:c,collaborates_with\nent:c,ent:d,collaborates_with\n\
                 ent:a,ent:e,collaborates_with\nent:e,ent:f,collaborates_with\nent:f,ent:d,collaborates_with\n";
    let db = db(dir.path(), nodes, edges);
    let p = run(
        &db,
        &["path", "ent:a", "ent:d", "--k", "2", "--format", "json"],
    )
    .ok()
    .json();
    assert_eq!(p.as_array().unwrap().len(), 2);
    assert_eq!(p[0]["length"], 2);
    assert_eq!(
        p[0]["nodes"],
        serde_json::json!(["ent:a", "ent:b", "ent:d"])
    );
    assert_eq!(p[0]["names"], serde_json::json!(["A", "B", "D"]));
    assert_eq!(
        p[0]["edges"],
        serde_json::json!(["collaborates_with", "collaborates_with"])
    );
    assert_eq!(p[1]["length"], 2);
    assert_eq!(
        p[1]["nodes"],
        serde_json::json!(["ent:a", "ent:c", "ent:d"])
    );
    let p3 = run(
        &db,
        &["path", "ent:a", "ent:d", "--k", "3", "--format", "json"],
    )
    .ok()
    .json();
    assert_eq!(p3[2]["length"], 3);
    assert_eq!(
        p3[2]["nodes"],
        serde_json::json!(["ent:a", "ent:e", "ent:f", "ent:d"])
    );
    let table = run(&db, &["path", "ent:a", "ent:d", "--k", "2"])
        .ok()
        .stdout
        .clone();
    assert!(
        table.contains("A —collaborates_with— B —collaborates_with— D"),
        "{table}"
    );
}
case!(path_k_returns_distinct_shortest_paths_in_order);

fn row<'a>(rows: &'a Value, id: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}

fn undirected_brokerage_of_a_textbook_star() {
    // Broker inc:b with neighbours of three kinds; univ:u1–univ:u2 tied (a closed triad).
    let dir = tempfile::tempdir().unwrap();
    let nodes = "id,kind,name\ninc:b,incubator,Broker\nuniv:u1,university,U1\nuniv:u2,university,U2\n\
                 ent:e1,enterprise,E1\nent:e2,enterprise,E2\ninc:i2,incubator,I2\ninc:i3,incubator,I3\n";
    let mut edges = String::from("source,target,kind\n");
    for x in ["univ:u1", "univ:u2", "ent:e1", "ent:e2", "inc:i2", "inc:i3"] {
        edges.push_str(&format!("inc:b,{x},collaborates_with\n"));
    }
    edges.push_str("univ:u1,univ:u2,collaborates_with\n");
    let db = db(dir.path(), nodes, &edges);
    let rows = run(&db, &["brokers", "--format", "json"]).ok().json();
    let b = row(&rows, "inc:b");
    // 15 neighbour pairs, 1 closed. {i2,i3}: coordinator; {e1,e2}: itinerant; the 4
    // university–enterprise pairs: liaison; the 8 pairs with one incubator end:
    // representative/gatekeeper.
    assert_eq!(b["coordinator"], 1);
    assert_eq!(b["itinerant"], 1);
    assert_eq!(b["representative_gatekeeper"], 8);
    assert_eq!(b["liaison"], 4);
    assert_eq!(b["total"], 14);
    assert!(
        b.get("gatekeeper").is_none(),
        "no separate gatekeeper undirected"
    );
    assert!(b["constraint"].as_f64().unwrap() > 0.0);
    assert_eq!(rows[0]["id"], "inc:b", "the broker ranks first");
    // Only university–enterprise two-paths.
    let between = run(
        &db,
        &[
            "brokers",
            "--between",
            "university,enterprise",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    let b = row(&between, "inc:b");
    assert_eq!(b["liaison"], 4);
    assert_eq!(b["total"], 4);
    // z-scores are deterministic for a seed.
    let again = run(&db, &["brokers", "--format", "json"]).ok().json();
    assert_eq!(rows, again);
    // --kind filters rows.
    let unis = run(
        &db,
        &["brokers", "--kind", "university", "--format", "json"],
    )
    .ok()
    .json();
    assert_eq!(ids(&unis), vec!["univ:u1", "univ:u2"]);
}
case!(undirected_brokerage_of_a_textbook_star);

fn directed_brokerage_counts_all_five_roles() {
    // Broker ent:b. In: univ:u (contract), inc:i and ent:e (incubations).
    // Out: ent:c (incubation), ent:d and univ:v (spin-off).
    let dir = tempfile::tempdir().unwrap();
    let nodes = "id,kind,name\nent:b,enterprise,B\nuniv:u,university,U\ninc:i,incubator,I\n\
                 ent:e,enterprise,E\nent:c,enterprise,C\nent:d,enterprise,D\nuniv:v,university,V\n";
    let edges = "source,target,kind,mode\nuniv:u,ent:b,contracts_with,development\n\
                 inc:i,ent:b,incubates,\nent:e,ent:b,incubates,\nent:b,ent:c,incubates,\n\
                 ent:b,ent:d,spun_off_from,\nent:b,univ:v,spun_off_from,\n";
    let db = db(dir.path(), nodes, edges);
    let rows = run(&db, &["brokers", "--directed", "--format", "json"])
        .ok()
        .json();
    let b = row(&rows, "ent:b");
    // u→b→c, u→b→d, i→b→c, i→b→d: gatekeeper (4); u→b→v: itinerant; i→b→v: liaison;
    // e→b→c, e→b→d: coordinator (2); e→b→v: representative.
    assert_eq!(b["coordinator"], 2);
    assert_eq!(b["itinerant"], 1);
    assert_eq!(b["representative"], 1);
    assert_eq!(b["gatekeeper"], 4);
    assert_eq!(b["liaison"], 1);
    assert_eq!(b["total"], 9);
}
case!(directed_brokerage_counts_all_five_roles);

fn match_reports_the_planted_rate() {
    let dir = tempfile::tempdir().unwrap();
    let nodes = "id,kind,name\nent:p1,enterprise,P1\nent:p2,enterprise,P2\n\
                 dem:1,demand,D1\ndem:2,demand,D2\ndem:3,demand,D3\ndem:4,demand,D4\n\
                 ach:a1,achievement,A1\nuniv:u,university,U\nfield:ai,field,AI\nfield:bio,field,Bio\n";
    // ent:p2 has a contract with univ:u, which owns ach:a1: both are near dem:3.
    let edges = "source,target,kind,matched:bool,mode
ent:p1,dem:1,posts,,
ent:p1,dem:2,posts,,
ent:p2,dem:3,posts,,
ent:p2,dem:4,posts,,
ach:a1,dem:1,solves,true,
univ:u,dem:2,solves,false,
univ:u,ent:p2,contracts_with,,development
univ:u,ach:a1,owns,,
dem:3,field:ai,in_field,,
ach:a1,field:ai,in_field,,
dem:4,field:bio,in_field,,
";
    let db = db(dir.path(), nodes, edges);
    let r = run(&db, &["match", "--format", "json"]).ok().json();
    assert_eq!(r["demands"], 4);
    assert_eq!(r["matched"], 2);
    assert_eq!(r["match_rate"], 0.5);
    assert_eq!(r["solutions"], 2);
    assert_eq!(r["docked"], 1);
    assert_eq!(r["docking_rate"], 0.5);
    // dem:3 shares its field with univ:u (one hop from the poster: 0.6 + 0.4) and ach:a1
    // (two hops: 0.6 + 0.2); dem:4 (bio) has no candidate in its field: univ:u scores 0.4.
    assert_eq!(r["matchable"], 1);
    assert_eq!(r["potential_rate"], 0.75);
    let bio = r["by_field"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "field:bio")
        .unwrap();
    assert_eq!(bio["unmatched"], 1);
    assert_eq!(bio["unmatchable"], 1);
    let unmatched = r["unmatched"].as_array().unwrap();
    assert_eq!(unmatched.len(), 2);
    assert_eq!(unmatched[0]["id"], "dem:3");
    assert_eq!(unmatched[0]["candidates"][0]["id"], "univ:u");
    assert_eq!(unmatched[0]["candidates"][0]["score"], 1.0);
    assert_eq!(unmatched[0]["candidates"][1]["id"], "ach:a1");
    assert_eq!(unmatched[0]["candidates"][1]["distance"], 2);
    let table = run(&db, &["match"]).ok().stdout.clone();
    assert!(table.contains("= 50.0 %"), "{table}");
}
case!(match_reports_the_planted_rate);

fn unknown_ids_exit_1_with_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path(), PARTNER_NODES, PARTNER_EDGES);
    let r = run(&db, &["partners", "univ:x"]);
    r.expect_code(1);
    assert!(r.stderr.contains("did you mean"), "{}", r.stderr);
    assert!(r.stderr.contains("univ:u"), "{}", r.stderr);
    let r = run(&db, &["path", "univ:u", "ent:fa"]);
    r.expect_code(1);
    assert!(r.stderr.contains("did you mean"), "{}", r.stderr);
    // An id that names nothing is "not found" (1); a value the option cannot take is a
    // usage error (2), as clap's own.
    let r = run(&db, &["partners", "univ:u", "--field", "nonexistent-field"]);
    r.expect_code(2);
}
case!(unknown_ids_exit_1_with_did_you_mean);

/// The tech managers that work for `org` and for no other organisation, from the generated
/// `works_for` file.
fn managers_of(gen: &Path, org: &str) -> Vec<String> {
    let path = std::fs::read_dir(gen)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("-edges-works_for.csv"))
        .expect("a generated works_for file");
    let mut reader = csv::Reader::from_path(path).unwrap();
    let pairs: Vec<(String, String)> = reader
        .records()
        .map(|r| r.unwrap())
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect();
    pairs
        .iter()
        .filter(|(tm, target)| {
            target == org && pairs.iter().all(|(other, t)| other != tm || t == org)
        })
        .map(|(tm, _)| tm.clone())
        .collect()
}

fn learned_partners_read_the_model_gaps_learns() {
    let dir = tempfile::tempdir().unwrap();
    let (db, gen) = generated_db(dir.path());
    let gaps = run(
        &db,
        &["gaps", "--top", "200", "--seed", "5", "--format", "json"],
    )
    .ok()
    .json();
    let gaps = gaps.as_array().unwrap();
    let source = gaps[0]["source"].as_str().unwrap().to_string();
    let rows = run(
        &db,
        &[
            "partners", &source, "--top", "10000", "--seed", "5", "--format", "json",
        ],
    )
    .ok()
    .json();
    let rows = rows.as_array().unwrap();
    assert!(rows.len() > 100, "{}", rows.len());
    let mut best_learned = 0.0f64;
    for r in rows {
        assert_eq!(r["method"], "learned", "{r:#}");
        let c = &r["components"];
        let learned = c["learned"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&learned), "{r:#}");
        best_learned = best_learned.max(learned);
        assert!(
            (learned - r["score"].as_f64().unwrap()).abs() < 1e-12,
            "{r:#}"
        );
        assert!(c["pagerank"].is_null());
        // The introduction path still starts at the source.
        let path = r["path"].as_array().unwrap();
        if !path.is_empty() {
            assert_eq!(path[0], source.as_str());
        }
    }
    assert_eq!(
        best_learned, 1.0,
        "the actor's best firm has learned part 1"
    );
    // The same model as `gaps` (same seed, same kinds): the raw learned score of every pair
    // `gaps` lists for this source is the gap's score.
    let mut checked = 0;
    for g in gaps.iter().filter(|g| g["source"] == source.as_str()) {
        let row = rows
            .iter()
            .find(|r| r["id"] == g["target"])
            .unwrap_or_else(|| panic!("{} not among the partners", g["target"]));
        let raw = row["components"]["learned_raw"].as_f64().unwrap();
        assert!(
            (raw - g["score"].as_f64().unwrap()).abs() < 1e-9,
            "{row:#} {g:#}"
        );
        checked += 1;
    }
    assert!(checked > 0);

    // A tech manager of this university alone ranks firms by the university's learned row.
    let managers = managers_of(&gen, &source);
    let tm = managers
        .first()
        .expect("the generated university has a tech manager of its own");
    let from_tm = run(
        &db,
        &[
            "partners", tm, "--top", "10000", "--seed", "5", "--format", "json",
        ],
    )
    .ok()
    .json();
    let mut compared = 0;
    for r in from_tm.as_array().unwrap() {
        assert_eq!(r["method"], "learned");
        // A tech manager: the learned row blended with its own fields.
        let c = &r["components"];
        let blend = 0.7 * c["learned"].as_f64().unwrap() + 0.3 * c["field"].as_f64().unwrap();
        assert!(
            (blend - r["score"].as_f64().unwrap()).abs() < 1e-12,
            "{r:#}"
        );
        if let Some(uni) = rows.iter().find(|u| u["id"] == r["id"]) {
            assert_eq!(
                r["components"]["learned"], uni["components"]["learned"],
                "{r:#}"
            );
            compared += 1;
        }
    }
    assert!(compared > 100, "{compared}");

    // A field has no organisation to learn for: the blend ranks, and a note says so.
    let field = run(&db, &["partners", "field:biomedicine", "--top", "5"]);
    assert!(
        field.ok().stderr.contains("ranked by the blend"),
        "{}",
        field.stderr
    );
    let json = run(&db, &["partners", "field:biomedicine", "--format", "json"])
        .ok()
        .json();
    assert_eq!(json[0]["method"], "blend");
    assert!(json[0]["components"]["pagerank"].is_number());

    // --model prints the card; JSON with --model puts the rows beside it.
    let text = run(&db, &["partners", &source, "--model"])
        .ok()
        .stdout
        .clone();
    assert!(text.contains("Model card"), "{text}");
    let both = run(&db, &["partners", &source, "--model", "--format", "json"])
        .ok()
        .json();
    assert!(
        both["rows"].is_array() && both["models"][0]["card"].is_object(),
        "{both:#}"
    );
    assert_eq!(both["actors"][0], source.as_str());
}
case!(learned_partners_read_the_model_gaps_learns);

/// `innograph --db DB ARGS...` with `INNOGRAPH_TRACE=1`: (exit code, stdout, stderr).
fn traced(db: &Path, args: &[&str]) -> (i32, String, String) {
    let out = crate::common::cmd()
        .env("INNOGRAPH_TRACE", "1")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("cannot start the innograph binary");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Kept rankers' files anywhere under `dir`.
fn kept_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(kept_files(&path));
        } else if path.extension().is_some_and(|x| x == "kept") {
            out.push(path);
        }
    }
    out
}

fn a_kept_ranker_answers_as_training_does_and_a_damaged_one_is_trained_again() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = generated_db(dir.path());
    let args = ["partners", "univ:sjtu", "--top", "50", "--format", "json"];
    let (code, first, err) = traced(&db, &args);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("kept ranker learned.university.enterprise written"),
        "{err}"
    );
    let files = kept_files(&db);
    assert_eq!(files.len(), 1, "{files:?}");
    let (code, second, err) = traced(&db, &args);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("kept ranker learned.university.enterprise used"),
        "{err}"
    );
    assert_eq!(first, second);
    // `gaps` reads the same ranker.
    let (code, _, err) = traced(&db, &["gaps", "--top", "5", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("learned.university.enterprise used"), "{err}");
    // Damaged: ignored with a trace line, trained again, replaced; the same answer.
    std::fs::write(&files[0], b"not a kept ranker").unwrap();
    let (code, third, err) = traced(&db, &args);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("ignored"), "{err}");
    assert!(err.contains("written"), "{err}");
    assert_eq!(first, third);
    let (_, _, err) = traced(&db, &args);
    assert!(err.contains("used"), "{err}");
    // Another seed replaces it: still one file.
    let (code, _, err) = traced(&db, &["partners", "univ:sjtu", "--seed", "3"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("trained again"), "{err}");
    assert_eq!(kept_files(&db).len(), 1);
}
case!(a_kept_ranker_answers_as_training_does_and_a_damaged_one_is_trained_again);

fn train_keeps_every_ranker_the_questions_read_and_changes_no_answer() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = generated_db(dir.path());
    // Answers of an untrained store (each question trains what it needs).
    let untrained = dir.path().join("untrained");
    let copy = |from: &Path, to: &Path| {
        let status = std::process::Command::new("cp")
            .arg("-r")
            .arg(from)
            .arg(to)
            .status()
            .unwrap();
        assert!(status.success());
    };
    copy(&db, &untrained);
    let partners = ["partners", "univ:sjtu", "--top", "30", "--format", "json"];
    let consortia = [
        "consortia",
        "--field",
        "biomedicine",
        "--with",
        "univ:sjtu",
        "--candidates",
        "3",
        "--format",
        "json",
    ];
    let (_, partners_before, _) = traced(&untrained, &partners);
    let (_, consortia_before, _) = traced(&untrained, &consortia);

    let (code, out, err) = traced(&db, &["train", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let trained: Value = serde_json::from_str(&out).unwrap();
    let trained = trained.as_array().unwrap();
    let kinds: Vec<(String, String)> = trained
        .iter()
        .map(|t| {
            assert_eq!(t["already_kept"], false, "{t:#}");
            (
                t["kinds"][0].as_str().unwrap().to_string(),
                t["kinds"][1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // gaps' and partners' pair, and a pair named as candidate consortia name them.
    let has = |a: &str, b: &str| kinds.contains(&(a.to_string(), b.to_string()));
    assert!(has("university", "enterprise"), "{kinds:?}");
    assert!(has("enterprise", "university"), "{kinds:?}");
    assert_eq!(kept_files(&db).len(), trained.len());
    assert!(err.contains("trained and kept"), "{err}");

    // Again: everything is already kept, nothing is trained.
    let (code, out, _) = traced(&db, &["train", "--format", "json"]);
    assert_eq!(code, 0);
    let again: Value = serde_json::from_str(&out).unwrap();
    assert!(again
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["already_kept"] == true));

    // The questions read the kept rankers and answer as the untrained store did.
    let (code, partners_after, err) = traced(&db, &partners);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("written"), "{err}");
    assert_eq!(partners_before, partners_after);
    let (code, consortia_after, err) = traced(&db, &consortia);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("written") && err.contains("used"), "{err}");
    assert_eq!(consortia_before, consortia_after);

    // A pair named on the command line (twice: trained once); an unknown kind is a clear
    // error.
    let (code, out, _) = traced(
        &db,
        &[
            "train",
            "--between",
            "research_institute,enterprise",
            "--between",
            "research_institute,enterprise",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0);
    let one: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(one.as_array().unwrap().len(), 1);
    let (code, _, err) = traced(&db, &["train", "--between", "university,spaceship"]);
    assert_ne!(code, 0);
    assert!(err.contains("spaceship"), "{err}");
}
case!(train_keeps_every_ranker_the_questions_read_and_changes_no_answer);
