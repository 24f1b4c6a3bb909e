//! The overview a first run prints: counts per kind and the best-connected organisations of
//! each organisation kind.

use serde::Serialize;

use super::QueryError;
use crate::store::Store;

/// How many hubs the overview shows per organisation kind.
pub const HUBS_PER_KIND: usize = 3;

/// A best-connected organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hub {
    /// Organisation kind.
    pub kind: String,
    /// Node id.
    pub id: String,
    /// Name as written.
    pub name: String,
    /// English name, or null.
    pub name_en: Option<String>,
    /// Edge records touching it.
    pub degree: usize,
}

/// The `per_kind` organisations of each organisation kind with the most edge records
/// touching them (ties by id), kinds in schema order.
pub fn hubs(store: &Store, per_kind: usize) -> Result<Vec<Hub>, QueryError> {
    let snapshot = store.snapshot()?;
    let schema = store.schema();
    let mut hubs = Vec::new();
    for kind in schema.organisation_kinds() {
        let Some(code) = snapshot.node_kind_code_of(kind) else {
            continue;
        };
        let mut members: Vec<(usize, u32)> = (0..snapshot.node_count() as u32)
            .filter(|&v| snapshot.node_kind_code(v) == code)
            .map(|v| (snapshot.degree(v), v))
            .collect();
        members.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(degree, v) in members.iter().take(per_kind) {
            hubs.push(Hub {
                kind: kind.to_string(),
                id: snapshot.node_id(v).to_string(),
                name: snapshot.node_name(v).to_string(),
                name_en: snapshot.node_name_en(v).map(str::to_string),
                degree,
            });
        }
    }
    Ok(hubs)
}
