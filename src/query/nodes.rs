//! Node look-ups: get, list, search, neighbours, statistics, and "did you mean".

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::lookup::unknown_node;
use super::QueryError;
use crate::model::{normalise_for_search, NodeRecord, Schema, MAX_ID_BYTES};
use crate::store::{Catalog, NodeNames, Snapshot, Store};

/// A node as queries return it: the record and its degree (edge records touching it,
/// attribute edges included).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeView {
    /// Node id.
    pub id: String,
    /// Node kind.
    pub kind: String,
    /// Name as written.
    pub name: String,
    /// English name, or null.
    pub name_en: Option<String>,
    /// Properties as plain JSON values.
    pub props: serde_json::Value,
    /// Edge records touching the node.
    pub degree: usize,
}

impl NodeView {
    fn from_record(record: NodeRecord, degree: usize) -> NodeView {
        NodeView {
            props: crate::ingest::props_json(&record.props),
            id: record.id,
            kind: record.kind,
            name: record.name,
            name_en: record.name_en,
            degree,
        }
    }
}

/// Counts of nodes and edges per kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Nodes per kind.
    pub nodes: BTreeMap<String, u64>,
    /// Edges per kind.
    pub edges: BTreeMap<String, u64>,
}

/// Node and edge counts per kind, from the published manifest.
pub fn stats(store: &Store) -> Stats {
    let m = store.manifest();
    Stats {
        nodes: m.node_kinds,
        edges: m.edge_kinds,
    }
}

/// The node with this id: its record (one page read) and its degree (from the snapshot
/// base file and the delta since; the graph is not loaded).
pub fn get_node(store: &Store, id: &str) -> Result<NodeView, QueryError> {
    let catalog = store.catalog()?;
    let Some(record) = store.node(id)? else {
        return Err(unknown_node(&*catalog.nodes()?, id));
    };
    let degree = catalog.degree(id)?;
    Ok(NodeView::from_record(record, degree))
}

/// The nodes at these snapshot indices, read from the store, with their degrees (a node
/// deleted since the snapshot was taken is left out).
pub fn node_views(
    store: &Store,
    snapshot: &Snapshot,
    indices: &[u32],
) -> Result<Vec<NodeView>, QueryError> {
    let mut out = Vec::with_capacity(indices.len());
    for &v in indices {
        let id = snapshot.node_id(v);
        if let Some(record) = store.node(id)? {
            out.push(NodeView::from_record(record, snapshot.degree(v)));
        }
    }
    Ok(out)
}

/// [`node_views`] for callers that hold the catalog (node table and degrees read from
/// the snapshot base file and delta) rather than the loaded snapshot.
fn catalog_views(
    store: &Store,
    catalog: &Catalog,
    names: &dyn NodeNames,
    indices: impl Iterator<Item = u32>,
) -> Result<Vec<NodeView>, QueryError> {
    let mut out = Vec::new();
    for v in indices {
        let id = names.node_id(v);
        if let Some(record) = store.node(id)? {
            out.push(NodeView::from_record(record, catalog.degree(id)?));
        }
    }
    Ok(out)
}

/// Nodes of a kind (all kinds when `None`), in id order, at most `limit` after `offset`.
pub fn list_nodes(
    store: &Store,
    kind: Option<&str>,
    offset: usize,
    limit: usize,
) -> Result<Vec<NodeView>, QueryError> {
    let catalog = store.catalog()?;
    let names = catalog.nodes()?;
    if let Some(k) = kind {
        if store.schema().node_kind(k).is_none() {
            return Err(QueryError::BadParameter(format!(
                "unknown node kind `{k}` (known: {})",
                store
                    .schema()
                    .node_kinds
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let matching = (0..names.node_count() as u32)
        .filter(|&v| kind.is_none_or(|k| names.node_kind(v) == k))
        .skip(offset)
        .take(limit);
    catalog_views(store, &catalog, &*names, matching)
}

/// Nodes whose name or English name contains `text`, compared after NFKC normalisation
/// and lower-casing (so case, full-/half-width forms and compatibility characters do not
/// matter); the id counts too. Exact id or name matches come first, then names that start
/// with the text, then the rest, each in id order. Reads the store's name index (the
/// normalised names kept in the snapshot base plus the few changed since), not every name.
pub fn search(
    store: &Store,
    text: &str,
    kind: Option<&str>,
    limit: usize,
) -> Result<Vec<NodeView>, QueryError> {
    let needle = normalise_for_search(text.trim());
    if needle.is_empty() {
        return Err(QueryError::BadParameter("search text is empty".into()));
    }
    let index = store.name_index()?;
    let mut hits: Vec<(u8, String)> = index
        .matches(&needle)?
        .into_iter()
        .filter(|m| kind.is_none_or(|k| m.kind == k))
        .map(|m| {
            (
                search_rank(
                    &needle,
                    &m.normalised_id,
                    &m.normalised_name,
                    &m.normalised_name_en,
                ),
                m.id,
            )
        })
        .collect();
    hits.sort_unstable();
    let catalog = store.catalog()?;
    let mut out = Vec::new();
    for (_, id) in hits.into_iter().take(limit) {
        if let Some(record) = store.node(&id)? {
            out.push(NodeView::from_record(record, catalog.degree(&id)?));
        }
    }
    Ok(out)
}

/// Where a node whose normalised id, name or English name contains `needle` ranks: 0 for an
/// exact id or name, 1 for a name starting with it, 2 for the rest.
fn search_rank(needle: &str, id: &str, name: &str, en: &str) -> u8 {
    if id == needle || name == needle || en == needle {
        0
    } else if name.starts_with(needle) || en.starts_with(needle) {
        1
    } else {
        2
    }
}

/// Time after which [`suggest`] stops looking and returns what it found: suggestions are a
/// courtesy, and must not let a mistyped id cost more than a real look-up.
const SUGGEST_BUDGET: Duration = Duration::from_millis(100);

/// Ids of up to `k` nodes whose id or name is closest to `text` (substring matches first,
/// then by edit distance), for "did you mean" messages. Nothing for a text longer than any
/// id can be; the search stops after 100 ms with what it found by then.
pub fn suggest<N: NodeNames + ?Sized>(names: &N, text: &str, k: usize) -> Vec<String> {
    if text.len() > MAX_ID_BYTES {
        return Vec::new();
    }
    let started = Instant::now();
    let needle = normalise_for_search(text);
    let mut scored: Vec<(usize, u32)> = Vec::new();
    for v in 0..names.node_count() as u32 {
        if v % 1024 == 1023 && started.elapsed() > SUGGEST_BUDGET {
            break;
        }
        let [id, name, en] = normalised_names(names, v);
        let contains = [&id, &name, &en]
            .iter()
            .any(|s| !s.is_empty() && (s.contains(&needle) || needle.contains(s.as_str())));
        let limit = needle.chars().count().max(3) / 2 + 1;
        let distance = if contains {
            0
        } else {
            [&id, &name, &en]
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| edit_distance(&needle, s, limit))
                .min()
                .unwrap_or(usize::MAX)
        };
        if distance <= limit {
            scored.push((distance, v));
        }
    }
    scored.sort_unstable();
    scored
        .into_iter()
        .take(k)
        .map(|(_, v)| names.node_id(v).to_string())
        .collect()
}

/// Node `v`'s id, name and English name (empty when it has none), normalised as search
/// compares them.
fn normalised_names<N: NodeNames + ?Sized>(names: &N, v: u32) -> [String; 3] {
    [
        normalise_for_search(names.node_id(v)),
        normalise_for_search(names.node_name(v)),
        names
            .node_name_en(v)
            .map(normalise_for_search)
            .unwrap_or_default(),
    ]
}

/// Levenshtein distance, or `usize::MAX` once it is certain to exceed `limit`.
pub(super) fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    if a.len().abs_diff(b.len()) > 4 * limit + 4 {
        return usize::MAX;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        if cur.iter().min().is_some_and(|&m| m > limit) {
            return usize::MAX;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Options of a neighbourhood query.
#[derive(Debug, Clone)]
pub struct NeighborOptions {
    /// How many steps out (1 = direct neighbours; the default).
    pub depth: usize,
    /// Only follow edges of these kinds (all kinds when empty).
    pub edge_kinds: Vec<String>,
    /// At most this many nodes (default 1000).
    pub limit: usize,
}

impl Default for NeighborOptions {
    fn default() -> Self {
        NeighborOptions {
            depth: 1,
            edge_kinds: Vec::new(),
            limit: 1000,
        }
    }
}

/// Largest accepted neighbourhood depth.
pub const MAX_DEPTH: usize = 6;

/// Snapshot indices of the nodes within `depth` steps of `id` (edges followed both ways,
/// only those of `edge_kinds` when it is not empty), nearest first, then in id order; the
/// node itself excluded. Computed on the snapshot alone, so a caller that shows one page
/// reads only that page's records ([`node_views`]).
pub fn neighbor_order(
    snapshot: &Snapshot,
    schema: &Schema,
    id: &str,
    depth: usize,
    edge_kinds: &[String],
) -> Result<Vec<u32>, QueryError> {
    if depth == 0 || depth > MAX_DEPTH {
        return Err(QueryError::BadParameter(format!(
            "depth must be between 1 and {MAX_DEPTH}"
        )));
    }
    let start = snapshot
        .node_index(id)
        .ok_or_else(|| unknown_node(snapshot, id))?;
    let mut kinds = Vec::new();
    for k in edge_kinds {
        match snapshot.edge_kind_code_of(k) {
            Some(c) => kinds.push(c),
            None if schema.edge_kind(k).is_some() => {}
            None => {
                return Err(QueryError::BadParameter(format!("unknown edge kind `{k}`")));
            }
        }
    }
    if !edge_kinds.is_empty() && kinds.is_empty() {
        return Ok(Vec::new());
    }
    let follows = |code: u16| kinds.is_empty() || kinds.contains(&code);
    let codes = snapshot.edge_kind_codes();
    let (sources, targets) = (snapshot.edge_sources(), snapshot.edge_targets());
    let mut dist = vec![u32::MAX; snapshot.node_count()];
    dist[start as usize] = 0;
    let mut queue = VecDeque::from([start]);
    let mut found: Vec<(u32, u32)> = Vec::new();
    while let Some(v) = queue.pop_front() {
        let d = dist[v as usize];
        if d as usize >= depth {
            continue;
        }
        let out = snapshot.out_edges(v).map(|e| (e, targets[e]));
        let inc = snapshot
            .in_edges(v)
            .iter()
            .map(|&e| (e as usize, sources[e as usize]));
        for (e, w) in out.chain(inc) {
            if !follows(codes[e]) || dist[w as usize] != u32::MAX {
                continue;
            }
            dist[w as usize] = d + 1;
            found.push((d + 1, w));
            queue.push_back(w);
        }
    }
    found.sort_unstable();
    Ok(found.into_iter().map(|(_, v)| v).collect())
}

/// Nodes within `depth` steps of `id` (edges followed both ways), nearest first, then in
/// id order; the node itself is not included. At most `limit`; see [`neighbor_order`].
pub fn neighbors(
    store: &Store,
    id: &str,
    options: &NeighborOptions,
) -> Result<Vec<NodeView>, QueryError> {
    let snapshot = store.snapshot()?;
    let order = neighbor_order(
        &snapshot,
        &store.schema(),
        id,
        options.depth,
        &options.edge_kinds,
    )?;
    let shown = &order[..order.len().min(options.limit)];
    node_views(store, &snapshot, shown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::planning_testing;

    /// Search as it was before the name index: every node's names normalised and compared.
    fn search_by_scan(store: &Store, text: &str, kind: Option<&str>) -> Vec<String> {
        let catalog = store.catalog().unwrap();
        let names = catalog.nodes().unwrap();
        let needle = normalise_for_search(text.trim());
        let mut hits: Vec<(u8, u32)> = Vec::new();
        for v in 0..names.node_count() as u32 {
            if kind.is_some_and(|k| names.node_kind(v) != k) {
                continue;
            }
            let [id, name, en] = normalised_names(&names, v);
            let rank = if id == needle || name == needle || en == needle {
                0
            } else if name.starts_with(&needle) || en.starts_with(&needle) {
                1
            } else if name.contains(&needle) || en.contains(&needle) || id.contains(&needle) {
                2
            } else {
                continue;
            };
            hits.push((rank, v));
        }
        hits.sort_unstable();
        hits.into_iter()
            .map(|(_, v)| names.node_id(v).to_string())
            .collect()
    }

    /// Texts to search for: pieces of names, English names and ids of the store (every
    /// `step`-th node), some changed in case or width, plus a few fixed ones.
    fn needles(store: &Store, step: usize) -> Vec<String> {
        let catalog = store.catalog().unwrap();
        let names = catalog.nodes().unwrap();
        let mut out: Vec<String> = [
            "上海",
            "大学",
            "ＳＪＴＵ",
            "Fudan",
            "univ:",
            "a",
            "ent",
            "中心",
            "zz-none",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for v in (0..names.node_count() as u32).step_by(step) {
            for text in [
                names.node_name(v),
                names.node_name_en(v).unwrap_or(""),
                names.node_id(v),
            ] {
                let chars: Vec<char> = text.chars().collect();
                if chars.is_empty() {
                    continue;
                }
                out.push(text.to_string());
                out.push(text.to_uppercase());
                let n = chars.len();
                out.push(chars[n / 3..(n / 3 + 3).min(n)].iter().collect());
                out.push(chars[..n.min(4)].iter().collect());
            }
        }
        out.retain(|s| !s.trim().is_empty());
        out
    }

    fn ids(views: Vec<NodeView>) -> Vec<String> {
        views.into_iter().map(|v| v.id).collect()
    }

    fn assert_same_as_scan(store: &Store, step: usize) {
        for needle in needles(store, step) {
            for kind in [None, Some("university"), Some("enterprise")] {
                assert_eq!(
                    ids(search(store, &needle, kind, usize::MAX).unwrap()),
                    search_by_scan(store, &needle, kind),
                    "search {needle:?} kind {kind:?}"
                );
            }
        }
    }

    #[test]
    fn the_name_index_finds_what_the_scan_found_on_the_fixtures() {
        let t = planning_testing::shanghai();
        assert_same_as_scan(&t.store, 7);
    }

    #[test]
    fn the_name_index_finds_what_the_scan_found_after_small_writes() {
        let t = planning_testing::shanghai();
        let store = &t.store;
        // Changes that stay in the delta: a new node, a renamed one, a deleted one.
        let mut txn = store.write("test").unwrap();
        let mut node = store.node("univ:fudan").unwrap().unwrap();
        node.name = "复旦大学（新名）".into();
        node.name_en = Some("FUDAN Renamed University".into());
        txn.put_node(&node).unwrap();
        let mut fresh = node.clone();
        fresh.id = "ent:zz-fresh".into();
        fresh.kind = "enterprise".into();
        fresh.name = "Ｆｒｅｓｈ 上海 Enterprise".into();
        fresh.name_en = None;
        txn.put_node(&fresh).unwrap();
        txn.commit().unwrap();
        let victim = store
            .nodes()
            .map(|n| n.unwrap())
            .find(|n| n.kind == "enterprise" && store.edges_from(&n.id).next().is_none())
            .map(|n| n.id);
        if let Some(id) = victim {
            let mut txn = store.write("delete").unwrap();
            txn.delete_node(&id).unwrap();
            txn.commit().unwrap();
        }
        assert_eq!(
            ids(search(store, "fresh 上海", None, 10).unwrap()),
            vec!["ent:zz-fresh".to_string()]
        );
        assert_same_as_scan(store, 5);
        assert!(store.check().unwrap().is_ok());
    }

    #[test]
    fn a_base_without_the_name_index_answers_search_the_same() {
        let (t, _) = planning_testing::generated(0.05);
        let store = &t.store;
        // A change left in the delta, so both the base and the delta are searched.
        let mut txn = store.write("test").unwrap();
        let mut node = store.nodes().next().unwrap().unwrap();
        node.name = format!("{}（新名）上海", node.name);
        txn.put_node(&node).unwrap();
        txn.commit().unwrap();
        assert!(store.check().unwrap().notes.is_empty());
        let texts = needles(store, 211);
        let answers = |store: &Store| -> Vec<Vec<String>> {
            texts
                .iter()
                .flat_map(|text| {
                    [None, Some("enterprise")]
                        .map(|kind| ids(search(store, text, kind, 20).unwrap()))
                })
                .collect()
        };
        let with_index = answers(store);
        store.drop_name_index().unwrap();
        assert_eq!(answers(store), with_index);
        assert_same_as_scan(store, 211);
        let report = store.check().unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
        assert!(
            report.notes.iter().any(|n| n.contains("has no name index")),
            "{:?}",
            report.notes
        );
    }

    #[test]
    fn the_name_index_finds_what_the_scan_found_on_generated_data() {
        let (t, _) = planning_testing::generated(0.05);
        assert_same_as_scan(&t.store, 97);
        assert!(t.store.check().unwrap().is_ok());
    }

    #[test]
    fn edit_distance_counts_and_gives_up_past_the_limit() {
        assert_eq!(edit_distance("univ:sjtx", "univ:sjtu", 5), 1);
        assert_eq!(edit_distance("kitten", "sitting", 5), 3);
        assert_eq!(edit_distance("kitten", "sitting", 1), usize::MAX);
        assert_eq!(edit_distance("a", "a much longer string", 3), usize::MAX);
    }
}
