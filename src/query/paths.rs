//! Paths between actors: up to k shortest simple paths (Yen's algorithm) on the full view,
//! undirected, counted in hops, with node names and edge kinds. Also the graph helpers the
//! partner, broker and matching queries share (hop graphs, BFS, edge kinds of a step, field
//! profiles, resolving field and district names).
//!
//! Conventions:
//! - The graph is the full view (every node, every non-attribute edge, direction ignored);
//!   with `with_attributes` the `in_field` / `located_in` edges count as steps too.
//! - Node indices are snapshot indices, which follow id order; so "smallest index" means
//!   "smallest id", and ties between equally long paths are broken by comparing their node
//!   sequences by id (the first path is the lexicographically smallest shortest path).
//! - A step's edge kind is the kind of the first snapshot edge between the two nodes that
//!   the graph keeps (out-edges of the earlier node first, then its in-edges).

use serde::Serialize;

use super::lookup::node;
use super::QueryError;
use crate::algo::k_shortest_paths::k_shortest_paths;
use crate::graph::Csr;
use crate::model::Schema;
use crate::store::{Snapshot, SnapshotEdge};

/// Which snapshot edges a hop graph keeps.
pub(crate) struct EdgeFilter {
    keep: Vec<bool>,
    /// Whether each edge kind has a direction.
    directed: Vec<bool>,
    /// Edge kinds kept only when they touch this node (e.g. a field's `in_field` edges).
    local: Option<(u32, Vec<bool>)>,
}

impl EdgeFilter {
    /// Non-attribute edges (attribute edges too when `with_attributes`).
    pub(crate) fn full(snapshot: &Snapshot, schema: &Schema, with_attributes: bool) -> Self {
        EdgeFilter {
            keep: snapshot
                .edge_kind_names()
                .iter()
                .map(|k| with_attributes || !schema.edge_kind(k).is_some_and(|d| d.attribute))
                .collect(),
            directed: snapshot
                .edge_kind_names()
                .iter()
                .map(|k| schema.edge_kind(k).is_none_or(|d| d.directed))
                .collect(),
            local: None,
        }
    }

    /// Leaves out edges of these kinds.
    pub(crate) fn without(mut self, snapshot: &Snapshot, kinds: &[&str]) -> Self {
        for k in kinds {
            if let Some(c) = snapshot.edge_kind_code_of(k) {
                self.keep[c as usize] = false;
            }
        }
        self
    }

    /// Also keeps every edge (of any kind) that touches `node`.
    pub(crate) fn with_edges_of(mut self, node: u32) -> Self {
        self.local = Some((node, vec![true; self.keep.len()]));
        self
    }

    /// Whether edges of this kind have a direction.
    pub(crate) fn is_directed(&self, kind_code: u16) -> bool {
        self.directed[kind_code as usize]
    }

    pub(crate) fn keeps(&self, e: &SnapshotEdge<'_>) -> bool {
        if self.keep[e.kind_code as usize] {
            return true;
        }
        match &self.local {
            Some((v, kinds)) => (e.source == *v || e.target == *v) && kinds[e.kind_code as usize],
            None => false,
        }
    }
}

/// The undirected hop graph on all snapshot nodes (index = snapshot index) of the kept edges.
pub(crate) fn hop_graph(snapshot: &Snapshot, filter: &EdgeFilter) -> Csr {
    let mut edges = Vec::new();
    for e in 0..snapshot.edge_count() {
        let edge = snapshot.edge(e);
        if filter.keeps(&edge) {
            edges.push((edge.source, edge.target, 1.0));
        }
    }
    Csr::from_edges(snapshot.node_count(), false, &edges)
}

/// The kind of the step `u`–`v` and whether it runs along the edge's direction (`None` for
/// kinds without a direction).
pub(crate) fn step_kind(
    snapshot: &Snapshot,
    filter: &EdgeFilter,
    u: u32,
    v: u32,
) -> (String, Option<bool>) {
    let dir = |code: u16, forward: bool| filter.directed[code as usize].then_some(forward);
    for e in snapshot.out_edges(u) {
        let edge = snapshot.edge(e);
        if edge.target == v && filter.keeps(&edge) {
            return (edge.kind.to_string(), dir(edge.kind_code, true));
        }
    }
    for &e in snapshot.in_edges(u) {
        let edge = snapshot.edge(e as usize);
        if edge.source == v && filter.keeps(&edge) {
            return (edge.kind.to_string(), dir(edge.kind_code, false));
        }
    }
    (String::new(), None)
}

/// Targets of `v`'s edges of kind `code`.
pub(crate) fn targets_of(snapshot: &Snapshot, v: u32, code: Option<u16>) -> Vec<u32> {
    let Some(code) = code else {
        return Vec::new();
    };
    snapshot
        .out_edges(v)
        .filter(|&e| snapshot.edge_kind_codes()[e] == code)
        .map(|e| snapshot.edge_targets()[e])
        .collect()
}

/// Targets of `v`'s edges of kind `code`, sorted, each once.
pub(crate) fn distinct_targets_of(snapshot: &Snapshot, v: u32, code: Option<u16>) -> Vec<u32> {
    let mut targets = targets_of(snapshot, v, code);
    targets.sort_unstable();
    targets.dedup();
    targets
}

/// The field profile of every node: its own `in_field` fields plus those of the platforms,
/// projects, achievements and demands it is directly tied to (an organisation whose fields
/// are recorded on its platforms or results still has a profile). Sorted, deduplicated.
pub(crate) fn field_profiles(snapshot: &Snapshot) -> Vec<Vec<u32>> {
    let n = snapshot.node_count();
    let code = snapshot.edge_kind_code_of("in_field");
    let own: Vec<Vec<u32>> = (0..n as u32)
        .map(|v| targets_of(snapshot, v, code))
        .collect();
    let carrier: Vec<bool> = snapshot
        .node_kind_names()
        .iter()
        .map(|k| {
            matches!(
                k.as_str(),
                "platform" | "project" | "achievement" | "demand"
            )
        })
        .collect();
    let mut out = own.clone();
    for e in 0..snapshot.edge_count() {
        if Some(snapshot.edge_kind_codes()[e]) == code {
            continue;
        }
        let (s, t) = (snapshot.edge_sources()[e], snapshot.edge_targets()[e]);
        if carrier[snapshot.node_kind_code(t) as usize] {
            out[s as usize].extend_from_slice(&own[t as usize]);
        }
        if carrier[snapshot.node_kind_code(s) as usize] {
            out[t as usize].extend_from_slice(&own[s as usize]);
        }
    }
    for f in &mut out {
        f.sort_unstable();
        f.dedup();
    }
    out
}

/// One path of the answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathView {
    /// Number of steps.
    pub length: usize,
    /// Node ids from the first to the last.
    pub nodes: Vec<String>,
    /// Their names.
    pub names: Vec<String>,
    /// Their kinds.
    pub kinds: Vec<String>,
    /// The kind of each step (one fewer than the nodes).
    pub edges: Vec<String>,
    /// Whether each step runs along its edge's direction (null for undirected kinds).
    pub forward: Vec<Option<bool>>,
}

/// Describes a node path: ids, names, kinds and edge kinds.
pub(crate) fn describe(snapshot: &Snapshot, filter: &EdgeFilter, path: &[u32]) -> PathView {
    let (edges, forward) = path
        .windows(2)
        .map(|w| step_kind(snapshot, filter, w[0], w[1]))
        .unzip();
    PathView {
        length: path.len().saturating_sub(1),
        nodes: path
            .iter()
            .map(|&v| snapshot.node_id(v).to_string())
            .collect(),
        names: path
            .iter()
            .map(|&v| snapshot.node_name(v).to_string())
            .collect(),
        kinds: path
            .iter()
            .map(|&v| snapshot.node_kind(v).to_string())
            .collect(),
        edges,
        forward,
    }
}

/// What `path` asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRequest {
    /// From this node id.
    pub from: String,
    /// To this node id.
    pub to: String,
    /// At most this many paths, shortest first (default 3).
    pub k: usize,
    /// Also step along attribute edges (`in_field`, `located_in`).
    pub with_attributes: bool,
}

impl Default for PathRequest {
    fn default() -> Self {
        PathRequest {
            from: String::new(),
            to: String::new(),
            k: 3,
            with_attributes: false,
        }
    }
}

/// Up to `k` shortest paths between two nodes of the full view (see the module notes).
pub fn paths(
    snapshot: &Snapshot,
    schema: &Schema,
    request: &PathRequest,
) -> Result<Vec<PathView>, QueryError> {
    let s = node(snapshot, &request.from)?;
    let t = node(snapshot, &request.to)?;
    if request.k == 0 {
        return Err(QueryError::BadParameter("--k must be at least 1".into()));
    }
    let filter = EdgeFilter::full(snapshot, schema, request.with_attributes);
    let g = hop_graph(snapshot, &filter);
    Ok(k_shortest_paths(&g, s, t, request.k)
        .iter()
        .map(|p| describe(snapshot, &filter, p))
        .collect())
}
