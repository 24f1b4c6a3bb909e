//! Coverage gaps: where the technology-transfer system has holes a planner can act on.
//!
//! Five sections, each a list of rows with counts:
//! - **unanswered demands** — per field, the demands enterprises post (`posts` → demand
//!   `in_field` F) and how many of them no achievement, university or institute answers
//!   (no `solves` edge into the demand); fields with at least one unanswered demand, most
//!   unanswered first;
//! - **universities without contracts** — universities that own achievements (`owns`) but
//!   have no technology contract (`contracts_with`), most achievements first;
//! - **chain leaders without a university** — chain-leader enterprises
//!   (`chain_leader = true`) and each of their fields in which they have no tie (collab
//!   view) to a university of that field, with how many universities the field has;
//! - **districts without a platform** — (district, field) pairs where enterprises are
//!   located and work but no platform of that field is located, most enterprises first;
//! - **sparse community pairs** — pairs of Louvain communities of the collab view
//!   (unweighted, seeded) whose observed ties fall far below the configuration-model
//!   expectation `K_A · K_B / 2m` (`K` = summed degree of a community, `m` = ties): pairs
//!   with expectation at least [`MIN_EXPECTED`] and observed/expected at most
//!   [`MAX_RATIO`], largest shortfall (expected − observed) first.
//!
//! Every section is cut to `top` rows; `totals` gives the full counts.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::gaps::{out_targets, CollabContext};
use super::QueryError;
use crate::algo::community::{louvain, LouvainOptions};
use crate::algo::Silent;
use crate::store::{Snapshot, Store};

/// Smallest expected tie count of a reported community pair.
pub const MIN_EXPECTED: f64 = 1.0;
/// Largest observed/expected ratio of a reported community pair.
pub const MAX_RATIO: f64 = 0.25;

/// A node named in a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Named {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
}

fn named(snapshot: &Snapshot, v: u32) -> Named {
    Named {
        id: snapshot.node_id(v).to_string(),
        name: snapshot.node_name(v).to_string(),
    }
}

/// A field whose demands go unanswered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnansweredField {
    /// The field.
    pub field: Named,
    /// Demands posted in the field.
    pub demands: usize,
    /// Of which no `solves` edge answers.
    pub unanswered: usize,
    /// Enterprises posting demands in the field.
    pub enterprises: usize,
    /// Achievements of the field (that could be offered).
    pub achievements: usize,
}

/// A university with achievements but no contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdleUniversity {
    /// The university.
    pub university: Named,
    /// Achievements it owns.
    pub achievements: usize,
    /// Its technology contracts (always 0 here).
    pub contracts: usize,
}

/// A chain leader with no university tie in one of its fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UntiedLeader {
    /// The enterprise.
    pub enterprise: Named,
    /// The field.
    pub field: Named,
    /// Universities the enterprise is tied to, in any field.
    pub university_ties: usize,
    /// Universities in the field (candidates to tie to).
    pub field_universities: usize,
}

/// A district with enterprises of a field but no platform for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlatformGap {
    /// The district.
    pub district: Named,
    /// The field.
    pub field: Named,
    /// Enterprises of the field in the district.
    pub enterprises: usize,
    /// Platforms of the field elsewhere.
    pub platforms_elsewhere: usize,
}

/// A Louvain community, described by its best-connected members.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Community {
    /// Community id (0 = largest).
    pub id: u32,
    /// Members.
    pub size: usize,
    /// Summed degree `K`.
    pub degree: usize,
    /// Up to three best-connected members.
    pub top_members: Vec<Named>,
}

/// Two communities tied far less than their sizes predict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SparsePair {
    /// One community.
    pub a: Community,
    /// The other.
    pub b: Community,
    /// Ties between them.
    pub observed: usize,
    /// `K_A · K_B / 2m`.
    pub expected: f64,
    /// `observed / expected`.
    pub ratio: f64,
}

/// Full row counts of every section, before the `top` cut.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct CoverageTotals {
    /// Fields with unanswered demands.
    pub unanswered_demand_fields: usize,
    /// Unanswered demands in all.
    pub unanswered_demands: usize,
    /// Demands in all.
    pub demands: usize,
    /// Universities with achievements but no contract.
    pub universities_without_contracts: usize,
    /// (chain leader, field) pairs without a university tie.
    pub chain_leaders_without_university: usize,
    /// (district, field) pairs without a platform.
    pub districts_without_platform: usize,
    /// Sparse community pairs.
    pub sparse_community_pairs: usize,
    /// Louvain communities with at least one tie.
    pub communities: usize,
}

/// The five coverage sections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageReport {
    /// Fields with unanswered demands.
    pub unanswered_demands: Vec<UnansweredField>,
    /// Universities with achievements but no contract.
    pub universities_without_contracts: Vec<IdleUniversity>,
    /// Chain leaders without a university tie in their field.
    pub chain_leaders_without_university: Vec<UntiedLeader>,
    /// Districts with enterprises of a field but no platform of it.
    pub districts_without_platform: Vec<PlatformGap>,
    /// Community pairs far below their expected tie count.
    pub sparse_community_pairs: Vec<SparsePair>,
    /// Full counts.
    pub totals: CoverageTotals,
}

/// Options of [`coverage`].
#[derive(Debug, Clone)]
pub struct CoverageRequest {
    /// Rows per section.
    pub top: usize,
    /// Seed of Louvain.
    pub seed: u64,
}

impl Default for CoverageRequest {
    fn default() -> Self {
        CoverageRequest { top: 20, seed: 42 }
    }
}

/// Sources of edges of kind `code` into `v`, distinct.
fn in_sources(snapshot: &Snapshot, v: u32, code: Option<u16>) -> Vec<u32> {
    let Some(code) = code else {
        return Vec::new();
    };
    let mut out: Vec<u32> = snapshot
        .in_edges(v)
        .iter()
        .filter(|&&e| snapshot.edge_kind_codes()[e as usize] == code)
        .map(|&e| snapshot.edge_sources()[e as usize])
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn nodes_of(snapshot: &Snapshot, kind: &str) -> Vec<u32> {
    match snapshot.node_kind_code_of(kind) {
        None => Vec::new(),
        Some(c) => (0..snapshot.node_count() as u32)
            .filter(|&v| snapshot.node_kind_code(v) == c)
            .collect(),
    }
}

/// The coverage gaps of the store's current snapshot.
pub fn coverage(store: &Store, request: &CoverageRequest) -> Result<CoverageReport, QueryError> {
    if request.top == 0 {
        return Err(QueryError::BadParameter("--top must be at least 1".into()));
    }
    let snapshot = store.snapshot()?;
    let schema = store.schema();
    let ctx = CollabContext::build(&snapshot, &schema)?;
    // Chain leaders, from the node records.
    let mut leaders = Vec::new();
    for v in nodes_of(&snapshot, "enterprise") {
        if let Some(record) = store.node(snapshot.node_id(v))? {
            if record
                .props
                .get("chain_leader")
                .and_then(|p| p.as_bool())
                .unwrap_or(false)
            {
                leaders.push(v);
            }
        }
    }
    Ok(coverage_of(&ctx, &leaders, request))
}

/// [`coverage`] on a built context, with the chain leaders (snapshot indices) given.
pub fn coverage_of(
    ctx: &CollabContext<'_>,
    chain_leaders: &[u32],
    request: &CoverageRequest,
) -> CoverageReport {
    let s = ctx.snapshot;
    let code = |k: &str| s.edge_kind_code_of(k);
    let (in_field, located_in, posts, solves, owns, contracts) = (
        code("in_field"),
        code("located_in"),
        code("posts"),
        code("solves"),
        code("owns"),
        code("contracts_with"),
    );
    let mut totals = CoverageTotals::default();
    let top = request.top;

    // (a) Unanswered demands per field.
    let mut per_field: BTreeMap<u32, (usize, usize, Vec<u32>)> = BTreeMap::new();
    for d in nodes_of(s, "demand") {
        let posters = in_sources(s, d, posts);
        if posters.is_empty() {
            continue;
        }
        totals.demands += 1;
        let answered = !in_sources(s, d, solves).is_empty();
        for f in out_targets(s, d, in_field) {
            let entry = per_field.entry(f).or_default();
            entry.0 += 1;
            if !answered {
                entry.1 += 1;
            }
            entry.2.extend(&posters);
        }
        if !answered {
            totals.unanswered_demands += 1;
        }
    }
    let mut achievements_per_field: HashMap<u32, usize> = HashMap::new();
    for a in nodes_of(s, "achievement") {
        for f in out_targets(s, a, in_field) {
            *achievements_per_field.entry(f).or_default() += 1;
        }
    }
    let mut unanswered: Vec<UnansweredField> = per_field
        .into_iter()
        .filter(|(_, (_, u, _))| *u > 0)
        .map(|(f, (demands, unanswered, mut firms))| {
            firms.sort_unstable();
            firms.dedup();
            UnansweredField {
                field: named(s, f),
                demands,
                unanswered,
                enterprises: firms.len(),
                achievements: achievements_per_field.get(&f).copied().unwrap_or(0),
            }
        })
        .collect();
    unanswered.sort_by(|x, y| {
        y.unanswered
            .cmp(&x.unanswered)
            .then(y.demands.cmp(&x.demands))
            .then(x.field.id.cmp(&y.field.id))
    });
    totals.unanswered_demand_fields = unanswered.len();
    unanswered.truncate(top);

    // (b) Universities with achievements but no contract.
    let mut idle: Vec<IdleUniversity> = nodes_of(s, "university")
        .into_iter()
        .filter_map(|u| {
            let achievements = out_targets(s, u, owns).len();
            let has_contract = !out_targets(s, u, contracts).is_empty();
            (achievements > 0 && !has_contract).then(|| IdleUniversity {
                university: named(s, u),
                achievements,
                contracts: 0,
            })
        })
        .collect();
    idle.sort_by(|x, y| {
        y.achievements
            .cmp(&x.achievements)
            .then(x.university.id.cmp(&y.university.id))
    });
    totals.universities_without_contracts = idle.len();
    idle.truncate(top);

    // (c) Chain leaders with no university tie in their field.
    let university = s.node_kind_code_of("university");
    let mut universities_per_field: HashMap<u32, usize> = HashMap::new();
    for u in nodes_of(s, "university") {
        for f in out_targets(s, u, in_field) {
            *universities_per_field.entry(f).or_default() += 1;
        }
    }
    let mut leaders: Vec<UntiedLeader> = Vec::new();
    for &e in chain_leaders {
        let Some(i) = ctx.view.index_of(e) else {
            continue;
        };
        let partners: Vec<u32> = ctx
            .view
            .graph
            .out_neighbors(i as usize)
            .iter()
            .copied()
            .filter(|&p| Some(s.node_kind_code(ctx.view.nodes[p as usize])) == university)
            .collect();
        for &f in &ctx.attributes.fields[i as usize] {
            let tied_in_field = partners
                .iter()
                .any(|&p| ctx.attributes.fields[p as usize].binary_search(&f).is_ok());
            if !tied_in_field {
                leaders.push(UntiedLeader {
                    enterprise: named(s, e),
                    field: named(s, f),
                    university_ties: partners.len(),
                    field_universities: universities_per_field.get(&f).copied().unwrap_or(0),
                });
            }
        }
    }
    leaders.sort_by(|x, y| {
        y.field_universities
            .cmp(&x.field_universities)
            .then(x.enterprise.id.cmp(&y.enterprise.id))
            .then(x.field.id.cmp(&y.field.id))
    });
    totals.chain_leaders_without_university = leaders.len();
    leaders.truncate(top);

    // (d) Districts with enterprises of a field but no platform of it.
    let mut firms: BTreeMap<(u32, u32), usize> = BTreeMap::new();
    for e in nodes_of(s, "enterprise") {
        let fields = out_targets(s, e, in_field);
        for d in out_targets(s, e, located_in) {
            for &f in &fields {
                *firms.entry((d, f)).or_default() += 1;
            }
        }
    }
    let mut platforms: HashMap<(u32, u32), usize> = HashMap::new();
    let mut platforms_per_field: HashMap<u32, usize> = HashMap::new();
    for p in nodes_of(s, "platform") {
        let fields = out_targets(s, p, in_field);
        for &f in &fields {
            *platforms_per_field.entry(f).or_default() += 1;
        }
        for d in out_targets(s, p, located_in) {
            for &f in &fields {
                *platforms.entry((d, f)).or_default() += 1;
            }
        }
    }
    let mut no_platform: Vec<PlatformGap> = firms
        .into_iter()
        .filter(|(key, _)| !platforms.contains_key(key))
        .map(|((d, f), enterprises)| PlatformGap {
            district: named(s, d),
            field: named(s, f),
            enterprises,
            platforms_elsewhere: platforms_per_field.get(&f).copied().unwrap_or(0),
        })
        .collect();
    no_platform.sort_by(|x, y| {
        y.enterprises
            .cmp(&x.enterprises)
            .then(x.district.id.cmp(&y.district.id))
            .then(x.field.id.cmp(&y.field.id))
    });
    totals.districts_without_platform = no_platform.len();
    no_platform.truncate(top);

    // (e) Sparse community pairs.
    let (pairs, found, communities) = sparse_pairs(ctx, request.seed, top);
    totals.communities = communities;
    totals.sparse_community_pairs = found;

    CoverageReport {
        unanswered_demands: unanswered,
        universities_without_contracts: idle,
        chain_leaders_without_university: leaders,
        districts_without_platform: no_platform,
        sparse_community_pairs: pairs,
        totals,
    }
}

/// The `top` community pairs furthest below the configuration-model expectation, how many
/// pairs qualify, and the number of communities with ties.
fn sparse_pairs(ctx: &CollabContext<'_>, seed: u64, top: usize) -> (Vec<SparsePair>, usize, usize) {
    let g = &ctx.view.graph;
    let m = g.edge_count();
    if m == 0 {
        return (Vec::new(), 0, 0);
    }
    let options = LouvainOptions {
        seed,
        weighted: false,
        ..Default::default()
    };
    let Ok(result) = louvain(g, &options, &Silent) else {
        return (Vec::new(), 0, 0);
    };
    let c = result.sizes.len();
    let mut degree = vec![0usize; c];
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); c];
    for v in 0..g.node_count() {
        let k = result.communities[v] as usize;
        degree[k] += g.out_neighbors(v).len();
        members[k].push(v as u32);
    }
    let mut between: HashMap<(u32, u32), usize> = HashMap::new();
    for v in 0..g.node_count() {
        for &w in g.out_neighbors(v) {
            let (a, b) = (result.communities[v], result.communities[w as usize]);
            if (v as u32) < w && a != b {
                *between.entry((a.min(b), a.max(b))).or_default() += 1;
            }
        }
    }
    let describe = |k: usize| {
        let mut top: Vec<u32> = members[k].clone();
        top.sort_by_key(|&v| (std::cmp::Reverse(g.out_neighbors(v as usize).len()), v));
        Community {
            id: k as u32,
            size: members[k].len(),
            degree: degree[k],
            top_members: top
                .into_iter()
                .take(3)
                .map(|v| named(ctx.snapshot, ctx.view.nodes[v as usize]))
                .collect(),
        }
    };
    // Communities by summed degree, largest first: the inner loop stops early.
    let mut order: Vec<usize> = (0..c).filter(|&k| degree[k] > 0).collect();
    order.sort_by_key(|&k| (std::cmp::Reverse(degree[k]), k));
    let two_m = 2.0 * m as f64;
    let mut found: Vec<(f64, usize, usize, usize, f64)> = Vec::new();
    for (i, &a) in order.iter().enumerate() {
        if (degree[a] * degree[order[0]]) as f64 / two_m < MIN_EXPECTED {
            break;
        }
        for &b in &order[i + 1..] {
            let expected = (degree[a] * degree[b]) as f64 / two_m;
            if expected < MIN_EXPECTED {
                break;
            }
            let key = (a.min(b) as u32, a.max(b) as u32);
            let observed = between.get(&key).copied().unwrap_or(0);
            let ratio = observed as f64 / expected;
            if ratio <= MAX_RATIO {
                found.push((
                    expected - observed as f64,
                    a.min(b),
                    a.max(b),
                    observed,
                    expected,
                ));
            }
        }
    }
    found.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let total = found.len();
    let pairs = found
        .into_iter()
        .take(top)
        .map(|(_, a, b, observed, expected)| SparsePair {
            a: describe(a),
            b: describe(b),
            observed,
            expected,
            ratio: observed as f64 / expected,
        })
        .collect();
    (pairs, total, order.len())
}
