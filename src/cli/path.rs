//! `innograph path`: up to k shortest paths between two nodes.

use std::io::Write;

use anyhow::Result;

use super::args::{OutputFormat, PathArgs};
use super::output::outln;
use super::output::{emit, path_text, Table};
use crate::query::Store;
use crate::query::{self, PathRequest, PathView, RobustRequest};

/// `innograph path FROM TO [--k K | --robust]`.
pub(super) fn path(store: &Store, args: PathArgs) -> Result<i32> {
    if args.robust {
        return robust(store, args);
    }
    let snapshot = store.snapshot()?;
    let paths: Vec<PathView> = query::paths(
        &snapshot,
        &store.schema(),
        &PathRequest {
            from: args.from.clone(),
            to: args.to.clone(),
            k: args.k,
            with_attributes: args.with_attributes,
        },
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
        format @ (OutputFormat::Csv | OutputFormat::Md) => {
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
            emit(format, &serde_json::Value::Null, || t)?;
        }
        OutputFormat::Table => {
            if paths.is_empty() {
                outln!("no path from {} to {}", args.from, args.to)?;
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

/// `innograph path FROM TO --robust [--directed]`: the edge-disjoint routes.
fn robust(store: &Store, args: PathArgs) -> Result<i32> {
    let snapshot = store.snapshot()?;
    let found = query::robust_paths(
        &snapshot,
        &store.schema(),
        &RobustRequest {
            from: args.from.clone(),
            to: args.to.clone(),
            with_attributes: args.with_attributes,
            directed: args.directed,
        },
    )?;
    let name = |id: &str| {
        snapshot
            .node_index(id)
            .map_or(id.to_string(), |v| snapshot.node_name(v).to_string())
    };
    let format = args.format.format;
    if format == OutputFormat::Table {
        outln!(
            "{} introduction(s) from {} to {} share no tie{}:",
            found.edge_disjoint_paths,
            args.from,
            args.to,
            if found.edge_disjoint_paths == 1 {
                " (it hangs on every tie along it)"
            } else {
                ""
            }
        )?;
        let mut out = std::io::stdout().lock();
        for (i, p) in found.paths.iter().enumerate() {
            let names: Vec<String> = p.iter().map(|id| name(id)).collect();
            writeln!(
                out,
                "{:>3}. {} steps: {}",
                i + 1,
                p.len() - 1,
                names.join(" > ")
            )?;
        }
        return Ok(0);
    }
    emit(format, &serde_json::to_value(&found)?, || {
        let mut t = Table::new(&["path", "step", "id", "name"]);
        for (i, p) in found.paths.iter().enumerate() {
            for (j, id) in p.iter().enumerate() {
                t.rows.push(vec![
                    (i + 1).to_string(),
                    j.to_string(),
                    id.clone(),
                    name(id),
                ]);
            }
        }
        t
    })?;
    Ok(0)
}
