//! The web page and what it reads, over the Shanghai fixtures: the embedded page and its
//! headers, the endpoints the page added to the public API (`/nodes/{id}/edges`,
//! `/nodes/{id}/ego`, `/nodes/{id}/ranks`, `/distribution`), the HTML batch report, and
//! the page driven in headless Chromium against the real `innograph serve`
//! (tests/web/browser_test.py; needs INNOGRAPH_PYTHON with Playwright and
//! INNOGRAPH_CHROMIUM, as tests/all.sh sets them up).

use crate::{case, harness};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt;

use crate::common::{self, cmd, s};
use innograph::ingest::{self, Files, ImportOptions, InputFile};
use innograph::model::Schema;
use innograph::server::{app, AppState, ServerOptions};
use innograph::store::Store;

fn fixture_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn shanghai_store(dir: &Path) -> Store {
    let (store, _) = Store::init(&dir.join("db"), Schema::builtin(), None).unwrap();
    let mut input = Files(vec![
        InputFile::new(fixture_file("shanghai/nodes.csv")),
        InputFile::new(fixture_file("shanghai/edges.csv")),
    ]);
    ingest::import(
        &store,
        &mut input,
        ImportOptions::default(),
        "web test fixture",
        &mut |_| {},
        &|| false,
    )
    .unwrap();
    store
}

struct Fixture {
    _dir: tempfile::TempDir,
    state: AppState,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = shanghai_store(dir.path());
    let state = AppState::new(Arc::new(store), ServerOptions::default()).unwrap();
    Fixture { _dir: dir, state }
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    bytes: Vec<u8>,
}

impl Reply {
    #[track_caller]
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.bytes)))
    }

    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

async fn get(f: &Fixture, uri: &str) -> Reply {
    let response = app(f.state.clone())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Reply {
        status,
        headers,
        bytes,
    }
}

async fn the_page_and_its_assets_are_served_under_a_strict_policy() {
    let f = fixture();
    let page = get(&f, "/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header(header::CONTENT_TYPE).starts_with("text/html"));
    assert_eq!(
        page.header(header::CONTENT_SECURITY_POLICY),
        "default-src 'self'"
    );
    assert_eq!(page.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    let html = String::from_utf8(page.bytes.clone()).unwrap();
    assert!(html.contains("/assets/js/app.js"));
    for path in [
        "/assets/js/app.js",
        "/assets/js/views/actor.js",
        "/assets/vendor/cytoscape.esm.min.mjs",
    ] {
        let r = get(&f, path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(r
            .header(header::CONTENT_TYPE)
            .starts_with("text/javascript"));
        assert_eq!(
            r.header(header::CONTENT_SECURITY_POLICY),
            "default-src 'self'"
        );
    }
    let css = get(&f, "/assets/app.css").await;
    assert!(css.header(header::CONTENT_TYPE).starts_with("text/css"));
    let missing = get(&f, "/assets/js/nope.js").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"]["code"], "not_found");
    let traversal = get(&f, "/assets/../Cargo.toml").await;
    assert_eq!(traversal.status, StatusCode::NOT_FOUND);
}
case!(async the_page_and_its_assets_are_served_under_a_strict_policy);

async fn edges_list_every_record_touching_a_node_with_the_other_end() {
    let f = fixture();
    let node = get(&f, "/api/v1/nodes/univ:sjtu").await.json();
    let all = get(&f, "/api/v1/nodes/univ:sjtu/edges?limit=1000").await;
    assert_eq!(all.status, StatusCode::OK);
    let all = all.json();
    assert_eq!(all["total"], node["degree"]);
    let items = all["items"].as_array().unwrap();
    assert!(items.iter().any(|e| e["kind"] == "collaborates_with"
        && e["direction"] == "both"
        && e["other"]["id"] == "ent:catl"
        && e["other"]["name"] == "宁德时代"));
    assert!(items
        .iter()
        .any(|e| e["kind"] == "operates" && e["direction"] == "out"));
    let collab = get(
        &f,
        "/api/v1/nodes/univ:sjtu/edges?edge_kind=collaborates_with",
    )
    .await
    .json();
    assert!(collab["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["kind"] == "collaborates_with"));
    let unknown = get(&f, "/api/v1/nodes/univ:sjtx/edges").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("univ:sjtu"));
    let bad = get(&f, "/api/v1/nodes/univ:sjtu/edges?edge_kind=fame").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let extra = get(&f, "/api/v1/nodes/univ:sjtu/edges?colour=red").await;
    assert_eq!(extra.status, StatusCode::BAD_REQUEST);
}
case!(async edges_list_every_record_touching_a_node_with_the_other_end);

async fn the_ego_network_holds_the_neighbourhood_and_samples_when_capped() {
    let f = fixture();
    let hop1 = get(&f, "/api/v1/nodes/univ:sjtu/neighbors?depth=1&limit=1000")
        .await
        .json();
    let hop2 = get(&f, "/api/v1/nodes/univ:sjtu/neighbors?depth=2&limit=1000")
        .await
        .json();
    let ego = get(&f, "/api/v1/nodes/univ:sjtu/ego?depth=2").await;
    assert_eq!(ego.status, StatusCode::OK);
    let ego = ego.json();
    assert_eq!(ego["sampled"], false);
    let nodes = ego["nodes"].as_array().unwrap();
    assert_eq!(nodes.len() as u64, 1 + hop2["total"].as_u64().unwrap());
    assert_eq!(nodes[0]["id"], "univ:sjtu");
    assert_eq!(nodes[0]["hop"], 0);
    assert_eq!(ego["reachable"][1], hop1["total"]);
    assert!(nodes.iter().all(|n| n["kind"].is_string()));
    assert!(nodes[0]["pagerank"].as_f64().unwrap() > 0.0);
    let ids: std::collections::HashSet<&str> =
        nodes.iter().map(|n| n["id"].as_str().unwrap()).collect();
    let edges = ego["edges"].as_array().unwrap();
    assert!(!edges.is_empty());
    assert!(edges
        .iter()
        .all(|e| ids.contains(e["source"].as_str().unwrap())
            && ids.contains(e["target"].as_str().unwrap())));

    let capped = get(&f, "/api/v1/nodes/univ:sjtu/ego?depth=2&limit=4")
        .await
        .json();
    assert_eq!(capped["sampled"], true);
    assert_eq!(capped["nodes"].as_array().unwrap().len(), 4);
    assert_eq!(capped["returned"][0], 1);
    assert_eq!(capped["returned"][1], 3, "nearest first");

    let whole_edges = edges.len() as u64;
    assert_eq!(ego["edges_among"].as_u64(), Some(whole_edges));
    let few = get(&f, "/api/v1/nodes/univ:sjtu/ego?depth=2&edge_limit=5")
        .await
        .json();
    assert_eq!(few["edges"].as_array().unwrap().len(), 5);
    assert_eq!(few["edges_among"].as_u64(), Some(whole_edges));
    assert_eq!(few["sampled"], true, "left-out edges make it a sample");
    assert!(
        few["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["source"] == "univ:sjtu" || e["target"] == "univ:sjtu"),
        "ties to the centre come first"
    );

    for bad in [
        "/api/v1/nodes/univ:sjtu/ego?depth=0",
        "/api/v1/nodes/univ:sjtu/ego?depth=9",
        "/api/v1/nodes/univ:sjtu/ego?limit=1",
        "/api/v1/nodes/univ:sjtu/ego?edge_limit=0",
        "/api/v1/nodes/univ:sjtu/ego?limit=100000",
    ] {
        assert_eq!(get(&f, bad).await.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    assert_eq!(
        get(&f, "/api/v1/nodes/nobody/ego").await.status,
        StatusCode::NOT_FOUND
    );
}
case!(async the_ego_network_holds_the_neighbourhood_and_samples_when_capped);

async fn ranks_place_an_actor_among_its_kind() {
    let f = fixture();
    let r = get(&f, "/api/v1/nodes/univ:sjtu/ranks").await;
    assert_eq!(r.status, StatusCode::OK);
    let r = r.json();
    assert_eq!(r["kind"], "university");
    let ranks = r["ranks"].as_array().unwrap();
    let algos: Vec<&str> = ranks.iter().map(|x| x["algo"].as_str().unwrap()).collect();
    assert_eq!(algos, ["degree", "pagerank", "betweenness"]);
    // The rank agrees with /centrality restricted to the kind.
    for x in ranks {
        let algo = x["algo"].as_str().unwrap();
        let table = get(
            &f,
            &format!("/api/v1/centrality?algo={algo}&kind=university&limit=1000"),
        )
        .await
        .json();
        let rows = table["items"].as_array().unwrap();
        assert_eq!(x["of"].as_u64().unwrap(), rows.len() as u64);
        let mine = x["value"].as_f64().unwrap();
        let above = rows
            .iter()
            .filter(|row| row[algo].as_f64().unwrap() > mine)
            .count();
        assert_eq!(x["rank"].as_u64().unwrap(), above as u64 + 1, "{algo}");
    }
    let field = get(&f, "/api/v1/nodes/field:biomedicine/ranks")
        .await
        .json();
    assert_eq!(field["kind"], "field");
    assert_eq!(field["ranks"][0]["of"], 10, "ranked among the 10 fields");
    assert_eq!(
        get(&f, "/api/v1/nodes/univ:sjtx/ranks").await.status,
        StatusCode::NOT_FOUND
    );
}
case!(async ranks_place_an_actor_among_its_kind);

async fn distribution_bins_a_measure_over_a_kind() {
    let f = fixture();
    let r = get(
        &f,
        "/api/v1/distribution?algo=degree&kind=enterprise&bins=5",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let h = r.json();
    let stats = get(&f, "/api/v1/stats").await.json();
    assert_eq!(h["count"], stats["nodes"]["enterprise"]);
    let bins = h["bins"].as_array().unwrap();
    assert_eq!(bins.len(), 5);
    let counted: u64 = bins.iter().map(|b| b["count"].as_u64().unwrap()).sum();
    assert_eq!(counted, h["count"].as_u64().unwrap());
    assert_eq!(bins[0]["lo"], h["min"]);
    assert_eq!(bins[4]["hi"], h["max"]);
    for bad in [
        "/api/v1/distribution?algo=degree,pagerank",
        "/api/v1/distribution?algo=fame",
        "/api/v1/distribution?bins=0",
        "/api/v1/distribution?bins=1000",
        "/api/v1/distribution?kind=dragon",
        "/api/v1/distribution?view=odd",
    ] {
        let r = get(&f, bad).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(r.json()["error"]["code"], "bad_parameter");
    }
}
case!(async distribution_bins_a_measure_over_a_kind);

async fn an_exact_name_is_the_first_search_result() {
    let f = fixture();
    let r = get(
        &f,
        "/api/v1/nodes?q=%E4%B8%8A%E6%B5%B7%E4%BA%A4%E9%80%9A%E5%A4%A7%E5%AD%A6",
    ) // 上海交通大学
    .await
    .json();
    assert_eq!(r["items"][0]["id"], "univ:sjtu");
    assert!(r["total"].as_u64().unwrap() > 1);
}
case!(async an_exact_name_is_the_first_search_result);

async fn every_endpoint_the_page_adds_is_in_the_openapi_document() {
    let f = fixture();
    let doc = get(&f, "/openapi.json").await.json();
    for path in [
        "/api/v1/nodes/{id}/edges",
        "/api/v1/nodes/{id}/ego",
        "/api/v1/nodes/{id}/ranks",
        "/api/v1/distribution",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path} undocumented");
    }
}
case!(async every_endpoint_the_page_adds_is_in_the_openapi_document);

/// A database built by the real binary from the fixtures.
fn fixture_db(dir: &Path) -> PathBuf {
    let db = dir.join("db");
    common::run(&db, &["init"]).ok();
    common::run(
        &db,
        &[
            "import",
            s(&fixture_file("shanghai/nodes.csv")),
            s(&fixture_file("shanghai/edges.csv")),
        ],
    )
    .ok();
    db
}

fn the_planners_spec_writes_one_self_contained_html_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture_db(dir.path());
    let out = dir.path().join("report");
    let spec = fixture_file("reports/shanghai-planners.toml");
    common::run(&db, &["report", "--batch", s(&spec), "--out", s(&out)]).ok();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(!html.to_lowercase().contains("<script"), "no scripts");
    for outside in ["http://", "https://", "src=", "@import", "url("] {
        assert!(
            !html.contains(outside),
            "the report refers outside itself: {outside}"
        );
    }
    assert!(html.contains("上海交通大学"));
    assert!(html.contains("@media print"));
    let sections = html.matches("<section").count();
    let charts = html.matches("<svg").count();
    assert!(sections >= 10, "{sections} sections");
    assert!(
        charts >= 3 * sections / 2,
        "{charts} charts for {sections} sections"
    );
    assert!(html.contains("distribution over"), "histograms are drawn");
    assert!(html.contains("Ties among the top"), "networks are drawn");
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    assert!(index.contains("(report.html#r-hubs-university)"));

    // --format overrides the spec; an unknown format is refused before anything is written.
    let only = dir.path().join("only-html");
    common::run(
        &db,
        &[
            "report",
            "--batch",
            s(&spec),
            "--out",
            s(&only),
            "--format",
            "html",
        ],
    )
    .ok();
    let mut files: Vec<String> = std::fs::read_dir(&only)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["index.md", "report.html"]);
    let bad = dir.path().join("bad");
    let run = common::run(
        &db,
        &[
            "report",
            "--batch",
            s(&spec),
            "--out",
            s(&bad),
            "--format",
            "pdf",
        ],
    );
    run.expect_code(2);
    assert!(
        run.stderr.contains("unknown format `pdf`"),
        "{}",
        run.stderr
    );
    assert!(!bad.exists(), "nothing is written for a bad format");
}
case!(the_planners_spec_writes_one_self_contained_html_report);

/// The running server; killed if the test fails before it ends.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &Path) -> Server {
    let mut child = cmd()
        .arg("--db")
        .arg(db)
        .args(["serve", "--addr", "127.0.0.1:0", "--read-only"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("cannot start innograph serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("no output from serve");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_string();
    Server { child, url }
}

/// Drives the page in headless Chromium over the fixtures; screenshots go to
/// `target/web-screenshots/` (or $INNOGRAPH_SCREENSHOTS), the HTML report's included.
fn the_page_works_in_a_real_browser() {
    let (python, chromium) = (harness::python(), harness::chromium());
    let dir = tempfile::tempdir().unwrap();
    let db = fixture_db(dir.path());
    let report = dir.path().join("report");
    common::run(
        &db,
        &[
            "report",
            "--batch",
            s(&fixture_file("reports/shanghai-planners.toml")),
            "--out",
            s(&report),
            "--format",
            "html",
        ],
    )
    .ok();
    let shots = std::env::var("INNOGRAPH_SCREENSHOTS").map_or_else(
        |_| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/web-screenshots"),
        PathBuf::from,
    );
    let server = serve(&db);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/web/browser_test.py");
    let output = Command::new(&python)
        .arg(&script)
        .args(["--url", &server.url, "--shots", s(&shots)])
        .arg("--report")
        .arg(report.join("report.html"))
        .env("INNOGRAPH_CHROMIUM", &chromium)
        .stdin(Stdio::null())
        .output()
        .expect("cannot run the browser test");
    drop(server);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the browser test failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    let summary: Value = serde_json::from_str(stdout.lines().last().unwrap_or(""))
        .unwrap_or_else(|e| panic!("no summary line ({e}):\n{stdout}"));
    assert_eq!(summary["failures"], Value::Array(Vec::new()));
    eprintln!("browser test: {}", summary["measurements"]);
}
case!(the_page_works_in_a_real_browser, requires(Python, Chromium));
