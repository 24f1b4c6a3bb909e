//! The name index search reads: every node's id, name and English name normalised the way
//! search compares them ([`normalise_for_search`]), kept as three string pools in the
//! snapshot base file beside the names themselves.
//!
//! A search reads these columns, the ids and the kinds, and scans each column's bytes for
//! the needle (one `memmem` pass per column) instead of normalising every name in the
//! store. Nodes changed since the base are read from the delta and normalised then (a
//! write changes few), so every write keeps the index current at the cost of its own
//! change; a new base (when the delta has grown, and after `compact` or a migration) gets
//! the columns rebuilt from its snapshot. A base file written before the index existed
//! has no such columns: its names are normalised when read, as search always did, and
//! `check` verifies the columns wherever they exist.

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
            let mut out = StringPool::with_capacity(pool.len(), pool.bytes.len());
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
        if !base.has_section(&format!("{}.offsets", COLUMNS[0])) {
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

/// A set of nodes with their ids, kinds and normalised names.
#[derive(Debug)]
struct Part {
    ids: StringPool,
    kinds: Vec<u16>,
    normalised: NormalisedNames,
    /// Entries superseded by the delta (changed or deleted since the base).
    hidden: Vec<bool>,
}

/// One node whose normalised id, name or English name contains the searched text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameMatch<'a> {
    /// The node's id.
    pub id: &'a str,
    /// The node's kind.
    pub kind: &'a str,
    /// The normalised id.
    pub normalised_id: &'a str,
    /// The normalised name.
    pub normalised_name: &'a str,
    /// The normalised English name (empty when it has none).
    pub normalised_name_en: &'a str,
}

/// The name index of one published generation: the base's columns plus the nodes the
/// delta changed.
#[derive(Debug)]
pub struct NameIndex {
    generation: u64,
    kind_names: Vec<String>,
    base: Part,
    delta: Part,
}

impl NameIndex {
    /// The index of generation `generation`, from its base file and the delta since.
    pub(super) fn read(generation: u64, base: &BaseFile, delta: &Delta) -> Result<NameIndex> {
        let ids = base.read_pool("ids", false)?;
        let normalised = match NormalisedNames::read(base, false)? {
            Some(n) => n,
            None => NormalisedNames::from_pools(
                &ids,
                &base.read_pool("names", false)?,
                &base.read_pool("names_en", false)?,
            )?,
        };
        if normalised.pools().iter().any(|p| p.len() != ids.len()) {
            return Err(StoreError::Corrupt(
                "snapshot: the name index does not have one entry per node".into(),
            ));
        }
        let n = base.header().nodes;
        let kinds = base.read_u16s("node_kinds", 0, n)?;
        let mut kind_names = base.header().node_kinds.clone();
        let mut hidden = vec![false; ids.len()];
        let mut changed = Part {
            ids: StringPool::new(),
            kinds: Vec::new(),
            normalised: NormalisedNames {
                ids: StringPool::new(),
                names: StringPool::new(),
                names_en: StringPool::new(),
            },
            hidden: Vec::new(),
        };
        for (key, body) in delta.with_prefix(&[NODE]) {
            let Some(id) = record::decode_node_key(key) else {
                continue;
            };
            if let Some(v) = ids.find(id) {
                hidden[v as usize] = true;
            }
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
            changed.ids.push(id)?;
            changed.kinds.push(code as u16);
            let n = &mut changed.normalised;
            n.ids.push(&normalise_for_search(id))?;
            n.names.push(&normalise_for_search(&node.name))?;
            n.names_en
                .push(&normalise_for_search(node.name_en.as_deref().unwrap_or("")))?;
        }
        changed.hidden = vec![false; changed.ids.len()];
        Ok(NameIndex {
            generation,
            kind_names,
            base: Part {
                ids,
                kinds,
                normalised,
                hidden,
            },
            delta: changed,
        })
    }

    /// The generation it indexes.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Every node whose normalised id, name or English name contains `needle` (already
    /// normalised, not empty), in no particular order.
    pub fn matches(&self, needle: &str) -> Vec<NameMatch<'_>> {
        let finder = Finder::new(needle.as_bytes());
        let mut out = Vec::new();
        for part in [&self.base, &self.delta] {
            let mut hit = vec![false; part.ids.len()];
            for pool in part.normalised.pools() {
                containing(pool, &finder, &mut hit);
            }
            for v in (0..hit.len()).filter(|&v| hit[v] && !part.hidden[v]) {
                let n = &part.normalised;
                out.push(NameMatch {
                    id: part.ids.get(v),
                    kind: self
                        .kind_names
                        .get(part.kinds[v] as usize)
                        .map_or("", String::as_str),
                    normalised_id: n.ids.get(v),
                    normalised_name: n.names.get(v),
                    normalised_name_en: n.names_en.get(v),
                });
            }
        }
        out
    }
}

/// Marks the entries of `pool` that contain the finder's needle. One pass over the pool's
/// bytes: a match that runs across the end of an entry is not one, and the search goes
/// on from the next entry's start (so it cannot hide a match inside that entry).
fn containing(pool: &StringPool, finder: &Finder<'_>, hit: &mut [bool]) {
    let needle_len = finder.needle().len();
    let bytes = &pool.bytes;
    let offsets = &pool.offsets;
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
        let p = pool(items);
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
