//! Keeping history in shape: recovery on open, discarding unpublished generations,
//! pruning what no kept generation can see, and undoing the last write.
//!
//! Every step here is idempotent, so a crash or a failure in the middle of one is repaired
//! by running it again, which the next open does.

use super::layout;
use super::log::{self, change_key, log_key};
use super::manifest::Marker;
use super::page;
use super::pages::page_key;
use super::snapfile;
use super::{Manifest, Result, Store, StoreError};

/// Page versions written by the last write above which finishing its prune is recorded in
/// the marker (so that the next open does not redo it); below, redoing it costs less than
/// the extra marker write.
const RECORD_PRUNE_ABOVE: usize = 64;

/// Run on open: removes what unpublished generations left (pages, log, changes, base
/// files, temporary files), finishes an interrupted prune.
pub(super) fn recover(store: &Store) -> Result<()> {
    crate::store::fail::failpoint!("recover.begin");
    let marker = store.marker();
    let current = marker.current.generation;
    let tmp = store.layout.tmp();
    if std::fs::read_dir(&tmp).is_ok_and(|mut d| d.next().is_some()) {
        layout::remove(&tmp)?;
    }
    layout::create_dir(&tmp)?;
    let mut stale: Vec<u64> = Vec::new();
    for item in store.log.range(log_key(current + 1, 0)..).keys() {
        if let Some(g) = log::generation_of(&item?) {
            if stale.last() != Some(&g) {
                stale.push(g);
            }
        }
    }
    for item in store.changes.range(change_key(current + 1, 0)..).keys() {
        if let Some(g) = log::generation_of(&item?) {
            if !stale.contains(&g) {
                stale.push(g);
            }
        }
    }
    for g in stale {
        crate::store::fail::failpoint!("recover.discard");
        discard_generation(store, g)?;
    }
    remove_unneeded_files(store, &marker)?;
    if !marker.pruned {
        crate::store::fail::failpoint!("recover.prune");
        prune(store)?;
    }
    Ok(())
}

/// Removes base files no kept generation needs, and leftover temporary snapshot files.
fn remove_unneeded_files(store: &Store, marker: &Marker) -> Result<()> {
    let dir = store.layout.snapshots();
    let needed = marker.needed_bases();
    let entries = std::fs::read_dir(&dir).map_err(|e| StoreError::file(&dir, e))?;
    let mut removed = false;
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::file(&dir, e))?;
        let name = entry.file_name().to_string_lossy().to_string();
        let keep = snapfile::generation_of(&name).is_some_and(|g| needed.contains(&g));
        if !keep {
            crate::store::fail::failpoint!("prune.files");
            layout::remove(&entry.path())?;
            removed = true;
        }
    }
    if removed {
        layout::sync_dir(&dir)?;
    }
    Ok(())
}

/// Removes every page version, log chunk, change chunk and base file that `generation`
/// wrote. Only for a generation that is not published (or no longer is).
///
/// sled 0.34 never gives back the space a removed value took in its file, so when what is
/// discarded is large next to the store, the store asks to be compacted
/// ([`request_reclaim`]): that is how an interrupted or undone import gives its space back.
pub(super) fn discard_generation(store: &Store, generation: u64) -> Result<()> {
    let (los, keys) = log::pages_of(&store.log, generation)?;
    let mut discarded = 0u64;
    for lo in los {
        crate::store::fail::failpoint!("discard.pages");
        if let Some(v) = store.pages.tree().remove(page_key(&lo, generation))? {
            discarded += v.len() as u64;
        }
    }
    for key in keys {
        if let Some(v) = store.log.remove(key)? {
            discarded += v.len() as u64;
        }
    }
    for item in store.changes.scan_prefix(generation.to_be_bytes()) {
        let (key, v) = item?;
        discarded += v.len() as u64;
        store.changes.remove(key)?;
    }
    request_reclaim(store, discarded);
    let dir = store.layout.snapshots();
    for name in [
        snapfile::file_name(generation),
        format!("{}.tmp", snapfile::file_name(generation)),
    ] {
        let path = dir.join(name);
        if path.exists() && !store.marker().needed_bases().contains(&generation) {
            layout::remove(&path)?;
        }
    }
    Ok(())
}

/// Below this, what a discarded write leaves in sled's file is not worth a compaction.
const RECLAIM_MIN_BYTES: u64 = 64 << 10;

/// The share of the directory's size above which what a discarded write left in sled's
/// file is given back by compacting (half of the 10 % an undone or interrupted import may
/// leave: sled's file grows by somewhat more than the values written).
const RECLAIM_SHARE: f64 = 0.05;

/// Asks for the store to be compacted when it next opens (or when the command that
/// discarded the write calls [`Store::reclaim`]) if `discarded` bytes are worth it. The
/// request is a file in the store directory, so it lasts until a compaction succeeds (the
/// new store directory has none); losing it in a crash only leaves the space unreclaimed.
pub(super) fn request_reclaim(store: &Store, discarded: u64) {
    if discarded < RECLAIM_MIN_BYTES
        || (discarded as f64) < RECLAIM_SHARE * store.disk_usage() as f64
    {
        return;
    }
    let path = store.layout.reclaim();
    if let Err(e) = std::fs::write(&path, format!("{discarded}\n")) {
        tracing::warn!(error = %e, path = %path.display(), "could not record that the store should be compacted");
    }
}

/// After a publication: for every page written by the current or the previous generation,
/// keeps only the versions those two generations see; drops older log and change chunks
/// and base files no kept generation needs; marks the store pruned.
pub(super) fn prune(store: &Store) -> Result<()> {
    crate::store::fail::failpoint!("prune.begin");
    let marker = store.marker();
    let current = marker.current.generation;
    let previous = marker.previous.as_ref().map(|m| m.generation);
    let floor = previous.unwrap_or(current);
    let mut pages_written = 0;
    for g in std::iter::once(current).chain(previous) {
        let (los, _) = log::pages_of(&store.log, g)?;
        pages_written = pages_written.max(los.len());
        for lo in los {
            crate::store::fail::failpoint!("prune.pages");
            prune_page(store, &lo, floor, current)?;
        }
    }
    crate::store::fail::failpoint!("prune.log");
    for item in store.log.range(..log_key(floor, 0)).keys() {
        store.log.remove(item?)?;
    }
    let oldest_base = marker.oldest_base();
    for item in store.changes.range(..change_key(oldest_base + 1, 0)).keys() {
        store.changes.remove(item?)?;
    }
    remove_unneeded_files(store, &marker)?;
    if pages_written > RECORD_PRUNE_ABOVE {
        crate::store::fail::failpoint!("prune.marker");
        store.sync_engine()?;
        store.publish(&Marker {
            pruned: true,
            ..marker
        })?;
    }
    Ok(())
}

/// Prunes the versions of one page: keeps the one generation `floor` sees and the one
/// `current` wrote; a tombstone with nothing kept behind it is dropped, as absence says
/// the same.
fn prune_page(store: &Store, lo: &[u8], floor: u64, current: u64) -> Result<()> {
    let tree = store.pages.tree();
    let versions: Vec<(u64, sled::IVec, bool)> = tree
        .range(page_key(lo, 0)..=page_key(lo, u64::MAX))
        .map(|r| {
            let (k, v) = r?;
            let g = super::pages::split_page_key(&k).map_or(0, |x| x.1);
            Ok((g, k, page::is_tombstone(&v)))
        })
        .collect::<Result<_>>()?;
    let floor_version = versions.iter().rposition(|(g, _, _)| *g <= floor);
    let mut older_kept = false;
    for (i, (g, key, tombstone)) in versions.into_iter().enumerate() {
        let keep = if Some(i) == floor_version {
            !tombstone
        } else if g == current && g > floor {
            !tombstone || older_kept
        } else {
            g > current // an unpublished write's version is not ours to judge
        };
        if keep {
            older_kept = true;
        } else {
            tree.remove(key)?;
        }
    }
    Ok(())
}

/// Restores the previous generation. The marker is written first, so a crash midway leaves
/// the undone generation unpublished, and the next open discards what is left of it.
pub(super) fn undo(store: &Store) -> Result<Manifest> {
    let marker = store.marker();
    let Some(previous) = marker.previous.clone() else {
        return Err(StoreError::NothingToUndo(
            "only the last write can be undone, and it has been undone already (or nothing was written)".into(),
        ));
    };
    let undone = marker.current.generation;
    crate::store::fail::failpoint!("undo.marker");
    store.publish(&Marker {
        current: previous.clone(),
        previous: None,
        next_generation: marker.next_generation,
        pruned: true,
    })?;
    // Published: what fails from here on is left to recovery.
    if let Err(e) = discard_generation(store, undone) {
        tracing::warn!(error = %e, "discarding the undone write failed; the next open finishes it");
    }
    Ok(previous)
}
