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

use std::collections::{BTreeSet, HashSet, VecDeque};

use serde::Serialize;

use super::{suggest, QueryError};
use crate::graph::{Adjacency, Csr};
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

/// Hop distances from `source` (u32::MAX = unreachable) and the BFS visiting order.
pub(crate) fn bfs(g: &Csr, source: u32) -> (Vec<u32>, Vec<u32>) {
    let mut dist = vec![u32::MAX; g.node_count()];
    let mut order = Vec::new();
    dist[source as usize] = 0;
    let mut queue = VecDeque::from([source]);
    while let Some(v) = queue.pop_front() {
        order.push(v);
        for &w in g.out_neighbors(v as usize) {
            if dist[w as usize] == u32::MAX {
                dist[w as usize] = dist[v as usize] + 1;
                queue.push_back(w);
            }
        }
    }
    (dist, order)
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

/// The node with this id, or an unknown-node error with suggestions.
pub(crate) fn node(snapshot: &Snapshot, id: &str) -> Result<u32, QueryError> {
    snapshot
        .node_index(id)
        .ok_or_else(|| QueryError::UnknownNode {
            id: id.to_string(),
            suggestions: suggest(snapshot, id, 3),
        })
}

/// A field or district given as an id, as `prefix:given`, or as a name (Chinese or English).
pub(crate) fn resolve(snapshot: &Snapshot, kind: &str, given: &str) -> Result<u32, QueryError> {
    for c in [given.to_string(), format!("{kind}:{given}")] {
        if let Some(v) = snapshot.node_index(&c) {
            if snapshot.node_kind(v) == kind {
                return Ok(v);
            }
        }
    }
    (0..snapshot.node_count() as u32)
        .find(|&v| {
            snapshot.node_kind(v) == kind
                && (snapshot.node_name(v) == given || snapshot.node_name_en(v) == Some(given))
        })
        .ok_or_else(|| QueryError::UnknownNode {
            id: given.to_string(),
            suggestions: suggest(snapshot, given, 3),
        })
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

/// Jaccard similarity of two sorted sets (0 when both are empty).
pub(crate) fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / (a.len() + b.len() - common) as f64
}

/// Shortest path from `s` to `t` avoiding blocked nodes and edges (BFS; neighbours in
/// ascending order, so the path found is the lexicographically smallest shortest one).
fn bfs_path(
    g: &Csr,
    s: u32,
    t: u32,
    blocked_nodes: &[bool],
    blocked_edges: &HashSet<(u32, u32)>,
) -> Option<Vec<u32>> {
    if blocked_nodes[s as usize] || blocked_nodes[t as usize] {
        return None;
    }
    // BFS from t so that following parents from s walks the smallest next node first.
    let n = g.node_count();
    let mut dist = vec![u32::MAX; n];
    dist[t as usize] = 0;
    let mut queue = VecDeque::from([t]);
    while let Some(v) = queue.pop_front() {
        if v == s {
            break;
        }
        for &w in g.out_neighbors(v as usize) {
            if dist[w as usize] == u32::MAX
                && !blocked_nodes[w as usize]
                && !blocked_edges.contains(&(v.min(w), v.max(w)))
            {
                dist[w as usize] = dist[v as usize] + 1;
                queue.push_back(w);
            }
        }
    }
    if dist[s as usize] == u32::MAX {
        return None;
    }
    let mut path = vec![s];
    let mut v = s;
    while v != t {
        let next = g
            .out_neighbors(v as usize)
            .iter()
            .copied()
            .find(|&w| {
                dist[w as usize] != u32::MAX
                    && dist[w as usize] + 1 == dist[v as usize]
                    && !blocked_edges.contains(&(v.min(w), v.max(w)))
            })
            .expect("a BFS parent exists");
        path.push(next);
        v = next;
    }
    Some(path)
}

/// Up to `k` shortest simple paths from `s` to `t` on an undirected graph, by hops (Yen
/// 1971). Paths come in order of length, equally long ones in lexicographic order of their
/// node indices; each is a node list from `s` to `t`.
pub fn k_shortest_paths(g: &Csr, s: u32, t: u32, k: usize) -> Vec<Vec<u32>> {
    let n = g.node_count();
    let mut found: Vec<Vec<u32>> = Vec::new();
    if k == 0 {
        return found;
    }
    if s == t {
        return vec![vec![s]];
    }
    let none = HashSet::new();
    match bfs_path(g, s, t, &vec![false; n], &none) {
        Some(p) => found.push(p),
        None => return found,
    }
    let mut candidates: BTreeSet<(usize, Vec<u32>)> = BTreeSet::new();
    while found.len() < k {
        let last = found.last().expect("at least one path").clone();
        for i in 0..last.len() - 1 {
            let spur = last[i];
            let root = &last[..=i];
            let mut blocked_edges = HashSet::new();
            for p in &found {
                if p.len() > i + 1 && &p[..=i] == root {
                    let (a, b) = (p[i], p[i + 1]);
                    blocked_edges.insert((a.min(b), a.max(b)));
                }
            }
            let mut blocked_nodes = vec![false; n];
            for &v in &root[..i] {
                blocked_nodes[v as usize] = true;
            }
            if let Some(spur_path) = bfs_path(g, spur, t, &blocked_nodes, &blocked_edges) {
                let mut total = root[..i].to_vec();
                total.extend(spur_path);
                if !found.contains(&total) {
                    candidates.insert((total.len(), total));
                }
            }
        }
        match candidates.pop_first() {
            Some((_, p)) => found.push(p),
            None => break,
        }
    }
    found
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

/// Up to `k` shortest paths between two nodes of the full view (see the module notes).
pub fn paths(
    snapshot: &Snapshot,
    schema: &Schema,
    from: &str,
    to: &str,
    k: usize,
    with_attributes: bool,
) -> Result<Vec<PathView>, QueryError> {
    let s = node(snapshot, from)?;
    let t = node(snapshot, to)?;
    if k == 0 {
        return Err(QueryError::BadParameter("--k must be at least 1".into()));
    }
    let filter = EdgeFilter::full(snapshot, schema, with_attributes);
    let g = hop_graph(snapshot, &filter);
    Ok(k_shortest_paths(&g, s, t, k)
        .iter()
        .map(|p| describe(snapshot, &filter, p))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, edges: &[(u32, u32)]) -> Csr {
        let e: Vec<(u32, u32, f64)> = edges.iter().map(|&(a, b)| (a, b, 1.0)).collect();
        Csr::from_edges(n, false, &e)
    }

    #[test]
    fn yen_finds_paths_in_order_of_length_then_lexicographically() {
        // 0-1-3, 0-2-3 (two of length 2), 0-4-5-3 (length 3), 0-1-2-3? (1-2 tie: length 3).
        let g = graph(
            6,
            &[
                (0, 1),
                (1, 3),
                (0, 2),
                (2, 3),
                (0, 4),
                (4, 5),
                (5, 3),
                (1, 2),
            ],
        );
        let p = k_shortest_paths(&g, 0, 3, 10);
        assert_eq!(
            p,
            vec![
                vec![0, 1, 3],
                vec![0, 2, 3],
                vec![0, 1, 2, 3],
                vec![0, 2, 1, 3],
                vec![0, 4, 5, 3],
            ]
        );
        assert_eq!(k_shortest_paths(&g, 0, 3, 2).len(), 2);
        // Every path is simple.
        for path in &p {
            let set: HashSet<_> = path.iter().collect();
            assert_eq!(set.len(), path.len());
        }
    }

    #[test]
    fn yen_handles_unreachable_and_trivial_cases() {
        let g = graph(4, &[(0, 1)]);
        assert!(k_shortest_paths(&g, 0, 3, 3).is_empty());
        assert_eq!(k_shortest_paths(&g, 0, 0, 3), vec![vec![0]]);
        assert_eq!(k_shortest_paths(&g, 0, 1, 3), vec![vec![0, 1]]);
        assert!(k_shortest_paths(&g, 0, 1, 0).is_empty());
    }

    #[test]
    fn yen_on_a_grid_counts_all_shortest_paths() {
        // 3x3 grid: 6 shortest paths of length 4 from corner 0 to corner 8.
        let mut e = Vec::new();
        for r in 0..3u32 {
            for c in 0..3u32 {
                let v = r * 3 + c;
                if c < 2 {
                    e.push((v, v + 1));
                }
                if r < 2 {
                    e.push((v, v + 3));
                }
            }
        }
        let g = graph(9, &e);
        let p = k_shortest_paths(&g, 0, 8, 7);
        assert_eq!(p.iter().filter(|x| x.len() == 5).count(), 6);
        assert_eq!(p[6].len(), 7, "the next ones are two steps longer");
        let mut sorted = p[..6].to_vec();
        sorted.sort();
        assert_eq!(sorted, p[..6].to_vec());
    }

    #[test]
    fn jaccard_of_sorted_sets() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(jaccard(&[], &[]), 0.0);
        assert_eq!(jaccard(&[1], &[]), 0.0);
    }
}
