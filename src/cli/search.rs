//! `innograph search`: nodes by name.

use anyhow::Result;

use super::args::OutputFormat;
use super::output::{emit, node_table};
use crate::query;
use crate::query::Store;

/// `innograph search TEXT [--kind K] [--limit N]`.
pub(super) fn search(
    store: &Store,
    text: &str,
    kind: Option<&str>,
    limit: usize,
    format: OutputFormat,
) -> Result<i32> {
    let nodes = query::search(store, text, kind, limit)?;
    emit(format, &serde_json::to_value(&nodes)?, || {
        node_table(&nodes)
    })?;
    Ok(0)
}
