//! The GEXF reader (versions 1.1 to 1.3), streaming: `<attributes class>` declarations
//! (with their `<default>`), `<node id label>` and `<edge source target weight>` elements
//! with `<attvalue for value>` values. As in GraphML, `kind`, `name`, `name_en` (nodes) and
//! `kind`, `key` (edges) are the record's fields, other values properties; a node without a
//! `name` value is named by its label; `--node-kind` / `--edge-kind` supply missing kinds.
//! Visual attributes (`viz:*`) and dynamics (`spells`) are not data and are skipped; scores
//! an innograph export added are not imported.

use std::collections::HashMap;
use std::io::Read;

use quick_xml::events::Event;

use super::columns::ValueType;
use super::graphml_read::SCORE_KEY_PREFIX;
use super::records::{self, KindDefaults};
use super::xml_read::{collect, finish, resolve_reference, Declared, Element, Tag, XmlEvents};
use crate::ingest::{Issue, Located, Pass};
use crate::model::{RecordError, Schema};

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
    let mut xml = XmlEvents::new(reader);
    let issue = |line: u64, field: &str, reason: String| Issue {
        file: display.to_string(),
        line,
        field: field.to_string(),
        reason,
    };
    // Declared attributes per class (`true` for "node"), by id.
    let mut declared: HashMap<(bool, String), Declared> = HashMap::new();
    let mut class_is_node: Option<bool> = None;
    let mut declaring: Option<(bool, String)> = None;
    let mut in_default = false;
    let mut text = String::new();
    let mut current: Option<(Element, Vec<(String, String)>)> = None;
    let mut depth_in_node = 0usize;
    let mut saw_root = false;
    let mut buf = Vec::new();
    loop {
        let (event, line) = xml
            .next(&mut buf)
            .map_err(|(line, reason)| issue(line, "file", reason))?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let tag = Tag::parse(&e).map_err(|r| issue(line, "file", r))?;
                let mut opened = None;
                match tag.name.as_str() {
                    "gexf" => saw_root = true,
                    "attributes" => {
                        class_is_node = Some(tag.get("class").as_deref() != Some("edge"));
                    }
                    "attribute" => {
                        let is_node = class_is_node.unwrap_or(true);
                        let id = tag.get("id").ok_or_else(|| {
                            issue(line, "attribute", "an <attribute> has no `id`".into())
                        })?;
                        let ty = tag
                            .get("type")
                            .map_or(ValueType::Text, |t| records::declared_type(&t));
                        declared.insert(
                            (is_node, id.clone()),
                            Declared {
                                name: tag.get("title").unwrap_or_else(|| id.clone()),
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
                        opened = Some(Element::Node {
                            id: tag.get("id").unwrap_or_default(),
                            label: tag.get("label"),
                            line,
                        });
                    }
                    "edge" => {
                        opened = Some(Element::Edge {
                            source: tag.get("source").unwrap_or_default(),
                            target: tag.get("target").unwrap_or_default(),
                            weight: tag.get("weight"),
                            line,
                        });
                    }
                    "attvalue" => {
                        if let Some((_, values)) = &mut current {
                            let id = tag.get("for").or_else(|| tag.get("id"));
                            values.push((
                                id.unwrap_or_default(),
                                tag.get("value").unwrap_or_default(),
                            ));
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
                if let Some(element) = opened {
                    if empty {
                        let typed = |v, is_node| values_of(v, &declared, is_node);
                        finish(element, Vec::new(), typed, pass, schema, defaults, sink);
                    } else {
                        current = Some((element, Vec::new()));
                        depth_in_node = 0;
                    }
                }
            }
            Event::Text(t) if in_default => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_default => {
                text.push_str(&resolve_reference(&r).unwrap_or_default());
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
                        let typed = |v, is_node| values_of(v, &declared, is_node);
                        finish(element, values, typed, pass, schema, defaults, sink);
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

/// An element's `<attvalue>`s as typed values, with its class's defaults.
fn values_of(
    values: Vec<(String, String)>,
    declared: &HashMap<(bool, String), Declared>,
    is_node: bool,
) -> Result<Vec<records::RawValue>, RecordError> {
    collect(
        values,
        |id| declared.get(&(is_node, id.to_string())),
        declared
            .iter()
            .filter(|((node, _), _)| *node == is_node)
            .map(|((_, id), d)| (id, d)),
        |id| {
            RecordError::new(
                "attvalue",
                format!("attribute `{id}` is not declared in <attributes>"),
            )
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Record;

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
