//! The name index search reads: every node's id, name and English name normalised the way
//! search compares them ([`normalise_for_search`]), kept as three string pools in the
//! snapshot base file beside the names themselves.
//!
//! A search reads these columns, the ids and the kinds block by block (into buffers reused
//! from block to block) and scans each column's bytes for the needle (`memmem`) instead of
//! normalising every name in the store; only the entries that match are checked as UTF-8. Nodes changed since the base are read from the delta and normalised then (a
//! write changes few), so every write keeps the index current at the cost of its own
//! change; a new base (when the delta has grown, and after `compact` or a migration) gets
//! the columns rebuilt from its snapshot. A base file written before the index existed
//! has no such columns: its names are normalised when read, as search always did, and
//! `check` verifies the columns wherever they exist.

use std::collections::HashSet;

use memchr::memmem::Finder;

use super::delta::Delta;
use super::graph::{Snapshot, StringPool};
use super::record::{self, NODE};
use super::snapfile::BaseFile;
use super::{Result, StoreError};
use crate::model::normalise_for_search;

/// Names of the index's columns in a base file (each a string pool).
pub(super) const COLUMNS: [&str; 3] = ["search.ids", "search.names", "search.names_en"];

/// The normalised id, name and English name of every node of a snapshot, in id order.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct NormalisedNames {
    /// Normalised ids.
    pub(super) ids: StringPool,
    /// Normalised names.
    pub(super) names: StringPool,
    /// Normalised English names (empty where a node has none).
    pub(super) names_en: StringPool,
}

impl NormalisedNames {
    /// The normalised forms of the pools of a snapshot.
    pub(super) fn of(snapshot: &Snapshot) -> Result<NormalisedNames> {
        NormalisedNames::from_pools(&snapshot.ids, &snapshot.names, &snapshot.names_en)
    }

    /// The normalised forms of three parallel pools (ids, names, English names).
    fn from_pools(
        ids: &StringPool,
        names: &StringPool,
        names_en: &StringPool,
    ) -> Result<NormalisedNames> {
        let normalise = |pool: &StringPool| -> Result<StringPool> {
            let mut out = StringPool::with_capacity(pool.len(), pool.text_bytes().len());
            for i in 0..pool.len() {
                out.push(&normalise_for_search(pool.get(i)))?;
            }
            Ok(out)
        };
        Ok(NormalisedNames {
            ids: normalise(ids)?,
            names: normalise(names)?,
            names_en: normalise(names_en)?,
        })
    }

    /// The three pools in [`COLUMNS`] order.
    pub(super) fn pools(&self) -> [&StringPool; 3] {
        [&self.ids, &self.names, &self.names_en]
    }

    /// The index columns of a base file, or `None` if it was written without them.
    fn read(base: &BaseFile, verify: bool) -> Result<Option<NormalisedNames>> {
        if !present(base) {
            return Ok(None);
        }
        let pool = |name: &str| base.read_pool(name, verify);
        Ok(Some(NormalisedNames {
            ids: pool(COLUMNS[0])?,
            names: pool(COLUMNS[1])?,
            names_en: pool(COLUMNS[2])?,
        }))
    }

    /// What the index columns of a base file should hold, from its names.
    fn expected(base: &BaseFile) -> Result<NormalisedNames> {
        NormalisedNames::from_pools(
            &base.read_pool("ids", true)?,
            &base.read_pool("names", true)?,
            &base.read_pool("names_en", true)?,
        )
    }
}

/// Whether a base file has the index (any of its columns: one missing among the others is
/// a damaged file, which reading them reports).
pub(super) fn present(base: &BaseFile) -> bool {
    COLUMNS
        .iter()
        .any(|name| base.has_section(&format!("{name}.offsets")))
}

/// Checks the index columns of a base file against its names: `Ok(None)` when they agree
/// or the file has none, else what is wrong.
pub(super) fn verify(base: &BaseFile) -> Result<Option<String>> {
    let Some(stored) = NormalisedNames::read(base, true)? else {
        return Ok(None);
    };
    let expected = NormalisedNames::expected(base)?;
    for ((name, stored), expected) in COLUMNS.iter().zip(stored.pools()).zip(expected.pools()) {
        if stored.len() != expected.len() {
            return Ok(Some(format!(
                "name index column {name} has {} entries for {} nodes",
                stored.len(),
                expected.len()
            )));
        }
        if let Some(i) = (0..stored.len()).find(|&i| stored.bytes(i) != expected.bytes(i)) {
            return Ok(Some(format!(
                "name index column {name}: entry {i} is `{}`, expected `{}`",
                stored.get(i),
                expected.get(i)
            )));
        }
    }
    Ok(None)
}

/// Entries a search reads per block of the base file: each block's columns are read into
/// buffers reused from block to block, so a search touches a few hundred KiB of memory
/// however large the store (reading whole columns into fresh memory cost more in page
/// faults than the scan itself).
const BLOCK_ENTRIES: u64 = if cfg!(test) { 64 } else { 16_384 };

/// Part of a string column as search reads it: offsets (rebased to the block's first
/// byte) and bytes. Search scans the bytes and checks an entry as UTF-8 only when it
/// matches, so it does not pay for checking every name of the store.
#[derive(Debug, Default)]
struct ScanColumn {
    offsets: Vec<u32>,
    bytes: Vec<u8>,
}

impl ScanColumn {
    fn of(pool: StringPool) -> ScanColumn {
        let (offsets, bytes) = pool.into_parts();
        ScanColumn { offsets, bytes }
    }

    /// Entries `start..start + count` of string pool `name` of a base file, replacing what
    /// the column held (`scratch` is the buffer the offsets are read through).
    fn read_block(
        &mut self,
        base: &BaseFile,
        name: &str,
        start: u64,
        count: u64,
        scratch: &mut Vec<u8>,
    ) -> Result<()> {
        let offsets = format!("{name}.offsets");
        base.read_u32s_into(&offsets, start, count + 1, scratch, &mut self.offsets)?;
        let (lo, hi) = (self.offsets[0], self.offsets[count as usize]);
        if self.offsets.windows(2).any(|w| w[0] > w[1]) {
            return Err(StoreError::Corrupt(format!("snapshot {name}: bad offsets")));
        }
        base.read_into(
            &format!("{name}.bytes"),
            lo as u64,
            (hi - lo) as u64,
            &mut self.bytes,
        )?;
        for o in &mut self.offsets {
            *o -= lo;
        }
        Ok(())
    }

    fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Entry `i`, checked as UTF-8.
    fn entry(&self, i: usize) -> Result<&str> {
        let range = self.offsets[i] as usize..self.offsets[i + 1] as usize;
        std::str::from_utf8(&self.bytes[range])
            .map_err(|_| StoreError::Corrupt("snapshot: a name index entry is not UTF-8".into()))
    }
}

/// One block of nodes as search reads them.
#[derive(Debug, Default)]
struct Block {
    ids: ScanColumn,
    kinds: Vec<u16>,
    /// Normalised ids, names and English names, in [`COLUMNS`] order.
    normalised: [ScanColumn; 3],
    scratch: Vec<u8>,
}

/// One node whose normalised id, name or English name contains the searched text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameMatch<'a> {
    /// The node's id.
    pub id: String,
    /// The node's kind.
    pub kind: &'a str,
    /// The normalised id.
    pub normalised_id: String,
    /// The normalised name.
    pub normalised_name: String,
    /// The normalised English name (empty when it has none).
    pub normalised_name_en: String,
}

/// The name index of one published generation: the base file's columns, read block by
/// block at each search, plus the nodes the delta changed, held in memory.
#[derive(Debug)]
pub struct NameIndex {
    generation: u64,
    kind_names: Vec<String>,
    base: BaseFile,
    /// Whether the base file has the index columns (else its names are normalised as they
    /// are read).
    indexed: bool,
    /// Ids the delta changed or deleted: their base entries are superseded.
    changed: HashSet<String>,
    /// The nodes the delta holds.
    delta: Block,
}

impl NameIndex {
    /// The index of generation `generation`, from its base file and the delta since.
    pub(super) fn read(generation: u64, base: BaseFile, delta: &Delta) -> Result<NameIndex> {
        let nodes = base.header().nodes;
        let indexed = present(&base);
        for name in COLUMNS.iter().filter(|_| indexed) {
            if base.section_len(&format!("{name}.offsets"))? != (nodes + 1) * 4 {
                return Err(StoreError::Corrupt(
                    "snapshot: the name index does not have one entry per node".into(),
                ));
            }
        }
        let mut kind_names = base.header().node_kinds.clone();
        let mut changed = HashSet::new();
        let mut ids = StringPool::new();
        let mut kinds = Vec::new();
        let mut normalised = [StringPool::new(), StringPool::new(), StringPool::new()];
        for (key, body) in delta.with_prefix(&[NODE]) {
            let Some(id) = record::decode_node_key(key) else {
                continue;
            };
            changed.insert(id.to_string());
            let Some(body) = body else {
                continue;
            };
            let node = record::decode_node(key, body)?;
            let code = match kind_names.iter().position(|k| *k == node.kind) {
                Some(c) => c,
                None => {
                    kind_names.push(node.kind.clone());
                    kind_names.len() - 1
                }
            };
            ids.push(id)?;
            kinds.push(code as u16);
            let en = node.name_en.as_deref().unwrap_or("");
            for (pool, text) in normalised.iter_mut().zip([id, &node.name, en]) {
                pool.push(&normalise_for_search(text))?;
            }
        }
        Ok(NameIndex {
            generation,
            kind_names,
            base,
            indexed,
            changed,
            delta: Block {
                ids: ScanColumn::of(ids),
                kinds,
                normalised: normalised.map(ScanColumn::of),
                scratch: Vec::new(),
            },
        })
    }

    /// The generation it indexes.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Nodes `start..start + count` of the base file into `block`: the index columns as
    /// stored, or, for a base without them, the names normalised now.
    fn read_block(&self, start: u64, count: u64, block: &mut Block) -> Result<()> {
        let base = &self.base;
        block
            .ids
            .read_block(base, "ids", start, count, &mut block.scratch)?;
        base.read_into("node_kinds", start * 2, count * 2, &mut block.scratch)?;
        block.kinds.clear();
        block.kinds.extend(
            block
                .scratch
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]])),
        );
        if self.indexed {
            for (column, name) in block.normalised.iter_mut().zip(COLUMNS) {
                column.read_block(base, name, start, count, &mut block.scratch)?;
            }
            return Ok(());
        }
        let [ids, names, names_en] = &mut block.normalised;
        names.read_block(base, "names", start, count, &mut block.scratch)?;
        names_en.read_block(base, "names_en", start, count, &mut block.scratch)?;
        let mut out = [StringPool::new(), StringPool::new(), StringPool::new()];
        for i in 0..count as usize {
            let texts = [block.ids.entry(i)?, names.entry(i)?, names_en.entry(i)?];
            for (pool, text) in out.iter_mut().zip(texts) {
                pool.push(&normalise_for_search(text))?;
            }
        }
        let [a, b, c] = out.map(ScanColumn::of);
        (*ids, *names, *names_en) = (a, b, c);
        Ok(())
    }

    /// The nodes of `block` whose normalised names contain the finder's needle, into `out`
    /// (`superseded`: whether a base entry was changed since).
    fn block_matches<'a>(
        &'a self,
        block: &Block,
        finder: &Finder<'_>,
        superseded: bool,
        out: &mut Vec<NameMatch<'a>>,
    ) -> Result<()> {
        let mut hit = vec![false; block.ids.len()];
        for column in &block.normalised {
            containing(column, finder, &mut hit);
        }
        let [ids, names, names_en] = &block.normalised;
        for i in (0..hit.len()).filter(|&i| hit[i]) {
            let id = block.ids.entry(i)?;
            if superseded && self.changed.contains(id) {
                continue;
            }
            out.push(NameMatch {
                id: id.to_string(),
                kind: self
                    .kind_names
                    .get(block.kinds[i] as usize)
                    .map_or("", String::as_str),
                normalised_id: ids.entry(i)?.to_string(),
                normalised_name: names.entry(i)?.to_string(),
                normalised_name_en: names_en.entry(i)?.to_string(),
            });
        }
        Ok(())
    }

    /// Every node whose normalised id, name or English name contains `needle` (already
    /// normalised, not empty), in no particular order.
    pub fn matches(&self, needle: &str) -> Result<Vec<NameMatch<'_>>> {
        let finder = Finder::new(needle.as_bytes());
        let mut out = Vec::new();
        let nodes = self.base.header().nodes;
        let mut block = Block::default();
        let mut start = 0;
        while start < nodes {
            let count = BLOCK_ENTRIES.min(nodes - start);
            self.read_block(start, count, &mut block)?;
            self.block_matches(&block, &finder, true, &mut out)?;
            start += count;
        }
        self.block_matches(&self.delta, &finder, false, &mut out)?;
        Ok(out)
    }
}

/// Marks the entries of `column` that contain the finder's needle. One pass over the
/// column's bytes: a match that runs across the end of an entry is not one, and the search
/// goes on from the next entry's start (so it cannot hide a match inside that entry).
fn containing(column: &ScanColumn, finder: &Finder<'_>, hit: &mut [bool]) {
    let needle_len = finder.needle().len();
    let bytes = &column.bytes;
    let offsets = &column.offsets;
    let mut from = 0usize;
    while from < bytes.len() {
        let Some(found) = finder.find(&bytes[from..]) else {
            break;
        };
        let at = from + found;
        let entry = offsets.partition_point(|&o| o as usize <= at) - 1;
        let end = offsets[entry + 1] as usize;
        if at + needle_len <= end {
            hit[entry] = true;
        }
        from = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(items: &[&str]) -> StringPool {
        let mut p = StringPool::new();
        for s in items {
            p.push(s).unwrap();
        }
        p
    }

    fn containing_entries(items: &[&str], needle: &str) -> Vec<usize> {
        let p = ScanColumn::of(pool(items));
        let mut hit = vec![false; items.len()];
        containing(&p, &Finder::new(needle.as_bytes()), &mut hit);
        (0..items.len()).filter(|&i| hit[i]).collect()
    }

    #[test]
    fn a_match_across_entries_is_not_one_and_hides_none_inside() {
        // "a" + "aa": the pool's bytes "aaa" match "aa" first across the boundary.
        assert_eq!(containing_entries(&["a", "aa"], "aa"), vec![1]);
        assert_eq!(containing_entries(&["xa", "bab"], "ab"), vec![1]);
        assert_eq!(containing_entries(&["ab", "", "ab", "b"], "ab"), vec![0, 2]);
        assert_eq!(containing_entries(&["", ""], "a"), Vec::<usize>::new());
        assert_eq!(
            containing_entries(&["上海交通大学", "交通", "大学城"], "大学"),
            vec![0, 2]
        );
    }

    #[test]
    fn every_entry_containing_the_needle_is_found() {
        let items = ["abcabc", "cab", "bca", "abc", "c", "aabcc", "zzz", "bcab"];
        for needle in ["a", "ab", "abc", "bca", "cab", "c", "cc", "zz", "abca"] {
            let expected: Vec<usize> = (0..items.len())
                .filter(|&i| items[i].contains(needle))
                .collect();
            assert_eq!(containing_entries(&items, needle), expected, "{needle}");
        }
    }
}
