//! Rendering results as aligned tables, CSV, Markdown or JSON, and writing to standard
//! output without panicking when the reader has gone (`innograph … | head -1`).

use std::borrow::Cow;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use unicode_width::UnicodeWidthStr;

use super::args::OutputFormat;
use super::json::{self, JsonStyle};

/// `println!` that returns the write's error instead of panicking, so a closed pipe ends
/// the command quietly (the binary exits 0 on it).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}
pub(crate) use outln;

/// `print!` that returns the write's error (see [`outln!`]).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)
    }};
}
use crate::query::NodeView;
pub(crate) use out;

/// Rows that are written one at a time, cell by cell, without first being copied into a
/// [`Table`] (a 200,000-row report is not duplicated in memory to be printed).
pub(super) trait Rows {
    /// Column names.
    fn headers(&self) -> Vec<&str>;
    /// Number of rows.
    fn row_count(&self) -> usize;
    /// Appends row `i`'s cells to `cells`.
    fn cells<'a>(&'a self, i: usize, cells: &mut Vec<Cow<'a, str>>);
}

/// Rows with a header, ready to print in any format.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column names.
    pub headers: Vec<String>,
    /// Cells, one vector per row.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column names and no rows.
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Writes the table aligned for a terminal (East Asian wide characters count double).
    pub fn write_aligned(&self, out: &mut dyn Write) -> std::io::Result<()> {
        aligned(self, out)
    }

    /// Writes the table as CSV.
    pub fn write_csv(&self, out: &mut dyn Write) -> std::io::Result<()> {
        csv(self, out)
    }
}

impl Rows for Table {
    fn headers(&self) -> Vec<&str> {
        self.headers.iter().map(String::as_str).collect()
    }

    fn row_count(&self) -> usize {
        self.rows.len()
    }

    fn cells<'a>(&'a self, i: usize, cells: &mut Vec<Cow<'a, str>>) {
        cells.extend(self.rows[i].iter().map(|c| Cow::Borrowed(c.as_str())));
    }
}

/// Cells wider than this are cut with `…` in aligned output.
const MAX_CELL_WIDTH: usize = 60;

/// Writes rows aligned for a terminal (East Asian wide characters count double): one pass
/// to measure the columns, one to write.
pub(super) fn aligned(rows: &impl Rows, out: &mut dyn Write) -> std::io::Result<()> {
    let headers = rows.headers();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    let mut cells = Vec::new();
    for i in 0..rows.row_count() {
        cells.clear();
        rows.cells(i, &mut cells);
        for (w, cell) in widths.iter_mut().zip(&cells) {
            *w = (*w).max(cell.width().min(MAX_CELL_WIDTH));
        }
    }
    let mut text = String::new();
    let mut line = |out: &mut dyn Write, cells: &[Cow<'_, str>]| -> std::io::Result<()> {
        text.clear();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            let cell = truncate(cell, MAX_CELL_WIDTH);
            text.push_str(&cell);
            if i + 1 < cells.len() {
                let pad = w.saturating_sub(cell.width()) + 2;
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.write_all(text.trim_end().as_bytes())?;
        out.write_all(b"\n")
    };
    let header_cells: Vec<Cow<'_, str>> = headers.iter().map(|h| Cow::Borrowed(*h)).collect();
    line(out, &header_cells)?;
    let rule: Vec<Cow<'_, str>> = widths.iter().map(|w| Cow::Owned("-".repeat(*w))).collect();
    line(out, &rule)?;
    for i in 0..rows.row_count() {
        cells.clear();
        rows.cells(i, &mut cells);
        line(out, &cells)?;
    }
    Ok(())
}

/// Writes rows as CSV.
pub(super) fn csv(rows: &impl Rows, out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(rows.headers())?;
    let mut cells = Vec::new();
    for i in 0..rows.row_count() {
        cells.clear();
        rows.cells(i, &mut cells);
        w.write_record(cells.iter().map(|c| c.as_bytes()))?;
    }
    w.flush()
}

fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if s.width() <= max {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    for c in s.chars() {
        if (out.clone() + &c.to_string()).width() >= max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// Prints `value` as JSON (pretty on a terminal, else one row per line; see
/// [`super::json`]), or `table` as aligned columns, CSV or Markdown, through one buffer.
pub fn emit(
    format: OutputFormat,
    value: &serde_json::Value,
    table: impl FnOnce() -> Table,
) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(BUFFER, std::io::stdout().lock());
    match format {
        OutputFormat::Json => json::write(&mut out, value, json::for_stdout())?,
        OutputFormat::Table => table().write_aligned(&mut out)?,
        OutputFormat::Csv => table().write_csv(&mut out)?,
        OutputFormat::Md => markdown(&table(), &mut out)?,
    }
    out.flush()
}

/// Bytes buffered before each write to standard output or a file.
pub(super) const BUFFER: usize = 1 << 16;

/// Runs `body` on one buffered writer to the file `path` (`--out`; JSON compact unless
/// `--pretty`) or, without one, to standard output (JSON indented on a terminal), and
/// flushes it. A file that cannot be written is named in the error.
pub(super) fn write_to(
    path: Option<&Path>,
    body: impl FnOnce(&mut dyn Write, JsonStyle) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    match path {
        Some(path) => {
            let file = fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let mut out = BufWriter::with_capacity(BUFFER, file);
            body(&mut out, json::for_file())
                .and_then(|()| Ok(out.flush()?))
                .with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            let mut out = BufWriter::with_capacity(BUFFER, std::io::stdout().lock());
            body(&mut out, json::for_stdout())?;
            Ok(out.flush()?)
        }
    }
}

/// Writes rows as a Markdown table (`|` in cells escaped).
pub(super) fn markdown(rows: &impl Rows, out: &mut dyn Write) -> std::io::Result<()> {
    let esc = |s: &str| s.replace('|', "\\|");
    let headers = rows.headers();
    writeln!(
        out,
        "| {} |",
        headers
            .iter()
            .map(|h| esc(h))
            .collect::<Vec<_>>()
            .join(" | ")
    )?;
    writeln!(
        out,
        "|{}|",
        headers.iter().map(|_| "---").collect::<Vec<_>>().join("|")
    )?;
    let mut cells = Vec::new();
    for i in 0..rows.row_count() {
        cells.clear();
        rows.cells(i, &mut cells);
        out.write_all(b"|")?;
        for c in &cells {
            out.write_all(b" ")?;
            if c.contains('|') {
                out.write_all(esc(c).as_bytes())?;
            } else {
                out.write_all(c.as_bytes())?;
            }
            out.write_all(b" |")?;
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Three decimals.
pub(super) fn f3(x: f64) -> String {
    format!("{x:.3}")
}

/// A path as text: `name —kind→ name ←kind— name` (arrows follow the edges' direction).
pub(super) fn path_text(names: &[String], edges: &[String], forward: &[Option<bool>]) -> String {
    let mut text = names.first().cloned().unwrap_or_default();
    for (i, name) in names.iter().enumerate().skip(1) {
        let kind = &edges[i - 1];
        text.push_str(&match forward[i - 1] {
            Some(true) => format!(" —{kind}→ "),
            Some(false) => format!(" ←{kind}— "),
            None => format!(" —{kind}— "),
        });
        text.push_str(name);
    }
    text
}

/// Node views as a table: id, kind, name, English name, degree.
pub fn node_table(nodes: &[NodeView]) -> Table {
    let mut t = Table::new(&["id", "kind", "name", "name_en", "degree"]);
    for n in nodes {
        t.rows.push(vec![
            n.id.clone(),
            n.kind.clone(),
            n.name.clone(),
            n.name_en.clone().unwrap_or_default(),
            n.degree.to_string(),
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_align() {
        let mut t = Table::new(&["name", "n"]);
        t.rows.push(vec!["上海交通大学".into(), "1".into()]);
        t.rows.push(vec!["SJTU".into(), "2".into()]);
        let mut buf = Vec::new();
        t.write_aligned(&mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[2].find('1').map(|i| lines[2][..i].width()), Some(14));
        assert_eq!(lines[3].find('2'), Some(14));
    }
}
