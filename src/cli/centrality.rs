//! `innograph centrality`: measures of every node of a view (or the top N), and the
//! rendering of centrality reports that `report` shares.

use std::borrow::Cow;
use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::Result;

use super::args::{AlgoParams, CentralityArgs, CentralityFormat, ViewArg, ViewArgs, WeightArg};
use super::json::{self, JsonStyle};
use super::output::{self, markdown, Rows, Table};
use super::progress::TerminalObserver;
use super::values;
use crate::query::Store;
use crate::query::{self, Algo, CentralityReport, CentralityRequest, QueryError};
use crate::query::{ViewKind, ViewOptions, WeightMode};

fn view_options(v: &ViewArgs) -> Result<ViewOptions> {
    Ok(ViewOptions {
        kind: match v.view {
            ViewArg::Full => ViewKind::Full,
            ViewArg::Collab => ViewKind::Collab,
        },
        with_attributes: v.with_attributes,
        directed: v.directed,
        weight: match v.weight {
            WeightArg::Count => WeightMode::Count,
            WeightArg::Weight => WeightMode::Weight,
            WeightArg::Amount => WeightMode::Amount,
        },
        years: v.years.as_deref().map(query::parse_years).transpose()?,
        fields: v.field.clone(),
        districts: v.district.clone(),
        induce: if v.induce { v.kind.clone() } else { Vec::new() },
    })
}

/// The centrality request the options describe (shared with `export --with`).
pub(super) fn request(
    algos: Vec<Algo>,
    view: &ViewArgs,
    params: &AlgoParams,
    top: Option<usize>,
) -> Result<CentralityRequest> {
    Ok(CentralityRequest {
        algos: values::dedup_algos(algos),
        view: view_options(view)?,
        weighted: params.weighted,
        samples: params.samples,
        epsilon: params.epsilon,
        delta: params.delta,
        seed: params.seed,
        damping: params.damping,
        tol: params.tol,
        kinds: view.kind.clone(),
        top,
    })
}

/// `innograph centrality`.
pub(super) fn centrality(
    store: &Store,
    args: CentralityArgs,
    stop: Arc<AtomicBool>,
) -> Result<i32> {
    let request = request(args.algo.clone(), &args.view, &args.params, args.top)?;
    let snapshot = store.snapshot()?;
    let observer = TerminalObserver::new(stop);
    let result = query::centrality(&snapshot, &store.schema(), &request, &observer);
    observer.bar.finish();
    let report = match result {
        Err(QueryError::Cancelled) => {
            eprintln!("cancelled; nothing written");
            return Ok(130);
        }
        other => other?,
    };
    output::write_to(args.out.as_deref(), |out, style| {
        render(&report, args.format, None, style, out)
    })?;
    if let Some(path) = &args.out {
        eprintln!(
            "wrote {} rows ({}) to {}",
            report.rows.len(),
            report
                .algos
                .iter()
                .map(|a| a.name())
                .collect::<Vec<_>>()
                .join(", "),
            path.display()
        );
    }
    if report.rows.is_empty() {
        eprintln!("{}", empty_hint(&report, &args.view));
    }
    Ok(0)
}

/// Why a report has no rows, and what to try.
fn empty_hint(report: &CentralityReport, view: &ViewArgs) -> String {
    let mut filters = Vec::new();
    if !view.kind.is_empty() {
        filters.push(format!("--kind {}", view.kind.join(",")));
    }
    if !view.field.is_empty() {
        filters.push(format!("--field {}", view.field.join(",")));
    }
    if !view.district.is_empty() {
        filters.push(format!("--district {}", view.district.join(",")));
    }
    if let Some(y) = &view.years {
        filters.push(format!("--years {y}"));
    }
    if filters.is_empty() {
        format!(
            "note: no rows: the view has {} nodes and {} ties",
            report.view_nodes, report.view_ties
        )
    } else {
        format!(
            "note: no rows: no node of the view ({} nodes, {} ties) passes {}; `innograph search` \
             and `innograph stats` show which fields, districts and kinds hold nodes",
            report.view_nodes,
            report.view_ties,
            filters.join(" ")
        )
    }
}

pub(super) fn cell(algo: Algo, v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else if algo.is_integral() {
        format!("{}", v as i64)
    } else {
        format!("{v:.6}")
    }
}

/// A report's rows as table cells, read from the report in place.
struct ReportRows<'r>(&'r CentralityReport);

impl Rows for ReportRows<'_> {
    fn headers(&self) -> Vec<&str> {
        let mut headers = vec!["id", "kind", "name", "name_en"];
        headers.extend(self.0.algos.iter().map(|a| a.name()));
        headers
    }

    fn row_count(&self) -> usize {
        self.0.rows.len()
    }

    fn cells<'a>(&'a self, i: usize, cells: &mut Vec<Cow<'a, str>>) {
        let r = &self.0.rows[i];
        cells.push(Cow::Borrowed(&r.id));
        cells.push(Cow::Borrowed(&r.kind));
        cells.push(Cow::Borrowed(&r.name));
        cells.push(Cow::Borrowed(r.name_en.as_deref().unwrap_or_default()));
        cells.extend(
            self.0
                .algos
                .iter()
                .zip(&r.values)
                .map(|(a, &v)| Cow::Owned(cell(*a, v))),
        );
    }
}

fn summary_table(report: &CentralityReport) -> Table {
    let mut t = Table::new(&[
        "measure", "min", "mean", "p50", "p90", "p99", "max", "seconds", "note",
    ]);
    for s in &report.summaries {
        let f = |x: f64| {
            if x.is_nan() {
                String::new()
            } else {
                format!("{x:.6}")
            }
        };
        t.rows.push(vec![
            s.algo.clone(),
            f(s.min),
            f(s.mean),
            f(s.p50),
            f(s.p90),
            f(s.p99),
            f(s.max),
            format!("{:.3}", s.seconds),
            s.note.clone(),
        ]);
    }
    t
}

/// Writes a centrality report in a format, row by row into `out` (JSON in `style`).
pub(super) fn render(
    report: &CentralityReport,
    format: CentralityFormat,
    title: Option<&str>,
    style: JsonStyle,
    out: &mut dyn Write,
) -> Result<()> {
    let view_line = format!(
        "view: {} nodes, {} ties (built in {:.3} s); {} rows",
        report.view_nodes,
        report.view_ties,
        report.view_seconds,
        report.rows.len()
    );
    let rows = ReportRows(report);
    match format {
        CentralityFormat::Json => json::write(out, &report.json_rows(), style)?,
        CentralityFormat::Ndjson => json::write_lines(out, report.json_rows().iter())?,
        CentralityFormat::Csv => output::csv(&rows, out)?,
        CentralityFormat::Table => {
            output::aligned(&rows, out)?;
            writeln!(out, "\n{view_line}")?;
            summary_table(report).write_aligned(out)?;
        }
        CentralityFormat::Md => {
            if let Some(t) = title {
                writeln!(out, "# {t}\n")?;
            }
            markdown(&rows, out)?;
            writeln!(out, "\n{view_line}\n")?;
            markdown(&summary_table(report), out)?;
        }
    }
    Ok(())
}
