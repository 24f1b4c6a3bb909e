//! What the planners' commands (`trends`, `consortia`, `synergy`, `engagement`,
//! `platforms`, `universities`) share on the command line: the `--years` parser and writing
//! a report as the sentence of the source it answers, then its tables, in any format — JSON
//! and NDJSON serialised straight from the report as it streams out (no JSON tree).

use std::io::Write;

use anyhow::Result;

use super::args::{PlannerFormat, PlannerOutput};
use super::json::{self, JsonStyle};
use super::output::{self, markdown, Table};
use crate::query::PlannerAnswer;

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

/// A planners' report ready to print: the source sentence, its tables, notes, and the
/// report itself.
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
    /// The report (what JSON and NDJSON serialise).
    pub answer: PlannerAnswer,
}

/// The printable form of a planners' section of a batch report.
/// `trends_top` is how many districts and fields the trends tables list.
pub(super) fn printable_answer(answer: PlannerAnswer, trends_top: usize) -> Printable {
    match answer {
        PlannerAnswer::Trends(r) => super::trends::printable(r, trends_top),
        PlannerAnswer::Consortia(r) => super::consortia::printable(r),
        PlannerAnswer::Synergy(r) => super::synergy::printable(r),
        PlannerAnswer::Engagement(r) => super::engagement::printable(r),
        PlannerAnswer::Platforms(r) => super::platforms::printable(r),
        PlannerAnswer::Universities(r) => super::universities::printable(r),
    }
}

/// Parses `--years A..B` (or one year).
pub(super) fn years(text: &str) -> Result<(i32, i32), String> {
    crate::query::parse_years(text).map_err(|e| e.to_string())
}

/// Writes the report in `format`: the terminal and Markdown show the source sentence, every
/// table and the notes; CSV is one long table of every row; JSON the whole report (in
/// `style`), NDJSON its rows ([`write_rows`]).
pub(super) fn write(
    p: &Printable,
    format: PlannerFormat,
    style: JsonStyle,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        PlannerFormat::Json => json::write(out, &p.answer, style),
        PlannerFormat::Ndjson => write_rows(&p.answer, out),
        PlannerFormat::Csv => p.csv.write_csv(out),
        PlannerFormat::Table => {
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
        PlannerFormat::Md => {
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

/// The report's rows, one compact JSON object per line: the series of `trends`, the
/// consortia of `consortia` (its candidate consortia when it was asked for them), the rows
/// of `synergy`, the firms of `engagement`, the platforms of `platforms` and the
/// universities of `universities`.
fn write_rows(answer: &PlannerAnswer, out: &mut dyn Write) -> std::io::Result<()> {
    match answer {
        PlannerAnswer::Trends(r) => json::write_lines(out, &r.series),
        PlannerAnswer::Consortia(r) => match &r.candidates {
            Some(c) => json::write_lines(out, &c.candidates),
            None => json::write_lines(out, &r.consortia),
        },
        PlannerAnswer::Synergy(r) => json::write_lines(out, &r.rows),
        PlannerAnswer::Engagement(r) => json::write_lines(out, &r.firms),
        PlannerAnswer::Platforms(r) => json::write_lines(out, &r.platforms),
        PlannerAnswer::Universities(r) => json::write_lines(out, &r.universities),
    }
}

/// Writes the report where `output` says (standard output or `--out`), in its format,
/// through one buffer.
pub(super) fn emit(p: &Printable, output: &PlannerOutput) -> Result<()> {
    output::write_to(output.out.as_deref(), |out, style| {
        Ok(write(p, output.format, style, out)?)
    })?;
    if let Some(path) = &output.out {
        eprintln!("wrote {} to {}", p.heading, path.display());
    }
    Ok(())
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
