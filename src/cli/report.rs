//! `innograph report --batch SPEC --out DIR`: many centrality reports from one load of the
//! store, with an index.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::{Context, Result};

use super::args::{CentralityFormat, PlannerFormat};
use super::centrality::{cell, render};
use super::json::JsonStyle;
use super::output::outln;
use super::planning::Printable;
use super::progress::TerminalObserver;
use super::report_html::PlannerPart;
use crate::query::Store;
use crate::query::{self, QueryError};

/// Writes one file of the report into `out` and links it from the index row being built.
fn save_linked(out: &Path, file: &str, contents: Vec<u8>, links: &mut Vec<String>) -> Result<()> {
    let path = out.join(file);
    fs::write(&path, contents).with_context(|| format!("cannot write {}", path.display()))?;
    let ext = file.rsplit('.').next().unwrap_or(file);
    links.push(format!("[{ext}]({file})"));
    Ok(())
}

/// One row of the index table: the section's title, its row count and its files.
fn index_row(index: &mut Vec<u8>, title: &str, rows: usize, links: &[String]) -> Result<()> {
    writeln!(
        index,
        "| {} | {} | {} |",
        title.replace('|', "\\|"),
        rows,
        links.join(" ")
    )?;
    Ok(())
}

/// Answers every planners' section from one load of the records, titled as the spec says.
fn answer_planners(
    store: &Store,
    planners: &[query::PlannerSpec],
) -> Result<Vec<(query::PlannerSpec, Printable)>> {
    if planners.is_empty() {
        return Ok(Vec::new());
    }
    let eco = query::Ecosystem::load(store, &query::planner_needs(planners))?;
    planners
        .iter()
        .map(|planner| {
            let answer = planner
                .answer(&eco, &query::Keeping::store(store))
                .with_context(|| format!("in planner `{}`", planner.name))?;
            let mut printable =
                super::planning::printable_answer(answer, planner.top.unwrap_or(10));
            if let Some(title) = &planner.title {
                printable.heading = title.clone();
            }
            Ok((planner.clone(), printable))
        })
        .collect()
}

/// `innograph report --batch SPEC --out DIR [--format F,...]`.
pub(super) fn report(
    store: &Store,
    batch: &Path,
    out: &Path,
    formats: &[String],
    stop: Arc<AtomicBool>,
) -> Result<i32> {
    let text = fs::read_to_string(batch)
        .with_context(|| format!("cannot read report spec {}", batch.display()))?;
    let mut spec = query::BatchSpec::from_toml(&text)
        .with_context(|| format!("in report spec {}", batch.display()))?;
    if !formats.is_empty() {
        for f in formats {
            query::check_format("--format", f)?;
        }
        for r in &mut spec.reports {
            r.formats = formats.to_vec();
        }
        for p in &mut spec.planners {
            p.formats = formats.to_vec();
        }
    }
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
    observer.bar.finish();
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
                "csv" => (CentralityFormat::Csv, "csv"),
                "json" => (CentralityFormat::Json, "json"),
                "html" => {
                    links.push(format!("[html](report.html#r-{})", part.name));
                    continue;
                }
                _ => (CentralityFormat::Md, "md"),
            };
            let file = format!("{}.{ext}", part.name);
            let mut buf = Vec::new();
            render(
                &part.result,
                format,
                Some(&part.title),
                JsonStyle::Pretty,
                &mut buf,
            )?;
            save_linked(out, &file, buf, &mut links)?;
            written += 1;
        }
        index_row(&mut index, &part.title, part.result.rows.len(), &links)?;
    }
    let planned = answer_planners(store, &spec.planners)?;
    for (planner, printable) in &planned {
        let mut links = Vec::new();
        for f in &planner.formats {
            let (format, ext) = match f.as_str() {
                "csv" => (PlannerFormat::Csv, "csv"),
                "json" => (PlannerFormat::Json, "json"),
                "html" => {
                    links.push(format!(
                        "[html](report.html#{})",
                        super::report_html::planner_anchor(&planner.name)
                    ));
                    continue;
                }
                _ => (PlannerFormat::Md, "md"),
            };
            let file = format!("{}.{ext}", planner.name);
            let mut buf = Vec::new();
            super::planning::write(printable, format, JsonStyle::Pretty, &mut buf)?;
            save_linked(out, &file, buf, &mut links)?;
            written += 1;
        }
        index_row(
            &mut index,
            &printable.heading,
            printable.csv.rows.len(),
            &links,
        )?;
    }
    let html_parts: Vec<&query::ReportPart> = parts
        .iter()
        .filter(|p| p.formats.iter().any(|f| f == "html"))
        .collect();
    let html_planners: Vec<PlannerPart<'_>> = planned
        .iter()
        .filter(|(p, _)| p.formats.iter().any(|f| f == "html"))
        .map(|(p, printable)| PlannerPart {
            name: &p.name,
            printable,
        })
        .collect();
    if !html_parts.is_empty() || !html_planners.is_empty() {
        let html = super::report_html::render(&title, &m, &html_parts, &html_planners, &cell);
        let path = out.join("report.html");
        fs::write(&path, html).with_context(|| format!("cannot write {}", path.display()))?;
        written += 1;
    }
    let index_path = out.join("index.md");
    fs::write(&index_path, index)
        .with_context(|| format!("cannot write {}", index_path.display()))?;
    outln!(
        "wrote {} tables in {} files and {}",
        parts.len() + spec.planners.len(),
        written,
        index_path.display()
    )?;
    Ok(0)
}
