//! The planners' sections of the HTML batch report: per section the sentence of the source
//! it answers, its conventions, its charts (inline SVG bars, signed values drawn from a zero
//! line) and its tables, as the Markdown report shows them.

use std::fmt::Write as _;

use super::{esc, figure, short, truncate};
use crate::cli::planning::{Chart, Printable};

/// One planners' section to draw: its file stem (the anchor) and what it prints.
pub(in crate::cli) struct PlannerPart<'a> {
    /// The section's name in the spec.
    pub name: &'a str,
    /// The tables, charts and notes.
    pub printable: &'a Printable,
}

/// The anchor of a planners' section.
pub(in crate::cli) fn anchor(name: &str) -> String {
    format!("p-{name}")
}

/// Horizontal bars, one per label, from a zero line (negative values to its left).
fn bars(chart: &Chart) -> String {
    if chart.bars.is_empty() {
        return String::new();
    }
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    let lo = chart.bars.iter().map(|b| finite(b.1)).fold(0.0, f64::min);
    let hi = chart.bars.iter().map(|b| finite(b.1)).fold(0.0, f64::max);
    let (label_w, bar_w, line) = (170.0, 230.0, 17.0);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let zero = label_w + (0.0 - lo) / span * bar_w;
    let height = chart.bars.len() as f64 * line + 4.0;
    let mut svg = format!(
        r#"<svg width="{w}" height="{height}" role="img" aria-label="{a}">"#,
        w = label_w + bar_w + 70.0,
        a = esc(&chart.caption),
    );
    for (i, (label, value)) in chart.bars.iter().enumerate() {
        let v = finite(*value);
        let y = i as f64 * line + 2.0;
        let w = (v.abs() / span * bar_w).max(1.0);
        let x = if v < 0.0 { zero - w } else { zero };
        let _ = write!(
            svg,
            r#"<text x="0" y="{ty}">{name}</text><rect x="{x:.1}" y="{y}" width="{w:.1}" height="{h}" fill="{c}"><title>{full}: {v}</title></rect><text x="{vx:.1}" y="{ty}">{v}</text>"#,
            ty = y + 11.0,
            name = esc(&truncate(label, 16)),
            h = line - 5.0,
            c = if v < 0.0 { "#e15759" } else { "#4e79a7" },
            full = esc(label),
            vx = label_w + bar_w + 4.0,
            v = esc(&short(v)),
        );
    }
    let _ = write!(
        svg,
        "<line x1=\"{zero:.1}\" y1=\"0\" x2=\"{zero:.1}\" y2=\"{height}\" stroke=\"#999\"/></svg>"
    );
    figure(&svg, &chart.caption)
}

/// Whether a cell reads as a number (`7,913.0`, `+28.2%`, `-3`), to right-align it.
fn numeric(cell: &str) -> bool {
    let bare: String = cell
        .trim_end_matches('%')
        .chars()
        .filter(|&c| c != ',')
        .collect();
    !bare.is_empty() && bare.parse::<f64>().is_ok()
}

fn table(t: &crate::cli::output::Table) -> String {
    let columns: Vec<bool> = (0..t.headers.len())
        .map(|i| {
            t.rows
                .iter()
                .filter_map(|r| r.get(i))
                .filter(|c| !c.is_empty())
                .all(|c| numeric(c))
        })
        .collect();
    let class = |i: usize| {
        if columns.get(i).copied().unwrap_or(false) {
            " class=\"n\""
        } else {
            ""
        }
    };
    let mut out = String::from("<table><thead><tr>");
    for (i, h) in t.headers.iter().enumerate() {
        let _ = write!(out, "<th{}>{}</th>", class(i), esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &t.rows {
        out.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            let _ = write!(out, "<td{}>{}</td>", class(i), esc(c));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// The rows a section's index entry counts: those of its long (CSV) table.
pub(in crate::cli) fn rows(part: &PlannerPart<'_>) -> usize {
    part.printable.csv.rows.len()
}

/// One planners' section as an HTML `<section>`.
pub(in crate::cli) fn section(part: &PlannerPart<'_>) -> String {
    let p = part.printable;
    let mut out = format!(
        "<section id=\"{}\"><h2>{}</h2><blockquote lang=\"zh-CN\">{}</blockquote>",
        esc(&anchor(part.name)),
        esc(&p.heading),
        esc(p.source)
    );
    if !p.conventions.is_empty() {
        out.push_str("<ul class=\"muted\">");
        for c in &p.conventions {
            let _ = write!(out, "<li>{}</li>", esc(c));
        }
        out.push_str("</ul>");
    }
    let charts: String = p.charts.iter().map(bars).collect();
    if !charts.is_empty() {
        let _ = write!(out, "<div class=\"figures\">{charts}</div>");
    }
    for s in &p.sections {
        let _ = write!(out, "<h3>{}</h3>", esc(&s.title));
        if s.table.rows.is_empty() {
            out.push_str("<p>(none)</p>");
        } else {
            out.push_str(&table(&s.table));
        }
    }
    for n in &p.notes {
        let _ = write!(out, "<p class=\"muted\"><em>Note: {}</em></p>", esc(n));
    }
    out.push_str("</section>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::output::Table;
    use crate::cli::planning::Section;

    fn printable() -> Printable {
        let mut t = Table::new(&["series", "2023", "growth/yr"]);
        t.rows.push(vec![
            "all <contracts>".into(),
            "7,913.0".into(),
            "+28.2%".into(),
        ]);
        Printable {
            heading: "Trends & more".into(),
            source: "高校技术转移",
            conventions: vec!["growth/yr = compound".into()],
            sections: vec![Section::new("Contract value", t)],
            charts: vec![Chart {
                caption: "T(UIG)".into(),
                bars: vec![("a".into(), -2.0), ("b".into(), 6.0)],
            }],
            csv: Table::new(&["x"]),
            notes: vec!["no dated ties".into()],
            answer: crate::query::PlannerAnswer::Trends(crate::query::TrendsReport {
                source: "高校技术转移",
                years: Vec::new(),
                series: Vec::new(),
                notes: Vec::new(),
            }),
        }
    }

    #[test]
    fn a_section_escapes_text_aligns_numbers_and_draws_signed_bars() {
        let p = printable();
        let html = section(&PlannerPart {
            name: "trends",
            printable: &p,
        });
        assert!(html.starts_with("<section id=\"p-trends\"><h2>Trends &amp; more</h2>"));
        assert!(html.contains("<blockquote lang=\"zh-CN\">高校技术转移</blockquote>"));
        assert!(html.contains(
            "<td>all &lt;contracts&gt;</td><td class=\"n\">7,913.0</td><td class=\"n\">+28.2%</td>"
        ));
        assert!(html.contains("<em>Note: no dated ties</em>"));
        // The zero line sits a quarter of the way along (range -2..6); the negative bar
        // ends on it, the positive one starts on it.
        assert!(html.contains("<line x1=\"227.5\""), "{html}");
        assert!(
            html.contains("<rect x=\"170.0\" y=\"2\" width=\"57.5\""),
            "{html}"
        );
        assert!(html.contains("fill=\"#e15759\""));
        assert!(
            html.contains("<rect x=\"227.5\" y=\"19\" width=\"172.5\""),
            "{html}"
        );
        assert!(!html.contains("<script"));
    }

    #[test]
    fn numbers_are_recognised_with_separators_and_signs() {
        assert!(numeric("7,913.0"));
        assert!(numeric("+28.2%"));
        assert!(numeric("-3"));
        assert!(!numeric(""));
        assert!(!numeric("all"));
        assert!(!numeric("2015–2024"));
    }
}
