//! The database directory and the file operations the store relies on.
//!
//! ```text
//! DIR/LOCK                          held (flock) by the process that has the database open
//! DIR/CURRENT                       names the live store directory, replaced atomically
//! DIR/store-NNNNNN/engine/          sled: record pages, change log, schema
//! DIR/store-NNNNNN/MARKER           the published generation (two checksummed slots)
//! DIR/store-NNNNNN/WRITER           locked (flock) by every write, and by `backup`
//! DIR/store-NNNNNN/snapshots/       snapshot base files, base-<generation>.snap
//! DIR/store-NNNNNN/tmp/             sorted runs of a large write in progress
//! DIR/store-NNNNNN/RECLAIM          present when a discarded write left space to give back
//! ```
//!
//! `compact` and `restore` build a new `store-NNNNNN` beside the live one and switch
//! `CURRENT` to it with one atomic rename, so a crash leaves one or the other.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Result, StoreError};

/// The lock file a process holds while it has the database open.
pub const LOCK: &str = "LOCK";
/// The file naming the live store directory.
pub const CURRENT: &str = "CURRENT";

/// Paths of one store directory.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The database directory (what `--db` names).
    pub root: PathBuf,
    /// The live store directory inside it.
    pub store: PathBuf,
}

impl Layout {
    /// The layout of store directory `name` under `root`.
    pub fn new(root: &Path, name: &str) -> Layout {
        Layout {
            root: root.to_path_buf(),
            store: root.join(name),
        }
    }

    /// sled's directory.
    pub fn engine(&self) -> PathBuf {
        self.store.join("engine")
    }

    /// The marker file.
    pub fn marker(&self) -> PathBuf {
        self.store.join("MARKER")
    }

    /// The write lock file.
    pub fn writer_lock(&self) -> PathBuf {
        self.store.join("WRITER")
    }

    /// The snapshot base files' directory.
    pub fn snapshots(&self) -> PathBuf {
        self.store.join("snapshots")
    }

    /// The file asking for a compaction (written when a discarded write left much unused
    /// space in sled's file).
    pub fn reclaim(&self) -> PathBuf {
        self.store.join("RECLAIM")
    }

    /// The directory of temporary files (runs of a write in progress).
    pub fn tmp(&self) -> PathBuf {
        self.store.join("tmp")
    }
}

/// The name of store directory number `n`.
pub fn store_dir_name(n: u64) -> String {
    format!("store-{n:06}")
}

/// The number of a store directory name.
pub fn store_dir_number(name: &str) -> Option<u64> {
    name.strip_prefix("store-")?.parse().ok()
}

/// Reads `CURRENT`: the live store directory's name, if the database has one.
pub fn read_current(root: &Path) -> Result<Option<String>> {
    let path = root.join(CURRENT);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let name = text.trim();
            if store_dir_number(name).is_none() {
                return Err(StoreError::Corrupt(format!(
                    "{} names `{name}`, not a store directory",
                    path.display()
                )));
            }
            Ok(Some(name.to_string()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::file(&path, e)),
    }
}

/// fsyncs a directory, so that entries created, renamed or removed in it are durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    crate::store::fail::failpoint!("dir.sync");
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| StoreError::file(dir, e))
}

/// Replaces `path` with `bytes` atomically and durably: written to a temporary name,
/// fsynced, renamed over `path`, the directory fsynced.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = path.with_extension("tmp");
    let io = |e: std::io::Error| StoreError::file(&tmp, e);
    let mut f = File::create(&tmp).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.sync_all().map_err(io)?;
    drop(f);
    std::fs::rename(&tmp, path).map_err(|e| StoreError::file(path, e))?;
    sync_dir(dir)
}

/// Creates a directory (and its parents) if missing.
pub fn create_dir(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|e| StoreError::file(path, e))
}

/// Removes a file or a directory tree if present.
pub fn remove(path: &Path) -> Result<()> {
    let result = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => Err(e),
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
    };
    result.map_err(|e| StoreError::file(path, e))
}

/// Opens (creating) a lock file and takes an exclusive lock on it: without waiting when
/// `wait` is false ([`StoreError::InUse`] naming `what` if another process holds it).
pub fn lock_file(path: &Path, what: &Path, wait: bool) -> Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| StoreError::file(path, e))?;
    let result = if wait {
        fs2::FileExt::lock_exclusive(&file)
    } else {
        fs2::FileExt::try_lock_exclusive(&file)
    };
    match result {
        Ok(()) => Ok(file),
        Err(e) if e.kind() == fs2::lock_contended_error().kind() => {
            Err(StoreError::InUse(what.to_path_buf()))
        }
        Err(e) => Err(StoreError::file(path, e)),
    }
}

/// Total size in bytes of the files under `path` (what `du` would count, roughly).
pub fn disk_usage(path: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if !meta.is_dir() {
        use std::os::unix::fs::MetadataExt;
        return meta.blocks() * 512;
    }
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| disk_usage(&e.path()))
                .sum()
        })
        .unwrap_or(0)
}

/// Copies a directory tree (files only), fsyncing every file and directory written.
pub fn copy_tree(from: &Path, to: &Path, skip: &dyn Fn(&Path) -> bool) -> Result<u64> {
    create_dir(to)?;
    let mut bytes = 0;
    let entries = std::fs::read_dir(from).map_err(|e| StoreError::file(from, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::file(from, e))?;
        let source = entry.path();
        if skip(&source) {
            continue;
        }
        let target = to.join(entry.file_name());
        let kind = entry
            .file_type()
            .map_err(|e| StoreError::file(&source, e))?;
        if kind.is_dir() {
            bytes += copy_tree(&source, &target, skip)?;
        } else if kind.is_file() {
            bytes += std::fs::copy(&source, &target).map_err(|e| StoreError::file(&target, e))?;
            File::open(&target)
                .and_then(|f| f.sync_all())
                .map_err(|e| StoreError::file(&target, e))?;
        }
    }
    sync_dir(to)?;
    Ok(bytes)
}
