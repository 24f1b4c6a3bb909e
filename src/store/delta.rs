//! Deltas: the records a run of generations changed, and how a snapshot is derived from an
//! older one plus a delta, in one merge pass (never a rescan of the store).
//!
//! A generation that does not write a new snapshot base records its changed records in the
//! `changes` tree, in chunks keyed `generation ‖ chunk number`; the snapshot of a
//! generation is its base plus the changes of every generation after the base, the later
//! winning.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::builder::{codes_of, kind_code};
use super::graph::{Snapshot, StringPool};
use super::page::{get_varint, put_varint};
use super::record::{self, EDGE, NODE};
use super::{Result, StoreError};
use crate::model::EdgeId;

/// Largest change chunk written as one value (well under sled's blob threshold).
pub const CHUNK_BYTES: usize = 32 << 10;

/// One changed record: its key, and its new body (`None` when deleted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Record key.
    pub key: Vec<u8>,
    /// New body, or `None` for a deletion.
    pub body: Option<Vec<u8>>,
}

/// Appends a change to a chunk.
pub fn push_change(chunk: &mut Vec<u8>, key: &[u8], body: Option<&[u8]>) {
    put_varint(chunk, key.len() as u64);
    chunk.extend_from_slice(key);
    match body {
        None => chunk.push(0),
        Some(b) => {
            chunk.push(1);
            put_varint(chunk, b.len() as u64);
            chunk.extend_from_slice(b);
        }
    }
}

/// Reads the changes of a chunk.
pub fn read_chunk(chunk: &[u8]) -> Result<Vec<Change>> {
    let bad = || StoreError::Corrupt("a change chunk does not decode".into());
    let mut rest = chunk;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let n = get_varint(&mut rest).ok_or_else(bad)? as usize;
        let key = rest.get(..n).ok_or_else(bad)?.to_vec();
        rest = &rest[n..];
        let (&tag, r) = rest.split_first().ok_or_else(bad)?;
        rest = r;
        let body = match tag {
            0 => None,
            1 => {
                let n = get_varint(&mut rest).ok_or_else(bad)? as usize;
                let b = rest.get(..n).ok_or_else(bad)?.to_vec();
                rest = &rest[n..];
                Some(b)
            }
            _ => return Err(bad()),
        };
        out.push(Change { key, body });
    }
    Ok(out)
}

/// Changes of several generations folded into one sorted list (later ones win).
#[derive(Debug, Default, Clone)]
pub struct Delta {
    changes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
}

impl Delta {
    /// Adds changes of a later generation (or a later chunk of the same one).
    pub fn extend(&mut self, changes: impl IntoIterator<Item = Change>) {
        for c in changes {
            self.changes.insert(c.key, c.body);
        }
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The change of one record, if it changed: `Some(None)` when deleted.
    pub fn get(&self, key: &[u8]) -> Option<Option<&[u8]>> {
        self.changes.get(key).map(|b| b.as_deref())
    }

    /// Changed records under a key prefix, in key order.
    pub fn with_prefix<'a>(
        &'a self,
        prefix: &'a [u8],
    ) -> impl Iterator<Item = (&'a [u8], Option<&'a [u8]>)> + 'a {
        self.changes
            .range(prefix.to_vec()..)
            .take_while(move |(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.as_slice(), v.as_deref()))
    }

    /// Every change, owned, in key order (what [`Snapshot::apply`] takes).
    pub fn changes(&self) -> impl Iterator<Item = Result<Change>> + '_ {
        self.changes.iter().map(|(k, v)| {
            Ok(Change {
                key: k.clone(),
                body: v.clone(),
            })
        })
    }
}

type EdgeParts<'a> = (&'a str, &'a str, &'a str, &'a str);

fn cmp_edge(a: (&[u8], &[u8], &str, &[u8]), b: EdgeParts<'_>) -> Ordering {
    a.0.cmp(b.0.as_bytes())
        .then_with(|| a.1.cmp(b.1.as_bytes()))
        .then_with(|| a.2.cmp(b.2))
        .then_with(|| a.3.cmp(b.3.as_bytes()))
}

fn edge_id(p: EdgeParts<'_>) -> EdgeId {
    EdgeId {
        source: p.0.to_string(),
        target: p.1.to_string(),
        kind: p.2.to_string(),
        key: p.3.to_string(),
    }
}

fn bad_body(key: &[u8]) -> StoreError {
    StoreError::Corrupt(format!(
        "the record {:?} does not decode",
        String::from_utf8_lossy(key)
    ))
}

impl Snapshot {
    /// The snapshot of `generation`: this one with `changes` applied. One merge pass over
    /// the columns (O(nodes + edges + changes · log nodes)). Fails with
    /// [`StoreError::DanglingEdge`] if an edge would be left without an endpoint.
    pub(super) fn apply(
        &self,
        generation: u64,
        changes: impl IntoIterator<Item = Result<Change>>,
    ) -> Result<Snapshot> {
        let mut changes = changes.into_iter().peekable();
        let mut node_kind_names = self.node_kind_names.clone();
        let mut edge_kind_names = self.edge_kind_names.clone();
        let mut node_codes = codes_of(&node_kind_names);
        let mut edge_codes = codes_of(&edge_kind_names);

        // Nodes: merge the old id order with the changed ids.
        let n = self.node_count();
        let mut ids = StringPool::with_capacity(n, self.ids.text_bytes().len());
        let mut names = StringPool::with_capacity(n, self.names.text_bytes().len());
        let mut names_en = StringPool::with_capacity(n, self.names_en.text_bytes().len());
        let mut node_kinds: Vec<u16> = Vec::with_capacity(n);
        let mut new_index = vec![u32::MAX; n];
        let mut i = 0usize;
        while let Some(change) = changes.next_if(|c| match c {
            Ok(c) => c.key.first() == Some(&NODE),
            Err(_) => true,
        }) {
            let change = change?;
            let id = record::decode_node_key(&change.key).ok_or_else(|| bad_key(&change.key))?;
            // Unchanged nodes before it.
            while i < n && self.ids.bytes(i) < id.as_bytes() {
                new_index[i] = node_kinds.len() as u32;
                ids.push(self.ids.get(i))?;
                names.push(self.names.get(i))?;
                names_en.push(self.names_en.get(i))?;
                node_kinds.push(self.node_kinds[i]);
                i += 1;
            }
            let replaces = i < n && self.ids.bytes(i) == id.as_bytes();
            if replaces {
                i += 1;
            }
            if let Some(body) = &change.body {
                if replaces {
                    new_index[i - 1] = node_kinds.len() as u32;
                }
                let (kind, name, name_en) =
                    record::node_columns(body).ok_or_else(|| bad_body(&change.key))?;
                ids.push(id)?;
                names.push(name)?;
                names_en.push(name_en.unwrap_or(""))?;
                node_kinds.push(kind_code(&mut node_codes, &mut node_kind_names, kind)?);
            }
        }
        while i < n {
            new_index[i] = node_kinds.len() as u32;
            ids.push(self.ids.get(i))?;
            names.push(self.names.get(i))?;
            names_en.push(self.names_en.get(i))?;
            node_kinds.push(self.node_kinds[i]);
            i += 1;
        }
        let mut last_source: Option<(String, u32)> = None;
        let mut index_of = |id: &str, source: bool| -> Option<u32> {
            if source {
                if let Some((s, v)) = &last_source {
                    if s == id {
                        return Some(*v);
                    }
                }
            }
            let v = ids.find(id)?;
            if source {
                last_source = Some((id.to_string(), v));
            }
            Some(v)
        };

        // Edges: merge the old CSR order with the changed edges.
        let m = self.edge_count();
        let mut sources: Vec<u32> = Vec::with_capacity(m);
        let mut targets: Vec<u32> = Vec::with_capacity(m);
        let mut edge_kinds: Vec<u16> = Vec::with_capacity(m);
        let mut weights: Vec<f64> = Vec::with_capacity(m);
        let mut amounts: Vec<f64> = Vec::with_capacity(m);
        let mut years: Vec<i32> = Vec::with_capacity(m);
        let mut keys = StringPool::with_capacity(m, self.keys.text_bytes().len());
        let dangling = |id: EdgeId, missing: &str| StoreError::DanglingEdge {
            edge: id.to_string(),
            missing: missing.to_string(),
        };
        let mut e = 0usize;
        let mut old_source = 0u32;
        let mut pending: Option<Change> = None;
        loop {
            if pending.is_none() {
                if let Some(change) = changes.next() {
                    let change = change?;
                    if change.key.first() != Some(&EDGE) {
                        return Err(bad_key(&change.key));
                    }
                    pending = Some(change);
                }
            }
            if e >= m && pending.is_none() {
                break;
            }
            let parts = match &pending {
                Some(ch) => Some(record::edge_key_parts(&ch.key).ok_or_else(|| bad_key(&ch.key))?),
                None => None,
            };
            let order = if e < m {
                while self.out_offsets[old_source as usize + 1] as usize <= e {
                    old_source += 1;
                }
                match parts {
                    Some(p) => {
                        let old = (
                            self.ids.bytes(old_source as usize),
                            self.ids.bytes(self.targets[e] as usize),
                            self.edge_kind_names[self.edge_kinds[e] as usize].as_str(),
                            self.keys.bytes(e),
                        );
                        cmp_edge(old, p)
                    }
                    None => Ordering::Less,
                }
            } else {
                Ordering::Greater
            };
            if order == Ordering::Less {
                let (s, t) = (
                    new_index[old_source as usize],
                    new_index[self.targets[e] as usize],
                );
                if s == u32::MAX || t == u32::MAX {
                    let id = EdgeId {
                        source: self.ids.get(old_source as usize).to_string(),
                        target: self.ids.get(self.targets[e] as usize).to_string(),
                        kind: self.edge_kind_names[self.edge_kinds[e] as usize].clone(),
                        key: self.keys.get(e).to_string(),
                    };
                    let missing = if s == u32::MAX {
                        id.source.clone()
                    } else {
                        id.target.clone()
                    };
                    return Err(dangling(id, &missing));
                }
                sources.push(s);
                targets.push(t);
                edge_kinds.push(self.edge_kinds[e]);
                weights.push(self.weights[e]);
                amounts.push(self.amounts[e]);
                years.push(self.years[e]);
                keys.push(self.keys.get(e))?;
                e += 1;
                continue;
            }
            if order == Ordering::Equal {
                e += 1;
            }
            if let (
                Some(p),
                Some(Change {
                    key,
                    body: Some(body),
                }),
            ) = (parts, &pending)
            {
                let s = index_of(p.0, true).ok_or_else(|| dangling(edge_id(p), p.0))?;
                let t = index_of(p.1, false).ok_or_else(|| dangling(edge_id(p), p.1))?;
                let (weight, amount, year) =
                    record::edge_columns(body).ok_or_else(|| bad_body(key))?;
                if sources.last().is_some_and(|&last| s < last) {
                    return Err(StoreError::Corrupt(format!(
                        "edge {} out of order in a change stream",
                        edge_id(p)
                    )));
                }
                sources.push(s);
                targets.push(t);
                edge_kinds.push(kind_code(&mut edge_codes, &mut edge_kind_names, p.2)?);
                weights.push(weight.unwrap_or(f64::NAN));
                amounts.push(amount.unwrap_or(f64::NAN));
                years.push(
                    year.and_then(|y| i32::try_from(y).ok())
                        .unwrap_or(super::graph::NO_YEAR),
                );
                keys.push(p.3)?;
            }
            pending = None;
        }
        if targets.len() > u32::MAX as usize {
            return Err(StoreError::Limit("more than 4 billion edges".into()));
        }
        let nodes = node_kinds.len();
        let mut out_offsets = vec![0u32; nodes + 1];
        for &s in &sources {
            out_offsets[s as usize + 1] += 1;
        }
        for v in 0..nodes {
            out_offsets[v + 1] += out_offsets[v];
        }
        let mut snap = Snapshot {
            generation,
            node_kind_names,
            edge_kind_names,
            ids,
            names,
            names_en,
            node_kinds,
            out_offsets,
            targets,
            edge_kinds,
            weights,
            amounts,
            years,
            keys,
            sources,
            in_offsets: Vec::new(),
            in_edges: Vec::new(),
        };
        snap.derive_incoming();
        Ok(snap)
    }
}

fn bad_key(key: &[u8]) -> StoreError {
    StoreError::Corrupt(format!(
        "malformed record key {:?} in a change",
        String::from_utf8_lossy(key)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EdgeRecord, NodeRecord, Props};
    use crate::store::builder::SnapshotBuilder;
    use crate::store::record::{encode_edge, encode_node};

    fn node(id: &str, kind: &str, name: &str) -> NodeRecord {
        NodeRecord {
            id: id.into(),
            kind: kind.into(),
            name: name.into(),
            name_en: None,
            props: Props::new(),
        }
    }

    fn edge(s: &str, t: &str, kind: &str, key: &str) -> EdgeRecord {
        EdgeRecord {
            source: s.into(),
            target: t.into(),
            kind: kind.into(),
            key: key.into(),
            weight: Some(1.0),
            props: Props::new(),
        }
    }

    fn build(nodes: &[NodeRecord], edges: &[EdgeRecord], generation: u64) -> Snapshot {
        let mut nodes = nodes.to_vec();
        nodes.sort_by(|a, b| a.id.cmp(&b.id));
        let mut edges = edges.to_vec();
        edges.sort_by_key(|e| e.id());
        let mut b = SnapshotBuilder::new(generation, vec!["a".into()], vec!["x".into()]);
        for n in &nodes {
            b.push_node(n).unwrap();
        }
        for e in &edges {
            b.push_edge(e).unwrap();
        }
        b.finish()
    }

    #[test]
    fn applying_changes_equals_rebuilding() {
        let before_nodes = vec![
            node("b", "a", "B"),
            node("d", "a", "D"),
            node("f", "a", "F"),
        ];
        let before_edges = vec![
            edge("b", "d", "x", ""),
            edge("d", "f", "x", "1"),
            edge("f", "b", "x", ""),
        ];
        let base = build(&before_nodes, &before_edges, 1);
        let mut delta = Delta::default();
        let put_n = |n: &NodeRecord| {
            let e = encode_node(n).unwrap();
            Change {
                key: e.key.clone(),
                body: Some(e.body.clone()),
            }
        };
        let put_e = |x: &EdgeRecord| {
            let e = encode_edge(x).unwrap();
            Change {
                key: e.key.clone(),
                body: Some(e.body.clone()),
            }
        };
        let del_e = |x: &EdgeRecord| Change {
            key: record::edge_key(&x.id()),
            body: None,
        };
        delta.extend([
            put_n(&node("a", "a", "A")),
            put_n(&node("d", "new", "D2")),
            put_n(&node("g", "a", "G")),
            Change {
                key: record::node_key("f"),
                body: None,
            },
            del_e(&before_edges[1]),
            del_e(&before_edges[2]),
            put_e(&edge("a", "g", "y", "")),
            put_e(&edge("b", "d", "x", "0")),
        ]);
        let after = base.apply(2, delta.changes()).unwrap();
        let expected = build(
            &[
                node("a", "a", "A"),
                node("b", "a", "B"),
                node("d", "new", "D2"),
                node("g", "a", "G"),
            ],
            &[
                edge("b", "d", "x", ""),
                edge("a", "g", "y", ""),
                edge("b", "d", "x", "0"),
            ],
            2,
        );
        assert_eq!(after, expected);
        after.check_shape(true).unwrap();
        assert_eq!(after.in_edges, expected.in_edges);
    }

    #[test]
    fn deleting_a_node_with_edges_is_refused() {
        let base = build(
            &[node("a", "a", "A"), node("b", "a", "B")],
            &[edge("a", "b", "x", "")],
            1,
        );
        let mut delta = Delta::default();
        delta.extend([Change {
            key: record::node_key("b"),
            body: None,
        }]);
        assert!(matches!(
            base.apply(2, delta.changes()),
            Err(StoreError::DanglingEdge { .. })
        ));
    }

    #[test]
    fn change_chunks_round_trip() {
        let mut chunk = Vec::new();
        push_change(&mut chunk, b"Na", Some(b"body"));
        push_change(&mut chunk, b"Eb\0c\0x\0", None);
        let back = read_chunk(&chunk).unwrap();
        assert_eq!(
            back[0],
            Change {
                key: b"Na".to_vec(),
                body: Some(b"body".to_vec())
            }
        );
        assert_eq!(
            back[1],
            Change {
                key: b"Eb\0c\0x\0".to_vec(),
                body: None
            }
        );
        assert!(read_chunk(&chunk[..chunk.len() - 1]).is_err());
    }
}
