//! Manifests, the generation marker, and the marker file whose one write publishes a
//! generation.
//!
//! The marker file holds two fixed-size slots. Each publication writes the marker, with a
//! sequence number one higher than the last and a checksum, into the slot not holding the
//! latest one, then fsyncs. A crash mid-write leaves a slot whose checksum fails, and the
//! other slot (the previous marker) is read instead, so a publication is all or nothing.
//! The slots are written in full when the file is created, so rewriting one never needs
//! new disk blocks: a full disk cannot make a publication fail halfway.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::codec::{self, hash_bytes};
use super::{Result, StoreError};

/// What a published generation holds: record counts, a checksum over its visible records,
/// and which snapshot base it reads. `innograph check` recomputes all of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The generation number.
    pub generation: u64,
    /// Visible nodes.
    pub nodes: u64,
    /// Visible edges.
    pub edges: u64,
    /// Visible nodes per kind.
    pub node_kinds: BTreeMap<String, u64>,
    /// Visible edges per kind.
    pub edge_kinds: BTreeMap<String, u64>,
    /// Wrapping sum of the digests of the visible records (see `record::digest`).
    pub checksum: u64,
    /// The generation whose snapshot base file this generation's snapshot starts from.
    pub base: u64,
    /// Checksum of that base file.
    pub snapshot_checksum: u64,
    /// Change entries recorded since the base (what loading the snapshot replays).
    pub delta_records: u64,
    /// What produced the generation (e.g. `import a.csv b.csv`).
    pub note: String,
    /// When it was published, seconds since the Unix epoch.
    pub unix_time: u64,
}

/// Longest note kept in a manifest, in bytes.
const MAX_NOTE: usize = 1024;

impl Manifest {
    /// The manifest of an empty database whose base file has this checksum.
    pub fn empty(snapshot_checksum: u64) -> Manifest {
        Manifest {
            generation: 0,
            nodes: 0,
            edges: 0,
            node_kinds: BTreeMap::new(),
            edge_kinds: BTreeMap::new(),
            checksum: 0,
            base: 0,
            snapshot_checksum,
            delta_records: 0,
            note: "init".into(),
            unix_time: now(),
        }
    }
}

/// Shortens a note to what a manifest keeps.
pub fn clip_note(note: &str) -> String {
    if note.len() <= MAX_NOTE {
        return note.to_string();
    }
    let mut end = MAX_NOTE;
    while !note.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &note[..end])
}

/// The generation marker: which generation is published, and the one before it, kept
/// until the next publication so that the last write can be undone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    /// The published generation.
    pub current: Manifest,
    /// The generation before it, while it can still be restored.
    pub previous: Option<Manifest>,
    /// The number the next write will use (a generation number is used once: a failed,
    /// empty or undone write does not give its number back, and only a publication moves
    /// it on).
    pub next_generation: u64,
    /// Whether history only the generations before `previous` needed has been removed
    /// since `current` was published.
    pub pruned: bool,
}

impl Marker {
    /// The generations whose snapshot base files must be kept.
    pub fn needed_bases(&self) -> Vec<u64> {
        let mut bases = vec![self.current.base];
        if let Some(p) = &self.previous {
            bases.push(p.base);
        }
        bases
    }

    /// The oldest generation a loadable snapshot starts from.
    pub fn oldest_base(&self) -> u64 {
        self.needed_bases().into_iter().min().unwrap_or(0)
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

const MAGIC: &[u8; 8] = b"INNOMRK2";
/// Size of one marker slot.
const SLOT: u64 = 16 << 10;
/// Bytes of a slot before the payload: magic, sequence number, payload length.
const SLOT_HEAD: usize = 8 + 8 + 4;

/// The marker file, open for publishing.
#[derive(Debug)]
pub struct MarkerFile {
    path: PathBuf,
    file: File,
    sequence: u64,
}

fn encode_slot(sequence: u64, marker: &Marker) -> Result<Vec<u8>> {
    let payload = codec::encode(marker)?;
    if (SLOT_HEAD + payload.len() + 8) as u64 > SLOT {
        return Err(StoreError::Limit(format!(
            "the generation marker needs {} bytes, more than its slot's {SLOT}",
            payload.len()
        )));
    }
    let mut slot = Vec::with_capacity(SLOT as usize);
    slot.extend_from_slice(MAGIC);
    slot.extend_from_slice(&sequence.to_le_bytes());
    slot.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    slot.extend_from_slice(&payload);
    let hash = hash_bytes(&slot[8..]);
    slot.extend_from_slice(&hash.to_le_bytes());
    slot.resize(SLOT as usize, 0);
    Ok(slot)
}

fn decode_slot(slot: &[u8]) -> Option<(u64, Marker)> {
    if slot.get(..8)? != MAGIC {
        return None;
    }
    let sequence = u64::from_le_bytes(slot.get(8..16)?.try_into().ok()?);
    let len = u32::from_le_bytes(slot.get(16..20)?.try_into().ok()?) as usize;
    let end = SLOT_HEAD.checked_add(len)?;
    let hash = u64::from_le_bytes(slot.get(end..end + 8)?.try_into().ok()?);
    if hash_bytes(&slot[8..end]) != hash {
        return None;
    }
    let marker = codec::decode(&slot[SLOT_HEAD..end], "generation marker").ok()?;
    Some((sequence, marker))
}

impl MarkerFile {
    /// Creates the marker file holding `marker` (both slots written in full, fsynced).
    pub fn create(path: &Path, marker: &Marker) -> Result<MarkerFile> {
        let io = |e: std::io::Error| StoreError::file(path, e);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .map_err(io)?;
        // Sequence number `s` lives in slot `s % 2`: the first marker in slot 1.
        let mut bytes = vec![0u8; SLOT as usize];
        bytes.extend_from_slice(&encode_slot(1, marker)?);
        file.write_all_at(&bytes, 0).map_err(io)?;
        file.sync_all().map_err(io)?;
        Ok(MarkerFile {
            path: path.to_path_buf(),
            file,
            sequence: 1,
        })
    }

    /// Opens the marker file and reads the latest valid marker.
    pub fn open(path: &Path) -> Result<(MarkerFile, Marker)> {
        let io = |e: std::io::Error| StoreError::file(path, e);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(io)?;
        let (sequence, marker) = Self::read_from(&file, path)?;
        Ok((
            MarkerFile {
                path: path.to_path_buf(),
                file,
                sequence,
            },
            marker,
        ))
    }

    fn read_from(file: &File, path: &Path) -> Result<(u64, Marker)> {
        let mut bytes = vec![0u8; 2 * SLOT as usize];
        file.read_exact_at(&mut bytes, 0)
            .map_err(|e| StoreError::file(path, e))?;
        let (a, b) = bytes.split_at(SLOT as usize);
        match (decode_slot(a), decode_slot(b)) {
            (Some(x), Some(y)) => Ok(if x.0 >= y.0 { x } else { y }),
            (Some(x), None) | (None, Some(x)) => Ok(x),
            (None, None) => Err(StoreError::Corrupt(format!(
                "{}: no valid generation marker",
                path.display()
            ))),
        }
    }

    /// After a failed [`MarkerFile::publish`]: the marker a reader now finds in the file
    /// (the new one if its slot was written before the failure), and whether it could be
    /// made durable now (a second fsync). The file's state becomes this handle's.
    pub fn settle(&mut self) -> Result<(Marker, Result<()>)> {
        let (sequence, marker) = Self::read_from(&self.file, &self.path)?;
        self.sequence = sequence;
        let synced = self
            .file
            .sync_data()
            .map_err(|e| StoreError::file(&self.path, e));
        Ok((marker, synced))
    }

    /// Publishes `marker`: one slot written and fsynced. When this returns `Ok`, the
    /// marker is durable; when it fails, a reader may find the previous marker (the slot
    /// was not written, or torn) or the new one (the fsync failed): [`MarkerFile::settle`]
    /// tells which.
    pub fn publish(&mut self, marker: &Marker) -> Result<()> {
        let sequence = self.sequence + 1;
        let slot = encode_slot(sequence, marker)?;
        let offset = (sequence % 2) * SLOT;
        let io = |e: std::io::Error| StoreError::file(&self.path, e);
        crate::store::fail::failpoint!("marker.write");
        self.file.write_all_at(&slot, offset).map_err(io)?;
        crate::store::fail::failpoint!("marker.sync");
        self.file.sync_data().map_err(io)?;
        self.sequence = sequence;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(g: u64) -> Marker {
        let mut m = Manifest::empty(7);
        m.generation = g;
        Marker {
            current: m,
            previous: None,
            next_generation: g + 1,
            pruned: true,
        }
    }

    #[test]
    fn the_latest_intact_slot_wins() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("MARKER");
        let mut f = MarkerFile::create(&path, &marker(0)).unwrap();
        f.publish(&marker(1)).unwrap();
        f.publish(&marker(2)).unwrap();
        assert_eq!(MarkerFile::open(&path).unwrap().1.current.generation, 2);
        // Tear the latest slot (the third write went to slot 1): the one before it is read.
        let mut bytes = std::fs::read(&path).unwrap();
        let latest = SLOT as usize;
        bytes[latest + 30] ^= 0xff;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(MarkerFile::open(&path).unwrap().1.current.generation, 1);
        let (mut f, m) = MarkerFile::open(&path).unwrap();
        assert_eq!(m.current.generation, 1);
        f.publish(&marker(5)).unwrap();
        assert_eq!(MarkerFile::open(&path).unwrap().1.current.generation, 5);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 2 * SLOT);
    }

    #[test]
    fn long_notes_are_clipped() {
        let note = "导".repeat(1000);
        let clipped = clip_note(&note);
        assert!(clipped.len() <= MAX_NOTE + 3);
        assert!(clipped.ends_with('…'));
    }
}
