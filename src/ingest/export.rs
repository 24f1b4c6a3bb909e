//! Export of the published graph as JSON Lines or CSV, in a form `import` reads back to
//! the same graph (the schema is written beside the data for extended databases).

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::model::{EdgeRecord, NodeRecord, PropValue, Props, Schema};
use crate::store::{Store, StoreError};

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// `graph.jsonl`: node lines, then edge lines.
    JsonLines,
    /// `nodes.csv` and `edges.csv`, one column per property.
    Csv,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    /// Files written.
    pub files: Vec<PathBuf>,
    /// Nodes written.
    pub nodes: u64,
    /// Edges written.
    pub edges: u64,
}

fn io(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::file(path, e)
}

/// Writes the published graph to `dir` (created if needed).
pub fn export(
    store: &Store,
    format: ExportFormat,
    dir: &Path,
) -> Result<ExportSummary, StoreError> {
    fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let schema = store.schema();
    let schema_path = dir.join("schema.toml");
    fs::write(&schema_path, schema.to_toml()).map_err(|e| io(&schema_path, e))?;
    let mut summary = ExportSummary {
        files: vec![schema_path],
        nodes: 0,
        edges: 0,
    };
    match format {
        ExportFormat::JsonLines => {
            let path = dir.join("graph.jsonl");
            let mut out = BufWriter::new(File::create(&path).map_err(|e| io(&path, e))?);
            for node in store.nodes() {
                let n = node?;
                let line = serde_json::json!({"node": node_json(&n)});
                writeln!(out, "{line}").map_err(|e| io(&path, e))?;
                summary.nodes += 1;
            }
            for edge in store.edges() {
                let e = edge?;
                let line = serde_json::json!({"edge": edge_json(&e)});
                writeln!(out, "{line}").map_err(|e| io(&path, e))?;
                summary.edges += 1;
            }
            out.flush().map_err(|e| io(&path, e))?;
            summary.files.push(path);
        }
        ExportFormat::Csv => {
            let nodes_path = dir.join("nodes.csv");
            summary.nodes = write_csv(
                &nodes_path,
                &["id", "kind", "name", "name_en"],
                store.nodes().map(|r| {
                    r.map(|n| {
                        let fixed =
                            vec![n.id, n.kind.clone(), n.name, n.name_en.unwrap_or_default()];
                        (fixed, n.kind, n.props)
                    })
                }),
                || store.nodes().map(|r| r.map(|n| (n.kind, n.props))),
                &schema,
                true,
            )?;
            summary.files.push(nodes_path);
            let edges_path = dir.join("edges.csv");
            summary.edges = write_csv(
                &edges_path,
                &["source", "target", "kind", "key", "weight"],
                store.edges().map(|r| {
                    r.map(|e| {
                        let weight = e
                            .weight
                            .map(|w| PropValue::Float(w).to_string())
                            .unwrap_or_default();
                        let fixed = vec![e.source, e.target, e.kind.clone(), e.key, weight];
                        (fixed, e.kind, e.props)
                    })
                }),
                || store.edges().map(|r| r.map(|e| (e.kind, e.props))),
                &schema,
                false,
            )?;
            summary.files.push(edges_path);
        }
    }
    Ok(summary)
}

/// A node as the JSON object of the import format.
pub fn node_json(n: &NodeRecord) -> serde_json::Value {
    let mut o = serde_json::json!({"id": n.id, "kind": n.kind, "name": n.name});
    if let Some(en) = &n.name_en {
        o["name_en"] = en.clone().into();
    }
    if !n.props.is_empty() {
        o["props"] = props_json(&n.props);
    }
    o
}

/// An edge as the JSON object of the import format.
pub fn edge_json(e: &EdgeRecord) -> serde_json::Value {
    let mut o = serde_json::json!({"source": e.source, "target": e.target, "kind": e.kind});
    if !e.key.is_empty() {
        o["key"] = e.key.clone().into();
    }
    if let Some(w) = e.weight {
        o["weight"] = w.into();
    }
    if !e.props.is_empty() {
        o["props"] = props_json(&e.props);
    }
    o
}

/// Properties as a JSON object of plain values.
pub fn props_json(props: &Props) -> serde_json::Value {
    serde_json::Value::Object(
        props
            .iter()
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect(),
    )
}

type Row = (Vec<String>, String, Props);

/// Writes one CSV file in two passes: the first finds every property column, the second
/// writes the rows. Declared properties get plain columns (typed by the schema on
/// import); others carry a `:type` annotation; names that clash with fixed columns get a
/// `props.` prefix.
fn write_csv<R, C, I>(
    path: &Path,
    fixed: &[&str],
    rows: R,
    columns_pass: C,
    schema: &Schema,
    is_node: bool,
) -> Result<u64, StoreError>
where
    R: Iterator<Item = Result<Row, StoreError>>,
    C: Fn() -> I,
    I: Iterator<Item = Result<(String, Props), StoreError>>,
{
    // Column per (property name, header text); a property whose type varies across
    // records gets one column per type.
    let mut columns: BTreeMap<(String, String), ()> = BTreeMap::new();
    for item in columns_pass() {
        let (kind, props) = item?;
        for (name, value) in &props {
            columns.insert(
                (
                    name.clone(),
                    header_for(schema, is_node, &kind, fixed, name, value),
                ),
                (),
            );
        }
    }
    let columns: Vec<(String, String)> = columns.into_keys().collect();
    let mut out =
        csv::Writer::from_writer(BufWriter::new(File::create(path).map_err(|e| io(path, e))?));
    let mut header: Vec<String> = fixed.iter().map(|s| s.to_string()).collect();
    header.extend(columns.iter().map(|(_, h)| h.clone()));
    let csv_err = |e: csv::Error| StoreError::file(path, e.into());
    out.write_record(&header).map_err(csv_err)?;
    let mut n = 0;
    for row in rows {
        let (mut cells, kind, props) = row?;
        for (name, head) in &columns {
            let cell = match props.get(name) {
                Some(v) if header_for(schema, is_node, &kind, fixed, name, v) == *head => {
                    v.to_string()
                }
                _ => String::new(),
            };
            cells.push(cell);
        }
        out.write_record(&cells).map_err(csv_err)?;
        n += 1;
    }
    out.flush().map_err(|e| io(path, e))?;
    Ok(n)
}

fn header_for(
    schema: &Schema,
    is_node: bool,
    kind: &str,
    fixed: &[&str],
    name: &str,
    value: &PropValue,
) -> String {
    let declared = if is_node {
        schema
            .node_kind(kind)
            .is_some_and(|k| k.props.contains_key(name))
    } else {
        schema
            .edge_kind(kind)
            .is_some_and(|k| k.props.contains_key(name))
    };
    let needs_prefix = fixed.contains(&name) || name.starts_with("props.") || name.contains(':');
    let base = if needs_prefix {
        format!("props.{name}")
    } else {
        name.to_string()
    };
    if declared || matches!(value, PropValue::Text(_)) {
        // A declared property is typed by the schema; text needs no annotation, except
        // when the name itself holds a colon.
        if name.contains(':') && !declared {
            format!("{base}:string")
        } else {
            base
        }
    } else {
        format!("{base}:{}", value.type_name())
    }
}
