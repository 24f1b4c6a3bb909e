//! What each generation wrote, kept beside the pages:
//!
//! - the `log` tree, key `generation ‖ chunk` (big-endian): the `lo` of every page the
//!   generation wrote. A chunk is written before the pages it lists, so after a crash every
//!   page version of an unpublished generation can be found and removed, and after a
//!   publication pruning knows which pages have older versions to drop.
//! - the `changes` tree, key `generation ‖ chunk`: the records the generation changed
//!   (see [`super::delta`]), for generations that did not write a snapshot base.

use super::delta::{self, Change, CHUNK_BYTES};
use super::page::{get_varint, put_varint};
use super::pages::page_key;
use super::{Result, StoreError};

/// Pages written in one batch (each batch is preceded by its log chunk).
const BATCH_PAGES: usize = 256;

/// The log key of chunk `chunk` of `generation`.
pub fn log_key(generation: u64, chunk: u64) -> Vec<u8> {
    let mut k = generation.to_be_bytes().to_vec();
    k.extend_from_slice(&chunk.to_be_bytes());
    k
}

/// The key of change chunk `chunk` of `generation`.
pub fn change_key(generation: u64, chunk: u32) -> Vec<u8> {
    let mut k = generation.to_be_bytes().to_vec();
    k.extend_from_slice(&chunk.to_be_bytes());
    k
}

/// The generation of a log or change key.
pub fn generation_of(key: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(key.get(..8)?.try_into().ok()?))
}

/// Writes a generation's pages in batches, each after the log chunk listing it.
pub struct PageLog<'t> {
    pages: &'t sled::Tree,
    log: &'t sled::Tree,
    generation: u64,
    chunk: u64,
    batch: Vec<(Vec<u8>, Vec<u8>)>,
    batch_bytes: usize,
    /// Page versions written so far.
    pub written: u64,
}

impl<'t> PageLog<'t> {
    /// A page writer for `generation`.
    pub fn new(pages: &'t sled::Tree, log: &'t sled::Tree, generation: u64) -> PageLog<'t> {
        PageLog {
            pages,
            log,
            generation,
            chunk: 0,
            batch: Vec::new(),
            batch_bytes: 0,
            written: 0,
        }
    }

    /// Queues page `lo` with `bytes` for writing under `generation`.
    pub fn write(&mut self, lo: &[u8], generation: u64, bytes: Vec<u8>) -> Result<()> {
        debug_assert_eq!(generation, self.generation);
        self.batch_bytes += bytes.len() + lo.len();
        self.batch.push((lo.to_vec(), bytes));
        if self.batch.len() >= BATCH_PAGES || self.batch_bytes >= 1 << 20 {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the queued pages (after their log chunk).
    pub fn flush(&mut self) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let mut chunk = Vec::new();
        for (lo, _) in &self.batch {
            put_varint(&mut chunk, lo.len() as u64);
            chunk.extend_from_slice(lo);
        }
        crate::store::fail::failpoint!("commit.log");
        self.log
            .insert(log_key(self.generation, self.chunk), chunk)?;
        self.chunk += 1;
        crate::store::fail::failpoint!("commit.pages");
        for (lo, bytes) in self.batch.drain(..) {
            self.pages.insert(page_key(&lo, self.generation), bytes)?;
            self.written += 1;
        }
        self.batch_bytes = 0;
        Ok(())
    }
}

/// The `lo`s a log chunk lists.
pub fn read_log_chunk(chunk: &[u8]) -> Result<Vec<Vec<u8>>> {
    let bad = || StoreError::Corrupt("a change-log chunk does not decode".into());
    let mut rest = chunk;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let n = get_varint(&mut rest).ok_or_else(bad)? as usize;
        out.push(rest.get(..n).ok_or_else(bad)?.to_vec());
        rest = &rest[n..];
    }
    Ok(out)
}

/// Every page `lo` a generation wrote, with the log keys listing them.
pub fn pages_of(log: &sled::Tree, generation: u64) -> Result<(Vec<Vec<u8>>, Vec<sled::IVec>)> {
    let mut los = Vec::new();
    let mut keys = Vec::new();
    for item in log.scan_prefix(generation.to_be_bytes()) {
        let (k, v) = item?;
        los.extend(read_log_chunk(&v)?);
        keys.push(k);
    }
    Ok((los, keys))
}

/// Writes a generation's changed records to the `changes` tree, in chunks.
pub struct ChangeLog<'t> {
    tree: &'t sled::Tree,
    generation: u64,
    chunk: u32,
    buf: Vec<u8>,
    /// Changes written so far.
    pub count: u64,
}

impl<'t> ChangeLog<'t> {
    /// A change writer for `generation`.
    pub fn new(tree: &'t sled::Tree, generation: u64) -> ChangeLog<'t> {
        ChangeLog {
            tree,
            generation,
            chunk: 0,
            buf: Vec::new(),
            count: 0,
        }
    }

    /// Records a change.
    pub fn push(&mut self, key: &[u8], body: Option<&[u8]>) -> Result<()> {
        delta::push_change(&mut self.buf, key, body);
        self.count += 1;
        if self.buf.len() >= CHUNK_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes what is buffered.
    pub fn flush(&mut self) -> Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        crate::store::fail::failpoint!("commit.changes");
        self.tree.insert(
            change_key(self.generation, self.chunk),
            std::mem::take(&mut self.buf),
        )?;
        self.chunk += 1;
        Ok(())
    }
}

/// The changes of the generations in `(after, upto]`, in generation then chunk order.
pub fn changes_between(tree: &sled::Tree, after: u64, upto: u64) -> Result<Vec<Change>> {
    let mut out = Vec::new();
    if upto <= after {
        return Ok(out);
    }
    for item in tree.range(change_key(after + 1, 0)..change_key(upto + 1, 0)) {
        let (_, v) = item?;
        out.extend(delta::read_chunk(&v)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_chunks_round_trip_and_keys_sort() {
        let mut chunk = Vec::new();
        for lo in [&b"N"[..], b"Nabc", b""] {
            put_varint(&mut chunk, lo.len() as u64);
            chunk.extend_from_slice(lo);
        }
        assert_eq!(
            read_log_chunk(&chunk).unwrap(),
            vec![b"N".to_vec(), b"Nabc".to_vec(), Vec::new()]
        );
        assert!(read_log_chunk(&chunk[..3]).is_err());
        assert!(log_key(3, 1) > log_key(3, 0) && log_key(4, 0) > log_key(3, 9));
        assert_eq!(generation_of(&change_key(77, 3)), Some(77));
    }
}
