//! The `pages` tree: record pages under versioned keys, `lo ‖ 0 ‖ generation` (big-endian),
//! where `lo` is the lowest key the page may hold. At a generation, the visible pages of a
//! kind partition its key space: a page covers the keys from its `lo` to the next visible
//! page's. Every kind has a root page whose `lo` is the kind byte alone, written at
//! generation 0 and never removed, so every key has a covering page.
//!
//! A write adds new versions of the pages it changes under its own generation; readers of
//! an older generation keep seeing the old versions until pruning removes them.

use std::ops::Bound;

use super::page::{self, Entry};
use super::Result;
use super::StoreError;

/// The versioned key of page `lo` at `generation`.
pub fn page_key(lo: &[u8], generation: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(lo.len() + 9);
    k.extend_from_slice(lo);
    k.push(0);
    k.extend_from_slice(&generation.to_be_bytes());
    k
}

/// Splits a versioned page key into its `lo` and generation.
pub fn split_page_key(key: &[u8]) -> Option<(&[u8], u64)> {
    if key.len() < 10 || key[key.len() - 9] != 0 {
        return None;
    }
    let (lo, rest) = key.split_at(key.len() - 9);
    Some((lo, u64::from_be_bytes(rest[1..].try_into().ok()?)))
}

/// Whether `lo` is a kind's root page.
pub fn is_root(lo: &[u8]) -> bool {
    lo.len() == 1
}

/// A visible page: its `lo` and encoded bytes.
pub type VisiblePage = (Vec<u8>, sled::IVec);

/// Access to the pages tree at a generation.
#[derive(Clone)]
pub struct Pages {
    tree: sled::Tree,
}

impl Pages {
    /// Wraps the tree.
    pub fn new(tree: sled::Tree) -> Pages {
        Pages { tree }
    }

    /// The tree.
    pub fn tree(&self) -> &sled::Tree {
        &self.tree
    }

    /// The visible page covering `key` at `generation`.
    pub fn covering(&self, key: &[u8], generation: u64) -> Result<VisiblePage> {
        let kind = *key
            .first()
            .ok_or_else(|| StoreError::Corrupt("empty record key".into()))?;
        let mut rejected: Option<Vec<u8>> = None;
        for item in self.tree.range(..=page_key(key, u64::MAX)).rev() {
            let (k, v) = item?;
            let (lo, g) = split_page_key(&k)
                .ok_or_else(|| StoreError::Corrupt("malformed page key".into()))?;
            if lo.first() != Some(&kind) {
                break;
            }
            if g > generation || rejected.as_deref() == Some(lo) {
                continue;
            }
            if page::is_tombstone(&v) {
                rejected = Some(lo.to_vec());
                continue;
            }
            return Ok((lo.to_vec(), v));
        }
        Err(StoreError::Corrupt(format!(
            "no page covers kind `{}` (the root page is missing)",
            kind as char
        )))
    }

    /// The `lo` of the first visible page after page `lo` (same kind) at `generation`.
    pub fn next_lo(&self, lo: &[u8], generation: u64) -> Result<Option<Vec<u8>>> {
        let kind = lo[0];
        let mut candidate: Option<(Vec<u8>, bool)> = None;
        let start = Bound::Excluded(page_key(lo, u64::MAX));
        for item in self.tree.range((start, Bound::Unbounded)) {
            let (k, v) = item?;
            let (l, g) = split_page_key(&k)
                .ok_or_else(|| StoreError::Corrupt("malformed page key".into()))?;
            if l.first() != Some(&kind) {
                break;
            }
            if let Some((cl, live)) = &candidate {
                if cl.as_slice() != l {
                    if *live {
                        return Ok(Some(cl.clone()));
                    }
                    candidate = None;
                }
            }
            if g <= generation {
                candidate = Some((l.to_vec(), !page::is_tombstone(&v)));
            }
        }
        Ok(candidate.filter(|(_, live)| *live).map(|(l, _)| l))
    }

    /// The body of the record `key` at `generation`.
    pub fn get(&self, key: &[u8], generation: u64) -> Result<Option<Vec<u8>>> {
        let (_, bytes) = self.covering(key, generation)?;
        page::find(&bytes, key)
    }

    /// The visible pages of one kind (a key prefix byte), in key order.
    pub fn visible(
        &self,
        kind: u8,
        generation: u64,
    ) -> impl Iterator<Item = Result<VisiblePage>> + '_ {
        self.visible_from(kind, &[kind], generation)
    }

    /// The visible pages of one kind whose range may hold keys from `from` on.
    pub fn visible_from(
        &self,
        kind: u8,
        from: &[u8],
        generation: u64,
    ) -> impl Iterator<Item = Result<VisiblePage>> + '_ {
        let start = match self.covering(from, generation) {
            Ok((lo, _)) => page_key(&lo, 0),
            Err(_) => page_key(&[kind], 0),
        };
        VisiblePages {
            inner: self.tree.range(start..),
            kind,
            generation,
            held: None,
            done: false,
        }
    }
}

/// Iterates a kind's page versions, yielding the visible version of each page.
struct VisiblePages {
    inner: sled::Iter,
    kind: u8,
    generation: u64,
    held: Option<(Vec<u8>, sled::IVec)>,
    done: bool,
}

impl Iterator for VisiblePages {
    type Item = Result<VisiblePage>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return self.held.take().map(Ok);
            }
            match self.inner.next() {
                None => self.done = true,
                Some(Err(e)) => return Some(Err(e.into())),
                Some(Ok((k, v))) => {
                    let Some((lo, g)) = split_page_key(&k) else {
                        return Some(Err(StoreError::Corrupt("malformed page key".into())));
                    };
                    if lo.first() != Some(&self.kind) {
                        self.done = true;
                        continue;
                    }
                    if g > self.generation {
                        continue;
                    }
                    let emit = match &self.held {
                        Some((hl, _)) if hl.as_slice() != lo => self.held.take(),
                        _ => None,
                    };
                    self.held = if page::is_tombstone(&v) {
                        None
                    } else {
                        Some((lo.to_vec(), v))
                    };
                    if let Some(page) = emit {
                        return Some(Ok(page));
                    }
                }
            }
        }
    }
}

/// The records of the visible pages of a kind, in key order.
pub fn entries(
    pages: impl Iterator<Item = Result<VisiblePage>>,
) -> impl Iterator<Item = Result<Entry>> {
    pages.flat_map(|p| {
        let decoded = p.and_then(|(_, bytes)| page::decode(&bytes));
        match decoded {
            Ok(entries) => entries.into_iter().map(Ok).collect::<Vec<_>>(),
            Err(e) => vec![Err(e)],
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(k: &str) -> Entry {
        Entry {
            key: k.as_bytes().to_vec(),
            body: b"b".to_vec(),
        }
    }

    #[test]
    fn covering_pages_follow_generations_and_tombstones() {
        let db = sled::Config::new().temporary(true).open().unwrap();
        let pages = Pages::new(db.open_tree("pages").unwrap());
        let t = pages.tree();
        t.insert(page_key(b"N", 0), page::encode(&[])).unwrap();
        // Generation 1 splits the root at "Nm".
        t.insert(page_key(b"N", 1), page::encode(&[entry("Na")]))
            .unwrap();
        t.insert(page_key(b"Nm", 1), page::encode(&[entry("Nz")]))
            .unwrap();
        // Generation 2 removes the "Nm" page again.
        t.insert(page_key(b"Nm", 2), vec![page::TOMBSTONE_TAG])
            .unwrap();
        t.insert(page_key(b"N", 2), page::encode(&[entry("Na"), entry("Nz")]))
            .unwrap();
        assert_eq!(pages.covering(b"Nz", 0).unwrap().0, b"N");
        assert_eq!(pages.covering(b"Nz", 1).unwrap().0, b"Nm");
        assert_eq!(pages.covering(b"Nz", 2).unwrap().0, b"N");
        assert_eq!(pages.covering(b"Na", 1).unwrap().0, b"N");
        assert_eq!(pages.next_lo(b"N", 1).unwrap(), Some(b"Nm".to_vec()));
        assert_eq!(pages.next_lo(b"N", 2).unwrap(), None);
        assert_eq!(pages.get(b"Nz", 0).unwrap(), None);
        assert!(pages.get(b"Nz", 1).unwrap().is_some());
        assert!(pages.get(b"Nz", 2).unwrap().is_some());
        let los = |g| -> Vec<Vec<u8>> { pages.visible(b'N', g).map(|p| p.unwrap().0).collect() };
        assert_eq!(los(0), vec![b"N".to_vec()]);
        assert_eq!(los(1), vec![b"N".to_vec(), b"Nm".to_vec()]);
        assert_eq!(los(2), vec![b"N".to_vec()]);
        let keys: Vec<Vec<u8>> = entries(pages.visible(b'N', 1))
            .map(|e| e.unwrap().key)
            .collect();
        assert_eq!(keys, vec![b"Na".to_vec(), b"Nz".to_vec()]);
        assert!(matches!(
            pages.covering(b"E1", 2),
            Err(StoreError::Corrupt(_))
        ));
    }

    #[test]
    fn page_keys_round_trip_and_sort() {
        let k = page_key(b"Eab\0c\0x\0", 5);
        assert_eq!(split_page_key(&k), Some((&b"Eab\0c\0x\0"[..], 5)));
        assert!(page_key(b"Na", 9) < page_key(b"Nab", 0));
        assert!(page_key(b"N", 9) < page_key(b"Na", 0));
        assert!(page_key(b"Na", 1) < page_key(b"Na", 2));
    }
}
