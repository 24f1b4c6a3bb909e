//! The storage format: format version, record encoding (bincode 2 with serde) and the
//! checksum used by manifests and snapshots. Changing any of these means a new
//! [`FORMAT_VERSION`].

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::StoreError;

/// Version of the on-disk format. Version 1: one sled key per record version, snapshots as
/// sled values, marker in sled. Version 2: records packed in versioned pages, snapshot base
/// files beside sled plus change entries, the marker in its own file (see `store`).
/// Opening a version-1 database migrates it.
pub const FORMAT_VERSION: u32 = 2;

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

/// [`hash_bytes`] computed over bytes fed in pieces (the total length known up front):
/// the same value as hashing them concatenated.
#[derive(Debug, Clone)]
pub struct Hasher {
    h: u64,
    tail: [u8; 8],
    filled: usize,
}

const HASH_K: u64 = 0x9E37_79B9_7F4A_7C15;

impl Hasher {
    /// A hasher for `len` bytes in all.
    pub fn new(len: usize) -> Hasher {
        Hasher {
            h: 0xCBF2_9CE4_8422_2325 ^ (len as u64).wrapping_mul(HASH_K),
            tail: [0; 8],
            filled: 0,
        }
    }

    /// Feeds the next bytes.
    pub fn update(&mut self, mut bytes: &[u8]) {
        if self.filled > 0 {
            let take = (8 - self.filled).min(bytes.len());
            self.tail[self.filled..self.filled + take].copy_from_slice(&bytes[..take]);
            self.filled += take;
            bytes = &bytes[take..];
            if self.filled < 8 {
                return;
            }
            self.h = (self.h.rotate_left(5) ^ u64::from_le_bytes(self.tail)).wrapping_mul(HASH_K);
            self.filled = 0;
        }
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.h = (self.h.rotate_left(5) ^ w).wrapping_mul(HASH_K);
        }
        let rest = chunks.remainder();
        self.tail[..rest.len()].copy_from_slice(rest);
        self.filled = rest.len();
    }

    /// The hash.
    pub fn finish(self) -> u64 {
        let mut tail = [0u8; 8];
        tail[..self.filled].copy_from_slice(&self.tail[..self.filled]);
        let mut h = (self.h.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(HASH_K);
        h ^= h >> 33;
        h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        h ^ (h >> 33)
    }
}

/// The contribution of one visible record to a generation's checksum. The checksum of a
/// generation is the wrapping sum over its visible records, so it can be kept up to date
/// one write at a time and recomputed by a scan in any order.
#[cfg(test)]
pub fn record_hash(base: &[u8], value: &[u8]) -> u64 {
    combine_hashes(hash_bytes(base), hash_bytes(value))
}

/// [`record_hash`] from the hashes of its two parts.
pub fn combine_hashes(base: u64, value: u64) -> u64 {
    base.wrapping_mul(0x100_0000_01B3) ^ value
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::{EdgeRecord, NodeRecord, PropValue, Props};

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn pinned_node() -> NodeRecord {
        let mut props = Props::new();
        props.insert("chain_leader".into(), PropValue::Bool(true));
        props.insert("founded".into(), PropValue::Int(1985));
        props.insert("share".into(), PropValue::Float(0.25));
        props.insert("source".into(), PropValue::Text("沪科".into()));
        NodeRecord {
            id: "univ:sjtu".into(),
            kind: "university".into(),
            name: "上海交通大学".into(),
            name_en: Some("SJTU".into()),
            props,
        }
    }

    fn pinned_edge() -> EdgeRecord {
        let mut props = Props::new();
        props.insert("year".into(), PropValue::Int(2024));
        EdgeRecord {
            source: "univ:sjtu".into(),
            target: "ent:catl".into(),
            kind: "contracts_with".into(),
            key: "c1".into(),
            weight: Some(2.5),
            props,
        }
    }

    /// The stored encoding of a record is part of the format: this test fails on any
    /// accidental change (a field added, reordered, or another bincode configuration).
    #[test]
    fn record_encoding_is_pinned() {
        assert_eq!(hex(&encode(&Some(pinned_node())).unwrap()), PINNED_NODE_HEX,);
        assert_eq!(hex(&encode(&Some(pinned_edge())).unwrap()), PINNED_EDGE_HEX,);
        assert_eq!(hex(&encode(&None::<()>).unwrap()), "00");
        let back: Option<NodeRecord> =
            decode(&encode(&Some(pinned_node())).unwrap(), "node").unwrap();
        assert_eq!(back, Some(pinned_node()));
    }

    /// The checksum hash is part of the format: manifests store sums of it.
    #[test]
    fn checksum_hash_is_pinned() {
        assert_eq!(hash_bytes(b""), PINNED_HASHES[0]);
        assert_eq!(hash_bytes(b"innograph"), PINNED_HASHES[1]);
        assert_eq!(
            hash_bytes("上海交通大学 univ:sjtu".as_bytes()),
            PINNED_HASHES[2]
        );
        assert_eq!(record_hash(b"Nuniv:sjtu\0", b"\x01abc"), PINNED_HASHES[3]);
    }

    const PINNED_NODE_HEX: &str = "0109756e69763a736a74750a756e697665727369747912e4b88ae6b5b7e4baa4e9809ae5a4a7e5ada60104534a5455040c636861696e5f6c6561646572000107666f756e64656401fb820f05736861726502000000000000d03f06736f757263650306e6b2aae7a791";
    const PINNED_EDGE_HEX: &str = "0109756e69763a736a747508656e743a6361746c0e636f6e7472616374735f7769746802633101000000000000044001047965617201fbd00f";
    const PINNED_HASHES: [u64; 4] = [
        0xacac_66c6_4884_aaae,
        0xd1f0_2b71_5290_831b,
        0x13c2_bcd1_8067_ca7b,
        0x722f_f786_28f2_117f,
    ];

    #[test]
    fn the_streaming_hasher_equals_the_one_shot_hash() {
        let data: Vec<u8> = (0..100u8).map(|i| i.wrapping_mul(37)).collect();
        for len in [0, 1, 7, 8, 9, 63, 100] {
            for piece in [1, 3, 8, 11] {
                let mut h = Hasher::new(len);
                for chunk in data[..len].chunks(piece) {
                    h.update(chunk);
                }
                assert_eq!(
                    h.finish(),
                    hash_bytes(&data[..len]),
                    "len {len} piece {piece}"
                );
            }
        }
    }

    #[test]
    fn hash_depends_on_every_byte_and_length() {
        assert_ne!(hash_bytes(b"abc"), hash_bytes(b"abd"));
        assert_ne!(hash_bytes(b"abc"), hash_bytes(b"abc\0"));
        assert_eq!(hash_bytes(b"stable"), hash_bytes(b"stable"));
    }
}
