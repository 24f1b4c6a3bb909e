//! CSV import files: a header names the columns (`id,kind,name,…` for nodes,
//! `source,target,kind,…` for edges; `props.x` or `x:type` for properties), and line
//! numbers count the file's physical lines, multi-line quoted fields included.

use std::io::{BufReader, Read};

use super::{parse_weight, Located, Pass, Record, MAX_FIELD_BYTES};
use crate::ingest::Issue;
use crate::model::{EdgeRecord, NodeRecord, PropType, Props, RecordError, Schema};

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

/// The delimiter of a CSV file from its first line: a comma, unless the line holds more
/// semicolons or tabs than commas outside quotes (Excel in many European locales writes `;`).
pub(super) fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    let (mut quoted, mut counts) = (false, [0usize; 3]);
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (1..3).fold(0, |best, i| if counts[i] > counts[best] { i } else { best });
    [b',', b';', b'\t'][best]
}

pub(super) fn read_csv(
    reader: impl Read,
    display: &str,
    pass: Pass,
    schema: &Schema,
    delimiter: u8,
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
        .delimiter(delimiter)
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn semicolons_and_tabs_are_sniffed_and_quoted_ones_ignored() {
        assert_eq!(sniff_delimiter(b"id;kind;name\nx;y;z"), b';');
        assert_eq!(sniff_delimiter(b"id\tkind\tname"), b'\t');
        assert_eq!(sniff_delimiter(b"id,kind,name,\"a;b;c;d\""), b',');
        assert_eq!(sniff_delimiter(b"id"), b',');
    }
}
