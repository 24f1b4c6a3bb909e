//! Rendering results as aligned tables, CSV, Markdown or JSON, and writing to standard
//! output without panicking when the reader has gone (`innograph … | head -1`).

use std::io::Write;

use unicode_width::UnicodeWidthStr;

use super::args::OutputFormat;

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
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.width().min(60));
            }
        }
        let line = |out: &mut dyn Write, cells: &[String]| -> std::io::Result<()> {
            let mut text = String::new();
            for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
                let cell = truncate(cell, 60);
                text.push_str(&cell);
                if i + 1 < cells.len() {
                    text.push_str(&" ".repeat(w.saturating_sub(cell.width()) + 2));
                }
            }
            writeln!(out, "{}", text.trim_end())
        };
        line(out, &self.headers)?;
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        line(out, &rule)?;
        for row in &self.rows {
            line(out, row)?;
        }
        Ok(())
    }

    /// Writes the table as CSV.
    pub fn write_csv(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&self.headers)?;
        for row in &self.rows {
            w.write_record(row)?;
        }
        w.flush()
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if (out.clone() + &c.to_string()).width() >= max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Prints `value` as JSON, or `table` as aligned columns, CSV or Markdown.
pub fn emit(
    format: OutputFormat,
    value: &serde_json::Value,
    table: impl FnOnce() -> Table,
) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, value)?;
            writeln!(out)
        }
        OutputFormat::Table => table().write_aligned(&mut out),
        OutputFormat::Csv => table().write_csv(&mut out),
        OutputFormat::Md => markdown(&table(), &mut out),
    }
}

/// Writes a table as a Markdown table (`|` in cells escaped).
pub(super) fn markdown(t: &Table, out: &mut dyn Write) -> std::io::Result<()> {
    let esc = |s: &str| s.replace('|', "\\|");
    writeln!(
        out,
        "| {} |",
        t.headers
            .iter()
            .map(|h| esc(h))
            .collect::<Vec<_>>()
            .join(" | ")
    )?;
    writeln!(
        out,
        "|{}|",
        t.headers
            .iter()
            .map(|_| "---")
            .collect::<Vec<_>>()
            .join("|")
    )?;
    for r in &t.rows {
        writeln!(
            out,
            "| {} |",
            r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
        )?;
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
