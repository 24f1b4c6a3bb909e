//! Applying a sorted stream of record changes to the pages of the published generation,
//! writing the changed pages as new versions under the write's generation.
//!
//! The cursor keeps one page open: the visible page covering the current key. Changes
//! falling in its range are applied in memory; when the stream leaves the range the page
//! is written back (split in pieces of about [`PAGE_TARGET_BYTES`] if it grew past
//! [`PAGE_MAX_BYTES`], or removed with a tombstone if it emptied). Records a bulk write
//! appends behind the last change are final, so full pages are written as soon as they
//! fill: a write of any size holds about two pages in memory.

use super::log::PageLog;
use super::page::{self, Entry, PAGE_MAX_BYTES, PAGE_TARGET_BYTES};
use super::pages::{is_root, Pages};
use super::Result;

struct OpenPage {
    /// The page's own `lo` (written first, or removed).
    lo: Vec<u8>,
    /// Where the next piece written starts (`None`: at its first entry).
    next_piece_lo: Option<Vec<u8>>,
    /// Whether a piece under `lo` has been written.
    wrote_lo: bool,
    /// Exclusive upper bound of the page's range.
    end: Option<Vec<u8>>,
    entries: Vec<Entry>,
    bytes: usize,
    modified: bool,
}

/// The page cursor of one write.
pub struct Cursor<'p> {
    pages: &'p Pages,
    published: u64,
    generation: u64,
    open: Option<OpenPage>,
}

impl<'p> Cursor<'p> {
    /// A cursor reading pages at `published` and writing them at `generation`.
    pub fn new(pages: &'p Pages, published: u64, generation: u64) -> Cursor<'p> {
        Cursor {
            pages,
            published,
            generation,
            open: None,
        }
    }

    fn covers(&self, key: &[u8]) -> bool {
        match &self.open {
            None => false,
            Some(p) => p.lo[0] == key[0] && p.end.as_deref().is_none_or(|end| key < end),
        }
    }

    fn seek(&mut self, key: &[u8], log: &mut PageLog<'_>) -> Result<&mut OpenPage> {
        if !self.covers(key) {
            self.close(log)?;
            let (lo, bytes) = self.pages.covering(key, self.published)?;
            let end = self.pages.next_lo(&lo, self.published)?;
            let entries = page::decode(&bytes)?;
            let bytes = entries
                .iter()
                .map(|e| page::entry_cost(&e.key, &e.body))
                .sum();
            self.open = Some(OpenPage {
                next_piece_lo: Some(lo.clone()),
                lo,
                wrote_lo: false,
                end,
                entries,
                bytes,
                modified: false,
            });
        }
        Ok(self.open.as_mut().expect("a page is open"))
    }

    /// The current body of record `key` (as published, with this write's earlier changes).
    pub fn get(&mut self, key: &[u8], log: &mut PageLog<'_>) -> Result<Option<&[u8]>> {
        let p = self.seek(key, log)?;
        Ok(p.entries
            .binary_search_by(|e| e.key.as_slice().cmp(key))
            .ok()
            .map(|i| p.entries[i].body.as_slice()))
    }

    /// Sets (or, with `None`, removes) record `key`. Keys must come in ascending order.
    pub fn set(&mut self, key: &[u8], body: Option<Vec<u8>>, log: &mut PageLog<'_>) -> Result<()> {
        let p = self.seek(key, log)?;
        match (
            p.entries.binary_search_by(|e| e.key.as_slice().cmp(key)),
            body,
        ) {
            (Ok(i), Some(body)) => {
                p.bytes = p.bytes + body.len() - p.entries[i].body.len();
                p.entries[i].body = body;
            }
            (Ok(i), None) => {
                let e = p.entries.remove(i);
                p.bytes -= page::entry_cost(&e.key, &e.body);
            }
            (Err(i), Some(body)) => {
                p.bytes += page::entry_cost(key, &body);
                p.entries.insert(
                    i,
                    Entry {
                        key: key.to_vec(),
                        body,
                    },
                );
            }
            (Err(_), None) => return Ok(()),
        }
        p.modified = true;
        if p.bytes >= 3 * PAGE_TARGET_BYTES {
            self.write_final_pieces(key, log)?;
        }
        Ok(())
    }

    /// Writes full pieces from the front of the open page, of entries no later change
    /// can touch (keys up to `last`).
    fn write_final_pieces(&mut self, last: &[u8], log: &mut PageLog<'_>) -> Result<()> {
        let generation = self.generation;
        let Some(p) = self.open.as_mut() else {
            return Ok(());
        };
        loop {
            let mut size = 0;
            let mut n = 0;
            while n < p.entries.len()
                && size < PAGE_TARGET_BYTES
                && p.entries[n].key.as_slice() <= last
            {
                size += page::entry_cost(&p.entries[n].key, &p.entries[n].body);
                n += 1;
            }
            if size < PAGE_TARGET_BYTES || n == p.entries.len() {
                return Ok(());
            }
            let piece: Vec<Entry> = p.entries.drain(..n).collect();
            p.bytes -= size;
            let lo = p
                .next_piece_lo
                .take()
                .unwrap_or_else(|| piece[0].key.clone());
            p.wrote_lo |= lo == p.lo;
            log.write(&lo, generation, page::encode(&piece))?;
            p.next_piece_lo = Some(p.entries[0].key.clone());
        }
    }

    /// Writes the open page back if it changed.
    fn close(&mut self, log: &mut PageLog<'_>) -> Result<()> {
        let Some(mut p) = self.open.take() else {
            return Ok(());
        };
        if !p.modified {
            return Ok(());
        }
        let generation = self.generation;
        let mut pieces: Vec<Vec<Entry>> = Vec::new();
        if p.bytes > PAGE_MAX_BYTES {
            let mut piece = Vec::new();
            let mut size = 0;
            for e in p.entries.drain(..) {
                let cost = page::entry_cost(&e.key, &e.body);
                if size + cost > PAGE_TARGET_BYTES && !piece.is_empty() {
                    pieces.push(std::mem::take(&mut piece));
                    size = 0;
                }
                size += cost;
                piece.push(e);
            }
            pieces.push(piece);
        } else if !p.entries.is_empty() {
            pieces.push(std::mem::take(&mut p.entries));
        }
        for piece in pieces {
            let lo = p
                .next_piece_lo
                .take()
                .unwrap_or_else(|| piece[0].key.clone());
            p.wrote_lo |= lo == p.lo;
            log.write(&lo, generation, page::encode(&piece))?;
        }
        if !p.wrote_lo {
            // The page emptied: the root stays as an empty page, any other is removed and
            // its range falls to the page before it.
            let bytes = if is_root(&p.lo) {
                page::encode(&[])
            } else {
                vec![page::TOMBSTONE_TAG]
            };
            log.write(&p.lo, generation, bytes)?;
        }
        Ok(())
    }

    /// Writes the last open page back.
    pub fn finish(mut self, log: &mut PageLog<'_>) -> Result<()> {
        self.close(log)
    }
}
