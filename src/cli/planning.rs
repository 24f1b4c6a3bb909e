//! What the planners' commands (`trends`, `synergy`, `engagement`, `platforms`,
//! `universities`) share on the command line: the `--years` parser and printing a report as
//! the sentence of the source it answers, then its tables, in any of the four formats.

use std::io::Write;

use super::args::ReportFormat;
use super::output::{markdown, Table};

/// One titled table of a planners' report.
pub(super) struct Section {
    /// Heading.
    pub title: String,
    /// The rows.
    pub table: Table,
}

impl Section {
    pub(super) fn new(title: impl Into<String>, table: Table) -> Section {
        Section {
            title: title.into(),
            table,
        }
    }
}

/// A bar chart of one figure per label, drawn in the HTML report (inline SVG).
pub(super) struct Chart {
    /// What the bars show, with the unit.
    pub caption: String,
    /// One bar per label, in the order drawn; values may be negative.
    pub bars: Vec<(String, f64)>,
}

/// A planners' report ready to print: the source sentence, its tables, notes, and the JSON.
pub(super) struct Printable {
    /// Heading of the whole report (Markdown and the terminal).
    pub heading: String,
    /// The sentence of the source document it answers.
    pub source: &'static str,
    /// Conventions the reader needs to read the numbers (printed under the source).
    pub conventions: Vec<String>,
    /// The tables the terminal and Markdown show.
    pub sections: Vec<Section>,
    /// The charts the HTML report draws above the tables.
    pub charts: Vec<Chart>,
    /// The one rectangular table `--format csv` prints (every row, long format).
    pub csv: Table,
    /// What the data lacks.
    pub notes: Vec<String>,
    /// The whole report as JSON.
    pub json: serde_json::Value,
}

/// The printable form of a planners' section of a batch report.
/// `trends_top` is how many districts and fields the trends tables list.
pub(super) fn printable_answer(
    answer: &crate::query::PlannerAnswer,
    trends_top: usize,
) -> Printable {
    use crate::query::PlannerAnswer as A;
    match answer {
        A::Trends(r) => super::trends::printable(r, trends_top),
        A::Consortia(r) => super::consortia::printable(r),
        A::Synergy(r) => super::synergy::printable(r),
        A::Engagement(r) => super::engagement::printable(r),
        A::Platforms(r) => super::platforms::printable(r),
        A::Universities(r) => super::universities::printable(r),
    }
}

/// Parses `--years A..B` (or one year).
pub(super) fn years(text: &str) -> Result<(i32, i32), String> {
    crate::query::parse_years(text).map_err(|e| e.to_string())
}

/// Writes the report in `format`: the terminal and Markdown show the source sentence, every
/// table and the notes; CSV is one long table of every row; JSON the whole report.
pub(super) fn write(
    p: &Printable,
    format: ReportFormat,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &p.json)?;
            writeln!(out)
        }
        ReportFormat::Csv => p.csv.write_csv(out),
        ReportFormat::Table => {
            writeln!(out, "{}", p.heading)?;
            writeln!(out, "Source: {}", p.source)?;
            for c in &p.conventions {
                writeln!(out, "  {c}")?;
            }
            for s in &p.sections {
                writeln!(out, "\n{}", s.title)?;
                if s.table.rows.is_empty() {
                    writeln!(out, "(none)")?;
                } else {
                    s.table.write_aligned(out)?;
                }
            }
            for n in &p.notes {
                writeln!(out, "\nnote: {n}")?;
            }
            Ok(())
        }
        ReportFormat::Md => {
            writeln!(out, "## {}\n", p.heading)?;
            writeln!(out, "> {}\n", p.source)?;
            for c in &p.conventions {
                writeln!(out, "- {c}")?;
            }
            if !p.conventions.is_empty() {
                writeln!(out)?;
            }
            for s in &p.sections {
                writeln!(out, "### {}\n", s.title)?;
                if s.table.rows.is_empty() {
                    writeln!(out, "(none)\n")?;
                } else {
                    markdown(&s.table, out)?;
                    writeln!(out)?;
                }
            }
            for n in &p.notes {
                writeln!(out, "*Note: {n}*\n")?;
            }
            Ok(())
        }
    }
}

/// Prints the report to standard output.
pub(super) fn print(p: &Printable, format: ReportFormat) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    write(p, format, &mut out)
}

/// A count or share with no decimals wasted: `12`, `0.125`.
pub(super) fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.3}")
    }
}

/// An amount in CNY as millions with one decimal and grouped thousands (`7,913.0`).
pub(super) fn millions(x: f64) -> String {
    let text = format!("{:.1}", (x / 1e6).abs());
    let (whole, frac) = text.split_once('.').unwrap_or((&text, "0"));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 { "-" } else { "" };
    format!("{sign}{grouped}.{frac}")
}

/// A rate as a percentage with one decimal, empty when absent.
pub(super) fn percent(x: Option<f64>) -> String {
    x.map(|v| format!("{:+.1}%", v * 100.0)).unwrap_or_default()
}

/// Ids joined for a cell.
pub(super) fn names(tags: &[crate::query::Tag]) -> String {
    tags.iter()
        .map(|t| t.name.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millions_group_thousands() {
        assert_eq!(millions(7_913_000_000.0), "7,913.0");
        assert_eq!(millions(1_260_000.0), "1.3");
        assert_eq!(millions(0.0), "0.0");
        assert_eq!(millions(999_960_000.0), "1,000.0");
        assert_eq!(millions(-2_500_000_000.0), "-2,500.0");
    }

    #[test]
    fn percentages_carry_their_sign() {
        assert_eq!(percent(Some(0.282)), "+28.2%");
        assert_eq!(percent(None), "");
    }
}
