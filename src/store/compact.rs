//! Rewriting a database into a fresh store directory, and copying one: migration from an
//! older format, `compact` (what `VACUUM` is to SQLite), `backup` and `restore`.
//!
//! Each builds a complete store directory beside the live one and then switches `CURRENT`
//! to it with one atomic rename, so a crash at any point leaves the old database or the
//! new one, never a mix; the next open removes the directory that lost.

use std::path::{Path, PathBuf};

use super::layout::{self, Layout};
use super::txn::Origin;
use super::v1::{self, ReaderV1};
use super::{
    create_store, lock_directory, remove_other_stores, set_current, Manifest, Result, Store,
    StoreError,
};
use crate::model::{EdgeRecord, NodeRecord, Schema};

/// What `compact` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompactReport {
    /// Bytes on disk before.
    pub before: u64,
    /// Bytes on disk after.
    pub after: u64,
    /// The manifest of the compacted store (the same generation, counts and digest).
    pub manifest: Manifest,
}

/// What `backup` or `restore` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    /// The directory written.
    pub path: PathBuf,
    /// Bytes copied.
    pub bytes: u64,
    /// The manifest of the copy (as `check` verified it).
    pub manifest: Manifest,
}

/// Builds store directory `name` under `root` holding `nodes` and `edges` as the single
/// generation `origin` says (its number, note and time kept), and returns it open.
fn rebuild(
    root: &Path,
    name: &str,
    schema: &Schema,
    origin: Origin,
    nodes: impl Iterator<Item = Result<NodeRecord>>,
    edges: impl Iterator<Item = Result<EdgeRecord>>,
) -> Result<Store> {
    let layout = Layout::new(root, name);
    let db = create_store(&layout, schema)?;
    let store = Store::open_dir(layout, None, Some(db))?;
    let mut txn = store.write_as(origin)?;
    for node in nodes {
        txn.put_node(&node?)?;
    }
    for edge in edges {
        txn.put_edge(&edge?)?;
    }
    txn.commit()?;
    store.sync_engine()?;
    Ok(store)
}

/// Checks that a rewritten store holds what the original did.
fn same_content(original: &Manifest, copy: &Manifest, what: &str) -> Result<()> {
    if original.generation != copy.generation
        || original.checksum != copy.checksum
        || original.node_kinds != copy.node_kinds
        || original.edge_kinds != copy.edge_kinds
    {
        return Err(StoreError::Corrupt(format!(
            "the {what} does not hold the same records: generation {} digest {:016x} ({} nodes, {} edges) became generation {} digest {:016x} ({} nodes, {} edges); the database was left as it was",
            original.generation,
            original.checksum,
            original.nodes,
            original.edges,
            copy.generation,
            copy.checksum,
            copy.nodes,
            copy.edges
        )));
    }
    Ok(())
}

/// Migrates the format-1 database at `root` (whose lock the caller holds, passed in
/// `lock`) to the current format: its published generation, with the same number, records
/// and digest. (The generation before it is not carried over, so the last write can no
/// longer be undone.) Returns the migrated store, open.
pub(super) fn migrate_v1(root: &Path, lock: Option<std::fs::File>) -> Result<Store> {
    if !v1::present(root) {
        return Err(StoreError::NotADatabase {
            path: root.to_path_buf(),
            reason: "no CURRENT file".into(),
        });
    }
    let old = ReaderV1::open(root)?;
    let m = old.marker.current.clone();
    let original = Manifest {
        generation: m.generation,
        nodes: m.nodes,
        edges: m.edges,
        node_kinds: m.node_kinds.clone(),
        edge_kinds: m.edge_kinds.clone(),
        checksum: m.checksum,
        base: m.generation,
        snapshot_checksum: 0,
        delta_records: 0,
        note: m.note.clone(),
        unix_time: m.unix_time,
    };
    let origin = Origin {
        generation: m.generation,
        note: m.note.clone(),
        unix_time: m.unix_time,
        next_generation: old.marker.next_generation.max(m.generation + 1),
    };
    let name = layout::store_dir_name(1);
    remove_other_stores(root, "")?;
    let mut store = rebuild(root, &name, &old.schema, origin, old.nodes(), old.edges())?;
    same_content(&original, &store.manifest(), "migrated database")?;
    old.close()?;
    set_current(root, &name)?;
    tracing::info!(
        generation = original.generation,
        "migrated the database from format 1"
    );
    v1::remove_files(root)?;
    store._lock = lock;
    Ok(store)
}

/// The name of the store directory after the live one.
fn next_store_name(root: &Path) -> Result<String> {
    let n = layout::read_current(root)?
        .and_then(|name| layout::store_dir_number(&name))
        .unwrap_or(0);
    Ok(layout::store_dir_name(n + 1))
}

impl Store {
    /// Rewrites the database at `path` into a fresh store directory holding only the
    /// published generation (the same number, records and digest), then switches to it
    /// atomically and removes the old one. Refuses while another process has it open.
    /// (Compaction drops the generation kept for undo.)
    pub fn compact(path: &Path) -> Result<CompactReport> {
        if !path.join(layout::CURRENT).exists() && !v1::present(path) {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        let _lock = lock_directory(path)?;
        compact_locked(path)
    }
    /// Copies the database at `path` to `out` (a new directory), consistently, even while
    /// another process (a server) has it open: the copy is made under the store's write
    /// lock, so no write changes it meanwhile, then opened and checked.
    pub fn backup(path: &Path, out: &Path) -> Result<BackupReport> {
        if std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_some()) {
            return Err(StoreError::File {
                path: out.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "the backup directory exists and is not empty",
                ),
            });
        }
        // Opened here when no other process has it (so it is recovered and migrated
        // first); otherwise copied under the write lock of the process that has it.
        let own = match Store::open(path) {
            Ok(store) => Some(store),
            Err(StoreError::InUse(_)) => None,
            Err(e) => return Err(e),
        };
        let name =
            layout::read_current(path)?.ok_or_else(|| StoreError::Missing(path.to_path_buf()))?;
        let source = Layout::new(path, &name);
        let writer = layout::lock_file(&source.writer_lock(), path, true)?;
        if layout::read_current(path)?.as_deref() != Some(name.as_str()) {
            return Err(StoreError::InUse(path.to_path_buf()));
        }
        let copy_name = layout::store_dir_name(1);
        let target = out.join(&copy_name);
        layout::create_dir(out)?;
        let skip_tmp = source.tmp();
        let skip_writer = source.writer_lock();
        let copied = layout::copy_tree(&source.store, &target, &|p: &Path| {
            p == skip_tmp || p == skip_writer
        });
        drop(writer);
        drop(own);
        let result = copied
            .and_then(|bytes| set_current(out, &copy_name).map(|()| bytes))
            .and_then(|bytes| verified_copy(out, bytes));
        if result.is_err() {
            let _ = layout::remove(out);
        }
        result
    }

    /// Replaces the database at `path` (created if missing) with the backup at `from`,
    /// atomically: the backup is copied beside the live store, opened and checked, and
    /// only then made current. Refuses while another process has the database open.
    pub fn restore(path: &Path, from: &Path) -> Result<BackupReport> {
        let name = layout::read_current(from)?.ok_or_else(|| StoreError::NotADatabase {
            path: from.to_path_buf(),
            reason: "not a backup made by `innograph backup` (no CURRENT file)".into(),
        })?;
        let source = Layout::new(from, &name);
        layout::create_dir(path)?;
        let _lock = lock_directory(path)?;
        let target_name = next_store_name(path)?;
        let target = path.join(&target_name);
        let skip_tmp = source.tmp();
        let skip_writer = source.writer_lock();
        let result = layout::copy_tree(&source.store, &target, &|p: &Path| {
            p == skip_tmp || p == skip_writer
        })
        .and_then(|bytes| {
            let restored = Store::open_dir(Layout::new(path, &target_name), None, None)?;
            let report = restored.check()?;
            if !report.is_ok() {
                return Err(StoreError::Corrupt(format!(
                    "the backup at {} does not pass check: {}",
                    from.display(),
                    report.problems.join("; ")
                )));
            }
            Ok((bytes, restored.manifest()))
        });
        let (bytes, manifest) = match result {
            Ok(x) => x,
            Err(e) => {
                let _ = layout::remove(&target);
                return Err(e);
            }
        };
        crate::store::fail::failpoint!("restore.switch");
        set_current(path, &target_name)?;
        if v1::present(path) {
            v1::remove_files(path)?;
        }
        remove_other_stores(path, &target_name)?;
        Ok(BackupReport {
            path: path.to_path_buf(),
            bytes,
            manifest,
        })
    }
}

/// Opens a fresh copy and checks it.
fn verified_copy(out: &Path, bytes: u64) -> Result<BackupReport> {
    let copy = Store::open(out)?;
    let report = copy.check()?;
    if !report.is_ok() {
        return Err(StoreError::Corrupt(format!(
            "the copy does not pass check: {}",
            report.problems.join("; ")
        )));
    }
    Ok(BackupReport {
        path: out.to_path_buf(),
        bytes,
        manifest: copy.manifest(),
    })
}

/// [`Store::compact`] for a caller holding the database's lock.
pub(super) fn compact_locked(path: &Path) -> Result<CompactReport> {
    let before = layout::disk_usage(path);

    let store = Store::open_locked(path, None)?;
    let old_dir = store.layout.store.clone();
    let writer = store.lock_writer()?;
    let original = store.manifest();
    let marker = store.marker();
    let name = next_store_name(path)?;
    let origin = Origin {
        generation: original.generation,
        note: original.note.clone(),
        unix_time: original.unix_time,
        next_generation: marker.next_generation,
    };
    let rebuilt = rebuild(
        path,
        &name,
        &store.schema(),
        origin,
        store.nodes(),
        store.edges(),
    )
    .and_then(|s| {
        let m = s.manifest();
        same_content(&original, &m, "compacted database").map(|()| m)
    });
    let manifest = match rebuilt {
        Ok(m) => m,
        Err(e) => {
            let _ = layout::remove(&path.join(&name));
            return Err(e);
        }
    };
    crate::store::fail::failpoint!("compact.switch");
    set_current(path, &name)?;
    drop(writer);
    drop(store);
    // Switched: a failure from here on is only logged (the next open removes the old
    // directory).
    let cleanup = || -> Result<()> {
        crate::store::fail::failpoint!("compact.cleanup");
        layout::remove(&old_dir)
    };
    if let Err(e) = cleanup() {
        tracing::warn!(error = %e, "could not remove the old store directory; the next open will");
    }
    Ok(CompactReport {
        before,
        after: layout::disk_usage(path),
        manifest,
    })
}
