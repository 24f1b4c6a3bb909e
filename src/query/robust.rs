//! Introduction robustness (`path --robust A B`): how many introductions from A to B share no
//! tie, so a researcher sees whether an introduction hangs on one person or one contract.
//!
//! The graph is `path`'s: the full view (every node, every non-attribute edge; attribute
//! edges too with `with_attributes`), undirected by default; with `directed`, directed kinds
//! are followed along their direction only and undirected kinds both ways. The count is the
//! maximum number of edge-disjoint paths ([`crate::algo::flow`]); each path is listed as
//! node ids, shortest first.

use serde::Serialize;

use super::lookup::node;
use super::paths::EdgeFilter;
use super::QueryError;
use crate::algo::flow::edge_disjoint_paths;
use crate::graph::Csr;
use crate::model::Schema;
use crate::store::Snapshot;

/// What `path --robust` asks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RobustRequest {
    /// From this node id.
    pub from: String,
    /// To this node id.
    pub to: String,
    /// Also step along attribute edges (`in_field`, `located_in`).
    pub with_attributes: bool,
    /// Follow directed kinds along their direction only.
    pub directed: bool,
}

/// The answer: `{"source", "target", "edge_disjoint_paths": n, "paths": [[id, …], …]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RobustPaths {
    /// Source node id.
    pub source: String,
    /// Target node id.
    pub target: String,
    /// The maximum number of paths that share no tie.
    pub edge_disjoint_paths: usize,
    /// One family of that many paths, as node ids, shortest first.
    pub paths: Vec<Vec<String>>,
}

/// Counts and lists the edge-disjoint paths between two nodes (see the module notes).
pub fn robust_paths(
    snapshot: &Snapshot,
    schema: &Schema,
    request: &RobustRequest,
) -> Result<RobustPaths, QueryError> {
    let s = node(snapshot, &request.from)?;
    let t = node(snapshot, &request.to)?;
    if s == t {
        return Err(QueryError::BadParameter(
            "the two ends of a path must differ".into(),
        ));
    }
    let filter = EdgeFilter::full(snapshot, schema, request.with_attributes);
    let graph = if request.directed {
        directed_hop_graph(snapshot, &filter)
    } else {
        super::paths::hop_graph(snapshot, &filter)
    };
    let paths = edge_disjoint_paths(&graph, s, t);
    Ok(RobustPaths {
        source: request.from.clone(),
        target: request.to.clone(),
        edge_disjoint_paths: paths.len(),
        paths: paths
            .iter()
            .map(|p| p.iter().map(|&v| snapshot.node_id(v).to_string()).collect())
            .collect(),
    })
}

/// The hop graph of the kept edges with direction: directed kinds one way, undirected
/// kinds both ways.
fn directed_hop_graph(snapshot: &Snapshot, filter: &EdgeFilter) -> Csr {
    let mut arcs = Vec::new();
    for e in 0..snapshot.edge_count() {
        let edge = snapshot.edge(e);
        if !filter.keeps(&edge) {
            continue;
        }
        arcs.push((edge.source, edge.target, 1.0));
        if !filter.is_directed(edge.kind_code) {
            arcs.push((edge.target, edge.source, 1.0));
        }
    }
    Csr::from_edges(snapshot.node_count(), true, &arcs)
}
