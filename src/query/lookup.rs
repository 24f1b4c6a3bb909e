//! Finding nodes from what users type: ids, and fields or districts given by id or name.
//! Every query resolves through these, so the "did you mean" answers are the same
//! everywhere.

use super::{suggest, QueryError};
use crate::store::Snapshot;

/// The unknown-node error for `id`, with the closest ids and names as suggestions.
pub(crate) fn unknown_node(snapshot: &Snapshot, id: &str) -> QueryError {
    QueryError::UnknownNode {
        id: id.to_string(),
        suggestions: suggest(snapshot, id, 3),
    }
}

/// The snapshot index of the node with this id, or an unknown-node error.
pub(crate) fn node(snapshot: &Snapshot, id: &str) -> Result<u32, QueryError> {
    snapshot
        .node_index(id)
        .ok_or_else(|| unknown_node(snapshot, id))
}

/// The field or district (`kind`) given as an id, as `kind:given`, or as a name (Chinese
/// or English); else an error suggesting nodes of that kind.
pub(crate) fn attribute(snapshot: &Snapshot, kind: &str, given: &str) -> Result<u32, QueryError> {
    for candidate in [given.to_string(), format!("{kind}:{given}")] {
        if let Some(v) = snapshot.node_index(&candidate) {
            if snapshot.node_kind(v) == kind {
                return Ok(v);
            }
        }
    }
    if let Some(v) = (0..snapshot.node_count() as u32).find(|&v| {
        snapshot.node_kind(v) == kind
            && (snapshot.node_name(v) == given || snapshot.node_name_en(v) == Some(given))
    }) {
        return Ok(v);
    }
    let suggestions: Vec<String> = suggest(snapshot, given, 20)
        .into_iter()
        .filter(|id| {
            snapshot
                .node_index(id)
                .is_some_and(|v| snapshot.node_kind(v) == kind)
        })
        .take(3)
        .collect();
    let hint = if suggestions.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    };
    Err(QueryError::BadParameter(format!(
        "no {kind} `{given}`{hint}"
    )))
}

/// Two kinds written `A,B` (the `between` option of `gaps` and `brokers`); `what` names the
/// option in the error, e.g. `--between` or `` `between` ``.
pub fn parse_kind_pair(text: &str, what: &str) -> Result<(String, String), QueryError> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    match parts.as_slice() {
        [a, b] if !a.is_empty() && !b.is_empty() => Ok((a.to_string(), b.to_string())),
        _ => Err(QueryError::BadParameter(format!(
            "{what} takes two kinds separated by a comma, e.g. university,enterprise (got `{text}`)"
        ))),
    }
}
