//! Partner firms: which enterprises should a university, institute, achievement, technology
//! manager or field approach, and who can introduce them.
//!
//! **Learned (the default).** Score of an enterprise `e` for a source `s` (each part in
//! [0, 1]):
//!
//! ```text
//! score = learned                          (an organisation: a university, institute, firm …)
//! score = 0.7 · learned + 0.3 · field      (a technology manager or an achievement)
//! ```
//!
//! - `learned`: the score of the pair (actor of `s`, `e`) by the ranker `gaps` learns on
//!   the ties between the actor's kind and enterprises, rescaled over the enterprises not tied to it
//!   ([`super::partners_learned`]: the actor is `s` itself for an organisation, the
//!   organisations it works for or that own it for a technology manager or achievement).
//! - `field`: as below — the researcher's or organisation's own fields, which the model only
//!   sees through `in_field` edges of organisations.
//!
//! For an organisation the learned score ranks alone: on every hold-out of EVALUATION.md
//! (development seeds 1–3, then seeds 7001–7003), adding its fields at weight 0.05–0.3 never
//! put more hidden partners in an organisation's top 10 and lost up to a third of them on the
//! generated ecosystem (the model already sees the organisation's fields). A technology
//! manager or an achievement has no row of its own in the model — its organisation's row
//! ranks — so its own fields are what sets it apart from its colleagues: there the field
//! part keeps its weight, a judgement (no hold-out hides ties of one researcher). A field
//! source, or one without an organisation in the collab view, falls back to the blend.
//!
//! **Blend** (`--method blend`, and the fallback):
//!
//! ```text
//! score = 0.5 · pagerank + 0.3 · field + 0.2 · proximity
//! ```
//!
//! - `pagerank`: personalised PageRank (random walk with restart to `s`, damping 0.85,
//!   unweighted, undirected) on the full view *with* attribute edges, so that actors sharing
//!   a field or a district are connected; divided by the largest value over all enterprises
//!   (so the best-placed firm has 1). `pagerank_raw` is the undivided probability.
//! - `field`: Jaccard similarity of the field profiles of `s` and `e`; for a field source, 1
//!   when the field is in `e`'s profile. A profile is the node's own `in_field` fields plus
//!   those of the platforms, projects, achievements and demands it is directly tied to.
//! - `proximity`: 1/d, where d is the hop distance from `s` to `e` in the full view
//!   (without attribute edges: a shared district is no introduction; for a field source its
//!   own `in_field` edges are the first step); 0 when unreachable.
//!
//! Existing partners (`existing: true`) are left out unless asked for: for an organisation
//! source, the enterprises tied to it in the collab view; for any other source, the
//! enterprises joined to it by a non-attribute edge (a field has no partners: membership is
//! what its `field` part measures).
//!
//! The introduction path is a shortest path from `s` to `e` in the same graph as the
//! distance. Among several shortest paths, the one through the most intermediaries
//! (technology managers, incubators, platforms, projects) is shown; remaining ties go to
//! the smallest ids. Ranking ties go to the smaller id.

use serde::Serialize;

use super::gaps::ModelReport;
use super::learned_kept::Keeping;
use super::lookup::{attribute, node};
use super::partners_learned::{actors, learned_part, LearnedPart};
use super::paths::{describe, field_profiles, hop_graph, EdgeFilter};
use super::QueryError;
use crate::algo::sets::jaccard;
use crate::algo::traversal::bfs;
use crate::algo::{self, Silent};
use crate::graph::{build_view, ViewKind, ViewOptions};
use crate::model::Schema;
use crate::store::Snapshot;

/// Weight of the field part (learned method) for a source that is no organisation (a
/// technology manager or an achievement: its own fields); the learned part has the rest.
pub const W_LEARNED_FIELD: f64 = 0.3;

/// The field part's weight in the learned score of a source: none for an organisation (see
/// the module docs), [`W_LEARNED_FIELD`] for the others.
pub fn learned_field_weight(source_is_organisation: bool) -> f64 {
    if source_is_organisation {
        0.0
    } else {
        W_LEARNED_FIELD
    }
}
/// Weight of the personalised PageRank part (blend).
pub const W_PAGERANK: f64 = 0.5;
/// Weight of the field-similarity part (blend).
pub const W_FIELD: f64 = 0.3;
/// Weight of the proximity part (blend).
pub const W_PROXIMITY: f64 = 0.2;

/// Node kinds that can introduce (preferred on introduction paths).
const INTRODUCERS: [&str; 4] = ["tech_manager", "incubator", "platform", "project"];

/// How `partners` ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PartnersMethod {
    /// The learned ranker of the source's actor blended with fields (the default).
    Learned,
    /// Personalised PageRank, fields and proximity.
    Blend,
}

impl PartnersMethod {
    /// The short name (`learned`, `blend`).
    pub fn name(self) -> &'static str {
        match self {
            PartnersMethod::Learned => "learned",
            PartnersMethod::Blend => "blend",
        }
    }

    /// Parses a short name.
    pub fn parse(text: &str) -> Option<PartnersMethod> {
        [PartnersMethod::Learned, PartnersMethod::Blend]
            .into_iter()
            .find(|m| m.name() == text)
    }
}

/// What to ask.
#[derive(Debug, Clone)]
pub struct PartnersRequest {
    /// The source node id.
    pub source: String,
    /// At most this many firms (default 10).
    pub top: usize,
    /// Keep existing partners.
    pub include_existing: bool,
    /// Only firms in one of these fields (ids or names).
    pub fields: Vec<String>,
    /// Only firms located in one of these districts (ids or names).
    pub districts: Vec<String>,
    /// How to rank.
    pub method: PartnersMethod,
    /// Seed of the learned method (hide, samples, Louvain).
    pub seed: u64,
}

impl Default for PartnersRequest {
    fn default() -> Self {
        PartnersRequest {
            source: String::new(),
            top: 10,
            include_existing: false,
            fields: Vec::new(),
            districts: Vec::new(),
            method: PartnersMethod::Learned,
            seed: 42,
        }
    }
}

/// The parts of a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnerComponents {
    /// Learned method: the actor's learned score rescaled over enterprises (null otherwise).
    pub learned: Option<f64>,
    /// Learned method: the ranker's own score (log-odds for a model; null otherwise).
    pub learned_raw: Option<f64>,
    /// Blend: personalised PageRank divided by its maximum over enterprises (null otherwise).
    pub pagerank: Option<f64>,
    /// Blend: personalised PageRank, a probability (null otherwise).
    pub pagerank_raw: Option<f64>,
    /// Field similarity (Jaccard, or membership for a field source).
    pub field: f64,
    /// 1 / hop distance (0 when unreachable).
    pub proximity: f64,
    /// Hop distance, null when unreachable.
    pub distance: Option<u32>,
}

/// One recommended firm.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnerRow {
    /// Firm id.
    pub id: String,
    /// Name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Node kind (enterprise).
    pub kind: String,
    /// Blended score.
    pub score: f64,
    /// What ranked (`learned`, or `blend` when asked for or when the source has no actor).
    pub method: PartnersMethod,
    /// Its parts.
    pub components: PartnerComponents,
    /// Already a partner of the source.
    pub existing: bool,
    /// Introduction path: ids from the source to the firm (empty when unreachable).
    pub path: Vec<String>,
    /// Names along the path.
    pub path_names: Vec<String>,
    /// Kinds of the nodes along the path.
    pub path_kinds: Vec<String>,
    /// Edge kind of each step.
    pub path_edges: Vec<String>,
    /// Whether each step follows its edge's direction (null for undirected kinds).
    pub path_forward: Vec<Option<bool>>,
}

/// A model the learned method trained, for one actor kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnersModel {
    /// The actor kind whose ties with enterprises were learned.
    pub kind: String,
    /// The model card and what was hidden.
    #[serde(flatten)]
    pub report: ModelReport,
}

/// `partners` with what ranked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnersOutcome {
    /// The firms, best first.
    pub rows: Vec<PartnerRow>,
    /// What ranked.
    pub method: PartnersMethod,
    /// The organisations whose learned rows ranked (ids; empty for the blend).
    pub actors: Vec<String>,
    /// The models trained (empty for the blend).
    pub models: Vec<PartnersModel>,
    /// Why the learned method was not used, when it was asked for.
    pub note: Option<String>,
    /// The field part's weight in the learned score (0 for an organisation).
    pub field_weight: f64,
}

/// Ranks enterprises for the source.
pub fn partners(
    snapshot: &Snapshot,
    schema: &Schema,
    request: &PartnersRequest,
) -> Result<Vec<PartnerRow>, QueryError> {
    Ok(partners_explained(snapshot, schema, request)?.rows)
}

/// Personalised PageRank from `source` on the full view with attribute edges (index =
/// snapshot index).
fn personal_pagerank(
    snapshot: &Snapshot,
    schema: &Schema,
    source: u32,
) -> Result<Vec<f64>, QueryError> {
    let full = build_view(
        snapshot,
        schema,
        &ViewOptions {
            kind: ViewKind::Full,
            with_attributes: true,
            ..Default::default()
        },
    )
    .map_err(|e| QueryError::BadParameter(e.to_string()))?;
    let mut personal = vec![0.0; snapshot.node_count()];
    personal[source as usize] = 1.0;
    algo::pagerank::pagerank(
        &full.graph,
        &algo::pagerank::PageRankOptions {
            alpha: 0.85,
            weighted: false,
            tol: 1e-12,
            max_iter: 10_000,
            personalization: Some(&personal),
            ..Default::default()
        },
        &Silent,
    )
    .map_err(|e| QueryError::Algorithm(e.to_string()))
}

/// [`partners`] with what ranked and the learned method's model cards.
pub fn partners_explained(
    snapshot: &Snapshot,
    schema: &Schema,
    request: &PartnersRequest,
) -> Result<PartnersOutcome, QueryError> {
    partners_kept(snapshot, schema, request, &Keeping::none())
}

/// [`partners_explained`] reading and keeping the trained rankers where `keeping` says
/// ([`super::learned_kept`]): the same result, without training again for a generation.
pub fn partners_kept(
    snapshot: &Snapshot,
    schema: &Schema,
    request: &PartnersRequest,
    keeping: &Keeping<'_>,
) -> Result<PartnersOutcome, QueryError> {
    let source = node(snapshot, &request.source)?;
    let n = snapshot.node_count();
    let source_kind = snapshot.node_kind(source).to_string();
    let is_field = source_kind == "field";
    let Some(enterprise) = snapshot.node_kind_code_of("enterprise") else {
        return Ok(PartnersOutcome {
            rows: Vec::new(),
            method: request.method,
            actors: Vec::new(),
            models: Vec::new(),
            note: None,
            field_weight: learned_field_weight(schema.is_organisation(&source_kind)),
        });
    };
    let bad = |e: crate::graph::ViewError| QueryError::BadParameter(e.to_string());

    let (learned, note): (Option<LearnedPart>, Option<String>) = match request.method {
        PartnersMethod::Blend => (None, None),
        PartnersMethod::Learned => {
            let part = match actors(snapshot, schema, source) {
                a if a.is_empty() => None,
                a => learned_part(snapshot, schema, &a, request.seed, keeping)?,
            };
            let note = part.is_none().then(|| {
                format!(
                    "{} ({source_kind}) has no organisation in the collab view to learn for (an organisation tied to nothing, a field, or a tech manager or achievement without one): ranked by the blend",
                    request.source
                )
            });
            (part, note)
        }
    };
    let method = if learned.is_some() {
        PartnersMethod::Learned
    } else {
        PartnersMethod::Blend
    };
    let ppr = match learned {
        Some(_) => None,
        None => Some(personal_pagerank(snapshot, schema, source)?),
    };
    let firms: Vec<u32> = (0..n as u32)
        .filter(|&v| v != source && snapshot.node_kind_code(v) == enterprise)
        .collect();
    let ppr_max = ppr.as_ref().map_or(0.0, |ppr| {
        firms
            .iter()
            .map(|&v| ppr[v as usize])
            .fold(0.0f64, f64::max)
    });

    // Distances and introduction paths.
    let mut filter = EdgeFilter::full(snapshot, schema, false);
    if is_field {
        filter = filter.with_edges_of(source);
    }
    let hops = hop_graph(snapshot, &filter);
    let (dist, order) = bfs(&hops, source);
    let introducer: Vec<bool> = snapshot
        .node_kind_names()
        .iter()
        .map(|k| INTRODUCERS.contains(&k.as_str()))
        .collect();
    // best[v]: most introducers on a shortest path source → v (v itself included).
    let mut best = vec![0u32; n];
    for &v in &order {
        let d = dist[v as usize];
        let from_preds = hops
            .out_neighbors(v as usize)
            .iter()
            .filter(|&&u| dist[u as usize] != u32::MAX && dist[u as usize] + 1 == d)
            .map(|&u| best[u as usize])
            .max()
            .unwrap_or(0);
        best[v as usize] =
            from_preds + u32::from(v != source && introducer[snapshot.node_kind_code(v) as usize]);
    }
    let path_to = |t: u32| -> Vec<u32> {
        if dist[t as usize] == u32::MAX {
            return Vec::new();
        }
        let mut path = vec![t];
        let mut v = t;
        while v != source {
            let d = dist[v as usize];
            let mut pick: Option<u32> = None;
            for &u in hops.out_neighbors(v as usize) {
                if dist[u as usize] != u32::MAX
                    && dist[u as usize] + 1 == d
                    && pick.is_none_or(|p| best[u as usize] > best[p as usize])
                {
                    pick = Some(u);
                }
            }
            v = pick.expect("a BFS predecessor exists");
            path.push(v);
        }
        path.reverse();
        path
    };

    // Existing partners.
    let mut existing = vec![false; n];
    if schema.is_organisation(&source_kind) {
        let collab = build_view(
            snapshot,
            schema,
            &ViewOptions {
                kind: ViewKind::Collab,
                ..Default::default()
            },
        )
        .map_err(bad)?;
        if let Some(i) = collab.index_of(source) {
            for &j in collab.graph.out_neighbors(i as usize) {
                existing[collab.nodes[j as usize] as usize] = true;
            }
        }
    } else {
        let direct = EdgeFilter::full(snapshot, schema, false);
        for e in snapshot
            .out_edges(source)
            .chain(snapshot.in_edges(source).iter().map(|&e| e as usize))
        {
            let edge = snapshot.edge(e);
            if direct.keeps(&edge) {
                existing[edge.source as usize] = true;
                existing[edge.target as usize] = true;
            }
        }
    }

    // Candidate filters.
    let attached =
        |kind: &str, edge: &str, given: &[String]| -> Result<Option<Vec<bool>>, QueryError> {
            if given.is_empty() {
                return Ok(None);
            }
            let targets: Vec<u32> = given
                .iter()
                .map(|g| attribute(snapshot, kind, g))
                .collect::<Result<_, _>>()?;
            let mut ok = vec![false; n];
            if let Some(code) = snapshot.edge_kind_code_of(edge) {
                for &t in &targets {
                    for &e in snapshot.in_edges(t) {
                        if snapshot.edge_kind_codes()[e as usize] == code {
                            ok[snapshot.edge_sources()[e as usize] as usize] = true;
                        }
                    }
                }
            }
            Ok(Some(ok))
        };
    let in_field = attached("field", "in_field", &request.fields)?;
    let in_district = attached("district", "located_in", &request.districts)?;

    let field_weight = learned_field_weight(schema.is_organisation(&source_kind));
    let profiles = field_profiles(snapshot);
    let source_profile = &profiles[source as usize];
    let mut rows: Vec<(f64, u32, PartnerComponents)> = Vec::new();
    for &v in &firms {
        let vi = v as usize;
        if existing[vi] && !request.include_existing {
            continue;
        }
        if in_field.as_ref().is_some_and(|ok| !ok[vi])
            || in_district.as_ref().is_some_and(|ok| !ok[vi])
        {
            continue;
        }
        let field = if is_field {
            f64::from(u8::from(profiles[vi].binary_search(&source).is_ok()))
        } else {
            jaccard(source_profile, &profiles[vi])
        };
        let distance = (dist[vi] != u32::MAX).then_some(dist[vi]);
        let proximity = distance.map_or(0.0, |d| 1.0 / f64::from(d));
        let components = match (&learned, &ppr) {
            (Some(part), _) => PartnerComponents {
                // A firm outside the collab view (tied to nothing) has no learned score.
                learned: Some(part.rescaled[vi].unwrap_or(0.0)),
                learned_raw: part.raw[vi],
                pagerank: None,
                pagerank_raw: None,
                field,
                proximity,
                distance,
            },
            (None, ppr) => {
                let raw = ppr.as_ref().map_or(0.0, |p| p[vi]);
                PartnerComponents {
                    learned: None,
                    learned_raw: None,
                    pagerank: Some(if ppr_max > 0.0 { raw / ppr_max } else { 0.0 }),
                    pagerank_raw: Some(raw),
                    field,
                    proximity,
                    distance,
                }
            }
        };
        let score = match components.learned {
            Some(learned) => (1.0 - field_weight) * learned + field_weight * field,
            None => {
                W_PAGERANK * components.pagerank.unwrap_or(0.0)
                    + W_FIELD * field
                    + W_PROXIMITY * proximity
            }
        };
        rows.push((score, v, components));
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    rows.truncate(request.top);
    let rows: Vec<PartnerRow> = rows
        .into_iter()
        .map(|(score, v, components)| {
            let p = describe(snapshot, &filter, &path_to(v));
            PartnerRow {
                id: snapshot.node_id(v).to_string(),
                name: snapshot.node_name(v).to_string(),
                name_en: snapshot.node_name_en(v).map(str::to_string),
                kind: snapshot.node_kind(v).to_string(),
                score,
                method,
                components,
                existing: existing[v as usize],
                path: p.nodes,
                path_names: p.names,
                path_kinds: p.kinds,
                path_edges: p.edges,
                path_forward: p.forward,
            }
        })
        .collect();
    let (actors, models) = match learned {
        Some(part) => (
            part.actors
                .iter()
                .map(|&a| snapshot.node_id(a).to_string())
                .collect(),
            part.models
                .into_iter()
                .map(|(kind, report)| PartnersModel { kind, report })
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    Ok(PartnersOutcome {
        rows,
        method,
        actors,
        models,
        note,
        field_weight,
    })
}
