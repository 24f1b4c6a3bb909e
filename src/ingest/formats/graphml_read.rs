//! The GraphML reader, streaming (one element at a time, never the whole document): keys
//! declared with `<key id for attr.name attr.type>` (and their `<default>`), `<node id>` and
//! `<edge source target>` elements with `<data key>` values. A node's `kind`, `name`,
//! `name_en` and an edge's `kind`, `key`, `weight` are the record's fields; other data are
//! properties. Files from other tools (Gephi, NetworkX, yEd) carry no kinds: `--node-kind`
//! and `--edge-kind` supply them. Scores an innograph export added (keys whose id starts
//! with `innograph.score.`) are results, not data, and are not imported.

use std::collections::HashMap;
use std::io::Read;

use quick_xml::events::Event;

use super::columns::ValueType;
use super::records::{self, KindDefaults};
use super::xml_read::{collect, finish, resolve_reference, Declared, Element, Tag, XmlEvents};
use crate::ingest::{Issue, Located, Pass};
use crate::model::{RecordError, Schema};

/// The id prefix of keys that hold an export's scores.
pub(crate) const SCORE_KEY_PREFIX: &str = "innograph.score.";

/// A `<key>`: what it declares and which elements it is for.
#[derive(Debug, Clone)]
struct Key {
    declared: Declared,
    for_nodes: bool,
    for_edges: bool,
}

/// Reads one pass over a GraphML document, calling `sink` with each node (node pass) or
/// edge (edge pass). A malformed document is a file-level [`Issue`] at the line of the fault.
pub fn read_graphml(
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
    let mut keys: HashMap<String, Key> = HashMap::new();
    let mut buf = Vec::new();
    let mut current: Option<(Element, Vec<(String, String)>)> = None;
    // The open `<data key>` (inside a node or edge) or `<default>` (inside a key).
    let mut data_key: Option<String> = None;
    let mut text = String::new();
    let mut key_being_declared: Option<String> = None;
    let mut in_default = false;
    let mut graphs = 0usize;
    let mut saw_root = false;
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
                    "graphml" => saw_root = true,
                    "key" => {
                        let id = tag
                            .get("id")
                            .ok_or_else(|| issue(line, "key", "a <key> has no `id`".into()))?;
                        let owner = tag.get("for").unwrap_or_else(|| "all".into());
                        let ty = tag
                            .get("attr.type")
                            .map_or(ValueType::Text, |t| records::declared_type(&t));
                        keys.insert(
                            id.clone(),
                            Key {
                                declared: Declared {
                                    name: tag.get("attr.name").unwrap_or_else(|| id.clone()),
                                    ty,
                                    default: None,
                                    score: id.starts_with(SCORE_KEY_PREFIX),
                                },
                                for_nodes: matches!(owner.as_str(), "node" | "all"),
                                for_edges: matches!(owner.as_str(), "edge" | "all"),
                            },
                        );
                        if !empty {
                            key_being_declared = Some(id);
                        }
                    }
                    "default" if key_being_declared.is_some() => {
                        in_default = !empty;
                        text.clear();
                    }
                    "graph" => {
                        graphs += 1;
                        if graphs > 1 || current.is_some() {
                            return Err(issue(
                                line,
                                "graph",
                                "nested or several graphs are not supported; export one flat graph"
                                    .into(),
                            ));
                        }
                    }
                    "hyperedge" => {
                        return Err(issue(
                            line,
                            "hyperedge",
                            "hyperedges are not supported; innograph ties join two nodes".into(),
                        ))
                    }
                    "node" => {
                        opened = Some(Element::Node {
                            id: tag.get("id").unwrap_or_default(),
                            label: None,
                            line,
                        });
                    }
                    "edge" => {
                        opened = Some(Element::Edge {
                            source: tag.get("source").unwrap_or_default(),
                            target: tag.get("target").unwrap_or_default(),
                            weight: None,
                            line,
                        });
                    }
                    "data" if current.is_some() => {
                        let key = tag.get("key").unwrap_or_default();
                        if empty {
                            if let Some((_, values)) = &mut current {
                                values.push((key, String::new()));
                            }
                        } else {
                            data_key = Some(key);
                            text.clear();
                        }
                    }
                    _ => {}
                }
                if let Some(element) = opened {
                    if empty {
                        let typed = |v, is_node| values_of(v, &keys, is_node);
                        finish(element, Vec::new(), typed, pass, schema, defaults, sink);
                    } else {
                        current = Some((element, Vec::new()));
                    }
                }
            }
            Event::Text(t) if data_key.is_some() || in_default => {
                text.push_str(&t.xml10_content());
            }
            Event::CData(t) if data_key.is_some() || in_default => {
                text.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) if data_key.is_some() || in_default => {
                let resolved = resolve_reference(&r)
                    .ok_or_else(|| issue(line, "file", format!("unknown entity `&{};`", &*r)))?;
                text.push_str(&resolved);
            }
            Event::End(e) => match e.local_name().into_inner() {
                "data" => {
                    if let (Some(key), Some((_, values))) = (data_key.take(), &mut current) {
                        values.push((key, std::mem::take(&mut text)));
                    }
                }
                "default" if in_default => {
                    if let Some(k) = key_being_declared.as_ref().and_then(|id| keys.get_mut(id)) {
                        k.declared.default = Some(std::mem::take(&mut text));
                    }
                    in_default = false;
                }
                "key" => key_being_declared = None,
                "node" | "edge" => {
                    if let Some((element, values)) = current.take() {
                        let typed = |v, is_node| values_of(v, &keys, is_node);
                        finish(element, values, typed, pass, schema, defaults, sink);
                    }
                }
                _ => {}
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
            "is not a GraphML document (no <graphml> element)".into(),
        ));
    }
    Ok(())
}

/// An element's `<data>` as typed values, with the defaults of the keys for its kind.
fn values_of(
    values: Vec<(String, String)>,
    keys: &HashMap<String, Key>,
    is_node: bool,
) -> Result<Vec<records::RawValue>, RecordError> {
    collect(
        values,
        |id| keys.get(id).map(|k| &k.declared),
        keys.iter()
            .filter(|(_, k)| if is_node { k.for_nodes } else { k.for_edges })
            .map(|(id, k)| (id, &k.declared)),
        |id| RecordError::new("data", format!("key `{id}` is not declared by any <key>")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Record;

    fn read(doc: &str, pass: Pass, defaults: &KindDefaults) -> Result<Vec<Located>, Issue> {
        let mut out = Vec::new();
        read_graphml(
            doc.as_bytes(),
            "g.graphml",
            pass,
            &Schema::builtin(),
            defaults,
            &mut |l| out.push(l),
        )?;
        Ok(out)
    }

    const DOC: &str = r#"<?xml version="1.0"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="node" attr.name="kind" attr.type="string"/>
  <key id="d1" for="node" attr.name="founded" attr.type="long"><default>1900</default></key>
  <key id="d2" for="edge" attr.name="kind" attr.type="string"/>
  <key id="innograph.score.0" for="node" attr.name="pagerank" attr.type="double"/>
  <graph edgedefault="undirected">
    <node id="univ:a"><data key="d0">university</data><data key="innograph.score.0">0.5</data></node>
    <node id="ent:b">
      <data key="d0">enterprise</data>
      <data key="d1">2001</data>
    </node>
    <edge source="univ:a" target="ent:b"><data key="d2">collaborates_with</data></edge>
  </graph>
</graphml>"#;

    #[test]
    fn nodes_and_edges_come_with_their_lines_defaults_and_without_scores() {
        let nodes = read(DOC, Pass::Nodes, &KindDefaults::default()).unwrap();
        assert_eq!(nodes.len(), 2);
        assert_eq!(nodes[0].line, 8);
        assert_eq!(nodes[1].line, 9);
        let Ok(Record::Node(a)) = &nodes[0].record else {
            panic!("{:?}", nodes[0].record)
        };
        assert_eq!(a.name, "univ:a");
        assert_eq!(
            a.props.len(),
            1,
            "the default applies, the score is left out"
        );
        let edges = read(DOC, Pass::Edges, &KindDefaults::default()).unwrap();
        assert_eq!(edges.len(), 1);
        assert_eq!(edges[0].line, 13);
    }

    #[test]
    fn malformed_xml_is_a_file_issue_at_its_line() {
        let bad = "<graphml>\n<graph>\n<node id=\"a\">\n</graph>";
        let e = read(bad, Pass::Nodes, &KindDefaults::default()).unwrap_err();
        assert_eq!(e.field, "file");
        assert_eq!(e.line, 4);
    }

    #[test]
    fn undeclared_keys_are_record_issues() {
        let doc = r#"<graphml><graph><node id="a"><data key="x">1</data></node></graph></graphml>"#;
        let r = read(doc, Pass::Nodes, &KindDefaults::default()).unwrap();
        assert_eq!(r[0].record.as_ref().unwrap_err().field, "data");
    }
}
