//! `innograph partners`: the firms a university, institute, achievement, tech manager or
//! field should approach, with score parts and introduction paths.

use anyhow::Result;

use super::args::{OutputFormat, PartnersArgs};
use super::output::outln;
use super::output::{emit, f3, path_text, Table};
use crate::query::{self, PartnersRequest};
use crate::store::Store;

/// `innograph partners ID`.
pub(super) fn partners(store: &Store, args: PartnersArgs) -> Result<i32> {
    let snapshot = store.snapshot()?;
    let rows = query::partners(
        &snapshot,
        &store.schema(),
        &PartnersRequest {
            source: args.id.clone(),
            top: args.top,
            include_existing: args.include_existing,
            fields: args.field,
            districts: args.district,
        },
    )?;
    let format = args.format.format;
    if format == OutputFormat::Table {
        let v = snapshot.node_index(&args.id).unwrap_or(0);
        outln!(
            "Partner firms for {} ({}, {}); score = 0.5·pagerank + 0.3·field + 0.2·proximity{}\n",
            snapshot.node_name(v),
            args.id,
            snapshot.node_kind(v),
            if args.include_existing {
                "; existing partners marked *"
            } else {
                "; existing partners left out"
            }
        )?;
    }
    emit(format, &serde_json::to_value(&rows)?, || {
        let mut headers = vec!["#", "id", "name", "score", "pagerank", "field", "hops"];
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
                f3(c.pagerank),
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
    Ok(0)
}
