//! `innograph export`: the graph as files `import` reads back (jsonl, csv) or other tools
//! open (graphml, gexf, parquet, neo4j), optionally with scores and restricted to a view.

use std::path::Path;

use anyhow::Result;

use super::args::{ExportArgs, ViewArg, ViewArgs, WeightArg};
use super::output::outln;
use super::progress::{interrupt_flag, TerminalObserver};
use super::values::UsageError;
use crate::ingest::formats::GraphFormat;
use crate::ingest::{self, ExportFormat};
use crate::query::Store;
use crate::query::{self, GraphExportRequest, QueryError};

/// Whether any view option differs from its default.
fn view_given(v: &ViewArgs) -> bool {
    v.view != ViewArg::Full
        || v.with_attributes
        || v.directed
        || v.weight != WeightArg::Count
        || v.years.is_some()
        || !v.field.is_empty()
        || !v.district.is_empty()
        || !v.kind.is_empty()
}

/// `innograph export --format F --out DIR [--with ALGO,…] [view options]`.
pub(super) fn export(store: &Store, args: ExportArgs) -> Result<i32> {
    let graph_format = match args.format.as_str() {
        "graphml" => Some(GraphFormat::GraphMl),
        "gexf" => Some(GraphFormat::Gexf),
        "parquet" => Some(GraphFormat::Parquet),
        "neo4j" => Some(GraphFormat::Neo4j),
        _ => None,
    };
    let (files, nodes, edges) = match graph_format {
        None => {
            if !args.with.is_empty() || view_given(&args.view) {
                return Err(UsageError(format!(
                    "--format {} writes every record, for `import`; --with and the view options \
                     apply to graphml, gexf, parquet and neo4j",
                    args.format
                ))
                .into());
            }
            let format = if args.format == "csv" {
                ExportFormat::Csv
            } else {
                ExportFormat::JsonLines
            };
            let s = ingest::export(store, format, &args.out)?;
            (s.files, s.nodes, s.edges)
        }
        Some(format) => {
            let request = GraphExportRequest {
                format,
                analysis: super::centrality::request(args.with, &args.view, &args.params, None)?,
                restrict_to_view: view_given(&args.view),
            };
            let observer = TerminalObserver::new(interrupt_flag());
            let result = query::export_graph_files(store, &args.out, &request, &observer);
            observer.bar.finish();
            let s = match result {
                Err(QueryError::Cancelled) => {
                    eprintln!("cancelled; the export is incomplete");
                    return Ok(130);
                }
                other => other?,
            };
            (s.files, s.nodes, s.edges)
        }
    };
    outln!(
        "exported {nodes} nodes and {edges} edges to {}",
        files
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    if let Some(readme) = files.iter().find(|p| p.ends_with("README.md")) {
        outln!("the import command is in {}", Path::new(readme).display())?;
    }
    Ok(0)
}
