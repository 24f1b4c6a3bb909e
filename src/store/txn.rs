//! Write transactions: stage records under a new generation in bounded chunks, then
//! publish them all at once, or discard them.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, MutexGuard};

use super::codec::{self, record_hash};
use super::keys;
use super::maintenance;
use super::manifest::{now, Manifest, Marker};
use super::snapshot::SnapshotBuilder;
use super::{decode_version, edge_kind_names, node_kind_names, Result, Store, StoreError};
use crate::model::{EdgeId, EdgeRecord, NodeRecord};

/// Records staged in memory before they are written to the engine as one chunk.
const CHUNK_RECORDS: usize = 4_096;

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

/// A write in progress. Nothing it stages is visible to readers until [`WriteTxn::commit`];
/// dropping it without committing discards everything staged.
pub struct WriteTxn<'s> {
    store: &'s Store,
    _guard: MutexGuard<'s, ()>,
    generation: u64,
    base: Manifest,
    note: String,
    chunk: Vec<(Vec<u8>, Vec<u8>, bool)>,
    chunks_written: u64,
    pending: HashMap<Vec<u8>, Option<Vec<u8>>>,
    node_kinds: BTreeMap<String, i64>,
    edge_kinds: BTreeMap<String, i64>,
    checksum: u64,
    written: u64,
    finished: bool,
}

/// Summary of a committed write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitSummary {
    /// The new manifest.
    pub manifest: Manifest,
    /// Records written (inserted, updated or deleted).
    pub written: u64,
}

impl<'s> WriteTxn<'s> {
    pub(super) fn begin(
        store: &'s Store,
        guard: MutexGuard<'s, ()>,
        note: &str,
    ) -> Result<WriteTxn<'s>> {
        let marker = store.marker();
        let generation = marker.next_generation;
        // Reserve the generation number first, so that a crash cannot reuse it.
        store.set_marker(Marker {
            next_generation: generation + 1,
            ..marker.clone()
        })?;
        let base = marker.current;
        Ok(WriteTxn {
            store,
            _guard: guard,
            generation,
            node_kinds: base
                .node_kinds
                .iter()
                .map(|(k, &v)| (k.clone(), v as i64))
                .collect(),
            edge_kinds: base
                .edge_kinds
                .iter()
                .map(|(k, &v)| (k.clone(), v as i64))
                .collect(),
            checksum: base.checksum,
            base,
            note: note.to_string(),
            chunk: Vec::new(),
            chunks_written: 0,
            pending: HashMap::new(),
            written: 0,
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
    pub fn put_node(&mut self, node: &NodeRecord) -> Result<WriteOutcome> {
        let base = keys::node_base(&node.id);
        let value = codec::encode(&Some(node))?;
        self.put(base, Some(value), &node.kind, true)
    }

    /// Inserts or replaces an edge (identity: source, target, kind, key).
    pub fn put_edge(&mut self, edge: &EdgeRecord) -> Result<WriteOutcome> {
        let base = keys::edge_base(&edge.id());
        let value = codec::encode(&Some(edge))?;
        self.put(base, Some(value), &edge.kind, false)
    }

    /// Deletes an edge.
    pub fn delete_edge(&mut self, id: &EdgeId) -> Result<WriteOutcome> {
        self.put(keys::edge_base(id), None, &id.kind, false)
    }

    /// Deletes a node and every published edge touching it. Returns the outcome and the
    /// number of edges deleted with it.
    pub fn delete_node(&mut self, id: &str) -> Result<(WriteOutcome, usize)> {
        let snapshot = self.store.snapshot()?;
        let mut incident: Vec<EdgeId> = Vec::new();
        if let Some(v) = snapshot.node_index(id) {
            let ids = snapshot
                .out_edges(v)
                .chain(snapshot.in_edges(v).iter().map(|&e| e as usize));
            for e in ids {
                let edge = snapshot.edge(e);
                incident.push(EdgeId {
                    source: snapshot.node_id(edge.source).to_string(),
                    target: snapshot.node_id(edge.target).to_string(),
                    kind: edge.kind.to_string(),
                    key: edge.key.to_string(),
                });
            }
        }
        let mut deleted = 0;
        for e in &incident {
            if self.delete_edge(e)? == WriteOutcome::Deleted {
                deleted += 1;
            }
        }
        let outcome = self.put(keys::node_base(id), None, "", true)?;
        Ok((outcome, deleted))
    }

    /// The node as this write currently sees it (staged or published).
    pub fn node(&self, id: &str) -> Result<Option<NodeRecord>> {
        let current = self.current(&keys::node_base(id))?;
        decode_version(current.as_deref(), "node")
    }

    fn current(&self, base: &[u8]) -> Result<Option<Vec<u8>>> {
        if let Some(v) = self.pending.get(base) {
            return Ok(v.clone());
        }
        Ok(self
            .store
            .latest_at(base, self.generation)?
            .map(|v| v.to_vec()))
    }

    fn put(
        &mut self,
        base: Vec<u8>,
        value: Option<Vec<u8>>,
        kind: &str,
        is_node: bool,
    ) -> Result<WriteOutcome> {
        let old = self.current(&base)?;
        let old_live = match &old {
            Some(bytes) => {
                let kind = if is_node {
                    codec::decode::<Option<NodeRecord>>(bytes, "node")?.map(|n| n.kind)
                } else {
                    codec::decode::<Option<EdgeRecord>>(bytes, "edge")?.map(|e| e.kind)
                };
                kind.map(|k| (bytes.clone(), k))
            }
            None => None,
        };
        let outcome = match (&old_live, &value) {
            (Some((old_bytes, _)), Some(new)) if old_bytes == new => {
                return Ok(WriteOutcome::Unchanged)
            }
            (None, None) => return Ok(WriteOutcome::Absent),
            (Some(_), Some(_)) => WriteOutcome::Updated,
            (None, Some(_)) => WriteOutcome::Inserted,
            (Some(_), None) => WriteOutcome::Deleted,
        };
        let counts = if is_node {
            &mut self.node_kinds
        } else {
            &mut self.edge_kinds
        };
        if let Some((old_bytes, old_kind)) = &old_live {
            self.checksum = self.checksum.wrapping_sub(record_hash(&base, old_bytes));
            *counts.entry(old_kind.clone()).or_insert(0) -= 1;
        }
        let stored = match &value {
            Some(v) => {
                self.checksum = self.checksum.wrapping_add(record_hash(&base, v));
                *counts.entry(kind.to_string()).or_insert(0) += 1;
                v.clone()
            }
            None => codec::encode(&None::<()>)?,
        };
        self.chunk.push((base.clone(), stored, old.is_some()));
        self.pending.insert(base, value);
        self.written += 1;
        if self.chunk.len() >= CHUNK_RECORDS {
            self.flush_batch()?;
        }
        Ok(outcome)
    }

    /// Writes the staged chunk: first its change-log entry (so that a crash at any later
    /// point leaves every written version findable for discarding), then the versions one
    /// by one in key order — sled's single inserts are several times faster than its
    /// batches, and the atomicity of a batch is not needed for unpublished records.
    pub(super) fn flush_batch(&mut self) -> Result<()> {
        if self.chunk.is_empty() {
            return Ok(());
        }
        let mut chunk = std::mem::take(&mut self.chunk);
        // Stable: of two writes of one record, the later stays last.
        chunk.sort_by(|a, b| a.0.cmp(&b.0));
        let mut log = Vec::with_capacity(chunk.iter().map(|c| c.0.len() + 5).sum());
        for (base, _, had_older) in &chunk {
            keys::push_log_entry(&mut log, base, *had_older);
        }
        self.store
            .log
            .insert(keys::log_chunk(self.generation, self.chunks_written), log)?;
        self.chunks_written += 1;
        for (base, value, _) in chunk {
            self.store
                .data
                .insert(keys::versioned(&base, self.generation), value)?;
        }
        self.pending.clear();
        Ok(())
    }

    /// Publishes everything staged as one new generation, with its snapshot and manifest.
    /// If nothing changed, no generation is published and the current manifest is returned.
    pub fn commit(mut self) -> Result<CommitSummary> {
        self.flush_batch()?;
        self.finished = true;
        if self.written == 0 || self.nets_to_nothing() {
            maintenance::discard_generation(self.store, self.generation)?;
            return Ok(CommitSummary {
                manifest: self.base.clone(),
                written: 0,
            });
        }
        match self.publish() {
            Ok(summary) => Ok(summary),
            Err(e) => {
                // Leave the store as it was: the generation was never published.
                let _ = maintenance::discard_generation(self.store, self.generation);
                Err(e)
            }
        }
    }

    /// Whether the staged writes cancel out (e.g. a node inserted and deleted again): the
    /// visible records' checksum and counts are those of the base generation. (The
    /// checksum is a 64-bit sum of record hashes; a false match needs an exact collision.)
    fn nets_to_nothing(&self) -> bool {
        let same = |counts: &BTreeMap<String, i64>, base: &BTreeMap<String, u64>| {
            counts
                .iter()
                .filter(|(_, &v)| v != 0)
                .map(|(k, &v)| (k.as_str(), v as u64))
                .eq(base.iter().map(|(k, &v)| (k.as_str(), v)))
        };
        self.checksum == self.base.checksum
            && same(&self.node_kinds, &self.base.node_kinds)
            && same(&self.edge_kinds, &self.base.edge_kinds)
    }

    fn publish(&mut self) -> Result<CommitSummary> {
        let store = self.store;
        let generation = self.generation;
        let schema = store.schema();
        let mut builder = SnapshotBuilder::new(
            generation,
            node_kind_names(&schema),
            edge_kind_names(&schema),
        );
        for node in store.visible::<NodeRecord>(&[keys::NODE], generation) {
            builder.push_node(&node?)?;
        }
        for edge in store.visible::<EdgeRecord>(&[keys::EDGE], generation) {
            builder.push_edge(&edge?)?;
        }
        let snapshot = builder.finish();
        let parts = snapshot.to_parts();
        Store::write_snapshot_parts(&store.snaps, generation, &parts)?;
        store.db.flush()?;

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
        let manifest = Manifest {
            generation,
            nodes: node_kinds.values().sum(),
            edges: edge_kinds.values().sum(),
            node_kinds,
            edge_kinds,
            checksum: self.checksum,
            snapshot_checksum: parts.header.checksum(),
            note: self.note.clone(),
            unix_time: now(),
        };
        if manifest.nodes != snapshot.node_count() as u64
            || manifest.edges != snapshot.edge_count() as u64
        {
            return Err(StoreError::Corrupt(format!(
                "counts disagree: records say {} nodes and {} edges, the snapshot {} and {}",
                manifest.nodes,
                manifest.edges,
                snapshot.node_count(),
                snapshot.edge_count()
            )));
        }
        let marker = store.marker();
        store.set_marker(Marker {
            current: manifest.clone(),
            previous: Some(self.base.clone()),
            next_generation: marker.next_generation.max(generation + 1),
            pruned: false,
        })?;
        store.db.flush()?;
        *super::lock(&store.snapshot) = Some(Arc::new(snapshot));
        // The new generation is published; verify its snapshot reads back before the
        // history it replaces is pruned.
        store.load_snapshot(generation, true)?;
        maintenance::prune(store)?;
        Ok(CommitSummary {
            manifest,
            written: self.written,
        })
    }

    /// Discards everything staged.
    pub fn abort(mut self) -> Result<()> {
        self.finished = true;
        self.chunk.clear();
        maintenance::discard_generation(self.store, self.generation)
    }
}

impl Drop for WriteTxn<'_> {
    fn drop(&mut self) {
        if !self.finished {
            let _ = maintenance::discard_generation(self.store, self.generation);
        }
    }
}
