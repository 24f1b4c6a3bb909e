//! Keeping history in shape: discarding unpublished generations, pruning versions no
//! generation can see any more, undoing the last write, and format migrations.

use super::codec;
use super::keys;
use super::manifest::Marker;
use super::{Manifest, Result, Store, StoreError};

/// Brings a store of an older format up to [`super::FORMAT_VERSION`]. Format 1 is the
/// first, so there is nothing to migrate yet; the hook keeps the place for the next one.
pub(super) fn migrate(_db: &sled::Db, format: u32) -> Result<()> {
    match format {
        1 => Ok(()),
        other => Err(StoreError::Corrupt(format!(
            "unknown storage format {other}"
        ))),
    }
}

/// Run on open: removes what unpublished generations staged, snapshots no generation
/// needs, and finishes an interrupted prune.
pub(super) fn recover(store: &Store) -> Result<()> {
    let marker = store.marker();
    let current = marker.current.generation;
    // Unpublished generations are those above the published one.
    let mut stale: Vec<u64> = Vec::new();
    for item in store
        .log
        .range(keys::log_prefix(current + 1)..keys::log_prefix(u64::MAX))
        .keys()
    {
        let key = item?;
        if let Some(g) = keys::generation_of(&key) {
            if stale.last() != Some(&g) {
                stale.push(g);
            }
        }
    }
    for g in stale {
        discard_generation(store, g)?;
    }
    let keep = [
        Some(current),
        marker.previous.as_ref().map(|m| m.generation),
    ];
    remove_snapshots_except(store, &keep)?;
    if !marker.pruned {
        prune(store)?;
    }
    Ok(())
}

impl Store {
    pub(super) fn recover(&self) -> Result<()> {
        recover(self)
    }
}

fn remove_snapshots_except(store: &Store, keep: &[Option<u64>]) -> Result<()> {
    let mut batch = sled::Batch::default();
    let mut any = false;
    for item in store.snaps.scan_prefix([keys::SNAPSHOT]).keys() {
        let key = item?;
        let g = keys::generation_of(&key);
        if !keep.contains(&g) {
            batch.remove(key);
            any = true;
        }
    }
    if any {
        store.snaps.apply_batch(batch)?;
    }
    Ok(())
}

fn chunk_entries(chunk: &[u8]) -> Result<Vec<(&[u8], bool)>> {
    keys::log_entries(chunk)
        .ok_or_else(|| StoreError::Corrupt("a change-log chunk does not decode".into()))
}

/// Removes every version, log entry and snapshot part that `generation` staged.
pub(super) fn discard_generation(store: &Store, generation: u64) -> Result<()> {
    let prefix = keys::log_prefix(generation);
    for item in store.log.scan_prefix(&prefix) {
        let (key, chunk) = item?;
        for (base, _) in chunk_entries(&chunk)? {
            store.data.remove(keys::versioned(base, generation))?;
        }
        store.log.remove(key)?;
    }
    for item in store
        .snaps
        .scan_prefix(keys::snapshot_prefix(generation))
        .keys()
    {
        store.snaps.remove(item?)?;
    }
    Ok(())
}

/// After a publication: for every record written by the current or the previous
/// generation, keeps only the versions those two generations see, drops the previous
/// generation's log and any older snapshot, and marks the store pruned.
pub(super) fn prune(store: &Store) -> Result<()> {
    let marker = store.marker();
    let current = marker.current.generation;
    let previous = marker.previous.as_ref().map(|m| m.generation);
    let mut logs = vec![current];
    if let Some(p) = previous {
        logs.push(p);
    }
    let floor = previous.unwrap_or(current);
    for &g in &logs {
        let prefix = keys::log_prefix(g);
        for item in store.log.scan_prefix(&prefix) {
            let (key, chunk) = item?;
            // Only records that had an older version can hold versions to drop.
            for (base, had_older) in chunk_entries(&chunk)? {
                if had_older {
                    prune_record(store, base, floor, current)?;
                }
            }
            if Some(g) == previous && g != current {
                store.log.remove(key)?;
            }
        }
    }
    remove_snapshots_except(store, &[Some(current), previous])?;
    store.set_marker(Marker {
        pruned: true,
        ..store.marker()
    })?;
    Ok(())
}

/// Prunes the versions of one record: keeps the one generation `floor` sees and the one
/// written by `current`; a tombstone with nothing older behind it is dropped, as absence
/// says the same.
fn prune_record(store: &Store, base: &[u8], floor: u64, current: u64) -> Result<usize> {
    let tombstone = codec::encode(&None::<()>)?;
    let lo = keys::versioned(base, 0);
    let hi = keys::versioned(base, u64::MAX);
    let versions: Vec<(u64, sled::IVec, bool)> = store
        .data
        .range(lo..=hi)
        .map(|r| {
            let (k, v) = r?;
            let g = keys::split_versioned(&k).map(|x| x.1).unwrap_or(0);
            Ok((g, k, v.as_ref() == tombstone.as_slice()))
        })
        .collect::<Result<_>>()?;
    let floor_version = versions.iter().rposition(|(g, _, _)| *g <= floor);
    let mut removed = 0;
    let mut older_kept = false;
    for (i, (g, key, is_tombstone)) in versions.into_iter().enumerate() {
        let keep = if Some(i) == floor_version {
            !is_tombstone
        } else if g == current && g > floor {
            !is_tombstone || older_kept
        } else {
            false
        };
        if keep {
            older_kept = true;
        } else {
            store.data.remove(key)?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Restores the previous generation. The marker is written first, so a crash midway
/// leaves the undone generation unpublished, and the next open discards it.
pub(super) fn undo(store: &Store) -> Result<Manifest> {
    let marker = store.marker();
    let Some(previous) = marker.previous.clone() else {
        return Err(StoreError::NothingToUndo(
            "only the last write can be undone, and it has been undone already (or nothing was written)".into(),
        ));
    };
    let undone = marker.current.generation;
    store.set_marker(Marker {
        current: previous.clone(),
        previous: None,
        next_generation: marker.next_generation,
        pruned: true,
    })?;
    store.db.flush()?;
    discard_generation(store, undone)?;
    store.db.flush()?;
    Ok(previous)
}
