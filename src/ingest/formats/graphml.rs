//! The GraphML writer: `graph.graphml`, one `<key>` per attribute with its type (`string`,
//! `long`, `double`, `boolean`), nodes with kind, name, name_en, `label` (the name, which
//! Gephi and Cytoscape show), properties and scores; edges with kind, key, weight,
//! `directed` (the kind's direction) and properties.
//!
//! The graph is declared undirected (as the analyses' default view) unless the selection is
//! directed: NetworkX and igraph take one direction for a whole graph, so a kind's own
//! direction travels as the `directed` attribute, and source and target stay as stored.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::columns::{Column, PropColumns, ValueType};
use super::graphml_read::SCORE_KEY_PREFIX;
use super::xml::{double, escape};
use super::{into_store, GraphExportSummary, Source, WriteError};
use crate::model::PropValue;
use crate::store::StoreError;

/// Fixed node attributes.
pub(crate) const NODE_FIXED: [&str; 5] = ["id", "kind", "name", "name_en", "label"];
/// Fixed edge attributes.
pub(crate) const EDGE_FIXED: [&str; 6] = ["id", "kind", "key", "weight", "directed", "label"];

fn graphml_type(ty: ValueType) -> &'static str {
    match ty {
        ValueType::Bool => "boolean",
        ValueType::Int => "long",
        ValueType::Float => "double",
        ValueType::Text => "string",
    }
}

fn value_text(v: &PropValue) -> String {
    match v {
        PropValue::Float(x) => double(*x),
        other => other.to_string(),
    }
}

pub(super) fn write(source: &Source<'_>, dir: &Path) -> Result<GraphExportSummary, StoreError> {
    let path = dir.join("graph.graphml");
    let columns = PropColumns::scan(source, &NODE_FIXED, &EDGE_FIXED)?;
    let file = File::create(&path).map_err(|e| StoreError::file(&path, e))?;
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let (nodes, edges) =
        write_document(source, &columns, &mut out).map_err(|e| into_store(&path, e))?;
    out.flush().map_err(|e| StoreError::file(&path, e))?;
    Ok(GraphExportSummary {
        files: vec![path],
        nodes,
        edges,
    })
}

fn write_document(
    source: &Source<'_>,
    columns: &PropColumns,
    out: &mut impl Write,
) -> Result<(u64, u64), WriteError> {
    let schema = source.store.schema();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    let key = |out: &mut dyn Write, id: &str, owner: &str, name: &str, ty: &str| {
        writeln!(
            out,
            r#"  <key id="{id}" for="{owner}" attr.name="{}" attr.type="{ty}"/>"#,
            escape(name)
        )
    };
    for name in ["kind", "name", "name_en", "label"] {
        key(out, &format!("n_{name}"), "node", name, "string")?;
    }
    for (i, c) in columns.nodes.iter().enumerate() {
        key(
            out,
            &format!("n_p{i}"),
            "node",
            &c.header,
            graphml_type(c.ty),
        )?;
    }
    for (i, s) in source.selection.scores.iter().enumerate() {
        let ty = if s.integral { "long" } else { "double" };
        key(out, &format!("{SCORE_KEY_PREFIX}{i}"), "node", &s.name, ty)?;
    }
    key(out, "e_kind", "edge", "kind", "string")?;
    key(out, "e_key", "edge", "key", "string")?;
    key(out, "e_weight", "edge", "weight", "double")?;
    key(out, "e_directed", "edge", "directed", "boolean")?;
    for (i, c) in columns.edges.iter().enumerate() {
        key(
            out,
            &format!("e_p{i}"),
            "edge",
            &c.header,
            graphml_type(c.ty),
        )?;
    }
    let edgedefault = if source.selection.directed {
        "directed"
    } else {
        "undirected"
    };
    writeln!(
        out,
        r#"  <graph id="innograph" edgedefault="{edgedefault}">"#
    )?;
    let data = |out: &mut dyn Write, key: &str, value: &str| {
        writeln!(out, r#"      <data key="{key}">{}</data>"#, escape(value))
    };
    let props = |out: &mut dyn Write, prefix: &str, cols: &[Column], p: &crate::model::Props| {
        for (i, c) in cols.iter().enumerate() {
            if let Some(v) = c.value(p) {
                data(out, &format!("{prefix}{i}"), &value_text(&v))?;
            }
        }
        Ok::<(), std::io::Error>(())
    };
    let mut nodes = 0;
    for node in source.nodes() {
        let node = node?;
        let n = &node.record;
        writeln!(out, r#"    <node id="{}">"#, escape(&n.id))?;
        data(out, "n_kind", &n.kind)?;
        data(out, "n_name", &n.name)?;
        if let Some(en) = &n.name_en {
            data(out, "n_name_en", en)?;
        }
        data(out, "n_label", &n.name)?;
        props(out, "n_p", &columns.nodes, &n.props)?;
        for (i, s) in source.selection.scores.iter().enumerate() {
            if let Some(v) = s.value(node.index) {
                let text = if s.integral {
                    format!("{}", v as i64)
                } else {
                    double(v)
                };
                data(out, &format!("{SCORE_KEY_PREFIX}{i}"), &text)?;
            }
        }
        writeln!(out, "    </node>")?;
        nodes += 1;
    }
    let mut edges = 0u64;
    for edge in source.edges() {
        let e = edge?;
        writeln!(
            out,
            r#"    <edge id="e{edges}" source="{}" target="{}">"#,
            escape(&e.source),
            escape(&e.target)
        )?;
        data(out, "e_kind", &e.kind)?;
        if !e.key.is_empty() {
            data(out, "e_key", &e.key)?;
        }
        if let Some(w) = e.weight {
            data(out, "e_weight", &double(w))?;
        }
        let directed = schema.edge_kind(&e.kind).is_some_and(|k| k.directed);
        data(out, "e_directed", if directed { "true" } else { "false" })?;
        props(out, "e_p", &columns.edges, &e.props)?;
        writeln!(out, "    </edge>")?;
        edges += 1;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")?;
    Ok((nodes, edges))
}
