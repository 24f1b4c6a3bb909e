//! `innograph connect A B C …`: the fewest intermediaries that tie a group together.

use anyhow::Result;

use super::args::{ConnectArgs, OutputFormat};
use super::output::outln;
use super::output::{emit, Table};
use crate::query::Store;
use crate::query::{self, ConnectRequest};

/// `innograph connect ID ID… [--with-attributes]`.
pub(super) fn connect(store: &Store, args: ConnectArgs) -> Result<i32> {
    let snapshot = store.snapshot()?;
    let found = query::connect(
        &snapshot,
        &store.schema(),
        &ConnectRequest {
            ids: args.ids.clone(),
            with_attributes: args.with_attributes,
        },
    )?;
    let name = |id: &str| {
        snapshot
            .node_index(id)
            .map_or(String::new(), |v| snapshot.node_name(v).to_string())
    };
    let format = args.format.format;
    if format == OutputFormat::Table {
        outln!(
            "{} nodes tied with {} intermediaries and {} ties (approximate Steiner tree, full view):",
            args.ids.len(),
            found.intermediaries.len(),
            found.edges.len()
        )?;
        for id in &found.intermediaries {
            outln!("  {id}  {}", name(id))?;
        }
        outln!()?;
    }
    emit(format, &serde_json::to_value(&found)?, || {
        let mut t = Table::new(&["a", "a_name", "b", "b_name"]);
        for [a, b] in &found.edges {
            t.rows.push(vec![a.clone(), name(a), b.clone(), name(b)]);
        }
        t
    })?;
    Ok(0)
}
