//! Graph views built from a store snapshot: the `full` graph of every tie, and the `collab`
//! projection of organisation–organisation ties, with filters by year, field, district and
//! kind. A view is a [`Csr`] plus the map from its indices to the snapshot's nodes.

use std::collections::HashSet;

use serde::Deserialize;
use thiserror::Error;

use super::Csr;
use crate::model::Schema;
use crate::store::Snapshot;

/// The projection rules shipped in `schema/collab.toml`.
pub const COLLAB_RULES: &str = include_str!("../../schema/collab.toml");

/// A view that cannot be built as asked.
#[derive(Debug, Error, PartialEq)]
#[non_exhaustive]
pub enum ViewError {
    /// The options contradict each other or name unknown things.
    #[error("{0}")]
    BadOption(String),
    /// The projection rules are invalid.
    #[error("collab rules: {0}")]
    Rules(String),
}

/// Which graph to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ViewKind {
    /// Every node and every non-attribute edge.
    #[default]
    Full,
    /// Organisations, tied by shared projects, contracts, incubations, platforms and
    /// direct collaborations.
    Collab,
}

/// How parallel ties combine into one weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WeightMode {
    /// The number of ties (edge records, or relations in the collab view).
    #[default]
    Count,
    /// The sum of the records' `weight` (1 when absent); in the collab view, as `Count`.
    Weight,
    /// The sum of the records' `amount` (0 when absent).
    Amount,
}

/// Options of a view.
#[derive(Debug, Clone, Default)]
pub struct ViewOptions {
    /// Which graph.
    pub kind: ViewKind,
    /// Keep attribute edges (`in_field`, `located_in`) in the full view.
    pub with_attributes: bool,
    /// Keep edge direction (full view only).
    pub directed: bool,
    /// How parallel ties combine.
    pub weight: WeightMode,
    /// Keep only ties dated within these years (inclusive); undated ties are kept.
    pub years: Option<(i32, i32)>,
    /// Keep only nodes with an `in_field` edge to one of these fields (ids or bare names).
    pub fields: Vec<String>,
    /// Keep only nodes with a `located_in` edge to one of these districts.
    pub districts: Vec<String>,
    /// Keep only nodes of these kinds (the graph itself is restricted).
    pub induce: Vec<String>,
}

/// Why two organisations are tied in the collab view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reason {
    /// Index of the rule (see [`View::rule_names`]).
    pub rule: u16,
    /// The shared node (via rules) or the edge record (direct rules), as a snapshot index.
    pub via: u32,
}

/// One tie of the collab view and what made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tie {
    /// View index of one end (the smaller).
    pub a: u32,
    /// View index of the other end.
    pub b: u32,
    /// Number of relations.
    pub count: u32,
    /// Summed amount.
    pub amount: f64,
    /// The relations.
    pub reasons: Vec<Reason>,
}

/// A graph ready for analysis.
#[derive(Debug, Clone)]
pub struct View {
    /// The graph.
    pub graph: Csr,
    /// Snapshot index of each view node.
    pub nodes: Vec<u32>,
    /// Collab view: every tie with its reasons, sorted by (a, b). Empty for the full view.
    pub ties: Vec<Tie>,
    /// Names of the collab rules, indexed by [`Reason::rule`].
    pub rule_names: Vec<String>,
}

impl View {
    /// The tie between two view nodes, if the collab view has one.
    pub fn tie(&self, a: u32, b: u32) -> Option<&Tie> {
        let key = (a.min(b), a.max(b));
        self.ties
            .binary_search_by(|t| (t.a, t.b).cmp(&key))
            .ok()
            .map(|i| &self.ties[i])
    }

    /// The view index of a snapshot node, if the view has it.
    pub fn index_of(&self, snapshot_index: u32) -> Option<u32> {
        self.nodes
            .binary_search(&snapshot_index)
            .ok()
            .map(|i| i as u32)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rules {
    #[serde(default)]
    via: Vec<ViaRule>,
    #[serde(default)]
    direct: Vec<DirectRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ViaRule {
    name: String,
    node_kind: String,
    edges: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DirectRule {
    name: String,
    edge: String,
}

fn in_years(years: Option<(i32, i32)>, year: Option<i32>) -> bool {
    match (years, year) {
        (Some((lo, hi)), Some(y)) => lo <= y && y <= hi,
        _ => true,
    }
}

/// Resolves a field or district given as an id (`field:biomedicine`) or a bare name.
fn resolve(snapshot: &Snapshot, prefix: &str, kind: &str, given: &str) -> Result<u32, ViewError> {
    let candidates = [given.to_string(), format!("{prefix}:{given}")];
    for c in &candidates {
        if let Some(v) = snapshot.node_index(c) {
            if snapshot.node_kind(v) == kind {
                return Ok(v);
            }
        }
    }
    // A name, in Chinese or English.
    (0..snapshot.node_count() as u32)
        .find(|&v| {
            snapshot.node_kind(v) == kind
                && (snapshot.node_name(v) == given || snapshot.node_name_en(v) == Some(given))
        })
        .ok_or_else(|| ViewError::BadOption(format!("no {kind} `{given}`")))
}

/// Snapshot nodes with an edge of `edge_kind` to one of `targets`.
fn attached(snapshot: &Snapshot, edge_kind: &str, targets: &[u32]) -> HashSet<u32> {
    let mut out = HashSet::new();
    let Some(code) = snapshot.edge_kind_code_of(edge_kind) else {
        return out;
    };
    for &t in targets {
        for &e in snapshot.in_edges(t) {
            if snapshot.edge_kind_codes()[e as usize] == code {
                out.insert(snapshot.edge_sources()[e as usize]);
            }
        }
    }
    out
}

fn selected_nodes(
    snapshot: &Snapshot,
    schema: &Schema,
    options: &ViewOptions,
) -> Result<Vec<u32>, ViewError> {
    for k in &options.induce {
        if schema.node_kind(k).is_none() {
            return Err(ViewError::BadOption(format!("unknown node kind `{k}`")));
        }
    }
    let kind_ok: Vec<bool> = snapshot
        .node_kind_names()
        .iter()
        .map(|k| {
            let base = match options.kind {
                ViewKind::Full => true,
                ViewKind::Collab => schema.is_organisation(k),
            };
            base && (options.induce.is_empty() || options.induce.contains(k))
        })
        .collect();
    let fields: Vec<u32> = options
        .fields
        .iter()
        .map(|f| resolve(snapshot, "field", "field", f))
        .collect::<Result<_, _>>()?;
    let districts: Vec<u32> = options
        .districts
        .iter()
        .map(|d| resolve(snapshot, "district", "district", d))
        .collect::<Result<_, _>>()?;
    let in_fields = (!fields.is_empty()).then(|| attached(snapshot, "in_field", &fields));
    let in_districts =
        (!districts.is_empty()).then(|| attached(snapshot, "located_in", &districts));
    Ok((0..snapshot.node_count() as u32)
        .filter(|&v| kind_ok[snapshot.node_kind_code(v) as usize])
        .filter(|v| in_fields.as_ref().is_none_or(|s| s.contains(v)))
        .filter(|v| in_districts.as_ref().is_none_or(|s| s.contains(v)))
        .collect())
}

/// Builds a view of `snapshot`.
pub fn build_view(
    snapshot: &Snapshot,
    schema: &Schema,
    options: &ViewOptions,
) -> Result<View, ViewError> {
    if let Some((lo, hi)) = options.years {
        if lo > hi {
            return Err(ViewError::BadOption(format!("empty year range {lo}..{hi}")));
        }
    }
    let nodes = selected_nodes(snapshot, schema, options)?;
    let mut index = vec![u32::MAX; snapshot.node_count()];
    for (i, &v) in nodes.iter().enumerate() {
        index[v as usize] = i as u32;
    }
    match options.kind {
        ViewKind::Full => Ok(full_view(snapshot, schema, options, nodes, &index)),
        ViewKind::Collab => {
            if options.directed {
                return Err(ViewError::BadOption(
                    "the collab view is undirected; --directed applies to the full view".into(),
                ));
            }
            if options.with_attributes {
                return Err(ViewError::BadOption(
                    "--with-attributes applies to the full view".into(),
                ));
            }
            collab_view(snapshot, options, nodes, &index)
        }
    }
}

fn full_view(
    snapshot: &Snapshot,
    schema: &Schema,
    options: &ViewOptions,
    nodes: Vec<u32>,
    index: &[u32],
) -> View {
    let skip: Vec<bool> = snapshot
        .edge_kind_names()
        .iter()
        .map(|k| !options.with_attributes && schema.edge_kind(k).is_some_and(|d| d.attribute))
        .collect();
    let (sources, targets, kinds) = (
        snapshot.edge_sources(),
        snapshot.edge_targets(),
        snapshot.edge_kind_codes(),
    );
    // The whole record (kind and key names, weight, amount, year) only when a year filter
    // or a weight asks for it: the columns suffice for the common question.
    let whole_record = options.years.is_some() || options.weight != WeightMode::Count;
    let mut edges = Vec::with_capacity(snapshot.edge_count());
    for e in 0..snapshot.edge_count() {
        if skip[kinds[e] as usize] {
            continue;
        }
        let (s, t) = (index[sources[e] as usize], index[targets[e] as usize]);
        if s == u32::MAX || t == u32::MAX {
            continue;
        }
        let w = if whole_record {
            let edge = snapshot.edge(e);
            if !in_years(options.years, edge.year) {
                continue;
            }
            match options.weight {
                WeightMode::Count => 1.0,
                WeightMode::Weight => edge.weight.unwrap_or(1.0),
                WeightMode::Amount => edge.amount.unwrap_or(0.0),
            }
        } else {
            1.0
        };
        edges.push((s, t, w));
    }
    View {
        graph: Csr::from_edges(nodes.len(), options.directed, &edges),
        nodes,
        ties: Vec::new(),
        rule_names: Vec::new(),
    }
}

fn collab_view(
    snapshot: &Snapshot,
    options: &ViewOptions,
    nodes: Vec<u32>,
    index: &[u32],
) -> Result<View, ViewError> {
    let rules: Rules = toml::from_str(COLLAB_RULES).map_err(|e| ViewError::Rules(e.to_string()))?;
    let mut rule_names = Vec::new();
    // (a, b, rule, via, amount)
    let mut relations: Vec<(u32, u32, u16, u32, f64)> = Vec::new();
    for rule in &rules.via {
        let rule_id = rule_names.len() as u16;
        rule_names.push(rule.name.clone());
        let Some(via_kind) = snapshot.node_kind_code_of(&rule.node_kind) else {
            continue;
        };
        let codes: Vec<u16> = rule
            .edges
            .iter()
            .filter_map(|k| snapshot.edge_kind_code_of(k))
            .collect();
        let mut members: Vec<(u32, f64)> = Vec::new();
        for via in 0..snapshot.node_count() as u32 {
            if snapshot.node_kind_code(via) != via_kind {
                continue;
            }
            members.clear();
            for &e in snapshot.in_edges(via) {
                let edge = snapshot.edge(e as usize);
                if !codes.contains(&edge.kind_code) || !in_years(options.years, edge.year) {
                    continue;
                }
                let m = index[edge.source as usize];
                if m != u32::MAX {
                    members.push((m, edge.amount.unwrap_or(0.0)));
                }
            }
            members.sort_by_key(|&(m, _)| m);
            // One membership per organisation (amounts of parallel edges add up).
            let mut merged: Vec<(u32, f64)> = Vec::with_capacity(members.len());
            for &(m, amount) in &members {
                match merged.last_mut() {
                    Some(last) if last.0 == m => last.1 += amount,
                    _ => merged.push((m, amount)),
                }
            }
            for i in 0..merged.len() {
                for j in i + 1..merged.len() {
                    relations.push((
                        merged[i].0,
                        merged[j].0,
                        rule_id,
                        via,
                        merged[i].1 + merged[j].1,
                    ));
                }
            }
        }
    }
    for rule in &rules.direct {
        let rule_id = rule_names.len() as u16;
        rule_names.push(rule.name.clone());
        let Some(code) = snapshot.edge_kind_code_of(&rule.edge) else {
            continue;
        };
        for e in 0..snapshot.edge_count() {
            if snapshot.edge_kind_codes()[e] != code {
                continue;
            }
            let edge = snapshot.edge(e);
            if !in_years(options.years, edge.year) {
                continue;
            }
            let (s, t) = (index[edge.source as usize], index[edge.target as usize]);
            if s == u32::MAX || t == u32::MAX || s == t {
                continue;
            }
            relations.push((
                s.min(t),
                s.max(t),
                rule_id,
                e as u32,
                edge.amount.unwrap_or(0.0),
            ));
        }
    }
    relations.sort_by_key(|x| (x.0, x.1, x.2, x.3));
    let mut ties: Vec<Tie> = Vec::new();
    for (a, b, rule, via, amount) in relations {
        match ties.last_mut() {
            Some(t) if t.a == a && t.b == b => {
                t.count += 1;
                t.amount += amount;
                t.reasons.push(Reason { rule, via });
            }
            _ => ties.push(Tie {
                a,
                b,
                count: 1,
                amount,
                reasons: vec![Reason { rule, via }],
            }),
        }
    }
    let edges: Vec<(u32, u32, f64)> = ties
        .iter()
        .map(|t| {
            let w = match options.weight {
                WeightMode::Count | WeightMode::Weight => t.count as f64,
                WeightMode::Amount => t.amount,
            };
            (t.a, t.b, w)
        })
        .collect();
    Ok(View {
        graph: Csr::from_edges(nodes.len(), false, &edges),
        nodes,
        ties,
        rule_names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EdgeRecord, NodeRecord, PropValue, Props};
    use crate::store::SnapshotBuilder;

    fn snapshot() -> Snapshot {
        let schema = Schema::builtin();
        let mut b = SnapshotBuilder::new(
            1,
            schema.node_kinds.keys().cloned().collect(),
            schema.edge_kinds.keys().cloned().collect(),
        );
        let nodes = [
            ("ent:a", "enterprise"),
            ("ent:b", "enterprise"),
            ("ent:lonely", "enterprise"),
            ("field:bio", "field"),
            ("proj:1", "project"),
            ("proj:2", "project"),
            ("univ:u", "university"),
        ];
        for (id, kind) in nodes {
            b.push_node(&NodeRecord {
                id: id.into(),
                kind: kind.into(),
                name: id.into(),
                name_en: None,
                props: Props::new(),
            })
            .unwrap();
        }
        let edge =
            |s: &str, t: &str, k: &str, key: &str, year: Option<i64>, amount: Option<f64>| {
                let mut props = Props::new();
                if let Some(y) = year {
                    props.insert("year".into(), PropValue::Int(y));
                }
                if let Some(a) = amount {
                    props.insert("amount".into(), PropValue::Float(a));
                }
                EdgeRecord {
                    source: s.into(),
                    target: t.into(),
                    kind: k.into(),
                    key: key.into(),
                    weight: None,
                    props,
                }
            };
        let edges = [
            edge("ent:a", "field:bio", "in_field", "", None, None),
            edge(
                "ent:a",
                "proj:1",
                "participates_in",
                "",
                Some(2020),
                Some(1.0),
            ),
            edge("ent:a", "proj:2", "leads", "", Some(2024), Some(2.0)),
            edge("ent:b", "proj:1", "leads", "", Some(2020), Some(3.0)),
            edge(
                "ent:b",
                "proj:2",
                "participates_in",
                "",
                Some(2024),
                Some(4.0),
            ),
            edge(
                "univ:u",
                "ent:a",
                "contracts_with",
                "c1",
                Some(2024),
                Some(10.0),
            ),
            edge(
                "univ:u",
                "ent:a",
                "contracts_with",
                "c2",
                Some(2023),
                Some(5.0),
            ),
            edge("univ:u", "field:bio", "in_field", "", None, None),
        ];
        for e in &edges {
            b.push_edge(e).unwrap();
        }
        b.finish()
    }

    #[test]
    fn full_view_leaves_out_attribute_edges_and_merges_parallel_ties() {
        let s = snapshot();
        let v = build_view(&s, &Schema::builtin(), &ViewOptions::default()).unwrap();
        assert_eq!(v.graph.node_count(), 7);
        // a–proj1, a–proj2, b–proj1, b–proj2, u–a (two contracts merged)
        assert_eq!(v.graph.edge_count(), 5);
        let a = v.index_of(s.node_index("ent:a").unwrap()).unwrap() as usize;
        let u = s.node_index("univ:u").unwrap();
        let pos = v
            .graph
            .out_neighbors(a)
            .iter()
            .position(|&x| x == u)
            .unwrap();
        assert_eq!(v.graph.out_weights(a)[pos], 2.0);
        let with = ViewOptions {
            with_attributes: true,
            ..Default::default()
        };
        assert_eq!(
            build_view(&s, &Schema::builtin(), &with)
                .unwrap()
                .graph
                .edge_count(),
            7
        );
    }

    #[test]
    fn collab_view_ties_organisations_and_remembers_why() {
        let s = snapshot();
        let opts = ViewOptions {
            kind: ViewKind::Collab,
            ..Default::default()
        };
        let v = build_view(&s, &Schema::builtin(), &opts).unwrap();
        // Organisations only, the isolated one included.
        assert_eq!(v.graph.node_count(), 4);
        let idx = |id: &str| v.index_of(s.node_index(id).unwrap()).unwrap();
        let ab = v.tie(idx("ent:a"), idx("ent:b")).unwrap();
        assert_eq!(ab.count, 2, "two shared projects");
        assert_eq!(ab.amount, 1.0 + 3.0 + 2.0 + 4.0);
        assert!(ab
            .reasons
            .iter()
            .all(|r| v.rule_names[r.rule as usize] == "shared_project"));
        let ua = v.tie(idx("univ:u"), idx("ent:a")).unwrap();
        assert_eq!(ua.count, 2, "two contracts");
        assert!(v.graph.out_neighbors(idx("ent:lonely") as usize).is_empty());
    }

    #[test]
    fn filters_restrict_ties_and_nodes() {
        let s = snapshot();
        let schema = Schema::builtin();
        let years = ViewOptions {
            kind: ViewKind::Collab,
            years: Some((2024, 2024)),
            weight: WeightMode::Amount,
            ..Default::default()
        };
        let v = build_view(&s, &schema, &years).unwrap();
        let idx = |id: &str| v.index_of(s.node_index(id).unwrap()).unwrap();
        assert_eq!(v.tie(idx("ent:a"), idx("ent:b")).unwrap().count, 1);
        assert_eq!(v.tie(idx("univ:u"), idx("ent:a")).unwrap().amount, 10.0);
        let field = ViewOptions {
            kind: ViewKind::Collab,
            fields: vec!["bio".into()],
            ..Default::default()
        };
        let v = build_view(&s, &schema, &field).unwrap();
        assert_eq!(v.graph.node_count(), 2, "ent:a and univ:u are in the field");
        let induce = ViewOptions {
            induce: vec!["enterprise".into()],
            ..Default::default()
        };
        assert_eq!(
            build_view(&s, &schema, &induce).unwrap().graph.node_count(),
            3
        );
        let bad = ViewOptions {
            fields: vec!["astrology".into()],
            ..Default::default()
        };
        assert!(build_view(&s, &schema, &bad).is_err());
    }
}
