//! The schema: which node kinds, edge kinds and properties exist, read from the TOML in
//! `schema/` and stored in each database at `init`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::text::check_id;
use super::{EdgeRecord, ModelError, NodeRecord, PropValue, Props, RecordError};

/// The schema shipped with innograph (`schema/schema.toml`).
pub const BUILTIN_SCHEMA: &str = include_str!("../../schema/schema.toml");

/// The category of node kinds that are organisations (tied together by the `collab` view);
/// `@organisation` in an edge kind's endpoint list stands for all of them.
pub const ORGANISATION_CATEGORY: &str = "organisation";

/// The type of a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PropType {
    /// `true` / `false` (CSV also accepts `1`/`0`, `yes`/`no`).
    Bool,
    /// A whole number.
    Int,
    /// A real number; CSV also accepts a decimal comma (`211562,5`).
    Float,
    /// Any text.
    String,
    /// One of a fixed list of values.
    Enum,
}

/// The definition of one property.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropDef {
    /// The value type.
    #[serde(rename = "type")]
    pub ty: PropType,
    /// Whether every record of the kind must have it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// The value filled in when a record has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    /// The allowed values of an `enum`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// What the property means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The definition of a node kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeKindDef {
    /// Grouping of kinds; `organisation` kinds are the actors of the collaboration view.
    #[serde(default = "default_category")]
    pub category: String,
    /// English label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Chinese label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_zh: Option<String>,
    /// What the kind stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Declared properties.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub props: BTreeMap<String, PropDef>,
}

fn default_category() -> String {
    "other".to_string()
}

fn default_true() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// The definition of an edge kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EdgeKindDef {
    /// Whether the tie has a direction.
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub directed: bool,
    /// Whether the edge describes a node (field, district) rather than tying two actors.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub attribute: bool,
    /// Allowed source kinds (`@category` for every kind of a category).
    pub sources: Vec<String>,
    /// Allowed target kinds.
    pub targets: Vec<String>,
    /// What the tie stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Declared properties.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub props: BTreeMap<String, PropDef>,
}

/// The whole schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// Version of the schema format.
    #[serde(default = "default_version")]
    pub version: u32,
    /// Node kinds by name.
    #[serde(default)]
    pub node_kinds: BTreeMap<String, NodeKindDef>,
    /// Edge kinds by name.
    #[serde(default)]
    pub edge_kinds: BTreeMap<String, EdgeKindDef>,
}

fn default_version() -> u32 {
    1
}

impl Schema {
    /// The built-in schema.
    pub fn builtin() -> Schema {
        // The built-in text is part of the binary and checked by a unit test.
        Schema::from_toml(BUILTIN_SCHEMA).expect("built-in schema is valid")
    }

    /// Parses and checks a schema written in TOML.
    pub fn from_toml(text: &str) -> Result<Schema, ModelError> {
        let schema: Schema =
            toml::from_str(text).map_err(|e| ModelError::SchemaSyntax(e.to_string()))?;
        schema.check()?;
        Ok(schema)
    }

    /// Parses a schema extension: like [`Schema::from_toml`], but endpoint kinds may refer to
    /// kinds of the schema being extended, so only syntax is checked here.
    pub fn extension_from_toml(text: &str) -> Result<Schema, ModelError> {
        toml::from_str(text).map_err(|e| ModelError::SchemaSyntax(e.to_string()))
    }

    /// The schema as TOML text.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// Adds the kinds and properties of `extension`. New kinds are added; an existing kind
    /// gains new properties and (for edges) new allowed endpoint kinds. Redefining a property
    /// with another type, or an edge kind's direction or attribute flag, is a conflict.
    pub fn merge(&mut self, extension: Schema) -> Result<(), ModelError> {
        for (name, def) in extension.node_kinds {
            match self.node_kinds.get_mut(&name) {
                None => {
                    self.node_kinds.insert(name, def);
                }
                Some(existing) => {
                    if def.category != existing.category && def.category != default_category() {
                        return Err(ModelError::SchemaConflict(format!(
                            "node kind `{name}` is in category `{}`; the extension says `{}`",
                            existing.category, def.category
                        )));
                    }
                    merge_props(
                        &format!("node kind `{name}`"),
                        &mut existing.props,
                        def.props,
                    )?;
                }
            }
        }
        for (name, def) in extension.edge_kinds {
            match self.edge_kinds.get_mut(&name) {
                None => {
                    self.edge_kinds.insert(name, def);
                }
                Some(existing) => {
                    if existing.directed != def.directed || existing.attribute != def.attribute {
                        return Err(ModelError::SchemaConflict(format!(
                            "edge kind `{name}` cannot change whether it is directed or an attribute"
                        )));
                    }
                    for s in def.sources {
                        if !existing.sources.contains(&s) {
                            existing.sources.push(s);
                        }
                    }
                    for t in def.targets {
                        if !existing.targets.contains(&t) {
                            existing.targets.push(t);
                        }
                    }
                    merge_props(
                        &format!("edge kind `{name}`"),
                        &mut existing.props,
                        def.props,
                    )?;
                }
            }
        }
        self.check()
    }

    /// Checks that the schema is consistent: endpoint kinds exist, enum properties list their
    /// values, defaults have the declared type, names are usable.
    pub fn check(&self) -> Result<(), ModelError> {
        for name in self.node_kinds.keys().chain(self.edge_kinds.keys()) {
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                return Err(ModelError::SchemaConflict(format!(
                    "kind name `{name}` must be lower-case letters, digits and `_`"
                )));
            }
        }
        for (name, def) in &self.edge_kinds {
            for endpoint in def.sources.iter().chain(&def.targets) {
                let known = match endpoint.strip_prefix('@') {
                    Some(category) => self.node_kinds.values().any(|k| k.category == category),
                    None => self.node_kinds.contains_key(endpoint),
                };
                if !known {
                    return Err(ModelError::SchemaConflict(format!(
                        "edge kind `{name}` names unknown endpoint kind `{endpoint}`"
                    )));
                }
            }
            if def.sources.is_empty() || def.targets.is_empty() {
                return Err(ModelError::SchemaConflict(format!(
                    "edge kind `{name}` must list its source and target kinds"
                )));
            }
            check_props(&format!("edge kind `{name}`"), &def.props)?;
        }
        for (name, def) in &self.node_kinds {
            check_props(&format!("node kind `{name}`"), &def.props)?;
        }
        Ok(())
    }

    /// The definition of a node kind.
    pub fn node_kind(&self, name: &str) -> Option<&NodeKindDef> {
        self.node_kinds.get(name)
    }

    /// The definition of an edge kind.
    pub fn edge_kind(&self, name: &str) -> Option<&EdgeKindDef> {
        self.edge_kinds.get(name)
    }

    /// Whether `kind` is an organisation kind.
    pub fn is_organisation(&self, kind: &str) -> bool {
        self.node_kinds
            .get(kind)
            .is_some_and(|k| k.category == ORGANISATION_CATEGORY)
    }

    /// Names of the organisation kinds, in name order.
    pub fn organisation_kinds(&self) -> Vec<&str> {
        self.node_kinds
            .iter()
            .filter(|(_, k)| k.category == ORGANISATION_CATEGORY)
            .map(|(n, _)| n.as_str())
            .collect()
    }

    fn endpoint_allowed(&self, allowed: &[String], node_kind: &str) -> bool {
        let category = self.node_kinds.get(node_kind).map(|k| k.category.as_str());
        allowed.iter().any(|a| match a.strip_prefix('@') {
            Some(c) => Some(c) == category,
            None => a == node_kind,
        })
    }

    /// Checks a node record, fills in defaults and converts declared properties to their
    /// types. Returns every problem found.
    pub fn validate_node(&self, node: &mut NodeRecord) -> Vec<RecordError> {
        let mut errors = Vec::new();
        if let Err(e) = check_id("id", &node.id, false) {
            errors.push(e);
        }
        if node.name.trim().is_empty() {
            errors.push(RecordError::new("name", "must not be empty"));
        }
        match self.node_kinds.get(&node.kind) {
            None => errors.push(unknown_kind("kind", &node.kind, self.node_kinds.keys())),
            Some(def) => normalise_props(&def.props, &mut node.props, &mut errors),
        }
        errors
    }

    /// Checks an edge record (everything but its endpoints' existence and kinds), fills in
    /// defaults, converts declared properties and orders the endpoints of undirected kinds.
    pub fn validate_edge(&self, edge: &mut EdgeRecord) -> Vec<RecordError> {
        let mut errors = Vec::new();
        for (field, value, allow_empty) in [
            ("source", &edge.source, false),
            ("target", &edge.target, false),
            ("key", &edge.key, true),
        ] {
            if let Err(e) = check_id(field, value, allow_empty) {
                errors.push(e);
            }
        }
        if let Some(w) = edge.weight {
            if !w.is_finite() || w < 0.0 {
                errors.push(RecordError::new(
                    "weight",
                    format!("must be a finite number ≥ 0, got {w}"),
                ));
            }
        }
        if edge.source == edge.target && !edge.source.is_empty() {
            errors.push(RecordError::new(
                "target",
                "is the same node as the source (self-ties are not allowed)",
            ));
        }
        match self.edge_kinds.get(&edge.kind) {
            None => errors.push(unknown_kind("kind", &edge.kind, self.edge_kinds.keys())),
            Some(def) => {
                normalise_props(&def.props, &mut edge.props, &mut errors);
                edge.canonicalise(def.directed);
            }
        }
        errors
    }

    /// Checks that an edge of `edge_kind` may join a `source_kind` node to a `target_kind`
    /// node (either way round for undirected kinds).
    pub fn check_endpoints(
        &self,
        edge_kind: &str,
        source_kind: &str,
        target_kind: &str,
    ) -> Result<(), RecordError> {
        let Some(def) = self.edge_kinds.get(edge_kind) else {
            return Err(unknown_kind("kind", edge_kind, self.edge_kinds.keys()));
        };
        let forward = self.endpoint_allowed(&def.sources, source_kind)
            && self.endpoint_allowed(&def.targets, target_kind);
        let backward = !def.directed
            && self.endpoint_allowed(&def.sources, target_kind)
            && self.endpoint_allowed(&def.targets, source_kind);
        if forward || backward {
            return Ok(());
        }
        let source_fits = self.endpoint_allowed(&def.sources, source_kind)
            || (!def.directed && self.endpoint_allowed(&def.targets, source_kind));
        let (field, kind, allowed) = if !source_fits {
            ("source", source_kind, &def.sources)
        } else {
            ("target", target_kind, &def.targets)
        };
        Err(RecordError::new(
            field,
            format!(
                "a `{edge_kind}` edge cannot have a `{kind}` {field}; allowed: {}",
                allowed.join(", ")
            ),
        ))
    }

    /// Parses the text of a CSV cell for property `name`: declared properties by their type,
    /// others by the `column:type` annotation when there is one, else as text.
    pub fn parse_prop_text(
        def: Option<&PropDef>,
        annotated: Option<PropType>,
        field: &str,
        text: &str,
    ) -> Result<PropValue, RecordError> {
        let ty = def.map(|d| d.ty).or(annotated).unwrap_or(PropType::String);
        parse_typed(ty, field, text)
    }
}

fn unknown_kind<'a>(
    field: &str,
    kind: &str,
    known: impl Iterator<Item = &'a String>,
) -> RecordError {
    let known: Vec<&str> = known.map(String::as_str).collect();
    // `collab` is the derived tie an export made with `--view collab` writes (one per pair,
    // summing its relations): a picture for Gephi, not records to import.
    let hint = if kind == "collab" {
        "; `collab` ties come from an export made with `--view collab`, which is for drawing \
         and analysis: export without `--view` to move records"
    } else {
        ""
    };
    RecordError::new(
        field,
        format!("unknown kind `{kind}` (known: {}){hint}", known.join(", ")),
    )
}

fn merge_props(
    owner: &str,
    existing: &mut BTreeMap<String, PropDef>,
    new: BTreeMap<String, PropDef>,
) -> Result<(), ModelError> {
    for (name, def) in new {
        match existing.get(&name) {
            Some(old) if old.ty != def.ty => {
                return Err(ModelError::SchemaConflict(format!(
                    "{owner}: property `{name}` is {:?}; the extension says {:?}",
                    old.ty, def.ty
                )))
            }
            Some(_) => {}
            None => {
                existing.insert(name, def);
            }
        }
    }
    Ok(())
}

fn check_props(owner: &str, props: &BTreeMap<String, PropDef>) -> Result<(), ModelError> {
    for (name, def) in props {
        if def.ty == PropType::Enum && def.values.is_empty() {
            return Err(ModelError::SchemaConflict(format!(
                "{owner}: enum property `{name}` lists no values"
            )));
        }
        if let Some(default) = &def.default {
            let ok = PropValue::from_json(default)
                .and_then(|v| coerce(def, name, v).ok())
                .is_some();
            if !ok {
                return Err(ModelError::SchemaConflict(format!(
                    "{owner}: default of `{name}` is not a {:?}",
                    def.ty
                )));
            }
        }
    }
    Ok(())
}

fn normalise_props(
    defs: &BTreeMap<String, PropDef>,
    props: &mut Props,
    errors: &mut Vec<RecordError>,
) {
    for (name, value) in props.iter_mut() {
        if let Some(def) = defs.get(name) {
            match coerce(def, name, value.clone()) {
                Ok(v) => *value = v,
                Err(e) => errors.push(e),
            }
        }
    }
    for (name, def) in defs {
        if props.contains_key(name) {
            continue;
        }
        if let Some(default) = def.default.as_ref().and_then(PropValue::from_json) {
            if let Ok(v) = coerce(def, name, default) {
                props.insert(name.clone(), v);
                continue;
            }
        }
        if def.required {
            errors.push(RecordError::new(
                format!("props.{name}"),
                "is required and missing",
            ));
        }
    }
}

/// Converts a value to the declared type where that loses nothing (int → float, text → any
/// type by parsing), and checks enum values.
fn coerce(def: &PropDef, name: &str, value: PropValue) -> Result<PropValue, RecordError> {
    let field = format!("props.{name}");
    match (def.ty, value) {
        (_, PropValue::Text(t)) if def.ty != PropType::String => {
            let v = parse_typed(def.ty, &field, &t)?;
            check_enum(def, &field, v)
        }
        (PropType::Bool, v @ PropValue::Bool(_))
        | (PropType::Int, v @ PropValue::Int(_))
        | (PropType::Float, v @ PropValue::Float(_))
        | (PropType::String, v @ PropValue::Text(_)) => Ok(v),
        (PropType::Float, PropValue::Int(i)) => Ok(PropValue::Float(i as f64)),
        (PropType::Int, PropValue::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
            Ok(PropValue::Int(f as i64))
        }
        (PropType::String, v) => Ok(PropValue::Text(v.to_string())),
        (ty, v) => Err(RecordError::new(
            field,
            format!("expected {}, got {} `{v}`", type_word(ty), v.type_name()),
        )),
    }
}

fn check_enum(def: &PropDef, field: &str, v: PropValue) -> Result<PropValue, RecordError> {
    Ok(v).and_then(|v| {
        if def.ty == PropType::Enum {
            let PropValue::Text(t) = &v else {
                return Err(RecordError::new(field, "expected text"));
            };
            if !def.values.contains(t) {
                return Err(RecordError::new(
                    field,
                    format!("`{t}` is not one of {}", def.values.join(", ")),
                ));
            }
        }
        Ok(v)
    })
}

fn type_word(ty: PropType) -> &'static str {
    match ty {
        PropType::Bool => "a boolean",
        PropType::Int => "a whole number",
        PropType::Float => "a number",
        PropType::String => "text",
        PropType::Enum => "one of the listed values",
    }
}

/// Parses text as a value of type `ty`.
fn parse_typed(ty: PropType, field: &str, text: &str) -> Result<PropValue, RecordError> {
    let t = text.trim();
    let bad = || {
        RecordError::new(
            field,
            format!("expected {}, got `{}`", type_word(ty), shorten(text)),
        )
    };
    match ty {
        PropType::String | PropType::Enum => Ok(PropValue::Text(text.to_string())),
        PropType::Bool => match t.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "y" => Ok(PropValue::Bool(true)),
            "false" | "0" | "no" | "n" => Ok(PropValue::Bool(false)),
            _ => Err(bad()),
        },
        PropType::Int => t.parse::<i64>().map(PropValue::Int).map_err(|_| bad()),
        PropType::Float => parse_float(t).map(PropValue::Float).ok_or_else(bad),
    }
}

/// Parses a real number, accepting a decimal comma when it is the only separator
/// (`211562,5`), as CORDIS writes some amounts. Rejects NaN and infinities.
pub(crate) fn parse_float(text: &str) -> Option<f64> {
    let t = text.trim();
    let parsed = t.parse::<f64>().ok().or_else(|| {
        if t.matches(',').count() == 1 && !t.contains('.') {
            t.replace(',', ".").parse::<f64>().ok()
        } else {
            None
        }
    })?;
    parsed.is_finite().then_some(parsed)
}

fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(kind: &str) -> NodeRecord {
        NodeRecord {
            id: "x".into(),
            kind: kind.into(),
            name: "X".into(),
            name_en: None,
            props: Props::new(),
        }
    }

    fn edge(kind: &str) -> EdgeRecord {
        EdgeRecord {
            source: "a".into(),
            target: "b".into(),
            kind: kind.into(),
            key: String::new(),
            weight: None,
            props: Props::new(),
        }
    }

    #[test]
    fn builtin_schema_has_the_required_kinds() {
        let s = Schema::builtin();
        for k in [
            "university",
            "research_institute",
            "enterprise",
            "incubator",
            "organisation",
            "agency",
            "tech_manager",
            "project",
            "platform",
            "achievement",
            "demand",
            "programme",
            "district",
            "field",
        ] {
            assert!(s.node_kind(k).is_some(), "missing node kind {k}");
        }
        for k in [
            "collaborates_with",
            "participates_in",
            "leads",
            "funds",
            "part_of",
            "owns",
            "contracts_with",
            "incubates",
            "spun_off_from",
            "works_for",
            "serves",
            "operates",
            "supports",
            "posts",
            "solves",
            "located_in",
            "in_field",
        ] {
            assert!(s.edge_kind(k).is_some(), "missing edge kind {k}");
        }
        assert!(!s.edge_kind("collaborates_with").unwrap().directed);
        assert!(s.edge_kind("in_field").unwrap().attribute);
        assert!(s.edge_kind("located_in").unwrap().attribute);
        assert_eq!(s.organisation_kinds().len(), 6);
    }

    #[test]
    fn schema_round_trips_through_toml() {
        let s = Schema::builtin();
        let again = Schema::from_toml(&s.to_toml()).unwrap();
        assert_eq!(s, again);
    }

    #[test]
    fn unknown_node_kind_is_reported_on_the_kind_field() {
        let s = Schema::builtin();
        let errors = s.validate_node(&mut node("spaceship"));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "kind");
        assert!(errors[0].reason.contains("spaceship"));
    }

    #[test]
    fn a_collab_tie_from_a_view_export_is_explained() {
        let errors = Schema::builtin().validate_edge(&mut edge("collab"));
        assert_eq!(errors[0].field, "kind");
        assert!(errors[0].reason.contains("--view collab"), "{errors:?}");
    }

    #[test]
    fn contract_mode_is_required_and_checked() {
        let s = Schema::builtin();
        let mut e = edge("contracts_with");
        let errors = s.validate_edge(&mut e);
        assert!(errors.iter().any(|e| e.field == "props.mode"), "{errors:?}");
        let mut e = edge("contracts_with");
        e.props
            .insert("mode".into(), PropValue::Text("theft".into()));
        let errors = s.validate_edge(&mut e);
        assert!(errors[0].reason.contains("theft"));
        let mut e = edge("contracts_with");
        e.props
            .insert("mode".into(), PropValue::Text("licence".into()));
        e.props
            .insert("amount".into(), PropValue::Text("12,5".into()));
        assert!(s.validate_edge(&mut e).is_empty());
        assert_eq!(e.props["amount"], PropValue::Float(12.5));
        assert_eq!(e.props["currency"], PropValue::Text("CNY".into()));
    }

    #[test]
    fn non_numeric_amount_is_an_error() {
        let s = Schema::builtin();
        let mut e = edge("funds");
        e.props
            .insert("amount".into(), PropValue::Text("lots".into()));
        let errors = s.validate_edge(&mut e);
        assert_eq!(errors[0].field, "props.amount");
    }

    #[test]
    fn endpoint_kinds_are_enforced_with_categories() {
        let s = Schema::builtin();
        assert!(s
            .check_endpoints("contracts_with", "university", "enterprise")
            .is_ok());
        let err = s
            .check_endpoints("contracts_with", "enterprise", "university")
            .unwrap_err();
        assert_eq!(err.field, "source");
        assert!(s
            .check_endpoints("participates_in", "agency", "project")
            .is_ok());
        assert!(s
            .check_endpoints("collaborates_with", "enterprise", "university")
            .is_ok());
        let err = s
            .check_endpoints("participates_in", "university", "field")
            .unwrap_err();
        assert_eq!(err.field, "target");
    }

    #[test]
    fn extension_adds_kinds_and_rejects_conflicts() {
        let mut s = Schema::builtin();
        let ext = Schema::extension_from_toml(
            r#"
            [node_kinds.hospital]
            category = "organisation"
            label = "Hospital"
            [edge_kinds.operates]
            sources = ["hospital"]
            targets = ["platform"]
            "#,
        )
        .unwrap();
        s.merge(ext).unwrap();
        assert!(s.is_organisation("hospital"));
        assert!(s
            .check_endpoints("operates", "hospital", "platform")
            .is_ok());
        assert!(s
            .check_endpoints("participates_in", "hospital", "project")
            .is_ok());
        let bad = Schema::extension_from_toml(
            r#"
            [edge_kinds.collaborates_with]
            directed = true
            sources = ["university"]
            targets = ["university"]
            "#,
        )
        .unwrap();
        assert!(s.merge(bad).is_err());
    }

    #[test]
    fn parse_float_accepts_a_decimal_comma_only_alone() {
        assert_eq!(parse_float("211562,5"), Some(211562.5));
        assert_eq!(parse_float("1.5"), Some(1.5));
        assert_eq!(parse_float("1,000.5"), None);
        assert_eq!(parse_float("NaN"), None);
        assert_eq!(parse_float(""), None);
    }
}
