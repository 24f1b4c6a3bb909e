//! Readers of import files: CSV (node or edge files, told apart by their header) and JSON
//! Lines. Each yields records with their file and line, or the problem found on the line.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::Issue;
use crate::model::{EdgeRecord, NodeRecord, PropType, PropValue, Props, RecordError, Schema};

/// Longest accepted field (CSV cell or JSON string), in bytes.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;
/// Longest accepted JSON line, in bytes.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// A parsed record.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A node record.
    Node(NodeRecord),
    /// An edge record.
    Edge(EdgeRecord),
}

/// A record (or the problem with it) and where it came from.
#[derive(Debug)]
pub struct Located {
    /// 1-based line.
    pub line: u64,
    /// The record, or the field and reason it is invalid.
    pub record: Result<Record, RecordError>,
}

/// Which records a pass over a file wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Node records, and problems with lines that are neither nodes nor edges.
    Nodes,
    /// Edge records.
    Edges,
}

/// The format of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header.
    Csv,
    /// One JSON object a line.
    JsonLines,
}

/// Guesses a file's format from its extension, then from its first byte.
pub fn detect_format(path: &Path) -> std::io::Result<Format> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv") => return Ok(Format::Csv),
        Some("jsonl") | Some("ndjson") | Some("json") => return Ok(Format::JsonLines),
        _ => {}
    }
    let mut first = [0u8; 64];
    let n = File::open(path)?.read(&mut first)?;
    let starts_json = first[..n]
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{');
    Ok(if starts_json {
        Format::JsonLines
    } else {
        Format::Csv
    })
}

/// Reads one pass over a file, calling `sink` for each record the pass wants. File-level
/// problems (unreadable, empty, bad header) are returned as an [`Issue`].
pub fn read_pass(
    path: &Path,
    display: &str,
    pass: Pass,
    schema: &Schema,
    sink: &mut dyn FnMut(Located),
    progress: &mut dyn FnMut(u64),
) -> Result<(), Issue> {
    let file_issue = |line: u64, field: &str, reason: String| Issue {
        file: display.to_string(),
        line,
        field: field.to_string(),
        reason,
    };
    let format = detect_format(path).map_err(|e| file_issue(0, "file", e.to_string()))?;
    let file = File::open(path).map_err(|e| file_issue(0, "file", e.to_string()))?;
    if file.metadata().map(|m| m.len()).unwrap_or(0) == 0 {
        return Err(file_issue(1, "file", "is empty".into()));
    }
    let reader = ProgressReader {
        inner: file,
        report: progress,
    };
    match format {
        Format::Csv => read_csv(reader, display, pass, schema, sink),
        Format::JsonLines => read_jsonl(reader, display, pass, sink),
    }
}

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

struct ProgressReader<'a, R> {
    inner: R,
    report: &'a mut dyn FnMut(u64),
}

impl<R: Read> Read for ProgressReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.report)(n as u64);
        Ok(n)
    }
}

/// What a CSV column holds.
#[derive(Debug, Clone)]
enum Column {
    Id,
    Kind,
    Name,
    NameEn,
    Source,
    Target,
    Key,
    Weight,
    Prop {
        name: String,
        annotated: Option<PropType>,
    },
}

fn parse_header(header: &[String], display: &str) -> Result<(bool, Vec<Column>), Issue> {
    let issue = |reason: String| Issue {
        file: display.to_string(),
        line: 1,
        field: "header".into(),
        reason,
    };
    let first3: Vec<&str> = header.iter().take(3).map(String::as_str).collect();
    let is_node = match first3.as_slice() {
        ["id", "kind", "name"] => true,
        ["source", "target", "kind"] => false,
        _ => {
            return Err(issue(format!(
                "expected a header starting `id,kind,name` (node file) or `source,target,kind` (edge file), got `{}`",
                header.join(",")
            )))
        }
    };
    let mut columns = Vec::with_capacity(header.len());
    let mut seen = std::collections::HashSet::new();
    for (i, raw) in header.iter().enumerate() {
        if raw.is_empty() {
            return Err(issue(format!("column {} has no name", i + 1)));
        }
        if !seen.insert(raw.clone()) {
            return Err(issue(format!("column `{raw}` appears twice")));
        }
        let col = match (is_node, raw.as_str()) {
            (true, "id") => Column::Id,
            (_, "kind") => Column::Kind,
            (true, "name") => Column::Name,
            (true, "name_en") => Column::NameEn,
            (false, "source") => Column::Source,
            (false, "target") => Column::Target,
            (false, "key") => Column::Key,
            (false, "weight") => Column::Weight,
            _ => {
                let body = raw.strip_prefix("props.").unwrap_or(raw);
                let (name, annotated) = match body.rsplit_once(':') {
                    Some((n, t)) => {
                        let ty = match t {
                            "bool" => PropType::Bool,
                            "int" => PropType::Int,
                            "float" => PropType::Float,
                            "string" | "text" => PropType::String,
                            other => {
                                return Err(issue(format!(
                                "column `{raw}`: unknown type `{other}` (bool, int, float, string)"
                            )))
                            }
                        };
                        (n.to_string(), Some(ty))
                    }
                    None => (body.to_string(), None),
                };
                if name.is_empty() {
                    return Err(issue(format!("column `{raw}` names no property")));
                }
                Column::Prop { name, annotated }
            }
        };
        columns.push(col);
    }
    Ok((is_node, columns))
}

fn read_csv(
    reader: impl Read,
    display: &str,
    pass: Pass,
    schema: &Schema,
    sink: &mut dyn FnMut(Located),
) -> Result<(), Issue> {
    let breaks = std::rc::Rc::new(std::cell::RefCell::new(LineBreaks::default()));
    let tracked = BreakTracker {
        inner: reader,
        breaks: std::rc::Rc::clone(&breaks),
    };
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(BufReader::with_capacity(1 << 16, tracked));
    let mut record = csv::ByteRecord::new();
    let csv_issue = |line: u64, e: csv::Error| Issue {
        file: display.to_string(),
        line,
        field: "file".into(),
        reason: e.to_string(),
    };
    if !csv
        .read_byte_record(&mut record)
        .map_err(|e| csv_issue(1, e))?
    {
        return Err(Issue {
            file: display.to_string(),
            line: 1,
            field: "file".into(),
            reason: "is empty".into(),
        });
    }
    let mut header = Vec::with_capacity(record.len());
    for (i, field) in record.iter().enumerate() {
        let field = if i == 0 {
            field.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(field)
        } else {
            field
        };
        let text = std::str::from_utf8(field).map_err(|_| Issue {
            file: display.to_string(),
            line: 1,
            field: "header".into(),
            reason: format!("column {} is not valid UTF-8", i + 1),
        })?;
        header.push(text.trim().to_string());
    }
    let (is_node, columns) = parse_header(&header, display)?;
    if (pass == Pass::Nodes) != is_node {
        return Ok(());
    }
    loop {
        let line = csv.position().line() + 1;
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // The CSV reader cannot resynchronise after a framing error.
                return Err(csv_issue(line, e));
            }
        }
        // A record's position is where the reader stood before it skipped the blank lines
        // (and the LF of a CRLF) in front of the record.
        let line = record
            .position()
            .map_or(line, |p| breaks.borrow_mut().start_line(p.byte(), p.line()));
        if record.len() == 1 && record.get(0).is_some_and(|f| f.is_empty()) {
            continue;
        }
        let parsed = csv_row(&record, &header, &columns, is_node, schema);
        sink(Located {
            line,
            record: parsed,
        });
    }
    Ok(())
}

/// Offsets of the CR and LF bytes read and not yet passed, so that the line a CSV record
/// starts on can be found past the line breaks the CSV reader skips before it.
#[derive(Default)]
struct LineBreaks {
    /// (byte offset, is LF), in offset order.
    offsets: std::collections::VecDeque<(u64, bool)>,
    /// Bytes read so far.
    read: u64,
}

impl LineBreaks {
    /// The line of the first byte at or after `byte` that is not a line break, given that
    /// `byte` is on line `line`. Forgets the breaks before `byte`.
    fn start_line(&mut self, byte: u64, mut line: u64) -> u64 {
        while self.offsets.front().is_some_and(|&(o, _)| o < byte) {
            self.offsets.pop_front();
        }
        for (&(offset, lf), at) in self.offsets.iter().zip(byte..) {
            if offset != at {
                break;
            }
            line += u64::from(lf);
        }
        line
    }
}

struct BreakTracker<R> {
    inner: R,
    breaks: std::rc::Rc<std::cell::RefCell<LineBreaks>>,
}

impl<R: Read> Read for BreakTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut breaks = self.breaks.borrow_mut();
        let start = breaks.read;
        for (i, &b) in buf[..n].iter().enumerate() {
            if b == b'\n' || b == b'\r' {
                breaks.offsets.push_back((start + i as u64, b == b'\n'));
            }
        }
        breaks.read += n as u64;
        Ok(n)
    }
}

fn csv_row(
    record: &csv::ByteRecord,
    header: &[String],
    columns: &[Column],
    is_node: bool,
    schema: &Schema,
) -> Result<Record, RecordError> {
    if record.len() != columns.len() {
        return Err(RecordError::new(
            "row",
            format!(
                "has {} fields; the header has {}",
                record.len(),
                columns.len()
            ),
        ));
    }
    let mut id = String::new();
    let mut kind = String::new();
    let mut name = String::new();
    let mut name_en = None;
    let (mut source, mut target, mut key) = (String::new(), String::new(), String::new());
    let mut weight = None;
    let mut props_raw: Vec<(&str, Option<PropType>, &str, &str)> = Vec::new();
    for ((bytes, col), col_name) in record.iter().zip(columns).zip(header) {
        if bytes.len() > MAX_FIELD_BYTES {
            return Err(RecordError::new(
                col_name.as_str(),
                format!(
                    "is {} bytes long; at most {MAX_FIELD_BYTES} allowed",
                    bytes.len()
                ),
            ));
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|_| RecordError::new(col_name.as_str(), "is not valid UTF-8"))?;
        match col {
            Column::Id => id = text.to_string(),
            Column::Kind => kind = text.to_string(),
            Column::Name => name = text.to_string(),
            Column::NameEn => name_en = Some(text.to_string()).filter(|s| !s.is_empty()),
            Column::Source => source = text.to_string(),
            Column::Target => target = text.to_string(),
            Column::Key => key = text.to_string(),
            Column::Weight => {
                if !text.trim().is_empty() {
                    weight = Some(parse_weight(text)?);
                }
            }
            Column::Prop { name, annotated } => {
                if !text.is_empty() {
                    props_raw.push((name.as_str(), *annotated, text, col_name.as_str()));
                }
            }
        }
    }
    let defs = if is_node {
        schema.node_kind(&kind).map(|k| &k.props)
    } else {
        schema.edge_kind(&kind).map(|k| &k.props)
    };
    let mut props = Props::new();
    for (pname, annotated, text, col_name) in props_raw {
        let def = defs.and_then(|d| d.get(pname));
        let value = Schema::parse_prop_text(def, annotated, col_name, text)?;
        if props.insert(pname.to_string(), value).is_some() {
            return Err(RecordError::new(
                col_name,
                format!("property `{pname}` is given twice"),
            ));
        }
    }
    Ok(if is_node {
        Record::Node(NodeRecord {
            id,
            kind,
            name,
            name_en,
            props,
        })
    } else {
        Record::Edge(EdgeRecord {
            source,
            target,
            kind,
            key,
            weight,
            props,
        })
    })
}

fn parse_weight(text: &str) -> Result<f64, RecordError> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|w| w.is_finite() && *w >= 0.0)
        .ok_or_else(|| RecordError::new("weight", format!("expected a number ≥ 0, got `{text}`")))
}

fn read_jsonl(
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

/// An input file and the name to show for it.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// Where to read it.
    pub path: PathBuf,
    /// How to name it in messages.
    pub display: String,
}

impl InputFile {
    /// An input named by its path as given.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        InputFile {
            display: path.display().to_string(),
            path,
        }
    }
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
    fn header_columns_map_to_fields_and_typed_props() {
        let header: Vec<String> = ["source", "target", "kind", "key", "props.source", "n:int"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (is_node, cols) = parse_header(&header, "f").unwrap();
        assert!(!is_node);
        assert!(matches!(&cols[4], Column::Prop { name, annotated: None } if name == "source"));
        assert!(
            matches!(&cols[5], Column::Prop { name, annotated: Some(PropType::Int) } if name == "n")
        );
        let bad: Vec<String> = ["name", "id"].iter().map(|s| s.to_string()).collect();
        assert!(parse_header(&bad, "f").is_err());
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
            serde_json::from_str(include_str!("../../schema/node-record.schema.json")).unwrap();
        let edge: serde_json::Value =
            serde_json::from_str(include_str!("../../schema/edge-record.schema.json")).unwrap();
        let line: serde_json::Value =
            serde_json::from_str(include_str!("../../schema/import-line.schema.json")).unwrap();
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
