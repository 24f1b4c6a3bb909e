//! `path --robust`, `connect` and `match --assign` (the analyses petgraph's flow and matching
//! algorithms make cheap) on small hand-made graphs with known answers: through the real
//! binary, and through the HTTP router in-process, which must answer in the same shapes.

use crate::case;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::common::{run, s, write};
use innograph::ingest::{self, Files, ImportOptions, InputFile};
use innograph::model::Schema;
use innograph::server::{app, AppState, ServerOptions};
use innograph::store::Store;

const NODES: &str = "\
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

// univ:u reaches ent:c two ways that share no tie (through ent:a and through the
// incubator); ent:c – ent:far is a bridge. Directed: contracts_with and incubates point
// away from univ:u, so nothing leads back from ent:c to univ:u along directions.
const EDGES: &str = "\
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

// Five demands: dem:0 is solved already; dem:1 and dem:2 (ai) compete for the one ai
// achievement; dem:3 (bio) has two bio achievements to choose from; dem:4 (x) has no
// achievement in its field.
const MATCH_NODES: &str = "\
id,kind,name
ent:p,enterprise,Poster
dem:0,demand,D0
dem:1,demand,D1
dem:2,demand,D2
dem:3,demand,D3
dem:4,demand,D4
ach:0,achievement,A0
ach:1,achievement,A1
ach:2,achievement,A2
ach:3,achievement,A3
field:ai,field,AI
field:bio,field,Bio
field:x,field,X
";

const MATCH_EDGES: &str = "\
source,target,kind,matched:bool
ent:p,dem:0,posts,
ent:p,dem:1,posts,
ent:p,dem:2,posts,
ent:p,dem:3,posts,
ent:p,dem:4,posts,
ach:0,dem:0,solves,true
dem:1,field:ai,in_field,
dem:2,field:ai,in_field,
dem:3,field:bio,in_field,
dem:4,field:x,in_field,
ach:1,field:ai,in_field,
ach:2,field:bio,in_field,
ach:3,field:bio,in_field,
";

/// A database holding these CSV nodes and edges, through the binary.
fn db(dir: &Path, nodes: &str, edges: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let db = dir.join("db");
    let n = write(dir, "nodes.csv", nodes);
    let e = write(dir, "edges.csv", edges);
    run(&db, &["init"]).ok();
    run(&db, &["import", s(&n), s(&e)]).ok();
    db
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

fn robust_counts_the_introductions_that_share_no_tie() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path(), NODES, EDGES);
    let r = run(
        &db,
        &["path", "univ:u", "ent:c", "--robust", "--format", "json"],
    )
    .ok()
    .json();
    assert_eq!(
        r,
        json!({
            "source": "univ:u",
            "target": "ent:c",
            "edge_disjoint_paths": 2,
            "paths": [["univ:u", "ent:a", "ent:c"], ["univ:u", "inc:i", "ent:c"]],
        })
    );
    // Everything to ent:far crosses the bridge ent:c – ent:far.
    let r = run(
        &db,
        &["path", "univ:u", "ent:far", "--robust", "--format", "json"],
    )
    .ok()
    .json();
    assert_eq!(r["edge_disjoint_paths"], 1);
    assert_eq!(r["paths"].as_array().unwrap().len(), 1);
    assert_eq!(strings(&r["paths"][0]).last().unwrap(), "ent:far");
    // Along directions: two routes out of univ:u, none back.
    let out = run(
        &db,
        &[
            "path",
            "univ:u",
            "ent:c",
            "--robust",
            "--directed",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    assert_eq!(out["edge_disjoint_paths"], 2);
    let back = run(
        &db,
        &[
            "path",
            "ent:c",
            "univ:u",
            "--robust",
            "--directed",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    assert_eq!(back["edge_disjoint_paths"], 0);
    assert_eq!(back["paths"], json!([]));
    // Attribute edges are left out unless asked for.
    let r = run(
        &db,
        &[
            "path",
            "ent:b",
            "district:d",
            "--robust",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    assert_eq!(r["edge_disjoint_paths"], 0);
    let r = run(
        &db,
        &[
            "path",
            "ent:b",
            "district:d",
            "--robust",
            "--with-attributes",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    assert_eq!(r["edge_disjoint_paths"], 1);
    // The table names the actors.
    let t = run(&db, &["path", "univ:u", "ent:far", "--robust"]);
    t.ok();
    assert!(t.stdout.contains("hangs on every tie"), "{}", t.stdout);
    assert!(t.stdout.contains("Far Corp"), "{}", t.stdout);
    // Bad input: the same node twice, an unknown id, --k with --robust.
    let r = run(&db, &["path", "univ:u", "univ:u", "--robust"]);
    r.expect_code(2); // a value the command cannot use (HTTP 400)
    assert!(r.stderr.contains("must differ"), "{}", r.stderr);
    let r = run(&db, &["path", "univ:u", "ent:fa", "--robust"]);
    r.expect_code(1);
    assert!(r.stderr.contains("did you mean"), "{}", r.stderr);
    run(&db, &["path", "univ:u", "ent:c", "--robust", "--k", "2"]).expect_code(2);
}
case!(robust_counts_the_introductions_that_share_no_tie);

fn connect_finds_the_fewest_intermediaries() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path(), NODES, EDGES);
    let r = run(
        &db,
        &["connect", "ent:b", "ent:far", "inc:i", "--format", "json"],
    )
    .ok()
    .json();
    assert_eq!(
        strings(&r["intermediaries"]),
        ["ent:c", "tm:t", "univ:u"],
        "{r}"
    );
    assert_eq!(
        r["edges"],
        json!([
            ["ent:b", "tm:t"],
            ["ent:c", "ent:far"],
            ["ent:c", "inc:i"],
            ["inc:i", "univ:u"],
            ["tm:t", "univ:u"],
        ])
    );
    assert_eq!(
        strings(&r["nodes"]),
        ["ent:b", "ent:c", "ent:far", "inc:i", "tm:t", "univ:u"]
    );
    let t = run(&db, &["connect", "ent:b", "ent:far", "inc:i"]);
    t.ok();
    assert!(t.stdout.contains("3 intermediaries"), "{}", t.stdout);
    assert!(t.stdout.contains("T Manager"), "{}", t.stdout);
    // Neighbours need nobody in between.
    let r = run(&db, &["connect", "ent:a", "ent:c", "--format", "json"])
        .ok()
        .json();
    assert_eq!(r["intermediaries"], json!([]));
    assert_eq!(r["edges"], json!([["ent:a", "ent:c"]]));
    // district:d is reached only through an attribute edge.
    let r = run(&db, &["connect", "ent:far", "district:d"]);
    r.expect_code(2); // a bad parameter (HTTP 400), like every value the command cannot use
    assert!(
        r.stderr.contains("district:d cannot be reached"),
        "{}",
        r.stderr
    );
    let r = run(
        &db,
        &[
            "connect",
            "ent:far",
            "district:d",
            "--with-attributes",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    assert_eq!(r["edges"], json!([["district:d", "ent:far"]]));
    // One id is not a group; unknown ids get suggestions.
    run(&db, &["connect", "ent:a"]).expect_code(2);
    let r = run(&db, &["connect", "ent:a", "ent:fa"]);
    r.expect_code(1);
    assert!(r.stderr.contains("did you mean"), "{}", r.stderr);
}
case!(connect_finds_the_fewest_intermediaries);

fn assign_answers_as_many_open_demands_as_achievements_allow() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path(), MATCH_NODES, MATCH_EDGES);
    let r = run(&db, &["match", "--assign", "--format", "json"])
        .ok()
        .json();
    assert_eq!(r["demands"], 4, "{r}");
    assert_eq!(r["assigned"], 2);
    assert_eq!(r["without_candidate"], 1);
    assert_eq!(r["achievements"], 3);
    assert_eq!(r["all_demands"], 5);
    assert_eq!(r["matched"], 1);
    assert_eq!(r["match_rate"], 0.2);
    assert_eq!(r["rate_with_assignment"], 0.6);
    let pairs = r["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 2);
    let ai = &pairs[0];
    assert!(ai["demand"] == "dem:1" || ai["demand"] == "dem:2", "{ai}");
    assert_eq!(ai["achievement"], "ach:1");
    assert_eq!(ai["field"], "field:ai");
    let bio = &pairs[1];
    assert_eq!(bio["demand"], "dem:3");
    assert!(
        bio["achievement"] == "ach:2" || bio["achievement"] == "ach:3",
        "{bio}"
    );
    assert_eq!(bio["field"], "field:bio");
    let t = run(&db, &["match", "--assign"]);
    t.ok();
    assert!(t.stdout.contains("20.0 %"), "{}", t.stdout);
    assert!(t.stdout.contains("60.0 %"), "{}", t.stdout);
    run(&db, &["match", "--assign", "--top", "3"]).expect_code(2);
}
case!(assign_answers_as_many_open_demands_as_achievements_allow);

/// The router over a store holding these CSV nodes and edges.
fn router(dir: &Path, nodes: &str, edges: &str) -> axum::Router {
    std::fs::create_dir_all(dir).unwrap();
    let (store, _) = Store::init(&dir.join("db"), Schema::builtin(), None).unwrap();
    let mut input = Files(vec![
        InputFile::new(write(dir, "nodes.csv", nodes)),
        InputFile::new(write(dir, "edges.csv", edges)),
    ]);
    ingest::import(
        &store,
        &mut input,
        ImportOptions::default(),
        "test fixture",
        &mut |_| {},
        &|| false,
    )
    .unwrap();
    let state = AppState::new(Arc::new(store), ServerOptions::default()).unwrap();
    app(state)
}

async fn get(router: &axum::Router, uri: &str) -> (StatusCode, Value) {
    let response = router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, serde_json::from_slice(&bytes).unwrap())
}

async fn http_answers_in_the_cli_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let cli_db = db(&dir.path().join("cli"), NODES, EDGES);
    let api = router(&dir.path().join("api"), NODES, EDGES);

    let (status, body) = get(&api, "/api/v1/path?from=univ:u&to=ent:c&robust=true").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cli = run(
        &cli_db,
        &["path", "univ:u", "ent:c", "--robust", "--format", "json"],
    )
    .ok()
    .json();
    assert_eq!(body, cli);
    let (status, body) = get(
        &api,
        "/api/v1/path?from=ent:c&to=univ:u&robust=true&directed=true",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["edge_disjoint_paths"], 0);

    let (status, body) = get(&api, "/api/v1/connect?id=ent:b&id=ent:far&id=inc:i").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cli = run(
        &cli_db,
        &["connect", "ent:b", "ent:far", "inc:i", "--format", "json"],
    )
    .ok()
    .json();
    assert_eq!(body, cli);

    // Bad input is a JSON error with a 4xx status.
    for (uri, status) in [
        (
            "/api/v1/path?from=univ:u&to=ent:c&robust=true&k=2",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/path?from=univ:u&to=ent:c&directed=true",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/path?from=univ:u&to=univ:u&robust=true",
            StatusCode::BAD_REQUEST,
        ),
        ("/api/v1/connect?id=ent:b", StatusCode::BAD_REQUEST),
        ("/api/v1/connect?id=ent:b&id=ent:zz", StatusCode::NOT_FOUND),
        (
            "/api/v1/connect?id=ent:far&id=district:d",
            StatusCode::BAD_REQUEST,
        ),
        ("/api/v1/match?assign=true&top=3", StatusCode::BAD_REQUEST),
    ] {
        let (got, body) = get(&api, uri).await;
        assert_eq!(got, status, "{uri}: {body}");
        assert!(body["error"]["message"].is_string(), "{uri}: {body}");
    }

    let match_dir = dir.path().join("match");
    let cli_db = db(&match_dir.join("cli"), MATCH_NODES, MATCH_EDGES);
    let api = router(&match_dir.join("api"), MATCH_NODES, MATCH_EDGES);
    let (status, body) = get(&api, "/api/v1/match?assign=true").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cli = run(&cli_db, &["match", "--assign", "--format", "json"])
        .ok()
        .json();
    assert_eq!(body, cli);
    assert_eq!(body["assigned"], 2);
}
case!(async http_answers_in_the_cli_shapes);
