//! The property columns of an export: every property name found on the written records,
//! with one value type per column, so typed formats (GraphML keys, GEXF attributes, Parquet
//! columns, Neo4j headers) can declare them before the first record.

use std::collections::BTreeMap;

use super::Source;
use crate::model::{PropValue, Props};
use crate::store::StoreError;

/// The type of an exported column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// Booleans.
    Bool,
    /// 64-bit integers.
    Int,
    /// 64-bit floats.
    Float,
    /// Text.
    Text,
}

impl ValueType {
    fn of(value: &PropValue) -> ValueType {
        match value {
            PropValue::Bool(_) => ValueType::Bool,
            PropValue::Int(_) => ValueType::Int,
            PropValue::Float(_) => ValueType::Float,
            PropValue::Text(_) => ValueType::Text,
        }
    }

    /// The narrowest type holding both: int and float give float, any other mix text.
    fn unify(self, other: ValueType) -> ValueType {
        match (self, other) {
            (a, b) if a == b => a,
            (ValueType::Int, ValueType::Float) | (ValueType::Float, ValueType::Int) => {
                ValueType::Float
            }
            _ => ValueType::Text,
        }
    }
}

/// One property column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The property's name in the records.
    pub prop: String,
    /// The column's name in the file: the property's name, prefixed with `props.` when it
    /// would clash with a fixed column or a score.
    pub header: String,
    /// The column's type.
    pub ty: ValueType,
}

impl Column {
    /// The value of this column in `props`, converted to the column's type (a number in a
    /// float column, anything as its text in a text column).
    pub fn value(&self, props: &Props) -> Option<PropValue> {
        let v = props.get(&self.prop)?;
        Some(match (self.ty, v) {
            (ValueType::Float, PropValue::Int(i)) => PropValue::Float(*i as f64),
            (ValueType::Text, v) if !matches!(v, PropValue::Text(_)) => {
                PropValue::Text(v.to_string())
            }
            (_, v) => v.clone(),
        })
    }
}

/// The property columns of the nodes and of the edges of an export.
#[derive(Debug, Clone, Default)]
pub struct PropColumns {
    /// Node property columns, by property name.
    pub nodes: Vec<Column>,
    /// Edge property columns, by property name.
    pub edges: Vec<Column>,
}

impl PropColumns {
    /// Scans the records `source` writes. Property names in `node_reserved` /
    /// `edge_reserved` (the format's fixed columns) and the score names get a `props.`
    /// prefix, as in innograph's own CSV.
    pub(crate) fn scan(
        source: &Source<'_>,
        node_reserved: &[&str],
        edge_reserved: &[&str],
    ) -> Result<PropColumns, StoreError> {
        let scores: Vec<&str> = source
            .selection
            .scores
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        let mut nodes: BTreeMap<String, ValueType> = BTreeMap::new();
        for node in source.nodes() {
            add(&mut nodes, &node?.record.props);
        }
        let mut edges: BTreeMap<String, ValueType> = BTreeMap::new();
        for edge in source.edges() {
            add(&mut edges, &edge?.props);
        }
        let mut node_reserved = node_reserved.to_vec();
        node_reserved.extend(scores);
        Ok(PropColumns {
            nodes: columns(nodes, &node_reserved),
            edges: columns(edges, edge_reserved),
        })
    }
}

fn add(types: &mut BTreeMap<String, ValueType>, props: &Props) {
    for (name, value) in props {
        let ty = ValueType::of(value);
        types
            .entry(name.clone())
            .and_modify(|t| *t = t.unify(ty))
            .or_insert(ty);
    }
}

fn columns(types: BTreeMap<String, ValueType>, reserved: &[&str]) -> Vec<Column> {
    types
        .into_iter()
        .map(|(prop, ty)| {
            let clashes = reserved.contains(&prop.as_str()) || prop.starts_with("props.");
            let header = if clashes {
                format!("props.{prop}")
            } else {
                prop.clone()
            };
            Column { prop, header, ty }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_numbers_become_floats_and_other_mixes_text() {
        assert_eq!(ValueType::Int.unify(ValueType::Float), ValueType::Float);
        assert_eq!(ValueType::Bool.unify(ValueType::Int), ValueType::Text);
        assert_eq!(ValueType::Text.unify(ValueType::Text), ValueType::Text);
    }

    #[test]
    fn clashing_names_are_prefixed_and_values_converted() {
        let mut types = BTreeMap::new();
        types.insert("name".to_string(), ValueType::Text);
        types.insert("amount".to_string(), ValueType::Float);
        let cols = columns(types, &["id", "name"]);
        assert_eq!(cols[0].header, "amount");
        assert_eq!(cols[1].header, "props.name");
        let mut props = Props::new();
        props.insert("amount".into(), PropValue::Int(3));
        assert_eq!(cols[0].value(&props), Some(PropValue::Float(3.0)));
        assert_eq!(cols[1].value(&props), None);
    }
}
