//! The HTML batch report: one self-contained file per run (`report.html`) that a planner
//! can mail or print. Inline CSS and SVG only — no script, no font, no image, no link to
//! anything outside the file — so it opens offline in any browser and prints cleanly (one
//! report per page where it fits, charts never split).
//!
//! Per report: a top-N bar chart of the ranking measure, the network of ties among the
//! top N (a circle, nodes coloured by kind and sized by the measure), a histogram of each
//! measure over every node reported (before the top-N cut), the table and the summary.
//! The planners' sections (`[[planner]]`) follow, drawn by [`planners`].

mod planners;

use std::fmt::Write as _;

pub(super) use planners::{anchor as planner_anchor, PlannerPart};

use crate::query::Manifest;
use crate::query::{Histogram, ReportPart};

/// Colours of node kinds (the web page uses the same).
const KIND_COLORS: &[(&str, &str)] = &[
    ("university", "#1f77b4"),
    ("research_institute", "#17becf"),
    ("enterprise", "#d62728"),
    ("incubator", "#ff7f0e"),
    ("organisation", "#7f7f7f"),
    ("agency", "#2ca02c"),
    ("tech_manager", "#e377c2"),
    ("project", "#bcbd22"),
    ("platform", "#9467bd"),
    ("achievement", "#8c564b"),
    ("demand", "#f7b6d2"),
    ("programme", "#98df8a"),
    ("district", "#c7c7c7"),
    ("field", "#dbdb8d"),
];

fn kind_color(kind: &str) -> &'static str {
    KIND_COLORS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("#999999", |(_, c)| c)
}

const STYLE: &str = "
body { font-family: 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'PingFang SC', 'Microsoft YaHei', sans-serif;
  color: #1d2530; margin: 24px auto; max-width: 1100px; padding: 0 16px; font-size: 13px; line-height: 1.45; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 18px 0 4px; border-bottom: 2px solid #1f4e79; }
h3 { font-size: 14px; margin: 12px 0 2px; } blockquote { margin: 6px 0; padding: 4px 10px; border-left: 3px solid #1f4e79; background: #f3f6fa; }
.muted { color: #5f6b7a; } nav ol { columns: 2; } section { margin-bottom: 26px; }
.figures { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; margin: 8px 0; }
figure { margin: 0; break-inside: avoid; } figcaption { font-size: 12px; color: #5f6b7a; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; break-inside: auto; }
th, td { border-bottom: 1px solid #d9dee5; padding: 2px 6px; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; } tr { break-inside: avoid; }
svg text { font-size: 10px; fill: #1d2530; } .legend span { margin-right: 10px; white-space: nowrap; }
@media print { body { margin: 0; max-width: none; font-size: 10.5px; } nav { display: none; }
  section { break-before: page; } section:first-of-type { break-before: auto; } a { color: inherit; text-decoration: none; } }
";

/// Escapes text for HTML element content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A number for a chart label: integers plain, others with 4 significant digits.
fn short(x: f64) -> String {
    if x.is_nan() {
        return String::new();
    }
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return format!("{}", x as i64);
    }
    let a = x.abs();
    if !(1e-3..1e6).contains(&a) {
        format!("{x:.3e}")
    } else {
        let digits = (3 - a.log10().floor() as i32).max(0) as usize;
        format!("{x:.digits$}")
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut t: String = text.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// Horizontal bars of the first measure, one per row.
fn bar_chart(part: &ReportPart) -> String {
    let rows = &part.result.rows;
    let Some(algo) = part.result.algos.first() else {
        return String::new();
    };
    let values: Vec<f64> = rows
        .iter()
        .map(|r| r.values[0])
        .map(|v| if v.is_finite() { v } else { 0.0 })
        .collect();
    let max = values.iter().copied().fold(0.0, f64::max);
    let (label_w, bar_w, line) = (170.0, 230.0, 17.0);
    let height = rows.len() as f64 * line + 4.0;
    let mut svg = format!(
        r#"<svg width="{w}" height="{height}" role="img" aria-label="{a}">"#,
        w = label_w + bar_w + 70.0,
        a = esc(algo.name()),
    );
    for (i, (r, v)) in rows.iter().zip(&values).enumerate() {
        let y = i as f64 * line + 2.0;
        let w = if max > 0.0 { v / max * bar_w } else { 0.0 };
        let _ = write!(
            svg,
            r#"<text x="0" y="{ty}">{n}. {name}</text><rect x="{label_w}" y="{y}" width="{bw:.1}" height="{h}" fill="{c}"/><text x="{vx:.1}" y="{ty}">{v}</text>"#,
            ty = y + 11.0,
            n = i + 1,
            name = esc(&truncate(&r.name, 14)),
            bw = w.max(1.0),
            h = line - 5.0,
            c = kind_color(&r.kind),
            vx = label_w + w + 4.0,
            v = esc(&short(*v)),
        );
    }
    svg.push_str("</svg>");
    figure(&svg, &format!("Top {} by {}", rows.len(), algo.name()))
}

/// The ties among the rows, on a circle; node numbers are the rows' ranks.
fn network(part: &ReportPart) -> String {
    let rows = &part.result.rows;
    if rows.len() < 2 {
        return String::new();
    }
    let (size, radius) = (300.0, 120.0);
    let centre = size / 2.0;
    let values: Vec<f64> = rows
        .iter()
        .map(|r| r.values.first().copied().unwrap_or(0.0))
        .collect();
    let (lo, hi) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let pos: Vec<(f64, f64)> = (0..rows.len())
        .map(|i| {
            let a =
                std::f64::consts::TAU * i as f64 / rows.len() as f64 - std::f64::consts::FRAC_PI_2;
            (centre + radius * a.cos(), centre + radius * a.sin())
        })
        .collect();
    let mut svg =
        format!(r#"<svg width="{size}" height="{size}" role="img" aria-label="network">"#);
    for &(a, b) in &part.ties {
        let _ = write!(
            svg,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#9aa5b4\" stroke-width=\"1\"/>",
            pos[a].0, pos[a].1, pos[b].0, pos[b].1
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let t = if hi > lo && values[i].is_finite() {
            (values[i] - lo) / (hi - lo)
        } else {
            0.5
        };
        let _ = write!(
            svg,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{:.1}\" fill=\"{}\" stroke=\"#fff\"><title>{}</title></circle><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            pos[i].0,
            pos[i].1,
            5.0 + 9.0 * t.sqrt(),
            kind_color(&r.kind),
            esc(&r.name),
            pos[i].0,
            pos[i].1 - 16.0,
            i + 1,
        );
    }
    svg.push_str("</svg>");
    figure(
        &svg,
        &format!(
            "Ties among the top {} ({} ties); numbers are ranks",
            rows.len(),
            part.ties.len()
        ),
    )
}

/// A histogram of one measure over every reported node.
fn histogram(h: &Histogram) -> String {
    let (w, ht) = (240.0, 90.0);
    let top = h.bins.iter().map(|b| b.count).max().unwrap_or(0);
    let bar = if h.bins.is_empty() {
        0.0
    } else {
        w / h.bins.len() as f64
    };
    let mut svg = format!(
        r#"<svg width="{sw}" height="{sh}" role="img" aria-label="{a}"><g transform="translate(30,4)">"#,
        sw = w + 40.0,
        sh = ht + 30.0,
        a = esc(&h.algo),
    );
    for (i, b) in h.bins.iter().enumerate() {
        let bh = if top > 0 {
            b.count as f64 / top as f64 * ht
        } else {
            0.0
        };
        let _ = write!(
            svg,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#4e79a7\"><title>{} – {}: {}</title></rect>",
            i as f64 * bar,
            ht - bh,
            (bar - 1.0).max(1.0),
            bh,
            esc(&short(b.lo)),
            esc(&short(b.hi)),
            b.count
        );
    }
    let _ = write!(
        svg,
        "<line x1=\"0\" y1=\"{ht}\" x2=\"{w}\" y2=\"{ht}\" stroke=\"#999\"/><text x=\"0\" y=\"{ly}\">{lo}</text><text x=\"{w}\" y=\"{ly}\" text-anchor=\"end\">{hi}</text><text x=\"-4\" y=\"9\" text-anchor=\"end\">{top}</text></g></svg>",
        ly = ht + 13.0,
        lo = esc(&h.min.map(short).unwrap_or_default()),
        hi = esc(&h.max.map(short).unwrap_or_default()),
    );
    figure(
        &svg,
        &format!("{}: distribution over {} nodes", h.algo, h.count),
    )
}

fn figure(svg: &str, caption: &str) -> String {
    format!(
        "<figure>{svg}<figcaption>{}</figcaption></figure>",
        esc(caption)
    )
}

fn legend(part: &ReportPart) -> String {
    let mut kinds: Vec<&str> = part.result.rows.iter().map(|r| r.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut out = String::from("<p class=\"legend\">");
    for k in kinds {
        let _ = write!(
            out,
            "<span><svg width=\"10\" height=\"10\"><circle cx=\"5\" cy=\"5\" r=\"5\" fill=\"{}\"/></svg> {}</span>",
            kind_color(k),
            esc(k)
        );
    }
    out.push_str("</p>");
    out
}

fn rows_table(part: &ReportPart, cell: &dyn Fn(crate::query::Algo, f64) -> String) -> String {
    let r = &part.result;
    let mut out = String::from(
        "<table><thead><tr><th class=\"n\">#</th><th>id</th><th>kind</th><th>name</th>",
    );
    for a in &r.algos {
        let _ = write!(out, "<th class=\"n\">{}</th>", esc(a.name()));
    }
    out.push_str("</tr></thead><tbody>");
    for (i, row) in r.rows.iter().enumerate() {
        let _ = write!(
            out,
            "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}{}</td>",
            i + 1,
            esc(&row.id),
            esc(&row.kind),
            esc(&row.name),
            row.name_en
                .as_deref()
                .map(|e| format!(" <span class=\"muted\">{}</span>", esc(e)))
                .unwrap_or_default()
        );
        for (a, v) in r.algos.iter().zip(&row.values) {
            let _ = write!(out, "<td class=\"n\">{}</td>", esc(&cell(*a, *v)));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

fn summary_table(part: &ReportPart) -> String {
    let mut out = String::from(
        "<table><thead><tr><th>measure</th><th class=\"n\">min</th><th class=\"n\">mean</th><th class=\"n\">p50</th><th class=\"n\">p90</th><th class=\"n\">max</th><th>note</th></tr></thead><tbody>",
    );
    for s in &part.result.summaries {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&s.algo),
            esc(&short(s.min)),
            esc(&short(s.mean)),
            esc(&short(s.p50)),
            esc(&short(s.p90)),
            esc(&short(s.max)),
            esc(&s.note)
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// The anchor of a part.
fn anchor(part: &ReportPart) -> String {
    format!("r-{}", part.name)
}

/// Renders the centrality parts, then the planners' sections, into one HTML document.
/// `cell` formats a table value as the other formats do.
pub fn render(
    title: &str,
    manifest: &Manifest,
    parts: &[&ReportPart],
    planner_parts: &[PlannerPart<'_>],
    cell: &dyn Fn(crate::query::Algo, f64) -> String,
) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t}</title><style>{STYLE}</style></head><body>\n<header><h1>{t}</h1><p class=\"muted\">Database generation {g} ({note}): {n} nodes, {e} edges. Written by innograph {v}.</p></header>\n<nav><ol>",
        t = esc(title),
        g = manifest.generation,
        note = esc(&manifest.note),
        n = manifest.nodes,
        e = manifest.edges,
        v = env!("CARGO_PKG_VERSION"),
    );
    for p in parts {
        let _ = write!(
            out,
            "<li><a href=\"#{}\">{}</a> <span class=\"muted\">({} rows)</span></li>",
            esc(&anchor(p)),
            esc(&p.title),
            p.result.rows.len()
        );
    }
    for p in planner_parts {
        let _ = write!(
            out,
            "<li><a href=\"#{}\">{}</a> <span class=\"muted\">({} rows)</span></li>",
            esc(&planners::anchor(p.name)),
            esc(&p.printable.heading),
            planners::rows(p)
        );
    }
    out.push_str("</ol></nav>\n");
    for p in parts {
        let r = &p.result;
        let _ = write!(
            out,
            "<section id=\"{}\"><h2>{}</h2><p class=\"muted\">View: {} nodes, {} ties; {} rows.</p>",
            esc(&anchor(p)),
            esc(&p.title),
            r.view_nodes,
            r.view_ties,
            r.rows.len()
        );
        if r.rows.is_empty() {
            out.push_str("<p>No rows.</p></section>\n");
            continue;
        }
        out.push_str(&legend(p));
        let _ = write!(
            out,
            "<div class=\"figures\">{}{}</div>",
            bar_chart(p),
            network(p)
        );
        if !p.histograms.is_empty() {
            out.push_str("<div class=\"figures\">");
            for h in &p.histograms {
                out.push_str(&histogram(h));
            }
            out.push_str("</div>");
        }
        out.push_str(&rows_table(p, cell));
        out.push_str(&summary_table(p));
        out.push_str("</section>\n");
    }
    for p in planner_parts {
        out.push_str(&planners::section(p));
    }
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_numbers_are_short() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(short(3.0), "3");
        assert_eq!(short(0.123456), "0.1235");
        assert_eq!(short(12.3456), "12.35");
        assert_eq!(short(1e-5), "1.000e-5");
        assert_eq!(short(f64::NAN), "");
        assert_eq!(truncate("上海交通大学生物医药", 5), "上海交通…");
    }
}
