//! The generation marker and manifests: the one small value whose atomic write publishes a
//! generation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What a published generation holds: record counts, a checksum over its visible records,
/// and the checksum of its analysis snapshot. `innograph check` recomputes all of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The generation number.
    pub generation: u64,
    /// Visible nodes.
    pub nodes: u64,
    /// Visible edges.
    pub edges: u64,
    /// Visible nodes per kind.
    pub node_kinds: BTreeMap<String, u64>,
    /// Visible edges per kind.
    pub edge_kinds: BTreeMap<String, u64>,
    /// Wrapping sum of the hashes of the visible records (see `codec::record_hash`).
    pub checksum: u64,
    /// Checksum of the snapshot written with this generation.
    pub snapshot_checksum: u64,
    /// What produced the generation (e.g. `import a.csv b.csv`).
    pub note: String,
    /// When it was published, seconds since the Unix epoch.
    pub unix_time: u64,
}

impl Manifest {
    /// The manifest of an empty database.
    pub fn empty() -> Manifest {
        Manifest {
            generation: 0,
            nodes: 0,
            edges: 0,
            node_kinds: BTreeMap::new(),
            edge_kinds: BTreeMap::new(),
            checksum: 0,
            snapshot_checksum: 0,
            note: "init".into(),
            unix_time: now(),
        }
    }
}

/// The generation marker: which generation is published, and the one before it, kept
/// until the next publication so that the last write can be undone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    /// The published generation.
    pub current: Manifest,
    /// The generation before it, while it can still be restored.
    pub previous: Option<Manifest>,
    /// The number the next write will use (generations are never reused).
    pub next_generation: u64,
    /// Whether history older than `previous` has been pruned since `current` was published.
    pub pruned: bool,
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
