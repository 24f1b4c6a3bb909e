//! `innograph partners`: the firms a university, institute, achievement, tech manager or
//! field should approach, with score parts and introduction paths.

use anyhow::Result;

use super::args::{OutputFormat, PartnersArgs};
use super::gaps::{footer, print_model_card};
use super::output::outln;
use super::output::{emit, f3, path_text, Table};
use crate::query::Store;
use crate::query::{self, PartnersMethod, PartnersOutcome, PartnersRequest};

/// `innograph partners ID`.
pub(super) fn partners(store: &Store, args: PartnersArgs) -> Result<i32> {
    let snapshot = store.snapshot()?;
    let outcome = query::partners_kept(
        &snapshot,
        &store.schema(),
        &PartnersRequest {
            source: args.id.clone(),
            top: args.top,
            include_existing: args.include_existing,
            fields: args.field,
            districts: args.district,
            method: args.method.into(),
            seed: args.seed,
        },
        &query::Keeping::store(store),
    )?;
    let rows = &outcome.rows;
    let format = args.format.format;
    let learned = outcome.method == PartnersMethod::Learned;
    if format == OutputFormat::Table {
        let v = snapshot.node_index(&args.id).unwrap_or(0);
        outln!(
            "Partner firms for {} ({}, {}); score = {}{}\n",
            snapshot.node_name(v),
            args.id,
            snapshot.node_kind(v),
            if !learned {
                "0.5·pagerank + 0.3·field + 0.2·proximity".to_string()
            } else if outcome.field_weight > 0.0 {
                let round = |x: f64| (x * 1000.0).round() / 1000.0;
                format!(
                    "{}·learned + {}·field",
                    round(1.0 - outcome.field_weight),
                    round(outcome.field_weight)
                )
            } else {
                "learned".to_string()
            },
            if args.include_existing {
                "; existing partners marked *"
            } else {
                "; existing partners left out"
            }
        )?;
    }
    if format == OutputFormat::Json && args.model {
        // The list stays the array `partners` prints; the cards go beside it.
        emit(format, &serde_json::to_value(&outcome)?, Table::default)?;
    } else {
        emit(format, &serde_json::to_value(rows)?, || {
            let main = if learned { "learned" } else { "pagerank" };
            let mut headers = vec!["#", "id", "name", "score", main, "field", "hops"];
            if format == OutputFormat::Csv {
                headers.push("path");
            }
            let mut t = Table::new(&headers);
            for (i, r) in rows.iter().enumerate() {
                let c = &r.components;
                let mut row = vec![
                    format!("{}{}", i + 1, if r.existing { "*" } else { "" }),
                    r.id.clone(),
                    r.name.clone(),
                    f3(r.score),
                    f3(if learned { c.learned } else { c.pagerank }.unwrap_or(0.0)),
                    f3(c.field),
                    c.distance.map_or("-".into(), |d| d.to_string()),
                ];
                if format == OutputFormat::Csv {
                    row.push(r.path.join(" > "));
                }
                t.rows.push(row);
            }
            t
        })?;
    }
    if format == OutputFormat::Table {
        if rows.is_empty() {
            outln!("(no enterprise left after the filters)")?;
        } else {
            outln!("\nIntroduction paths (shortest; through tech managers, incubators, platforms, projects where possible):")?;
        }
        for (i, r) in rows.iter().enumerate() {
            if r.path.is_empty() {
                outln!("{:>3}. {}: no path from the source", i + 1, r.name)?;
            } else {
                outln!(
                    "{:>3}. {}",
                    i + 1,
                    path_text(&r.path_names, &r.path_edges, &r.path_forward)
                )?;
            }
        }
    }
    if format == OutputFormat::Table || (args.model && format != OutputFormat::Json) {
        report_model(&outcome, args.model)?;
    }
    Ok(0)
}

/// What ranked, on standard error (the model cards on standard output with `--model`).
fn report_model(outcome: &PartnersOutcome, cards: bool) -> Result<()> {
    if let Some(note) = &outcome.note {
        eprintln!("note: {note}");
    }
    for m in &outcome.models {
        if cards {
            outln!("\nLearned for {} → enterprise ties:", m.kind)?;
            print_model_card(&m.report)?;
        } else {
            eprintln!(
                "learned for {} ({}): {}",
                outcome.actors.join(", "),
                m.kind,
                footer(&m.report, "partners")
            );
        }
    }
    Ok(())
}
