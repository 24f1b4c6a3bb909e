//! JSON Lines import files: one `{"node": {…}}` or `{"edge": {…}}` object a line, lines of
//! at most `MAX_LINE_BYTES`; also the same reader over bytes held in memory.

use std::io::{BufRead, BufReader, Read};

use serde_json::Value;

use super::{parse_weight, Located, Pass, Record, MAX_FIELD_BYTES, MAX_LINE_BYTES};
use crate::ingest::Issue;
use crate::model::{EdgeRecord, NodeRecord, PropValue, Props, RecordError};

/// Reads one pass over JSON Lines held in memory (an HTTP request body), as `read_pass`
/// reads a file: `display` names it in issues, an empty input is a file-level issue.
pub fn read_jsonl_bytes(
    bytes: &[u8],
    display: &str,
    pass: Pass,
    sink: &mut dyn FnMut(Located),
) -> Result<(), Issue> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Issue {
            file: display.to_string(),
            line: 1,
            field: "file".into(),
            reason: "is empty".into(),
        });
    }
    read_jsonl(bytes, display, pass, sink)
}

pub(super) fn read_jsonl(
    reader: impl Read,
    display: &str,
    pass: Pass,
    sink: &mut dyn FnMut(Located),
) -> Result<(), Issue> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut buf: Vec<u8> = Vec::new();
    let mut line_no = 0u64;
    loop {
        buf.clear();
        line_no += 1;
        let (read, too_long) =
            read_bounded_line(&mut reader, &mut buf, MAX_LINE_BYTES).map_err(|e| Issue {
                file: display.to_string(),
                line: line_no,
                field: "file".into(),
                reason: e.to_string(),
            })?;
        if read == 0 {
            break;
        }
        if too_long {
            if pass == Pass::Nodes {
                sink(Located {
                    line: line_no,
                    record: Err(RecordError::new(
                        "line",
                        format!("is longer than {MAX_LINE_BYTES} bytes"),
                    )),
                });
            }
            continue;
        }
        let Ok(text) = std::str::from_utf8(&buf) else {
            if pass == Pass::Nodes {
                sink(Located {
                    line: line_no,
                    record: Err(RecordError::new("line", "is not valid UTF-8")),
                });
            }
            continue;
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let parsed = json_line(text);
        let wanted = match &parsed {
            Ok(Record::Node(_)) | Err(_) => pass == Pass::Nodes,
            Ok(Record::Edge(_)) => pass == Pass::Edges,
        };
        // An edge line with a bad field is reported in the edge pass.
        let wanted = match (&parsed, text.starts_with("{\"edge\"")) {
            (Err(_), true) => pass == Pass::Edges,
            _ => wanted,
        };
        if wanted {
            sink(Located {
                line: line_no,
                record: parsed,
            });
        }
    }
    Ok(())
}

/// Reads up to and including the next newline, keeping at most `max` bytes; returns the
/// bytes consumed and whether the line was longer than `max`.
fn read_bounded_line(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<(usize, bool)> {
    let mut consumed = 0;
    let mut too_long = false;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok((consumed, too_long));
        }
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let len = chunk.len();
        if !too_long {
            if buf.len() + len > max + 1 {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        reader.consume(len);
        consumed += len;
        if done {
            return Ok((consumed, too_long));
        }
    }
}

fn json_line(text: &str) -> Result<Record, RecordError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| RecordError::new("json", format!("not valid JSON: {e}")))?;
    let Value::Object(map) = value else {
        return Err(RecordError::new("json", "expected an object"));
    };
    if map.len() != 1 {
        return Err(RecordError::new(
            "json",
            "expected exactly one key, `node` or `edge`",
        ));
    }
    let (tag, body) = map
        .into_iter()
        .next()
        .ok_or_else(|| RecordError::new("json", "empty object"))?;
    let Value::Object(body) = body else {
        return Err(RecordError::new(tag.as_str(), "expected an object"));
    };
    match tag.as_str() {
        "node" => {
            check_keys(&body, "node", &["id", "kind", "name", "name_en", "props"])?;
            Ok(Record::Node(NodeRecord {
                id: req_str(&body, "node", "id")?,
                kind: req_str(&body, "node", "kind")?,
                name: req_str(&body, "node", "name")?,
                name_en: opt_str(&body, "node", "name_en")?.filter(|s| !s.is_empty()),
                props: json_props(body.get("props"), "node")?,
            }))
        }
        "edge" => {
            check_keys(
                &body,
                "edge",
                &["source", "target", "kind", "key", "weight", "props"],
            )?;
            let weight = match body.get("weight") {
                None | Some(Value::Null) => None,
                Some(Value::Number(n)) => Some(
                    n.as_f64()
                        .filter(|w| w.is_finite() && *w >= 0.0)
                        .ok_or_else(|| RecordError::new("edge.weight", "expected a number ≥ 0"))?,
                ),
                Some(Value::String(s)) => {
                    Some(parse_weight(s).map_err(|e| RecordError::new("edge.weight", e.reason))?)
                }
                Some(_) => return Err(RecordError::new("edge.weight", "expected a number")),
            };
            Ok(Record::Edge(EdgeRecord {
                source: req_str(&body, "edge", "source")?,
                target: req_str(&body, "edge", "target")?,
                kind: req_str(&body, "edge", "kind")?,
                key: opt_str(&body, "edge", "key")?.unwrap_or_default(),
                weight,
                props: json_props(body.get("props"), "edge")?,
            }))
        }
        other => Err(RecordError::new(
            "json",
            format!("unknown record type `{other}`; expected `node` or `edge`"),
        )),
    }
}

fn check_keys(
    body: &serde_json::Map<String, Value>,
    tag: &str,
    allowed: &[&str],
) -> Result<(), RecordError> {
    for k in body.keys() {
        if !allowed.contains(&k.as_str()) {
            return Err(RecordError::new(
                format!("{tag}.{k}"),
                format!("unknown field (allowed: {})", allowed.join(", ")),
            ));
        }
    }
    Ok(())
}

fn req_str(
    body: &serde_json::Map<String, Value>,
    tag: &str,
    key: &str,
) -> Result<String, RecordError> {
    opt_str(body, tag, key)?.ok_or_else(|| RecordError::new(format!("{tag}.{key}"), "is missing"))
}

fn opt_str(
    body: &serde_json::Map<String, Value>,
    tag: &str,
    key: &str,
) -> Result<Option<String>, RecordError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.len() > MAX_FIELD_BYTES => Err(RecordError::new(
            format!("{tag}.{key}"),
            format!(
                "is {} bytes long; at most {MAX_FIELD_BYTES} allowed",
                s.len()
            ),
        )),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        // A number would be stored as its float text (`1.2345678901234568e+29`), silently
        // not the id that was meant.
        Some(Value::Number(_))
            if key == "id" || key == "source" || key == "target" || key == "key" =>
        {
            Err(RecordError::new(
                format!("{tag}.{key}"),
                "must be a string, not a number: put the id in quotes (a JSON number can lose digits)",
            ))
        }
        Some(_) => Err(RecordError::new(
            format!("{tag}.{key}"),
            "expected a string",
        )),
    }
}

fn json_props(value: Option<&Value>, tag: &str) -> Result<Props, RecordError> {
    let mut props = Props::new();
    match value {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (k, v) in map {
                let field = format!("props.{k}");
                match v {
                    Value::Null => {}
                    Value::String(s) if s.is_empty() => {}
                    Value::String(s) if s.len() > MAX_FIELD_BYTES => {
                        return Err(RecordError::new(
                            field,
                            format!(
                                "is {} bytes long; at most {MAX_FIELD_BYTES} allowed",
                                s.len()
                            ),
                        ))
                    }
                    Value::Array(_) | Value::Object(_) => {
                        return Err(RecordError::new(field, "nested values are not supported"))
                    }
                    other => {
                        if let Some(p) = PropValue::from_json(other) {
                            props.insert(k.clone(), p);
                        }
                    }
                }
            }
        }
        Some(_) => {
            return Err(RecordError::new(
                format!("{tag}.props"),
                "expected an object",
            ))
        }
    }
    Ok(props)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_parse_nodes_and_edges() {
        let n = json_line(r#"{"node":{"id":"a","kind":"university","name":"甲","props":{"x":1}}}"#)
            .unwrap();
        assert!(matches!(n, Record::Node(ref n) if n.props["x"] == PropValue::Int(1)));
        let e =
            json_line(r#"{"edge":{"source":"a","target":"b","kind":"owns","weight":2}}"#).unwrap();
        assert!(matches!(e, Record::Edge(ref e) if e.weight == Some(2.0)));
        let err = json_line(r#"{"node":{"id":"a","kind":"university"}}"#).unwrap_err();
        assert_eq!(err.field, "node.name");
        let err = json_line(r#"{"node":{"id":"a","#).unwrap_err();
        assert_eq!(err.field, "json");
    }

    #[test]
    fn numeric_ids_are_refused_not_rounded() {
        let err = json_line(
            r#"{"node":{"id":123456789012345678901234567890,"kind":"university","name":"甲"}}"#,
        )
        .unwrap_err();
        assert_eq!(err.field, "node.id");
        assert!(err.reason.contains("must be a string"), "{}", err.reason);
        for line in [
            r#"{"edge":{"source":1,"target":"b","kind":"owns"}}"#,
            r#"{"edge":{"source":"a","target":2,"kind":"owns"}}"#,
            r#"{"edge":{"source":"a","target":"b","kind":"owns","key":3}}"#,
        ] {
            assert!(json_line(line).is_err(), "{line}");
        }
    }

    #[test]
    fn overlong_lines_are_cut_and_flagged() {
        let data = format!("{}\nshort\n", "x".repeat(100));
        let mut r = std::io::Cursor::new(data.into_bytes());
        let mut buf = Vec::new();
        let (n, long) = read_bounded_line(&mut r, &mut buf, 10).unwrap();
        assert_eq!((n, long), (101, true));
        buf.clear();
        let (_, long) = read_bounded_line(&mut r, &mut buf, 10).unwrap();
        assert!(!long);
        assert_eq!(buf, b"short\n");
    }
}

#[cfg(test)]
mod json_schema_tests {
    /// The JSON Schemas in `schema/` name the same required fields the reader requires.
    #[test]
    fn json_schemas_agree_with_the_reader() {
        let node: serde_json::Value =
            serde_json::from_str(include_str!("../../../schema/node-record.schema.json")).unwrap();
        let edge: serde_json::Value =
            serde_json::from_str(include_str!("../../../schema/edge-record.schema.json")).unwrap();
        let line: serde_json::Value =
            serde_json::from_str(include_str!("../../../schema/import-line.schema.json")).unwrap();
        assert_eq!(node["required"], serde_json::json!(["id", "kind", "name"]));
        assert_eq!(
            edge["required"],
            serde_json::json!(["source", "target", "kind"])
        );
        assert_eq!(line["oneOf"].as_array().map(Vec::len), Some(2));
        for (schema, fields) in [
            (&node, &["id", "kind", "name", "name_en", "props"][..]),
            (
                &edge,
                &["source", "target", "kind", "key", "weight", "props"][..],
            ),
        ] {
            let mut declared: Vec<&str> = schema["properties"]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            declared.sort_unstable();
            let mut expected = fields.to_vec();
            expected.sort_unstable();
            assert_eq!(declared, expected);
        }
    }
}
