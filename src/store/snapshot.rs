//! The analysis snapshot: a compact, column-oriented copy of the whole graph of one
//! generation, persisted as a few large values so that loading it is a handful of reads.
//!
//! Nodes are numbered `0..n` in the byte order of their ids; edges are stored in CSR order,
//! sorted by (source, target, kind, key), with their kind, weight, amount and year in
//! parallel columns. Incoming adjacency is derived at load time.

use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::codec::{hash_bytes, FORMAT_VERSION};
use super::StoreError;
use crate::model::{EdgeRecord, NodeRecord};

/// Largest snapshot value written to the store, in bytes; longer columns are chunked.
const CHUNK_BYTES: usize = 8 << 20;

/// Strings stored back to back with an offset table.
#[derive(Debug, Clone, Default, PartialEq)]
struct StringPool {
    offsets: Vec<u32>,
    bytes: Vec<u8>,
}

impl StringPool {
    fn new() -> Self {
        StringPool {
            offsets: vec![0],
            bytes: Vec::new(),
        }
    }

    fn push(&mut self, s: &str) -> Result<(), StoreError> {
        self.bytes.extend_from_slice(s.as_bytes());
        let end = u32::try_from(self.bytes.len())
            .map_err(|_| StoreError::Limit("more than 4 GiB of text in a snapshot".into()))?;
        self.offsets.push(end);
        Ok(())
    }

    fn get(&self, i: usize) -> &str {
        let range = self.offsets[i] as usize..self.offsets[i + 1] as usize;
        // The pool is built from `&str`s and checked on load.
        std::str::from_utf8(&self.bytes[range]).unwrap_or("")
    }

    fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    fn validate(&self, what: &str) -> Result<(), StoreError> {
        if self.offsets.first() != Some(&0)
            || self.offsets.windows(2).any(|w| w[0] > w[1])
            || self.offsets.last().map(|&o| o as usize) != Some(self.bytes.len())
        {
            return Err(StoreError::Corrupt(format!("snapshot {what}: bad offsets")));
        }
        for i in 0..self.len() {
            let range = self.offsets[i] as usize..self.offsets[i + 1] as usize;
            if std::str::from_utf8(&self.bytes[range]).is_err() {
                return Err(StoreError::Corrupt(format!(
                    "snapshot {what}: entry {i} is not UTF-8"
                )));
            }
        }
        Ok(())
    }
}

/// One edge as the snapshot sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SnapshotEdge<'a> {
    /// Source node index.
    pub source: u32,
    /// Target node index.
    pub target: u32,
    /// Edge kind name.
    pub kind: &'a str,
    /// Edge kind code (index into [`Snapshot::edge_kind_names`]).
    pub kind_code: u16,
    /// Parallel-tie key ("" when unused).
    pub key: &'a str,
    /// The record's weight, if it has one.
    pub weight: Option<f64>,
    /// The `amount` property, if numeric.
    pub amount: Option<f64>,
    /// The `year` property, if present.
    pub year: Option<i32>,
}

/// The whole graph of one generation, in columns.
#[derive(Debug, Clone)]
pub struct Snapshot {
    generation: u64,
    node_kind_names: Vec<String>,
    edge_kind_names: Vec<String>,
    ids: StringPool,
    names: StringPool,
    names_en: StringPool,
    node_kinds: Vec<u16>,
    out_offsets: Vec<u32>,
    targets: Vec<u32>,
    edge_kinds: Vec<u16>,
    weights: Vec<f64>,
    amounts: Vec<f64>,
    years: Vec<i32>,
    keys: StringPool,
    // Derived at build or load time.
    sources: Vec<u32>,
    in_offsets: Vec<u32>,
    in_edges: Vec<u32>,
}

const NO_YEAR: i32 = i32::MIN;

impl PartialEq for Snapshot {
    /// Column-by-column equality; floats compare by bits, so missing values (NaN) match.
    fn eq(&self, other: &Self) -> bool {
        let bits = |a: &[f64], b: &[f64]| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
        };
        self.generation == other.generation
            && self.node_kind_names == other.node_kind_names
            && self.edge_kind_names == other.edge_kind_names
            && self.ids == other.ids
            && self.names == other.names
            && self.names_en == other.names_en
            && self.node_kinds == other.node_kinds
            && self.out_offsets == other.out_offsets
            && self.targets == other.targets
            && self.edge_kinds == other.edge_kinds
            && bits(&self.weights, &other.weights)
            && bits(&self.amounts, &other.amounts)
            && self.years == other.years
            && self.keys == other.keys
    }
}

impl Snapshot {
    /// The generation this snapshot belongs to.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.node_kinds.len()
    }

    /// Number of edges (every record, attribute edges included).
    pub fn edge_count(&self) -> usize {
        self.targets.len()
    }

    /// Node kind names; node kind codes index this table.
    pub fn node_kind_names(&self) -> &[String] {
        &self.node_kind_names
    }

    /// Edge kind names; edge kind codes index this table.
    pub fn edge_kind_names(&self) -> &[String] {
        &self.edge_kind_names
    }

    /// The index of the node with this id.
    pub fn node_index(&self, id: &str) -> Option<u32> {
        let (mut lo, mut hi) = (0usize, self.node_count());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.ids.get(mid).cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid as u32),
            }
        }
        None
    }

    /// The id of node `v`.
    pub fn node_id(&self, v: u32) -> &str {
        self.ids.get(v as usize)
    }

    /// The name of node `v`.
    pub fn node_name(&self, v: u32) -> &str {
        self.names.get(v as usize)
    }

    /// The English name of node `v`, if it has one.
    pub fn node_name_en(&self, v: u32) -> Option<&str> {
        Some(self.names_en.get(v as usize)).filter(|s| !s.is_empty())
    }

    /// The kind name of node `v`.
    pub fn node_kind(&self, v: u32) -> &str {
        &self.node_kind_names[self.node_kinds[v as usize] as usize]
    }

    /// The kind code of node `v`.
    pub fn node_kind_code(&self, v: u32) -> u16 {
        self.node_kinds[v as usize]
    }

    /// The code of a node kind, if any node table entry has that name.
    pub fn node_kind_code_of(&self, kind: &str) -> Option<u16> {
        self.node_kind_names
            .iter()
            .position(|k| k == kind)
            .map(|i| i as u16)
    }

    /// The code of an edge kind.
    pub fn edge_kind_code_of(&self, kind: &str) -> Option<u16> {
        self.edge_kind_names
            .iter()
            .position(|k| k == kind)
            .map(|i| i as u16)
    }

    /// Indices of the edges leaving `v`, in target order.
    pub fn out_edges(&self, v: u32) -> Range<usize> {
        self.out_offsets[v as usize] as usize..self.out_offsets[v as usize + 1] as usize
    }

    /// Indices of the edges entering `v`, in source order.
    pub fn in_edges(&self, v: u32) -> &[u32] {
        &self.in_edges
            [self.in_offsets[v as usize] as usize..self.in_offsets[v as usize + 1] as usize]
    }

    /// Number of edge records touching `v` (in + out).
    pub fn degree(&self, v: u32) -> usize {
        self.out_edges(v).len() + self.in_edges(v).len()
    }

    /// Edge `e`.
    pub fn edge(&self, e: usize) -> SnapshotEdge<'_> {
        let code = self.edge_kinds[e];
        let opt = |x: f64| (!x.is_nan()).then_some(x);
        SnapshotEdge {
            source: self.sources[e],
            target: self.targets[e],
            kind: &self.edge_kind_names[code as usize],
            kind_code: code,
            key: self.keys.get(e),
            weight: opt(self.weights[e]),
            amount: opt(self.amounts[e]),
            year: (self.years[e] != NO_YEAR).then_some(self.years[e]),
        }
    }

    /// Source column (one entry per edge).
    pub fn edge_sources(&self) -> &[u32] {
        &self.sources
    }

    /// Target column (one entry per edge).
    pub fn edge_targets(&self) -> &[u32] {
        &self.targets
    }

    /// Edge kind code column.
    pub fn edge_kind_codes(&self) -> &[u16] {
        &self.edge_kinds
    }

    /// Node kind code column.
    pub fn node_kind_codes(&self) -> &[u16] {
        &self.node_kinds
    }

    fn derive(&mut self) {
        let n = self.node_count();
        let m = self.targets.len();
        self.sources = vec![0; m];
        for v in 0..n {
            let r = self.out_edges(v as u32);
            self.sources[r].fill(v as u32);
        }
        let mut counts = vec![0u32; n + 1];
        for &t in &self.targets {
            counts[t as usize + 1] += 1;
        }
        for i in 0..n {
            counts[i + 1] += counts[i];
        }
        self.in_offsets = counts.clone();
        let mut next = counts;
        self.in_edges = vec![0; m];
        for e in 0..m {
            let t = self.targets[e] as usize;
            self.in_edges[next[t] as usize] = e as u32;
            next[t] += 1;
        }
    }
}

/// Builds a snapshot from records streamed in id order (nodes) and identity order (edges).
pub struct SnapshotBuilder {
    snap: Snapshot,
    node_kind_codes: HashMap<String, u16>,
    edge_kind_codes: HashMap<String, u16>,
    index: HashMap<String, u32>,
    current_source: u32,
}

impl SnapshotBuilder {
    /// Starts a snapshot for `generation` with the schema's kind names.
    pub fn new(generation: u64, node_kinds: Vec<String>, edge_kinds: Vec<String>) -> Self {
        let node_kind_codes = node_kinds
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i as u16))
            .collect();
        let edge_kind_codes = edge_kinds
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i as u16))
            .collect();
        SnapshotBuilder {
            snap: Snapshot {
                generation,
                node_kind_names: node_kinds,
                edge_kind_names: edge_kinds,
                ids: StringPool::new(),
                names: StringPool::new(),
                names_en: StringPool::new(),
                node_kinds: Vec::new(),
                out_offsets: vec![0],
                targets: Vec::new(),
                edge_kinds: Vec::new(),
                weights: Vec::new(),
                amounts: Vec::new(),
                years: Vec::new(),
                keys: StringPool::new(),
                sources: Vec::new(),
                in_offsets: Vec::new(),
                in_edges: Vec::new(),
            },
            node_kind_codes,
            edge_kind_codes,
            index: HashMap::new(),
            current_source: 0,
        }
    }

    fn kind_code(
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

    /// Adds the next node; ids must ascend.
    pub fn push_node(&mut self, node: &NodeRecord) -> Result<(), StoreError> {
        let n = self.snap.node_count();
        if n > 0 && self.snap.ids.get(n - 1) >= node.id.as_str() {
            return Err(StoreError::Corrupt(format!(
                "node `{}` out of order in the store",
                node.id
            )));
        }
        let code = Self::kind_code(
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
        self.index.insert(node.id.clone(), n as u32);
        Ok(())
    }

    /// Adds the next edge; all nodes must have been pushed, and edges must come in
    /// (source, target, kind, key) order.
    pub fn push_edge(&mut self, edge: &EdgeRecord) -> Result<(), StoreError> {
        let n = self.snap.node_count() as u32;
        let endpoint = |id: &str| {
            self.index
                .get(id)
                .copied()
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
        debug_assert!(s < n);
        let code = Self::kind_code(
            &mut self.edge_kind_codes,
            &mut self.snap.edge_kind_names,
            &edge.kind,
        )?;
        self.snap.targets.push(t);
        self.snap.edge_kinds.push(code);
        self.snap.weights.push(edge.weight.unwrap_or(f64::NAN));
        self.snap.amounts.push(
            edge.props
                .get("amount")
                .and_then(|v| v.as_f64())
                .unwrap_or(f64::NAN),
        );
        self.snap.years.push(
            edge.props
                .get("year")
                .and_then(|v| v.as_i64())
                .and_then(|y| i32::try_from(y).ok())
                .unwrap_or(NO_YEAR),
        );
        self.snap.keys.push(&edge.key)?;
        if self.snap.targets.len() > u32::MAX as usize {
            return Err(StoreError::Limit("more than 4 billion edges".into()));
        }
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

/// Describes one persisted column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnInfo {
    /// Column name.
    pub name: String,
    /// Length in bytes.
    pub bytes: u64,
    /// Number of chunks it is split into.
    pub chunks: u32,
    /// Hash of its bytes.
    pub hash: u64,
}

/// The snapshot's header part: what it holds and how its columns are laid out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotHeader {
    /// Format version of the store that wrote it.
    pub format: u32,
    /// Generation it belongs to.
    pub generation: u64,
    /// Number of nodes.
    pub nodes: u64,
    /// Number of edges.
    pub edges: u64,
    /// Node kind table.
    pub node_kinds: Vec<String>,
    /// Edge kind table.
    pub edge_kinds: Vec<String>,
    /// Columns in order.
    pub columns: Vec<ColumnInfo>,
}

impl SnapshotHeader {
    /// A checksum of the whole snapshot (over the column hashes).
    pub fn checksum(&self) -> u64 {
        let mut bytes = Vec::with_capacity(self.columns.len() * 8);
        for c in &self.columns {
            bytes.extend_from_slice(&c.hash.to_le_bytes());
        }
        hash_bytes(&bytes)
    }
}

fn u32s(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}
fn u16s(v: &[u16]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}
fn i32s(v: &[i32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}
fn f64s(v: &[f64]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_bits().to_le_bytes()).collect()
}

fn from_u32s(b: &[u8], what: &str) -> Result<Vec<u32>, StoreError> {
    fixed::<4, u32>(b, what, u32::from_le_bytes)
}
fn from_u16s(b: &[u8], what: &str) -> Result<Vec<u16>, StoreError> {
    fixed::<2, u16>(b, what, u16::from_le_bytes)
}
fn from_i32s(b: &[u8], what: &str) -> Result<Vec<i32>, StoreError> {
    fixed::<4, i32>(b, what, i32::from_le_bytes)
}
fn from_f64s(b: &[u8], what: &str) -> Result<Vec<f64>, StoreError> {
    fixed::<8, f64>(b, what, |a| f64::from_bits(u64::from_le_bytes(a)))
}

fn fixed<const W: usize, T>(
    b: &[u8],
    what: &str,
    f: impl Fn([u8; W]) -> T,
) -> Result<Vec<T>, StoreError> {
    if b.len() % W != 0 {
        return Err(StoreError::Corrupt(format!(
            "snapshot column {what}: length {} is not a multiple of {W}",
            b.len()
        )));
    }
    Ok(b.chunks_exact(W)
        .map(|c| {
            let mut a = [0u8; W];
            a.copy_from_slice(c);
            f(a)
        })
        .collect())
}

/// The parts a snapshot is stored as: the header, then named chunks.
pub struct SnapshotParts {
    /// The header.
    pub header: SnapshotHeader,
    /// (part name, bytes) of every chunk.
    pub chunks: Vec<(String, Vec<u8>)>,
}

/// Name of the header part.
pub const HEADER_PART: &str = "header";

/// Name of chunk `i` of column `name`.
pub fn chunk_part(name: &str, i: u32) -> String {
    format!("col/{name}/{i:05}")
}

impl Snapshot {
    fn columns(&self) -> Vec<(&'static str, Vec<u8>)> {
        vec![
            ("ids.offsets", u32s(&self.ids.offsets)),
            ("ids.bytes", self.ids.bytes.clone()),
            ("names.offsets", u32s(&self.names.offsets)),
            ("names.bytes", self.names.bytes.clone()),
            ("names_en.offsets", u32s(&self.names_en.offsets)),
            ("names_en.bytes", self.names_en.bytes.clone()),
            ("node_kinds", u16s(&self.node_kinds)),
            ("out_offsets", u32s(&self.out_offsets)),
            ("targets", u32s(&self.targets)),
            ("edge_kinds", u16s(&self.edge_kinds)),
            ("weights", f64s(&self.weights)),
            ("amounts", f64s(&self.amounts)),
            ("years", i32s(&self.years)),
            ("keys.offsets", u32s(&self.keys.offsets)),
            ("keys.bytes", self.keys.bytes.clone()),
        ]
    }

    /// Splits the snapshot into the parts it is stored as.
    pub fn to_parts(&self) -> SnapshotParts {
        let mut columns_info = Vec::new();
        let mut chunks = Vec::new();
        for (name, bytes) in self.columns() {
            let pieces: Vec<&[u8]> = if bytes.is_empty() {
                vec![]
            } else {
                bytes.chunks(CHUNK_BYTES).collect()
            };
            for (i, piece) in pieces.iter().enumerate() {
                chunks.push((chunk_part(name, i as u32), piece.to_vec()));
            }
            columns_info.push(ColumnInfo {
                name: name.to_string(),
                bytes: bytes.len() as u64,
                chunks: pieces.len() as u32,
                hash: hash_bytes(&bytes),
            });
        }
        SnapshotParts {
            header: SnapshotHeader {
                format: FORMAT_VERSION,
                generation: self.generation,
                nodes: self.node_count() as u64,
                edges: self.edge_count() as u64,
                node_kinds: self.node_kind_names.clone(),
                edge_kinds: self.edge_kind_names.clone(),
                columns: columns_info,
            },
            chunks,
        }
    }

    /// Reassembles a snapshot from its header and a function that reads a part by name.
    /// With `verify`, every column's hash is checked.
    pub fn from_parts(
        header: &SnapshotHeader,
        mut read: impl FnMut(&str) -> Result<Option<Vec<u8>>, StoreError>,
        verify: bool,
    ) -> Result<Snapshot, StoreError> {
        let mut cols: HashMap<&str, Vec<u8>> = HashMap::new();
        for c in &header.columns {
            let mut bytes = Vec::with_capacity(c.bytes as usize);
            for i in 0..c.chunks {
                let part = chunk_part(&c.name, i);
                let chunk = read(&part)?.ok_or_else(|| {
                    StoreError::Corrupt(format!("snapshot part `{part}` is missing"))
                })?;
                if bytes.is_empty() && c.chunks == 1 {
                    bytes = chunk;
                } else {
                    bytes.extend_from_slice(&chunk);
                }
            }
            if bytes.len() as u64 != c.bytes {
                return Err(StoreError::Corrupt(format!(
                    "snapshot column {} has {} bytes, header says {}",
                    c.name,
                    bytes.len(),
                    c.bytes
                )));
            }
            if verify && hash_bytes(&bytes) != c.hash {
                return Err(StoreError::Corrupt(format!(
                    "snapshot column {} does not match its checksum",
                    c.name
                )));
            }
            cols.insert(c.name.as_str(), bytes);
        }
        let mut take = |name: &str| {
            cols.remove(name)
                .ok_or_else(|| StoreError::Corrupt(format!("snapshot column {name} is missing")))
        };
        let pool =
            |offsets: Vec<u8>, bytes: Vec<u8>, what: &str| -> Result<StringPool, StoreError> {
                Ok(StringPool {
                    offsets: from_u32s(&offsets, what)?,
                    bytes,
                })
            };
        let ids = pool(take("ids.offsets")?, take("ids.bytes")?, "ids")?;
        let names = pool(take("names.offsets")?, take("names.bytes")?, "names")?;
        let names_en = pool(
            take("names_en.offsets")?,
            take("names_en.bytes")?,
            "names_en",
        )?;
        let keys = pool(take("keys.offsets")?, take("keys.bytes")?, "keys")?;
        let mut snap = Snapshot {
            generation: header.generation,
            node_kind_names: header.node_kinds.clone(),
            edge_kind_names: header.edge_kinds.clone(),
            ids,
            names,
            names_en,
            node_kinds: from_u16s(&take("node_kinds")?, "node_kinds")?,
            out_offsets: from_u32s(&take("out_offsets")?, "out_offsets")?,
            targets: from_u32s(&take("targets")?, "targets")?,
            edge_kinds: from_u16s(&take("edge_kinds")?, "edge_kinds")?,
            weights: from_f64s(&take("weights")?, "weights")?,
            amounts: from_f64s(&take("amounts")?, "amounts")?,
            years: from_i32s(&take("years")?, "years")?,
            keys,
            sources: Vec::new(),
            in_offsets: Vec::new(),
            in_edges: Vec::new(),
        };
        snap.check_shape(header, verify)?;
        snap.derive();
        Ok(snap)
    }

    fn check_shape(&self, header: &SnapshotHeader, deep: bool) -> Result<(), StoreError> {
        let n = self.node_kinds.len();
        let m = self.targets.len();
        let bad = |what: &str| Err(StoreError::Corrupt(format!("snapshot: {what}")));
        if n as u64 != header.nodes || m as u64 != header.edges {
            return bad("sizes differ from the header");
        }
        if self.ids.len() != n || self.names.len() != n || self.names_en.len() != n {
            return bad("node columns differ in length");
        }
        if self.edge_kinds.len() != m
            || self.weights.len() != m
            || self.amounts.len() != m
            || self.years.len() != m
            || self.keys.len() != m
        {
            return bad("edge columns differ in length");
        }
        if self.out_offsets.len() != n + 1
            || self.out_offsets.first() != Some(&0)
            || self.out_offsets.last().map(|&x| x as usize) != Some(m)
            || self.out_offsets.windows(2).any(|w| w[0] > w[1])
        {
            return bad("out offsets are inconsistent");
        }
        if self.targets.iter().any(|&t| t as usize >= n) {
            return bad("an edge points past the last node");
        }
        if self
            .node_kinds
            .iter()
            .any(|&k| k as usize >= self.node_kind_names.len())
            || self
                .edge_kinds
                .iter()
                .any(|&k| k as usize >= self.edge_kind_names.len())
        {
            return bad("a kind code is out of range");
        }
        if deep {
            self.ids.validate("ids")?;
            self.names.validate("names")?;
            self.names_en.validate("names_en")?;
            self.keys.validate("keys")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Props;

    fn node(id: &str, kind: &str) -> NodeRecord {
        NodeRecord {
            id: id.into(),
            kind: kind.into(),
            name: format!("name of {id}"),
            name_en: None,
            props: Props::new(),
        }
    }

    fn edge(s: &str, t: &str, kind: &str) -> EdgeRecord {
        EdgeRecord {
            source: s.into(),
            target: t.into(),
            kind: kind.into(),
            key: String::new(),
            weight: Some(2.0),
            props: Props::new(),
        }
    }

    fn sample() -> Snapshot {
        let mut b = SnapshotBuilder::new(7, vec!["a".into()], vec!["x".into()]);
        for id in ["n1", "n2", "n3"] {
            b.push_node(&node(id, "a")).unwrap();
        }
        b.push_edge(&edge("n1", "n3", "x")).unwrap();
        b.push_edge(&edge("n3", "n2", "y")).unwrap();
        b.finish()
    }

    #[test]
    fn builds_csr_and_reverse_adjacency() {
        let s = sample();
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
    }

    #[test]
    fn parts_round_trip() {
        let s = sample();
        let parts = s.to_parts();
        let map: HashMap<String, Vec<u8>> = parts.chunks.into_iter().collect();
        let back = Snapshot::from_parts(&parts.header, |p| Ok(map.get(p).cloned()), true).unwrap();
        assert_eq!(back, s);
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
