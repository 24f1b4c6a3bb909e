//! The GEXF writer: `graph.gexf` in GEXF 1.2 (read by Gephi 0.8 and later, NetworkX,
//! graphology/sigma.js), static mode. Nodes carry their name as `label`, a `viz:color` by
//! kind (one fixed colour per built-in kind, so every export of a database is coloured
//! alike), and kind, name, name_en, properties and scores as typed `attvalue`s; edges carry
//! their kind as `label`, their weight, and kind, key, `directed` and properties.
//!
//! The whole graph has one edge type (`undirected`, or `directed` for a directed selection)
//! because NetworkX refuses a GEXF file mixing both; a kind's own direction travels as the
//! `directed` attribute, as in the GraphML export.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::columns::{Column, PropColumns, ValueType};
use super::graphml::{EDGE_FIXED, NODE_FIXED};
use super::graphml_read::SCORE_KEY_PREFIX;
use super::xml::{double, escape};
use super::{into_store, GraphExportSummary, Source, WriteError};
use crate::model::{PropValue, Props};
use crate::store::StoreError;

/// The colour of each built-in node kind; other kinds get one derived from their name.
const KIND_COLOURS: [(&str, [u8; 3]); 14] = [
    ("university", [31, 119, 180]),
    ("research_institute", [23, 190, 207]),
    ("enterprise", [214, 39, 40]),
    ("incubator", [255, 127, 14]),
    ("organisation", [127, 127, 127]),
    ("agency", [148, 103, 189]),
    ("tech_manager", [227, 119, 194]),
    ("project", [44, 160, 44]),
    ("platform", [140, 86, 75]),
    ("achievement", [188, 189, 34]),
    ("demand", [255, 187, 120]),
    ("programme", [197, 176, 213]),
    ("district", [199, 199, 199]),
    ("field", [152, 223, 138]),
];

/// The `viz:color` of a node kind.
pub(crate) fn kind_colour(kind: &str) -> [u8; 3] {
    if let Some((_, c)) = KIND_COLOURS.iter().find(|(k, _)| *k == kind) {
        return *c;
    }
    // FNV-1a of the name, mapped into mid-range colours that stay readable on white.
    let h = kind.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    [
        64 + (h & 0x7f) as u8,
        64 + ((h >> 8) & 0x7f) as u8,
        64 + ((h >> 16) & 0x7f) as u8,
    ]
}

fn gexf_type(ty: ValueType) -> &'static str {
    match ty {
        ValueType::Bool => "boolean",
        ValueType::Int => "long",
        ValueType::Float => "double",
        ValueType::Text => "string",
    }
}

pub(super) fn write(source: &Source<'_>, dir: &Path) -> Result<GraphExportSummary, StoreError> {
    let path = dir.join("graph.gexf");
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

fn value_text(v: &PropValue) -> String {
    match v {
        PropValue::Float(x) => double(*x),
        other => other.to_string(),
    }
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
        r#"<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" version="1.2">"#
    )?;
    writeln!(
        out,
        "  <meta><creator>innograph</creator><description>innovation actors and their ties</description></meta>"
    )?;
    let edge_type = if source.selection.directed {
        "directed"
    } else {
        "undirected"
    };
    writeln!(
        out,
        r#"  <graph defaultedgetype="{edge_type}" mode="static">"#
    )?;
    let attr = |out: &mut dyn Write, id: &str, title: &str, ty: &str| {
        writeln!(
            out,
            r#"      <attribute id="{id}" title="{}" type="{ty}"/>"#,
            escape(title)
        )
    };
    writeln!(out, r#"    <attributes class="node">"#)?;
    for name in ["kind", "name", "name_en"] {
        attr(out, &format!("n_{name}"), name, "string")?;
    }
    for (i, c) in columns.nodes.iter().enumerate() {
        attr(out, &format!("n_p{i}"), &c.header, gexf_type(c.ty))?;
    }
    for (i, s) in source.selection.scores.iter().enumerate() {
        let ty = if s.integral { "long" } else { "double" };
        attr(out, &format!("{SCORE_KEY_PREFIX}{i}"), &s.name, ty)?;
    }
    writeln!(out, "    </attributes>")?;
    writeln!(out, r#"    <attributes class="edge">"#)?;
    attr(out, "e_kind", "kind", "string")?;
    attr(out, "e_key", "key", "string")?;
    attr(out, "e_directed", "directed", "boolean")?;
    for (i, c) in columns.edges.iter().enumerate() {
        attr(out, &format!("e_p{i}"), &c.header, gexf_type(c.ty))?;
    }
    writeln!(out, "    </attributes>")?;
    let value = |out: &mut dyn Write, id: &str, text: &str| {
        writeln!(
            out,
            r#"          <attvalue for="{id}" value="{}"/>"#,
            escape(text)
        )
    };
    let props = |out: &mut dyn Write, prefix: &str, cols: &[Column], p: &Props| {
        for (i, c) in cols.iter().enumerate() {
            if let Some(v) = c.value(p) {
                value(out, &format!("{prefix}{i}"), &value_text(&v))?;
            }
        }
        Ok::<(), std::io::Error>(())
    };
    writeln!(out, "    <nodes>")?;
    let mut nodes = 0;
    for node in source.nodes() {
        let node = node?;
        let n = &node.record;
        writeln!(
            out,
            r#"      <node id="{}" label="{}">"#,
            escape(&n.id),
            escape(&n.name)
        )?;
        writeln!(out, "        <attvalues>")?;
        value(out, "n_kind", &n.kind)?;
        value(out, "n_name", &n.name)?;
        if let Some(en) = &n.name_en {
            value(out, "n_name_en", en)?;
        }
        props(out, "n_p", &columns.nodes, &n.props)?;
        for (i, s) in source.selection.scores.iter().enumerate() {
            if let Some(v) = s.value(node.index) {
                let text = if s.integral {
                    format!("{}", v as i64)
                } else {
                    double(v)
                };
                value(out, &format!("{SCORE_KEY_PREFIX}{i}"), &text)?;
            }
        }
        writeln!(out, "        </attvalues>")?;
        let [r, g, b] = kind_colour(&n.kind);
        writeln!(out, r#"        <viz:color r="{r}" g="{g}" b="{b}"/>"#)?;
        writeln!(out, "      </node>")?;
        nodes += 1;
    }
    writeln!(out, "    </nodes>")?;
    writeln!(out, "    <edges>")?;
    let mut edges = 0u64;
    for edge in source.edges() {
        let e = edge?;
        let weight = e
            .weight
            .map(|w| format!(r#" weight="{}""#, double(w)))
            .unwrap_or_default();
        writeln!(
            out,
            r#"      <edge id="{edges}" source="{}" target="{}" label="{}"{weight}>"#,
            escape(&e.source),
            escape(&e.target),
            escape(&e.kind)
        )?;
        writeln!(out, "        <attvalues>")?;
        value(out, "e_kind", &e.kind)?;
        if !e.key.is_empty() {
            value(out, "e_key", &e.key)?;
        }
        let directed = schema.edge_kind(&e.kind).is_some_and(|k| k.directed);
        value(out, "e_directed", if directed { "true" } else { "false" })?;
        props(out, "e_p", &columns.edges, &e.props)?;
        writeln!(out, "        </attvalues>")?;
        writeln!(out, "      </edge>")?;
        edges += 1;
    }
    writeln!(out, "    </edges>")?;
    writeln!(out, "  </graph>")?;
    writeln!(out, "</gexf>")?;
    Ok((nodes, edges))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_kinds_have_fixed_colours_and_others_a_stable_one() {
        assert_eq!(kind_colour("university"), [31, 119, 180]);
        assert_eq!(kind_colour("hospital"), kind_colour("hospital"));
        assert_ne!(kind_colour("hospital"), kind_colour("investor"));
    }
}
