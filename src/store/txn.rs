//! Write transactions. A write stages its records ([`super::runs`]); commit merges them,
//! in key order, into the pages of the published generation ([`super::cursor`]), writing
//! new page versions under a new generation, and records what changed: as change entries
//! (a small write: O(change)) or, past the fold threshold, as a new snapshot base derived
//! from the previous snapshot plus the changes in the same pass (never a rescan). Then it
//! makes everything durable and publishes the generation by one marker write. Nothing a
//! write stages is visible before that write; a write that fails, is interrupted or
//! changes nothing publishes nothing and does not use up a generation number.

use std::collections::BTreeMap;
use std::fs::File;
use std::sync::{Arc, MutexGuard};

use super::cursor::Cursor;
use super::delta::Change;
use super::graph::Snapshot;
use super::log::{ChangeLog, PageLog};
use super::manifest::{clip_note, now, Manifest, Marker};
use super::record::{self, EDGE, NODE};
use super::runs::Staging;
use super::{maintenance, snapfile, Result, Store, StoreError, FORMAT_VERSION};
use crate::model::{EdgeId, EdgeRecord, NodeRecord};

/// Point look-ups of stored node kinds a write makes before it loads the whole snapshot
/// instead (a bulk import validating many edges).
const POINT_LOOKUPS: u32 = 2_048;

/// The delta (change entries since the last snapshot base) above which a write folds it
/// into a new base: at least this many records...
pub(super) const FOLD_MIN_RECORDS: u64 = 4_096;
/// ...or this fraction (1 / n) of the graph, whichever is larger.
const FOLD_FRACTION: u64 = 50;

/// Whether a write of `staged` records on top of `manifest` writes a new snapshot base.
pub(super) fn folds(manifest: &Manifest, staged: u64) -> bool {
    let threshold = FOLD_MIN_RECORDS.max((manifest.nodes + manifest.edges) / FOLD_FRACTION);
    manifest.delta_records + staged > threshold
}

/// What a write did to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    /// The record did not exist.
    Inserted,
    /// The record existed with other content.
    Updated,
    /// The record existed with the same content; nothing was written.
    Unchanged,
    /// The record was deleted.
    Deleted,
    /// There was nothing to delete.
    Absent,
}

/// Summary of a committed write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitSummary {
    /// The manifest after the write (the previous one when nothing changed).
    pub manifest: Manifest,
    /// Records written (inserted, updated or deleted).
    pub written: u64,
    /// Records that were new.
    pub inserted: u64,
    /// Records that replaced different content.
    pub updated: u64,
    /// Records deleted.
    pub deleted: u64,
    /// Records staged with the content they already had.
    pub unchanged: u64,
}

/// Where a rebuilt store's single generation comes from (migration, compaction): its
/// number, note and time are kept, it folds into a base, and it keeps no previous one.
#[derive(Debug, Clone)]
pub(super) struct Origin {
    /// The generation number to publish.
    pub generation: u64,
    /// Its note.
    pub note: String,
    /// Its publication time.
    pub unix_time: u64,
    /// The next generation number after it.
    pub next_generation: u64,
}

/// A write in progress. Nothing it stages is visible to readers until [`WriteTxn::commit`];
/// dropping it without committing discards everything staged.
pub struct WriteTxn<'s> {
    store: &'s Store,
    _guard: MutexGuard<'s, ()>,
    _writer: File,
    generation: u64,
    base: Manifest,
    note: String,
    staging: Staging,
    point_lookups: u32,
    published_snapshot: Option<Arc<Snapshot>>,
    origin: Option<Origin>,
    finished: bool,
}

impl<'s> WriteTxn<'s> {
    pub(super) fn begin(
        store: &'s Store,
        guard: MutexGuard<'s, ()>,
        writer: File,
        note: &str,
        origin: Option<Origin>,
    ) -> Result<WriteTxn<'s>> {
        let marker = store.marker();
        let generation = origin
            .as_ref()
            .map_or(marker.next_generation, |o| o.generation);
        Ok(WriteTxn {
            store,
            _guard: guard,
            _writer: writer,
            generation,
            base: marker.current,
            note: clip_note(note),
            staging: Staging::new(&store.layout.tmp(), &format!("g{generation:016x}")),
            point_lookups: 0,
            published_snapshot: None,
            origin,
            finished: false,
        })
    }

    /// The generation this write will publish.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The store being written.
    pub fn store(&self) -> &Store {
        self.store
    }

    /// Inserts or replaces a node.
    pub fn put_node(&mut self, node: &NodeRecord) -> Result<()> {
        let e = record::encode_node(node)?;
        self.staging.put(e.key, Some(e.body))
    }

    /// Inserts or replaces an edge (identity: source, target, kind, key).
    pub fn put_edge(&mut self, edge: &EdgeRecord) -> Result<()> {
        let e = record::encode_edge(edge)?;
        self.staging.put(e.key, Some(e.body))
    }

    /// The body of `key` as this write sees it (staged, else published).
    fn current(&mut self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        match self.staging.get(key)? {
            Some(staged) => Ok(staged),
            None => self.store.pages.get(key, self.base.generation),
        }
    }

    /// Deletes an edge.
    pub fn delete_edge(&mut self, id: &EdgeId) -> Result<WriteOutcome> {
        let key = record::edge_key(id);
        if self.current(&key)?.is_none() {
            return Ok(WriteOutcome::Absent);
        }
        self.staging.put(key, None)?;
        Ok(WriteOutcome::Deleted)
    }

    /// Deletes a node and every published edge touching it. Returns the outcome and the
    /// number of edges deleted with it. (Edges staged by this same write that touch the
    /// node make the commit fail with [`StoreError::DanglingEdge`].)
    pub fn delete_node(&mut self, id: &str) -> Result<(WriteOutcome, usize)> {
        let key = record::node_key(id);
        if self.current(&key)?.is_none() {
            return Ok((WriteOutcome::Absent, 0));
        }
        let incident = self.store.catalog_at(&self.base)?.incident_edges(id)?;
        let mut deleted = 0;
        for e in &incident {
            if self.delete_edge(e)? == WriteOutcome::Deleted {
                deleted += 1;
            }
        }
        self.staging.put(key, None)?;
        Ok((WriteOutcome::Deleted, deleted))
    }

    /// The node as this write currently sees it (staged or published).
    pub fn node(&mut self, id: &str) -> Result<Option<NodeRecord>> {
        let key = record::node_key(id);
        self.current(&key)?
            .map(|body| record::decode_node(&key, &body))
            .transpose()
    }

    /// The kind of node `id` in the published generation this write commits onto (not
    /// counting what the write itself staged): what validation checks new records
    /// against. Point look-ups at first; the whole snapshot once there are many.
    pub fn stored_node_kind(&mut self, id: &str) -> Result<Option<String>> {
        if self.base.nodes == 0 {
            return Ok(None);
        }
        if self.published_snapshot.is_none() && self.point_lookups < POINT_LOOKUPS {
            self.point_lookups += 1;
            let body = self
                .store
                .pages
                .get(&record::node_key(id), self.base.generation)?;
            return Ok(body.and_then(|b| record::node_body_kind(&b).map(str::to_string)));
        }
        let snapshot = match &self.published_snapshot {
            Some(s) => Arc::clone(s),
            None => {
                let s = self.store.snapshot_of(&self.base)?;
                self.published_snapshot = Some(Arc::clone(&s));
                s
            }
        };
        Ok(snapshot
            .node_index(id)
            .map(|v| snapshot.node_kind(v).to_string()))
    }

    /// Records staged so far (an upper bound of what the write changes).
    pub fn staged(&self) -> u64 {
        self.staging.len()
    }

    /// Publishes everything staged as one new generation. If nothing changed, nothing is
    /// published and the current manifest is returned.
    pub fn commit(self) -> Result<CommitSummary> {
        self.commit_with(&|| false)
    }

    /// [`WriteTxn::commit`], polling `interrupted` while it merges: when it says so, the
    /// write stops and publishes nothing ([`StoreError::Interrupted`]).
    pub fn commit_with(mut self, interrupted: &dyn Fn() -> bool) -> Result<CommitSummary> {
        self.finished = true;
        let result = self.publish(interrupted);
        // A generation the marker names is published, whatever failed after: it is never
        // discarded (see `Store::publish`).
        if result.is_err() && self.store.generation() != self.generation {
            // Leave the store as it was: the generation was never published. What cannot
            // be removed now is removed by recovery on the next open.
            if let Err(e) = maintenance::discard_generation(self.store, self.generation) {
                tracing::warn!(error = %e, "could not discard a failed write; the next open will");
            }
        }
        self.staging.clear();
        result
    }

    fn publish(&mut self, interrupted: &dyn Fn() -> bool) -> Result<CommitSummary> {
        let store = self.store;
        let generation = self.generation;
        let base = self.base.clone();
        let mut summary = CommitSummary {
            manifest: base.clone(),
            written: 0,
            inserted: 0,
            updated: 0,
            deleted: 0,
            unchanged: 0,
        };
        if self.staging.is_empty() {
            return Ok(summary);
        }
        crate::store::fail::failpoint!("commit.begin");
        let fold = self.origin.is_some() || folds(&base, self.staging.len());
        let previous_snapshot = if fold {
            Some(match self.published_snapshot.take() {
                Some(s) => s,
                None => store.snapshot_of(&base)?,
            })
        } else {
            None
        };
        let stream = self.staging.drain()?;
        let mut page_log = PageLog::new(store.pages.tree(), &store.log, generation);
        let mut cursor = Cursor::new(&store.pages, base.generation, generation);
        let mut tally = Tally::new(&base);
        let mut steps = 0u64;
        let mut apply = |item: Result<(Vec<u8>, Option<Vec<u8>>)>| -> Result<Option<Change>> {
            let (key, new) = item?;
            steps += 1;
            if steps % 4_096 == 0 && interrupted() {
                return Err(StoreError::Interrupted);
            }
            let old = cursor.get(&key, &mut page_log)?;
            if old == new.as_deref() {
                tally.unchanged += 1;
                return Ok(None);
            }
            tally.record(&key, old, new.as_deref())?;
            cursor.set(&key, new.clone(), &mut page_log)?;
            Ok(Some(Change { key, body: new }))
        };
        let mut changes = ChangeLog::new(&store.changes, generation);
        let mut touched = Touched::default();
        let new_snapshot = match &previous_snapshot {
            Some(previous) => {
                let iter = stream.filter_map(|item| apply(item).transpose());
                Some(previous.apply(generation, iter)?)
            }
            None => {
                for item in stream {
                    if let Some(change) = apply(item)? {
                        touched.note(&change);
                        changes.push(&change.key, change.body.as_deref())?;
                    }
                }
                None
            }
        };
        cursor.finish(&mut page_log)?;
        page_log.flush()?;
        changes.flush()?;
        summary.unchanged = tally.unchanged;
        if tally.changed() == 0 {
            return Ok(summary);
        }
        if new_snapshot.is_none() {
            touched.check(store, &base, generation)?;
        }
        let (snapshot_base, snapshot_checksum, delta_records) = match &new_snapshot {
            Some(snap) => {
                let header = snapfile::write(&store.layout.snapshots(), snap, FORMAT_VERSION)?;
                (generation, header.checksum(), 0)
            }
            None => (
                base.base,
                base.snapshot_checksum,
                base.delta_records + changes.count,
            ),
        };
        let mut manifest = tally.manifest(
            generation,
            snapshot_base,
            snapshot_checksum,
            delta_records,
            &self.note,
        )?;
        if let Some(origin) = &self.origin {
            manifest.note = origin.note.clone();
            manifest.unix_time = origin.unix_time;
        }
        if let Some(snap) = &new_snapshot {
            if manifest.nodes != snap.node_count() as u64
                || manifest.edges != snap.edge_count() as u64
            {
                return Err(StoreError::Corrupt(format!(
                    "counts disagree: records say {} nodes and {} edges, the snapshot {} and {}",
                    manifest.nodes,
                    manifest.edges,
                    snap.node_count(),
                    snap.edge_count()
                )));
            }
        }
        store.sync_engine()?;
        let marker = match &self.origin {
            None => Marker {
                current: manifest.clone(),
                previous: Some(base),
                next_generation: generation + 1,
                pruned: false,
            },
            Some(origin) => Marker {
                current: manifest.clone(),
                previous: None,
                next_generation: origin.next_generation,
                pruned: true,
            },
        };
        store.publish(&marker)?;
        // Published. Nothing after this point may fail the write: what goes wrong is
        // logged and left to recovery.
        if let Some(snap) = new_snapshot {
            store.cache_snapshot(Arc::new(snap));
        }
        if let Err(e) = maintenance::prune(store) {
            tracing::warn!(error = %e, generation, "pruning after a write failed; the next open finishes it");
        }
        summary.manifest = manifest;
        summary.inserted = tally.inserted;
        summary.updated = tally.updated;
        summary.deleted = tally.deleted;
        summary.written = tally.changed();
        Ok(summary)
    }

    /// Discards everything staged.
    pub fn abort(mut self) -> Result<()> {
        self.finished = true;
        self.staging.clear();
        Ok(())
    }
}

impl Drop for WriteTxn<'_> {
    fn drop(&mut self) {
        self.staging.clear();
    }
}

/// Counts and checksum of the generation being written, kept up to date change by change.
struct Tally {
    node_kinds: BTreeMap<String, i64>,
    edge_kinds: BTreeMap<String, i64>,
    checksum: u64,
    inserted: u64,
    updated: u64,
    deleted: u64,
    unchanged: u64,
}

impl Tally {
    fn new(base: &Manifest) -> Tally {
        let signed =
            |m: &BTreeMap<String, u64>| m.iter().map(|(k, &v)| (k.clone(), v as i64)).collect();
        Tally {
            node_kinds: signed(&base.node_kinds),
            edge_kinds: signed(&base.edge_kinds),
            checksum: base.checksum,
            inserted: 0,
            updated: 0,
            deleted: 0,
            unchanged: 0,
        }
    }

    fn changed(&self) -> u64 {
        self.inserted + self.updated + self.deleted
    }

    fn kind_of(key: &[u8], body: &[u8]) -> Result<String> {
        let kind = match key.first() {
            Some(&NODE) => record::node_body_kind(body),
            Some(&EDGE) => record::edge_key_kind(key),
            _ => None,
        };
        kind.map(str::to_string).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "record {:?} has no readable kind",
                String::from_utf8_lossy(key)
            ))
        })
    }

    fn record(&mut self, key: &[u8], old: Option<&[u8]>, new: Option<&[u8]>) -> Result<()> {
        let is_node = key.first() == Some(&NODE);
        if let Some(old) = old {
            let kind = Self::kind_of(key, old)?;
            self.checksum = self.checksum.wrapping_sub(record::digest(key, old)?);
            let counts = if is_node {
                &mut self.node_kinds
            } else {
                &mut self.edge_kinds
            };
            *counts.entry(kind).or_insert(0) -= 1;
        }
        if let Some(new) = new {
            let kind = Self::kind_of(key, new)?;
            self.checksum = self.checksum.wrapping_add(record::digest(key, new)?);
            let counts = if is_node {
                &mut self.node_kinds
            } else {
                &mut self.edge_kinds
            };
            *counts.entry(kind).or_insert(0) += 1;
        }
        match (old, new) {
            (None, Some(_)) => self.inserted += 1,
            (Some(_), Some(_)) => self.updated += 1,
            (Some(_), None) => self.deleted += 1,
            (None, None) => {}
        }
        Ok(())
    }

    fn manifest(
        &self,
        generation: u64,
        base: u64,
        snapshot_checksum: u64,
        delta_records: u64,
        note: &str,
    ) -> Result<Manifest> {
        let positive = |m: &BTreeMap<String, i64>| -> Result<BTreeMap<String, u64>> {
            m.iter()
                .filter(|(_, &v)| v != 0)
                .map(|(k, &v)| {
                    u64::try_from(v)
                        .map(|v| (k.clone(), v))
                        .map_err(|_| StoreError::Corrupt(format!("negative count for `{k}`")))
                })
                .collect()
        };
        let node_kinds = positive(&self.node_kinds)?;
        let edge_kinds = positive(&self.edge_kinds)?;
        Ok(Manifest {
            generation,
            nodes: node_kinds.values().sum(),
            edges: edge_kinds.values().sum(),
            node_kinds,
            edge_kinds,
            checksum: self.checksum,
            base,
            snapshot_checksum,
            delta_records,
            note: note.to_string(),
            unix_time: now(),
        })
    }
}

/// What a small write touched, to check that it leaves no edge without an endpoint (a
/// write that folds checks this while deriving the new snapshot).
#[derive(Default)]
struct Touched {
    /// Endpoint id -> an edge the write stored with it.
    endpoints: BTreeMap<String, String>,
    deleted_nodes: Vec<String>,
}

impl Touched {
    fn note(&mut self, change: &Change) {
        match (change.key.first(), &change.body) {
            (Some(&EDGE), Some(_)) => {
                if let Some(id) = record::decode_edge_key(&change.key) {
                    let shown = id.to_string();
                    self.endpoints
                        .entry(id.source)
                        .or_insert_with(|| shown.clone());
                    self.endpoints.entry(id.target).or_insert(shown);
                }
            }
            (Some(&NODE), None) => {
                if let Some(id) = record::decode_node_key(&change.key) {
                    self.deleted_nodes.push(id.to_string());
                }
            }
            _ => {}
        }
    }

    /// Every edge the write stored has both endpoints, and no node it deleted keeps an
    /// edge, in the generation as written.
    fn check(&self, store: &Store, base: &Manifest, generation: u64) -> Result<()> {
        let exists =
            |key: &[u8]| -> Result<bool> { Ok(store.pages.get(key, generation)?.is_some()) };
        for (id, edge) in &self.endpoints {
            if !exists(&record::node_key(id))? {
                return Err(StoreError::DanglingEdge {
                    edge: edge.clone(),
                    missing: id.clone(),
                });
            }
        }
        if !self.deleted_nodes.is_empty() {
            let catalog = store.catalog_at(base)?;
            for id in &self.deleted_nodes {
                for e in catalog.incident_edges(id)? {
                    if exists(&record::edge_key(&e))? {
                        return Err(StoreError::DanglingEdge {
                            edge: e.to_string(),
                            missing: id.clone(),
                        });
                    }
                }
            }
        }
        Ok(())
    }
}
