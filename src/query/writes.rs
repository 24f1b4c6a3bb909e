//! Deletions, the writes both adapters offer beside imports: one transaction each, and the
//! same answers from the CLI and the HTTP API.

use super::lookup::unknown_node;
use super::QueryError;
use crate::model::EdgeId;
use crate::store::{Store, WriteOutcome};

/// What deleting a node did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeDeletion {
    /// Edges that touched the node and were deleted with it.
    pub edges: usize,
    /// The generation the store is at afterwards.
    pub generation: u64,
}

/// Deletes the node `id` and every edge touching it, in one write noted `note`. An unknown
/// id writes nothing and is an unknown-node error with suggestions.
pub fn delete_node(store: &Store, id: &str, note: &str) -> Result<NodeDeletion, QueryError> {
    let mut txn = store.write(note)?;
    let (outcome, edges) = txn.delete_node(id)?;
    if outcome == WriteOutcome::Absent {
        txn.abort()?;
        let snapshot = store.snapshot()?;
        return Err(unknown_node(&snapshot, id));
    }
    let summary = txn.commit()?;
    Ok(NodeDeletion {
        edges,
        generation: summary.manifest.generation,
    })
}

/// Deletes one edge, in one write noted `note`; an undirected kind's endpoints may be given
/// in either order. Returns the id as stored. An unknown kind or a missing edge writes
/// nothing.
pub fn delete_edge(store: &Store, mut id: EdgeId, note: &str) -> Result<EdgeId, QueryError> {
    let schema = store.schema();
    let Some(def) = schema.edge_kind(&id.kind) else {
        return Err(QueryError::BadParameter(format!(
            "unknown edge kind `{}`",
            id.kind
        )));
    };
    id.canonicalise(def.directed);
    let mut txn = store.write(note)?;
    if txn.delete_edge(&id)? == WriteOutcome::Absent {
        txn.abort()?;
        return Err(QueryError::UnknownEdge(id.to_string()));
    }
    txn.commit()?;
    Ok(id)
}
