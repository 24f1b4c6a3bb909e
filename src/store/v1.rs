//! Reading a format-1 database, to migrate it: sled's files directly in the database
//! directory, every record under `prefix ‖ id… ‖ generation` in the `data` tree (value:
//! bincode of `Option<record>`), the marker and schema in the default tree.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::codec;
use super::{Result, StoreError};
use crate::model::{EdgeRecord, NodeRecord, Schema};

/// Files of a format-1 database in its directory.
pub const FILES: [&str; 2] = ["conf", "db"];

/// Whether `root` holds a format-1 database (sled's files at the top).
pub fn present(root: &Path) -> bool {
    FILES.iter().any(|f| root.join(f).exists())
}

/// Removes a format-1 database's files (after a migration).
pub fn remove_files(root: &Path) -> Result<()> {
    let entries = std::fs::read_dir(root).map_err(|e| StoreError::file(root, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::file(root, e))?;
        let name = entry.file_name().to_string_lossy().to_string();
        if FILES.contains(&name.as_str()) || name.starts_with("snap.") || name == "blobs" {
            super::layout::remove(&entry.path())?;
        }
    }
    super::layout::sync_dir(root)
}

/// A format-1 manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestV1 {
    /// Generation.
    pub generation: u64,
    /// Nodes.
    pub nodes: u64,
    /// Edges.
    pub edges: u64,
    /// Nodes per kind.
    pub node_kinds: BTreeMap<String, u64>,
    /// Edges per kind.
    pub edge_kinds: BTreeMap<String, u64>,
    /// Digest of the visible records.
    pub checksum: u64,
    /// Checksum of its snapshot.
    pub snapshot_checksum: u64,
    /// Note.
    pub note: String,
    /// Publication time.
    pub unix_time: u64,
}

/// A format-1 marker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MarkerV1 {
    /// Published.
    pub current: ManifestV1,
    /// Before it.
    pub previous: Option<ManifestV1>,
    /// Next generation number.
    pub next_generation: u64,
    /// Pruned since publication.
    pub pruned: bool,
}

/// A format-1 database opened for reading.
pub struct ReaderV1 {
    db: sled::Db,
    data: sled::Tree,
    /// Its schema.
    pub schema: Schema,
    /// Its marker.
    pub marker: MarkerV1,
}

impl ReaderV1 {
    /// Opens the format-1 database at `root`.
    pub fn open(root: &Path) -> Result<ReaderV1> {
        let db = sled::Config::new().path(root).open()?;
        let not_db = |reason: &str| StoreError::NotADatabase {
            path: root.to_path_buf(),
            reason: reason.to_string(),
        };
        let format = db.get(b"format")?.ok_or_else(|| {
            not_db("it was never fully initialised (run `innograph init` again after removing it)")
        })?;
        if format.as_ref() != 1u32.to_be_bytes() {
            return Err(not_db("unknown storage format in a format-1 layout"));
        }
        let schema_text = db
            .get(b"schema")?
            .ok_or_else(|| not_db("no schema stored"))?;
        let schema = Schema::from_toml(
            std::str::from_utf8(&schema_text)
                .map_err(|_| StoreError::Corrupt("stored schema is not UTF-8".into()))?,
        )?;
        let marker: MarkerV1 = codec::decode(
            &db.get(b"marker")?
                .ok_or_else(|| not_db("no generation marker"))?,
            "generation marker",
        )?;
        let data = db.open_tree("data")?;
        Ok(ReaderV1 {
            db,
            data,
            schema,
            marker,
        })
    }

    /// The visible version (latest at the published generation) of every record under
    /// `prefix` (`N` or `E`), as raw values; tombstones left out.
    fn visible(&self, prefix: u8) -> impl Iterator<Item = Result<sled::IVec>> + '_ {
        let generation = self.marker.current.generation;
        let mut held: Option<(Vec<u8>, sled::IVec)> = None;
        let mut inner = self.data.scan_prefix([prefix]);
        let mut done = false;
        std::iter::from_fn(move || loop {
            if done {
                return held.take().map(|(_, v)| Ok(v));
            }
            match inner.next() {
                None => done = true,
                Some(Err(e)) => return Some(Err(e.into())),
                Some(Ok((k, v))) => {
                    if k.len() < 9 {
                        return Some(Err(StoreError::Corrupt("short record key".into())));
                    }
                    let (base, g) = k.split_at(k.len() - 8);
                    let g = u64::from_be_bytes(g.try_into().unwrap_or_default());
                    if g > generation {
                        continue;
                    }
                    let emit = match &held {
                        Some((hb, _)) if hb.as_slice() != base => held.take(),
                        _ => None,
                    };
                    held = Some((base.to_vec(), v));
                    if let Some((_, value)) = emit {
                        return Some(Ok(value));
                    }
                }
            }
        })
        .filter(|v| !matches!(v, Ok(v) if v.as_ref() == [0]))
    }

    /// Every published node.
    pub fn nodes(&self) -> impl Iterator<Item = Result<NodeRecord>> + '_ {
        self.visible(b'N').map(|v| {
            codec::decode::<Option<NodeRecord>>(&v?, "node")?
                .ok_or_else(|| StoreError::Corrupt("tombstone".into()))
        })
    }

    /// Every published edge.
    pub fn edges(&self) -> impl Iterator<Item = Result<EdgeRecord>> + '_ {
        self.visible(b'E').map(|v| {
            codec::decode::<Option<EdgeRecord>>(&v?, "edge")?
                .ok_or_else(|| StoreError::Corrupt("tombstone".into()))
        })
    }

    /// Closes the database.
    pub fn close(self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }
}
