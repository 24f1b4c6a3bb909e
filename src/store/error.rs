//! Errors of the storage layer: typed, so callers can tell an unusable directory, a
//! database in use, a full disk and damage apart.

use std::path::{Path, PathBuf};

use thiserror::Error;

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
    /// The write's generation marker reached the file, so the write is published (the next
    /// open shows it), but making it durable failed: a power cut could still lose it.
    #[error("the write was published, but making it durable failed: {0}")]
    NotDurable(#[source] Box<StoreError>),
    /// The write was interrupted (Ctrl-C); nothing was published.
    #[error("interrupted; nothing was written")]
    Interrupted,
    /// A failure a test injected at a failpoint.
    #[cfg(test)]
    #[error("injected failure at `{0}`")]
    Injected(&'static str),
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
