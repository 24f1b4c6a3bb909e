//! The storage format: format version, record encoding (bincode 2 with serde) and the
//! checksum used by manifests and snapshots. Changing any of these means a new
//! [`FORMAT_VERSION`].

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::StoreError;

/// Version of the on-disk format. Version 1: versioned records in one `data` tree, change
/// log, per-generation snapshots, marker in the default tree.
pub const FORMAT_VERSION: u32 = 1;

fn config() -> bincode::config::Configuration {
    bincode::config::standard()
}

/// Encodes a stored value.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    bincode::serde::encode_to_vec(value, config()).map_err(|e| StoreError::Encode(e.to_string()))
}

/// Decodes a stored value; `what` names it in the error.
pub fn decode<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, StoreError> {
    let (value, used) = bincode::serde::decode_from_slice(bytes, config())
        .map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))?;
    if used != bytes.len() {
        return Err(StoreError::Corrupt(format!(
            "{what}: {} trailing bytes",
            bytes.len() - used
        )));
    }
    Ok(value)
}

/// A fast, stable 64-bit hash of bytes (word-at-a-time multiply–rotate, then a final mix).
/// Stable across platforms and versions: it is part of the format.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = 0xCBF2_9CE4_8422_2325 ^ (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    let mut tail = [0u8; 8];
    let rest = chunks.remainder();
    tail[..rest.len()].copy_from_slice(rest);
    h = (h.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^ (h >> 33)
}

/// The contribution of one visible record to a generation's checksum. The checksum of a
/// generation is the wrapping sum over its visible records, so it can be kept up to date
/// one write at a time and recomputed by a scan in any order.
pub fn record_hash(base: &[u8], value: &[u8]) -> u64 {
    hash_bytes(base).wrapping_mul(0x100_0000_01B3) ^ hash_bytes(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_depends_on_every_byte_and_length() {
        assert_ne!(hash_bytes(b"abc"), hash_bytes(b"abd"));
        assert_ne!(hash_bytes(b"abc"), hash_bytes(b"abc\0"));
        assert_eq!(hash_bytes(b"stable"), hash_bytes(b"stable"));
    }
}
