//! Point queries without loading the whole snapshot: a node's kind, degree and incident
//! edges, and the table of node names that search reads. A command that needs one node
//! reads a few sections of the snapshot base file (positioned reads) and the small delta
//! of the generations since the base, instead of materialising the graph: that is what
//! keeps `node get` and `search` fast and small on a large store. When the process
//! already holds the materialised snapshot (a server), it answers from that.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use super::delta::Delta;
use super::graph::{Snapshot, StringPool};
use super::record::{self, EDGE, NODE};
use super::snapfile::BaseFile;
use super::{Result, StoreError};
use crate::model::EdgeId;

/// Read access to the nodes of a generation by index, in id order: what search, "did
/// you mean" and listings need. Implemented by [`Snapshot`] and by the light table a
/// [`Catalog`] reads.
pub trait NodeNames {
    /// Number of nodes.
    fn node_count(&self) -> usize;
    /// The id of node `v`.
    fn node_id(&self, v: u32) -> &str;
    /// The name of node `v`.
    fn node_name(&self, v: u32) -> &str;
    /// The English name of node `v`, if it has one.
    fn node_name_en(&self, v: u32) -> Option<&str>;
    /// The kind of node `v`.
    fn node_kind(&self, v: u32) -> &str;
    /// The index of the node with this id.
    fn node_index(&self, id: &str) -> Option<u32>;
}

impl NodeNames for Snapshot {
    fn node_count(&self) -> usize {
        Snapshot::node_count(self)
    }
    fn node_id(&self, v: u32) -> &str {
        Snapshot::node_id(self, v)
    }
    fn node_name(&self, v: u32) -> &str {
        Snapshot::node_name(self, v)
    }
    fn node_name_en(&self, v: u32) -> Option<&str> {
        Snapshot::node_name_en(self, v)
    }
    fn node_kind(&self, v: u32) -> &str {
        Snapshot::node_kind(self, v)
    }
    fn node_index(&self, id: &str) -> Option<u32> {
        Snapshot::node_index(self, id)
    }
}

impl<T: NodeNames + ?Sized> NodeNames for Arc<T> {
    fn node_count(&self) -> usize {
        (**self).node_count()
    }
    fn node_id(&self, v: u32) -> &str {
        (**self).node_id(v)
    }
    fn node_name(&self, v: u32) -> &str {
        (**self).node_name(v)
    }
    fn node_name_en(&self, v: u32) -> Option<&str> {
        (**self).node_name_en(v)
    }
    fn node_kind(&self, v: u32) -> &str {
        (**self).node_kind(v)
    }
    fn node_index(&self, id: &str) -> Option<u32> {
        (**self).node_index(id)
    }
}

/// The nodes of a generation as columns read from a base file plus its delta.
#[derive(Debug)]
pub struct NodeTable {
    ids: StringPool,
    names: StringPool,
    names_en: StringPool,
    kinds: Vec<u16>,
    kind_names: Vec<String>,
}

fn search(pool: &StringPool, id: &str) -> Option<u32> {
    pool.find(id)
}

impl NodeNames for NodeTable {
    fn node_count(&self) -> usize {
        self.kinds.len()
    }
    fn node_id(&self, v: u32) -> &str {
        self.ids.get(v as usize)
    }
    fn node_name(&self, v: u32) -> &str {
        self.names.get(v as usize)
    }
    fn node_name_en(&self, v: u32) -> Option<&str> {
        Some(self.names_en.get(v as usize)).filter(|s| !s.is_empty())
    }
    fn node_kind(&self, v: u32) -> &str {
        &self.kind_names[self.kinds[v as usize] as usize]
    }
    fn node_index(&self, id: &str) -> Option<u32> {
        search(&self.ids, id)
    }
}

/// Point queries on one published generation.
pub struct Catalog {
    generation: u64,
    source: Source,
}

enum Source {
    /// The materialised snapshot.
    Full(Arc<Snapshot>),
    /// The base file and the delta since it.
    Light(Box<Light>),
}

struct Light {
    base: BaseFile,
    delta: Delta,
    ids: OnceLock<StringPool>,
    out_offsets: OnceLock<Vec<u32>>,
    nodes: OnceLock<Arc<NodeTable>>,
}

impl Catalog {
    /// A catalog answering from a materialised snapshot.
    pub(super) fn full(snapshot: Arc<Snapshot>) -> Catalog {
        Catalog {
            generation: snapshot.generation(),
            source: Source::Full(snapshot),
        }
    }

    /// A catalog answering from a base file plus the delta of the generations after it.
    pub(super) fn light(generation: u64, base: BaseFile, delta: Delta) -> Catalog {
        Catalog {
            generation,
            source: Source::Light(Box::new(Light {
                base,
                delta,
                ids: OnceLock::new(),
                out_offsets: OnceLock::new(),
                nodes: OnceLock::new(),
            })),
        }
    }

    /// The generation it answers for.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The kind of node `id`, if it exists.
    pub fn node_kind(&self, id: &str) -> Result<Option<String>> {
        match &self.source {
            Source::Full(s) => Ok(s.node_index(id).map(|v| s.node_kind(v).to_string())),
            Source::Light(l) => l.node_kind(id),
        }
    }

    /// Edge records touching node `id` (in + out; a self-loop counts twice).
    pub fn degree(&self, id: &str) -> Result<usize> {
        match &self.source {
            Source::Full(s) => Ok(s.node_index(id).map_or(0, |v| s.degree(v))),
            Source::Light(l) => l.degree(id),
        }
    }

    /// The identities of the edges touching node `id`.
    pub fn incident_edges(&self, id: &str) -> Result<Vec<EdgeId>> {
        match &self.source {
            Source::Full(s) => {
                let Some(v) = s.node_index(id) else {
                    return Ok(Vec::new());
                };
                let edges = s
                    .out_edges(v)
                    .chain(s.in_edges(v).iter().map(|&e| e as usize))
                    .map(|e| {
                        let edge = s.edge(e);
                        EdgeId {
                            source: s.node_id(edge.source).to_string(),
                            target: s.node_id(edge.target).to_string(),
                            kind: edge.kind.to_string(),
                            key: edge.key.to_string(),
                        }
                    });
                let mut out: Vec<EdgeId> = edges.collect();
                out.sort();
                out.dedup();
                Ok(out)
            }
            Source::Light(l) => l.incident_edges(id),
        }
    }

    /// Every node's id, name and kind, in id order.
    pub fn nodes(&self) -> Result<Arc<dyn NodeNames + Send + Sync>> {
        match &self.source {
            Source::Full(s) => Ok(Arc::clone(s) as Arc<dyn NodeNames + Send + Sync>),
            Source::Light(l) => Ok(l.nodes()? as Arc<dyn NodeNames + Send + Sync>),
        }
    }
}

impl Light {
    fn ids(&self) -> Result<&StringPool> {
        if let Some(p) = self.ids.get() {
            return Ok(p);
        }
        let pool = self.base.read_pool("ids", false)?;
        Ok(self.ids.get_or_init(|| pool))
    }

    fn out_offsets(&self) -> Result<&Vec<u32>> {
        if let Some(o) = self.out_offsets.get() {
            return Ok(o);
        }
        let n = self.base.header().nodes;
        let offsets = self.base.read_u32s("out_offsets", 0, n + 1)?;
        Ok(self.out_offsets.get_or_init(|| offsets))
    }

    /// The base index of node `id`: from the ids when this catalog has read them, else by
    /// a binary search of the file (a few small reads, for a command that needs one node).
    fn index(&self, id: &str) -> Result<Option<u32>> {
        match self.ids.get() {
            Some(ids) => Ok(search(ids, id)),
            None => self.base.find_in_pool("ids", id),
        }
    }

    fn node_kind(&self, id: &str) -> Result<Option<String>> {
        match self.delta.get(&record::node_key(id)) {
            Some(None) => return Ok(None),
            Some(Some(body)) => {
                return Ok(record::node_body_kind(body).map(str::to_string));
            }
            None => {}
        }
        let Some(v) = self.index(id)? else {
            return Ok(None);
        };
        let code = self.base.read_u16s("node_kinds", v as u64, 1)?[0];
        self.base
            .header()
            .node_kinds
            .get(code as usize)
            .cloned()
            .map(Some)
            .ok_or_else(|| StoreError::Corrupt("snapshot: a node kind code is out of range".into()))
    }

    fn kind_name(&self, code: u16) -> Result<&str> {
        self.base
            .header()
            .edge_kinds
            .get(code as usize)
            .map(String::as_str)
            .ok_or_else(|| {
                StoreError::Corrupt("snapshot: an edge kind code is out of range".into())
            })
    }

    fn key_of(&self, e: u64) -> Result<String> {
        let offsets = self.base.read_u32s("keys.offsets", e, 2)?;
        let bytes = self.base.read_bytes(
            "keys.bytes",
            offsets[0] as u64,
            (offsets[1].saturating_sub(offsets[0])) as u64,
        )?;
        String::from_utf8(bytes)
            .map_err(|_| StoreError::Corrupt("snapshot: a key is not UTF-8".into()))
    }

    /// The base's edges touching `id`.
    fn base_incident(&self, id: &str) -> Result<Vec<EdgeId>> {
        let Some(v) = self.index(id)? else {
            return Ok(Vec::new());
        };
        let ids = self.ids()?;
        let offsets = self.out_offsets()?;
        let (lo, hi) = (offsets[v as usize] as u64, offsets[v as usize + 1] as u64);
        let mut out = Vec::new();
        if hi > lo {
            let targets = self.base.read_u32s("targets", lo, hi - lo)?;
            let kinds = self.base.read_u16s("edge_kinds", lo, hi - lo)?;
            for (i, (&t, &k)) in targets.iter().zip(&kinds).enumerate() {
                out.push(EdgeId {
                    source: id.to_string(),
                    target: ids.get(t as usize).to_string(),
                    kind: self.kind_name(k)?.to_string(),
                    key: self.key_of(lo + i as u64)?,
                });
            }
        }
        let in_range = self.base.read_u32s("in_offsets", v as u64, 2)?;
        if in_range[1] > in_range[0] {
            let edges = self.base.read_u32s(
                "in_edges",
                in_range[0] as u64,
                (in_range[1] - in_range[0]) as u64,
            )?;
            for e in edges {
                let source = offsets.partition_point(|&o| o as usize <= e as usize) - 1;
                if source as u32 == v {
                    continue; // a self-loop, listed with the outgoing edges
                }
                let k = self.base.read_u16s("edge_kinds", e as u64, 1)?[0];
                out.push(EdgeId {
                    source: ids.get(source).to_string(),
                    target: id.to_string(),
                    kind: self.kind_name(k)?.to_string(),
                    key: self.key_of(e as u64)?,
                });
            }
        }
        Ok(out)
    }

    fn incident_edges(&self, id: &str) -> Result<Vec<EdgeId>> {
        let mut edges: BTreeMap<Vec<u8>, EdgeId> = BTreeMap::new();
        for e in self.base_incident(id)? {
            edges.insert(record::edge_key(&e), e);
        }
        for (key, body) in self.delta.with_prefix(&[EDGE]) {
            let Some(e) = record::decode_edge_key(key) else {
                continue;
            };
            if e.source != id && e.target != id {
                continue;
            }
            if body.is_some() {
                edges.insert(key.to_vec(), e);
            } else {
                edges.remove(key);
            }
        }
        Ok(edges.into_values().collect())
    }

    /// Whether the base holds edge `e`.
    fn base_has(&self, e: &EdgeId) -> Result<bool> {
        let (Some(s), Some(t)) = (self.index(&e.source)?, self.index(&e.target)?) else {
            return Ok(false);
        };
        let offsets = self.out_offsets()?;
        let (lo, hi) = (offsets[s as usize] as u64, offsets[s as usize + 1] as u64);
        if hi == lo {
            return Ok(false);
        }
        let targets = self.base.read_u32s("targets", lo, hi - lo)?;
        for (i, _) in targets.iter().enumerate().filter(|(_, &x)| x == t) {
            let at = lo + i as u64;
            let k = self.base.read_u16s("edge_kinds", at, 1)?[0];
            if self.kind_name(k)? == e.kind && self.key_of(at)? == e.key {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn degree(&self, id: &str) -> Result<usize> {
        if let Some(None) = self.delta.get(&record::node_key(id)) {
            return Ok(0);
        }
        let mut degree: i64 = match self.index(id)? {
            None => 0,
            Some(v) => {
                let out = self.base.read_u32s("out_offsets", v as u64, 2)?;
                let inc = self.base.read_u32s("in_offsets", v as u64, 2)?;
                (out[1] - out[0] + inc[1] - inc[0]) as i64
            }
        };
        for (key, body) in self.delta.with_prefix(&[EDGE]) {
            let Some(e) = record::decode_edge_key(key) else {
                continue;
            };
            let touches = i64::from(e.source == id) + i64::from(e.target == id);
            if touches == 0 {
                continue;
            }
            let before = i64::from(self.base_has(&e)?);
            let after = i64::from(body.is_some());
            degree += touches * (after - before);
        }
        Ok(degree.max(0) as usize)
    }

    fn nodes(&self) -> Result<Arc<NodeTable>> {
        if let Some(t) = self.nodes.get() {
            return Ok(Arc::clone(t));
        }
        let ids = self.ids()?;
        let names = self.base.read_pool("names", false)?;
        let names_en = self.base.read_pool("names_en", false)?;
        let n = self.base.header().nodes;
        let kinds = self.base.read_u16s("node_kinds", 0, n)?;
        let mut kind_names = self.base.header().node_kinds.clone();
        let table = if self.delta.with_prefix(&[NODE]).next().is_none() {
            NodeTable {
                ids: ids.clone(),
                names,
                names_en,
                kinds,
                kind_names,
            }
        } else {
            let mut t = NodeTable {
                ids: StringPool::with_capacity(ids.len(), ids.text_bytes().len()),
                names: StringPool::with_capacity(ids.len(), names.text_bytes().len()),
                names_en: StringPool::with_capacity(ids.len(), names_en.text_bytes().len()),
                kinds: Vec::with_capacity(ids.len()),
                kind_names: Vec::new(),
            };
            let mut changed = self.delta.with_prefix(&[NODE]).peekable();
            let mut i = 0;
            loop {
                let base_id = (i < ids.len()).then(|| ids.get(i));
                let change = changed
                    .peek()
                    .and_then(|(k, b)| record::decode_node_key(k).map(|id| (id, *b, *k)));
                let take_change = match (base_id, &change) {
                    (None, None) => break,
                    (Some(_), None) => false,
                    (None, Some(_)) => true,
                    (Some(b), Some((c, _, _))) => *c <= b,
                };
                if !take_change {
                    t.ids.push(ids.get(i))?;
                    t.names.push(names.get(i))?;
                    t.names_en.push(names_en.get(i))?;
                    t.kinds.push(kinds[i]);
                    i += 1;
                    continue;
                }
                let Some((cid, body, key)) = change else {
                    break;
                };
                changed.next();
                if base_id == Some(cid) {
                    i += 1;
                }
                if let Some(body) = body {
                    let node = record::decode_node(key, body)?;
                    let code = match kind_names.iter().position(|k| *k == node.kind) {
                        Some(c) => c,
                        None => {
                            kind_names.push(node.kind.clone());
                            kind_names.len() - 1
                        }
                    };
                    t.ids.push(cid)?;
                    t.names.push(&node.name)?;
                    t.names_en.push(node.name_en.as_deref().unwrap_or(""))?;
                    t.kinds.push(code as u16);
                }
            }
            t.kind_names = kind_names;
            t
        };
        let table = Arc::new(table);
        Ok(Arc::clone(self.nodes.get_or_init(|| table)))
    }
}
