//! Router tests: every endpoint and every error status, in-process with
//! `tower::ServiceExt::oneshot` against a small store built in a temporary directory.

use crate::case;
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use tower::ServiceExt;

use innograph::ingest::{self, Files, ImportOptions, InputFile};
use innograph::model::Schema;
use innograph::server::{app, with_layers, ApiError, AppState, ServerOptions};
use innograph::store::Store;

const NODES: &str = "\
id,kind,name,name_en
univ:a,university,甲大学,Alpha University
ent:b,enterprise,乙公司,Beta Company
inst:c,research_institute,丙研究所,
proj:p,project,示范项目,Pilot Project
plat:x,platform,概念验证中心,Proof-of-concept Centre
";

const EDGES: &str = "\
source,target,kind,key,weight,mode,amount:float
univ:a,ent:b,contracts_with,,,development,1000000.0
inst:c,ent:b,contracts_with,k1,2,transfer,
univ:a,inst:c,collaborates_with,,,,
univ:a,proj:p,leads,,,,
ent:b,plat:x,operates,,,,
";

const TOKEN: &str = "s3cret";

struct Fixture {
    _dir: tempfile::TempDir,
    state: AppState,
}

fn store_in(dir: &Path) -> Store {
    let (store, _) = Store::init(&dir.join("db"), Schema::builtin(), None).unwrap();
    std::fs::write(dir.join("nodes.csv"), NODES).unwrap();
    std::fs::write(dir.join("edges.csv"), EDGES).unwrap();
    let mut input = Files(vec![
        InputFile::new(dir.join("nodes.csv")),
        InputFile::new(dir.join("edges.csv")),
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
    store
}

fn fixture_with(options: ServerOptions) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    let state = AppState::new(Arc::new(store), options).unwrap();
    Fixture { _dir: dir, state }
}

fn fixture() -> Fixture {
    fixture_with(ServerOptions {
        token: Some(TOKEN.into()),
        ..ServerOptions::default()
    })
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Value,
}

impl Reply {
    #[track_caller]
    fn error_code(&self) -> &str {
        self.body["error"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("not an error body: {}", self.body))
    }

    #[track_caller]
    fn message(&self) -> &str {
        self.body["error"]["message"].as_str().unwrap()
    }
}

async fn send_to(router: Router, req: Request<Body>) -> Reply {
    let response = router.oneshot(req).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&bytes)
            )
        })
    };
    Reply {
        status,
        headers,
        body,
    }
}

async fn send(f: &Fixture, req: Request<Body>) -> Reply {
    send_to(app(f.state.clone()), req).await
}

async fn get_json(f: &Fixture, uri: &str) -> Reply {
    send(f, Request::get(uri).body(Body::empty()).unwrap()).await
}

fn write_req(
    method: Method,
    uri: &str,
    token: Option<&str>,
    body: impl Into<Body>,
) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    b.header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .unwrap()
}

// --- reads -----------------------------------------------------------------------------

async fn healthz_reports_the_generation() {
    let f = fixture();
    let r = get_json(&f, "/healthz").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["status"], "ok");
    assert_eq!(r.body["generation"], 1);
    assert_eq!(r.body["writes"], true);
}
case!(async healthz_reports_the_generation);

async fn openapi_documents_every_route() {
    let f = fixture();
    let r = get_json(&f, "/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body["openapi"].as_str().unwrap().starts_with("3."));
    let paths = r.body["paths"].as_object().unwrap();
    for (path, method) in [
        ("/healthz", "get"),
        ("/metrics", "get"),
        ("/openapi.json", "get"),
        ("/api/v1/stats", "get"),
        ("/api/v1/nodes", "get"),
        ("/api/v1/nodes", "post"),
        ("/api/v1/nodes/{id}", "get"),
        ("/api/v1/nodes/{id}", "delete"),
        ("/api/v1/nodes/{id}/neighbors", "get"),
        ("/api/v1/nodes/{id}/edges", "get"),
        ("/api/v1/nodes/{id}/ego", "get"),
        ("/api/v1/nodes/{id}/ranks", "get"),
        ("/api/v1/distribution", "get"),
        ("/api/v1/centrality", "get"),
        ("/api/v1/gaps", "get"),
        ("/api/v1/partners/{id}", "get"),
        ("/api/v1/path", "get"),
        ("/api/v1/brokers", "get"),
        ("/api/v1/match", "get"),
        ("/api/v1/connect", "get"),
        ("/api/v1/edges", "post"),
        ("/api/v1/import", "post"),
        ("/", "get"),
        ("/assets/{path}", "get"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is not documented"
        );
    }
}
case!(async openapi_documents_every_route);

async fn stats_counts_per_kind() {
    let f = fixture();
    let r = get_json(&f, "/api/v1/stats").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["nodes"]["university"], 1);
    assert_eq!(r.body["edges"]["contracts_with"], 2);
}
case!(async stats_counts_per_kind);

async fn node_get_is_the_cli_object() {
    let f = fixture();
    let r = get_json(&f, "/api/v1/nodes/univ:a").await;
    assert_eq!(r.status, StatusCode::OK);
    let keys: Vec<&String> = r.body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["degree", "id", "kind", "name", "name_en", "props"]);
    assert_eq!(r.body["id"], "univ:a");
    assert_eq!(r.body["name"], "甲大学");
    assert_eq!(r.body["degree"], 3);
}
case!(async node_get_is_the_cli_object);

async fn unknown_node_is_404_with_suggestions() {
    let f = fixture();
    let r = get_json(&f, "/api/v1/nodes/univ:b").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "not_found");
    assert!(r.message().contains("did you mean"), "{}", r.message());
    assert!(r.message().contains("univ:a"), "{}", r.message());
    let r = get_json(&f, "/api/v1/nodes/nope:zzz/neighbors").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
case!(async unknown_node_is_404_with_suggestions);

async fn node_list_is_paginated() {
    let f = fixture();
    let r = get_json(&f, "/api/v1/nodes?limit=2&offset=1").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["total"], 5);
    assert_eq!(r.body["offset"], 1);
    assert_eq!(r.body["limit"], 2);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], "inst:c");
    let r = get_json(&f, "/api/v1/nodes?kind=enterprise").await;
    assert_eq!(r.body["total"], 1);
    assert_eq!(r.body["items"][0]["id"], "ent:b");
    assert_eq!(r.body["items"][0]["degree"], 3);
}
case!(async node_list_is_paginated);

async fn node_search_with_q() {
    let f = fixture();
    let r = get_json(&f, "/api/v1/nodes?q=beta").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["total"], 1);
    assert_eq!(r.body["items"][0]["id"], "ent:b");
    let r = get_json(&f, "/api/v1/nodes?q=%E7%94%B2").await; // 甲
    assert_eq!(r.body["items"][0]["id"], "univ:a");
}
case!(async node_search_with_q);

async fn neighbors_by_depth_and_edge_kind() {
    let f = fixture();
    let r = get_json(&f, "/api/v1/nodes/univ:a/neighbors").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["total"], 3);
    let r = get_json(&f, "/api/v1/nodes/univ:a/neighbors?depth=2").await;
    assert_eq!(r.body["total"], 4);
    assert_eq!(r.body["items"][3]["id"], "plat:x");
    let r = get_json(
        &f,
        "/api/v1/nodes/univ:a/neighbors?edge_kind=contracts_with&depth=2",
    )
    .await;
    let ids: Vec<&str> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ent:b", "inst:c"]);
}
case!(async neighbors_by_depth_and_edge_kind);

async fn neighbors_agree_with_the_query_layer() {
    let f = fixture();
    for id in ["univ:a", "ent:b", "inst:c", "proj:p", "plat:x"] {
        for depth in 1..=3 {
            for kinds in [vec![], vec!["contracts_with".to_string()]] {
                let expected = innograph::query::neighbors(
                    f.state.store(),
                    id,
                    &innograph::query::NeighborOptions {
                        depth,
                        edge_kinds: kinds.clone(),
                        limit: usize::MAX,
                    },
                )
                .unwrap();
                let mut uri = format!("/api/v1/nodes/{id}/neighbors?depth={depth}");
                if !kinds.is_empty() {
                    uri.push_str(&format!("&edge_kind={}", kinds.join(",")));
                }
                let r = get_json(&f, &uri).await;
                assert_eq!(r.body["items"], json!(expected), "{uri}");
                assert_eq!(r.body["total"], expected.len(), "{uri}");
                // A page past the first item.
                let r = get_json(&f, &format!("{uri}&offset=1&limit=1")).await;
                assert_eq!(
                    r.body["items"],
                    json!(expected.iter().skip(1).take(1).collect::<Vec<_>>())
                );
            }
        }
    }
}
case!(async neighbors_agree_with_the_query_layer);

async fn centrality_rows_are_the_cli_objects_and_cached() {
    let f = fixture();
    let uri = "/api/v1/centrality?algo=degree,pagerank&top=3";
    let r = get_json(&f, uri).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["total"], 3);
    let first = &r.body["items"][0];
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["degree", "id", "kind", "name", "name_en", "pagerank"]
    );
    assert_eq!(first["degree"], 3);
    assert!(first["pagerank"].as_f64().unwrap() > 0.0);
    let before = f.state.cache_stats().entries;
    let again = get_json(&f, uri).await;
    assert_eq!(again.body, r.body);
    // A second page of the same question is a lookup too.
    let page = get_json(
        &f,
        "/api/v1/centrality?algo=degree,pagerank&top=3&offset=1&limit=1",
    )
    .await;
    assert_eq!(page.body["items"][0], r.body["items"][1]);
    assert_eq!(f.state.cache_stats().entries, before);
}
case!(async centrality_rows_are_the_cli_objects_and_cached);

async fn centrality_with_view_options() {
    let f = fixture();
    let r = get_json(
        &f,
        "/api/v1/centrality?algo=betweenness&view=collab&kind=university&weighted=true&years=2000..2030",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for row in r.body["items"].as_array().unwrap() {
        assert_eq!(row["kind"], "university");
    }
}
case!(async centrality_with_view_options);

// --- bad parameters --------------------------------------------------------------------

async fn bad_parameters_are_400() {
    let f = fixture();
    for uri in [
        "/api/v1/nodes?limit=10001",
        "/api/v1/nodes?limit=0",
        "/api/v1/nodes?limit=ten",
        "/api/v1/nodes?kind=spaceship",
        "/api/v1/nodes?colour=red",
        "/api/v1/nodes/univ:a/neighbors?depth=7",
        "/api/v1/nodes/univ:a/neighbors?depth=0",
        "/api/v1/nodes/univ:a/neighbors?edge_kind=teleports",
        "/api/v1/centrality?algo=magic",
        "/api/v1/centrality?top=10001",
        "/api/v1/centrality?view=galaxy",
        "/api/v1/centrality?years=later",
        "/api/v1/centrality?kind=spaceship",
        "/api/v1/centrality?induce=true",
        "/api/v1/centrality?weighted=maybe",
        "/api/v1/stats?x=1",
    ] {
        let r = get_json(&f, uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}: {}", r.body);
        assert_eq!(r.error_code(), "bad_parameter", "{uri}");
    }
}
case!(async bad_parameters_are_400);

async fn unknown_route_is_404_and_wrong_method_405() {
    let f = fixture();
    let r = get_json(&f, "/api/v1/nowhere").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "not_found");
    let r = send(
        &f,
        Request::put("/api/v1/stats").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.error_code(), "method_not_allowed");
}
case!(async unknown_route_is_404_and_wrong_method_405);

// --- writes ----------------------------------------------------------------------------

async fn post_node_needs_the_token() {
    let f = fixture();
    let body = r#"{"id":"ent:new","kind":"enterprise","name":"新公司"}"#;
    let r = send(&f, write_req(Method::POST, "/api/v1/nodes", None, body)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.error_code(), "unauthorized");
    let r = send(
        &f,
        write_req(Method::POST, "/api/v1/nodes", Some("wrong"), body),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = get_json(&f, "/api/v1/nodes/ent:new").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
case!(async post_node_needs_the_token);

async fn post_node_writes_and_reads_see_it_at_once() {
    let f = fixture();
    let before = get_json(&f, "/api/v1/nodes?kind=enterprise").await;
    assert_eq!(before.body["total"], 1);
    let body =
        r#"{"id":"ent:new","kind":"enterprise","name":"新公司","props":{"chain_leader":true}}"#;
    let r = send(
        &f,
        write_req(Method::POST, "/api/v1/nodes", Some(TOKEN), body),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["id"], "ent:new");
    assert_eq!(r.body["props"]["chain_leader"], true);
    let r = get_json(&f, "/api/v1/nodes/ent:new").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["degree"], 0);
    // The analysis snapshot moved on with the write: lists and centrality see the node.
    let after = get_json(&f, "/api/v1/nodes?kind=enterprise").await;
    assert_eq!(after.body["total"], 2);
    let c = get_json(&f, "/api/v1/centrality?kind=enterprise").await;
    assert_eq!(c.body["total"], 2);
    assert_eq!(f.state.current().unwrap().generation, 2);
}
case!(async post_node_writes_and_reads_see_it_at_once);

async fn post_edge_writes_in_canonical_order() {
    let f = fixture();
    // collaborates_with is undirected: stored with the endpoints in id order.
    let body = r#"{"target":"ent:b","source":"univ:a","kind":"collaborates_with","key":"2024"}"#;
    let r = send(
        &f,
        write_req(Method::POST, "/api/v1/edges", Some(TOKEN), body),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["source"], "ent:b");
    assert_eq!(r.body["target"], "univ:a");
    assert_eq!(r.body["key"], "2024");
    let n = get_json(&f, "/api/v1/nodes/univ:a").await;
    assert_eq!(n.body["degree"], 4);
}
case!(async post_edge_writes_in_canonical_order);

async fn invalid_records_are_422_with_issues() {
    let f = fixture();
    let r = send(
        &f,
        write_req(
            Method::POST,
            "/api/v1/nodes",
            Some(TOKEN),
            r#"{"id":"x:1","kind":"spaceship","name":"Enterprise"}"#,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.error_code(), "invalid_record");
    let issue = r.body["error"]["issues"][0].as_str().unwrap();
    assert!(
        issue.starts_with("body:1: kind: unknown kind `spaceship`"),
        "{issue}"
    );
    let r = send(
        &f,
        write_req(
            Method::POST,
            "/api/v1/edges",
            Some(TOKEN),
            r#"{"source":"univ:a","target":"ent:zzz","kind":"collaborates_with"}"#,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["error"]["issues"][0]
        .as_str()
        .unwrap()
        .contains("does not exist"));
}
case!(async invalid_records_are_422_with_issues);

async fn malformed_body_is_400() {
    let f = fixture();
    for body in ["{not json", "[1,2]"] {
        let r = send(
            &f,
            write_req(Method::POST, "/api/v1/nodes", Some(TOKEN), body),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.body);
    }
}
case!(async malformed_body_is_400);

async fn import_is_one_transaction() {
    let f = fixture();
    let good = concat!(
        r#"{"node":{"id":"ent:n1","kind":"enterprise","name":"一"}}"#,
        "\n",
        r#"{"edge":{"source":"ent:n1","target":"univ:a","kind":"collaborates_with"}}"#,
        "\n",
    );
    let r = send(
        &f,
        write_req(Method::POST, "/api/v1/import", Some(TOKEN), good),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["nodes_read"], 1);
    assert_eq!(r.body["edges_read"], 1);
    assert_eq!(r.body["inserted"], 2);
    assert_eq!(r.body["generation"], 2);
    assert_eq!(r.body["nodes"], 6);

    // One bad line: nothing is written, every problem is listed with body:line.
    let bad = concat!(
        r#"{"node":{"id":"ent:n2","kind":"enterprise","name":"二"}}"#,
        "\n",
        r#"{"node":{"id":"ent:n3","kind":"enterprise","name":""}}"#,
        "\n",
        "{oops\n",
    );
    let r = send(
        &f,
        write_req(Method::POST, "/api/v1/import", Some(TOKEN), bad),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let issues: Vec<&str> = r.body["error"]["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect();
    assert_eq!(r.body["error"]["issue_count"], 2);
    assert!(issues[0].starts_with("body:2: name:"), "{issues:?}");
    assert!(issues[1].starts_with("body:3: json:"), "{issues:?}");
    assert_eq!(
        get_json(&f, "/api/v1/nodes/ent:n2").await.status,
        StatusCode::NOT_FOUND
    );
    // An empty body is a problem too.
    let r = send(
        &f,
        write_req(Method::POST, "/api/v1/import", Some(TOKEN), ""),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}
case!(async import_is_one_transaction);

async fn delete_node_removes_its_edges() {
    let f = fixture();
    let r = send(
        &f,
        write_req(Method::DELETE, "/api/v1/nodes/ent:b", Some(TOKEN), ""),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["id"], "ent:b");
    assert_eq!(r.body["edges_deleted"], 3);
    assert_eq!(
        get_json(&f, "/api/v1/nodes/ent:b").await.status,
        StatusCode::NOT_FOUND
    );
    let a = get_json(&f, "/api/v1/nodes/univ:a/neighbors").await;
    assert_eq!(a.body["total"], 2);
    let r = send(
        &f,
        write_req(Method::DELETE, "/api/v1/nodes/ent:b", Some(TOKEN), ""),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = send(
        &f,
        write_req(Method::DELETE, "/api/v1/nodes/univ:a", None, ""),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}
case!(async delete_node_removes_its_edges);

/// A path segment is percent-decoded exactly once: a node whose id holds a literal `%3A`
/// is addressed as `%253A`; `%3A` in the path names the id with a colon instead.
async fn ids_with_a_percent_sign_are_addressed_percent_encoded() {
    let f = fixture();
    let body = r#"{"id":"ent%3Apct","kind":"enterprise","name":"百分号公司"}"#;
    let r = send(
        &f,
        write_req(Method::POST, "/api/v1/nodes", Some(TOKEN), body),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["id"], "ent%3Apct");
    assert_eq!(
        get_json(&f, "/api/v1/nodes/ent%3Apct").await.status,
        StatusCode::NOT_FOUND,
        "%3A in a path names `ent:pct`, which does not exist"
    );
    let r = get_json(&f, "/api/v1/nodes/ent%253Apct").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["id"], "ent%3Apct");
    let r = send(
        &f,
        write_req(Method::DELETE, "/api/v1/nodes/ent%253Apct", Some(TOKEN), ""),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["id"], "ent%3Apct");
}
case!(async ids_with_a_percent_sign_are_addressed_percent_encoded);

/// `robust=true` answers one object: the paging parameters of the k-shortest-paths answer
/// are refused with it rather than silently ignored (whatever their value).
async fn robust_path_refuses_paging_parameters() {
    let f = fixture();
    let ok = get_json(&f, "/api/v1/path?from=univ:a&to=ent:b&robust=true").await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    for paging in [
        "limit=5",
        "offset=0",
        "offset=36682492644587486742838771745554432",
    ] {
        let r = get_json(
            &f,
            &format!("/api/v1/path?from=univ:a&to=ent:b&robust=true&{paging}"),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{paging}: {}", r.body);
        assert_eq!(r.error_code(), "bad_parameter", "{paging}");
    }
}
case!(async robust_path_refuses_paging_parameters);

async fn writes_are_403_when_read_only_or_without_token() {
    for options in [
        ServerOptions {
            token: Some(TOKEN.into()),
            read_only: true,
            ..ServerOptions::default()
        },
        ServerOptions::default(),
    ] {
        let f = fixture_with(options);
        for (method, uri) in [
            (Method::POST, "/api/v1/nodes"),
            (Method::POST, "/api/v1/edges"),
            (Method::POST, "/api/v1/import"),
            (Method::DELETE, "/api/v1/nodes/univ:a"),
        ] {
            let r = send(&f, write_req(method.clone(), uri, Some(TOKEN), "{}")).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {uri}");
            assert_eq!(r.error_code(), "forbidden");
        }
        assert_eq!(get_json(&f, "/healthz").await.body["writes"], false);
        assert_eq!(
            get_json(&f, "/api/v1/nodes/univ:a").await.status,
            StatusCode::OK
        );
    }
}
case!(async writes_are_403_when_read_only_or_without_token);

async fn body_over_16_mib_is_413() {
    let f = fixture();
    let big = vec![b' '; 16 * 1024 * 1024 + 1];
    let r = send(
        &f,
        write_req(Method::POST, "/api/v1/import", Some(TOKEN), big),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert_eq!(r.error_code(), "body_too_large");
}
case!(async body_over_16_mib_is_413);

// --- middleware ------------------------------------------------------------------------

async fn request_id_is_generated_or_echoed() {
    let f = fixture();
    let r = get_json(&f, "/healthz").await;
    assert!(!r.headers["x-request-id"].is_empty());
    let r = send(
        &f,
        Request::get("/healthz")
            .header("x-request-id", "abc-123")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.headers["x-request-id"], "abc-123");
}
case!(async request_id_is_generated_or_echoed);

async fn panics_and_internal_errors_are_500_without_details() {
    let router = with_layers(
        Router::new()
            .route(
                "/boom",
                get(|| async {
                    if true {
                        panic!("secret detail");
                    }
                    "unreachable"
                }),
            )
            .route(
                "/fail",
                get(|| async { Err::<String, _>(ApiError::Internal("secret detail".into())) }),
            ),
    );
    for uri in ["/boom", "/fail"] {
        let r = send_to(
            router.clone(),
            Request::get(uri).body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{uri}");
        assert_eq!(r.error_code(), "internal");
        assert!(!r.body.to_string().contains("secret"), "{uri}: {}", r.body);
        assert!(r.headers.contains_key("x-request-id"));
    }
}
case!(async panics_and_internal_errors_are_500_without_details);

async fn error_bodies_have_code_and_message_only() {
    let f = fixture();
    let r = get_json(&f, "/api/v1/nodes?limit=0").await;
    assert_eq!(
        r.body,
        json!({"error": {"code": "bad_parameter", "message": "`limit` must be between 1 and 10000, got 0"}})
    );
}
case!(async error_bodies_have_code_and_message_only);

// --- planners' and researchers' queries ----------------------------------------------

async fn query_endpoints_answer_in_the_cli_shapes() {
    let f = fixture();
    let r = get_json(&f, "/api/v1/partners/univ:a?include_existing=true").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let items = r.body["items"].as_array().unwrap();
    assert!(!items.is_empty());
    for key in ["id", "name", "kind", "score", "components", "path"] {
        assert!(
            items[0].get(key).is_some(),
            "partners item lacks {key}: {}",
            items[0]
        );
    }
    assert_eq!(items[0]["path"][0], "univ:a");

    let r = get_json(&f, "/api/v1/path?from=univ:a&to=ent:b&k=2").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let first = &r.body["items"][0];
    assert_eq!(first["nodes"][0], "univ:a");
    assert_eq!(first["length"], 1);

    let r = get_json(&f, "/api/v1/brokers?permutations=10").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["total"].as_u64().unwrap() > 0);

    let r = get_json(&f, "/api/v1/gaps?between=university,enterprise").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["items"].is_array());

    let r = get_json(&f, "/api/v1/gaps?coverage=true").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body["universities_without_contracts"].is_array(),
        "{}",
        r.body
    );

    let r = get_json(&f, "/api/v1/match").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.get("demands").is_some(), "{}", r.body);
}
case!(async query_endpoints_answer_in_the_cli_shapes);

async fn query_endpoints_report_bad_input_as_json_errors() {
    let f = fixture();
    let r = get_json(&f, "/api/v1/partners/univ:zz").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.message().contains("did you mean"), "{}", r.message());
    let r = get_json(&f, "/api/v1/path?from=univ:a").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = get_json(&f, "/api/v1/gaps?method=astrology").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = get_json(&f, "/api/v1/gaps?between=university").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = get_json(&f, "/api/v1/brokers?colour=red").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_code(), "bad_parameter");
}
case!(async query_endpoints_report_bad_input_as_json_errors);

// --- hardening: cost limits, bounded cache, budgets ----------------------------------

async fn ids_longer_than_any_id_are_404_without_work() {
    let f = fixture();
    let long = "x".repeat(600);
    for uri in [
        format!("/api/v1/nodes/{long}"),
        format!("/api/v1/nodes/{long}/neighbors"),
        format!("/api/v1/nodes/{long}/edges"),
        format!("/api/v1/nodes/{long}/ego"),
        format!("/api/v1/nodes/{long}/ranks"),
        format!("/api/v1/partners/{long}"),
        format!("/api/v1/path?from={long}&to=univ:a"),
        format!("/api/v1/path?from=univ:a&to={long}"),
        format!("/api/v1/path?from={long}&to=univ:a&robust=true"),
        format!("/api/v1/connect?id=univ:a&id={long}"),
    ] {
        let started = std::time::Instant::now();
        let r = get_json(&f, &uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}: {}", r.body);
        assert!(r.message().contains("at most 512 bytes"), "{}", r.message());
        assert!(started.elapsed() < std::time::Duration::from_millis(500));
    }
    let r = send(
        &f,
        write_req(
            Method::DELETE,
            &format!("/api/v1/nodes/{long}"),
            Some(TOKEN),
            "",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
case!(async ids_longer_than_any_id_are_404_without_work);

async fn request_targets_over_8_kib_are_414() {
    let f = fixture();
    let r = get_json(&f, &format!("/api/v1/nodes?q={}", "a".repeat(9_000))).await;
    assert_eq!(r.status, StatusCode::URI_TOO_LONG);
    assert_eq!(r.error_code(), "uri_too_long");
}
case!(async request_targets_over_8_kib_are_414);

async fn empty_parameter_values_are_400_except_flags() {
    let f = fixture();
    for uri in [
        "/api/v1/nodes?offset=",
        "/api/v1/nodes?limit=",
        "/api/v1/nodes?q=",
        "/api/v1/path?from=&to=univ:a",
        "/api/v1/centrality?algo=",
    ] {
        let r = get_json(&f, uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(r.message().contains("is empty"), "{uri}: {}", r.message());
    }
    let r = get_json(&f, "/api/v1/gaps?coverage").await;
    assert_eq!(r.status, StatusCode::OK);
}
case!(async empty_parameter_values_are_400_except_flags);

fn small_cache_fixture(cache_bytes: usize) -> Fixture {
    fixture_with(ServerOptions {
        token: Some(TOKEN.into()),
        cache_bytes,
        ..ServerOptions::default()
    })
}

async fn the_cache_stays_within_its_byte_cap_under_distinct_keys() {
    let cap = 64 * 1024;
    let f = small_cache_fixture(cap);
    for i in 0..300 {
        let q = format!("{i}-{}", "z".repeat(2_000));
        let r = get_json(&f, &format!("/api/v1/nodes?q={q}")).await;
        assert_eq!(r.status, StatusCode::OK);
        let stats = f.state.cache_stats();
        assert!(stats.bytes <= cap, "{} > {cap} after {i}", stats.bytes);
    }
    let stats = f.state.cache_stats();
    assert!(stats.evictions > 0);
    assert!(stats.entries > 0 && stats.entries < 300);
}
case!(async the_cache_stays_within_its_byte_cap_under_distinct_keys);

async fn failed_computations_leave_nothing_in_the_cache() {
    let f = fixture();
    for i in 0..50 {
        let r = get_json(
            &f,
            &format!("/api/v1/centrality?algo=degree&view=nonsense{i}"),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        let r = get_json(&f, &format!("/api/v1/nodes/missing{i}/neighbors")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(f.state.cache_stats().entries, 0);
    assert_eq!(f.state.cache_stats().bytes, 0);
}
case!(async failed_computations_leave_nothing_in_the_cache);

async fn parameters_that_cannot_change_the_answer_share_a_cache_entry() {
    let f = fixture();
    for uri in [
        "/api/v1/centrality?algo=betweenness",
        "/api/v1/centrality?algo=betweenness&seed=1",
        "/api/v1/centrality?algo=betweenness&seed=2&damping=0.5&tol=0.001",
    ] {
        assert_eq!(get_json(&f, uri).await.status, StatusCode::OK);
    }
    assert_eq!(f.state.cache_stats().entries, 1);
    assert_eq!(
        get_json(&f, "/api/v1/centrality?algo=betweenness&samples=2&seed=3")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(f.state.cache_stats().entries, 2);
}
case!(async parameters_that_cannot_change_the_answer_share_a_cache_entry);

async fn a_heavy_analysis_over_its_budget_is_422_with_a_hint() {
    let f = fixture_with(ServerOptions {
        max_compute: std::time::Duration::ZERO,
        ..ServerOptions::default()
    });
    let r = get_json(&f, "/api/v1/centrality?algo=betweenness").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.error_code(), "over_budget");
    assert!(r.message().contains("epsilon"), "{}", r.message());
    assert_eq!(f.state.cache_stats().entries, 0);
    assert_eq!(f.state.compute_stats().over_budget, 1);
}
case!(async a_heavy_analysis_over_its_budget_is_422_with_a_hint);

async fn numeric_ids_in_bodies_are_422() {
    let f = fixture();
    let r = send(
        &f,
        write_req(
            Method::POST,
            "/api/v1/nodes",
            Some(TOKEN),
            r#"{"id":123456789012345678901234567890,"kind":"enterprise","name":"数字"}"#,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let issues = r.body["error"]["issues"].to_string();
    assert!(issues.contains("node.id"), "{issues}");
    assert!(issues.contains("must be a string"), "{issues}");
    let r = send(
        &f,
        write_req(
            Method::POST,
            "/api/v1/edges",
            Some(TOKEN),
            r#"{"source":"univ:a","target":7,"kind":"contracts_with"}"#,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        get_json(&f, "/api/v1/stats").await.body["nodes"]["enterprise"],
        1
    );
}
case!(async numeric_ids_in_bodies_are_422);

async fn a_body_that_does_not_arrive_is_408() {
    let f = fixture_with(ServerOptions {
        token: Some(TOKEN.into()),
        body_timeout: std::time::Duration::from_millis(200),
        ..ServerOptions::default()
    });
    // One chunk, then nothing: the sender stays alive and silent.
    let (mut sender, body) = http_body_util::channel::Channel::<axum::body::Bytes>::new(1);
    sender
        .send_data(axum::body::Bytes::from_static(b"{\"node\":"))
        .await
        .unwrap();
    let r = send(
        &f,
        write_req(Method::POST, "/api/v1/import", Some(TOKEN), Body::new(body)),
    )
    .await;
    drop(sender);
    assert_eq!(r.status, StatusCode::REQUEST_TIMEOUT, "{}", r.body);
    assert_eq!(r.error_code(), "body_timeout");
    assert_eq!(r.headers["connection"], "close");
}
case!(async a_body_that_does_not_arrive_is_408);

// --- hardening: auth, browser safety, health, metrics ----------------------------------

async fn the_bearer_scheme_is_case_insensitive_and_the_token_exact() {
    let f = fixture();
    let node = r#"{"id":"ent:auth","kind":"enterprise","name":"认证公司"}"#;
    for (header_value, status) in [
        (format!("bearer {TOKEN}"), StatusCode::CREATED),
        (format!("BEARER  {TOKEN}"), StatusCode::CREATED),
        (format!("Bearer {TOKEN}x"), StatusCode::UNAUTHORIZED),
        (format!("Bearer {}", &TOKEN[..3]), StatusCode::UNAUTHORIZED),
        (format!("Basic {TOKEN}"), StatusCode::UNAUTHORIZED),
    ] {
        let req = Request::post("/api/v1/nodes")
            .header(header::AUTHORIZATION, &header_value)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(node))
            .unwrap();
        let r = send(&f, req).await;
        assert_eq!(r.status, status, "{header_value}: {}", r.body);
    }
}
case!(async the_bearer_scheme_is_case_insensitive_and_the_token_exact);

fn with_headers(uri: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut b = Request::get(uri);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(Body::empty()).unwrap()
}

async fn foreign_host_names_are_refused_against_dns_rebinding() {
    let f = fixture();
    for host in [
        "localhost:8080",
        "127.0.0.1:8080",
        "[::1]:8080",
        "192.168.1.20",
    ] {
        let r = send(&f, with_headers("/api/v1/stats", &[("host", host)])).await;
        assert_eq!(r.status, StatusCode::OK, "{host}");
    }
    let r = send(
        &f,
        with_headers("/api/v1/stats", &[("host", "evil.example:8080")]),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.message().contains("--allow-host"), "{}", r.message());
    let allowed = fixture_with(ServerOptions {
        allowed_hosts: vec!["graph.internal".into()],
        ..ServerOptions::default()
    });
    let r = send(
        &allowed,
        with_headers("/api/v1/stats", &[("host", "graph.internal:8080")]),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
}
case!(async foreign_host_names_are_refused_against_dns_rebinding);

async fn foreign_origins_are_refused_and_same_origin_pages_served() {
    let f = fixture();
    let same = [
        ("host", "127.0.0.1:8080"),
        ("origin", "http://127.0.0.1:8080"),
    ];
    let r = send(&f, with_headers("/api/v1/stats", &same)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.headers.contains_key("access-control-allow-origin"));
    for origin in ["https://evil.example", "null"] {
        let r = send(
            &f,
            with_headers(
                "/api/v1/stats",
                &[("host", "127.0.0.1"), ("origin", origin)],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{origin}");
    }
}
case!(async foreign_origins_are_refused_and_same_origin_pages_served);

async fn cors_is_off_by_default_and_answers_configured_origins() {
    let f = fixture_with(ServerOptions {
        cors_origins: vec!["https://dash.example.org".into()],
        ..ServerOptions::default()
    });
    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri("/api/v1/nodes")
        .header("origin", "https://dash.example.org")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .body(Body::empty())
        .unwrap();
    let r = send(&f, preflight).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        r.headers["access-control-allow-origin"],
        "https://dash.example.org"
    );
    assert!(r.headers["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));
    assert!(r.headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("authorization"));
    let r = send(
        &f,
        with_headers("/api/v1/stats", &[("origin", "https://dash.example.org")]),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers["access-control-allow-origin"],
        "https://dash.example.org"
    );
    assert_eq!(r.headers["vary"], "origin");
    let r = send(
        &f,
        with_headers("/api/v1/stats", &[("origin", "https://other.example.org")]),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
case!(async cors_is_off_by_default_and_answers_configured_origins);

async fn options_lists_the_methods_of_a_route() {
    let f = fixture();
    let options = |uri: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri(uri)
            .body(Body::empty())
            .unwrap()
    };
    let r = send(&f, options("/api/v1/nodes")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let allow = r.headers["allow"].to_str().unwrap().to_string();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    let r = send(&f, options("/api/v1/nodes/univ:a")).await;
    let allow = r.headers["allow"].to_str().unwrap().to_string();
    assert!(allow.contains("GET") && allow.contains("DELETE"), "{allow}");
    assert_eq!(
        send(&f, options("/nope")).await.status,
        StatusCode::NOT_FOUND
    );
}
case!(async options_lists_the_methods_of_a_route);

async fn responses_carry_security_headers() {
    let f = fixture();
    let r = get_json(&f, "/api/v1/stats").await;
    assert_eq!(r.headers["x-content-type-options"], "nosniff");
    assert_eq!(r.headers["x-frame-options"], "DENY");
    assert!(r.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
}
case!(async responses_carry_security_headers);

async fn healthz_says_degraded_after_a_failed_write_until_one_succeeds() {
    let f = fixture();
    let r = get_json(&f, "/healthz").await;
    assert_eq!(r.body["status"], "ok");
    assert!(r.body["disk_free_bytes"].as_u64().is_some());
    let failed: Result<(), ApiError> = f
        .state
        .write(|_| {
            Err(innograph::store::StoreError::DiskFull(
                "No space left on device (os error 28)".into(),
            )
            .into())
        })
        .await;
    let response = axum::response::IntoResponse::into_response(failed.unwrap_err());
    assert_eq!(response.status(), StatusCode::INSUFFICIENT_STORAGE);
    let r = get_json(&f, "/healthz").await;
    assert_eq!(r.body["status"], "degraded");
    assert_eq!(r.body["writes"], false);
    assert!(r.body["writes_error"]
        .as_str()
        .unwrap()
        .contains("No space left"));
    // A refused record is the client's problem, not the server's: still degraded.
    let r = send(
        &f,
        write_req(Method::POST, "/api/v1/nodes", Some(TOKEN), r#"{"id":"x"}"#),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(get_json(&f, "/healthz").await.body["status"], "degraded");
    let node = r#"{"id":"ent:ok","kind":"enterprise","name":"好公司"}"#;
    let r = send(
        &f,
        write_req(Method::POST, "/api/v1/nodes", Some(TOKEN), node),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = get_json(&f, "/healthz").await;
    assert_eq!(r.body["status"], "ok");
    assert_eq!(r.body["writes"], true);
}
case!(async healthz_says_degraded_after_a_failed_write_until_one_succeeds);

async fn metrics_count_requests_by_route_and_report_the_cache() {
    let f = fixture();
    get_json(&f, "/api/v1/nodes/univ:a").await;
    get_json(&f, "/api/v1/nodes/ent:b").await;
    get_json(&f, "/api/v1/nodes/nope").await;
    get_json(&f, "/no/such/route").await;
    get_json(&f, "/api/v1/centrality?algo=degree").await;
    get_json(&f, "/api/v1/centrality?algo=degree").await;
    let response = app(f.state.clone())
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    for line in [
        "innograph_http_requests_total{route=\"/api/v1/nodes/{id}\",method=\"GET\",status=\"200\"} 2",
        "innograph_http_requests_total{route=\"/api/v1/nodes/{id}\",method=\"GET\",status=\"404\"} 1",
        "innograph_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1",
        "innograph_http_request_duration_seconds_count{route=\"/api/v1/centrality\"} 2",
        "innograph_cache_hits_total 1",
        "innograph_cache_entries 1",
        "innograph_store_generation 1",
        "innograph_writes_ok 1",
    ] {
        assert!(text.contains(line), "missing `{line}` in:\n{text}");
    }
    assert!(text.contains("# TYPE innograph_http_request_duration_seconds histogram"));
}
case!(async metrics_count_requests_by_route_and_report_the_cache);

async fn parameters_outside_their_documented_bounds_are_400() {
    let f = fixture();
    for uri in [
        "/api/v1/centrality?algo=degree&epsilon=2",
        "/api/v1/centrality?algo=degree&delta=0",
        "/api/v1/centrality?algo=pagerank&damping=1",
        "/api/v1/centrality?algo=pagerank&tol=0",
        "/api/v1/centrality?seed=9007199254740992",
        "/api/v1/centrality?samples=0",
        "/api/v1/nodes?offset=9007199254740992",
        "/api/v1/gaps?seed=9007199254740992",
        "/api/v1/gaps?coverage=true&method=cn",
        "/api/v1/gaps?coverage=true&limit=5",
        "/api/v1/brokers?top=-1",
        "/api/v1/match?threshold=1.5",
        "/api/v1/match?threshold=NaN",
        "/api/v1/path?from=univ:a&to=ent:b&k=0",
    ] {
        let r = get_json(&f, uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}: {}", r.body);
        assert_eq!(r.error_code(), "bad_parameter");
    }
}
case!(async parameters_outside_their_documented_bounds_are_400);

async fn the_document_lists_every_status_a_route_answers() {
    let f = fixture();
    let doc = get_json(&f, "/openapi.json").await.body;
    let responses = |path: &str, method: &str| -> Vec<String> {
        doc["paths"][path][method]["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {path}"))
            .keys()
            .cloned()
            .collect()
    };
    for (path, method, status) in [
        ("/api/v1/partners/{id}", "get", "404"),
        ("/api/v1/nodes/{id}/neighbors", "get", "404"),
        ("/api/v1/path", "get", "404"),
        ("/api/v1/centrality", "get", "422"),
        ("/api/v1/centrality", "get", "503"),
        ("/api/v1/nodes/{id}/ranks", "get", "422"),
        ("/api/v1/nodes/{id}/ego", "get", "404"),
        ("/api/v1/distribution", "get", "503"),
        ("/api/v1/nodes", "post", "408"),
        ("/api/v1/nodes", "post", "507"),
        ("/api/v1/stats", "get", "403"),
        ("/api/v1/stats", "get", "414"),
    ] {
        assert!(
            responses(path, method).iter().any(|s| s == status),
            "{method} {path} does not document {status}"
        );
    }
    // The coverage report is one object; the missing ties a page.
    let gaps = &doc["paths"]["/api/v1/gaps"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"]["oneOf"];
    assert_eq!(gaps.as_array().map(Vec::len), Some(2));
    // /import has a body schema a tool can generate from.
    let import = &doc["paths"]["/api/v1/import"]["post"]["requestBody"]["content"]
        ["application/x-ndjson"]["schema"];
    assert_eq!(import["type"], "array");
}
case!(async the_document_lists_every_status_a_route_answers);
