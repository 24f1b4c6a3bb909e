//! Building a [`Snapshot`] from records streamed in key order: the snapshot of a store
//! rebuilt from its records (`check`), of a fresh base, and of test graphs.

use std::collections::HashMap;

use super::graph::{Snapshot, NO_YEAR};
use super::StoreError;
use crate::model::{EdgeRecord, NodeRecord};

/// Builds a snapshot from records streamed in id order (nodes), then in identity order
/// (edges).
pub struct SnapshotBuilder {
    snap: Snapshot,
    node_kind_codes: HashMap<String, u16>,
    edge_kind_codes: HashMap<String, u16>,
    current_source: u32,
}

/// The `amount` column value of an edge: its numeric `amount` property, or NaN.
pub(super) fn edge_amount(edge: &EdgeRecord) -> f64 {
    edge.props
        .get("amount")
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::NAN)
}

/// The `years` column value of an edge: its `year` property, or [`NO_YEAR`].
pub(super) fn edge_year(edge: &EdgeRecord) -> i32 {
    edge.props
        .get("year")
        .and_then(|v| v.as_i64())
        .and_then(|y| i32::try_from(y).ok())
        .unwrap_or(NO_YEAR)
}

/// The code of `kind` in a kind table, appending it when new.
pub(super) fn kind_code(
    codes: &mut HashMap<String, u16>,
    names: &mut Vec<String>,
    kind: &str,
) -> Result<u16, StoreError> {
    if let Some(&c) = codes.get(kind) {
        return Ok(c);
    }
    let c = u16::try_from(names.len())
        .map_err(|_| StoreError::Limit("more than 65,535 kinds".into()))?;
    names.push(kind.to_string());
    codes.insert(kind.to_string(), c);
    Ok(c)
}

/// Codes of a kind table.
pub(super) fn codes_of(names: &[String]) -> HashMap<String, u16> {
    names
        .iter()
        .enumerate()
        .map(|(i, k)| (k.clone(), i as u16))
        .collect()
}

impl SnapshotBuilder {
    /// Starts a snapshot for `generation` with the schema's kind names.
    pub fn new(generation: u64, node_kinds: Vec<String>, edge_kinds: Vec<String>) -> Self {
        SnapshotBuilder {
            node_kind_codes: codes_of(&node_kinds),
            edge_kind_codes: codes_of(&edge_kinds),
            snap: Snapshot::empty(generation, node_kinds, edge_kinds),
            current_source: 0,
        }
    }

    /// Adds the next node; ids must ascend.
    pub fn push_node(&mut self, node: &NodeRecord) -> Result<(), StoreError> {
        let n = self.snap.node_count();
        if n > 0 && self.snap.ids.get(n - 1) >= node.id.as_str() {
            return Err(StoreError::Corrupt(format!(
                "node `{}` out of order in the store",
                node.id
            )));
        }
        if !self.snap.targets.is_empty() || self.current_source > 0 {
            return Err(StoreError::Corrupt(format!(
                "node `{}` after the first edge",
                node.id
            )));
        }
        let code = kind_code(
            &mut self.node_kind_codes,
            &mut self.snap.node_kind_names,
            &node.kind,
        )?;
        self.snap.ids.push(&node.id)?;
        self.snap.names.push(&node.name)?;
        self.snap
            .names_en
            .push(node.name_en.as_deref().unwrap_or(""))?;
        self.snap.node_kinds.push(code);
        Ok(())
    }

    /// Adds the next edge; all nodes must have been pushed, and edges must come in
    /// (source, target, kind, key) order.
    pub fn push_edge(&mut self, edge: &EdgeRecord) -> Result<(), StoreError> {
        let endpoint = |id: &str| {
            self.snap
                .node_index(id)
                .ok_or_else(|| StoreError::DanglingEdge {
                    edge: edge.id().to_string(),
                    missing: id.to_string(),
                })
        };
        let s = endpoint(&edge.source)?;
        let t = endpoint(&edge.target)?;
        if s < self.current_source {
            return Err(StoreError::Corrupt(format!(
                "edge {} out of order in the store",
                edge.id()
            )));
        }
        while self.current_source < s {
            self.snap.out_offsets.push(self.snap.targets.len() as u32);
            self.current_source += 1;
        }
        let code = kind_code(
            &mut self.edge_kind_codes,
            &mut self.snap.edge_kind_names,
            &edge.kind,
        )?;
        if self.snap.targets.len() >= u32::MAX as usize {
            return Err(StoreError::Limit("more than 4 billion edges".into()));
        }
        self.snap.targets.push(t);
        self.snap.edge_kinds.push(code);
        self.snap.weights.push(edge.weight.unwrap_or(f64::NAN));
        self.snap.amounts.push(edge_amount(edge));
        self.snap.years.push(edge_year(edge));
        self.snap.keys.push(&edge.key)?;
        Ok(())
    }

    /// Finishes the snapshot.
    pub fn finish(mut self) -> Snapshot {
        let n = self.snap.node_count() as u32;
        while self.current_source < n {
            self.snap.out_offsets.push(self.snap.targets.len() as u32);
            self.current_source += 1;
        }
        self.snap.derive();
        self.snap
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Props;

    pub(crate) fn node(id: &str, kind: &str) -> NodeRecord {
        NodeRecord {
            id: id.into(),
            kind: kind.into(),
            name: format!("name of {id}"),
            name_en: None,
            props: Props::new(),
        }
    }

    pub(crate) fn edge(s: &str, t: &str, kind: &str) -> EdgeRecord {
        EdgeRecord {
            source: s.into(),
            target: t.into(),
            kind: kind.into(),
            key: String::new(),
            weight: Some(2.0),
            props: Props::new(),
        }
    }

    #[test]
    fn builds_csr_and_reverse_adjacency() {
        let mut b = SnapshotBuilder::new(7, vec!["a".into()], vec!["x".into()]);
        for id in ["n1", "n2", "n3"] {
            b.push_node(&node(id, "a")).unwrap();
        }
        b.push_edge(&edge("n1", "n3", "x")).unwrap();
        b.push_edge(&edge("n3", "n2", "y")).unwrap();
        let s = b.finish();
        assert_eq!(s.node_count(), 3);
        assert_eq!(s.edge_count(), 2);
        assert_eq!(s.node_index("n3"), Some(2));
        assert_eq!(s.node_index("n4"), None);
        assert_eq!(s.out_edges(0), 0..1);
        assert_eq!(s.out_edges(1), 1..1);
        assert_eq!(s.in_edges(1), &[1]);
        assert_eq!(s.edge(1).kind, "y");
        assert_eq!(s.edge(1).source, 2);
        assert_eq!(s.degree(2), 2);
        s.check_shape(true).unwrap();
    }

    #[test]
    fn dangling_edge_is_refused() {
        let mut b = SnapshotBuilder::new(1, vec![], vec![]);
        b.push_node(&node("a", "k")).unwrap();
        assert!(matches!(
            b.push_edge(&edge("a", "zz", "x")),
            Err(StoreError::DanglingEdge { .. })
        ));
    }
}
