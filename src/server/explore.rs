//! What a browsing client asks about one actor and one measure: `/nodes/{id}/edges`,
//! `/nodes/{id}/ego`, `/nodes/{id}/ranks` and `/distribution`. The web page uses them like
//! any other client; each calls a `query` function, cached per store generation.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use serde_json::value::RawValue;

use super::cache::HeapSize;
use super::compute::Cost;
use super::error::ApiError;
use super::params::{check_id, Params, MAX_SAFE_INTEGER};
use super::render::{self, Rows};
use super::state::AppState;
use crate::query::{self, Algo, CentralityReport, CentralityRequest, EgoRequest};

type ApiResult = Result<Response, ApiError>;

/// What the cache knows of a ranks computation's hint when it runs out of time.
const RANKS_HINT: &str =
    "ranks need betweenness over the whole graph; try again when the server is less busy";

/// PageRank of every snapshot node (see [`query::pagerank_by_node`]).
struct PageRanks(Vec<f64>);

impl HeapSize for PageRanks {
    fn heap_bytes(&self) -> usize {
        self.0.capacity() * std::mem::size_of::<f64>()
    }
}

/// The report behind `/ranks` (every node, three measures).
struct RanksReport(CentralityReport);

impl HeapSize for RanksReport {
    fn heap_bytes(&self) -> usize {
        self.0
            .rows
            .iter()
            .map(|r| {
                std::mem::size_of_val(r)
                    + r.id.len()
                    + r.kind.len()
                    + r.name.len()
                    + r.name_en.as_ref().map_or(0, String::len)
                    + r.values.len() * std::mem::size_of::<f64>()
            })
            .sum()
    }
}

async fn pagerank(state: &AppState) -> Result<Arc<PageRanks>, ApiError> {
    state
        .cached(
            "explore\0pagerank".into(),
            Cost::Light,
            |store, snapshot, observer| {
                Ok(PageRanks(query::pagerank_by_node(
                    snapshot,
                    &store.schema(),
                    observer,
                )?))
            },
        )
        .await
}

/// `GET /api/v1/nodes/{id}/edges?edge_kind=&limit=&offset=`: the edge records touching a
/// node, each with the node at the other end.
pub async fn edges(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    check_id(&id)?;
    let p = Params::parse(q.as_deref(), &["edge_kind", "limit", "offset"])?;
    let page = p.page()?;
    let mut kinds = p.all("edge_kind");
    kinds.sort();
    kinds.dedup();
    let key = format!("edges\0{id}\0{}", kinds.join(","));
    let all: Arc<Rows> = state
        .cached(key, Cost::Light, move |store, snapshot, _| {
            render::rows(&query::incident_edges(
                snapshot,
                &store.schema(),
                &id,
                &kinds,
            )?)
        })
        .await?;
    Ok(render::envelope(page, &all))
}

/// `GET /api/v1/nodes/{id}/ego?depth=&limit=&edge_limit=`: the node's neighbourhood for
/// drawing, at most `limit` nodes (nearest, then most central first) and at most
/// `edge_limit` of the edges among them.
pub async fn ego(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    check_id(&id)?;
    let p = Params::parse(q.as_deref(), &["depth", "limit", "edge_limit"])?;
    let request = EgoRequest {
        id,
        depth: p.bounded("depth", 2, 1, query::MAX_EGO_DEPTH)?,
        limit: p.bounded("limit", 500, 2, query::MAX_EGO_NODES)?,
        edge_limit: p.bounded(
            "edge_limit",
            query::DEFAULT_EGO_EDGES,
            1,
            query::MAX_EGO_EDGES,
        )?,
    };
    let ranks = pagerank(&state).await?;
    let key = format!("ego\0{request:?}");
    let network: Arc<Box<RawValue>> = state
        .cached(key, Cost::Light, move |_, snapshot, _| {
            render::raw(&query::ego_network(snapshot, &ranks.0, &request)?)
        })
        .await?;
    Ok(render::json_text(network.get().to_string()))
}

/// `GET /api/v1/nodes/{id}/ranks`: the node's rank within its kind by degree, PageRank
/// and betweenness on the full view.
pub async fn ranks(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    check_id(&id)?;
    Params::parse(q.as_deref(), &[])?;
    let report: Arc<RanksReport> = state
        .cached(
            "explore\0ranks".into(),
            Cost::Heavy { hint: RANKS_HINT },
            |store, snapshot, observer| {
                let request = query::ranks_request(snapshot);
                Ok(RanksReport(query::centrality(
                    snapshot,
                    &store.schema(),
                    &request,
                    observer,
                )?))
            },
        )
        .await?;
    let current = state.current()?;
    let ranks = query::actor_ranks(&current.snapshot, &report.0, &id)?;
    Ok(render::json_text(render::raw(&ranks)?.get().to_string()))
}

/// `GET /api/v1/distribution?algo=&kind=&view=&bins=&samples=&seed=`: a histogram of one
/// measure over the nodes of one kind (all nodes without `kind`).
pub async fn distribution(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(
        q.as_deref(),
        &["algo", "kind", "view", "bins", "samples", "seed"],
    )?;
    let algos = Algo::parse_list(p.get("algo").unwrap_or("degree"))?;
    if algos.len() != 1 {
        return Err(ApiError::BadParameter(
            "`algo` takes one algorithm here".into(),
        ));
    }
    let bins = p.bounded("bins", 20, 1, query::MAX_BINS)?;
    let defaults = CentralityRequest::default();
    let request = CentralityRequest {
        algos,
        view: crate::query::ViewOptions {
            kind: query::parse_view(p.get("view").unwrap_or("full"))?,
            ..Default::default()
        },
        samples: match p.get("samples") {
            None => None,
            Some(_) => Some(p.bounded("samples", 1, 1, MAX_SAFE_INTEGER as usize)?),
        },
        seed: p.seed("seed", defaults.seed)?,
        kinds: p.all("kind"),
        ..defaults
    }
    .normalized();
    let cost = if request.is_path_based() {
        Cost::Heavy {
            hint: "ask for `samples=500`, or a measure that needs no shortest paths",
        }
    } else {
        Cost::Light
    };
    let key = format!("distribution\0{request:?}\0{bins}");
    let histogram: Arc<Box<RawValue>> = state
        .cached(key, cost, move |store, snapshot, observer| {
            let report = query::centrality(snapshot, &store.schema(), &request, observer)?;
            render::raw(&query::report_histogram(&report, 0, bins)?)
        })
        .await?;
    Ok(render::json_text(histogram.get().to_string()))
}
