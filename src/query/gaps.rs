//! Missing ties: untied pairs of organisations of two chosen kinds (university × enterprise
//! by default), ranked by link prediction on the collab view, each with its evidence.
//!
//! **Candidates.** Scoring every university × enterprise pair does not scale, so each source
//! node `u` (of the first kind) only considers targets (of the second kind) that are
//! - within distance 2 of `u` in the collab view (they share a partner) — at most
//!   [`MAX_TWO_STEP_CANDIDATES`] per source, those with the most shared partners first
//!   (ties by id); or
//! - in one of `u`'s fields (`in_field`) — at most [`MAX_FIELD_CANDIDATES`] per field and
//!   source, the best-connected first (ties by id), since these are the ones attachment
//!   and the blend rank highest.
//!
//! Pairs already tied are never candidates. A source keeps its best `top` candidates and
//! the overall ranking is score descending, then source id, then target id, so results are
//! deterministic for a given store.
//!
//! **Evidence.** Every result lists the shared fields and districts, the shared partners
//! (common neighbours in the collab view) and one shortest existing path between the two
//! in the collab view (breadth-first, neighbours visited in id order; empty when they are
//! not connected).

use std::collections::{HashMap, HashSet, VecDeque};

use serde::Serialize;

use super::learned::{space_of, HideReport, LinkGraph};
use super::learned_kept::{model, Keeping, Model};
use super::lookup::attribute;
use super::relations::Relations;
use super::QueryError;
use crate::algo::link_model::{rank_pairs, Explained, Ground, ModelCard, Phases, TrainOptions};
use crate::algo::linkpred::{Attributes, Blend, Method, PairScores, Scorer};
use crate::algo::sets::intersect;
use crate::graph::{build_view, View, ViewKind, ViewOptions};
use crate::model::Schema;
use crate::store::Snapshot;

/// Largest number of two-step (shared-partner) candidates a source considers.
pub const MAX_TWO_STEP_CANDIDATES: usize = 2000;
/// Largest number of same-field candidates a source considers per field.
pub const MAX_FIELD_CANDIDATES: usize = 200;

/// The collab view of a snapshot with the attributes link prediction uses.
pub struct CollabContext<'s> {
    /// The snapshot.
    pub snapshot: &'s Snapshot,
    /// The collab view (whole: no filters).
    pub view: View,
    /// Fields and districts of each view node, as snapshot indices, ascending.
    pub attributes: Attributes,
}

/// Targets of `v`'s out-edges of kind `code`, ascending and distinct.
pub(crate) fn out_targets(snapshot: &Snapshot, v: u32, code: Option<u16>) -> Vec<u32> {
    let Some(code) = code else {
        return Vec::new();
    };
    let mut out: Vec<u32> = snapshot
        .out_edges(v)
        .filter(|&e| snapshot.edge_kind_codes()[e] == code)
        .map(|e| snapshot.edge_targets()[e])
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl<'s> CollabContext<'s> {
    /// Builds the collab view of `snapshot` and reads every organisation's fields and
    /// districts.
    pub fn build(snapshot: &'s Snapshot, schema: &Schema) -> Result<Self, QueryError> {
        let view = build_view(
            snapshot,
            schema,
            &ViewOptions {
                kind: ViewKind::Collab,
                ..Default::default()
            },
        )
        .map_err(|e| QueryError::BadParameter(e.to_string()))?;
        let in_field = snapshot.edge_kind_code_of("in_field");
        let located_in = snapshot.edge_kind_code_of("located_in");
        let activity = activity(&view, |_| true);
        let attributes = Attributes {
            activity,
            fields: view
                .nodes
                .iter()
                .map(|&v| out_targets(snapshot, v, in_field))
                .collect(),
            districts: view
                .nodes
                .iter()
                .map(|&v| out_targets(snapshot, v, located_in))
                .collect(),
        };
        Ok(CollabContext {
            snapshot,
            view,
            attributes,
        })
    }

    /// Id of view node `i`.
    pub fn id(&self, i: u32) -> &str {
        self.snapshot.node_id(self.view.nodes[i as usize])
    }

    /// Kind of view node `i`.
    pub fn kind(&self, i: u32) -> &str {
        self.snapshot.node_kind(self.view.nodes[i as usize])
    }

    /// Name of view node `i`.
    pub fn name(&self, i: u32) -> &str {
        self.snapshot.node_name(self.view.nodes[i as usize])
    }

    /// Whether view nodes `a` and `b` are tied.
    pub fn tied(&self, a: u32, b: u32) -> bool {
        self.view
            .graph
            .out_neighbors(a as usize)
            .binary_search(&b)
            .is_ok()
    }

    /// One shortest path from `a` to `b` in the collab view, as view indices (empty when
    /// there is none).
    pub fn shortest_path(&self, a: u32, b: u32) -> Vec<u32> {
        let g = &self.view.graph;
        let mut parent = vec![u32::MAX; g.node_count()];
        parent[a as usize] = a;
        let mut queue = VecDeque::from([a]);
        while let Some(x) = queue.pop_front() {
            if x == b {
                let mut path = vec![b];
                let mut cur = b;
                while cur != a {
                    cur = parent[cur as usize];
                    path.push(cur);
                }
                path.reverse();
                return path;
            }
            for &y in g.out_neighbors(x as usize) {
                if parent[y as usize] == u32::MAX {
                    parent[y as usize] = x;
                    queue.push_back(y);
                }
            }
        }
        Vec::new()
    }
}

/// The number of distinct relations (rule, via) behind the ties of each view node, counting
/// only the reasons `keep` accepts.
pub(crate) fn activity(view: &View, keep: impl Fn(&crate::graph::Reason) -> bool) -> Vec<u32> {
    let mut memberships: Vec<(u32, u16, u32)> = Vec::new();
    for tie in &view.ties {
        for r in tie.reasons.iter().filter(|r| keep(r)) {
            memberships.push((tie.a, r.rule, r.via));
            memberships.push((tie.b, r.rule, r.via));
        }
    }
    memberships.sort_unstable();
    memberships.dedup();
    let mut out = vec![0u32; view.nodes.len()];
    for (v, _, _) in memberships {
        out[v as usize] += 1;
    }
    out
}

/// How `gaps` ranks: the model learned on the graph asked about (the default), or one single
/// score of [`crate::algo::linkpred`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GapsMethod {
    /// The learned ranker ([`crate::query::learned`]): trained on ties hidden from the graph,
    /// selected by validation precision@100 among models and single heuristics.
    Learned,
    /// One single score.
    Single(Method),
}

impl GapsMethod {
    /// Every method, the default first.
    pub const ALL: [GapsMethod; 6] = [
        GapsMethod::Learned,
        GapsMethod::Single(Method::Cn),
        GapsMethod::Single(Method::Aa),
        GapsMethod::Single(Method::Ra),
        GapsMethod::Single(Method::Pa),
        GapsMethod::Single(Method::Combined),
    ];

    /// The method's short name (`learned`, `cn`, `aa`, `ra`, `pa`, `combined`).
    pub fn name(self) -> &'static str {
        match self {
            GapsMethod::Learned => "learned",
            GapsMethod::Single(m) => m.name(),
        }
    }

    /// Parses a short name.
    pub fn parse(text: &str) -> Option<GapsMethod> {
        GapsMethod::ALL.into_iter().find(|m| m.name() == text)
    }
}

impl Serialize for GapsMethod {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// What `gaps` asks.
#[derive(Debug, Clone)]
pub struct GapsRequest {
    /// Kind of the sources and of the targets.
    pub between: (String, String),
    /// What ranks.
    pub method: GapsMethod,
    /// Both ends must be in one of these fields (ids or names); all when empty.
    pub fields: Vec<String>,
    /// Both ends must be in one of these districts (ids or names); all when empty.
    pub districts: Vec<String>,
    /// How many pairs.
    pub top: usize,
    /// Weights of the combined score.
    pub blend: Blend,
    /// Seed of the learned method (hide, samples, tie-breaks, Louvain).
    pub seed: u64,
}

impl Default for GapsRequest {
    fn default() -> Self {
        GapsRequest {
            between: ("university".into(), "enterprise".into()),
            method: GapsMethod::Learned,
            fields: Vec::new(),
            districts: Vec::new(),
            top: 20,
            blend: Blend::default(),
            seed: 42,
        }
    }
}

/// Why a pair is suggested.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Fields both are in (ids).
    pub shared_fields: Vec<String>,
    /// Districts both are in (ids).
    pub shared_districts: Vec<String>,
    /// Partners both are tied to (ids).
    pub shared_partners: Vec<String>,
    /// A shortest existing path between them in the collab view (ids, source first; empty
    /// when they are not connected).
    pub path: Vec<String>,
}

/// One missing tie.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// Id of the source (first kind).
    pub source: String,
    /// Name of the source.
    pub source_name: String,
    /// Kind of the source.
    pub source_kind: String,
    /// Id of the target (second kind).
    pub target: String,
    /// Name of the target.
    pub target_name: String,
    /// Kind of the target.
    pub target_kind: String,
    /// The score of the chosen method (learned: the model's log-odds, or the single score
    /// it fell back to).
    pub score: f64,
    /// The method.
    pub method: GapsMethod,
    /// Every single score of the pair (the combined one's parts).
    pub components: PairScores,
    /// The evidence.
    pub evidence: Evidence,
    /// Learned method: the features that pushed the pair up most, largest first (empty for
    /// a single score).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub why: Vec<Explained>,
}

/// `gaps` with what the learned method did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapsOutcome {
    /// The missing ties, best first.
    pub gaps: Vec<Gap>,
    /// The learned method's model card and what it hid to learn (`None` for a single score).
    pub model: Option<ModelReport>,
}

/// The model card of a learned ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelReport {
    /// What training did and how each candidate ranked the hidden ties.
    pub card: ModelCard,
    /// Which ties were hidden to train.
    pub hidden: HideReport,
}

/// Checks that `kind` is an organisation kind of the schema.
pub(crate) fn organisation_kind(schema: &Schema, kind: &str) -> Result<(), QueryError> {
    if schema.is_organisation(kind) {
        return Ok(());
    }
    let known = schema.organisation_kinds().join(", ");
    let what = if schema.node_kind(kind).is_some() {
        "is not an organisation kind"
    } else {
        "is not a node kind"
    };
    Err(QueryError::BadParameter(format!(
        "`{kind}` {what}; --between takes two of: {known}"
    )))
}

/// The missing ties of `request` in `snapshot`.
pub fn gaps(
    snapshot: &Snapshot,
    schema: &Schema,
    request: &GapsRequest,
) -> Result<Vec<Gap>, QueryError> {
    Ok(gaps_explained(snapshot, schema, request)?.gaps)
}

/// [`gaps`] with the learned method's model card.
pub fn gaps_explained(
    snapshot: &Snapshot,
    schema: &Schema,
    request: &GapsRequest,
) -> Result<GapsOutcome, QueryError> {
    gaps_kept(snapshot, schema, request, &Keeping::none())
}

/// [`gaps_explained`] reading and keeping the trained ranker where `keeping` says
/// ([`super::learned_kept`]): the same result, without training again for a generation.
pub fn gaps_kept(
    snapshot: &Snapshot,
    schema: &Schema,
    request: &GapsRequest,
    keeping: &Keeping<'_>,
) -> Result<GapsOutcome, QueryError> {
    let (kind_a, kind_b) = (&request.between.0, &request.between.1);
    organisation_kind(schema, kind_a)?;
    organisation_kind(schema, kind_b)?;
    if request.top == 0 {
        return Err(QueryError::BadParameter("--top must be at least 1".into()));
    }
    let fields: Vec<u32> = request
        .fields
        .iter()
        .map(|f| attribute(snapshot, "field", f))
        .collect::<Result<_, _>>()?;
    let districts: Vec<u32> = request
        .districts
        .iter()
        .map(|d| attribute(snapshot, "district", d))
        .collect::<Result<_, _>>()?;
    let ctx = CollabContext::build(snapshot, schema)?;
    match request.method {
        GapsMethod::Learned => learned_ties(&ctx, keeping, request, &fields, &districts),
        GapsMethod::Single(_) => Ok(GapsOutcome {
            gaps: missing_ties(&ctx, request, &fields, &districts)?,
            model: None,
        }),
    }
}

/// Whether view node `i` is in one of `fields` and one of `districts` (each: any when empty).
fn eligible(ctx: &CollabContext<'_>, fields: &[u32], districts: &[u32], i: usize) -> bool {
    let attrs = &ctx.attributes;
    (fields.is_empty() || !intersect(&attrs.fields[i], fields).is_empty())
        && (districts.is_empty() || !intersect(&attrs.districts[i], districts).is_empty())
}

/// The learned method: trained on every pair of the two kinds (hiding some of their ties),
/// then ranking every candidate pair whose two ends pass the field and district filters.
fn learned_ties(
    ctx: &CollabContext<'_>,
    keeping: &Keeping<'_>,
    request: &GapsRequest,
    fields: &[u32],
    districts: &[u32],
) -> Result<GapsOutcome, QueryError> {
    let (kind_a, kind_b) = (&request.between.0, &request.between.1);
    let (fields, districts) = (sorted(fields), sorted(districts));
    let Some(train_space) = space_of(ctx, kind_a, kind_b, |_| true) else {
        return Ok(GapsOutcome {
            gaps: Vec::new(),
            model: None,
        });
    };
    let rank_space = space_of(ctx, kind_a, kind_b, |i| {
        eligible(ctx, &fields, &districts, i as usize)
    })
    .unwrap_or_else(|| train_space.clone());
    let phases = Phases::start();
    let relations = Relations::of(ctx.snapshot, &ctx.view);
    phases.mark("relations");
    let attrs = &ctx.attributes;
    let options = TrainOptions {
        seed: request.seed,
        ..TrainOptions::default()
    };
    let full = LinkGraph::from_relations(&relations, &attrs.fields, &attrs.districts, |_| true);
    let Model {
        learned, structure, ..
    } = model(
        keeping,
        ctx,
        &relations,
        &full,
        (kind_a.as_str(), kind_b.as_str()),
        &train_space,
        &options,
    );
    phases.mark("hide and train (or the kept ranker), structure");
    let ranked = rank_pairs(
        &Ground::whole(&full.graph, &structure, &full.data, &rank_space),
        &learned.trained.ranker,
        request.top,
        options.seed,
        &options.parallelism,
    );
    phases.mark("ranking every candidate");
    let scorer = Scorer::new(&ctx.view.graph, attrs);
    // A single heuristic gives a pair without evidence (no shared partner, no path) a zero
    // score: such pairs are not suggestions.
    let heuristic = !learned.trained.ranker.is_learned();
    let gaps = ranked
        .into_iter()
        .filter(|r| !heuristic || r.score > 0.0)
        .map(|r| {
            let mut gap = gap(
                ctx,
                &scorer,
                r.source,
                r.target,
                r.score,
                request.method,
                scorer.scores(r.source, r.target),
            );
            gap.why = r.explanation;
            gap
        })
        .collect();
    phases.mark("evidence");
    Ok(GapsOutcome {
        gaps,
        model: Some(ModelReport {
            card: learned.trained.card,
            hidden: learned.hidden,
        }),
    })
}

/// The gap `a`–`b` with its evidence.
fn gap(
    ctx: &CollabContext<'_>,
    scorer: &Scorer<'_>,
    a: u32,
    b: u32,
    score: f64,
    method: GapsMethod,
    components: PairScores,
) -> Gap {
    let snapshot = ctx.snapshot;
    let attrs = &ctx.attributes;
    let ids = |list: &[u32]| -> Vec<String> {
        list.iter()
            .map(|&v| snapshot.node_id(v).to_string())
            .collect()
    };
    let partners: Vec<u32> = scorer
        .common_neighbors(a, b)
        .into_iter()
        .map(|w| ctx.view.nodes[w as usize])
        .collect();
    let path: Vec<u32> = ctx
        .shortest_path(a, b)
        .into_iter()
        .map(|w| ctx.view.nodes[w as usize])
        .collect();
    Gap {
        source: ctx.id(a).to_string(),
        source_name: ctx.name(a).to_string(),
        source_kind: ctx.kind(a).to_string(),
        target: ctx.id(b).to_string(),
        target_name: ctx.name(b).to_string(),
        target_kind: ctx.kind(b).to_string(),
        score,
        method,
        components,
        evidence: Evidence {
            shared_fields: ids(&intersect(
                &attrs.fields[a as usize],
                &attrs.fields[b as usize],
            )),
            shared_districts: ids(&intersect(
                &attrs.districts[a as usize],
                &attrs.districts[b as usize],
            )),
            shared_partners: ids(&partners),
            path: ids(&path),
        },
        why: Vec::new(),
    }
}

/// [`gaps`] on a built context, with fields and districts already resolved.
pub fn missing_ties(
    ctx: &CollabContext<'_>,
    request: &GapsRequest,
    fields: &[u32],
    districts: &[u32],
) -> Result<Vec<Gap>, QueryError> {
    let snapshot = ctx.snapshot;
    let n = ctx.view.nodes.len();
    let code_a = snapshot.node_kind_code_of(&request.between.0);
    let code_b = snapshot.node_kind_code_of(&request.between.1);
    let (Some(code_a), Some(code_b)) = (code_a, code_b) else {
        return Ok(Vec::new()); // No node of one of the kinds.
    };
    let same_kind = code_a == code_b;
    let method = match request.method {
        GapsMethod::Single(m) => m,
        // The pre-learning default, for callers of this heuristic path.
        GapsMethod::Learned => Method::Combined,
    };
    let attrs = &ctx.attributes;
    let (fields, districts) = (sorted(fields), sorted(districts));
    let eligible: Vec<bool> = (0..n)
        .map(|i| {
            (fields.is_empty() || !intersect(&attrs.fields[i], &fields).is_empty())
                && (districts.is_empty() || !intersect(&attrs.districts[i], &districts).is_empty())
        })
        .collect();
    let kind_of = |i: u32| snapshot.node_kind_code(ctx.view.nodes[i as usize]);
    let g = &ctx.view.graph;
    // Members of each field of the target kind, best-connected first.
    let mut field_members: HashMap<u32, Vec<u32>> = HashMap::new();
    for i in 0..n as u32 {
        if kind_of(i) == code_b && eligible[i as usize] {
            for &f in &attrs.fields[i as usize] {
                field_members.entry(f).or_default().push(i);
            }
        }
    }
    for members in field_members.values_mut() {
        members.sort_by_key(|&i| (std::cmp::Reverse(g.out_neighbors(i as usize).len()), i));
    }
    let scorer = Scorer::new(g, attrs);
    let mut best: Vec<(f64, u32, u32, PairScores)> = Vec::new();
    // Shared-partner counts of the current source (dense, reset through `touched`).
    let mut counts: Vec<u32> = vec![0; n];
    let mut touched: Vec<u32> = Vec::new();
    let mut candidates: Vec<u32> = Vec::new();
    for u in 0..n as u32 {
        if kind_of(u) != code_a || !eligible[u as usize] {
            continue;
        }
        for &w in g.out_neighbors(u as usize) {
            for &x in g.out_neighbors(w as usize) {
                if x != u && kind_of(x) == code_b && eligible[x as usize] {
                    if counts[x as usize] == 0 {
                        touched.push(x);
                    }
                    counts[x as usize] += 1;
                }
            }
        }
        let mut two_step: Vec<(u32, u32)> = Vec::with_capacity(touched.len());
        for x in touched.drain(..) {
            if !ctx.tied(u, x) {
                two_step.push((counts[x as usize], x));
            }
            counts[x as usize] = 0;
        }
        two_step.sort_by_key(|&(c, x)| (std::cmp::Reverse(c), x));
        two_step.truncate(MAX_TWO_STEP_CANDIDATES);
        candidates.clear();
        candidates.extend(two_step.iter().map(|&(_, x)| x));
        for f in &attrs.fields[u as usize] {
            if let Some(members) = field_members.get(f) {
                candidates.extend(
                    members
                        .iter()
                        .copied()
                        .filter(|&x| x != u && !ctx.tied(u, x))
                        .take(MAX_FIELD_CANDIDATES),
                );
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut mine: Vec<(f64, u32, u32, PairScores)> = candidates
            .iter()
            .map(|&x| {
                let s = scorer.scores(u, x);
                let (a, b) = if same_kind {
                    (u.min(x), u.max(x))
                } else {
                    (u, x)
                };
                (s.get(method, &request.blend), a, b, s)
            })
            .collect();
        rank(&mut mine);
        mine.truncate(request.top);
        best.extend(mine);
    }
    rank(&mut best);
    if same_kind {
        let mut seen = HashSet::new();
        best.retain(|&(_, a, b, _)| seen.insert((a, b)));
    }
    best.truncate(request.top);
    Ok(best
        .into_iter()
        .map(|(score, a, b, components)| {
            gap(
                ctx,
                &scorer,
                a,
                b,
                score,
                GapsMethod::Single(method),
                components,
            )
        })
        .collect())
}

fn sorted(list: &[u32]) -> Vec<u32> {
    let mut v = list.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

/// Score descending, then source, then target (view order is id order).
fn rank(list: &mut [(f64, u32, u32, PairScores)]) {
    list.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EdgeRecord, NodeRecord, Props};
    use crate::store::SnapshotBuilder;

    /// univ:a – ent:b – ent:c – ent:d (a chain of collaborations), and univ:a, ent:d in
    /// field:x.
    fn snapshot() -> Snapshot {
        let schema = Schema::builtin();
        let mut b = SnapshotBuilder::new(
            1,
            schema.node_kinds.keys().cloned().collect(),
            schema.edge_kinds.keys().cloned().collect(),
        );
        for (id, kind) in [
            ("ent:b", "enterprise"),
            ("ent:c", "enterprise"),
            ("ent:d", "enterprise"),
            ("field:x", "field"),
            ("univ:a", "university"),
        ] {
            b.push_node(&NodeRecord {
                id: id.into(),
                kind: kind.into(),
                name: id.into(),
                name_en: None,
                props: Props::new(),
            })
            .unwrap();
        }
        let edge = |s: &str, t: &str, k: &str| EdgeRecord {
            source: s.into(),
            target: t.into(),
            kind: k.into(),
            key: String::new(),
            weight: None,
            props: Props::new(),
        };
        // Identity order: (source, target, kind).
        for e in [
            edge("ent:b", "ent:c", "collaborates_with"),
            edge("ent:c", "ent:d", "collaborates_with"),
            edge("ent:d", "field:x", "in_field"),
            edge("univ:a", "ent:b", "collaborates_with"),
            edge("univ:a", "field:x", "in_field"),
        ] {
            b.push_edge(&e).unwrap();
        }
        b.finish()
    }

    #[test]
    fn candidates_are_two_steps_away_or_share_a_field_and_carry_a_shortest_path() {
        let s = snapshot();
        let request = GapsRequest {
            method: GapsMethod::Single(Method::Combined),
            ..Default::default()
        };
        let result = gaps(&s, &Schema::builtin(), &request).unwrap();
        let pairs: Vec<(&str, &str)> = result
            .iter()
            .map(|g| (g.source.as_str(), g.target.as_str()))
            .collect();
        // c is two steps away, d shares the field; b is already tied.
        assert_eq!(pairs.len(), 2, "{result:#?}");
        assert!(pairs.contains(&("univ:a", "ent:c")));
        assert!(pairs.contains(&("univ:a", "ent:d")));
        let d = result.iter().find(|g| g.target == "ent:d").unwrap();
        assert_eq!(d.evidence.path, ["univ:a", "ent:b", "ent:c", "ent:d"]);
        assert_eq!(d.evidence.shared_fields, ["field:x"]);
        let c = result.iter().find(|g| g.target == "ent:c").unwrap();
        assert_eq!(c.evidence.shared_partners, ["ent:b"]);
        assert_eq!(c.components.cn, 1.0);
    }

    #[test]
    fn kinds_must_be_organisations() {
        let s = snapshot();
        let request = GapsRequest {
            between: ("university".into(), "field".into()),
            ..Default::default()
        };
        let err = gaps(&s, &Schema::builtin(), &request).unwrap_err();
        assert!(
            err.to_string().contains("not an organisation kind"),
            "{err}"
        );
    }
}
