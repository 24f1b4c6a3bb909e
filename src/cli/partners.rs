//! The researcher and planner queries `partners`, `path`, `brokers` and `match`: turn
//! arguments into requests and render the answers.

use std::io::Write;

use anyhow::Result;

use super::args::{BrokersArgs, MatchArgs, OutputFormat, PartnersArgs, PathArgs};
use super::output::{emit, Table};
use crate::query::{self, BrokersRequest, MatchRequest, PartnersRequest, PathView, QueryError};
use crate::store::Store;

fn f3(x: f64) -> String {
    format!("{x:.3}")
}

/// A path as text: `name —kind→ name ←kind— name` (arrows follow the edges' direction).
fn path_text(names: &[String], edges: &[String], forward: &[Option<bool>]) -> String {
    let mut text = names.first().cloned().unwrap_or_default();
    for (i, name) in names.iter().enumerate().skip(1) {
        let kind = &edges[i - 1];
        text.push_str(&match forward[i - 1] {
            Some(true) => format!(" —{kind}→ "),
            Some(false) => format!(" ←{kind}— "),
            None => format!(" —{kind}— "),
        });
        text.push_str(name);
    }
    text
}

/// `innograph partners ID`.
pub fn partners(store: &Store, args: PartnersArgs) -> Result<i32> {
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
        println!(
            "Partner firms for {} ({}, {}); score = 0.5·pagerank + 0.3·field + 0.2·proximity{}\n",
            snapshot.node_name(v),
            args.id,
            snapshot.node_kind(v),
            if args.include_existing {
                "; existing partners marked *"
            } else {
                "; existing partners left out"
            }
        );
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
            println!("(no enterprise left after the filters)");
        } else {
            println!("\nIntroduction paths (shortest; through tech managers, incubators, platforms, projects where possible):");
        }
        for (i, r) in rows.iter().enumerate() {
            if r.path.is_empty() {
                println!("{:>3}. {}: no path from the source", i + 1, r.name);
            } else {
                println!(
                    "{:>3}. {}",
                    i + 1,
                    path_text(&r.path_names, &r.path_edges, &r.path_forward)
                );
            }
        }
    }
    Ok(0)
}

/// `innograph path FROM TO`.
pub fn path(store: &Store, args: PathArgs) -> Result<i32> {
    let snapshot = store.snapshot()?;
    let paths: Vec<PathView> = query::paths(
        &snapshot,
        &store.schema(),
        &args.from,
        &args.to,
        args.k,
        args.with_attributes,
    )?;
    match args.format.format {
        OutputFormat::Json => {
            let value: Vec<serde_json::Value> = paths
                .iter()
                .map(|p| {
                    serde_json::json!({"length": p.length, "nodes": p.nodes, "names": p.names,
                        "kinds": p.kinds, "edges": p.edges, "forward": p.forward})
                })
                .collect();
            emit(
                OutputFormat::Json,
                &serde_json::Value::Array(value),
                Table::default,
            )?;
        }
        OutputFormat::Csv => {
            let mut t = Table::new(&["path", "length", "step", "id", "name", "kind", "edge"]);
            for (i, p) in paths.iter().enumerate() {
                for j in 0..p.nodes.len() {
                    t.rows.push(vec![
                        (i + 1).to_string(),
                        p.length.to_string(),
                        j.to_string(),
                        p.nodes[j].clone(),
                        p.names[j].clone(),
                        p.kinds[j].clone(),
                        if j == 0 {
                            String::new()
                        } else {
                            p.edges[j - 1].clone()
                        },
                    ]);
                }
            }
            emit(OutputFormat::Csv, &serde_json::Value::Null, || t)?;
        }
        OutputFormat::Table => {
            if paths.is_empty() {
                println!("no path from {} to {}", args.from, args.to);
            }
            let mut out = std::io::stdout().lock();
            for (i, p) in paths.iter().enumerate() {
                writeln!(out, "{}. {} steps", i + 1, p.length)?;
                writeln!(out, "   {}", path_text(&p.names, &p.edges, &p.forward))?;
                writeln!(out, "   {}", p.nodes.join(" > "))?;
            }
        }
    }
    Ok(0)
}

/// `innograph brokers`.
pub fn brokers(store: &Store, args: BrokersArgs) -> Result<i32> {
    let between = match &args.between {
        None => None,
        Some(text) => {
            let parts: Vec<&str> = text.split(',').map(str::trim).collect();
            if parts.len() != 2 || parts.iter().any(|p| p.is_empty()) {
                return Err(QueryError::BadParameter(
                    "--between takes two kinds, e.g. university,enterprise".into(),
                )
                .into());
            }
            Some((parts[0].to_string(), parts[1].to_string()))
        }
    };
    let snapshot = store.snapshot()?;
    let report = query::brokers(
        &snapshot,
        &store.schema(),
        &BrokersRequest {
            directed: args.directed,
            between,
            kinds: args.kind,
            top: args.top,
            permutations: args.permutations,
            seed: args.seed,
        },
    )?;
    let format = args.format.format;
    if format == OutputFormat::Table {
        println!(
            "Brokerage on the {} ({}), groups = node kinds{}; z-scores from {} label permutations (seed {})\n",
            if report.directed {
                "organisations' directed ties"
            } else {
                "collab view"
            },
            if report.directed {
                "directed"
            } else {
                "undirected"
            },
            args.between
                .as_deref()
                .map(|b| format!("; only two-paths between {b}"))
                .unwrap_or_default(),
            report.permutations,
            args.seed
        );
    }
    emit(format, &report.to_json(), || {
        let mut headers: Vec<String> = ["id", "kind", "name", "constraint"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        headers.extend(report.roles.iter().cloned());
        headers.push("total".into());
        headers.extend(report.roles.iter().map(|r| format!("z_{r}")));
        let mut t = Table {
            headers,
            rows: Vec::new(),
        };
        for r in &report.rows {
            let mut row = vec![
                r.id.clone(),
                r.kind.clone(),
                r.name.clone(),
                r.constraint.map(f3).unwrap_or_default(),
            ];
            row.extend(r.counts.iter().map(u64::to_string));
            row.push(r.total.to_string());
            row.extend(
                r.z.iter()
                    .map(|z| z.map(|x| format!("{x:.2}")).unwrap_or_default()),
            );
            t.rows.push(row);
        }
        t
    })?;
    Ok(0)
}

/// `innograph match`.
pub fn matching(store: &Store, args: MatchArgs) -> Result<i32> {
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
        OutputFormat::Csv => {
            let mut t = Table::new(&[
                "field",
                "name",
                "demands",
                "matched",
                "unmatched",
                "unmatchable",
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
            emit(OutputFormat::Csv, &serde_json::Value::Null, || t)?;
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
            let mut t = Table::new(&[
                "field",
                "name",
                "demands",
                "matched",
                "unmatched",
                "no candidate",
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
            t.write_aligned(&mut out)?;
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
