//! The snapshot base file: one generation's [`Snapshot`] on disk, beside the engine, so
//! that superseded ones are really freed (a file deleted) and a command reads only the
//! sections it needs.
//!
//! Layout (all integers little-endian): the sections back to back, each starting at a
//! multiple of 8; then the header (bincode: generation, counts, kind tables, and per
//! section its name, offset, length and hash); then the header's length (u64), the
//! header's hash (u64) and the magic `INNOSNP2`. A file is written to a temporary name,
//! fsynced, renamed into place and the directory fsynced, so it is either whole or absent.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::codec::{self, hash_bytes, Hasher};
use super::graph::{check_offsets, Snapshot, StringPool};
use super::layout;
use super::names::{self, NormalisedNames};
use super::{Result, StoreError};

const MAGIC: &[u8; 8] = b"INNOSNP2";
const TRAILER: u64 = 24;

/// One section of a base file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Column name.
    pub name: String,
    /// Byte offset in the file.
    pub offset: u64,
    /// Length in bytes.
    pub len: u64,
    /// [`hash_bytes`] of its bytes.
    pub hash: u64,
}

/// What a base file holds and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileHeader {
    /// Format version of the store that wrote it.
    pub format: u32,
    /// The generation it is the snapshot of.
    pub generation: u64,
    /// Number of nodes.
    pub nodes: u64,
    /// Number of edges.
    pub edges: u64,
    /// Node kind table.
    pub node_kinds: Vec<String>,
    /// Edge kind table.
    pub edge_kinds: Vec<String>,
    /// The sections, in file order.
    pub sections: Vec<Section>,
}

impl FileHeader {
    /// The snapshot's checksum: a hash over its section hashes (kept in the manifest).
    pub fn checksum(&self) -> u64 {
        let mut bytes = Vec::with_capacity(self.sections.len() * 8);
        for s in &self.sections {
            bytes.extend_from_slice(&s.hash.to_le_bytes());
        }
        hash_bytes(&bytes)
    }

    fn section(&self, name: &str) -> Result<&Section> {
        self.sections
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| StoreError::Corrupt(format!("snapshot section {name} is missing")))
    }
}

/// A column as bytes, written in place without copying the column.
enum Column<'a> {
    Bytes(&'a [u8]),
    U32(&'a [u32]),
    U16(&'a [u16]),
    I32(&'a [i32]),
    F64(&'a [f64]),
}

impl Column<'_> {
    fn len(&self) -> usize {
        match self {
            Column::Bytes(b) => b.len(),
            Column::U32(v) => v.len() * 4,
            Column::U16(v) => v.len() * 2,
            Column::I32(v) => v.len() * 4,
            Column::F64(v) => v.len() * 8,
        }
    }

    fn write(&self, out: &mut impl Write, hasher: &mut Hasher) -> std::io::Result<()> {
        let mut emit = |bytes: &[u8]| -> std::io::Result<()> {
            hasher.update(bytes);
            out.write_all(bytes)
        };
        match self {
            Column::Bytes(b) => emit(b),
            Column::U32(v) => v.iter().try_for_each(|x| emit(&x.to_le_bytes())),
            Column::U16(v) => v.iter().try_for_each(|x| emit(&x.to_le_bytes())),
            Column::I32(v) => v.iter().try_for_each(|x| emit(&x.to_le_bytes())),
            Column::F64(v) => v.iter().try_for_each(|x| emit(&x.to_bits().to_le_bytes())),
        }
    }
}

fn columns<'a>(s: &'a Snapshot, search: Option<&'a NormalisedNames>) -> Vec<(String, Column<'a>)> {
    let mut columns: Vec<(String, Column<'a>)> = [
        ("ids.offsets", Column::U32(s.ids.offsets())),
        ("ids.bytes", Column::Bytes(s.ids.text_bytes())),
        ("names.offsets", Column::U32(s.names.offsets())),
        ("names.bytes", Column::Bytes(s.names.text_bytes())),
        ("names_en.offsets", Column::U32(s.names_en.offsets())),
        ("names_en.bytes", Column::Bytes(s.names_en.text_bytes())),
        ("node_kinds", Column::U16(&s.node_kinds)),
        ("out_offsets", Column::U32(&s.out_offsets)),
        ("targets", Column::U32(&s.targets)),
        ("edge_kinds", Column::U16(&s.edge_kinds)),
        ("weights", Column::F64(&s.weights)),
        ("amounts", Column::F64(&s.amounts)),
        ("years", Column::I32(&s.years)),
        ("keys.offsets", Column::U32(s.keys.offsets())),
        ("keys.bytes", Column::Bytes(s.keys.text_bytes())),
        ("in_offsets", Column::U32(&s.in_offsets)),
        ("in_edges", Column::U32(&s.in_edges)),
    ]
    .into_iter()
    .map(|(name, column)| (name.to_string(), column))
    .collect();
    for (name, pool) in names::COLUMNS
        .iter()
        .zip(search.map(|n| n.pools()).into_iter().flatten())
    {
        columns.push((format!("{name}.offsets"), Column::U32(pool.offsets())));
        columns.push((format!("{name}.bytes"), Column::Bytes(pool.text_bytes())));
    }
    columns
}

/// The file name of the base of `generation`.
pub fn file_name(generation: u64) -> String {
    format!("base-{generation:016x}.snap")
}

/// The generation of a base file name, if it is one.
pub fn generation_of(name: &str) -> Option<u64> {
    let hex = name.strip_prefix("base-")?.strip_suffix(".snap")?;
    (hex.len() == 16).then(|| u64::from_str_radix(hex, 16).ok())?
}

/// Writes `snapshot` as the base file `dir/base-<generation>.snap`, durably (temporary
/// name, fsync, rename, directory fsync), with the name index search reads. Returns its
/// header.
///
/// When the index cannot be built (its normalised names would pass the 4 GiB a column can
/// hold), the base is written without it: search then normalises names as it reads them,
/// and `check` says so.
pub fn write(dir: &Path, snapshot: &Snapshot, format: u32) -> Result<FileHeader> {
    let search = match NormalisedNames::of(snapshot) {
        Ok(names) => Some(names),
        Err(StoreError::Limit(why)) => {
            tracing::warn!(%why, "the snapshot base is written without its name index");
            None
        }
        Err(e) => return Err(e),
    };
    write_columns(dir, snapshot, format, search.as_ref())
}

/// [`write`] with the name index given (or none).
pub(super) fn write_columns(
    dir: &Path,
    snapshot: &Snapshot,
    format: u32,
    search: Option<&NormalisedNames>,
) -> Result<FileHeader> {
    let path = dir.join(file_name(snapshot.generation));
    let tmp = dir.join(format!("{}.tmp", file_name(snapshot.generation)));
    let io = |e: std::io::Error| StoreError::file(&tmp, e);
    crate::store::fail::failpoint!("snapshot.write");
    let file = File::create(&tmp).map_err(io)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut sections = Vec::new();
    let mut offset = 0u64;
    for (name, column) in columns(snapshot, search) {
        let len = column.len() as u64;
        let mut hasher = Hasher::new(column.len());
        column.write(&mut out, &mut hasher).map_err(io)?;
        let pad = (8 - len % 8) % 8;
        out.write_all(&[0u8; 8][..pad as usize]).map_err(io)?;
        sections.push(Section {
            name,
            offset,
            len,
            hash: hasher.finish(),
        });
        offset += len + pad;
    }
    let header = FileHeader {
        format,
        generation: snapshot.generation,
        nodes: snapshot.node_count() as u64,
        edges: snapshot.edge_count() as u64,
        node_kinds: snapshot.node_kind_names.clone(),
        edge_kinds: snapshot.edge_kind_names.clone(),
        sections,
    };
    let header_bytes = codec::encode(&header)?;
    out.write_all(&header_bytes).map_err(io)?;
    out.write_all(&(header_bytes.len() as u64).to_le_bytes())
        .map_err(io)?;
    out.write_all(&hash_bytes(&header_bytes).to_le_bytes())
        .map_err(io)?;
    out.write_all(MAGIC).map_err(io)?;
    let file = out.into_inner().map_err(|e| io(e.into_error()))?;
    crate::store::fail::failpoint!("snapshot.sync");
    file.sync_all().map_err(io)?;
    drop(file);
    crate::store::fail::failpoint!("snapshot.rename");
    std::fs::rename(&tmp, &path).map_err(|e| StoreError::file(&path, e))?;
    layout::sync_dir(dir)?;
    Ok(header)
}

/// An open base file, read a section (or part of one) at a time.
#[derive(Debug)]
pub struct BaseFile {
    path: PathBuf,
    file: File,
    header: FileHeader,
}

impl BaseFile {
    /// Opens a base file and reads its header.
    pub fn open(path: &Path) -> Result<BaseFile> {
        let io = |e: std::io::Error| StoreError::file(path, e);
        let file = File::open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("snapshot file {}: {what}", path.display()));
        if len < TRAILER {
            return Err(corrupt("too short"));
        }
        let mut trailer = [0u8; TRAILER as usize];
        file.read_exact_at(&mut trailer, len - TRAILER)
            .map_err(io)?;
        if &trailer[16..] != MAGIC {
            return Err(corrupt("not a snapshot file"));
        }
        let header_len = u64::from_le_bytes(trailer[..8].try_into().unwrap_or_default());
        let header_hash = u64::from_le_bytes(trailer[8..16].try_into().unwrap_or_default());
        if header_len > len - TRAILER {
            return Err(corrupt("header length out of range"));
        }
        let mut header_bytes = vec![0u8; header_len as usize];
        file.read_exact_at(&mut header_bytes, len - TRAILER - header_len)
            .map_err(io)?;
        if hash_bytes(&header_bytes) != header_hash {
            return Err(corrupt("header does not match its checksum"));
        }
        let header: FileHeader = codec::decode(&header_bytes, "snapshot header")?;
        let body_end = len - TRAILER - header_len;
        if header
            .sections
            .iter()
            .any(|s| s.offset.checked_add(s.len).is_none_or(|end| end > body_end))
        {
            return Err(corrupt("a section lies outside the file"));
        }
        Ok(BaseFile {
            path: path.to_path_buf(),
            file,
            header,
        })
    }

    /// The header.
    pub fn header(&self) -> &FileHeader {
        &self.header
    }

    /// Whether the file has section `name` (files written before a section existed lack
    /// it).
    pub fn has_section(&self, name: &str) -> bool {
        self.header.sections.iter().any(|s| s.name == name)
    }

    /// Bytes `range` of section `name` (element offsets are the caller's business).
    pub fn read_bytes(&self, name: &str, start: u64, len: u64) -> Result<Vec<u8>> {
        let s = self.header.section(name)?;
        if start.checked_add(len).is_none_or(|end| end > s.len) {
            return Err(StoreError::Corrupt(format!(
                "snapshot section {name}: read past its end"
            )));
        }
        let mut buf = vec![0u8; len as usize];
        self.file
            .read_exact_at(&mut buf, s.offset + start)
            .map_err(|e| StoreError::file(&self.path, e))?;
        Ok(buf)
    }

    /// Bytes `start..start + len` of section `name` into `buf` (its memory reused).
    pub fn read_into(&self, name: &str, start: u64, len: u64, buf: &mut Vec<u8>) -> Result<()> {
        let s = self.header.section(name)?;
        if start.checked_add(len).is_none_or(|end| end > s.len) {
            return Err(StoreError::Corrupt(format!(
                "snapshot section {name}: read past its end"
            )));
        }
        buf.resize(len as usize, 0);
        self.file
            .read_exact_at(buf, s.offset + start)
            .map_err(|e| StoreError::file(&self.path, e))
    }

    /// `count` u32 values of a u32 section from element `start` into `out` (its memory
    /// reused), with `bytes` as the buffer they are read through.
    pub fn read_u32s_into(
        &self,
        name: &str,
        start: u64,
        count: u64,
        bytes: &mut Vec<u8>,
        out: &mut Vec<u32>,
    ) -> Result<()> {
        self.read_into(name, start * 4, count * 4, bytes)?;
        out.clear();
        out.extend(
            bytes
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
        Ok(())
    }

    /// The length of section `name` in bytes.
    pub fn section_len(&self, name: &str) -> Result<u64> {
        Ok(self.header.section(name)?.len)
    }

    /// The index of `key` in string pool `name` (sorted by bytes), by binary search with
    /// positioned reads: a few small reads instead of reading the pool.
    pub fn find_in_pool(&self, name: &str, key: &str) -> Result<Option<u32>> {
        let offsets = format!("{name}.offsets");
        let bytes = format!("{name}.bytes");
        let n = (self.section_len(&offsets)? / 4).saturating_sub(1);
        let (mut lo, mut hi) = (0u64, n);
        let mut buf = Vec::new();
        while lo < hi {
            let mid = (lo + hi) / 2;
            let range = self.read_u32s(&offsets, mid, 2)?;
            let len = range[1]
                .checked_sub(range[0])
                .ok_or_else(|| StoreError::Corrupt(format!("snapshot {name}: bad offsets")))?;
            self.read_into(&bytes, range[0] as u64, len as u64, &mut buf)?;
            match buf.as_slice().cmp(key.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(Some(mid as u32)),
            }
        }
        Ok(None)
    }

    /// A whole section; with `verify`, checked against its hash.
    pub fn read_section(&self, name: &str, verify: bool) -> Result<Vec<u8>> {
        let s = self.header.section(name)?.clone();
        let bytes = self.read_bytes(name, 0, s.len)?;
        if verify && hash_bytes(&bytes) != s.hash {
            return Err(StoreError::Corrupt(format!(
                "snapshot file {}: section {name} does not match its checksum",
                self.path.display()
            )));
        }
        Ok(bytes)
    }

    /// `count` u32 values of a u32 section from element `start`.
    pub fn read_u32s(&self, name: &str, start: u64, count: u64) -> Result<Vec<u32>> {
        from_u32s(&self.read_bytes(name, start * 4, count * 4)?, name)
    }

    /// `count` u16 values of a u16 section from element `start`.
    pub fn read_u16s(&self, name: &str, start: u64, count: u64) -> Result<Vec<u16>> {
        fixed::<2, u16>(
            &self.read_bytes(name, start * 2, count * 2)?,
            name,
            u16::from_le_bytes,
        )
    }

    /// A string pool (offsets and bytes sections `<name>.offsets`, `<name>.bytes`).
    pub fn read_pool(&self, name: &str, verify: bool) -> Result<StringPool> {
        let (offsets, bytes) = self.read_pool_bytes(name, verify)?;
        StringPool::from_parts(offsets, bytes, name)
    }

    /// A string pool's offset table (checked) and bytes, which are not checked as UTF-8:
    /// for a reader that scans the bytes and checks only the entries it uses.
    pub fn read_pool_bytes(&self, name: &str, verify: bool) -> Result<(Vec<u32>, Vec<u8>)> {
        let offsets = from_u32s(
            &self.read_section(&format!("{name}.offsets"), verify)?,
            name,
        )?;
        let bytes = self.read_section(&format!("{name}.bytes"), verify)?;
        check_offsets(&offsets, bytes.len(), name)?;
        Ok((offsets, bytes))
    }

    /// The whole snapshot, every section checked against its hash.
    pub fn load(&self) -> Result<Snapshot> {
        let h = &self.header;
        let sec = |name: &str| self.read_section(name, true);
        let mut snap = Snapshot {
            generation: h.generation,
            node_kind_names: h.node_kinds.clone(),
            edge_kind_names: h.edge_kinds.clone(),
            ids: self.read_pool("ids", true)?,
            names: self.read_pool("names", true)?,
            names_en: self.read_pool("names_en", true)?,
            node_kinds: fixed::<2, u16>(&sec("node_kinds")?, "node_kinds", u16::from_le_bytes)?,
            out_offsets: from_u32s(&sec("out_offsets")?, "out_offsets")?,
            targets: from_u32s(&sec("targets")?, "targets")?,
            edge_kinds: fixed::<2, u16>(&sec("edge_kinds")?, "edge_kinds", u16::from_le_bytes)?,
            weights: fixed::<8, f64>(&sec("weights")?, "weights", |a| {
                f64::from_bits(u64::from_le_bytes(a))
            })?,
            amounts: fixed::<8, f64>(&sec("amounts")?, "amounts", |a| {
                f64::from_bits(u64::from_le_bytes(a))
            })?,
            years: fixed::<4, i32>(&sec("years")?, "years", i32::from_le_bytes)?,
            keys: self.read_pool("keys", true)?,
            sources: Vec::new(),
            in_offsets: from_u32s(&sec("in_offsets")?, "in_offsets")?,
            in_edges: from_u32s(&sec("in_edges")?, "in_edges")?,
        };
        if snap.node_count() as u64 != h.nodes || snap.edge_count() as u64 != h.edges {
            return Err(StoreError::Corrupt(format!(
                "snapshot file {}: sizes differ from its header",
                self.path.display()
            )));
        }
        snap.check_shape(false)?;
        snap.derive_sources();
        Ok(snap)
    }
}

fn from_u32s(b: &[u8], what: &str) -> Result<Vec<u32>> {
    fixed::<4, u32>(b, what, u32::from_le_bytes)
}

fn fixed<const W: usize, T>(b: &[u8], what: &str, f: impl Fn([u8; W]) -> T) -> Result<Vec<T>> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EdgeRecord, NodeRecord, Props};
    use crate::store::builder::SnapshotBuilder;

    fn sample() -> Snapshot {
        let mut b = SnapshotBuilder::new(7, vec!["a".into()], vec!["x".into()]);
        for id in ["n1", "n2", "n3"] {
            b.push_node(&NodeRecord {
                id: id.into(),
                kind: "a".into(),
                name: format!("名 {id}"),
                name_en: (id == "n2").then(|| "two".into()),
                props: Props::new(),
            })
            .unwrap();
        }
        for (s, t, k) in [("n1", "n3", "x"), ("n3", "n2", "y")] {
            b.push_edge(&EdgeRecord {
                source: s.into(),
                target: t.into(),
                kind: k.into(),
                key: "k".into(),
                weight: (k == "x").then_some(2.0),
                props: Props::new(),
            })
            .unwrap();
        }
        b.finish()
    }

    #[test]
    fn base_files_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let s = sample();
        let header = write(dir.path(), &s, 2).unwrap();
        let file = BaseFile::open(&dir.path().join(file_name(7))).unwrap();
        assert_eq!(file.header(), &header);
        let back = file.load().unwrap();
        assert_eq!(back, s);
        assert_eq!(back.in_edges, s.in_edges);
        assert_eq!(back.sources, s.sources);
        assert_eq!(file.read_u32s("out_offsets", 1, 3).unwrap(), vec![1, 1, 2]);
        for (i, id) in ["n1", "n2", "n3"].iter().enumerate() {
            assert_eq!(file.find_in_pool("ids", id).unwrap(), Some(i as u32));
        }
        for missing in ["", "n", "n0", "n21", "n4", "z"] {
            assert_eq!(file.find_in_pool("ids", missing).unwrap(), None);
        }
        assert_eq!(generation_of(&file_name(7)), Some(7));
        assert_eq!(generation_of("base-7.snap"), None);
    }

    #[test]
    fn damaged_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &sample(), 2).unwrap();
        let path = dir.path().join(file_name(7));
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[3] ^= 0xff;
        std::fs::write(&path, &bytes).unwrap();
        let file = BaseFile::open(&path).unwrap();
        assert!(matches!(file.load(), Err(StoreError::Corrupt(_))));
        bytes.truncate(bytes.len() - 1);
        std::fs::write(&path, &bytes).unwrap();
        assert!(matches!(BaseFile::open(&path), Err(StoreError::Corrupt(_))));
    }

    #[test]
    fn a_pool_that_is_not_utf8_is_refused_even_unverified() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &sample(), 2).unwrap();
        let path = dir.path().join(file_name(7));
        let at = BaseFile::open(&path)
            .unwrap()
            .header()
            .section("names.bytes")
            .unwrap()
            .offset as usize;
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[at] = 0xff;
        std::fs::write(&path, &bytes).unwrap();
        let file = BaseFile::open(&path).unwrap();
        assert!(matches!(
            file.read_pool("names", false),
            Err(StoreError::Corrupt(m)) if m.contains("not UTF-8")
        ));
        assert!(file.read_pool("ids", false).is_ok());
    }
}
