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
use super::params::{check_id, Params, MAX_LIMIT};
use super::render::{self, Rows};
use super::state::AppState;
use crate::query::{
    self, Blend, BrokersRequest, CoverageRequest, GapsRequest, MatchRequest, Method,
    PartnersRequest,
};

type ApiResult = Result<Response, ApiError>;

fn kind_pair(text: &str, what: &str) -> Result<(String, String), ApiError> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    match parts.as_slice() {
        [a, b] if !a.is_empty() && !b.is_empty() => Ok((a.to_string(), b.to_string())),
        _ => Err(ApiError::BadParameter(format!(
            "`{what}` takes two kinds separated by a comma, e.g. university,enterprise"
        ))),
    }
}

const GAPS_PARAMS: &[&str] = &[
    "between", "method", "field", "district", "top", "coverage", "seed", "limit", "offset",
];

/// `GET /api/v1/gaps`: missing ties (paginated), or with `coverage=true` the coverage
/// report (one object, as `innograph gaps --coverage --format json`).
pub async fn gaps(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), GAPS_PARAMS)?;
    let top = p.bounded("top", 20, 1, MAX_LIMIT)?;
    if p.flag("coverage")? {
        let request = CoverageRequest {
            top,
            seed: p.parsed("seed")?.unwrap_or(42),
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
    let method = match p.get("method") {
        None => Method::Combined,
        Some(m) => Method::parse(m).ok_or_else(|| {
            ApiError::BadParameter(format!("unknown method `{m}` (cn, aa, ra, pa, combined)"))
        })?,
    };
    let request = GapsRequest {
        between: kind_pair(
            p.get("between").unwrap_or("university,enterprise"),
            "between",
        )?,
        method,
        fields: p.all("field"),
        districts: p.all("district"),
        top,
        blend: Blend::default(),
    };
    let key = format!("gaps\0{request:?}");
    let items: Arc<Rows> = state
        .cached(key, Cost::Light, move |store, snapshot, _| {
            render::rows(&query::gaps(snapshot, &store.schema(), &request)?)
        })
        .await?;
    Ok(render::envelope(page, &items))
}

const PARTNERS_PARAMS: &[&str] = &[
    "top",
    "include_existing",
    "field",
    "district",
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
    let request = PartnersRequest {
        source: id,
        top: p.bounded("top", 10, 1, MAX_LIMIT)?,
        include_existing: p.flag("include_existing")?,
        fields: p.all("field"),
        districts: p.all("district"),
    };
    let key = format!("partners\0{request:?}");
    let items: Arc<Rows> = state
        .cached(key, Cost::Light, move |store, snapshot, _| {
            render::rows(&query::partners(snapshot, &store.schema(), &request)?)
        })
        .await?;
    Ok(render::envelope(page, &items))
}

const PATH_PARAMS: &[&str] = &["from", "to", "k", "with_attributes", "limit", "offset"];

/// `GET /api/v1/path?from=&to=&k=`: up to k shortest paths, as `innograph path --format json`.
pub async fn path(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), PATH_PARAMS)?;
    let page = p.page()?;
    let need = |name: &str| {
        p.get(name)
            .map(str::to_string)
            .ok_or_else(|| ApiError::BadParameter(format!("`{name}` is required")))
    };
    let (from, to) = (need("from")?, need("to")?);
    check_id(&from)?;
    check_id(&to)?;
    let k = p.bounded("k", 1, 1, 20)?;
    let with_attributes = p.flag("with_attributes")?;
    let key = format!("path\0{from}\0{to}\0{k}\0{with_attributes}");
    let items: Arc<Rows> = state
        .cached(key, Cost::Light, move |store, snapshot, _| {
            render::rows(&query::paths(
                snapshot,
                &store.schema(),
                &from,
                &to,
                k,
                with_attributes,
            )?)
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
    let mut request = BrokersRequest {
        directed: p.flag("directed")?,
        between: p
            .get("between")
            .map(|b| kind_pair(b, "between"))
            .transpose()?,
        kinds: p.all("kind"),
        top: p.parsed::<usize>("top")?.map(|t| t.min(MAX_LIMIT)),
        permutations: p.bounded("permutations", 200, 0, 2_000)?,
        seed: p.parsed("seed")?.unwrap_or(42),
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

const MATCH_PARAMS: &[&str] = &["threshold", "top", "candidates"];

/// `GET /api/v1/match`: the demand-matching report (one object, as `innograph match
/// --format json`).
pub async fn matching(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), MATCH_PARAMS)?;
    let request = MatchRequest {
        threshold: p.parsed("threshold")?.unwrap_or(0.8),
        top: p.bounded("top", 10, 0, MAX_LIMIT)?,
        candidates: p.bounded("candidates", 3, 0, 100)?,
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
