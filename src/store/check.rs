//! Verification of a store against its manifest: the `innograph check` command.

use std::collections::BTreeMap;

use super::codec::{self, record_hash};
use super::keys;
use super::snapshot::SnapshotBuilder;
use super::{edge_kind_names, node_kind_names, Result, Store};
use crate::model::{EdgeRecord, NodeRecord};

/// What `check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// The generation checked.
    pub generation: u64,
    /// Records read (every version, published or kept for undo).
    pub records_read: u64,
    /// Problems found, each saying exactly what is wrong.
    pub problems: Vec<String>,
    /// Whether the previous generation is kept and can be restored with `import --undo`.
    pub previous_available: bool,
}

impl CheckReport {
    /// Whether the store is sound.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

pub(super) fn check(store: &Store) -> Result<CheckReport> {
    let marker = store.marker();
    let manifest = &marker.current;
    let generation = manifest.generation;
    let mut report = CheckReport {
        generation,
        previous_available: marker.previous.is_some(),
        ..CheckReport::default()
    };

    // 1. Every stored version decodes, and every key is well-formed.
    for prefix in [keys::NODE, keys::EDGE] {
        for item in store.data.scan_prefix([prefix]) {
            let (k, v) = item?;
            report.records_read += 1;
            let Some((base, g)) = keys::split_versioned(&k) else {
                report
                    .problems
                    .push(format!("malformed record key {:?}", k.as_ref()));
                continue;
            };
            let ok = if prefix == keys::NODE {
                keys::decode_node_base(base).is_some()
                    && codec::decode::<Option<NodeRecord>>(&v, "node").is_ok()
            } else {
                keys::decode_edge_base(base).is_some()
                    && codec::decode::<Option<EdgeRecord>>(&v, "edge").is_ok()
            };
            if !ok {
                report.problems.push(format!(
                    "record {} (generation {g}) does not decode",
                    String::from_utf8_lossy(base)
                ));
            }
            if g > generation {
                report.problems.push(format!(
                    "record {} has unpublished generation {g}",
                    String::from_utf8_lossy(base)
                ));
            }
        }
    }

    // 2. Counts and checksum of the visible records agree with the manifest, and each
    //    record sits under the key its content implies.
    let mut node_kinds: BTreeMap<String, u64> = BTreeMap::new();
    let mut edge_kinds: BTreeMap<String, u64> = BTreeMap::new();
    let mut checksum = 0u64;
    let mut builder = SnapshotBuilder::new(
        generation,
        node_kind_names(&store.schema()),
        edge_kind_names(&store.schema()),
    );
    let mut snapshot_ok = true;
    for item in (super::VisibleIter {
        inner: store.data.scan_prefix([keys::NODE]),
        generation,
        held: None,
        done: false,
    }) {
        let (base, value) = item?;
        let Ok(Some(node)) = codec::decode::<Option<NodeRecord>>(&value, "node") else {
            continue;
        };
        if keys::node_base(&node.id) != base {
            report.problems.push(format!(
                "node `{}` is stored under the key of another id",
                node.id
            ));
        }
        checksum = checksum.wrapping_add(record_hash(&base, &value));
        *node_kinds.entry(node.kind.clone()).or_insert(0) += 1;
        if let Err(e) = builder.push_node(&node) {
            report.problems.push(format!("node `{}`: {e}", node.id));
            snapshot_ok = false;
        }
    }
    for item in (super::VisibleIter {
        inner: store.data.scan_prefix([keys::EDGE]),
        generation,
        held: None,
        done: false,
    }) {
        let (base, value) = item?;
        let Ok(Some(edge)) = codec::decode::<Option<EdgeRecord>>(&value, "edge") else {
            continue;
        };
        if keys::edge_base(&edge.id()) != base {
            report.problems.push(format!(
                "edge {} is stored under the key of another identity",
                edge.id()
            ));
        }
        checksum = checksum.wrapping_add(record_hash(&base, &value));
        *edge_kinds.entry(edge.kind.clone()).or_insert(0) += 1;
        if let Err(e) = builder.push_edge(&edge) {
            report.problems.push(format!("edge {}: {e}", edge.id()));
            snapshot_ok = false;
        }
    }
    if node_kinds != manifest.node_kinds {
        report.problems.push(format!(
            "node counts per kind {node_kinds:?} differ from the manifest's {:?}",
            manifest.node_kinds
        ));
    }
    if edge_kinds != manifest.edge_kinds {
        report.problems.push(format!(
            "edge counts per kind {edge_kinds:?} differ from the manifest's {:?}",
            manifest.edge_kinds
        ));
    }
    if checksum != manifest.checksum {
        report.problems.push(format!(
            "checksum of the visible records {checksum:016x} differs from the manifest's {:016x}",
            manifest.checksum
        ));
    }

    // 3. The stored snapshot equals one rebuilt from the records.
    match store.load_snapshot(generation, true) {
        Err(e) => report
            .problems
            .push(format!("snapshot of generation {generation}: {e}")),
        Ok(stored) => {
            if snapshot_ok {
                let rebuilt = builder.finish();
                if rebuilt != stored {
                    report.problems.push(format!(
                        "snapshot of generation {generation} does not match the records \
                         ({} nodes / {} edges stored, {} / {} in the records)",
                        stored.node_count(),
                        stored.edge_count(),
                        rebuilt.node_count(),
                        rebuilt.edge_count()
                    ));
                }
            }
            let header = store.snaps.get(keys::snapshot_part(
                generation,
                super::snapshot::HEADER_PART,
            ))?;
            if let Some(h) = header {
                if let Ok(h) = codec::decode::<super::snapshot::SnapshotHeader>(&h, "header") {
                    if h.checksum() != manifest.snapshot_checksum {
                        report.problems.push(format!(
                            "snapshot checksum {:016x} differs from the manifest's {:016x}",
                            h.checksum(),
                            manifest.snapshot_checksum
                        ));
                    }
                }
            }
        }
    }

    // 4. Nothing unpublished is left behind.
    if store
        .log
        .range(keys::log_prefix(generation + 1)..keys::log_prefix(u64::MAX))
        .next()
        .is_some()
    {
        report
            .problems
            .push("change log holds entries of an unpublished generation".into());
    }
    if let Some(prev) = &marker.previous {
        if store.load_snapshot(prev.generation, false).is_err() {
            report.problems.push(format!(
                "the previous generation {} has no readable snapshot",
                prev.generation
            ));
        }
    }
    Ok(report)
}
