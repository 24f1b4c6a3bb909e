//! The failpoint matrix: every write step of commit, snapshot writing, publication, prune,
//! recovery, undo and compact made to fail, one at a time; after each, the store reopens at
//! exactly the old or the new generation, with exactly that generation's records, `check`
//! passes, and the next write uses the next generation number. Then the crash windows: a
//! child process (this test binary) aborts itself at a failpoint in each window, and the
//! parent reopens what it left.

use std::path::{Path, PathBuf};

use super::fail;
use super::*;
use crate::model::Props;

fn node(id: &str) -> NodeRecord {
    NodeRecord {
        id: id.into(),
        kind: "university".into(),
        name: format!("University {id}"),
        name_en: None,
        props: Props::new(),
    }
}

fn edge(s: &str, t: &str) -> EdgeRecord {
    EdgeRecord {
        source: s.into(),
        target: t.into(),
        kind: "collaborates_with".into(),
        key: String::new(),
        weight: None,
        props: Props::new(),
    }
}

/// A store at generation 1 with ten nodes in a chain of edges.
fn seeded(path: &Path) -> Store {
    let (store, _) = Store::init(path, Schema::builtin(), None).unwrap();
    let mut txn = store.write("seed").unwrap();
    for i in 0..10 {
        txn.put_node(&node(&format!("u{i}"))).unwrap();
    }
    for i in 1..10 {
        txn.put_edge(&edge(&format!("u{}", i - 1), &format!("u{i}")))
            .unwrap();
    }
    assert_eq!(txn.commit().unwrap().manifest.generation, 1);
    // Pruned, as after any write large enough to record it, so that the write under test
    // does not begin by pruning this one.
    maintenance::prune(&store).unwrap();
    store
        .publish(&Marker {
            pruned: true,
            ..store.marker()
        })
        .unwrap();
    store
}

/// Nodes a folding write adds: past the fold threshold, and enough pages (> 64) for its
/// prune to be recorded in the marker.
const FOLD_NODES: u64 = 3 * txn::FOLD_MIN_RECORDS;

/// How big the write under test is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Size {
    /// Two records: recorded as change entries (O(change)).
    Small,
    /// Past the fold threshold: writes a new snapshot base file.
    Fold,
}

/// The write under test: a new node `new` (plus, when folding, thousands more) and an
/// edge from `u0` to it, and the deletion of node `u9` with its edge.
fn write(store: &Store, size: Size) -> Result<CommitSummary> {
    let mut txn = store.write("under test")?;
    txn.put_node(&node("new"))?;
    txn.put_edge(&edge("u0", "new"))?;
    txn.delete_node("u9")?;
    if size == Size::Fold {
        for i in 0..(FOLD_NODES) {
            txn.put_node(&node(&format!("bulk{i:05}")))?;
        }
    }
    txn.commit()
}

/// Asserts the store holds exactly the records of generation 1 (`old`) or of the write
/// under test, and passes `check`.
fn assert_state(store: &Store, new: bool, size: Size) {
    assert_eq!(store.node("new").unwrap().is_some(), new);
    assert_eq!(store.node("u9").unwrap().is_some(), !new);
    assert!(store.node("u0").unwrap().is_some());
    let bulk = if new && size == Size::Fold {
        FOLD_NODES
    } else {
        0
    };
    let m = store.manifest();
    assert_eq!(m.nodes, if new { 10 + bulk } else { 10 });
    assert_eq!(m.edges, 9);
    let snapshot = store.snapshot().unwrap();
    assert_eq!(snapshot.node_count() as u64, m.nodes);
    assert_eq!(snapshot.edge_count() as u64, m.edges);
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{report:?}");
}

/// After a failure: reopens, asserts the old or the new state (`published` says which the
/// failed call reported), that `check` passes and that the next write takes the next
/// generation number.
fn reopen_and_verify(path: &Path, published: bool, size: Size) {
    let store = Store::open(path).unwrap();
    let generation = store.generation();
    assert_eq!(
        generation,
        if published { 2 } else { 1 },
        "reopened at generation {generation}"
    );
    assert_state(&store, published, size);
    let mut txn = store.write("after").unwrap();
    txn.put_node(&node("after")).unwrap();
    let next = txn.commit().unwrap().manifest.generation;
    assert_eq!(
        next,
        generation + 1,
        "a failed write used up a generation number"
    );
    assert!(store.check().unwrap().is_ok());
}

/// Failpoints a commit passes, with the write size that reaches them and whether a
/// failure there comes before publication (the write fails and publishes nothing) or
/// after (the write is published and reported as such; the rest is left to recovery).
const COMMIT_POINTS: &[(&str, Size, bool)] = &[
    ("commit.begin", Size::Small, false),
    ("commit.log", Size::Small, false),
    ("commit.pages", Size::Small, false),
    ("commit.changes", Size::Small, false),
    ("engine.sync", Size::Small, false),
    ("engine.fsync", Size::Small, false),
    ("marker.write", Size::Small, false),
    // The marker reached the file; its fsync is retried, and the write is published.
    ("marker.sync", Size::Small, true),
    ("prune.begin", Size::Small, true),
    ("prune.pages", Size::Small, true),
    ("prune.log", Size::Small, true),
    ("commit.log", Size::Fold, false),
    ("snapshot.write", Size::Fold, false),
    ("snapshot.sync", Size::Fold, false),
    ("snapshot.rename", Size::Fold, false),
    ("dir.sync", Size::Fold, false),
    ("marker.write", Size::Fold, false),
    ("prune.pages", Size::Fold, true),
    ("prune.marker", Size::Fold, true),
];

#[test]
fn a_failure_at_any_step_of_a_commit_leaves_the_old_or_the_new_generation() {
    for &(point, size, after_publication) in COMMIT_POINTS {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let store = seeded(&path);
        let result = {
            let _armed = fail::arm(point, "return");
            let result = write(&store, size);
            assert!(fail::fired(point), "{point} ({size:?}) was never reached");
            result
        };
        assert_eq!(
            result.is_ok(),
            after_publication,
            "{point} ({size:?}): {:?}",
            result.as_ref().err()
        );
        // The same process goes on at the state it reported...
        assert_state(&store, after_publication, size);
        drop(store);
        // ...and so does the next one.
        reopen_and_verify(&path, after_publication, size);
    }
}

/// A store whose last write failed at `commit.pages` with its clean-up failing too, so
/// that the next open has an unpublished generation to discard.
fn with_debris(path: &Path) {
    let store = seeded(path);
    let _armed = fail::arm("commit.changes", "return").also("discard.pages", "return");
    assert!(write(&store, Size::Small).is_err());
}

/// A store whose last write published but could not prune, so the next open prunes.
fn unpruned(path: &Path) {
    let store = seeded(path);
    // A fold writes enough page versions for the prune to be recorded in the marker.
    let _armed = fail::arm("prune.begin", "return");
    write(&store, Size::Fold).unwrap();
    assert!(!store.marker().pruned);
}

#[test]
fn a_failure_during_recovery_leaves_the_store_recoverable() {
    type Prepare = fn(&Path);
    let cases: &[(&str, Prepare, bool)] = &[
        ("recover.begin", with_debris, false),
        ("recover.discard", with_debris, false),
        ("discard.pages", with_debris, false),
        ("recover.prune", unpruned, true),
        ("prune.pages", unpruned, true),
        ("prune.marker", unpruned, true),
    ];
    for &(point, prepare, published) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        prepare(&path);
        {
            let _armed = fail::arm(point, "return");
            let Err(err) = Store::open(&path) else {
                panic!(
                    "{point}: the open succeeded (fired: {})",
                    fail::fired(point)
                );
            };
            assert!(fail::fired(point), "{point} was never reached");
            assert!(matches!(err, StoreError::Injected(_)), "{point}: {err}");
            eprintln!("recovery failed at {point} as injected");
        }
        let size = if published { Size::Fold } else { Size::Small };
        reopen_and_verify(&path, published, size);
    }
}

#[test]
fn a_failed_undo_leaves_the_write_or_undoes_it() {
    for point in [
        "undo.marker",
        "marker.write",
        "marker.sync",
        "discard.pages",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let store = seeded(&path);
        write(&store, Size::Small).unwrap();
        let result = {
            let _armed = fail::arm(point, "return");
            let result = store.undo();
            assert!(fail::fired(point), "{point} was never reached");
            result
        };
        // Before the marker names generation 1 again, the undo fails and changes nothing;
        // once it does, the undo is done (what is left of generation 2 goes at the next
        // open).
        let undone = matches!(point, "marker.sync" | "discard.pages");
        assert_eq!(result.is_ok(), undone, "{point}: {result:?}");
        assert_eq!(store.generation(), if undone { 1 } else { 2 });
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.generation(), if undone { 1 } else { 2 }, "{point}");
        assert_state(&store, !undone, Size::Small);
    }
}

#[test]
fn a_failed_compaction_leaves_the_database_as_it_was() {
    for point in [
        "commit.pages",
        "snapshot.write",
        "current.write",
        "compact.switch",
        "compact.cleanup",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let store = seeded(&path);
        write(&store, Size::Small).unwrap();
        let digest = store.manifest().checksum;
        drop(store);
        let result = {
            let _armed = fail::arm(point, "return");
            let result = Store::compact(&path);
            assert!(fail::fired(point), "{point} was never reached");
            result
        };
        assert_eq!(
            result.is_ok(),
            point == "compact.cleanup",
            "{point}: {result:?}"
        );
        let store = Store::open(&path).unwrap();
        assert_eq!(store.generation(), 2, "{point}");
        assert_eq!(store.manifest().checksum, digest, "{point}");
        assert_state(&store, true, Size::Small);
        assert_eq!(
            std::fs::read_dir(&path)
                .unwrap()
                .flatten()
                .filter(|e| layout::store_dir_number(&e.file_name().to_string_lossy()).is_some())
                .count(),
            1,
            "{point}: a store directory was left behind"
        );
    }
}

/// Environment of the crash child: the database and the failpoint to abort at.
const CRASH_DB: &str = "INNOGRAPH_TEST_CRASH_DB";
const CRASH_AT: &str = "INNOGRAPH_TEST_CRASH_AT";
const CRASH_SIZE: &str = "INNOGRAPH_TEST_CRASH_FOLD";

/// The child of [`every_crash_window_is_hit_and_recovered`]: opens the database and
/// writes, aborting the process at the configured failpoint. Only run as that child.
#[test]
#[ignore = "run only as the child process of every_crash_window_is_hit_and_recovered"]
fn crash_child() {
    let (Ok(db), Ok(point)) = (std::env::var(CRASH_DB), std::env::var(CRASH_AT)) else {
        return;
    };
    let point: &'static str = Box::leak(point.into_boxed_str());
    let size = if std::env::var_os(CRASH_SIZE).is_some() {
        Size::Fold
    } else {
        Size::Small
    };
    // Recovery's failpoints are armed before the open that runs it; the others after, so
    // that they fire in the write.
    let recovery = point.starts_with("recover.") || point.starts_with("discard.");
    let armed = recovery.then(|| fail::arm(point, "return(abort)"));
    let store = Store::open(Path::new(&db)).unwrap();
    let _armed = armed.unwrap_or_else(|| fail::arm(point, "return(abort)"));
    let _ = write(&store, size);
    // Reaching this line means the failpoint was never hit: the parent sees exit 0.
}

/// Runs the crash child on `db` and returns whether it was killed at the failpoint.
fn crash_at(db: &Path, point: &str, size: Size) -> bool {
    let mut child = std::process::Command::new(std::env::current_exe().unwrap());
    child
        .args([
            "--exact",
            "store::failpoint_tests::crash_child",
            "--include-ignored",
            "--test-threads=1",
        ])
        .env(CRASH_DB, db)
        .env(CRASH_AT, point)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if size == Size::Fold {
        child.env(CRASH_SIZE, "1");
    }
    let status = child.status().unwrap();
    use std::os::unix::process::ExitStatusExt;
    status.signal() == Some(6)
}

#[test]
fn every_crash_window_is_hit_and_recovered() {
    // (window, failpoint, write size, whether the write is published when the process dies)
    let windows: &[(&str, &str, Size, bool)] = &[
        ("staging", "commit.pages", Size::Small, false),
        ("staging", "commit.changes", Size::Small, false),
        ("snapshot write", "snapshot.sync", Size::Fold, false),
        ("snapshot write", "snapshot.rename", Size::Fold, false),
        ("marker write", "marker.write", Size::Small, false),
        ("marker write", "marker.sync", Size::Small, true),
        ("prune", "prune.pages", Size::Fold, true),
        ("prune", "prune.marker", Size::Fold, true),
    ];
    let mut hit: Vec<String> = Vec::new();
    for &(window, point, size, published) in windows {
        let dir = tempfile::tempdir().unwrap();
        let path: PathBuf = dir.path().join("db");
        drop(seeded(&path));
        assert!(
            crash_at(&path, point, size),
            "the child never reached {point}"
        );
        hit.push(format!("{window} ({point})"));
        let store = Store::open(&path).unwrap();
        assert_eq!(store.generation(), if published { 2 } else { 1 }, "{point}");
        assert_state(&store, published, size);
        drop(store);
        reopen_and_verify(&path, published, size);
    }
    // Recovery itself: a child dies while writing (leaving an unpublished generation),
    // the next dies while recovering it, then an open recovers for good.
    for point in ["recover.discard", "discard.pages"] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        drop(seeded(&path));
        // (After sled's flush, so that the debris is on disk.)
        assert!(crash_at(&path, "marker.write", Size::Small));
        assert!(
            crash_at(&path, point, Size::Small),
            "the child never reached {point}"
        );
        hit.push(format!("recovery ({point})"));
        reopen_and_verify(&path, false, Size::Small);
    }
    eprintln!("crash windows hit: {}", hit.join(", "));
}
