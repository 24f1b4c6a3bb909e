//! Neighbourhoods for the API: the order of `query::neighbors` (nearest first, then in id
//! order) computed on the snapshot alone, so a page reads only its own records from the
//! store. (`query::neighbors` reads the record of every node it returns, which is what the
//! CLI wants but costs ~1 s for a hub with 20,000 neighbours when only 100 are shown.)
//! `tests/e2e/server.rs` checks that both agree.

use std::collections::VecDeque;

use super::error::ApiError;
use crate::query::{self, NodeView, QueryError};
use crate::store::{Snapshot, Store};

/// Snapshot indices of the nodes within `depth` steps of `id` (edges followed both ways),
/// nearest first, then in id order; the node itself excluded.
pub fn ordered(
    store: &Store,
    snapshot: &Snapshot,
    id: &str,
    depth: usize,
    edge_kinds: &[String],
) -> Result<Vec<u32>, ApiError> {
    let Some(start) = snapshot.node_index(id) else {
        return Err(QueryError::UnknownNode {
            id: id.to_string(),
            suggestions: query::suggest(snapshot, id, 3),
        }
        .into());
    };
    let mut kinds = Vec::new();
    for k in edge_kinds {
        match snapshot.edge_kind_code_of(k) {
            Some(c) => kinds.push(c),
            None if store.schema().edge_kind(k).is_some() => {}
            None => {
                return Err(ApiError::BadParameter(format!("unknown edge kind `{k}`")));
            }
        }
    }
    if !edge_kinds.is_empty() && kinds.is_empty() {
        return Ok(Vec::new());
    }
    let follows = |code: u16| kinds.is_empty() || kinds.contains(&code);
    let codes = snapshot.edge_kind_codes();
    let (sources, targets) = (snapshot.edge_sources(), snapshot.edge_targets());
    let mut dist = vec![u32::MAX; snapshot.node_count()];
    dist[start as usize] = 0;
    let mut queue = VecDeque::from([start]);
    let mut found: Vec<(u32, u32)> = Vec::new();
    while let Some(v) = queue.pop_front() {
        let d = dist[v as usize];
        if d as usize >= depth {
            continue;
        }
        let out = snapshot.out_edges(v).map(|e| (e, targets[e]));
        let inc = snapshot
            .in_edges(v)
            .iter()
            .map(|&e| (e as usize, sources[e as usize]));
        for (e, w) in out.chain(inc) {
            if !follows(codes[e]) || dist[w as usize] != u32::MAX {
                continue;
            }
            dist[w as usize] = d + 1;
            found.push((d + 1, w));
            queue.push_back(w);
        }
    }
    found.sort_unstable();
    Ok(found.into_iter().map(|(_, v)| v).collect())
}

/// The nodes at these snapshot indices, read from the store, with their degrees.
pub fn views(
    store: &Store,
    snapshot: &Snapshot,
    indices: &[u32],
) -> Result<Vec<NodeView>, ApiError> {
    let mut out = Vec::with_capacity(indices.len());
    for &v in indices {
        if let Some(record) = store.node(snapshot.node_id(v))? {
            out.push(NodeView {
                props: crate::ingest::props_json(&record.props),
                id: record.id,
                kind: record.kind,
                name: record.name,
                name_en: record.name_en,
                degree: snapshot.degree(v),
            });
        }
    }
    Ok(out)
}
