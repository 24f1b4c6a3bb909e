//! Staging a write: records are collected in memory (appended, then sorted when needed);
//! past a memory budget they are written out as a sorted *run* (a temporary file under the store's `tmp/`),
//! so a write of any size needs bounded memory. At commit, the runs and the map are merged
//! into one sorted stream, the latest write of each record winning. Runs are never synced:
//! a crash discards them, and recovery deletes leftovers.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::page::put_varint;
use super::{Result, StoreError};

/// Memory a write may use for staged records before it spills a run.
pub const STAGING_BYTES: usize = 64 << 20;

/// Per-record bookkeeping counted against the budget, besides key and body.
const OVERHEAD: usize = 64;

/// Every how many records a run keeps a key in memory, for look-ups.
const INDEX_EVERY: usize = 128;

/// Unsorted records a look-up scans before it sorts the buffer.
const UNSORTED_SCAN: usize = 256;

/// A staged change: the record's new body, or `None` to delete it.
pub type Staged = Option<Vec<u8>>;

/// A sorted run on disk.
#[derive(Debug)]
struct Run {
    path: PathBuf,
    records: u64,
    /// Every [`INDEX_EVERY`]th key and its byte offset.
    index: Vec<(Vec<u8>, u64)>,
}

/// The records staged by one write.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    name: String,
    /// Staged records: a sorted, deduplicated prefix of `sorted` entries, then the ones
    /// appended since, in arrival order.
    buffer: Vec<(Vec<u8>, Staged)>,
    sorted: usize,
    bytes: usize,
    runs: Vec<Run>,
}

fn write_record(out: &mut impl Write, key: &[u8], value: &Staged) -> std::io::Result<u64> {
    let mut buf = Vec::with_capacity(key.len() + value.as_ref().map_or(0, Vec::len) + 12);
    put_varint(&mut buf, key.len() as u64);
    buf.extend_from_slice(key);
    match value {
        None => buf.push(0),
        Some(body) => {
            buf.push(1);
            put_varint(&mut buf, body.len() as u64);
            buf.extend_from_slice(body);
        }
    }
    out.write_all(&buf)?;
    Ok(buf.len() as u64)
}

fn read_varint(input: &mut impl Read) -> std::io::Result<Option<u64>> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let mut b = [0u8; 1];
        match input.read(&mut b)? {
            0 if shift == 0 => return Ok(None),
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            _ => {}
        }
        v |= u64::from(b[0] & 0x7f) << shift;
        if b[0] & 0x80 == 0 {
            return Ok(Some(v));
        }
    }
    Err(std::io::ErrorKind::InvalidData.into())
}

fn read_record(input: &mut impl Read) -> std::io::Result<Option<(Vec<u8>, Staged)>> {
    let Some(n) = read_varint(input)? else {
        return Ok(None);
    };
    let mut key = vec![0u8; n as usize];
    input.read_exact(&mut key)?;
    let mut tag = [0u8; 1];
    input.read_exact(&mut tag)?;
    let value = match tag[0] {
        0 => None,
        1 => {
            let n = read_varint(input)?.ok_or(std::io::ErrorKind::UnexpectedEof)?;
            let mut body = vec![0u8; n as usize];
            input.read_exact(&mut body)?;
            Some(body)
        }
        _ => return Err(std::io::ErrorKind::InvalidData.into()),
    };
    Ok(Some((key, value)))
}

impl Staging {
    /// Staging whose runs go to `dir`, named after `name`.
    pub fn new(dir: &Path, name: &str) -> Staging {
        Staging {
            dir: dir.to_path_buf(),
            name: name.to_string(),
            buffer: Vec::new(),
            sorted: 0,
            bytes: 0,
            runs: Vec::new(),
        }
    }

    /// Stages a change; a later change of the same record replaces it.
    pub fn put(&mut self, key: Vec<u8>, value: Staged) -> Result<()> {
        self.bytes += key.len() + value.as_ref().map_or(0, Vec::len) + OVERHEAD;
        self.buffer.push((key, value));
        if self.bytes >= STAGING_BYTES {
            self.spill()?;
        }
        Ok(())
    }

    /// Sorts the buffer by key, keeping only the latest change of each record.
    fn settle(&mut self) {
        if self.sorted == self.buffer.len() {
            return;
        }
        // Stable: of two changes of one record, the later stays later.
        self.buffer.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Vec<u8>, Staged)> = Vec::with_capacity(self.buffer.len());
        for item in self.buffer.drain(..) {
            match out.last_mut() {
                Some(last) if last.0 == item.0 => *last = item,
                _ => out.push(item),
            }
        }
        self.buffer = out;
        self.sorted = self.buffer.len();
    }

    /// Records staged (an upper bound when a record was staged more than once).
    pub fn len(&self) -> u64 {
        self.buffer.len() as u64 + self.runs.iter().map(|r| r.records).sum::<u64>()
    }

    /// Whether nothing is staged.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The staged change of `key`, if any (latest first: the buffer, then runs newest
    /// first).
    pub fn get(&mut self, key: &[u8]) -> Result<Option<Staged>> {
        if self.buffer.len() - self.sorted > UNSORTED_SCAN {
            self.settle();
        }
        if let Some((_, v)) = self.buffer[self.sorted..]
            .iter()
            .rev()
            .find(|(k, _)| k == key)
        {
            return Ok(Some(v.clone()));
        }
        if let Ok(i) = self.buffer[..self.sorted].binary_search_by(|(k, _)| k.as_slice().cmp(key)) {
            return Ok(Some(self.buffer[i].1.clone()));
        }
        for run in self.runs.iter().rev() {
            if let Some(v) = run.get(key)? {
                return Ok(Some(v));
            }
        }
        Ok(None)
    }

    fn spill(&mut self) -> Result<()> {
        crate::store::fail::failpoint!("stage.spill");
        std::fs::create_dir_all(&self.dir).map_err(|e| StoreError::file(&self.dir, e))?;
        let path = self
            .dir
            .join(format!("{}-run-{:04}", self.name, self.runs.len()));
        let io = |e: std::io::Error| StoreError::file(&path, e);
        let file = File::create(&path).map_err(io)?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let mut index = Vec::new();
        let mut offset = 0u64;
        self.settle();
        let buffer = std::mem::take(&mut self.buffer);
        self.sorted = 0;
        let records = buffer.len() as u64;
        for (i, (key, value)) in buffer.into_iter().enumerate() {
            if i % INDEX_EVERY == 0 {
                index.push((key.clone(), offset));
            }
            offset += write_record(&mut out, &key, &value).map_err(io)?;
        }
        out.flush().map_err(io)?;
        self.bytes = 0;
        self.runs.push(Run {
            path,
            records,
            index,
        });
        Ok(())
    }

    /// The staged changes, merged into one stream sorted by key, the latest of each record
    /// winning.
    pub fn drain(&mut self) -> Result<Merged> {
        self.settle();
        let buffer = std::mem::take(&mut self.buffer);
        self.sorted = 0;
        self.bytes = 0;
        let mut sources: Vec<Source> = Vec::with_capacity(self.runs.len() + 1);
        for run in &self.runs {
            let file = File::open(&run.path).map_err(|e| StoreError::file(&run.path, e))?;
            sources.push(Source::File {
                path: run.path.clone(),
                input: BufReader::with_capacity(1 << 20, file),
            });
        }
        sources.push(Source::Memory(buffer.into_iter()));
        let mut merged = Merged {
            sources,
            heap: BinaryHeap::new(),
        };
        for i in 0..merged.sources.len() {
            merged.refill(i)?;
        }
        Ok(merged)
    }

    /// Deletes the runs.
    pub fn clear(&mut self) {
        self.buffer.clear();
        self.sorted = 0;
        self.bytes = 0;
        for run in self.runs.drain(..) {
            let _ = std::fs::remove_file(&run.path);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        self.clear();
    }
}

impl Run {
    fn get(&self, key: &[u8]) -> Result<Option<Staged>> {
        let at = self.index.partition_point(|(k, _)| k.as_slice() <= key);
        if at == 0 {
            return Ok(None);
        }
        let io = |e: std::io::Error| StoreError::file(&self.path, e);
        let mut file = File::open(&self.path).map_err(io)?;
        file.seek(SeekFrom::Start(self.index[at - 1].1))
            .map_err(io)?;
        let mut input = BufReader::new(file);
        for _ in 0..INDEX_EVERY {
            match read_record(&mut input).map_err(io)? {
                None => break,
                Some((k, v)) if k.as_slice() == key => return Ok(Some(v)),
                Some((k, _)) if k.as_slice() > key => break,
                Some(_) => {}
            }
        }
        Ok(None)
    }
}

enum Source {
    File {
        path: PathBuf,
        input: BufReader<File>,
    },
    Memory(std::vec::IntoIter<(Vec<u8>, Staged)>),
}

/// A heap entry of [`Merged`]: (key, newest source first, value).
type HeapEntry = Reverse<(Vec<u8>, Reverse<usize>, ValueSlot)>;

/// The merged stream of staged changes (see [`Staging::drain`]).
pub struct Merged {
    sources: Vec<Source>,
    heap: BinaryHeap<HeapEntry>,
}

/// A staged value, ordered as equal so the heap orders by key and source only.
#[derive(Debug)]
struct ValueSlot(Staged);

impl PartialEq for ValueSlot {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for ValueSlot {}
impl PartialOrd for ValueSlot {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for ValueSlot {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

impl Merged {
    fn refill(&mut self, i: usize) -> Result<()> {
        let next = match &mut self.sources[i] {
            Source::Memory(it) => it.next(),
            Source::File { path, input } => {
                read_record(input).map_err(|e| StoreError::file(path, e))?
            }
        };
        if let Some((key, value)) = next {
            self.heap.push(Reverse((key, Reverse(i), ValueSlot(value))));
        }
        Ok(())
    }
}

impl Iterator for Merged {
    type Item = Result<(Vec<u8>, Staged)>;

    fn next(&mut self) -> Option<Self::Item> {
        let Reverse((key, Reverse(source), ValueSlot(value))) = self.heap.pop()?;
        if let Err(e) = self.refill(source) {
            return Some(Err(e));
        }
        // Older writes of the same record (from older sources) are dropped.
        while let Some(Reverse((k, _, _))) = self.heap.peek() {
            if *k != key {
                break;
            }
            let Some(Reverse((_, Reverse(older), _))) = self.heap.pop() else {
                break;
            };
            if let Err(e) = self.refill(older) {
                return Some(Err(e));
            }
        }
        Some(Ok((key, value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilled_runs_merge_with_the_latest_write_winning() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Staging::new(dir.path(), "g1");
        s.put(b"a".to_vec(), Some(b"1".to_vec())).unwrap();
        s.put(b"c".to_vec(), Some(b"1".to_vec())).unwrap();
        s.spill().unwrap();
        s.put(b"b".to_vec(), Some(b"2".to_vec())).unwrap();
        s.put(b"c".to_vec(), None).unwrap();
        s.spill().unwrap();
        s.put(b"a".to_vec(), Some(b"3".to_vec())).unwrap();
        s.put(b"d".to_vec(), Some(b"3".to_vec())).unwrap();
        assert_eq!(s.len(), 6);
        assert_eq!(s.get(b"c").unwrap(), Some(None));
        assert_eq!(s.get(b"b").unwrap(), Some(Some(b"2".to_vec())));
        assert_eq!(s.get(b"zz").unwrap(), None);
        let all: Vec<(Vec<u8>, Staged)> = s.drain().unwrap().map(|r| r.unwrap()).collect();
        assert_eq!(
            all,
            vec![
                (b"a".to_vec(), Some(b"3".to_vec())),
                (b"b".to_vec(), Some(b"2".to_vec())),
                (b"c".to_vec(), None),
                (b"d".to_vec(), Some(b"3".to_vec())),
            ]
        );
        s.clear();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn run_lookups_find_every_key() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Staging::new(dir.path(), "g2");
        for i in 0..1000u32 {
            s.put(
                format!("k{i:05}").into_bytes(),
                Some(i.to_le_bytes().to_vec()),
            )
            .unwrap();
        }
        s.spill().unwrap();
        for i in (0..1000u32).step_by(37) {
            assert_eq!(
                s.get(format!("k{i:05}").as_bytes()).unwrap(),
                Some(Some(i.to_le_bytes().to_vec()))
            );
        }
        assert_eq!(s.get(b"k").unwrap(), None);
        assert_eq!(s.get(b"k99999").unwrap(), None);
    }
}
