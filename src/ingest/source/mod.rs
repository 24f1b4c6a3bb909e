//! Readers of import files: CSV (node or edge files, told apart by their header; [`csv`])
//! and JSON Lines ([`jsonl`]). Each yields records with their file and line, or the problem
//! found on the line. This module holds what both share: the record types, format
//! detection, the per-pass entry point and the input file name.

mod csv;
mod jsonl;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::formats::{self, KindDefaults};
use super::Issue;
use crate::model::{EdgeRecord, NodeRecord, RecordError, Schema};

pub use jsonl::read_jsonl_bytes;

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
    /// A GraphML document (an innograph export, or one with kinds as attributes).
    GraphMl,
    /// A GEXF document.
    Gexf,
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
        Some("graphml") => return Ok(Format::GraphMl),
        Some("gexf") => return Ok(Format::Gexf),
        _ => {}
    }
    let mut first = [0u8; 512];
    let n = File::open(path)?.read(&mut first)?;
    let head = String::from_utf8_lossy(&first[..n]);
    let starts_json = head.trim_start().starts_with('{');
    Ok(if starts_json {
        Format::JsonLines
    } else if head.contains("<graphml") {
        Format::GraphMl
    } else if head.contains("<gexf") {
        Format::Gexf
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
    let mut head = Vec::with_capacity(4096);
    (&file)
        .take(4096)
        .read_to_end(&mut head)
        .map_err(|e| file_issue(0, "file", e.to_string()))?;
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err(file_issue(
            1,
            "file",
            "is UTF-16 text (Excel's \"Unicode Text\"); save it as \"CSV UTF-8\" and import that"
                .into(),
        ));
    }
    let file = File::open(path).map_err(|e| file_issue(0, "file", e.to_string()))?;
    let reader = ProgressReader {
        inner: file,
        report: progress,
    };
    match format {
        Format::Csv => {
            let delimiter = csv::sniff_delimiter(&head);
            csv::read_csv(reader, display, pass, schema, delimiter, sink)
        }
        Format::JsonLines => jsonl::read_jsonl(reader, display, pass, sink),
        Format::GraphMl => formats::read_graphml(
            reader,
            display,
            pass,
            schema,
            &KindDefaults::default(),
            sink,
        ),
        Format::Gexf => formats::read_gexf(
            reader,
            display,
            pass,
            schema,
            &KindDefaults::default(),
            sink,
        ),
    }
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

/// A tie weight: a finite number ≥ 0.
fn parse_weight(text: &str) -> Result<f64, RecordError> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|w| w.is_finite() && *w >= 0.0)
        .ok_or_else(|| RecordError::new("weight", format!("expected a number ≥ 0, got `{text}`")))
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
