//! Node and edge records: what is stored for each actor and each tie.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A property value. Stored tagged (bincode); shown and read as plain JSON values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PropValue {
    /// `true` / `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A real number (amounts, shares).
    Float(f64),
    /// Any text.
    Text(String),
}

impl PropValue {
    /// The value as a plain JSON value.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            PropValue::Bool(b) => serde_json::Value::Bool(*b),
            PropValue::Int(i) => serde_json::Value::from(*i),
            PropValue::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            PropValue::Text(s) => serde_json::Value::String(s.clone()),
        }
    }

    /// Reads a plain JSON value; `None` for null, arrays and objects (which props do not hold).
    pub fn from_json(value: &serde_json::Value) -> Option<PropValue> {
        match value {
            serde_json::Value::Bool(b) => Some(PropValue::Bool(*b)),
            serde_json::Value::Number(n) => Some(match n.as_i64() {
                Some(i) => PropValue::Int(i),
                None => PropValue::Float(n.as_f64()?),
            }),
            serde_json::Value::String(s) => Some(PropValue::Text(s.clone())),
            _ => None,
        }
    }

    /// The value as a number, when it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            PropValue::Int(i) => Some(*i as f64),
            PropValue::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// The value as a whole number, when it is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            PropValue::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The value as text, when it is text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            PropValue::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The value as a boolean, when it is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            PropValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The type name used in CSV header annotations (`column:type`).
    pub fn type_name(&self) -> &'static str {
        match self {
            PropValue::Bool(_) => "bool",
            PropValue::Int(_) => "int",
            PropValue::Float(_) => "float",
            PropValue::Text(_) => "string",
        }
    }
}

impl fmt::Display for PropValue {
    /// Formats the value as it is written to CSV: floats always carry a decimal point or an
    /// exponent (so `1.0` stays a float on re-import) and round-trip exactly.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PropValue::Bool(b) => write!(f, "{b}"),
            PropValue::Int(i) => write!(f, "{i}"),
            PropValue::Float(x) => write!(f, "{x:?}"),
            PropValue::Text(s) => f.write_str(s),
        }
    }
}

/// Properties of a node or edge, ordered by name.
pub type Props = BTreeMap<String, PropValue>;

/// A node: one actor (or field, district, programme...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeRecord {
    /// Unique id, e.g. `univ:sjtu`; the upsert identity.
    pub id: String,
    /// Node kind, one of the schema's node kinds.
    pub kind: String,
    /// Name as written in the source (Chinese where the source is Chinese).
    pub name: String,
    /// English name, where one is known.
    pub name_en: Option<String>,
    /// Further properties.
    pub props: Props,
}

/// An edge: one tie between two nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EdgeRecord {
    /// Source node id.
    pub source: String,
    /// Target node id.
    pub target: String,
    /// Edge kind, one of the schema's edge kinds.
    pub kind: String,
    /// Distinguishes parallel ties of the same kind between the same pair; empty when unused.
    pub key: String,
    /// Tie strength; analyses treat a missing weight as 1.
    pub weight: Option<f64>,
    /// Further properties.
    pub props: Props,
}

/// The upsert identity of an edge: (source, target, kind, key).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EdgeId {
    /// Source node id.
    pub source: String,
    /// Target node id.
    pub target: String,
    /// Edge kind.
    pub kind: String,
    /// Parallel-tie key; empty when unused.
    pub key: String,
}

impl EdgeRecord {
    /// This edge's identity.
    pub fn id(&self) -> EdgeId {
        EdgeId {
            source: self.source.clone(),
            target: self.target.clone(),
            kind: self.kind.clone(),
            key: self.key.clone(),
        }
    }

    /// Puts the endpoints of an undirected edge in canonical order (smaller id first), so
    /// that `A–B` and `B–A` are the same tie.
    pub fn canonicalise(&mut self, directed: bool) {
        canonical_endpoints(&mut self.source, &mut self.target, directed);
    }

    /// The weight analyses use: the given weight, or 1.
    pub fn effective_weight(&self) -> f64 {
        self.weight.unwrap_or(1.0)
    }
}

impl EdgeId {
    /// Puts the endpoints of an undirected edge in canonical order, as
    /// [`EdgeRecord::canonicalise`] does, so the id names the stored record.
    pub fn canonicalise(&mut self, directed: bool) {
        canonical_endpoints(&mut self.source, &mut self.target, directed);
    }
}

/// The one rule for undirected ties: the smaller id is the source.
fn canonical_endpoints(source: &mut String, target: &mut String, directed: bool) {
    if !directed && *target < *source {
        std::mem::swap(source, target);
    }
}

impl fmt::Display for EdgeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -[{}]-> {}", self.source, self.kind, self.target)?;
        if !self.key.is_empty() {
            write!(f, " (key {})", self.key)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_display_round_trips_and_stays_float() {
        for x in [1.0, 0.1, 7.913e9, -2.5, 1e-300] {
            let s = PropValue::Float(x).to_string();
            assert!(s.contains('.') || s.contains('e'), "{s}");
            assert_eq!(s.parse::<f64>().ok(), Some(x));
        }
    }

    #[test]
    fn json_numbers_keep_their_type() {
        assert_eq!(
            PropValue::from_json(&serde_json::json!(3)),
            Some(PropValue::Int(3))
        );
        assert_eq!(
            PropValue::from_json(&serde_json::json!(3.5)),
            Some(PropValue::Float(3.5))
        );
        assert_eq!(PropValue::from_json(&serde_json::json!(null)), None);
    }

    #[test]
    fn undirected_edges_have_one_identity() {
        let mut e = EdgeRecord {
            source: "b".into(),
            target: "a".into(),
            kind: "collaborates_with".into(),
            key: String::new(),
            weight: None,
            props: Props::new(),
        };
        e.canonicalise(false);
        assert_eq!((e.source.as_str(), e.target.as_str()), ("a", "b"));
        e.canonicalise(true);
        assert_eq!(e.source, "a");
    }
}
