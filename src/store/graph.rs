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
///
/// The text is one `String` and every offset lies on a character boundary (checked once,
/// when a pool is read from a file: `StringPool::from_parts`; a pool built by
/// [`StringPool::push`] holds only `&str`s), so an entry is a plain slice of it: reading one
/// costs no UTF-8 check.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct StringPool {
    offsets: Vec<u32>,
    text: String,
}

impl Default for StringPool {
    fn default() -> Self {
        StringPool::new()
    }
}

impl StringPool {
    pub(super) fn new() -> Self {
        StringPool {
            offsets: vec![0],
            text: String::new(),
        }
    }

    pub(super) fn with_capacity(n: usize, bytes: usize) -> Self {
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        StringPool {
            offsets,
            text: String::with_capacity(bytes),
        }
    }

    /// A pool from its offset table and bytes as stored, checked: the offsets start at 0,
    /// never decrease and end at the last byte; the bytes are UTF-8 (one pass over the
    /// whole column) and every offset falls on a character boundary, so every entry is
    /// UTF-8. `what` names the column in the error.
    pub(super) fn from_parts(
        offsets: Vec<u32>,
        bytes: Vec<u8>,
        what: &str,
    ) -> Result<Self, StoreError> {
        let bad = |why: &str| StoreError::Corrupt(format!("snapshot {what}: {why}"));
        check_offsets(&offsets, bytes.len(), what)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to() as u32;
            let entry = offsets.partition_point(|&o| o <= at).saturating_sub(1);
            bad(&format!("entry {entry} is not UTF-8"))
        })?;
        if let Some(i) = offsets
            .iter()
            .position(|&o| !text.is_char_boundary(o as usize))
        {
            return Err(bad(&format!("entry {} is not UTF-8", i.saturating_sub(1))));
        }
        Ok(StringPool { offsets, text })
    }

    /// The offset table and the bytes, given up.
    pub(super) fn into_parts(self) -> (Vec<u32>, Vec<u8>) {
        (self.offsets, self.text.into_bytes())
    }

    pub(super) fn push(&mut self, s: &str) -> Result<(), StoreError> {
        self.text.push_str(s);
        let end = u32::try_from(self.text.len())
            .map_err(|_| StoreError::Limit("more than 4 GiB of text in a snapshot".into()))?;
        self.offsets.push(end);
        Ok(())
    }

    /// Entry `i`.
    pub(super) fn get(&self, i: usize) -> &str {
        // Every offset is a character boundary (see the type's invariant), so `get` only
        // fails on an index past the end, which is a caller's bug: an empty entry then.
        self.text
            .get(self.offsets[i] as usize..self.offsets[i + 1] as usize)
            .unwrap_or("")
    }

    /// Entry `i` as bytes (what comparisons use).
    pub(super) fn bytes(&self, i: usize) -> &[u8] {
        self.get(i).as_bytes()
    }

    /// The offset table: entry `i` is bytes `offsets[i]..offsets[i + 1]`.
    pub(super) fn offsets(&self) -> &[u32] {
        &self.offsets
    }

    /// Every entry's bytes, back to back.
    pub(super) fn text_bytes(&self) -> &[u8] {
        self.text.as_bytes()
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
}

/// Checks an offset table of strings stored back to back in `len` bytes: it starts at 0,
/// never decreases and ends at `len`. `what` names the column in the error.
pub(super) fn check_offsets(offsets: &[u32], len: usize, what: &str) -> Result<(), StoreError> {
    if offsets.first() != Some(&0)
        || offsets.windows(2).any(|w| w[0] > w[1])
        || offsets.last().map(|&o| o as usize) != Some(len)
    {
        return Err(StoreError::Corrupt(format!("snapshot {what}: bad offsets")));
    }
    Ok(())
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
    /// also that the node ids are in order. (Every string is UTF-8 by construction: see
    /// `StringPool`.)
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
        if deep && (1..n).any(|i| self.ids.bytes(i - 1) >= self.ids.bytes(i)) {
            return bad("node ids are not in order");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(pool: &StringPool) -> (Vec<u32>, Vec<u8>) {
        (pool.offsets().to_vec(), pool.text_bytes().to_vec())
    }

    #[test]
    fn a_pool_read_back_gives_its_entries() {
        let mut pool = StringPool::new();
        for s in ["上海交通大学", "", "fudan", "é"] {
            pool.push(s).unwrap();
        }
        let (offsets, bytes) = parts(&pool);
        let back = StringPool::from_parts(offsets, bytes, "t").unwrap();
        assert_eq!(back, pool);
        assert_eq!(
            (0..back.len()).map(|i| back.get(i)).collect::<Vec<_>>(),
            ["上海交通大学", "", "fudan", "é"]
        );
        assert_eq!(back.bytes(2), b"fudan");
    }

    #[test]
    fn a_corrupt_pool_is_refused_when_read() {
        let mut pool = StringPool::new();
        for s in ["交通", "ab", "c"] {
            pool.push(s).unwrap();
        }
        let corrupt = |offsets: Vec<u32>, bytes: Vec<u8>| match StringPool::from_parts(
            offsets, bytes, "names",
        ) {
            Err(StoreError::Corrupt(m)) => m,
            other => panic!("accepted a corrupt pool: {other:?}"),
        };
        let (offsets, mut bytes) = parts(&pool);
        // A byte that is not UTF-8 in the second entry.
        bytes[6] = 0xff;
        assert!(corrupt(offsets.clone(), bytes).contains("entry 1 is not UTF-8"));
        // Valid bytes, but an offset inside a character: both halves would be invalid.
        let (mut offsets, bytes) = parts(&pool);
        offsets[1] = 4;
        assert!(corrupt(offsets, bytes).contains("not UTF-8"));
        // Offsets that decrease, do not start at 0, or stop short of the bytes.
        let (mut offsets, bytes) = parts(&pool);
        offsets.swap(1, 2);
        assert!(corrupt(offsets, bytes.clone()).contains("bad offsets"));
        let (offsets, _) = parts(&pool);
        assert!(corrupt(offsets[1..].to_vec(), bytes.clone()).contains("bad offsets"));
        let (mut offsets, _) = parts(&pool);
        offsets.pop();
        assert!(corrupt(offsets, bytes).contains("bad offsets"));
    }
}
