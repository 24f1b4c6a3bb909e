//! `innograph export`: the whole graph as files `import` reads back.

use std::path::Path;

use anyhow::Result;

use super::output::outln;
use crate::ingest::{self, ExportFormat};
use crate::store::Store;

/// `innograph export --format jsonl|csv --out DIR`.
pub(super) fn export(store: &Store, format: &str, out: &Path) -> Result<i32> {
    let format = if format == "csv" {
        ExportFormat::Csv
    } else {
        ExportFormat::JsonLines
    };
    let summary = ingest::export(store, format, out)?;
    outln!(
        "exported {} nodes and {} edges to {}",
        summary.nodes,
        summary.edges,
        summary
            .files
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    Ok(0)
}
