//! The planners' questions over HTTP: `/trends`, `/consortia`, `/synergy`, `/engagement`,
//! `/platforms`, `/universities`. Each takes the CLI's options as query parameters, builds
//! the same request, computes it once per store generation through the state's cache, and
//! answers with the CLI's JSON report (one object).

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde::Serialize;
use serde_json::value::RawValue;

use super::compute::Cost;
use super::error::ApiError;
use super::params::{Params, MAX_LIMIT, MAX_SAFE_INTEGER};
use super::render;
use super::state::AppState;
use crate::query::{
    self, Breakdown, CandidatesRequest, ConsortiaRequest, Ecosystem, EngagementRequest, FirmClass,
    Keeping, Needs, PlatformsRequest, Scope, SynergyRequest, TrendsRequest, UniversitiesRequest,
};
use crate::query::{Snapshot, Store};

type ApiResult = Result<Response, ApiError>;

fn years(p: &Params) -> Result<Option<(i32, i32)>, ApiError> {
    Ok(p.get("years").map(query::parse_years).transpose()?)
}

/// `top`: 1 to [`MAX_LIMIT`] rows, as the document states.
fn top(p: &Params) -> Result<Option<usize>, ApiError> {
    match p.get("top") {
        None => Ok(None),
        Some(_) => Ok(Some(p.bounded("top", 1, 1, MAX_LIMIT)?)),
    }
}

/// Computes a report on the current generation (cached by `key`, queued in the lane of
/// `cost`) and answers it as JSON.
async fn answer<T, F>(
    state: &AppState,
    key: String,
    cost: Cost,
    needs: Needs,
    compute: F,
) -> ApiResult
where
    T: Serialize,
    F: FnOnce(&Store, &Ecosystem) -> Result<T, query::QueryError> + Send + 'static,
{
    let report: Arc<Box<RawValue>> = state
        .cached(
            key,
            cost,
            move |store: &Store, snapshot: &Arc<Snapshot>, _| {
                let eco = Ecosystem::load_on(store, Arc::clone(snapshot), &needs)?;
                render::raw(&compute(store, &eco)?)
            },
        )
        .await?;
    Ok(render::json_text(report.get().to_string()))
}

/// `GET /api/v1/trends?years=&by=`: as `innograph trends --format json`.
pub async fn trends(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), &["years", "by"])?;
    let request = TrendsRequest {
        years: years(&p)?,
        by: p
            .all("by")
            .iter()
            .flat_map(|b| b.split(','))
            .map(Breakdown::parse)
            .collect::<Result<_, _>>()?,
    };
    let key = format!("trends\0{request:?}");
    answer(
        &state,
        key,
        Cost::Light,
        query::trends_needs(),
        move |_, eco| query::trends(eco, &request),
    )
    .await
}

/// `GET /api/v1/consortia?years=&no_years=&top=&field=&with=&candidates=`: as `innograph
/// consortia --format json`.
pub async fn consortia(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(
        q.as_deref(),
        &["years", "no_years", "top", "field", "with", "candidates"],
    )?;
    let with = p.all("with");
    let listed = p.bounded("candidates", 5, 1, query::MAX_CANDIDATES)?;
    let candidates = match (p.get("field"), with.is_empty()) {
        (None, true) => None,
        (Some(field), false) => Some(CandidatesRequest {
            field: field.to_string(),
            with,
            top: listed,
        }),
        _ => {
            return Err(ApiError::BadParameter(
                "candidate consortia need both `field` and `with`".into(),
            ))
        }
    };
    let request = ConsortiaRequest {
        years: years(&p)?,
        per_year: !p.flag("no_years")?,
        top: Some(top(&p)?.unwrap_or(20)),
        candidates,
    };
    let key = format!("consortia\0{request:?}");
    let cost = consortia_cost(&request);
    let models = state.models();
    answer(
        &state,
        key,
        cost,
        query::consortia_needs(),
        move |store, eco| {
            let keeping = Keeping {
                store: Some(store),
                memory: Some(&models),
            };
            query::consortia_kept(eco, &request, &keeping)
        },
    )
    .await
}

/// The lane of a consortia request: candidate consortia train a ranker per pair of kinds on
/// the first call after a write (seconds on a large store), so they queue with the other
/// heavy work; the shares and the current consortia are light.
fn consortia_cost(request: &ConsortiaRequest) -> Cost {
    if request.candidates.is_some() {
        Cost::Heavy {
            hint: "candidate consortia train their rankers on the first call after a write; ask again, or without `field` and `with`",
        }
    } else {
        Cost::Light
    }
}

/// `GET /api/v1/synergy?by=&years=&no_years=&min_units=`: as `innograph synergy --format
/// json`.
pub async fn synergy(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), &["by", "years", "no_years", "min_units"])?;
    let request = SynergyRequest {
        by: p
            .all("by")
            .iter()
            .flat_map(|b| b.split(','))
            .map(Scope::parse)
            .collect::<Result<_, _>>()?,
        years: years(&p)?,
        per_year: !p.flag("no_years")?,
        min_units: p.bounded(
            "min_units",
            SynergyRequest::default().min_units as usize,
            0,
            MAX_SAFE_INTEGER as usize,
        )? as u64,
    };
    let key = format!("synergy\0{request:?}");
    answer(
        &state,
        key,
        Cost::Light,
        query::synergy_needs(),
        move |_, eco| query::synergy(eco, &request),
    )
    .await
}

/// `GET /api/v1/engagement?class=&field=&district=&not_engaged=&top=`: as `innograph
/// engagement --format json`.
pub async fn engagement(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(
        q.as_deref(),
        &["class", "field", "district", "not_engaged", "top"],
    )?;
    let request = EngagementRequest {
        classes: p
            .all("class")
            .iter()
            .map(|c| FirmClass::parse(c))
            .collect::<Result<_, _>>()?,
        field: p.get("field").map(str::to_string),
        district: p.get("district").map(str::to_string),
        not_engaged: p.flag("not_engaged")?,
        top: top(&p)?,
    };
    let key = format!("engagement\0{request:?}");
    answer(
        &state,
        key,
        Cost::Light,
        query::engagement_needs(),
        move |_, eco| query::engagement(eco, &request),
    )
    .await
}

/// `GET /api/v1/platforms?type=&district=&field=&as_of=&under=&top=`: as `innograph
/// platforms --format json`.
pub async fn platforms(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(
        q.as_deref(),
        &["type", "district", "field", "as_of", "under", "top"],
    )?;
    let request = PlatformsRequest {
        types: p.all("type"),
        district: p.get("district").map(str::to_string),
        field: p.get("field").map(str::to_string),
        as_of: match p.get("as_of") {
            None => None,
            Some(_) => Some(p.bounded("as_of", 1, 1, query::MAX_AS_OF as usize)? as i32),
        },
        under_only: p.flag("under")?,
        top: top(&p)?,
    };
    let key = format!("platforms\0{request:?}");
    answer(
        &state,
        key,
        Cost::Light,
        query::platforms_needs(),
        move |_, eco| query::platforms(eco, &request),
    )
    .await
}

/// `GET /api/v1/universities?years=&pilot=&top=`: as `innograph universities --format
/// json`.
pub async fn universities(State(state): State<AppState>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), &["years", "pilot", "top"])?;
    let request = UniversitiesRequest {
        years: years(&p)?,
        pilot_only: p.flag("pilot")?,
        top: top(&p)?,
    };
    let key = format!("universities\0{request:?}");
    answer(
        &state,
        key,
        Cost::Light,
        query::universities_needs(),
        move |_, eco| query::universities(eco, &request),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_consortia_queue_with_the_heavy_work() {
        let light = ConsortiaRequest::default();
        assert_eq!(consortia_cost(&light), Cost::Light);
        let candidates = ConsortiaRequest {
            candidates: Some(CandidatesRequest {
                field: "biomedicine".into(),
                with: vec!["univ:sjtu".into()],
                top: 5,
            }),
            ..ConsortiaRequest::default()
        };
        assert!(matches!(consortia_cost(&candidates), Cost::Heavy { .. }));
    }
}
