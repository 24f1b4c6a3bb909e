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
        read_only: false,
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
        ("/openapi.json", "get"),
        ("/api/v1/stats", "get"),
        ("/api/v1/nodes", "get"),
        ("/api/v1/nodes", "post"),
        ("/api/v1/nodes/{id}", "get"),
        ("/api/v1/nodes/{id}", "delete"),
        ("/api/v1/nodes/{id}/neighbors", "get"),
        ("/api/v1/centrality", "get"),
        ("/api/v1/edges", "post"),
        ("/api/v1/import", "post"),
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
                let uri = format!(
                    "/api/v1/nodes/{id}/neighbors?depth={depth}&edge_kind={}",
                    kinds.join(",")
                );
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
    let before = f.state.current().unwrap().cached_entries();
    let again = get_json(&f, uri).await;
    assert_eq!(again.body, r.body);
    // A second page of the same question is a lookup too.
    let page = get_json(
        &f,
        "/api/v1/centrality?algo=degree,pagerank&top=3&offset=1&limit=1",
    )
    .await;
    assert_eq!(page.body["items"][0], r.body["items"][1]);
    assert_eq!(f.state.current().unwrap().cached_entries(), before);
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

async fn writes_are_403_when_read_only_or_without_token() {
    for options in [
        ServerOptions {
            token: Some(TOKEN.into()),
            read_only: true,
        },
        ServerOptions {
            token: None,
            read_only: false,
        },
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
