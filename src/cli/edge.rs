//! `innograph edge delete`.

use anyhow::Result;

use super::output::outln;
use crate::model::EdgeId;
use crate::query;
use crate::query::Store;

/// `innograph edge delete SOURCE TARGET KIND [--key K]`; an undirected kind's endpoints may
/// be given in either order.
pub(super) fn delete(store: &Store, id: EdgeId) -> Result<i32> {
    let note = format!("edge delete {id}");
    let id = query::delete_edge(store, id, &note)?;
    outln!("deleted edge {id}")?;
    Ok(0)
}
