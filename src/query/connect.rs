//! Who connects a group (`connect A B C …`): the fewest intermediaries that tie the given
//! actors together, for planners assembling a consortium.
//!
//! The graph is `path`'s full view (every node, every non-attribute edge, undirected;
//! attribute edges too with `with_attributes`), and the answer an approximate Steiner tree
//! over the given nodes ([`crate::algo::steiner`]: at most twice the optimal number of
//! ties, usually optimal for small groups).

use serde::Serialize;

use super::lookup::node;
use super::paths::{hop_graph, EdgeFilter};
use super::QueryError;
use crate::algo::steiner::{steiner_tree, SteinerError};
use crate::model::Schema;
use crate::store::Snapshot;

/// Most nodes one `connect` ties together.
pub const MAX_GROUP: usize = 100;

/// What `connect` asks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConnectRequest {
    /// The node ids to tie together (at least two, at most [`MAX_GROUP`]).
    pub ids: Vec<String>,
    /// Also step along attribute edges (`in_field`, `located_in`).
    pub with_attributes: bool,
}

/// The answer: `{"nodes": [ids], "edges": [[id, id], …], "intermediaries": [ids]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Connection {
    /// Every node of the tree (the group and the intermediaries), in id order.
    pub nodes: Vec<String>,
    /// The tree's ties, each `[a, b]` with `a < b` by id, in id order.
    pub edges: Vec<[String; 2]>,
    /// The nodes of the tree outside the group, in id order.
    pub intermediaries: Vec<String>,
}

/// Ties the group together (see the module notes).
pub fn connect(
    snapshot: &Snapshot,
    schema: &Schema,
    request: &ConnectRequest,
) -> Result<Connection, QueryError> {
    if request.ids.len() < 2 {
        return Err(QueryError::BadParameter(
            "connect needs at least two node ids".into(),
        ));
    }
    if request.ids.len() > MAX_GROUP {
        return Err(QueryError::BadParameter(format!(
            "connect ties at most {MAX_GROUP} nodes, got {}",
            request.ids.len()
        )));
    }
    let terminals = request
        .ids
        .iter()
        .map(|id| node(snapshot, id))
        .collect::<Result<Vec<u32>, _>>()?;
    let filter = EdgeFilter::full(snapshot, schema, request.with_attributes);
    let graph = hop_graph(snapshot, &filter);
    let tree = steiner_tree(&graph, &terminals).map_err(|e| match e {
        SteinerError::Disconnected(positions) => QueryError::BadParameter(format!(
            "{} cannot be reached from {} in the view",
            positions
                .iter()
                .map(|&i| request.ids[i].as_str())
                .collect::<Vec<_>>()
                .join(", "),
            request.ids[0]
        )),
        other => QueryError::BadParameter(other.to_string()),
    })?;
    let id = |v: u32| snapshot.node_id(v).to_string();
    // Snapshot indices follow id order, so index order is id order.
    let edges = tree.edges.iter().map(|&(a, b)| [id(a), id(b)]).collect();
    let intermediaries = tree
        .nodes
        .iter()
        .filter(|v| !terminals.contains(v))
        .map(|&v| id(v))
        .collect();
    Ok(Connection {
        nodes: tree.nodes.iter().map(|&v| id(v)).collect(),
        edges,
        intermediaries,
    })
}
