//! Key encoding of the data tree: every versioned record key is `prefix ‖ base ‖ generation`
//! with the generation as 8 big-endian bytes, so all versions of a record are adjacent and
//! ascend by generation, and records sort by their natural identity.
//!
//! | prefix | base                                   | value                           |
//! |--------|----------------------------------------|---------------------------------|
//! | `N`    | `id 0`                                 | encoded `Option<NodeRecord>`    |
//! | `E`    | `source 0 target 0 kind 0 key 0`       | encoded `Option<EdgeRecord>`    |
//! | `L`    | `generation ‖ chunk number`            | the change log: bases written   |
//! | `S`    | `generation ‖ part name`               | snapshot part                   |
//!
//! Ids never contain NUL (the model rejects them), which keeps the encoding unambiguous.

use crate::model::EdgeId;

/// Prefix of node versions.
pub const NODE: u8 = b'N';
/// Prefix of edge versions.
pub const EDGE: u8 = b'E';
/// Prefix of the change log.
pub const LOG: u8 = b'L';
/// Prefix of snapshot parts.
pub const SNAPSHOT: u8 = b'S';

/// The base key of a node.
pub fn node_base(id: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(id.len() + 2);
    k.push(NODE);
    k.extend_from_slice(id.as_bytes());
    k.push(0);
    k
}

/// The base key of an edge.
pub fn edge_base(id: &EdgeId) -> Vec<u8> {
    let mut k =
        Vec::with_capacity(id.source.len() + id.target.len() + id.kind.len() + id.key.len() + 5);
    k.push(EDGE);
    for part in [&id.source, &id.target, &id.kind, &id.key] {
        k.extend_from_slice(part.as_bytes());
        k.push(0);
    }
    k
}

/// The prefix under which all edges leaving `source` lie.
pub fn edge_source_prefix(source: &str) -> Vec<u8> {
    node_base(source)
        .into_iter()
        .enumerate()
        .map(|(i, b)| if i == 0 { EDGE } else { b })
        .collect()
}

/// A base key with a generation appended.
pub fn versioned(base: &[u8], generation: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(base.len() + 8);
    k.extend_from_slice(base);
    k.extend_from_slice(&generation.to_be_bytes());
    k
}

/// Splits a versioned key into its base and generation.
pub fn split_versioned(key: &[u8]) -> Option<(&[u8], u64)> {
    if key.len() < 9 {
        return None;
    }
    let (base, gen) = key.split_at(key.len() - 8);
    Some((base, u64::from_be_bytes(gen.try_into().ok()?)))
}

/// The key of chunk `chunk` of the change log of `generation`.
pub fn log_chunk(generation: u64, chunk: u64) -> Vec<u8> {
    let mut k = log_prefix(generation);
    k.extend_from_slice(&chunk.to_be_bytes());
    k
}

/// Appends one change-log entry to a chunk value: a flag byte (1 when the record had a
/// version before this generation, so pruning has work to do), the base's length (u32,
/// little-endian) and the base.
pub fn push_log_entry(chunk: &mut Vec<u8>, base: &[u8], had_older: bool) {
    chunk.push(u8::from(had_older));
    chunk.extend_from_slice(&(base.len() as u32).to_le_bytes());
    chunk.extend_from_slice(base);
}

/// Reads the entries of a change-log chunk: (base, had an older version).
pub fn log_entries(chunk: &[u8]) -> Option<Vec<(&[u8], bool)>> {
    let mut out = Vec::new();
    let mut rest = chunk;
    while !rest.is_empty() {
        let flag = *rest.first()?;
        let len = u32::from_le_bytes(rest.get(1..5)?.try_into().ok()?) as usize;
        let base = rest.get(5..5 + len)?;
        out.push((base, flag == 1));
        rest = &rest[5 + len..];
    }
    Some(out)
}

/// The prefix of all log entries of `generation`.
pub fn log_prefix(generation: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(9);
    k.push(LOG);
    k.extend_from_slice(&generation.to_be_bytes());
    k
}

/// The key of snapshot part `name` of `generation`.
pub fn snapshot_part(generation: u64, name: &str) -> Vec<u8> {
    let mut k = snapshot_prefix(generation);
    k.extend_from_slice(name.as_bytes());
    k
}

/// The prefix of every snapshot part of `generation`.
pub fn snapshot_prefix(generation: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(9);
    k.push(SNAPSHOT);
    k.extend_from_slice(&generation.to_be_bytes());
    k
}

/// The generation of a log or snapshot key.
pub fn generation_of(prefixed: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(prefixed.get(1..9)?.try_into().ok()?))
}

/// Decodes an edge base key back into its identity.
pub fn decode_edge_base(base: &[u8]) -> Option<EdgeId> {
    let body = base.strip_prefix(&[EDGE])?.strip_suffix(&[0])?;
    let mut parts = body.split(|&b| b == 0);
    let mut next = || -> Option<String> { String::from_utf8(parts.next()?.to_vec()).ok() };
    let id = EdgeId {
        source: next()?,
        target: next()?,
        kind: next()?,
        key: next()?,
    };
    parts.next().is_none().then_some(id)
}

/// Decodes a node base key back into its id.
pub fn decode_node_base(base: &[u8]) -> Option<String> {
    let body = base.strip_prefix(&[NODE])?.strip_suffix(&[0])?;
    if body.contains(&0) {
        return None;
    }
    String::from_utf8(body.to_vec()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_sort_by_id_then_generation() {
        let a1 = versioned(&node_base("a"), 1);
        let a9 = versioned(&node_base("a"), 9);
        let ab0 = versioned(&node_base("ab"), 0);
        let b0 = versioned(&node_base("b"), 0);
        assert!(a1 < a9 && a9 < ab0 && ab0 < b0);
    }

    #[test]
    fn edge_keys_round_trip() {
        let id = EdgeId {
            source: "univ:sjtu".into(),
            target: "ent:catl".into(),
            kind: "contracts_with".into(),
            key: "".into(),
        };
        let base = edge_base(&id);
        assert!(base.starts_with(&edge_source_prefix("univ:sjtu")));
        assert_eq!(decode_edge_base(&base), Some(id));
        let v = versioned(&base, 42);
        let (b, g) = split_versioned(&v).unwrap();
        assert_eq!((b, g), (base.as_slice(), 42));
        assert_eq!(decode_node_base(&node_base("x:1")), Some("x:1".into()));
    }

    #[test]
    fn log_chunks_round_trip() {
        let mut chunk = Vec::new();
        push_log_entry(&mut chunk, b"Na\0", false);
        push_log_entry(&mut chunk, b"Ebb\0", true);
        let entries = log_entries(&chunk).unwrap();
        assert_eq!(entries, vec![(&b"Na\0"[..], false), (&b"Ebb\0"[..], true)]);
        assert!(log_entries(&chunk[..chunk.len() - 1]).is_none());
        assert!(log_chunk(3, 1) > log_chunk(3, 0) && log_chunk(4, 0) > log_chunk(3, 9));
    }
}
