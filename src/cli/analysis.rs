//! The analysis commands, `centrality` and `report`: turn arguments into requests, show
//! progress, render the results.

use std::fs;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::{Context, Result};

use super::args::{CentralityArgs, ReportFormat, ViewArg, ViewArgs, WeightArg};
use super::output::Table;
use crate::algo::Observer;
use crate::graph::{ViewKind, ViewOptions, WeightMode};
use crate::query::{self, Algo, CentralityReport, CentralityRequest, QueryError};
use crate::store::Store;

/// Drives a progress bar on a terminal and stops computations on Ctrl-C.
struct TerminalObserver {
    bar: indicatif::ProgressBar,
    stop: Arc<AtomicBool>,
}

impl TerminalObserver {
    fn new(stop: Arc<AtomicBool>) -> Self {
        let bar = if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(0);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{msg:>14} [{bar:40}] {pos}/{len} ({eta})")
            {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        } else {
            indicatif::ProgressBar::hidden()
        };
        TerminalObserver { bar, stop }
    }
}

impl Observer for TerminalObserver {
    fn start(&self, total: u64) {
        self.bar.set_position(0);
        self.bar.set_length(total);
    }
    fn advance(&self, steps: u64) {
        self.bar.inc(steps);
    }
    fn cancelled(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

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

/// `innograph centrality`.
pub fn centrality(store: &Store, args: CentralityArgs, stop: Arc<AtomicBool>) -> Result<i32> {
    let request = CentralityRequest {
        algos: Algo::parse_list(&args.algo)?,
        view: view_options(&args.view)?,
        weighted: args.weighted,
        samples: args.samples,
        epsilon: args.epsilon,
        delta: args.delta,
        seed: args.seed,
        damping: args.damping,
        tol: args.tol,
        kinds: args.view.kind.clone(),
        top: args.top,
    };
    let snapshot = store.snapshot()?;
    let observer = TerminalObserver::new(stop);
    let result = query::centrality(&snapshot, &store.schema(), &request, &observer);
    observer.bar.finish_and_clear();
    let report = match result {
        Err(QueryError::Cancelled) => {
            eprintln!("cancelled; nothing written");
            return Ok(130);
        }
        other => other?,
    };
    let mut text = Vec::new();
    render(&report, args.format, None, &mut text)?;
    match &args.out {
        Some(path) => {
            fs::write(path, &text).with_context(|| format!("cannot write {}", path.display()))?
        }
        None => std::io::stdout().lock().write_all(&text)?,
    }
    Ok(0)
}

fn cell(algo: Algo, v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else if algo.is_integral() {
        format!("{}", v as i64)
    } else {
        format!("{v:.6}")
    }
}

fn rows_table(report: &CentralityReport) -> Table {
    let mut headers = vec!["id", "kind", "name", "name_en"];
    headers.extend(report.algos.iter().map(|a| a.name()));
    let mut t = Table::new(&headers);
    for r in &report.rows {
        let mut row = vec![
            r.id.clone(),
            r.kind.clone(),
            r.name.clone(),
            r.name_en.clone().unwrap_or_default(),
        ];
        row.extend(
            report
                .algos
                .iter()
                .zip(&r.values)
                .map(|(a, &v)| cell(*a, v)),
        );
        t.rows.push(row);
    }
    t
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

fn markdown(t: &Table, out: &mut dyn Write) -> std::io::Result<()> {
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

/// Writes a centrality report in a format.
fn render(
    report: &CentralityReport,
    format: ReportFormat,
    title: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let view_line = format!(
        "view: {} nodes, {} ties (built in {:.3} s); {} rows",
        report.view_nodes,
        report.view_ties,
        report.view_seconds,
        report.rows.len()
    );
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &report.to_json())?;
            writeln!(out)?;
        }
        ReportFormat::Csv => rows_table(report).write_csv(out)?,
        ReportFormat::Table => {
            rows_table(report).write_aligned(out)?;
            writeln!(out, "\n{view_line}")?;
            summary_table(report).write_aligned(out)?;
        }
        ReportFormat::Md => {
            if let Some(t) = title {
                writeln!(out, "# {t}\n")?;
            }
            markdown(&rows_table(report), out)?;
            writeln!(out, "\n{view_line}\n")?;
            markdown(&summary_table(report), out)?;
        }
    }
    Ok(())
}

/// `innograph report --batch SPEC --out DIR`.
pub fn report(store: &Store, batch: &Path, out: &Path, stop: Arc<AtomicBool>) -> Result<i32> {
    let text = fs::read_to_string(batch)
        .with_context(|| format!("cannot read report spec {}", batch.display()))?;
    let spec = query::BatchSpec::from_toml(&text)
        .with_context(|| format!("in report spec {}", batch.display()))?;
    let snapshot = store.snapshot()?;
    let observer = TerminalObserver::new(stop);
    let bar = observer.bar.clone();
    let result = query::run_batch(
        &snapshot,
        &store.schema(),
        &spec,
        &observer,
        &mut |done, total, name| {
            bar.set_message(name.chars().take(14).collect::<String>());
            if done == 0 {
                bar.set_length(total as u64);
            }
            bar.set_position(done as u64);
        },
    );
    observer.bar.finish_and_clear();
    let parts = match result {
        Err(QueryError::Cancelled) => {
            eprintln!("cancelled; nothing written");
            return Ok(130);
        }
        other => other?,
    };
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut index = Vec::new();
    let title = spec
        .title
        .clone()
        .unwrap_or_else(|| "innograph reports".into());
    writeln!(index, "# {title}\n")?;
    let m = store.manifest();
    writeln!(
        index,
        "Database generation {} ({}): {} nodes, {} edges.\n",
        m.generation, m.note, m.nodes, m.edges
    )?;
    writeln!(index, "| report | rows | files |\n|---|---|---|")?;
    let mut written = 0;
    for part in &parts {
        let mut links = Vec::new();
        for f in &part.formats {
            let (format, ext) = match f.as_str() {
                "csv" => (ReportFormat::Csv, "csv"),
                "json" => (ReportFormat::Json, "json"),
                _ => (ReportFormat::Md, "md"),
            };
            let file = format!("{}.{ext}", part.name);
            let mut buf = Vec::new();
            render(&part.result, format, Some(&part.title), &mut buf)?;
            let path = out.join(&file);
            fs::write(&path, buf).with_context(|| format!("cannot write {}", path.display()))?;
            links.push(format!("[{ext}]({file})"));
            written += 1;
        }
        writeln!(
            index,
            "| {} | {} | {} |",
            part.title.replace('|', "\\|"),
            part.result.rows.len(),
            links.join(" ")
        )?;
    }
    let index_path = out.join("index.md");
    fs::write(&index_path, index)
        .with_context(|| format!("cannot write {}", index_path.display()))?;
    println!(
        "wrote {} tables in {} files and {}",
        parts.len(),
        written,
        index_path.display()
    );
    Ok(0)
}
