//! Store tests: generations, undo, recovery, and a property test against an in-memory model.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::*;
use crate::model::{PropValue, Props};

fn node(id: &str, kind: &str, name: &str) -> NodeRecord {
    NodeRecord {
        id: id.into(),
        kind: kind.into(),
        name: name.into(),
        name_en: None,
        props: Props::new(),
    }
}

fn edge(s: &str, t: &str, key: &str) -> EdgeRecord {
    EdgeRecord {
        source: s.into(),
        target: t.into(),
        kind: "collaborates_with".into(),
        key: key.into(),
        weight: None,
        props: Props::new(),
    }
}

fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let (store, created) = Store::init(&dir.path().join("db"), Schema::builtin(), None).unwrap();
    assert!(created);
    (dir, store)
}

#[test]
fn staged_writes_are_invisible_until_commit() {
    let (_d, store) = fresh();
    let mut txn = store.write("test").unwrap();
    txn.put_node(&node("a", "university", "A")).unwrap();
    assert!(store.node("a").unwrap().is_none());
    let summary = txn.commit().unwrap();
    assert_eq!(summary.manifest.nodes, 1);
    assert_eq!(store.node("a").unwrap().unwrap().name, "A");
    assert_eq!(store.snapshot().unwrap().node_count(), 1);
}

#[test]
fn dropping_a_transaction_discards_it() {
    let (_d, store) = fresh();
    {
        let mut txn = store.write("test").unwrap();
        txn.put_node(&node("a", "university", "A")).unwrap();
    }
    assert!(store.node("a").unwrap().is_none());
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn rewriting_the_same_record_writes_nothing() {
    let (_d, store) = fresh();
    let mut txn = store.write("1").unwrap();
    txn.put_node(&node("a", "university", "A")).unwrap();
    let g1 = txn.commit().unwrap().manifest.generation;
    let mut txn = store.write("2").unwrap();
    txn.put_node(&node("a", "university", "A")).unwrap();
    let summary = txn.commit().unwrap();
    assert_eq!((summary.written, summary.unchanged), (0, 1));
    assert_eq!(store.generation(), g1);
    // Nor does it use up a generation number.
    let mut txn = store.write("3").unwrap();
    txn.put_node(&node("b", "university", "B")).unwrap();
    assert_eq!(txn.commit().unwrap().manifest.generation, g1 + 1);
}

#[test]
fn undo_restores_the_previous_generation_once() {
    let (_d, store) = fresh();
    let mut txn = store.write("1").unwrap();
    txn.put_node(&node("a", "university", "A")).unwrap();
    txn.commit().unwrap();
    let mut txn = store.write("2").unwrap();
    txn.put_node(&node("a", "university", "A2")).unwrap();
    txn.put_node(&node("b", "enterprise", "B")).unwrap();
    txn.put_edge(&edge("a", "b", "")).unwrap();
    txn.commit().unwrap();
    assert_eq!(store.snapshot().unwrap().edge_count(), 1);
    store.undo().unwrap();
    assert_eq!(store.node("a").unwrap().unwrap().name, "A");
    assert!(store.node("b").unwrap().is_none());
    assert_eq!(store.snapshot().unwrap().edge_count(), 0);
    assert!(
        store.check().unwrap().is_ok(),
        "{:?}",
        store.check().unwrap()
    );
    assert!(matches!(store.undo(), Err(StoreError::NothingToUndo(_))));
}

#[test]
fn deleting_a_node_deletes_its_edges() {
    let (_d, store) = fresh();
    let mut txn = store.write("1").unwrap();
    for id in ["a", "b", "c"] {
        txn.put_node(&node(id, "enterprise", id)).unwrap();
    }
    txn.put_edge(&edge("a", "b", "")).unwrap();
    txn.put_edge(&edge("b", "c", "")).unwrap();
    txn.commit().unwrap();
    let mut txn = store.write("2").unwrap();
    let (outcome, edges) = txn.delete_node("b").unwrap();
    assert_eq!((outcome, edges), (WriteOutcome::Deleted, 2));
    txn.commit().unwrap();
    assert_eq!(store.manifest().edges, 0);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn dangling_edges_abort_the_commit_and_leave_the_store_as_it_was() {
    let (_d, store) = fresh();
    let mut txn = store.write("1").unwrap();
    txn.put_node(&node("a", "enterprise", "a")).unwrap();
    txn.put_edge(&edge("a", "zz", "")).unwrap();
    assert!(matches!(txn.commit(), Err(StoreError::DanglingEdge { .. })));
    assert_eq!(store.generation(), 0);
    assert!(store.node("a").unwrap().is_none());
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn reopening_discards_an_unpublished_generation() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let (store, _) = Store::init(&path, Schema::builtin(), None).unwrap();
        let mut txn = store.write("1").unwrap();
        txn.put_node(&node("a", "university", "A")).unwrap();
        txn.commit().unwrap();
        // A crash just before publication: its pages and change log are written, the
        // marker is not, and nothing cleans up.
        let _armed = fail::arm("marker.write", "return").also("discard.pages", "return");
        let mut txn = store.write("2").unwrap();
        txn.put_node(&node("b", "university", "B")).unwrap();
        assert!(matches!(
            txn.commit(),
            Err(StoreError::Injected("marker.write"))
        ));
        assert!(
            store.pages.tree().len() > 3,
            "the failed write left its pages"
        );
    }
    let store = Store::open(&path).unwrap();
    assert!(store.node("b").unwrap().is_none());
    assert!(store.node("a").unwrap().is_some());
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{report:?}");
}

#[test]
fn second_open_reports_the_database_in_use() {
    let (dir, _store) = fresh();
    let err = Store::open(&dir.path().join("db")).unwrap_err();
    assert!(matches!(err, StoreError::InUse(_)), "{err}");
}

#[test]
fn opening_a_missing_database_says_how_to_create_it() {
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open(&dir.path().join("nothing")).unwrap_err();
    assert!(err.to_string().contains("innograph init"));
}

#[derive(Debug, Clone)]
enum Op {
    PutNode(u8, u8),
    PutEdge(u8, u8, u8),
    DeleteNode(u8),
    DeleteEdge(u8, u8, u8),
    Commit,
    Abort,
    Undo,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0u8..8, 0u8..3).prop_map(|(i, v)| Op::PutNode(i, v)),
        4 => (0u8..8, 0u8..8, 0u8..2).prop_map(|(a, b, k)| Op::PutEdge(a, b, k)),
        1 => (0u8..8).prop_map(Op::DeleteNode),
        1 => (0u8..8, 0u8..8, 0u8..2).prop_map(|(a, b, k)| Op::DeleteEdge(a, b, k)),
        2 => Just(Op::Commit),
        1 => Just(Op::Abort),
        1 => Just(Op::Undo),
    ]
}

type Model = (BTreeMap<String, NodeRecord>, BTreeMap<EdgeId, EdgeRecord>);

fn model_node(i: u8, v: u8) -> NodeRecord {
    let mut n = node(&format!("n{i}"), "enterprise", &format!("v{v}"));
    n.props.insert("v".into(), PropValue::Int(v as i64));
    n
}

fn model_edge(a: u8, b: u8, k: u8) -> EdgeRecord {
    let mut e = edge(&format!("n{a}"), &format!("n{b}"), &format!("k{k}"));
    e.canonicalise(false);
    e
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// The store behaves like a map of committed states with one level of undo.
    #[test]
    fn store_matches_an_in_memory_model(ops in proptest::collection::vec(op(), 1..40)) {
        let (_d, store) = fresh();
        let mut committed: Model = Default::default();
        let mut previous: Option<Model> = None;
        let mut staged = committed.clone();
        let mut txn: Option<WriteTxn<'_>> = None;
        for op in ops {
            match op {
                Op::PutNode(i, v) => {
                    let t = txn.get_or_insert_with(|| store.write("p").unwrap());
                    let n = model_node(i, v);
                    t.put_node(&n).unwrap();
                    staged.0.insert(n.id.clone(), n);
                }
                Op::PutEdge(a, b, k) => {
                    let e = model_edge(a, b, k);
                    if a == b || !staged.0.contains_key(&e.source) || !staged.0.contains_key(&e.target) {
                        continue;
                    }
                    let t = txn.get_or_insert_with(|| store.write("p").unwrap());
                    t.put_edge(&e).unwrap();
                    staged.1.insert(e.id(), e);
                }
                Op::DeleteNode(i) => {
                    // Cascades only see published edges; keep the model to that case.
                    let id = format!("n{i}");
                    let staged_edge = staged.1.keys().any(|e| (e.source == id || e.target == id) && !committed.1.contains_key(e));
                    if staged_edge { continue; }
                    let t = txn.get_or_insert_with(|| store.write("p").unwrap());
                    t.delete_node(&id).unwrap();
                    staged.0.remove(&id);
                    let committed_edges: Vec<EdgeId> = committed.1.keys().filter(|e| e.source == id || e.target == id).cloned().collect();
                    for e in committed_edges { staged.1.remove(&e); }
                }
                Op::DeleteEdge(a, b, k) => {
                    let e = model_edge(a, b, k).id();
                    let t = txn.get_or_insert_with(|| store.write("p").unwrap());
                    t.delete_edge(&e).unwrap();
                    staged.1.remove(&e);
                }
                Op::Commit => {
                    if let Some(t) = txn.take() {
                        let summary = t.commit().unwrap();
                        if summary.written > 0 && staged != committed {
                            previous = Some(std::mem::replace(&mut committed, staged.clone()));
                        }
                        staged = committed.clone();
                    }
                }
                Op::Abort => {
                    if let Some(t) = txn.take() { t.abort().unwrap(); }
                    staged = committed.clone();
                }
                Op::Undo => {
                    if txn.is_some() { continue; }
                    match (store.undo(), previous.take()) {
                        (Ok(_), Some(p)) => { committed = p; }
                        (Err(StoreError::NothingToUndo(_)), None) => {}
                        (r, p) => prop_assert!(false, "undo gave {:?} with model previous {:?}", r.map(|_| ()), p.is_some()),
                    }
                    staged = committed.clone();
                }
            }
        }
        drop(txn);
        let nodes: Vec<NodeRecord> = store.nodes().collect::<Result<_>>().unwrap();
        let edges: Vec<EdgeRecord> = store.edges().collect::<Result<_>>().unwrap();
        prop_assert_eq!(nodes, committed.0.values().cloned().collect::<Vec<_>>());
        prop_assert_eq!(edges, committed.1.values().cloned().collect::<Vec<_>>());
        let snap = store.snapshot().unwrap();
        prop_assert_eq!(snap.node_count(), committed.0.len());
        prop_assert_eq!(snap.edge_count(), committed.1.len());
        let report = store.check().unwrap();
        prop_assert!(report.is_ok(), "{:?}", report);
    }
}

/// Where the committed store fixtures live.
fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// Copies a committed store fixture into a temporary directory: opening a store writes
/// to it (recovery, sled's own files), and the fixture must stay as committed.
fn fixture_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    copy(&fixture_dir().join(name), &path);
    (dir, path)
}

/// The store fixture `tests/data/store-v1` was written by the format-1 code (the Shanghai
/// fixtures imported, then one more node in a second write). Every later format must open
/// it with the same records, counts and digest.
#[test]
fn the_format_1_fixture_opens_with_the_same_records_and_digest() {
    let (dir, path) = fixture_copy("store-v1");
    let store = Store::open(&path).unwrap();
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{report:?}");
    let manifest = store.manifest();
    assert_eq!(
        (manifest.generation, manifest.nodes, manifest.edges),
        (2, 76, 103)
    );
    assert_eq!(
        manifest.checksum, FIXTURE_V1_CHECKSUM,
        "{:016x}",
        manifest.checksum
    );
    let out = dir.path().join("export");
    crate::ingest::export(&store, crate::ingest::ExportFormat::JsonLines, &out).unwrap();
    let exported = std::fs::read_to_string(out.join("graph.jsonl")).unwrap();
    let expected = std::fs::read_to_string(fixture_dir().join("store-v1.export.jsonl")).unwrap();
    assert!(exported == expected, "the fixture's records changed");
}

/// The digest (manifest checksum) the format-1 code computed for `tests/data/store-v1`.
const FIXTURE_V1_CHECKSUM: u64 = 0xa9a1_80bb_49a0_331e;

#[test]
fn engine_errors_are_typed() {
    let enospc = || std::io::Error::from_raw_os_error(28);
    assert!(matches!(
        StoreError::from(enospc()),
        StoreError::DiskFull(_)
    ));
    assert!(matches!(
        StoreError::from(sled::Error::Io(enospc())),
        StoreError::DiskFull(_)
    ));
    assert!(matches!(
        StoreError::from(sled::Error::ReportableBug("x".into())),
        StoreError::EngineFailure(_)
    ));
    let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
    assert!(matches!(StoreError::from(denied), StoreError::Io(_)));
}

#[test]
fn the_lock_is_released_when_the_store_is_dropped() {
    let (dir, store) = fresh();
    drop(store);
    let again = Store::open(&dir.path().join("db")).unwrap();
    assert!(matches!(
        Store::open(&dir.path().join("db")),
        Err(StoreError::InUse(_))
    ));
    drop(again);
}
