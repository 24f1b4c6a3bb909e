//! The GEXF reader (versions 1.1 to 1.3), streaming: `<attributes class>` declarations
//! (with their `<default>`), `<node id label>` and `<edge source target weight>` elements
//! with `<attvalue for value>` values. As in GraphML, `kind`, `name`, `name_en` (nodes) and
//! `kind`, `key` (edges) are the record's fields, other values properties; a node without a
//! `name` value is named by its label; `--node-kind` / `--edge-kind` supply missing kinds.
//! Visual attributes (`viz:*`) and dynamics (`spells`) are not data and are skipped; scores
//! an innograph export added are not imported.

use std::collections::HashMap;
use std::io::{BufReader, Read};

use quick_xml::events::Event;

use super::columns::ValueType;
use super::graphml_read::{attributes, SCORE_KEY_PREFIX};
use super::records::{self, KindDefaults, RawValue};
use super::xml::LineTracker;
use crate::ingest::{Issue, Located, Pass, Record};
use crate::model::{RecordError, Schema};

#[derive(Debug, Clone)]
struct Attribute {
    title: String,
    ty: ValueType,
    default: Option<String>,
    score: bool,
}

enum Element {
    Node {
        id: String,
        label: Option<String>,
        line: u64,
    },
    Edge {
        source: String,
        target: String,
        weight: Option<String>,
        line: u64,
    },
}

/// Reads one pass over a GEXF document, calling `sink` with each node (node pass) or edge
/// (edge pass). A malformed document is a file-level [`Issue`] at the line of the fault.
pub fn read_gexf(
    reader: impl Read,
    display: &str,
    pass: Pass,
    schema: &Schema,
    defaults: &KindDefaults,
    sink: &mut dyn FnMut(Located),
) -> Result<(), Issue> {
    let (tracked, lines) = LineTracker::new(reader);
    let mut xml = quick_xml::Reader::from_reader(BufReader::with_capacity(1 << 16, tracked));
    let issue = |line: u64, field: &str, reason: String| Issue {
        file: display.to_string(),
        line,
        field: field.to_string(),
        reason,
    };
    // Declared attributes per class ("node", "edge"), by id.
    let mut declared: HashMap<(bool, String), Attribute> = HashMap::new();
    let mut class_is_node: Option<bool> = None;
    let mut declaring: Option<(bool, String)> = None;
    let mut in_default = false;
    let mut text = String::new();
    let mut current: Option<(Element, Vec<(String, String)>)> = None;
    let mut depth_in_node = 0usize;
    let mut saw_root = false;
    let mut buf = Vec::new();
    loop {
        let start = xml.buffer_position();
        let event = xml.read_event_into(&mut buf).map_err(|e| {
            let line = lines.borrow_mut().line_of(xml.error_position());
            issue(line, "file", format!("is not well-formed XML: {e}"))
        })?;
        let line = lines.borrow_mut().line_of(start);
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.local_name().into_inner().to_string();
                let attrs = attributes(&e).map_err(|r| issue(line, "file", r))?;
                let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
                match name.as_str() {
                    "gexf" => saw_root = true,
                    "attributes" => {
                        class_is_node = Some(get("class").as_deref() != Some("edge"));
                    }
                    "attribute" => {
                        let is_node = class_is_node.unwrap_or(true);
                        let id = get("id").ok_or_else(|| {
                            issue(line, "attribute", "an <attribute> has no `id`".into())
                        })?;
                        let title = get("title").unwrap_or_else(|| id.clone());
                        let ty =
                            get("type").map_or(ValueType::Text, |t| records::declared_type(&t));
                        declared.insert(
                            (is_node, id.clone()),
                            Attribute {
                                title,
                                ty,
                                default: None,
                                score: id.starts_with(SCORE_KEY_PREFIX),
                            },
                        );
                        if !empty {
                            declaring = Some((is_node, id));
                        }
                    }
                    "default" if declaring.is_some() => {
                        in_default = !empty;
                        text.clear();
                    }
                    "node" => {
                        if current.is_some() {
                            return Err(issue(
                                line,
                                "node",
                                "nested nodes (hierarchical GEXF) are not supported".into(),
                            ));
                        }
                        let element = Element::Node {
                            id: get("id").unwrap_or_default(),
                            label: get("label"),
                            line,
                        };
                        if empty {
                            finish(element, Vec::new(), &declared, pass, schema, defaults, sink);
                        } else {
                            current = Some((element, Vec::new()));
                            depth_in_node = 0;
                        }
                    }
                    "edge" => {
                        let element = Element::Edge {
                            source: get("source").unwrap_or_default(),
                            target: get("target").unwrap_or_default(),
                            weight: get("weight"),
                            line,
                        };
                        if empty {
                            finish(element, Vec::new(), &declared, pass, schema, defaults, sink);
                        } else {
                            current = Some((element, Vec::new()));
                            depth_in_node = 0;
                        }
                    }
                    "attvalue" => {
                        if let Some((_, values)) = &mut current {
                            let id = get("for").or_else(|| get("id")).unwrap_or_default();
                            values.push((id, get("value").unwrap_or_default()));
                        }
                        if !empty {
                            depth_in_node += 1;
                        }
                    }
                    _ => {
                        if current.is_some() && !empty {
                            depth_in_node += 1;
                        }
                    }
                }
            }
            Event::Text(t) if in_default => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_default => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&r)
                        .map(str::to_string)
                        .unwrap_or_default(),
                };
                text.push_str(&resolved);
            }
            Event::End(e) => match e.local_name().into_inner() {
                "default" if in_default => {
                    if let Some(a) = declaring.as_ref().and_then(|k| declared.get_mut(k)) {
                        a.default = Some(std::mem::take(&mut text));
                    }
                    in_default = false;
                }
                "attribute" => declaring = None,
                "attributes" => class_is_node = None,
                "node" | "edge" if depth_in_node == 0 => {
                    if let Some((element, values)) = current.take() {
                        finish(element, values, &declared, pass, schema, defaults, sink);
                    }
                }
                _ => {
                    depth_in_node = depth_in_node.saturating_sub(1);
                }
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !saw_root {
        return Err(issue(
            1,
            "file",
            "is not a GEXF document (no <gexf> element)".into(),
        ));
    }
    Ok(())
}

fn finish(
    element: Element,
    values: Vec<(String, String)>,
    declared: &HashMap<(bool, String), Attribute>,
    pass: Pass,
    schema: &Schema,
    defaults: &KindDefaults,
    sink: &mut dyn FnMut(Located),
) {
    let is_node = matches!(element, Element::Node { .. });
    if is_node != (pass == Pass::Nodes) {
        return;
    }
    let line = match &element {
        Element::Node { line, .. } | Element::Edge { line, .. } => *line,
    };
    let raw = match collect(values, declared, is_node) {
        Ok(raw) => raw,
        Err(e) => {
            return sink(Located {
                line,
                record: Err(e),
            })
        }
    };
    let record = match element {
        Element::Node { id, label, .. } => {
            records::node(id, label, raw, schema, defaults).map(Record::Node)
        }
        Element::Edge {
            source,
            target,
            weight,
            ..
        } => records::edge(source, target, weight.as_deref(), raw, schema, defaults)
            .map(Record::Edge),
    };
    sink(Located { line, record });
}

fn collect(
    values: Vec<(String, String)>,
    declared: &HashMap<(bool, String), Attribute>,
    is_node: bool,
) -> Result<Vec<RawValue>, RecordError> {
    let mut out = Vec::new();
    let mut given = std::collections::HashSet::new();
    for (id, text) in values {
        let Some(a) = declared.get(&(is_node, id.clone())) else {
            return Err(RecordError::new(
                "attvalue",
                format!("attribute `{id}` is not declared in <attributes>"),
            ));
        };
        given.insert(id);
        if !a.score {
            out.push(RawValue {
                name: a.title.clone(),
                ty: a.ty,
                text,
            });
        }
    }
    let mut defaults: Vec<(&String, &Attribute)> = declared
        .iter()
        .filter(|((node, id), a)| {
            *node == is_node && !given.contains(id) && !a.score && a.default.is_some()
        })
        .map(|((_, id), a)| (id, a))
        .collect();
    defaults.sort_by(|a, b| a.0.cmp(b.0));
    for (_, a) in defaults {
        out.push(RawValue {
            name: a.title.clone(),
            ty: a.ty,
            text: a.default.clone().unwrap_or_default(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" version="1.2">
  <graph defaultedgetype="undirected">
    <attributes class="node">
      <attribute id="0" title="kind" type="string"/>
    </attributes>
    <nodes>
      <node id="a" label="甲 &amp; 乙"><attvalues><attvalue for="0" value="enterprise"/></attvalues><viz:color r="1" g="2" b="3"/></node>
      <node id="b" label="B"/>
    </nodes>
    <edges>
      <edge id="0" source="a" target="b" weight="2.5"/>
    </edges>
  </graph>
</gexf>"#;

    #[test]
    fn labels_name_nodes_defaults_give_kinds_and_weights_are_read() {
        let defaults = KindDefaults {
            node_kind: Some("university".into()),
            edge_kind: Some("collaborates_with".into()),
        };
        let mut nodes = Vec::new();
        read_gexf(
            DOC.as_bytes(),
            "g.gexf",
            Pass::Nodes,
            &Schema::builtin(),
            &defaults,
            &mut |l| nodes.push(l),
        )
        .unwrap();
        let names: Vec<(String, String, u64)> = nodes
            .iter()
            .map(|l| match &l.record {
                Ok(Record::Node(n)) => (n.name.clone(), n.kind.clone(), l.line),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            names,
            [
                ("甲 & 乙".to_string(), "enterprise".to_string(), 8),
                ("B".to_string(), "university".to_string(), 9)
            ]
        );
        let mut edges = Vec::new();
        read_gexf(
            DOC.as_bytes(),
            "g.gexf",
            Pass::Edges,
            &Schema::builtin(),
            &defaults,
            &mut |l| edges.push(l),
        )
        .unwrap();
        let Ok(Record::Edge(e)) = &edges[0].record else {
            panic!()
        };
        assert_eq!((e.weight, edges[0].line), (Some(2.5), 12));
    }
}
