//! The store: the only module that names sled. It keeps every node and edge record under
//! the generation that wrote it, publishes a generation by one atomic write of a small
//! marker, and persists with each generation a compact analysis [`Snapshot`].
//!
//! Design, in short (the README's "Storage" section says more):
//! - A write (an import, an API call) stages records under a new generation number in
//!   batches, so memory stays bounded. Readers see only the published generation, so a
//!   half-staged write is invisible, and a crash before publication leaves it unpublished:
//!   [`Store::open`] discards it.
//! - Publication writes the snapshot, flushes, then writes the marker and flushes again.
//! - The previous generation stays readable until the next publication, so the last write
//!   can be undone ([`Store::undo`]) and a damaged generation rolled back.
//! - [`Store::check`] re-derives counts, checksums and the snapshot from the records.

mod check;
mod codec;
mod keys;
mod maintenance;
mod manifest;
mod snapshot;
#[cfg(test)]
mod tests;
mod txn;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use thiserror::Error;

use crate::model::{EdgeId, EdgeRecord, NodeRecord, Schema};

pub use check::CheckReport;
pub use codec::FORMAT_VERSION;
pub use manifest::{Manifest, Marker};
pub use snapshot::{Snapshot, SnapshotBuilder, SnapshotEdge};
pub use txn::{WriteOutcome, WriteTxn};

/// Errors of the storage layer.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Another process has the database open.
    #[error("database {0} is in use by another process (an `innograph serve`, or another command still running); stop it or use the HTTP API")]
    InUse(PathBuf),
    /// No database at the path.
    #[error("no innograph database at {0}; create one with `innograph init`")]
    Missing(PathBuf),
    /// The path holds something that is not an innograph database, or one of a newer format.
    #[error("{path} is not a usable innograph database: {reason}")]
    NotADatabase {
        /// The database path.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A stored value does not decode or contradicts another.
    #[error("the database is damaged: {0}; `innograph check` says more")]
    Corrupt(String),
    /// An edge refers to a node that does not exist.
    #[error("edge {edge} refers to missing node `{missing}`")]
    DanglingEdge {
        /// The edge.
        edge: String,
        /// The missing endpoint.
        missing: String,
    },
    /// A size limit of the format was exceeded.
    #[error("limit exceeded: {0}")]
    Limit(String),
    /// Nothing to undo.
    #[error("nothing to undo: {0}")]
    NothingToUndo(String),
    /// A value could not be encoded.
    #[error("could not encode a record: {0}")]
    Encode(String),
    /// The schema stored in the database is invalid.
    #[error("stored schema: {0}")]
    Schema(#[from] crate::model::ModelError),
    /// The disk (or the file system's quota) is full.
    #[error("no space left on the device ({0}); free some space and retry")]
    DiskFull(String),
    /// An I/O error of the storage engine.
    #[error("storage I/O error: {0}")]
    Io(#[source] std::io::Error),
    /// A file beside the engine (an export, a snapshot file) could not be read or written.
    #[error("{}: {source}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// The storage engine reported an internal failure (a bug in it, or an operation it
    /// does not support).
    #[error("the storage engine failed: {0}")]
    EngineFailure(String),
}

impl StoreError {
    /// An error on `path` (a full disk is reported as such).
    pub fn file(path: &Path, source: std::io::Error) -> StoreError {
        if is_disk_full(&source) {
            StoreError::DiskFull(format!("writing {}", path.display()))
        } else {
            StoreError::File {
                path: path.to_path_buf(),
                source,
            }
        }
    }
}

/// Whether an I/O error means the device or the quota is full.
fn is_disk_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull
        || e.kind() == std::io::ErrorKind::QuotaExceeded
        || e.raw_os_error() == Some(28) // ENOSPC, when the kind is not mapped
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        if is_disk_full(&e) {
            StoreError::DiskFull(e.to_string())
        } else {
            StoreError::Io(e)
        }
    }
}

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        match e {
            sled::Error::Io(io) => io.into(),
            sled::Error::Corruption { at, .. } => StoreError::Corrupt(match at {
                Some(at) => format!("the storage engine read corrupted data at {at:?}"),
                None => "the storage engine read corrupted data".into(),
            }),
            sled::Error::CollectionNotFound(name) => StoreError::Corrupt(format!(
                "tree `{}` is missing",
                String::from_utf8_lossy(&name)
            )),
            sled::Error::Unsupported(m) | sled::Error::ReportableBug(m) => {
                StoreError::EngineFailure(m)
            }
        }
    }
}

/// Shorthand for results of this layer.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

const META_FORMAT: &[u8] = b"format";
const META_SCHEMA: &[u8] = b"schema";
const META_MARKER: &[u8] = b"marker";

/// How much memory sled may use for its page cache.
const CACHE_BYTES: u64 = 256 << 20;

/// An open innograph database.
pub struct Store {
    path: PathBuf,
    _lock: std::fs::File,
    db: sled::Db,
    data: sled::Tree,
    log: sled::Tree,
    snaps: sled::Tree,
    schema: RwLock<Schema>,
    marker: RwLock<Marker>,
    writer: Mutex<()>,
    snapshot: Mutex<Option<Arc<Snapshot>>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// The file whose lock a process holds for as long as it has the database open.
const LOCK_FILE: &str = "LOCK";

/// Takes the database's lock (an exclusive `flock` of `LOCK` in its directory, released
/// when the process ends, however it ends), so that a second process gets
/// [`StoreError::InUse`] before it touches anything.
fn lock_directory(path: &Path) -> Result<std::fs::File> {
    let lock_path = path.join(LOCK_FILE);
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(|e| StoreError::file(&lock_path, e))?;
    match fs2::FileExt::try_lock_exclusive(&file) {
        Ok(()) => Ok(file),
        Err(e) if e.kind() == fs2::lock_contended_error().kind() => {
            Err(StoreError::InUse(path.to_path_buf()))
        }
        Err(e) => Err(StoreError::file(&lock_path, e)),
    }
}

fn open_engine(path: &Path) -> Result<sled::Db> {
    Ok(sled::Config::new()
        .path(path)
        .cache_capacity(CACHE_BYTES)
        .open()?)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Store {
    /// Creates a database at `path` with `schema`, or, if one exists, merges `extension`
    /// (when given) into its schema. Returns the store and whether it was created.
    pub fn init(path: &Path, schema: Schema, extension: Option<Schema>) -> Result<(Store, bool)> {
        let existed = path.join("db").exists() || path.join("conf").exists();
        if existed {
            let store = Store::open(path)?;
            if let Some(ext) = extension {
                let mut merged = store.schema();
                merged.merge(ext)?;
                store.db.insert(META_SCHEMA, merged.to_toml().as_bytes())?;
                store.db.flush()?;
                *store.schema.write().unwrap_or_else(|p| p.into_inner()) = merged;
            }
            return Ok((store, false));
        }
        let mut schema = schema;
        if let Some(ext) = extension {
            schema.merge(ext)?;
        }
        std::fs::create_dir_all(path).map_err(|e| StoreError::file(path, e))?;
        let lock = lock_directory(path)?;
        let db = open_engine(path)?;
        let data = db.open_tree("data")?;
        let log = db.open_tree("log")?;
        let snaps = db.open_tree("snapshots")?;
        let empty =
            snapshot::SnapshotBuilder::new(0, node_kind_names(&schema), edge_kind_names(&schema))
                .finish();
        let parts = empty.to_parts();
        let mut manifest = Manifest::empty();
        manifest.snapshot_checksum = parts.header.checksum();
        Store::write_snapshot_parts(&snaps, 0, &parts)?;
        db.insert(META_SCHEMA, schema.to_toml().as_bytes())?;
        let marker = Marker {
            current: manifest,
            previous: None,
            next_generation: 1,
            pruned: true,
        };
        db.insert(META_MARKER, codec::encode(&marker)?)?;
        db.flush()?;
        // The format key goes last: a crash before it leaves a directory that `init` redoes.
        db.insert(META_FORMAT, &FORMAT_VERSION.to_be_bytes())?;
        db.flush()?;
        let store = Store {
            path: path.to_path_buf(),
            _lock: lock,
            db,
            data,
            log,
            snaps,
            schema: RwLock::new(schema),
            marker: RwLock::new(marker),
            writer: Mutex::new(()),
            snapshot: Mutex::new(Some(Arc::new(empty))),
        };
        Ok((store, true))
    }

    /// Opens an existing database, discarding any generation that was staged but never
    /// published (a write interrupted by a crash).
    pub fn open(path: &Path) -> Result<Store> {
        if !(path.join("db").exists() || path.join("conf").exists()) {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        let lock = lock_directory(path)?;
        let db = open_engine(path)?;
        let not_db = |reason: &str| StoreError::NotADatabase {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        };
        let format = db.get(META_FORMAT)?.ok_or_else(|| {
            not_db("it was never fully initialised (run `innograph init` again after removing it)")
        })?;
        let format = u32::from_be_bytes(
            format
                .as_ref()
                .try_into()
                .map_err(|_| not_db("unreadable format version"))?,
        );
        if format > FORMAT_VERSION {
            return Err(not_db(&format!(
                "format {format} is newer than this innograph (format {FORMAT_VERSION})"
            )));
        }
        maintenance::migrate(&db, format)?;
        let schema_text = db
            .get(META_SCHEMA)?
            .ok_or_else(|| not_db("no schema stored"))?;
        let schema_text = std::str::from_utf8(&schema_text)
            .map_err(|_| StoreError::Corrupt("stored schema is not UTF-8".into()))?;
        let schema = Schema::from_toml(schema_text)?;
        let marker: Marker = codec::decode(
            &db.get(META_MARKER)?
                .ok_or_else(|| not_db("no generation marker"))?,
            "generation marker",
        )?;
        let data = db.open_tree("data")?;
        let log = db.open_tree("log")?;
        let snaps = db.open_tree("snapshots")?;
        let store = Store {
            path: path.to_path_buf(),
            _lock: lock,
            db,
            data,
            log,
            snaps,
            schema: RwLock::new(schema),
            marker: RwLock::new(marker),
            writer: Mutex::new(()),
            snapshot: Mutex::new(None),
        };
        store.recover()?;
        Ok(store)
    }

    /// The database path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema stored in the database.
    pub fn schema(&self) -> Schema {
        self.schema
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The generation marker (published manifest and the one before).
    pub fn marker(&self) -> Marker {
        self.marker
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The published manifest.
    pub fn manifest(&self) -> Manifest {
        self.marker().current
    }

    /// The published generation.
    pub fn generation(&self) -> u64 {
        self.marker
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .current
            .generation
    }

    /// The node with this id, as published.
    pub fn node(&self, id: &str) -> Result<Option<NodeRecord>> {
        self.latest_at(&keys::node_base(id), self.generation())
            .and_then(|v| decode_version(v.as_deref(), "node"))
    }

    /// The edge with this identity, as published.
    pub fn edge(&self, id: &EdgeId) -> Result<Option<EdgeRecord>> {
        self.latest_at(&keys::edge_base(id), self.generation())
            .and_then(|v| decode_version(v.as_deref(), "edge"))
    }

    /// Every published node, in id order.
    pub fn nodes(&self) -> impl Iterator<Item = Result<NodeRecord>> + '_ {
        self.visible(&[keys::NODE], self.generation())
    }

    /// Every published edge, in (source, target, kind, key) order.
    pub fn edges(&self) -> impl Iterator<Item = Result<EdgeRecord>> + '_ {
        self.visible(&[keys::EDGE], self.generation())
    }

    /// The published edges leaving `source`.
    pub fn edges_from(&self, source: &str) -> impl Iterator<Item = Result<EdgeRecord>> + '_ {
        self.visible(&keys::edge_source_prefix(source), self.generation())
    }

    /// The analysis snapshot of the published generation (loaded once, then shared).
    pub fn snapshot(&self) -> Result<Arc<Snapshot>> {
        let generation = self.generation();
        let mut cached = lock(&self.snapshot);
        if let Some(s) = cached.as_ref().filter(|s| s.generation() == generation) {
            return Ok(Arc::clone(s));
        }
        let snap = Arc::new(self.load_snapshot(generation, false)?);
        *cached = Some(Arc::clone(&snap));
        Ok(snap)
    }

    /// Starts a write. Only one write runs at a time; others wait.
    pub fn write(&self, note: &str) -> Result<WriteTxn<'_>> {
        let guard = lock(&self.writer);
        WriteTxn::begin(self, guard, note)
    }

    /// Restores the previous generation, undoing the last write. Only the last write can
    /// be undone; after an undo there is nothing further to undo until the next write.
    pub fn undo(&self) -> Result<Manifest> {
        let _guard = lock(&self.writer);
        maintenance::undo(self)
    }

    /// Verifies the store: every record decodes, counts and checksums agree with the
    /// manifest, and the snapshot equals one rebuilt from the records.
    pub fn check(&self) -> Result<CheckReport> {
        let _guard = lock(&self.writer);
        check::check(self)
    }

    /// Writes everything to disk.
    pub fn flush(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    fn load_snapshot(&self, generation: u64, verify: bool) -> Result<Snapshot> {
        let header_bytes = self
            .snaps
            .get(keys::snapshot_part(generation, snapshot::HEADER_PART))?
            .ok_or_else(|| {
                StoreError::Corrupt(format!("snapshot of generation {generation} is missing"))
            })?;
        let header: snapshot::SnapshotHeader = codec::decode(&header_bytes, "snapshot header")?;
        Snapshot::from_parts(
            &header,
            |part| {
                Ok(self
                    .snaps
                    .get(keys::snapshot_part(generation, part))?
                    .map(|v| v.to_vec()))
            },
            verify,
        )
    }

    fn write_snapshot_parts(
        data: &sled::Tree,
        generation: u64,
        parts: &snapshot::SnapshotParts,
    ) -> Result<()> {
        for (name, bytes) in &parts.chunks {
            data.insert(keys::snapshot_part(generation, name), bytes.as_slice())?;
        }
        data.insert(
            keys::snapshot_part(generation, snapshot::HEADER_PART),
            codec::encode(&parts.header)?,
        )?;
        Ok(())
    }

    /// The latest version of `base` whose generation is at most `generation`, as raw
    /// bytes (`None` when absent; a tombstone decodes to `None`).
    fn latest_at(&self, base: &[u8], generation: u64) -> Result<Option<sled::IVec>> {
        let lo = keys::versioned(base, 0);
        let hi = keys::versioned(base, generation);
        match self.data.range(lo..=hi).next_back() {
            None => Ok(None),
            Some(r) => Ok(Some(r?.1)),
        }
    }

    fn visible<T: serde::de::DeserializeOwned>(
        &self,
        prefix: &[u8],
        generation: u64,
    ) -> impl Iterator<Item = Result<T>> + '_ {
        VisibleIter {
            inner: self.data.scan_prefix(prefix),
            generation,
            held: None,
            done: false,
        }
        .filter_map(|item| match item {
            Err(e) => Some(Err(e)),
            Ok((_, value)) => decode_version::<T>(Some(&value), "record").transpose(),
        })
    }

    fn set_marker(&self, marker: Marker) -> Result<()> {
        self.db.insert(META_MARKER, codec::encode(&marker)?)?;
        *self.marker.write().unwrap_or_else(|p| p.into_inner()) = marker;
        Ok(())
    }
}

/// Decodes a stored version: `Option<T>` where `None` is a tombstone.
fn decode_version<T: serde::de::DeserializeOwned>(
    bytes: Option<&[u8]>,
    what: &str,
) -> Result<Option<T>> {
    match bytes {
        None => Ok(None),
        Some(b) => codec::decode::<Option<T>>(b, what),
    }
}

/// Node kind names of a schema, in name order.
fn node_kind_names(schema: &Schema) -> Vec<String> {
    schema.node_kinds.keys().cloned().collect()
}

/// Edge kind names of a schema, in name order.
fn edge_kind_names(schema: &Schema) -> Vec<String> {
    schema.edge_kinds.keys().cloned().collect()
}

/// Iterates the versions under a prefix and yields, per base key, the latest version at
/// or below a generation (tombstones included; the caller decodes them).
struct VisibleIter {
    inner: sled::Iter,
    generation: u64,
    held: Option<(sled::IVec, sled::IVec)>,
    done: bool,
}

impl Iterator for VisibleIter {
    type Item = Result<(Vec<u8>, sled::IVec)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                let (k, v) = self.held.take()?;
                let base = keys::split_versioned(&k)?.0.to_vec();
                return Some(Ok((base, v)));
            }
            match self.inner.next() {
                None => self.done = true,
                Some(Err(e)) => return Some(Err(e.into())),
                Some(Ok((k, v))) => {
                    let Some((base, g)) = keys::split_versioned(&k) else {
                        return Some(Err(StoreError::Corrupt("short record key".into())));
                    };
                    if g > self.generation {
                        continue;
                    }
                    let emit = match &self.held {
                        Some((hk, _)) if keys::split_versioned(hk).map(|x| x.0) != Some(base) => {
                            self.held.take()
                        }
                        _ => None,
                    };
                    self.held = Some((k, v));
                    if let Some((hk, hv)) = emit {
                        let hb = keys::split_versioned(&hk)
                            .map(|x| x.0.to_vec())
                            .unwrap_or_default();
                        return Some(Ok((hb, hv)));
                    }
                }
            }
        }
    }
}
