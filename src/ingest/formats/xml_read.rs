//! What the GraphML and GEXF readers share: the event stream with the line of each event,
//! start tags with their unescaped attributes, entity references, the node or edge being
//! read, and turning its values into a record with the declared defaults.

use std::collections::HashSet;
use std::io::{BufReader, Read};

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::XmlVersion;

use super::columns::ValueType;
use super::records::{self, KindDefaults, RawValue};
use super::xml::{LineTracker, Lines};
use crate::ingest::{Located, Pass, Record};
use crate::model::{RecordError, Schema};

/// A streamed XML document whose events come with the line they start on.
pub(crate) struct XmlEvents<R: Read> {
    xml: quick_xml::Reader<BufReader<LineTracker<R>>>,
    lines: std::rc::Rc<std::cell::RefCell<Lines>>,
}

impl<R: Read> XmlEvents<R> {
    /// Reads `reader` through a 64 KiB buffer, text kept as written (not trimmed).
    pub(crate) fn new(reader: R) -> Self {
        let (tracked, lines) = LineTracker::new(reader);
        let mut xml = quick_xml::Reader::from_reader(BufReader::with_capacity(1 << 16, tracked));
        xml.config_mut().trim_text(false);
        XmlEvents { xml, lines }
    }

    /// The next event and its line, or the line and reason of a well-formedness error.
    pub(crate) fn next<'b>(
        &mut self,
        buf: &'b mut Vec<u8>,
    ) -> Result<(Event<'b>, u64), (u64, String)> {
        let start = self.xml.buffer_position();
        match self.xml.read_event_into(buf) {
            Ok(event) => Ok((event, self.lines.borrow_mut().line_of(start))),
            Err(e) => {
                let line = self.lines.borrow_mut().line_of(self.xml.error_position());
                Err((line, format!("is not well-formed XML: {e}")))
            }
        }
    }
}

/// A start (or empty) tag: its local name and unescaped attributes.
pub(crate) struct Tag {
    /// The local name (no namespace prefix).
    pub(crate) name: String,
    attrs: Vec<(String, String)>,
}

impl Tag {
    /// The tag of `e`; a malformed attribute is the reason it cannot be read.
    pub(crate) fn parse(e: &BytesStart<'_>) -> Result<Tag, String> {
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|err| format!("bad attribute: {err}"))?;
            let name = a.key.local_name().into_inner().to_string();
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|err| format!("attribute `{name}`: {err}"))?
                .into_owned();
            attrs.push((name, value));
        }
        Ok(Tag {
            name: e.local_name().into_inner().to_string(),
            attrs,
        })
    }

    /// The value of attribute `key`, if given.
    pub(crate) fn get(&self, key: &str) -> Option<String> {
        self.attrs
            .iter()
            .find(|(n, _)| n == key)
            .map(|(_, v)| v.clone())
    }
}

/// The text of a character or predefined entity reference (`&#10;`, `&amp;`); `None` for
/// an entity XML does not predefine.
pub(crate) fn resolve_reference(r: &BytesRef<'_>) -> Option<String> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => Some(c.to_string()),
        _ => quick_xml::escape::resolve_predefined_entity(r).map(str::to_string),
    }
}

/// The node or edge being read, with the line it starts on.
pub(crate) enum Element {
    /// A node; GEXF may give a label to name it by.
    Node {
        id: String,
        label: Option<String>,
        line: u64,
    },
    /// An edge; GEXF may give its weight as an attribute.
    Edge {
        source: String,
        target: String,
        weight: Option<String>,
        line: u64,
    },
}

impl Element {
    fn line(&self) -> u64 {
        match self {
            Element::Node { line, .. } | Element::Edge { line, .. } => *line,
        }
    }
}

/// A declared attribute (a GraphML `<key>`, a GEXF `<attribute>`).
#[derive(Debug, Clone)]
pub(crate) struct Declared {
    /// The name the value is stored under (`attr.name`, `title`).
    pub(crate) name: String,
    /// The declared type.
    pub(crate) ty: ValueType,
    /// The value of elements that give none.
    pub(crate) default: Option<String>,
    /// An export's score: a result, not data, so never imported.
    pub(crate) score: bool,
}

/// An element's values by declared name, then the defaults of the `applicable` declarations
/// it gave no value for (in the order of their ids). A value of an undeclared id is the
/// record's issue, made by `undeclared`.
pub(crate) fn collect<'a>(
    values: Vec<(String, String)>,
    lookup: impl Fn(&str) -> Option<&'a Declared>,
    applicable: impl Iterator<Item = (&'a String, &'a Declared)>,
    undeclared: impl Fn(&str) -> RecordError,
) -> Result<Vec<RawValue>, RecordError> {
    let mut out = Vec::new();
    let mut given = HashSet::new();
    for (id, text) in values {
        let Some(d) = lookup(&id) else {
            return Err(undeclared(&id));
        };
        given.insert(id);
        if !d.score {
            out.push(RawValue {
                name: d.name.clone(),
                ty: d.ty,
                text,
            });
        }
    }
    let mut defaults: Vec<(&String, &Declared)> = applicable
        .filter(|(id, d)| !given.contains(*id) && !d.score && d.default.is_some())
        .collect();
    defaults.sort_by(|a, b| a.0.cmp(b.0));
    for (_, d) in defaults {
        out.push(RawValue {
            name: d.name.clone(),
            ty: d.ty,
            text: d.default.clone().unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Hands `element` to `sink` as a record when the pass reads its kind (nodes or edges);
/// `collect` turns its values into typed ones (`true` for a node).
pub(crate) fn finish(
    element: Element,
    values: Vec<(String, String)>,
    collect: impl FnOnce(Vec<(String, String)>, bool) -> Result<Vec<RawValue>, RecordError>,
    pass: Pass,
    schema: &Schema,
    defaults: &KindDefaults,
    sink: &mut dyn FnMut(Located),
) {
    let is_node = matches!(element, Element::Node { .. });
    if is_node != (pass == Pass::Nodes) {
        return;
    }
    let line = element.line();
    let raw = match collect(values, is_node) {
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
