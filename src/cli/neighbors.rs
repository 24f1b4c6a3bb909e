//! `innograph neighbors`: nodes within some steps of a node.

use anyhow::Result;

use super::args::OutputFormat;
use super::output::{emit, node_table};
use crate::query::Store;
use crate::query::{self, NeighborOptions};

/// `innograph neighbors ID [--depth D] [--edge-kind K…] [--limit N]`.
pub(super) fn neighbors(
    store: &Store,
    id: &str,
    options: &NeighborOptions,
    format: OutputFormat,
) -> Result<i32> {
    let nodes = query::neighbors(store, id, options)?;
    emit(format, &serde_json::to_value(&nodes)?, || {
        node_table(&nodes)
    })?;
    Ok(0)
}
