//! Records as the store holds them: record keys, and each record split into its identity
//! (the key) and its body (everything else), so that pages do not repeat an identity.
//!
//! | record | key                                   | body (bincode 2, standard)         |
//! |--------|---------------------------------------|------------------------------------|
//! | node   | `N ‖ id`                              | kind, name, name_en, props         |
//! | edge   | `T ‖ source 0 target 0 kind 0 key`    | weight, props                      |
//!
//! Ids never contain NUL (the model rejects them), so keys are unambiguous and sort as
//! (source, target, kind, key). A record's *canonical* encoding is the format-1 value,
//! bincode of `Some(record)`: `1 ‖ identity fields ‖ body`. The digest of a generation
//! (the manifest's checksum) is defined over canonical encodings and format-1 keys, so it
//! does not change when the layout does.

use serde::{Deserialize, Serialize};

use super::codec::{self, Hasher};
use super::{Result, StoreError};
use crate::model::{EdgeId, EdgeRecord, NodeRecord, Props};

/// Prefix of node keys.
pub const NODE: u8 = b'N';
/// Prefix of edge ("tie") keys; above [`NODE`], so that a sorted stream of changes has
/// every node before any edge, the order a snapshot is built in.
pub const EDGE: u8 = b'T';

/// The prefix format 1 gave edge keys, which the digest is defined with.
const EDGE_V1: u8 = b'E';

/// The key of a node.
pub fn node_key(id: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(id.len() + 1);
    k.push(NODE);
    k.extend_from_slice(id.as_bytes());
    k
}

/// The key of an edge.
pub fn edge_key(id: &EdgeId) -> Vec<u8> {
    let mut k =
        Vec::with_capacity(id.source.len() + id.target.len() + id.kind.len() + id.key.len() + 4);
    k.push(EDGE);
    k.extend_from_slice(id.source.as_bytes());
    k.push(0);
    k.extend_from_slice(id.target.as_bytes());
    k.push(0);
    k.extend_from_slice(id.kind.as_bytes());
    k.push(0);
    k.extend_from_slice(id.key.as_bytes());
    k
}

/// The prefix of the keys of every edge leaving `source`.
pub fn edge_source_prefix(source: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(source.len() + 2);
    k.push(EDGE);
    k.extend_from_slice(source.as_bytes());
    k.push(0);
    k
}

/// The node id of a node key.
pub fn decode_node_key(key: &[u8]) -> Option<&str> {
    let body = key.strip_prefix(&[NODE])?;
    if body.is_empty() || body.contains(&0) {
        return None;
    }
    std::str::from_utf8(body).ok()
}

/// The identity of an edge key.
pub fn decode_edge_key(key: &[u8]) -> Option<EdgeId> {
    let body = key.strip_prefix(&[EDGE])?;
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

/// Node fields other than the id, in the record's field order.
#[derive(Debug, Serialize, Deserialize)]
struct NodeBody {
    kind: String,
    name: String,
    name_en: Option<String>,
    props: Props,
}

/// [`NodeBody`] borrowed from a record, for encoding (the same bytes).
#[derive(Serialize)]
struct NodeBodyRef<'a> {
    kind: &'a str,
    name: &'a str,
    name_en: &'a Option<String>,
    props: &'a Props,
}

/// Edge fields other than the identity, in the record's field order.
#[derive(Debug, Serialize, Deserialize)]
struct EdgeBody {
    weight: Option<f64>,
    props: Props,
}

/// [`EdgeBody`] borrowed from a record, for encoding (the same bytes).
#[derive(Serialize)]
struct EdgeBodyRef<'a> {
    weight: &'a Option<f64>,
    props: &'a Props,
}

/// Length of bincode 2's varint encoding of a length `n` (standard configuration).
fn varint_len(n: usize) -> usize {
    match n as u64 {
        0..=250 => 1,
        251..=0xFFFF => 3,
        0x1_0000..=0xFFFF_FFFF => 5,
        _ => 9,
    }
}

/// Appends bincode 2's encoding of a string (varint length, bytes).
#[cfg(test)]
fn put_str(out: &mut Vec<u8>, s: &[u8]) {
    put_len(out, s.len());
    out.extend_from_slice(s);
}

/// Appends bincode 2's varint encoding of a length.
fn put_len(out: &mut Vec<u8>, n: usize) {
    let n = n as u64;
    match n {
        0..=250 => out.push(n as u8),
        251..=0xFFFF => {
            out.push(251);
            out.extend_from_slice(&(n as u16).to_le_bytes());
        }
        0x1_0000..=0xFFFF_FFFF => {
            out.push(252);
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
        _ => {
            out.push(253);
            out.extend_from_slice(&n.to_le_bytes());
        }
    }
}

/// Reads a bincode 2 string from the front of `bytes`.
fn get_str(bytes: &[u8]) -> Option<&str> {
    let (&tag, rest) = bytes.split_first()?;
    let (len, rest) = match tag {
        0..=250 => (tag as usize, rest),
        251 => (
            u16::from_le_bytes(rest.get(..2)?.try_into().ok()?) as usize,
            &rest[2..],
        ),
        252 => (
            u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize,
            &rest[4..],
        ),
        253 => (
            usize::try_from(u64::from_le_bytes(rest.get(..8)?.try_into().ok()?)).ok()?,
            &rest[8..],
        ),
        _ => return None,
    };
    std::str::from_utf8(rest.get(..len)?).ok()
}

/// A record ready to store: its key and its body.
#[derive(Debug, Clone)]
pub struct Encoded {
    /// The record key.
    pub key: Vec<u8>,
    /// The body: the canonical encoding without the identity.
    pub body: Vec<u8>,
}

/// Encodes a node for storage.
pub fn encode_node(node: &NodeRecord) -> Result<Encoded> {
    Ok(Encoded {
        key: node_key(&node.id),
        body: codec::encode(&NodeBodyRef {
            kind: &node.kind,
            name: &node.name,
            name_en: &node.name_en,
            props: &node.props,
        })?,
    })
}

/// Encodes an edge for storage.
pub fn encode_edge(edge: &EdgeRecord) -> Result<Encoded> {
    Ok(Encoded {
        key: edge_key(&edge.id()),
        body: codec::encode(&EdgeBodyRef {
            weight: &edge.weight,
            props: &edge.props,
        })?,
    })
}

/// The identity fields of `key` as they begin its canonical encoding.
fn identity_parts(key: &[u8]) -> Result<impl Iterator<Item = &[u8]>> {
    let nul_separated = match key.first() {
        Some(&NODE) => false,
        Some(&EDGE) => true,
        _ => return Err(bad_key(key)),
    };
    Ok(key[1..].split(move |&b| nul_separated && b == 0))
}

/// The canonical encoding of the record stored under `key` with `body`.
#[cfg(test)]
pub fn canonical(key: &[u8], body: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(key.len() + body.len() + 8);
    out.push(1);
    for part in identity_parts(key)? {
        put_str(&mut out, part);
    }
    out.extend_from_slice(body);
    Ok(out)
}

fn bad_key(key: &[u8]) -> StoreError {
    StoreError::Corrupt(format!(
        "malformed record key {:?}",
        String::from_utf8_lossy(key)
    ))
}

/// The record's contribution to the digest (see [`codec::record_hash`]): over the
/// format-1 key (the record key followed by a NUL, edges under their format-1 prefix) and
/// the canonical encoding, hashed in place without building either.
pub fn digest(key: &[u8], body: &[u8]) -> Result<u64> {
    let Some((&prefix, rest)) = key.split_first() else {
        return Err(bad_key(key));
    };
    let mut base = Hasher::new(key.len() + 1);
    base.update(&[if prefix == EDGE { EDGE_V1 } else { prefix }]);
    base.update(rest);
    base.update(&[0]);
    let mut len = 1 + body.len();
    for part in identity_parts(key)? {
        len += varint_len(part.len()) + part.len();
    }
    let mut value = Hasher::new(len);
    value.update(&[1]);
    let mut head = Vec::with_capacity(9);
    for part in identity_parts(key)? {
        head.clear();
        put_len(&mut head, part.len());
        value.update(&head);
        value.update(part);
    }
    value.update(body);
    Ok(codec::combine_hashes(base.finish(), value.finish()))
}

/// Decodes the node stored under `key` with `body`.
pub fn decode_node(key: &[u8], body: &[u8]) -> Result<NodeRecord> {
    let id = decode_node_key(key).ok_or_else(|| bad_key(key))?;
    let b: NodeBody = codec::decode(body, "node")?;
    Ok(NodeRecord {
        id: id.to_string(),
        kind: b.kind,
        name: b.name,
        name_en: b.name_en,
        props: b.props,
    })
}

/// Decodes the edge stored under `key` with `body`.
pub fn decode_edge(key: &[u8], body: &[u8]) -> Result<EdgeRecord> {
    let id = decode_edge_key(key).ok_or_else(|| bad_key(key))?;
    let b: EdgeBody = codec::decode(body, "edge")?;
    Ok(EdgeRecord {
        source: id.source,
        target: id.target,
        kind: id.kind,
        key: id.key,
        weight: b.weight,
        props: b.props,
    })
}

/// The kind of the node whose body this is, read without decoding the rest.
pub fn node_body_kind(body: &[u8]) -> Option<&str> {
    get_str(body)
}

/// Reads bincode 2 (standard configuration) values from the front of a byte slice: what
/// the snapshot needs of a body, without building the record.
struct BodyReader<'a>(&'a [u8]);

impl<'a> BodyReader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn varint(&mut self) -> Option<u64> {
        Some(match self.u8()? {
            t @ 0..=250 => u64::from(t),
            251 => u64::from(u16::from_le_bytes(self.take(2)?.try_into().ok()?)),
            252 => u64::from(u32::from_le_bytes(self.take(4)?.try_into().ok()?)),
            253 => u64::from_le_bytes(self.take(8)?.try_into().ok()?),
            _ => return None,
        })
    }

    fn f64(&mut self) -> Option<f64> {
        Some(f64::from_bits(u64::from_le_bytes(
            self.take(8)?.try_into().ok()?,
        )))
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = usize::try_from(self.varint()?).ok()?;
        std::str::from_utf8(self.take(n)?).ok()
    }
}

/// The kind, name and English name of a node body, read without decoding its properties.
pub fn node_columns(body: &[u8]) -> Option<(&str, &str, Option<&str>)> {
    let mut r = BodyReader(body);
    let kind = r.str()?;
    let name = r.str()?;
    let name_en = match r.u8()? {
        0 => None,
        1 => Some(r.str()?),
        _ => return None,
    };
    Some((kind, name, name_en))
}

/// What the snapshot keeps of an edge body: its weight, its `amount` property as a number
/// and its `year` property (as [`super::builder::edge_amount`] and
/// [`super::builder::edge_year`] read them from a record), without building the record.
pub fn edge_columns(body: &[u8]) -> Option<(Option<f64>, Option<f64>, Option<i64>)> {
    let mut r = BodyReader(body);
    let weight = match r.u8()? {
        0 => None,
        1 => Some(r.f64()?),
        _ => return None,
    };
    let (mut amount, mut year) = (None, None);
    for _ in 0..r.varint()? {
        let name = r.str()?;
        // PropValue: Bool, Int (zigzag varint), Float, Text.
        let (as_f64, as_i64) = match r.varint()? {
            0 => {
                r.u8()?;
                (None, None)
            }
            1 => {
                let z = r.varint()?;
                let i = ((z >> 1) as i64) ^ -((z & 1) as i64);
                (Some(i as f64), Some(i))
            }
            2 => (Some(r.f64()?), None),
            3 => {
                r.str()?;
                (None, None)
            }
            _ => return None,
        };
        match name {
            "amount" => amount = as_f64,
            "year" => year = as_i64,
            _ => {}
        }
    }
    r.0.is_empty().then_some((weight, amount, year))
}

/// The identity of an edge key, borrowed: (source, target, kind, key).
pub fn edge_key_parts(key: &[u8]) -> Option<(&str, &str, &str, &str)> {
    let body = key.strip_prefix(&[EDGE])?;
    let mut parts = body.split(|&b| b == 0).map(std::str::from_utf8);
    let mut next = || parts.next()?.ok();
    Some((next()?, next()?, next()?, next()?))
}

/// The kind of the edge under this key.
pub fn edge_key_kind(key: &[u8]) -> Option<&str> {
    let mut parts = key.get(1..)?.split(|&b| b == 0);
    parts.next()?;
    parts.next()?;
    std::str::from_utf8(parts.next()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PropValue;

    fn node(id: &str) -> NodeRecord {
        let mut props = Props::new();
        props.insert("year".into(), PropValue::Int(2024));
        NodeRecord {
            id: id.into(),
            kind: "university".into(),
            name: "上海交通大学".into(),
            name_en: None,
            props,
        }
    }

    #[test]
    fn bodies_and_canonical_encodings_round_trip() {
        for id in ["u:1".to_string(), "x".repeat(300), "y".repeat(70_000)] {
            let n = node(&id);
            let e = encode_node(&n).unwrap();
            assert_eq!(
                canonical(&e.key, &e.body).unwrap(),
                codec::encode(&Some(&n)).unwrap()
            );
            assert_eq!(decode_node(&e.key, &e.body).unwrap(), n);
            assert_eq!(node_body_kind(&e.body), Some("university"));
        }
        let edge = EdgeRecord {
            source: "a".into(),
            target: "b".repeat(260),
            kind: "funds".into(),
            key: "".into(),
            weight: Some(1.5),
            props: Props::new(),
        };
        let e = encode_edge(&edge).unwrap();
        assert_eq!(
            canonical(&e.key, &e.body).unwrap(),
            codec::encode(&Some(&edge)).unwrap()
        );
        assert_eq!(decode_edge(&e.key, &e.body).unwrap(), edge);
        assert_eq!(edge_key_kind(&e.key), Some("funds"));
        assert_eq!(decode_edge_key(&e.key), Some(edge.id()));
    }

    #[test]
    fn columns_read_without_decoding_match_the_records() {
        use crate::store::builder::{edge_amount, edge_year};
        let mut props = Props::new();
        props.insert("amount".into(), PropValue::Int(-1_234_567_890_123));
        props.insert("mode".into(), PropValue::Text("许可".repeat(100)));
        props.insert("ok".into(), PropValue::Bool(true));
        props.insert("share".into(), PropValue::Float(0.5));
        props.insert("year".into(), PropValue::Int(2024));
        for (weight, props) in [
            (None, Props::new()),
            (Some(2.5), props.clone()),
            (Some(-1.0), {
                let mut p = props.clone();
                p.insert("amount".into(), PropValue::Float(3.25));
                p.insert("year".into(), PropValue::Text("2024".into()));
                p
            }),
        ] {
            let edge = EdgeRecord {
                source: "a".into(),
                target: "b".into(),
                kind: "contracts_with".into(),
                key: "".into(),
                weight,
                props,
            };
            let e = encode_edge(&edge).unwrap();
            let (w, amount, year) = edge_columns(&e.body).unwrap();
            assert_eq!(w, edge.weight);
            assert_eq!(
                amount.unwrap_or(f64::NAN).to_bits(),
                edge_amount(&edge).to_bits()
            );
            assert_eq!(
                year.and_then(|y| i32::try_from(y).ok())
                    .unwrap_or(super::super::graph::NO_YEAR),
                edge_year(&edge)
            );
            assert_eq!(
                edge_key_parts(&e.key),
                Some(("a", "b", "contracts_with", ""))
            );
        }
        let mut n = node("u:1");
        n.name_en = Some("SJTU".into());
        let e = encode_node(&n).unwrap();
        assert_eq!(
            node_columns(&e.body),
            Some(("university", "上海交通大学", Some("SJTU")))
        );
    }

    #[test]
    fn nodes_sort_before_edges() {
        assert!(
            node_key("zzz")
                < edge_key(&EdgeId {
                    source: "a".into(),
                    target: "b".into(),
                    kind: "x".into(),
                    key: "".into(),
                })
        );
    }

    #[test]
    fn edge_keys_sort_by_identity() {
        let k = |s: &str, t: &str, kind: &str, key: &str| {
            edge_key(&EdgeId {
                source: s.into(),
                target: t.into(),
                kind: kind.into(),
                key: key.into(),
            })
        };
        assert!(k("a", "z", "x", "") < k("ab", "a", "x", ""));
        assert!(k("a", "b", "x", "") < k("a", "b", "x", "1"));
        assert!(k("a", "b", "x", "9") < k("a", "b", "y", ""));
        assert!(k("a", "b", "x", "9").starts_with(&edge_source_prefix("a")));
    }

    /// The digest of a record is the format-1 record hash: it must not change with the
    /// layout (pinned with the format-1 fixture's digest in `store::tests`).
    #[test]
    fn digest_uses_the_format_1_key_and_value() {
        let n = node(&"z".repeat(260));
        let e = encode_node(&n).unwrap();
        let mut v1_key = b"N".to_vec();
        v1_key.extend_from_slice(n.id.as_bytes());
        v1_key.push(0);
        assert_eq!(
            digest(&e.key, &e.body).unwrap(),
            codec::record_hash(&v1_key, &codec::encode(&Some(&n)).unwrap())
        );
        let edge = EdgeRecord {
            source: "a".into(),
            target: "b".into(),
            kind: "funds".into(),
            key: "k".into(),
            weight: None,
            props: Props::new(),
        };
        let e = encode_edge(&edge).unwrap();
        assert_eq!(
            digest(&e.key, &e.body).unwrap(),
            codec::record_hash(b"Ea\0b\0funds\0k\0", &codec::encode(&Some(&edge)).unwrap())
        );
    }
}
