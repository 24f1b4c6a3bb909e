//! `innograph path`: up to k shortest paths between two nodes.

use std::io::Write;

use anyhow::Result;

use super::args::{OutputFormat, PathArgs};
use super::output::outln;
use super::output::{emit, path_text, Table};
use crate::query::{self, PathRequest, PathView};
use crate::store::Store;

/// `innograph path FROM TO`.
pub(super) fn path(store: &Store, args: PathArgs) -> Result<i32> {
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
