//! Verification of a store against its manifest: the `innograph check` command.

use std::collections::BTreeMap;

use super::builder::SnapshotBuilder;
use super::log::{change_key, log_key};
use super::names;
use super::page;
use super::pages::{split_page_key, Pages};
use super::record::{self, EDGE, NODE};
use super::snapfile::{self, BaseFile};
use super::{edge_kind_names, node_kind_names, Result, Store};

/// What `check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// The generation checked.
    pub generation: u64,
    /// Records read (in every stored page version, published or kept for undo).
    pub records_read: u64,
    /// Problems found, each saying exactly what is wrong.
    pub problems: Vec<String>,
    /// Whether the previous generation is kept and can be restored with `import --undo`.
    pub previous_available: bool,
    /// What was found that is not a problem but a user may want to know (a snapshot base
    /// without the name index, for one).
    pub notes: Vec<String>,
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

    // 1. Every stored page version decodes, and nothing is newer than the published
    //    generation.
    for item in store.pages.tree().iter() {
        let (k, v) = item?;
        let Some((lo, g)) = split_page_key(&k) else {
            report.problems.push(format!(
                "malformed page key {:?}",
                String::from_utf8_lossy(&k)
            ));
            continue;
        };
        match page::decode(&v) {
            Ok(entries) => report.records_read += entries.len() as u64,
            Err(_) => report.problems.push(format!(
                "page {} (generation {g}) does not decode",
                String::from_utf8_lossy(lo)
            )),
        }
        if g > generation {
            report.problems.push(format!(
                "page {} has unpublished generation {g}",
                String::from_utf8_lossy(lo)
            ));
        }
    }

    // 2. The visible records: each decodes, lies in its page's range, and their counts
    //    and digest agree with the manifest; the snapshot is rebuilt from them.
    let schema = store.schema();
    let mut builder = SnapshotBuilder::new(
        generation,
        node_kind_names(&schema),
        edge_kind_names(&schema),
    );
    let mut snapshot_ok = true;
    let mut node_kinds: BTreeMap<String, u64> = BTreeMap::new();
    let mut edge_kinds: BTreeMap<String, u64> = BTreeMap::new();
    let mut checksum = 0u64;
    for kind in [NODE, EDGE] {
        visit_visible(
            &store.pages,
            kind,
            generation,
            &mut report.problems,
            |key, body, problems| {
                let digest = match record::digest(key, body) {
                    Ok(d) => d,
                    Err(e) => return problems.push(e.to_string()),
                };
                if kind == NODE {
                    match record::decode_node(key, body) {
                        Err(e) => {
                            problems.push(format!("node {}: {e}", String::from_utf8_lossy(key)))
                        }
                        Ok(node) => {
                            *node_kinds.entry(node.kind.clone()).or_insert(0) += 1;
                            checksum = checksum.wrapping_add(digest);
                            if let Err(e) = builder.push_node(&node) {
                                problems.push(format!("node `{}`: {e}", node.id));
                                snapshot_ok = false;
                            }
                        }
                    }
                } else {
                    match record::decode_edge(key, body) {
                        Err(e) => {
                            problems.push(format!("edge {}: {e}", String::from_utf8_lossy(key)))
                        }
                        Ok(edge) => {
                            *edge_kinds.entry(edge.kind.clone()).or_insert(0) += 1;
                            checksum = checksum.wrapping_add(digest);
                            if let Err(e) = builder.push_edge(&edge) {
                                problems.push(format!("edge {}: {e}", edge.id()));
                                snapshot_ok = false;
                            }
                        }
                    }
                }
            },
        )?;
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

    // 3. The snapshot (base file plus delta) equals the one rebuilt from the records.
    let base_path = store
        .layout
        .snapshots()
        .join(snapfile::file_name(manifest.base));
    match BaseFile::open(&base_path) {
        Err(e) => report.problems.push(format!(
            "snapshot base of generation {}: {e}",
            manifest.base
        )),
        Ok(file) => {
            if file.header().checksum() != manifest.snapshot_checksum {
                report.problems.push(format!(
                    "snapshot base checksum {:016x} differs from the manifest's {:016x}",
                    file.header().checksum(),
                    manifest.snapshot_checksum
                ));
            }
            if !names::present(&file) {
                report.notes.push(format!(
                    "the snapshot base of generation {} has no name index (written by an \
                     older innograph, or the index could not be built): search normalises \
                     every name as it reads them, which is slower; the next base a write \
                     folds, or `innograph compact`, writes the index",
                    manifest.base
                ));
            }
            match names::verify(&file) {
                Ok(None) => {}
                Ok(Some(problem)) => report.problems.push(format!(
                    "snapshot base of generation {}: {problem}",
                    manifest.base
                )),
                Err(e) => report.problems.push(format!(
                    "snapshot base of generation {}: name index: {e}",
                    manifest.base
                )),
            }
        }
    }
    match store.load_snapshot(manifest) {
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
        }
    }

    // 4. Nothing unpublished is left behind, and the previous generation can be loaded.
    if store
        .log
        .range(log_key(generation + 1, 0)..)
        .next()
        .is_some()
        || store
            .changes
            .range(change_key(generation + 1, 0)..)
            .next()
            .is_some()
    {
        report
            .problems
            .push("the change log holds entries of an unpublished generation".into());
    }
    if let Some(prev) = &marker.previous {
        if let Err(e) = store.load_snapshot(prev) {
            report.problems.push(format!(
                "the previous generation {} has no loadable snapshot: {e}",
                prev.generation
            ));
        }
    }
    Ok(report)
}

/// Calls `visit` with every visible record of a kind, in key order, after checking that
/// each page's records are sorted and inside its range.
fn visit_visible(
    pages: &Pages,
    kind: u8,
    generation: u64,
    problems: &mut Vec<String>,
    mut visit: impl FnMut(&[u8], &[u8], &mut Vec<String>),
) -> Result<()> {
    let mut previous_key: Option<Vec<u8>> = None;
    for item in pages.visible(kind, generation) {
        let (lo, bytes) = item?;
        let Ok(entries) = page::decode(&bytes) else {
            continue; // reported by the version scan
        };
        for e in entries {
            if e.key.as_slice() < lo.as_slice() || e.key.first() != Some(&kind) {
                problems.push(format!(
                    "record {} lies outside its page {}",
                    String::from_utf8_lossy(&e.key),
                    String::from_utf8_lossy(&lo)
                ));
            }
            if previous_key.as_ref().is_some_and(|p| *p >= e.key) {
                problems.push(format!(
                    "record {} is out of order",
                    String::from_utf8_lossy(&e.key)
                ));
                continue;
            }
            visit(&e.key, &e.body, problems);
            previous_key = Some(e.key);
        }
    }
    Ok(())
}
