//! `innograph stats`: node and edge counts per kind.

use anyhow::Result;

use super::args::OutputFormat;
use super::output::{emit, Table};
use crate::query;
use crate::query::Store;

/// `innograph stats`.
pub(super) fn stats(store: &Store, format: OutputFormat) -> Result<i32> {
    let stats = query::stats(store);
    emit(format, &serde_json::to_value(&stats)?, || {
        let mut t = Table::new(&["what", "kind", "count"]);
        for (k, n) in &stats.nodes {
            t.rows.push(vec!["node".into(), k.clone(), n.to_string()]);
        }
        for (k, n) in &stats.edges {
            t.rows.push(vec!["edge".into(), k.clone(), n.to_string()]);
        }
        t
    })?;
    Ok(0)
}
