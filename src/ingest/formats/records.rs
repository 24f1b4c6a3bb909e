//! Records from the attributes of a foreign file's node or edge element (GraphML `<data>`,
//! GEXF `<attvalue>`): the fixed fields by name, every other attribute as a property typed
//! by the schema when declared, else by the type the file declares.

use super::columns::ValueType;
#[cfg(test)]
use crate::model::PropValue;
use crate::model::{EdgeRecord, NodeRecord, PropType, Props, RecordError, Schema};

/// Kinds to give records whose file does not say (files from Gephi, NetworkX, …).
#[derive(Debug, Clone, Default)]
pub struct KindDefaults {
    /// Kind of nodes without a `kind` attribute.
    pub node_kind: Option<String>,
    /// Kind of edges without a `kind` attribute.
    pub edge_kind: Option<String>,
}

/// One attribute value of an element, as text, with the type its declaration gives.
#[derive(Debug, Clone)]
pub(crate) struct RawValue {
    /// The attribute's name (`attr.name`, GEXF `title`).
    pub(crate) name: String,
    /// The declared type.
    pub(crate) ty: ValueType,
    /// The value's text.
    pub(crate) text: String,
}

/// The type named by a GraphML `attr.type` or GEXF `type`; `None` for types innograph
/// cannot hold (lists, dates are read as text by the caller).
pub(crate) fn declared_type(name: &str) -> ValueType {
    match name.trim().to_ascii_lowercase().as_str() {
        "boolean" | "bool" => ValueType::Bool,
        "int" | "integer" | "long" | "short" | "byte" => ValueType::Int,
        "float" | "double" => ValueType::Float,
        _ => ValueType::Text,
    }
}

fn typed(ty: ValueType) -> PropType {
    match ty {
        ValueType::Bool => PropType::Bool,
        ValueType::Int => PropType::Int,
        ValueType::Float => PropType::Float,
        ValueType::Text => PropType::String,
    }
}

fn props(
    schema_props: Option<&std::collections::BTreeMap<String, crate::model::PropDef>>,
    values: Vec<RawValue>,
) -> Result<Props, RecordError> {
    let mut out = Props::new();
    for v in values {
        let name = v.name.strip_prefix("props.").unwrap_or(&v.name).to_string();
        if name.is_empty() {
            continue;
        }
        let def = schema_props.and_then(|d| d.get(&name));
        let value = Schema::parse_prop_text(def, Some(typed(v.ty)), &v.name, v.text.trim())?;
        if out.insert(name.clone(), value).is_some() {
            return Err(RecordError::new(
                v.name.as_str(),
                format!("property `{name}` is given twice"),
            ));
        }
    }
    Ok(out)
}

/// A node record from its id, label and attribute values.
pub(crate) fn node(
    id: String,
    label: Option<String>,
    values: Vec<RawValue>,
    schema: &Schema,
    defaults: &KindDefaults,
) -> Result<NodeRecord, RecordError> {
    let mut kind = None;
    let mut name = None;
    let mut name_en = None;
    let mut rest = Vec::new();
    for v in values {
        match v.name.as_str() {
            "kind" => kind = Some(v.text),
            "name" => name = Some(v.text),
            "name_en" => name_en = Some(v.text).filter(|s| !s.is_empty()),
            // The writers repeat the name as `label` for Gephi; a foreign label is the name.
            "label" => {
                if name.is_none() {
                    name = Some(v.text.clone());
                }
            }
            _ => rest.push(v),
        }
    }
    let kind = kind.or_else(|| defaults.node_kind.clone()).ok_or_else(|| {
        RecordError::new(
            "kind",
            "the node has no `kind` attribute; give every node one, or name the kind with --node-kind",
        )
    })?;
    let name = name.or(label).unwrap_or_else(|| id.clone());
    let props = props(schema.node_kind(&kind).map(|k| &k.props), rest)?;
    Ok(NodeRecord {
        id,
        kind,
        name,
        name_en,
        props,
    })
}

/// An edge record from its endpoints and attribute values. `weight` is the element's own
/// weight (GEXF); a `weight` attribute value (GraphML) is read too.
pub(crate) fn edge(
    source: String,
    target: String,
    weight: Option<&str>,
    values: Vec<RawValue>,
    schema: &Schema,
    defaults: &KindDefaults,
) -> Result<EdgeRecord, RecordError> {
    let mut kind = None;
    let mut key = String::new();
    let mut weight_text = weight.map(str::to_string);
    let mut rest = Vec::new();
    for v in values {
        match v.name.as_str() {
            "kind" => kind = Some(v.text),
            "key" => key = v.text,
            "weight" => weight_text = Some(v.text),
            // Written from the kind's definition; the schema decides on import.
            "directed" | "label" => {}
            _ => rest.push(v),
        }
    }
    let kind = kind.or_else(|| defaults.edge_kind.clone()).ok_or_else(|| {
        RecordError::new(
            "kind",
            "the edge has no `kind` attribute; give every edge one, or name the kind with --edge-kind",
        )
    })?;
    let weight = match weight_text.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) => Some(
            t.parse::<f64>()
                .ok()
                .filter(|w| w.is_finite() && *w >= 0.0)
                .ok_or_else(|| {
                    RecordError::new("weight", format!("expected a number ≥ 0, got `{t}`"))
                })?,
        ),
    };
    let props = props(schema.edge_kind(&kind).map(|k| &k.props), rest)?;
    Ok(EdgeRecord {
        source,
        target,
        kind,
        key,
        weight,
        props,
    })
}

/// The text form of a value, for tests of the readers.
#[cfg(test)]
pub(crate) fn text(v: &PropValue) -> String {
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(name: &str, ty: ValueType, text: &str) -> RawValue {
        RawValue {
            name: name.into(),
            ty,
            text: text.into(),
        }
    }

    #[test]
    fn fixed_fields_are_taken_by_name_and_the_rest_typed() {
        let schema = Schema::builtin();
        let n = node(
            "univ:x".into(),
            None,
            vec![
                raw("kind", ValueType::Text, "university"),
                raw("label", ValueType::Text, "X 大学"),
                raw("rank", ValueType::Int, "3"),
                raw("props.name", ValueType::Text, "other"),
            ],
            &schema,
            &KindDefaults::default(),
        )
        .unwrap();
        assert_eq!(n.name, "X 大学");
        assert_eq!(n.props.get("rank"), Some(&PropValue::Int(3)));
        assert_eq!(text(&n.props["name"]), "other");
    }

    #[test]
    fn a_missing_kind_names_the_option_that_supplies_it() {
        let e = node(
            "a".into(),
            None,
            vec![],
            &Schema::builtin(),
            &KindDefaults::default(),
        )
        .unwrap_err();
        assert_eq!(e.field, "kind");
        assert!(e.reason.contains("--node-kind"));
        let bad = edge(
            "a".into(),
            "b".into(),
            Some("-1"),
            vec![],
            &Schema::builtin(),
            &KindDefaults {
                edge_kind: Some("collaborates_with".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(bad.field, "weight");
    }
}
