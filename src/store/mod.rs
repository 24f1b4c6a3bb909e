//! The store: the only module that names sled. Nodes and edges are stored in sled, packed
//! in pages; every page version is stored under the generation that wrote it; a generation
//! is published by one atomic write of a small marker file; the analysis snapshot lives in
//! base files beside sled plus the change entries of the generations since.
//!
//! Design, in short (the README's "Storage" section says more, with measurements):
//! - A write stages its records (in memory, spilling sorted runs to temporary files past a
//!   budget), then merges them in key order into the pages of the published generation,
//!   writing changed pages as new versions under a new generation. Readers see only the
//!   published generation, so nothing staged is visible, and a crash before publication
//!   leaves it unpublished: [`Store::open`] discards it.
//! - What the write changed goes into the change log (a small write costs O(change)); past
//!   a threshold the write instead derives a new snapshot base from the previous snapshot
//!   plus its changes (never from a rescan) and writes it as a file.
//! - Publication: sled flushed and fsynced, then the marker written and fsynced.
//! - The previous generation stays readable until the next publication, so the last write
//!   can be undone ([`Store::undo`]).
//! - [`Store::check`] re-derives counts, digest and snapshot from the records.

mod builder;
mod catalog;
mod check;
mod codec;
mod compact;
mod cursor;
mod delta;
mod error;
pub(crate) mod fail;
#[cfg(test)]
mod failpoint_tests;
mod graph;
mod layout;
mod log;
mod maintenance;
mod manifest;
mod models;
mod names;
mod page;
mod pages;
mod record;
mod runs;
mod snapfile;
#[cfg(test)]
mod tests;
mod txn;
mod v1;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use crate::model::{EdgeId, EdgeRecord, NodeRecord, Schema};

pub use builder::SnapshotBuilder;
pub use catalog::{Catalog, NodeNames};
pub use check::CheckReport;
pub use codec::FORMAT_VERSION;
pub use compact::{BackupReport, CompactReport};
pub use error::StoreError;
pub use graph::{Snapshot, SnapshotEdge};
pub use manifest::{Manifest, Marker};
pub use names::{NameIndex, NameMatch};
pub use txn::{CommitSummary, WriteOutcome, WriteTxn};

use delta::Delta;
use layout::Layout;
use manifest::MarkerFile;
use pages::Pages;
use record::{EDGE, NODE};
use snapfile::BaseFile;

/// Shorthand for results of this layer.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

const META_FORMAT: &[u8] = b"format";
const META_SCHEMA: &[u8] = b"schema";

/// How much memory sled may use for its page cache. Pages are read once per write or
/// query, so a small cache costs little; what a process touches is what it keeps.
const CACHE_BYTES: u64 = 32 << 20;

/// An open innograph database.
pub struct Store {
    path: PathBuf,
    layout: Layout,
    _lock: Option<File>,
    db: sled::Db,
    pages: Pages,
    log: sled::Tree,
    changes: sled::Tree,
    engine_file: File,
    marker_file: Mutex<MarkerFile>,
    schema: RwLock<Schema>,
    marker: RwLock<Marker>,
    writer: Mutex<()>,
    snapshot: Mutex<Option<Arc<Snapshot>>>,
    catalog: Mutex<Option<Arc<Catalog>>>,
    name_index: Mutex<Option<Arc<NameIndex>>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Takes the database's lock (an exclusive `flock` of `LOCK` in its directory, released
/// when the process ends, however it ends), so that a second process gets
/// [`StoreError::InUse`] before it touches anything.
fn lock_directory(root: &Path) -> Result<File> {
    layout::lock_file(&root.join(layout::LOCK), root, false)
}

fn open_engine(dir: &Path) -> Result<sled::Db> {
    // A snapshot sled was writing when the process died (or the disk filled) is left as
    // `snap.*.generating`; sled 0.34 then fails every open with "corrupted data" (sled
    // issue 1527). It is incomplete by definition: remove it.
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with("snap.") && name.ends_with(".generating") {
                layout::remove(&entry.path())?;
            }
        }
    }
    let config = sled::Config::new()
        .path(dir)
        .cache_capacity(CACHE_BYTES)
        // Every write flushes and fsyncs sled itself before it publishes; a background
        // flusher would only write at moments no one chose (and keep the engine busy
        // while `backup` copies it).
        .flush_every_ms(None);
    // sled releases its own lock on its files when the last reference to a closed
    // engine goes, which can lag the drop a little; since this process holds the
    // database's lock, a lock conflict here can only be that, so wait for it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match config.open() {
            Err(sled::Error::Io(e))
                if e.kind() == std::io::ErrorKind::Other
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return Ok(other?),
        }
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

/// Creates an empty store directory (engine with its root pages, an empty snapshot base,
/// the marker at generation 0) and returns its engine, open. The caller points `CURRENT`
/// at it.
fn create_store(layout: &Layout, schema: &Schema) -> Result<sled::Db> {
    layout::remove(&layout.store)?;
    for dir in [
        layout.store.clone(),
        layout.engine(),
        layout.snapshots(),
        layout.tmp(),
    ] {
        layout::create_dir(&dir)?;
    }
    let db = open_engine(&layout.engine())?;
    let pages = db.open_tree("pages")?;
    db.open_tree("log")?;
    db.open_tree("changes")?;
    for kind in [NODE, EDGE] {
        pages.insert(pages::page_key(&[kind], 0), page::encode(&[]))?;
    }
    db.insert(META_SCHEMA, schema.to_toml().as_bytes())?;
    db.insert(META_FORMAT, &FORMAT_VERSION.to_be_bytes())?;
    db.flush()?;
    let engine_db = layout.engine().join("db");
    File::open(&engine_db)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::file(&engine_db, e))?;
    drop(pages);
    let mut empty = Snapshot::empty(0, node_kind_names(schema), edge_kind_names(schema));
    empty.derive();
    let header = snapfile::write(&layout.snapshots(), &empty, FORMAT_VERSION)?;
    MarkerFile::create(
        &layout.marker(),
        &Marker {
            current: Manifest::empty(header.checksum()),
            previous: None,
            next_generation: 1,
            pruned: true,
        },
    )?;
    layout::sync_dir(&layout.store)?;
    layout::sync_dir(&layout.root)?;
    Ok(db)
}

/// Points `CURRENT` at store directory `name` (atomically, durably).
fn set_current(root: &Path, name: &str) -> Result<()> {
    crate::store::fail::failpoint!("current.write");
    layout::write_atomically(&root.join(layout::CURRENT), format!("{name}\n").as_bytes())
}

/// Removes store directories other than the live one (left by an interrupted init,
/// migration, compaction or restore).
fn remove_other_stores(root: &Path, live: &str) -> Result<()> {
    let entries = std::fs::read_dir(root).map_err(|e| StoreError::file(root, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name != live && layout::store_dir_number(&name).is_some() {
            layout::remove(&entry.path())?;
        }
    }
    Ok(())
}

impl Store {
    /// Creates a database at `path` with `schema`, or, if one exists, merges `extension`
    /// (when given) into its schema. Returns the store and whether it was created.
    pub fn init(path: &Path, schema: Schema, extension: Option<Schema>) -> Result<(Store, bool)> {
        if path.join(layout::CURRENT).exists() || v1::present(path) {
            let store = Store::open(path)?;
            if let Some(ext) = extension {
                let mut merged = store.schema();
                merged.merge(ext)?;
                let _writer = store.lock_writer()?;
                store.db.insert(META_SCHEMA, merged.to_toml().as_bytes())?;
                store.sync_engine()?;
                *store.schema.write().unwrap_or_else(|p| p.into_inner()) = merged;
            }
            return Ok((store, false));
        }
        let mut schema = schema;
        if let Some(ext) = extension {
            schema.merge(ext)?;
        }
        layout::create_dir(path)?;
        let lock = lock_directory(path)?;
        let name = layout::store_dir_name(1);
        remove_other_stores(path, "")?;
        let layout = Layout::new(path, &name);
        let db = create_store(&layout, &schema)?;
        set_current(path, &name)?;
        Ok((Store::open_dir(layout, Some(lock), Some(db))?, true))
    }

    /// Opens an existing database: migrates it if it is of an older format, and discards
    /// whatever an interrupted write left (recovery).
    pub fn open(path: &Path) -> Result<Store> {
        let has_current = path.join(layout::CURRENT).exists();
        if !has_current && !v1::present(path) {
            let partial = std::fs::read_dir(path).is_ok_and(|d| {
                d.flatten()
                    .any(|e| layout::store_dir_number(&e.file_name().to_string_lossy()).is_some())
            });
            if partial {
                return Err(StoreError::NotADatabase {
                    path: path.to_path_buf(),
                    reason: "it was never fully initialised (run `innograph init` again)".into(),
                });
            }
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        let lock = lock_directory(path)?;
        let store = Store::open_locked(path, Some(lock))?;
        if !store.reclaim_pending() {
            return Ok(store);
        }
        let (store, _) = store.reclaim_space()?;
        Ok(store)
    }

    /// Whether a discarded write (an interrupted or undone import) left enough unused space
    /// in the engine's file that the store asked to be compacted.
    pub fn reclaim_pending(&self) -> bool {
        self.layout.reclaim().exists()
    }

    /// Gives back the space a discarded write left (when the store asked for it, see
    /// [`Store::reclaim_pending`]) by compacting the database at `path`, as `compact` does.
    /// Returns what the compaction did, or `None` when none was needed. Refuses while
    /// another process has the database open.
    pub fn reclaim(path: &Path) -> Result<Option<CompactReport>> {
        let store = Store::open_locked(path, Some(lock_directory(path)?))?;
        if !store.reclaim_pending() {
            return Ok(None);
        }
        let (_, report) = store.reclaim_space()?;
        Ok(report)
    }

    /// Compacts this store (whose database lock it holds) and opens the result. A failed
    /// compaction (a full disk) is logged and the store reopened as it was: the request
    /// stays, and the next open tries again.
    fn reclaim_space(mut self) -> Result<(Store, Option<CompactReport>)> {
        let root = self.path.clone();
        let lock = self._lock.take();
        drop(self);
        let report = match compact::compact_locked(&root) {
            Ok(report) => {
                tracing::info!(
                    before = report.before,
                    after = report.after,
                    "compacted the space a discarded write left"
                );
                Some(report)
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not compact the space a discarded write left; the next open tries again");
                None
            }
        };
        Ok((Store::open_locked(&root, lock)?, report))
    }

    /// Opens the database at `root`, whose lock the caller holds (or, with `None`, a
    /// store directory the caller is building).
    fn open_locked(root: &Path, lock: Option<File>) -> Result<Store> {
        if layout::read_current(root)?.is_none() {
            return compact::migrate_v1(root, lock);
        }
        let name = layout::read_current(root)?.ok_or_else(|| StoreError::NotADatabase {
            path: root.to_path_buf(),
            reason: "no CURRENT file".into(),
        })?;
        if v1::present(root) {
            // A migration finished but did not get to remove the old files.
            v1::remove_files(root)?;
        }
        remove_other_stores(root, &name)?;
        Store::open_dir(Layout::new(root, &name), lock, None)
    }

    /// Opens one store directory (its engine already open when `db` is given) and
    /// recovers it.
    fn open_dir(layout: Layout, lock: Option<File>, db: Option<sled::Db>) -> Result<Store> {
        let not_db = |reason: &str| StoreError::NotADatabase {
            path: layout.root.clone(),
            reason: reason.to_string(),
        };
        let db = match db {
            Some(db) => db,
            None => open_engine(&layout.engine())?,
        };
        let format = db
            .get(META_FORMAT)?
            .ok_or_else(|| not_db("its store directory was never fully initialised"))?;
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
        if format < FORMAT_VERSION {
            return Err(not_db(&format!(
                "format {format} in a format-{FORMAT_VERSION} layout"
            )));
        }
        let schema_text = db
            .get(META_SCHEMA)?
            .ok_or_else(|| not_db("no schema stored"))?;
        let schema_text = std::str::from_utf8(&schema_text)
            .map_err(|_| StoreError::Corrupt("stored schema is not UTF-8".into()))?;
        let schema = Schema::from_toml(schema_text)?;
        let (marker_file, marker) = MarkerFile::open(&layout.marker())?;
        let engine_db = layout.engine().join("db");
        let engine_file = File::open(&engine_db).map_err(|e| StoreError::file(&engine_db, e))?;
        let store = Store {
            path: layout.root.clone(),
            pages: Pages::new(db.open_tree("pages")?),
            log: db.open_tree("log")?,
            changes: db.open_tree("changes")?,
            layout,
            _lock: lock,
            db,
            engine_file,
            marker_file: Mutex::new(marker_file),
            schema: RwLock::new(schema),
            marker: RwLock::new(marker),
            writer: Mutex::new(()),
            snapshot: Mutex::new(None),
            catalog: Mutex::new(None),
            name_index: Mutex::new(None),
        };
        {
            let _writer = store.lock_writer()?;
            maintenance::recover(&store)?;
            store.db.flush()?;
        }
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

    /// Bytes the database takes on disk.
    pub fn disk_usage(&self) -> u64 {
        layout::disk_usage(&self.path)
    }

    /// The node with this id, as published.
    pub fn node(&self, id: &str) -> Result<Option<NodeRecord>> {
        let key = record::node_key(id);
        self.pages
            .get(&key, self.generation())?
            .map(|body| record::decode_node(&key, &body))
            .transpose()
    }

    /// The edge with this identity, as published.
    pub fn edge(&self, id: &EdgeId) -> Result<Option<EdgeRecord>> {
        let key = record::edge_key(id);
        self.pages
            .get(&key, self.generation())?
            .map(|body| record::decode_edge(&key, &body))
            .transpose()
    }

    /// Every published node, in id order.
    pub fn nodes(&self) -> impl Iterator<Item = Result<NodeRecord>> + '_ {
        pages::entries(self.pages.visible(NODE, self.generation()))
            .map(|e| e.and_then(|e| record::decode_node(&e.key, &e.body)))
    }

    /// Every published edge, in (source, target, kind, key) order.
    pub fn edges(&self) -> impl Iterator<Item = Result<EdgeRecord>> + '_ {
        pages::entries(self.pages.visible(EDGE, self.generation()))
            .map(|e| e.and_then(|e| record::decode_edge(&e.key, &e.body)))
    }

    /// The published edges leaving `source`.
    pub fn edges_from(&self, source: &str) -> impl Iterator<Item = Result<EdgeRecord>> + '_ {
        let prefix = record::edge_source_prefix(source);
        let pages = self.pages.visible_from(EDGE, &prefix, self.generation());
        pages::entries(pages)
            .skip_while({
                let prefix = prefix.clone();
                move |e| {
                    e.as_ref()
                        .is_ok_and(|e| e.key.as_slice() < prefix.as_slice())
                }
            })
            .take_while(move |e| e.as_ref().map_or(true, |e| e.key.starts_with(&prefix)))
            .map(|e| e.and_then(|e| record::decode_edge(&e.key, &e.body)))
    }

    /// The analysis snapshot of the published generation (loaded once, then shared).
    pub fn snapshot(&self) -> Result<Arc<Snapshot>> {
        self.snapshot_of(&self.manifest())
    }

    /// The snapshot of `manifest`'s generation (the published one, or the previous one).
    fn snapshot_of(&self, manifest: &Manifest) -> Result<Arc<Snapshot>> {
        let mut cached = lock(&self.snapshot);
        if let Some(s) = cached
            .as_ref()
            .filter(|s| s.generation() == manifest.generation)
        {
            return Ok(Arc::clone(s));
        }
        // The snapshot of the generation before, plus this one's changes: what a server
        // holding the snapshot does after each small write.
        let marker = self.marker();
        let derivable = cached.as_ref().is_some_and(|s| {
            marker.current == *manifest
                && marker
                    .previous
                    .as_ref()
                    .is_some_and(|p| p.generation == s.generation() && p.base == manifest.base)
        });
        let snap = match (derivable, cached.as_ref()) {
            (true, Some(previous)) => {
                let mut delta = Delta::default();
                delta.extend(log::changes_between(
                    &self.changes,
                    previous.generation(),
                    manifest.generation,
                )?);
                previous.apply(manifest.generation, delta.changes())?
            }
            _ => self.load_snapshot(manifest)?,
        };
        let snap = Arc::new(snap);
        *cached = Some(Arc::clone(&snap));
        Ok(snap)
    }

    /// Loads the snapshot of `manifest`'s generation: its base file, every section
    /// checked, plus the changes since.
    fn load_snapshot(&self, manifest: &Manifest) -> Result<Snapshot> {
        let base = self.base_file(manifest)?;
        let schema = self.schema();
        let mut snap = base
            .load()?
            .with_kind_tables(&node_kind_names(&schema), &edge_kind_names(&schema));
        let delta = self.delta(manifest)?;
        if delta.is_empty() {
            snap.generation = manifest.generation;
            return Ok(snap);
        }
        snap.apply(manifest.generation, delta.changes())
    }

    fn base_file(&self, manifest: &Manifest) -> Result<BaseFile> {
        let path = self
            .layout
            .snapshots()
            .join(snapfile::file_name(manifest.base));
        let file = BaseFile::open(&path)?;
        if file.header().checksum() != manifest.snapshot_checksum {
            return Err(StoreError::Corrupt(format!(
                "snapshot file {} does not match the manifest's checksum",
                path.display()
            )));
        }
        Ok(file)
    }

    fn delta(&self, manifest: &Manifest) -> Result<Delta> {
        let mut delta = Delta::default();
        delta.extend(log::changes_between(
            &self.changes,
            manifest.base,
            manifest.generation,
        )?);
        Ok(delta)
    }

    /// Remembers the snapshot a write derived (the new published one).
    fn cache_snapshot(&self, snapshot: Arc<Snapshot>) {
        *lock(&self.snapshot) = Some(snapshot);
    }

    /// Point queries on the published generation, without materialising the snapshot
    /// unless this process already holds it.
    pub fn catalog(&self) -> Result<Arc<Catalog>> {
        self.catalog_at(&self.manifest())
    }

    fn catalog_at(&self, manifest: &Manifest) -> Result<Arc<Catalog>> {
        if let Some(s) = lock(&self.snapshot)
            .as_ref()
            .filter(|s| s.generation() == manifest.generation)
        {
            return Ok(Arc::new(Catalog::full(Arc::clone(s))));
        }
        let mut cached = lock(&self.catalog);
        if let Some(c) = cached
            .as_ref()
            .filter(|c| c.generation() == manifest.generation)
        {
            return Ok(Arc::clone(c));
        }
        let catalog = Arc::new(Catalog::light(
            manifest.generation,
            self.base_file(manifest)?,
            self.delta(manifest)?,
        ));
        *cached = Some(Arc::clone(&catalog));
        Ok(catalog)
    }

    /// The name index of the published generation, which search reads: the normalised
    /// names kept in the snapshot base plus those of the nodes changed since (loaded once
    /// per generation, then shared).
    pub fn name_index(&self) -> Result<Arc<NameIndex>> {
        let manifest = self.manifest();
        let mut cached = lock(&self.name_index);
        if let Some(index) = cached
            .as_ref()
            .filter(|i| i.generation() == manifest.generation)
        {
            return Ok(Arc::clone(index));
        }
        let index = Arc::new(NameIndex::read(
            manifest.generation,
            self.base_file(&manifest)?,
            &self.delta(&manifest)?,
        )?);
        *cached = Some(Arc::clone(&index));
        Ok(index)
    }

    /// Rewrites the published snapshot base without its name index, as an older innograph
    /// wrote it (for the tests of search's fallback), and republishes the marker with the
    /// file's new checksum.
    #[cfg(test)]
    pub(crate) fn drop_name_index(&self) -> Result<()> {
        let _guard = lock(&self.writer);
        let marker = self.marker();
        let base = marker.current.base;
        let snapshot = self.base_file(&marker.current)?.load()?;
        let header =
            snapfile::write_columns(&self.layout.snapshots(), &snapshot, FORMAT_VERSION, None)?;
        let rechecked = |m: &Manifest| Manifest {
            snapshot_checksum: if m.base == base {
                header.checksum()
            } else {
                m.snapshot_checksum
            },
            ..m.clone()
        };
        self.publish(&Marker {
            current: rechecked(&marker.current),
            previous: marker.previous.as_ref().map(rechecked),
            ..marker
        })?;
        *lock(&self.catalog) = None;
        *lock(&self.name_index) = None;
        *lock(&self.snapshot) = None;
        Ok(())
    }

    /// Takes the write lock of the store directory (`WRITER`), which every write and
    /// `backup` hold: a backup copies a store no write is changing.
    fn lock_writer(&self) -> Result<File> {
        layout::lock_file(&self.layout.writer_lock(), &self.path, true)
    }

    /// Starts a write. Only one write runs at a time; others wait.
    pub fn write(&self, note: &str) -> Result<WriteTxn<'_>> {
        let guard = lock(&self.writer);
        let writer = self.lock_writer()?;
        if !self.marker().pruned {
            // The last write's old page versions are dropped now, under this write's
            // lock, and made durable with it.
            maintenance::prune(self)?;
        }
        WriteTxn::begin(self, guard, writer, note, None)
    }

    /// Starts the one write of a store being rebuilt (see [`txn::Origin`]).
    fn write_as(&self, origin: txn::Origin) -> Result<WriteTxn<'_>> {
        let guard = lock(&self.writer);
        let writer = self.lock_writer()?;
        WriteTxn::begin(self, guard, writer, &origin.note.clone(), Some(origin))
    }

    /// Restores the previous generation, undoing the last write. Only the last write can
    /// be undone; after an undo there is nothing further to undo until the next write.
    pub fn undo(&self) -> Result<Manifest> {
        let _guard = lock(&self.writer);
        let _writer = self.lock_writer()?;
        let restored = maintenance::undo(self)?;
        self.db.flush()?;
        Ok(restored)
    }

    /// Verifies the store: every record decodes, counts and digest agree with the
    /// manifest, and the snapshot equals one rebuilt from the records.
    pub fn check(&self) -> Result<CheckReport> {
        let _guard = lock(&self.writer);
        check::check(self)
    }

    /// Writes everything to disk (sled flushed, its file fsynced).
    pub fn flush(&self) -> Result<()> {
        self.sync_engine()
    }

    /// Makes everything written to sled durable: its buffers written (sled's `flush`,
    /// which only uses `sync_file_range`), then its file fsynced (`fdatasync`), so that
    /// data and file size survive a power cut.
    fn sync_engine(&self) -> Result<()> {
        crate::store::fail::failpoint!("engine.sync");
        self.db.flush()?;
        crate::store::fail::failpoint!("engine.fsync");
        self.engine_file
            .sync_data()
            .map_err(|e| StoreError::file(&self.layout.engine().join("db"), e))
    }

    /// Publishes a marker (durably) and makes it the one this process reads.
    ///
    /// When writing it fails, what the marker file now says decides: if it still names the
    /// old marker, the error is returned and nothing is published; if the new marker
    /// reached the file (only its fsync failed), the write is published — the next open
    /// would show it — so this process takes it as published too and tries the fsync
    /// again: `Ok` if that works, else [`StoreError::NotDurable`]. Either way, a caller
    /// never discards a generation the marker file names.
    fn publish(&self, marker: &Marker) -> Result<()> {
        let mut file = lock(&self.marker_file);
        let failure = match file.publish(marker) {
            Ok(()) => {
                *self.marker.write().unwrap_or_else(|p| p.into_inner()) = marker.clone();
                return Ok(());
            }
            Err(e) => e,
        };
        let (on_file, synced) = file.settle()?;
        let published = on_file == *marker;
        *self.marker.write().unwrap_or_else(|p| p.into_inner()) = on_file;
        match (published, synced) {
            (false, _) => Err(failure),
            (true, Ok(())) => {
                tracing::warn!(error = %failure, "publishing needed a second fsync of the marker");
                Ok(())
            }
            (true, Err(e)) => Err(StoreError::NotDurable(Box::new(e))),
        }
    }
}
