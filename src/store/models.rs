//! Derived files kept beside the published generation: today the rankers `gaps` and
//! `partners` train (see `query::learned_kept`), so that a second question about the same
//! generation does not train again.
//!
//! They live in `store-NNNNNN/models/`, one file per name, each written atomically (a
//! temporary file, fsynced, renamed, the directory fsynced) with a checksum, and read back
//! whole or not at all. The store keeps bytes only: what they mean, and which generation
//! they belong to, is the caller's to record and check. A name is replaced, never added to,
//! so the directory holds at most one file per name the caller uses. Being inside the store
//! directory, the files are carried by `backup` and left behind by `compact` and `restore`
//! (both build a new store directory); a lost file only costs the next question a training.

use std::path::PathBuf;

use super::codec::hash_bytes;
use super::{layout, Result, Store, StoreError};

/// The first bytes of a kept file.
const MAGIC: &[u8; 8] = b"IGKEPT01";
/// Magic, payload length, checksum of the payload.
const HEADER: usize = 8 + 8 + 8;

/// Whether `name` can name a kept file: ASCII letters, digits, `-`, `_` and `.`, not
/// starting with `.`, at most 100 bytes.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

impl Store {
    /// The directory of kept files.
    fn kept_dir(&self) -> PathBuf {
        self.layout.store.join("models")
    }

    fn kept_path(&self, name: &str) -> Result<PathBuf> {
        if !valid_name(name) {
            return Err(StoreError::Corrupt(format!(
                "`{name}` cannot name a kept file (letters, digits, -, _ and . only)"
            )));
        }
        Ok(self.kept_dir().join(format!("{name}.kept")))
    }

    /// The bytes last kept under `name`: `None` when there are none, an error when the file
    /// cannot be read or is damaged (wrong magic, length or checksum).
    pub fn kept(&self, name: &str) -> Result<Option<Vec<u8>>> {
        let path = self.kept_path(name)?;
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StoreError::file(&path, e)),
        };
        let damaged = |why: &str| StoreError::Corrupt(format!("{}: {why}", path.display()));
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(damaged("not a kept file"));
        }
        let word = |at: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&bytes[at..at + 8]);
            u64::from_le_bytes(w)
        };
        let payload = &bytes[HEADER..];
        if word(8) != payload.len() as u64 {
            return Err(damaged("truncated"));
        }
        if word(16) != hash_bytes(payload) {
            return Err(damaged("checksum mismatch"));
        }
        Ok(Some(payload.to_vec()))
    }

    /// Keeps `bytes` under `name`, replacing what was kept there, atomically and durably.
    pub fn keep(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let path = self.kept_path(name)?;
        let dir = self.kept_dir();
        if !dir.is_dir() {
            layout::create_dir(&dir)?;
            layout::sync_dir(&self.layout.store)?;
        }
        let mut file = Vec::with_capacity(HEADER + bytes.len());
        file.extend_from_slice(MAGIC);
        file.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        file.extend_from_slice(&hash_bytes(bytes).to_le_bytes());
        file.extend_from_slice(bytes);
        layout::write_atomically(&path, &file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Schema;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::init(&dir.path().join("db"), Schema::builtin(), None).unwrap();
        (dir, store)
    }

    #[test]
    fn kept_bytes_come_back_and_are_replaced_in_place() {
        let (_dir, store) = store();
        assert_eq!(store.kept("a-b").unwrap(), None);
        store.keep("a-b", b"first").unwrap();
        store.keep("a-b", b"second, longer").unwrap();
        assert_eq!(
            store.kept("a-b").unwrap().as_deref(),
            Some(&b"second, longer"[..])
        );
        let files: Vec<_> = std::fs::read_dir(store.kept_dir()).unwrap().collect();
        assert_eq!(files.len(), 1);
    }

    #[test]
    fn a_damaged_file_is_an_error_never_bytes() {
        let (_dir, store) = store();
        store.keep("m", b"payload").unwrap();
        let path = store.kept_path("m").unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert!(store
            .kept("m")
            .unwrap_err()
            .to_string()
            .contains("checksum"));
        std::fs::write(&path, &bytes[..10]).unwrap();
        assert!(store.kept("m").is_err());
        bytes.truncate(last);
        std::fs::write(&path, &bytes).unwrap();
        assert!(store
            .kept("m")
            .unwrap_err()
            .to_string()
            .contains("truncated"));
    }

    #[test]
    fn names_cannot_leave_the_directory() {
        let (_dir, store) = store();
        for bad in ["", "../x", "a/b", ".hidden", "é"] {
            assert!(store.keep(bad, b"x").is_err(), "{bad}");
            assert!(store.kept(bad).is_err(), "{bad}");
        }
    }
}
