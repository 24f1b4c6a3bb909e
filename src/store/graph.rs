//! The analysis snapshot in memory: the whole graph of one generation in columns, the
//! form every analysis reads. (How it is stored on disk is [`super::snapfile`]; how it is
//! derived from the previous one plus a write's changes is [`super::delta`].)
//!
//! Nodes are numbered `0..n` in the byte order of their ids; edges are in CSR order,
//! sorted by (source, target, kind, key), with their kind, weight, amount and year in
//! parallel columns, and an incoming adjacency beside them.

use std::ops::Range;

use super::StoreError;

/// Strings stored back to back with an offset table.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct StringPool {
    pub(super) offsets: Vec<u32>,
    pub(super) bytes: Vec<u8>,
}

impl StringPool {
    pub(super) fn new() -> Self {
        StringPool {
            offsets: vec![0],
            bytes: Vec::new(),
        }
    }

    pub(super) fn with_capacity(n: usize, bytes: usize) -> Self {
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        StringPool {
            offsets,
            bytes: Vec::with_capacity(bytes),
        }
    }

    pub(super) fn push(&mut self, s: &str) -> Result<(), StoreError> {
        self.push_copy(s.as_bytes())
    }

    /// Appends an entry copied from another pool (valid UTF-8 already).
    pub(super) fn push_copy(&mut self, s: &[u8]) -> Result<(), StoreError> {
        self.bytes.extend_from_slice(s);
        let end = u32::try_from(self.bytes.len())
            .map_err(|_| StoreError::Limit("more than 4 GiB of text in a snapshot".into()))?;
        self.offsets.push(end);
        Ok(())
    }

    pub(super) fn get(&self, i: usize) -> &str {
        // Pools are built from `&str`s, and checked when read from a file.
        std::str::from_utf8(self.bytes(i)).unwrap_or("")
    }

    /// Entry `i` as bytes (what comparisons use: no UTF-8 check).
    pub(super) fn bytes(&self, i: usize) -> &[u8] {
        &self.bytes[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// The index of `s` in a pool sorted by bytes.
    pub(super) fn find(&self, s: &str) -> Option<u32> {
        let (mut lo, mut hi) = (0usize, self.len());
        let s = s.as_bytes();
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.bytes(mid).cmp(s) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid as u32),
            }
        }
        None
    }

    pub(super) fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub(super) fn validate(&self, what: &str) -> Result<(), StoreError> {
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
    pub(super) generation: u64,
    pub(super) node_kind_names: Vec<String>,
    pub(super) edge_kind_names: Vec<String>,
    pub(super) ids: StringPool,
    pub(super) names: StringPool,
    pub(super) names_en: StringPool,
    pub(super) node_kinds: Vec<u16>,
    pub(super) out_offsets: Vec<u32>,
    pub(super) targets: Vec<u32>,
    pub(super) edge_kinds: Vec<u16>,
    pub(super) weights: Vec<f64>,
    pub(super) amounts: Vec<f64>,
    pub(super) years: Vec<i32>,
    pub(super) keys: StringPool,
    // Derived from the columns above.
    pub(super) sources: Vec<u32>,
    pub(super) in_offsets: Vec<u32>,
    pub(super) in_edges: Vec<u32>,
}

/// The `years` value of an edge without a year.
pub(super) const NO_YEAR: i32 = i32::MIN;

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
    /// An empty snapshot with these kind tables.
    pub(super) fn empty(generation: u64, node_kinds: Vec<String>, edge_kinds: Vec<String>) -> Self {
        Snapshot {
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
            in_offsets: vec![0],
            in_edges: Vec::new(),
        }
    }

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
        self.ids.find(id)
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

    /// Fills the source column and the incoming adjacency from the CSR.
    pub(super) fn derive(&mut self) {
        self.derive_sources();
        self.derive_incoming();
    }

    /// Fills the source column from the CSR offsets.
    pub(super) fn derive_sources(&mut self) {
        let n = self.node_count();
        self.sources = vec![0; self.targets.len()];
        for v in 0..n {
            let r = self.out_edges(v as u32);
            self.sources[r].fill(v as u32);
        }
    }

    /// Fills the incoming adjacency (edges by target, each list in source order).
    pub(super) fn derive_incoming(&mut self) {
        let n = self.node_count();
        let m = self.targets.len();
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

    /// Re-expresses the kind codes against other kind tables (a schema that grew since the
    /// snapshot was written); kinds missing from them are appended.
    pub(super) fn with_kind_tables(mut self, node_kinds: &[String], edge_kinds: &[String]) -> Self {
        fn remap(codes: &mut [u16], old: &[String], new: &mut Vec<String>) {
            if old == new.as_slice() {
                return;
            }
            let map: Vec<u16> = old
                .iter()
                .map(|k| match new.iter().position(|n| n == k) {
                    Some(i) => i as u16,
                    None => {
                        new.push(k.clone());
                        (new.len() - 1) as u16
                    }
                })
                .collect();
            for c in codes {
                *c = map[*c as usize];
            }
        }
        let mut nodes = node_kinds.to_vec();
        let mut edges = edge_kinds.to_vec();
        remap(&mut self.node_kinds, &self.node_kind_names, &mut nodes);
        remap(&mut self.edge_kinds, &self.edge_kind_names, &mut edges);
        self.node_kind_names = nodes;
        self.edge_kind_names = edges;
        self
    }

    /// Checks that the columns fit together (lengths, offsets, code ranges); with `deep`,
    /// also that every string is UTF-8.
    pub(super) fn check_shape(&self, deep: bool) -> Result<(), StoreError> {
        let n = self.node_kinds.len();
        let m = self.targets.len();
        let bad = |what: &str| Err(StoreError::Corrupt(format!("snapshot: {what}")));
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
        let offsets_ok = |o: &[u32]| {
            o.len() == n + 1
                && o.first() == Some(&0)
                && o.last().map(|&x| x as usize) == Some(m)
                && o.windows(2).all(|w| w[0] <= w[1])
        };
        if !offsets_ok(&self.out_offsets) || !offsets_ok(&self.in_offsets) {
            return bad("adjacency offsets are inconsistent");
        }
        if self.in_edges.len() != m || self.in_edges.iter().any(|&e| e as usize >= m) {
            return bad("incoming adjacency is inconsistent");
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
            if (1..n).any(|i| self.ids.bytes(i - 1) >= self.ids.bytes(i)) {
                return bad("node ids are not in order");
            }
        }
        Ok(())
    }
}
