//! Demand matching (InnoMatch style): which achievements, universities and institutes could
//! answer the technology demands that enterprises post, and how many demands are answered.
//!
//! Definitions:
//! - A demand is **matched** when it has at least one `solves` edge (an achievement,
//!   university or institute offered a solution). `match_rate` = matched / demands.
//! - **Docking rate** (the generator's and, as the generator reads it, the source's 对接率
//!   ≈ 65 %): the share of `solves` edges that carry `matched = true`, i.e. solutions the
//!   posting firm took up for talks. It is a rate over solutions, not over demands; with
//!   more than 3,000 solutions for more than 6,600 demands, at most ~45 % of demands can be
//!   matched in our sense, so the two rates differ by construction (docs/generator.md).
//! - Candidate score of `x` (achievement, university, research institute) for demand `d`:
//!   `0.6 · field + 0.4 · proximity`, where `field` is the Jaccard similarity of `d`'s
//!   `in_field` fields and `x`'s field profile (own fields plus those of its platforms,
//!   projects and achievements), and `proximity` is 1/d for the hop distance d from the
//!   firm that posted `d` to `x` in the full view without attribute edges and without
//!   `solves` edges (the answers being predicted); 0 when unreachable or no poster.
//! - An unmatched demand is **matchable** when its best candidate scores at least
//!   `threshold` (default 0.8: the candidate shares the demand's field and is at most two
//!   hops from the posting firm, e.g. an achievement of a university the firm already has a
//!   contract with; a field match alone scores 0.6 and is not enough).
//!   `potential_rate` = (matched + matchable) / demands.

use std::collections::HashMap;

use serde::Serialize;

use super::paths::{distinct_targets_of, field_profiles, hop_graph, EdgeFilter};
use super::QueryError;
use crate::algo::traversal::bfs;
use crate::model::{EdgeId, PropValue, Schema};
use crate::store::{Snapshot, Store};

/// Weight of the field part of a candidate's score.
pub const W_FIELD: f64 = 0.6;
/// Weight of the proximity part.
pub const W_PROXIMITY: f64 = 0.4;

/// What to compute.
#[derive(Debug, Clone)]
pub struct MatchRequest {
    /// A candidate at least this good makes an unmatched demand matchable.
    pub threshold: f64,
    /// List at most this many unmatched demands (best candidates first).
    pub top: usize,
    /// Candidates shown per unmatched demand.
    pub candidates: usize,
}

impl Default for MatchRequest {
    fn default() -> Self {
        MatchRequest {
            threshold: 0.8,
            top: 10,
            candidates: 3,
        }
    }
}

/// A possible answer to a demand.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// Blended score.
    pub score: f64,
    /// Field similarity.
    pub field: f64,
    /// 1 / hop distance from the posting firm.
    pub proximity: f64,
    /// Hop distance (null when unreachable).
    pub distance: Option<u32>,
}

/// An unmatched demand and its best candidates.
#[derive(Debug, Clone, Serialize)]
pub struct UnmatchedDemand {
    /// Demand id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The firm that posted it.
    pub posted_by: Option<String>,
    /// Its fields.
    pub fields: Vec<String>,
    /// Best candidates.
    pub candidates: Vec<Candidate>,
}

/// Demands of one field.
#[derive(Debug, Clone, Serialize)]
pub struct FieldCount {
    /// Field id.
    pub field: String,
    /// Field name.
    pub name: String,
    /// Demands in the field.
    pub demands: usize,
    /// Of which matched.
    pub matched: usize,
    /// Unmatched.
    pub unmatched: usize,
    /// Unmatched and with no candidate reaching the threshold.
    pub unmatchable: usize,
}

/// The answer.
#[derive(Debug, Clone, Serialize)]
pub struct MatchReport {
    /// Demands.
    pub demands: usize,
    /// Demands with at least one `solves` edge.
    pub matched: usize,
    /// matched / demands (null without demands).
    pub match_rate: Option<f64>,
    /// `solves` edges.
    pub solutions: usize,
    /// `solves` edges with `matched = true`.
    pub docked: usize,
    /// docked / solutions (null without solutions).
    pub docking_rate: Option<f64>,
    /// Unmatched demands whose best candidate reaches the threshold.
    pub matchable: usize,
    /// (matched + matchable) / demands.
    pub potential_rate: Option<f64>,
    /// The threshold used.
    pub threshold: f64,
    /// The rate the source reports (对接率 about 65 %).
    pub source_rate: f64,
    /// Per field, most unmatched first.
    pub by_field: Vec<FieldCount>,
    /// Unmatched demands with their best candidates (best first).
    pub unmatched: Vec<UnmatchedDemand>,
}

fn rate(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Matches demands to candidates.
pub fn match_demands(
    store: &Store,
    snapshot: &Snapshot,
    schema: &Schema,
    request: &MatchRequest,
) -> Result<MatchReport, QueryError> {
    if !(0.0..=1.0).contains(&request.threshold) {
        return Err(QueryError::BadParameter(
            "--threshold must be between 0 and 1".into(),
        ));
    }
    let n = snapshot.node_count();
    let code = |k: &str| snapshot.node_kind_code_of(k);
    let demand_code = code("demand");
    let demands: Vec<u32> = (0..n as u32)
        .filter(|&v| Some(snapshot.node_kind_code(v)) == demand_code)
        .collect();
    let candidate_codes: Vec<u16> = ["achievement", "university", "research_institute"]
        .iter()
        .filter_map(|k| code(k))
        .collect();
    let candidates: Vec<u32> = (0..n as u32)
        .filter(|&v| candidate_codes.contains(&snapshot.node_kind_code(v)))
        .collect();
    let solves = snapshot.edge_kind_code_of("solves");
    let posts = snapshot.edge_kind_code_of("posts");
    let in_field = snapshot.edge_kind_code_of("in_field");

    // Solutions and their docking flag.
    let mut solved = vec![false; n];
    let (mut solutions, mut docked) = (0usize, 0usize);
    for e in 0..snapshot.edge_count() {
        if Some(snapshot.edge_kind_codes()[e]) != solves {
            continue;
        }
        let edge = snapshot.edge(e);
        solutions += 1;
        solved[edge.target as usize] = true;
        let id = EdgeId {
            source: snapshot.node_id(edge.source).to_string(),
            target: snapshot.node_id(edge.target).to_string(),
            kind: edge.kind.to_string(),
            key: edge.key.to_string(),
        };
        if let Some(record) = store.edge(&id)? {
            if matches!(record.props.get("matched"), Some(PropValue::Bool(true))) {
                docked += 1;
            }
        }
    }

    let filter = EdgeFilter::full(snapshot, schema, false).without(snapshot, &["solves"]);
    let hops = hop_graph(snapshot, &filter);
    let profiles = field_profiles(snapshot);
    // Distances from the last poster seen (demands are visited grouped by poster).
    let mut cached: Option<(u32, Vec<u32>)> = None;
    let poster_of = |d: u32| -> Option<u32> {
        let posts = posts?;
        snapshot
            .in_edges(d)
            .iter()
            .find(|&&e| snapshot.edge_kind_codes()[e as usize] == posts)
            .map(|&e| snapshot.edge_sources()[e as usize])
    };
    let own_fields = |d: u32| distinct_targets_of(snapshot, d, in_field);

    let mut by_field: HashMap<u32, FieldCount> = HashMap::new();
    let mut matchable = 0usize;
    let mut unmatched: Vec<(f64, u32, UnmatchedDemand)> = Vec::new();
    let mut order: Vec<(Option<u32>, u32)> = demands.iter().map(|&d| (poster_of(d), d)).collect();
    order.sort_unstable();
    for &(poster, d) in &order {
        let fields = own_fields(d);
        let is_matched = solved[d as usize];
        let mut best: Vec<(f64, u32, f64, f64, Option<u32>)> = Vec::new();
        if !is_matched {
            if let Some(p) = poster {
                if cached.as_ref().is_none_or(|c| c.0 != p) {
                    cached = Some((p, bfs(&hops, p).0));
                }
            }
            let dist = poster.and(cached.as_ref().map(|c| &c.1));
            for &x in &candidates {
                let field = crate::algo::sets::jaccard(&fields, &profiles[x as usize]);
                let hop = dist
                    .as_ref()
                    .map(|dd| dd[x as usize])
                    .filter(|&h| h != u32::MAX);
                let proximity = hop.map_or(0.0, |h| 1.0 / f64::from(h.max(1)));
                let score = W_FIELD * field + W_PROXIMITY * proximity;
                if score > 0.0 {
                    best.push((score, x, field, proximity, hop));
                }
            }
            best.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        }
        let top_score = best.first().map_or(0.0, |b| b.0);
        let is_matchable = !is_matched && top_score >= request.threshold;
        if is_matchable {
            matchable += 1;
        }
        for &f in &fields {
            let c = by_field.entry(f).or_insert_with(|| FieldCount {
                field: snapshot.node_id(f).to_string(),
                name: snapshot.node_name(f).to_string(),
                demands: 0,
                matched: 0,
                unmatched: 0,
                unmatchable: 0,
            });
            c.demands += 1;
            if is_matched {
                c.matched += 1;
            } else {
                c.unmatched += 1;
                if !is_matchable {
                    c.unmatchable += 1;
                }
            }
        }
        if !is_matched {
            best.truncate(request.candidates);
            unmatched.push((
                top_score,
                d,
                UnmatchedDemand {
                    id: snapshot.node_id(d).to_string(),
                    name: snapshot.node_name(d).to_string(),
                    posted_by: poster.map(|p| snapshot.node_id(p).to_string()),
                    fields: fields
                        .iter()
                        .map(|&f| snapshot.node_id(f).to_string())
                        .collect(),
                    candidates: best
                        .into_iter()
                        .map(|(score, x, field, proximity, distance)| Candidate {
                            id: snapshot.node_id(x).to_string(),
                            name: snapshot.node_name(x).to_string(),
                            kind: snapshot.node_kind(x).to_string(),
                            score,
                            field,
                            proximity,
                            distance,
                        })
                        .collect(),
                },
            ));
        }
    }
    unmatched.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    unmatched.truncate(request.top);
    let mut by_field: Vec<FieldCount> = by_field.into_values().collect();
    by_field.sort_by(|a, b| {
        b.unmatched
            .cmp(&a.unmatched)
            .then_with(|| a.field.cmp(&b.field))
    });
    let matched = demands.iter().filter(|&&d| solved[d as usize]).count();
    Ok(MatchReport {
        demands: demands.len(),
        matched,
        match_rate: rate(matched, demands.len()),
        solutions,
        docked,
        docking_rate: rate(docked, solutions),
        matchable,
        potential_rate: rate(matched + matchable, demands.len()),
        threshold: request.threshold,
        source_rate: 0.65,
        by_field,
        unmatched: unmatched.into_iter().map(|(_, _, u)| u).collect(),
    })
}
