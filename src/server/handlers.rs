//! Endpoint handlers: parse parameters, call the `query` / `ingest` functions the CLI calls
//! (off the executor when they touch the store), wrap the answer.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::compute::Cost;
use super::error::ApiError;
use super::params::{check_id, Params, MAX_DEPTH, MAX_LIMIT, MAX_SAFE_INTEGER};
use super::render::{self, Rows};
use super::state::AppState;
use crate::ingest::{self, ImportOptions, Input, Issue, Located, Pass};
use crate::model::{EdgeId, Schema};
use crate::query::ViewOptions;
use crate::query::{self, Algo, CentralityRequest, NeighborOptions};
use crate::query::{Snapshot, Store};

/// The hand-written OpenAPI document.
pub const OPENAPI: &str = include_str!("openapi.json");

type ApiResult<T = Json<Value>> = Result<T, ApiError>;

/// `GET /openapi.json`.
pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

/// `GET /api/v1/stats`: node and edge counts per kind (as `innograph stats --format json`).
pub async fn stats(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    Params::parse(q.as_deref(), &[])?;
    Ok(Json(json!(query::stats(state.store()))))
}

fn check_node_kind(schema: &Schema, kind: &str) -> Result<(), ApiError> {
    if schema.node_kind(kind).is_some() {
        return Ok(());
    }
    Err(ApiError::BadParameter(format!(
        "unknown node kind `{kind}` (known: {})",
        schema
            .node_kinds
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

/// `GET /api/v1/nodes?kind=&q=&limit=&offset=`: nodes of a kind in id order, or with `q`
/// the search results (as `innograph node list` / `innograph search`).
pub async fn list_nodes(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let p = Params::parse(q.as_deref(), &["kind", "q", "limit", "offset"])?;
    let page = p.page()?;
    let kind = p.get("kind").map(str::to_string);
    if let Some(k) = &kind {
        check_node_kind(&state.store().schema(), k)?;
    }
    match p.get("q").map(str::to_string) {
        Some(text) => {
            let key = format!("search\0{}\0{text}", kind.as_deref().unwrap_or(""));
            let all = state
                .cached(key, Cost::Light, move |store, _, _| {
                    render::rows(&query::search(store, &text, kind.as_deref(), usize::MAX)?)
                })
                .await?;
            Ok(render::envelope(page, &all))
        }
        None => {
            let (items, total) = state
                .blocking(move |store| {
                    let manifest = store.manifest();
                    let total = match &kind {
                        None => manifest.nodes,
                        Some(k) => manifest.node_kinds.get(k).copied().unwrap_or(0),
                    };
                    let items = query::list_nodes(store, kind.as_deref(), page.offset, page.limit)?;
                    Ok((items, total as usize))
                })
                .await?;
            Ok(Json(page.wrap(json!(items), total)).into_response())
        }
    }
}

/// `GET /api/v1/nodes/{id}`: one node (as `innograph node get --format json`).
pub async fn get_node(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    Params::parse(q.as_deref(), &[])?;
    check_id(&id)?;
    let node = state
        .blocking(move |store| Ok(query::get_node(store, &id)?))
        .await?;
    Ok(Json(json!(node)))
}

/// `GET /api/v1/nodes/{id}/neighbors?depth=&edge_kind=&limit=&offset=`: nodes within
/// `depth` steps, nearest first (as `innograph neighbors --format json`).
pub async fn neighbors(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let p = Params::parse(q.as_deref(), &["depth", "edge_kind", "limit", "offset"])?;
    check_id(&id)?;
    let page = p.page()?;
    let depth = p.bounded("depth", NeighborOptions::default().depth, 1, MAX_DEPTH)?;
    let mut edge_kinds = p.all("edge_kind");
    edge_kinds.sort();
    edge_kinds.dedup();
    let key = format!("neighbors\0{id}\0{depth}\0{}", edge_kinds.join(","));
    // The order is computed on the snapshot and cached with it; only the page's records
    // are read from the store (a hub may have tens of thousands of neighbours).
    let ordered = state
        .cached(key, Cost::Light, move |store, snapshot, _| {
            let order = query::neighbor_order(snapshot, &store.schema(), &id, depth, &edge_kinds)?;
            Ok((Arc::clone(snapshot), order))
        })
        .await?;
    let ordered: Arc<(Arc<Snapshot>, Vec<u32>)> = ordered;
    let total = ordered.1.len();
    let items = state
        .blocking(move |store| {
            let (snapshot, order) = &*ordered;
            let end = order.len().min(page.offset.saturating_add(page.limit));
            let start = page.offset.min(end);
            Ok(query::node_views(store, snapshot, &order[start..end])?)
        })
        .await?;
    Ok(Json(page.wrap(json!(items), total)))
}

/// Parameters of `/centrality`, as the CLI's options.
const CENTRALITY_PARAMS: &[&str] = &[
    "algo",
    "view",
    "with_attributes",
    "directed",
    "weight",
    "weighted",
    "years",
    "field",
    "district",
    "kind",
    "induce",
    "samples",
    "epsilon",
    "delta",
    "seed",
    "damping",
    "tol",
    "top",
    "limit",
    "offset",
];

fn centrality_request(p: &Params) -> Result<CentralityRequest, ApiError> {
    use std::ops::Bound::{Excluded, Included};
    let defaults = CentralityRequest::default();
    let kinds = p.all("kind");
    let induce = p.flag("induce")?;
    if induce && kinds.is_empty() {
        return Err(ApiError::BadParameter("`induce` needs `kind`".into()));
    }
    let samples = match p.get("samples") {
        None => None,
        Some(_) => Some(p.bounded("samples", 1, 1, MAX_SAFE_INTEGER as usize)?),
    };
    let open_unit = (Excluded(0.0), Excluded(1.0));
    let epsilon = match p.get("epsilon") {
        None => None,
        Some(_) => Some(p.real("epsilon", 0.0, open_unit)?),
    };
    if samples.is_some() && epsilon.is_some() {
        return Err(ApiError::BadParameter(
            "`samples` and `epsilon` exclude each other".into(),
        ));
    }
    let top = match p.get("top") {
        None => None,
        Some(_) => Some(p.bounded("top", 1, 1, MAX_LIMIT)?),
    };
    Ok(CentralityRequest {
        algos: match p.get("algo") {
            Some(list) => Algo::parse_list(list)?,
            None => defaults.algos.clone(),
        },
        view: ViewOptions {
            kind: query::parse_view(p.get("view").unwrap_or("full"))?,
            with_attributes: p.flag("with_attributes")?,
            directed: p.flag("directed")?,
            weight: query::parse_weight(p.get("weight").unwrap_or("count"))?,
            years: p.get("years").map(query::parse_years).transpose()?,
            fields: p.all("field"),
            districts: p.all("district"),
            induce: if induce { kinds.clone() } else { Vec::new() },
        },
        weighted: p.flag("weighted")?,
        samples,
        epsilon,
        delta: p.real("delta", defaults.delta, open_unit)?,
        seed: p.seed("seed", defaults.seed)?,
        // Bounds within which PageRank converges in its 10,000 iterations on any graph.
        damping: p.real("damping", defaults.damping, (Included(0.0), Included(0.99)))?,
        tol: p.real("tol", defaults.tol, (Included(1e-15), Included(1.0)))?,
        kinds,
        top,
    })
}

/// `GET /api/v1/centrality?algo=&view=&kind=&top=&limit=&offset=&...`: one row per node
/// ranked by the first algorithm (as `innograph centrality --format json`). Computed once
/// per generation and question (parameters that cannot change the answer left out), then
/// served from the cache (pages included). Path-based measures queue in the heavy lane.
pub async fn centrality(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let p = Params::parse(q.as_deref(), CENTRALITY_PARAMS)?;
    let page = p.page()?;
    let request = centrality_request(&p)?.normalized();
    let key = format!("centrality\0{request:?}");
    let cost = if request.is_path_based() {
        Cost::Heavy {
            hint: "ask for an approximation (`epsilon=0.05` or `samples=500` for betweenness), a smaller view (`view=collab`, `field=`, `years=`), or fewer algorithms",
        }
    } else {
        Cost::Light
    };
    let rows: Arc<Rows> = state
        .cached(key, cost, move |store, snapshot, observer| {
            let report = query::centrality(snapshot, &store.schema(), &request, observer)?;
            render::rows_of(report.to_json())
        })
        .await?;
    Ok(render::envelope(page, &rows))
}

/// JSON Lines held in memory, as an import [`Input`]; issues name it `body`.
struct BodyInput<'a>(&'a [u8]);

impl Input for BodyInput<'_> {
    fn size(&self) -> u64 {
        self.0.len() as u64
    }

    fn read(
        &mut self,
        pass: Pass,
        _schema: &Schema,
        sink: &mut dyn FnMut(&str, Located),
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), Vec<Issue>> {
        progress(self.0.len() as u64);
        match ingest::read_jsonl_bytes(self.0, "body", pass, &mut |loc| sink("body", loc)) {
            Ok(()) => Ok(()),
            // File-level problems are reported once, in the first pass.
            Err(issue) if pass == Pass::Nodes => Err(vec![issue]),
            Err(_) => Ok(()),
        }
    }
}

fn body_bytes(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge(format!(
                "request body larger than {} bytes",
                super::MAX_BODY_BYTES
            ))
        } else {
            ApiError::BadParameter(format!("cannot read the request body: {e}"))
        }
    })
}

/// Imports JSON Lines as one write; a 422 lists the invalid records.
fn import_bytes(store: &Store, bytes: &[u8], note: &str) -> Result<ingest::ImportReport, ApiError> {
    let mut input = BodyInput(bytes);
    Ok(ingest::import(
        store,
        &mut input,
        ImportOptions::default(),
        note,
        &mut |_| {},
        &|| false,
    )?)
}

/// Parses a body holding one JSON object, for `POST /nodes` and `POST /edges`, and puts it
/// on one line tagged `{"node": ...}` / `{"edge": ...}` for the import reader.
fn one_record(bytes: &[u8], tag: &str) -> Result<(Value, String), ApiError> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::BadParameter(format!("the body is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(ApiError::BadParameter(format!(
            "the body must be one {tag} object"
        )));
    }
    let line = serde_json::to_string(&json!({ tag: value })).map_err(ApiError::internal)?;
    Ok((value, line))
}

/// A string field of a record (ids must be strings: the import rejects anything else).
fn id_field(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// `POST /api/v1/nodes`: inserts or replaces one node (the `node` object of the JSON Lines
/// import format), validated as an import; 201 with the record as stored.
pub async fn post_node(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let bytes = body_bytes(body)?;
    let (value, line) = one_record(&bytes, "node")?;
    let id = id_field(&value, "id");
    let record = state
        .write(move |store| {
            import_bytes(store, line.as_bytes(), &format!("api: put node {id}"))?;
            store
                .node(&id)?
                .ok_or_else(|| ApiError::Internal(format!("node {id} not found after writing")))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(ingest::node_json(&record))))
}

/// `POST /api/v1/edges`: inserts or replaces one edge (the `edge` object of the JSON Lines
/// import format), validated as an import; 201 with the record as stored.
pub async fn post_edge(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let bytes = body_bytes(body)?;
    let (value, line) = one_record(&bytes, "edge")?;
    let record = state
        .write(move |store| {
            let mut id = EdgeId {
                source: id_field(&value, "source"),
                target: id_field(&value, "target"),
                kind: id_field(&value, "kind"),
                key: id_field(&value, "key"),
            };
            import_bytes(store, line.as_bytes(), &format!("api: put edge {id}"))?;
            let directed = store
                .schema()
                .edge_kind(&id.kind)
                .is_none_or(|def| def.directed);
            id.canonicalise(directed);
            store
                .edge(&id)?
                .ok_or_else(|| ApiError::Internal(format!("edge {id} not found after writing")))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(ingest::edge_json(&record))))
}

/// `POST /api/v1/import`: a JSON Lines body imported as one transaction, validated as
/// `innograph import`; any invalid record writes nothing and answers 422 with the list.
pub async fn import(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let bytes = body_bytes(body)?;
    let size = bytes.len();
    let report = state
        .write(move |store| import_bytes(store, &bytes, &format!("api: import {size} bytes")))
        .await?;
    let manifest = report.manifest.unwrap_or_else(|| state.store().manifest());
    Ok(Json(json!({
        "nodes_read": report.nodes_read,
        "edges_read": report.edges_read,
        "inserted": report.inserted,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "generation": manifest.generation,
        "nodes": manifest.nodes,
        "edges": manifest.edges,
    })))
}

/// `DELETE /api/v1/nodes/{id}`: deletes a node and every edge touching it.
pub async fn delete_node(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult {
    check_id(&id)?;
    let shown = id.clone();
    let deleted = state
        .write(move |store| {
            Ok(query::delete_node(
                store,
                &id,
                &format!("api: delete node {id}"),
            )?)
        })
        .await?;
    Ok(Json(json!({
        "id": shown,
        "deleted": true,
        "edges_deleted": deleted.edges,
        "generation": deleted.generation,
    })))
}

/// Any unknown route.
pub async fn not_found() -> ApiError {
    ApiError::NotFound("no such route; see /openapi.json".into())
}

/// A known route with another method: 405, except `OPTIONS`, answered 204. Either way the
/// router adds the `Allow` header listing the route's methods.
pub async fn method_not_allowed(method: axum::http::Method) -> Response {
    if method == axum::http::Method::OPTIONS {
        return StatusCode::NO_CONTENT.into_response();
    }
    ApiError::MethodNotAllowed.into_response()
}
