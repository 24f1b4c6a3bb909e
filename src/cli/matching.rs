//! `innograph match`: demands matched to achievements, universities and institutes.

use std::io::Write;

use anyhow::Result;

use super::args::{MatchArgs, OutputFormat};
use super::output::outln;
use super::output::{emit, f3, Table};
use crate::query::Store;
use crate::query::{self, MatchRequest};

/// `innograph match [--assign]`.
pub(super) fn matching(store: &Store, args: MatchArgs) -> Result<i32> {
    if args.assign {
        return assign(store, args.format.format);
    }
    let snapshot = store.snapshot()?;
    let report = query::match_demands(
        store,
        &snapshot,
        &store.schema(),
        &MatchRequest {
            threshold: args.threshold,
            top: args.top,
            candidates: args.candidates,
        },
    )?;
    let pct = |x: Option<f64>| x.map_or("-".into(), |r| format!("{:.1} %", 100.0 * r));
    match args.format.format {
        OutputFormat::Json => {
            emit(
                OutputFormat::Json,
                &serde_json::to_value(&report)?,
                Table::default,
            )?;
        }
        format @ (OutputFormat::Csv | OutputFormat::Md) => {
            let t = by_field_table(&report, "unmatchable");
            emit(format, &serde_json::Value::Null, || t)?;
        }
        OutputFormat::Table => {
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "demands: {}; matched (at least one `solves` edge): {} = {}",
                report.demands,
                report.matched,
                pct(report.match_rate)
            )?;
            writeln!(
                out,
                "solutions (`solves` edges): {}; docked (matched=true): {} = {} (the source's 对接率: about {:.0} %, a rate over solutions)",
                report.solutions,
                report.docked,
                pct(report.docking_rate),
                100.0 * report.source_rate
            )?;
            writeln!(
                out,
                "unmatched but matchable (a candidate scores >= {}): {}; potential match rate {}\n",
                report.threshold,
                report.matchable,
                pct(report.potential_rate)
            )?;
            writeln!(out, "Demands by field (most unmatched first):")?;
            by_field_table(&report, "no candidate").write_aligned(&mut out)?;
            writeln!(
                out,
                "\nUnmatched demands and their best candidates (score = 0.6·field + 0.4·proximity):"
            )?;
            let mut t = Table::new(&[
                "demand",
                "name",
                "posted by",
                "candidate",
                "kind",
                "score",
                "field",
                "hops",
            ]);
            for d in &report.unmatched {
                if d.candidates.is_empty() {
                    t.rows.push(vec![
                        d.id.clone(),
                        d.name.clone(),
                        d.posted_by.clone().unwrap_or_default(),
                        "-".into(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]);
                }
                for (i, c) in d.candidates.iter().enumerate() {
                    let first = i == 0;
                    t.rows.push(vec![
                        if first { d.id.clone() } else { String::new() },
                        if first { d.name.clone() } else { String::new() },
                        if first {
                            d.posted_by.clone().unwrap_or_default()
                        } else {
                            String::new()
                        },
                        c.id.clone(),
                        c.kind.clone(),
                        f3(c.score),
                        f3(c.field),
                        c.distance.map_or("-".into(), |h| h.to_string()),
                    ]);
                }
            }
            t.write_aligned(&mut out)?;
        }
    }
    Ok(0)
}

/// `innograph match --assign`: achievements assigned to open demands of their field.
/// Demands by field; the last column (demands no candidate answers) headed `unmatched_header`.
fn by_field_table(report: &query::MatchReport, unmatched_header: &str) -> Table {
    let mut t = Table::new(&[
        "field",
        "name",
        "demands",
        "matched",
        "unmatched",
        unmatched_header,
    ]);
    for f in &report.by_field {
        t.rows.push(vec![
            f.field.clone(),
            f.name.clone(),
            f.demands.to_string(),
            f.matched.to_string(),
            f.unmatched.to_string(),
            f.unmatchable.to_string(),
        ]);
    }
    t
}

fn assign(store: &Store, format: OutputFormat) -> Result<i32> {
    let snapshot = store.snapshot()?;
    let a = query::assign_demands(&snapshot)?;
    let pct = |x: Option<f64>| x.map_or("-".into(), |r| format!("{:.1} %", 100.0 * r));
    if format == OutputFormat::Table {
        outln!(
            "open demands: {}; assigned an achievement of their field, each achievement once: {} ({} have no achievement in their fields; {} achievements considered)",
            a.demands, a.assigned, a.without_candidate, a.achievements
        )?;
        outln!(
            "match rate today: {} ({} of {} demands); with the assignment: {}\n",
            pct(a.match_rate),
            a.matched,
            a.all_demands,
            pct(a.rate_with_assignment)
        )?;
    }
    emit(format, &serde_json::to_value(&a)?, || {
        let mut t = Table::new(&["demand", "name", "achievement", "name", "field"]);
        for p in &a.pairs {
            t.rows.push(vec![
                p.demand.clone(),
                p.demand_name.clone(),
                p.achievement.clone(),
                p.achievement_name.clone(),
                p.field.clone(),
            ]);
        }
        t
    })?;
    Ok(0)
}
