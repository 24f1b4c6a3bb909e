//! The planners' and researchers' questions over HTTP: `/gaps`, `/partners/{id}`, `/path`,
//! `/brokers`, `/match`. Each builds the same request as the CLI, computes it once per
//! store generation through the state's cache, and answers with the CLI's JSON objects
//! (lists in the paginated envelope).

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use serde_json::value::RawValue;

use super::compute::Cost;
use super::error::ApiError;
use super::params::{check_id, Params, MAX_LIMIT, MAX_SAFE_INTEGER};
use super::render::{self, Rows};
use super::state::AppState;
use crate::query::{
    self, BrokersRequest, ConnectRequest, CoverageRequest, GapsMethod, GapsRequest, Keeping,
    MatchRequest, PartnersMethod, PartnersRequest, PathRequest, RobustRequest,
};

type ApiResult = Result<Response, ApiError>;

fn kind_pair(text: &str, what: &str) -> Result<(String, String), ApiError> {
    Ok(query::parse_kind_pair(text, &format!("`{what}`"))?)
}

const GAPS_PARAMS: &[&str] = &[
    "between", "method", "field", "district", "top", "coverage", "seed", "limit", "offset",
];

/// `GET /api/v1/gaps`: missing ties (paginated), or with `coverage=true` the coverage
/// report (one object, as `innograph gaps --coverage --format json`).
pub async fn gaps(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), GAPS_PARAMS)?;
    // Checked whether or not it applies, as the document bounds it.
    let seed = p.seed("seed", CoverageRequest::default().seed)?;
    if p.flag("coverage")? {
        for name in ["between", "method", "field", "district", "limit", "offset"] {
            if p.is_given(name) {
                return Err(ApiError::BadParameter(format!(
                    "`{name}` does not apply to the coverage report (coverage=true takes `top` and `seed`)"
                )));
            }
        }
        let defaults = CoverageRequest::default();
        let request = CoverageRequest {
            top: p.bounded("top", defaults.top, 1, MAX_LIMIT)?,
            seed,
        };
        let key = format!("coverage\0{}\0{}", request.top, request.seed);
        let report: Arc<Box<RawValue>> = state
            .cached(key, Cost::Light, move |store, _, _| {
                render::raw(&query::coverage(store, &request)?)
            })
            .await?;
        return Ok(render::json_text(report.get().to_string()));
    }
    let page = p.page()?;
    let defaults = GapsRequest::default();
    let method = match p.get("method") {
        None => defaults.method,
        Some(m) => GapsMethod::parse(m).ok_or_else(|| {
            ApiError::BadParameter(format!(
                "unknown method `{m}` (learned, cn, aa, ra, pa, combined)"
            ))
        })?,
    };
    let request = GapsRequest {
        between: match p.get("between") {
            Some(text) => kind_pair(text, "between")?,
            None => defaults.between.clone(),
        },
        method,
        fields: p.all("field"),
        districts: p.all("district"),
        top: p.bounded("top", defaults.top, 1, MAX_LIMIT)?,
        blend: defaults.blend,
        seed,
    };
    let key = format!("gaps\0{request:?}");
    let models = state.models();
    let items: Arc<Rows> = state
        .cached(key, Cost::Light, move |store, snapshot, _| {
            let keeping = Keeping {
                store: Some(store),
                memory: Some(&models),
            };
            let outcome = query::gaps_kept(snapshot, &store.schema(), &request, &keeping)?;
            render::rows(&outcome.gaps)
        })
        .await?;
    Ok(render::envelope(page, &items))
}

const PARTNERS_PARAMS: &[&str] = &[
    "top",
    "include_existing",
    "field",
    "district",
    "method",
    "seed",
    "limit",
    "offset",
];

/// `GET /api/v1/partners/{id}`: partner firms, as `innograph partners ID --format json`.
pub async fn partners(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let p = Params::parse(q.as_deref(), PARTNERS_PARAMS)?;
    check_id(&id)?;
    let page = p.page()?;
    let defaults = PartnersRequest::default();
    let method = match p.get("method") {
        None => defaults.method,
        Some(m) => PartnersMethod::parse(m).ok_or_else(|| {
            ApiError::BadParameter(format!("unknown method `{m}` (learned, blend)"))
        })?,
    };
    let request = PartnersRequest {
        source: id,
        top: p.bounded("top", defaults.top, 1, MAX_LIMIT)?,
        include_existing: p.flag("include_existing")?,
        fields: p.all("field"),
        districts: p.all("district"),
        method,
        seed: p.seed("seed", defaults.seed)?,
    };
    let key = format!("partners\0{request:?}");
    let models = state.models();
    let items: Arc<Rows> = state
        .cached(key, Cost::Light, move |store, snapshot, _| {
            let keeping = Keeping {
                store: Some(store),
                memory: Some(&models),
            };
            let outcome = query::partners_kept(snapshot, &store.schema(), &request, &keeping)?;
            render::rows(&outcome.rows)
        })
        .await?;
    Ok(render::envelope(page, &items))
}

const PATH_PARAMS: &[&str] = &[
    "from",
    "to",
    "k",
    "with_attributes",
    "robust",
    "directed",
    "limit",
    "offset",
];

/// `GET /api/v1/path?from=&to=&k=`: up to k shortest paths, as `innograph path --format json`;
/// with `robust=true` the edge-disjoint paths (one object, as `innograph path --robust`).
pub async fn path(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), PATH_PARAMS)?;
    if p.flag("robust")? {
        return robust_path(state, &p).await;
    }
    if p.flag("directed")? {
        return Err(ApiError::BadParameter(
            "`directed` needs `robust=true`".into(),
        ));
    }
    let page = p.page()?;
    let need = |name: &str| {
        p.get(name)
            .map(str::to_string)
            .ok_or_else(|| ApiError::BadParameter(format!("`{name}` is required")))
    };
    let request = PathRequest {
        from: need("from")?,
        to: need("to")?,
        k: p.bounded("k", PathRequest::default().k, 1, 20)?,
        with_attributes: p.flag("with_attributes")?,
    };
    check_id(&request.from)?;
    check_id(&request.to)?;
    let key = format!("path\0{request:?}");
    let items: Arc<Rows> = state
        .cached(key, Cost::Light, move |store, snapshot, _| {
            render::rows(&query::paths(snapshot, &store.schema(), &request)?)
        })
        .await?;
    Ok(render::envelope(page, &items))
}

const BROKERS_PARAMS: &[&str] = &[
    "directed",
    "between",
    "kind",
    "top",
    "permutations",
    "seed",
    "limit",
    "offset",
];

/// `GET /api/v1/brokers`: brokerage rows, as `innograph brokers --format json`.
pub async fn brokers(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), BROKERS_PARAMS)?;
    let page = p.page()?;
    let defaults = BrokersRequest::default();
    let mut request = BrokersRequest {
        directed: p.flag("directed")?,
        between: p
            .get("between")
            .map(|b| kind_pair(b, "between"))
            .transpose()?,
        kinds: p.all("kind"),
        top: match p.get("top") {
            None => None,
            Some(_) => Some(
                p.bounded("top", 0, 0, MAX_SAFE_INTEGER as usize)?
                    .min(MAX_LIMIT),
            ),
        },
        permutations: p.bounded("permutations", defaults.permutations, 0, 2_000)?,
        seed: p.seed("seed", defaults.seed)?,
    };
    if request.permutations == 0 {
        // The seed only drives the permutation test.
        request.seed = 0;
    }
    let key = format!("brokers\0{request:?}");
    let items: Arc<Rows> = state
        .cached(
            key,
            Cost::Heavy {
                hint: "ask for fewer `permutations` (0 skips the significance test) or a `kind` filter",
            },
            move |store, snapshot, _| {
                render::rows_of(query::brokers(snapshot, &store.schema(), &request)?.to_json())
            },
        )
        .await?;
    Ok(render::envelope(page, &items))
}

/// `path?robust=true`: the edge-disjoint paths between `from` and `to`.
async fn robust_path(state: AppState, p: &Params) -> ApiResult {
    let need = |name: &str| {
        p.get(name)
            .map(str::to_string)
            .ok_or_else(|| ApiError::BadParameter(format!("`{name}` is required")))
    };
    if p.get("k").is_some() {
        return Err(ApiError::BadParameter(
            "`k` and `robust` exclude each other".into(),
        ));
    }
    if let Some(paging) = ["limit", "offset"].into_iter().find(|n| p.is_given(n)) {
        return Err(ApiError::BadParameter(format!(
            "`{paging}` pages the k shortest paths; `robust` answers one object, not a page"
        )));
    }
    let request = RobustRequest {
        from: need("from")?,
        to: need("to")?,
        with_attributes: p.flag("with_attributes")?,
        directed: p.flag("directed")?,
    };
    check_id(&request.from)?;
    check_id(&request.to)?;
    let key = format!("robust\0{request:?}");
    let found: Arc<Box<RawValue>> = state
        .cached(
            key,
            Cost::Heavy {
                hint: "a maximum flow between two hubs crosses the whole view; try less connected ends",
            },
            move |store, snapshot, _| {
                render::raw(&query::robust_paths(snapshot, &store.schema(), &request)?)
            },
        )
        .await?;
    Ok(render::json_text(found.get().to_string()))
}

const CONNECT_PARAMS: &[&str] = &["id", "with_attributes"];

/// `GET /api/v1/connect?id=A&id=B&id=C`: the fewest intermediaries that tie the group
/// together (one object, as `innograph connect --format json`).
pub async fn connect(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), CONNECT_PARAMS)?;
    let ids = p.all("id");
    for id in &ids {
        check_id(id)?;
    }
    let request = ConnectRequest {
        ids,
        with_attributes: p.flag("with_attributes")?,
    };
    let key = format!("connect\0{request:?}");
    let found: Arc<Box<RawValue>> = state
        .cached(key, Cost::Light, move |store, snapshot, _| {
            render::raw(&query::connect(snapshot, &store.schema(), &request)?)
        })
        .await?;
    Ok(render::json_text(found.get().to_string()))
}

const MATCH_PARAMS: &[&str] = &["threshold", "top", "candidates", "assign"];

/// `GET /api/v1/match`: the demand-matching report (one object, as `innograph match
/// --format json`).
pub async fn matching(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), MATCH_PARAMS)?;
    if p.flag("assign")? {
        if ["threshold", "top", "candidates"]
            .iter()
            .any(|k| p.get(k).is_some())
        {
            return Err(ApiError::BadParameter(
                "`assign` takes no `threshold`, `top` or `candidates`".into(),
            ));
        }
        let found: Arc<Box<RawValue>> = state
            .cached("assign".to_string(), Cost::Light, move |_, snapshot, _| {
                render::raw(&query::assign_demands(snapshot)?)
            })
            .await?;
        return Ok(render::json_text(found.get().to_string()));
    }
    let defaults = MatchRequest::default();
    let request = MatchRequest {
        threshold: p.real(
            "threshold",
            defaults.threshold,
            (
                std::ops::Bound::Included(0.0),
                std::ops::Bound::Included(1.0),
            ),
        )?,
        top: p.bounded("top", defaults.top, 0, MAX_LIMIT)?,
        candidates: p.bounded("candidates", defaults.candidates, 0, 100)?,
    };
    let key = format!(
        "match\0{}\0{}\0{}",
        request.threshold, request.top, request.candidates
    );
    let report: Arc<Box<RawValue>> = state
        .cached(
            key,
            Cost::Heavy {
                hint: "ask for fewer `candidates` or a higher `threshold`",
            },
            move |store, snapshot, _| {
                render::raw(&query::match_demands(
                    store,
                    snapshot,
                    &store.schema(),
                    &request,
                )?)
            },
        )
        .await?;
    Ok(render::json_text(report.get().to_string()))
}
