//! Record pages: the unit sled stores records in. A page holds the records of one key range
//! (nodes or edges), sorted by record key, each key prefix-compressed against the one
//! before it, each record as its body (the record without its identity, which the key
//! holds). Packing ~100 records per sled value is what keeps the engine small and fast to
//! open: one sled key per record costs ~2.5× the bytes and opens 10× slower (README,
//! "Storage").
//!
//! Encoding: a tag byte ([`PAGE_TAG`], or [`TOMBSTONE_TAG`] for a page removed at that
//! generation), the entry count as a varint, then per entry: bytes shared with the
//! previous key (varint), the rest of the key (varint length + bytes), the body (varint
//! length + bytes).

use super::StoreError;

/// Tag of an encoded page.
pub const PAGE_TAG: u8 = 1;
/// Tag of a page version that removes the page.
pub const TOMBSTONE_TAG: u8 = 0;
/// Pages are split when their encoding grows past this.
pub const PAGE_MAX_BYTES: usize = 8 << 10;
/// Pages written in bulk are cut at about this size, leaving room to grow.
pub const PAGE_TARGET_BYTES: usize = 6 << 10;

/// One record of a page: its key (without the kind prefix byte) and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Record key.
    pub key: Vec<u8>,
    /// Encoded record body.
    pub body: Vec<u8>,
}

/// Appends `v` as a LEB128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a LEB128 varint from the front of `bytes`, advancing it.
pub fn get_varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if bytes.len() < n {
        return None;
    }
    let (head, rest) = bytes.split_at(n);
    *bytes = rest;
    Some(head)
}

/// The encoded size of a page holding `entries` (an upper bound is enough for splitting).
pub fn entry_cost(key: &[u8], body: &[u8]) -> usize {
    key.len() + body.len() + 6
}

/// Encodes entries (sorted by key) as a page.
pub fn encode(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(
        entries
            .iter()
            .map(|e| entry_cost(&e.key, &e.body))
            .sum::<usize>()
            + 8,
    );
    out.push(PAGE_TAG);
    put_varint(&mut out, entries.len() as u64);
    let mut previous: &[u8] = &[];
    for e in entries {
        let shared = previous
            .iter()
            .zip(&e.key)
            .take_while(|(a, b)| a == b)
            .count();
        put_varint(&mut out, shared as u64);
        put_varint(&mut out, (e.key.len() - shared) as u64);
        out.extend_from_slice(&e.key[shared..]);
        put_varint(&mut out, e.body.len() as u64);
        out.extend_from_slice(&e.body);
        previous = &e.key;
    }
    out
}

/// Whether an encoded page version is a tombstone.
pub fn is_tombstone(bytes: &[u8]) -> bool {
    bytes.first() == Some(&TOMBSTONE_TAG)
}

/// Decodes a page; a tombstone decodes to no entries.
pub fn decode(bytes: &[u8]) -> Result<Vec<Entry>, StoreError> {
    let bad = || StoreError::Corrupt("a record page does not decode".into());
    let mut rest = bytes;
    match rest.split_first() {
        Some((&TOMBSTONE_TAG, _)) => return Ok(Vec::new()),
        Some((&PAGE_TAG, r)) => rest = r,
        _ => return Err(bad()),
    }
    let count = get_varint(&mut rest).ok_or_else(bad)? as usize;
    let mut out: Vec<Entry> = Vec::with_capacity(count.min(1 << 16));
    for _ in 0..count {
        let shared = get_varint(&mut rest).ok_or_else(bad)? as usize;
        let suffix_len = get_varint(&mut rest).ok_or_else(bad)? as usize;
        let suffix = take(&mut rest, suffix_len).ok_or_else(bad)?;
        let body_len = get_varint(&mut rest).ok_or_else(bad)? as usize;
        let body = take(&mut rest, body_len).ok_or_else(bad)?;
        let mut key = match out.last() {
            Some(prev) if shared <= prev.key.len() => prev.key[..shared].to_vec(),
            None if shared == 0 => Vec::new(),
            _ => return Err(bad()),
        };
        key.extend_from_slice(suffix);
        if out.last().is_some_and(|prev| prev.key >= key) {
            return Err(bad());
        }
        out.push(Entry {
            key,
            body: body.to_vec(),
        });
    }
    if !rest.is_empty() {
        return Err(bad());
    }
    Ok(out)
}

/// Finds one key in an encoded page without decoding the rest: the body, if present.
pub fn find(bytes: &[u8], wanted: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
    let bad = || StoreError::Corrupt("a record page does not decode".into());
    let mut rest = bytes;
    match rest.split_first() {
        Some((&TOMBSTONE_TAG, _)) => return Ok(None),
        Some((&PAGE_TAG, r)) => rest = r,
        _ => return Err(bad()),
    }
    let count = get_varint(&mut rest).ok_or_else(bad)? as usize;
    let mut key: Vec<u8> = Vec::new();
    for _ in 0..count {
        let shared = get_varint(&mut rest).ok_or_else(bad)? as usize;
        let suffix_len = get_varint(&mut rest).ok_or_else(bad)? as usize;
        let suffix = take(&mut rest, suffix_len).ok_or_else(bad)?;
        let body_len = get_varint(&mut rest).ok_or_else(bad)? as usize;
        let body = take(&mut rest, body_len).ok_or_else(bad)?;
        if shared > key.len() {
            return Err(bad());
        }
        key.truncate(shared);
        key.extend_from_slice(suffix);
        match key.as_slice().cmp(wanted) {
            std::cmp::Ordering::Less => {}
            std::cmp::Ordering::Equal => return Ok(Some(body.to_vec())),
            std::cmp::Ordering::Greater => return Ok(None),
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(k: &str, b: &str) -> Entry {
        Entry {
            key: k.as_bytes().to_vec(),
            body: b.as_bytes().to_vec(),
        }
    }

    #[test]
    fn pages_round_trip_with_shared_prefixes() {
        let entries = vec![
            entry("ent:a", "1"),
            entry("ent:ab", ""),
            entry("ent:b", "three"),
            entry("univ:x", "4"),
        ];
        let bytes = encode(&entries);
        assert_eq!(decode(&bytes).unwrap(), entries);
        assert_eq!(find(&bytes, b"ent:ab").unwrap(), Some(Vec::new()));
        assert_eq!(find(&bytes, b"ent:b").unwrap(), Some(b"three".to_vec()));
        assert_eq!(find(&bytes, b"ent:c").unwrap(), None);
        assert_eq!(find(&bytes, b"zzz").unwrap(), None);
        assert!(decode(&bytes[..bytes.len() - 1]).is_err());
        assert!(decode(&[TOMBSTONE_TAG]).unwrap().is_empty());
        assert!(decode(&[7]).is_err());
    }

    #[test]
    fn varints_round_trip() {
        for v in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            let mut slice = out.as_slice();
            assert_eq!(get_varint(&mut slice), Some(v));
            assert!(slice.is_empty());
        }
    }

    /// The page encoding is part of the format.
    #[test]
    fn page_encoding_is_pinned() {
        let bytes = encode(&[entry("ab", "x"), entry("ac", "")]);
        assert_eq!(bytes, vec![1, 2, 0, 2, b'a', b'b', 1, b'x', 1, 1, b'c', 0]);
    }
}
