//! The Shanghai fixtures as the generator sees them: the embedded `nodes.csv` and `edges.csv`
//! ([`crate::fixtures`]) read as text, cell by cell, so that the generator can write them
//! into its own files unchanged, look up what they say about an actor (its district, its
//! fields, a property such as `chain_leader`), and leave out every generated record that
//! would replace one of theirs.
//!
//! Aggregate records (a node with `aggregate_count`, or whose note says it is one: the 14
//! pilot universities, the 27 Miracle Point companies, …) and the edges that touch them are
//! not written: the generator makes their members one by one, and a report that adds an
//! aggregate's count beside them would count those actors twice.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::Schema;

/// One CSV file as text: its header and its rows, cells as written.
#[derive(Debug, Clone)]
pub(crate) struct RawTable {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl RawTable {
    fn parse(text: &str) -> RawTable {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        let header = reader
            .headers()
            .expect("the embedded fixtures have a header")
            .iter()
            .map(String::from)
            .collect();
        let rows = reader
            .records()
            .map(|r| {
                r.expect("the embedded fixtures are valid CSV")
                    .iter()
                    .map(String::from)
                    .collect()
            })
            .collect();
        RawTable { header, rows }
    }

    fn column(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("the fixtures have no column {name}"))
    }
}

/// The property a column holds: its header without a `props.` prefix or a `:type` suffix.
pub(crate) fn base_name(column: &str) -> &str {
    let body = column.strip_prefix("props.").unwrap_or(column);
    body.rsplit_once(':').map_or(body, |(name, _)| name)
}

/// An edge's identity as the store sees it: kind, endpoints (in canonical order for an
/// undirected kind) and key.
type EdgeKey = (String, String, String, String);

/// The fixtures, indexed.
#[derive(Debug)]
pub(crate) struct Fixtures {
    pub nodes: RawTable,
    pub edges: RawTable,
    node_row: BTreeMap<String, usize>,
    aggregates: BTreeSet<String>,
    edge_keys: BTreeSet<EdgeKey>,
    schema: Schema,
}

impl Fixtures {
    /// Reads the embedded Shanghai fixtures.
    pub(crate) fn shanghai() -> Fixtures {
        Fixtures::from_csv(
            crate::fixtures::SHANGHAI_NODES_CSV,
            crate::fixtures::SHANGHAI_EDGES_CSV,
        )
    }

    fn from_csv(nodes: &str, edges: &str) -> Fixtures {
        let nodes = RawTable::parse(nodes);
        let edges = RawTable::parse(edges);
        let id = nodes.column("id");
        let node_row = nodes
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r[id].clone(), i))
            .collect();
        let (note, count) = (nodes.column("note"), nodes.column("aggregate_count:int"));
        let aggregates = nodes
            .rows
            .iter()
            .filter(|r| !r[count].is_empty() || r[note].starts_with("Aggregate record"))
            .map(|r| r[id].clone())
            .collect();
        let mut fixtures = Fixtures {
            nodes,
            edges,
            node_row,
            aggregates,
            edge_keys: BTreeSet::new(),
            schema: Schema::builtin(),
        };
        let (s, t, k, key) = (
            fixtures.edges.column("source"),
            fixtures.edges.column("target"),
            fixtures.edges.column("kind"),
            fixtures.edges.column("key"),
        );
        let keys = fixtures
            .edges
            .rows
            .iter()
            .map(|r| fixtures.edge_key(&r[k], &r[s], &r[t], &r[key]))
            .collect();
        fixtures.edge_keys = keys;
        fixtures
    }

    fn edge_key(&self, kind: &str, source: &str, target: &str, key: &str) -> EdgeKey {
        let undirected = self.schema.edge_kind(kind).is_some_and(|d| !d.directed);
        let (a, b) = if undirected && target < source {
            (target, source)
        } else {
            (source, target)
        };
        (kind.into(), a.into(), b.into(), key.into())
    }

    /// Whether the fixtures hold a node with this id.
    pub(crate) fn has_node(&self, id: &str) -> bool {
        self.node_row.contains_key(id)
    }

    /// Whether the fixtures hold this edge (the same kind, endpoints and key).
    pub(crate) fn has_edge(&self, kind: &str, source: &str, target: &str, key: &str) -> bool {
        self.edge_keys
            .contains(&self.edge_key(kind, source, target, key))
    }

    /// The text of a node's property (any column whose base name is `name`), if not empty.
    pub(crate) fn prop(&self, id: &str, name: &str) -> Option<&str> {
        let row = &self.nodes.rows[*self.node_row.get(id)?];
        self.nodes
            .header
            .iter()
            .zip(row)
            .find(|(h, cell)| base_name(h) == name && !cell.is_empty())
            .map(|(_, cell)| cell.as_str())
    }

    /// Whether a node's property says `true`.
    pub(crate) fn is_true(&self, id: &str, name: &str) -> bool {
        self.prop(id, name) == Some("true")
    }

    /// The targets of the fixture edges of `kind` from `source`, in file order.
    pub(crate) fn targets(&self, source: &str, kind: &str) -> Vec<&str> {
        self.ends(kind, |s, _| s == source, |_, t| t)
    }

    /// The sources of the fixture edges of `kind` into `target`, in file order.
    pub(crate) fn sources(&self, target: &str, kind: &str) -> Vec<&str> {
        self.ends(kind, |_, t| t == target, |s, _| s)
    }

    fn ends<'a>(
        &'a self,
        kind: &str,
        keep: impl Fn(&str, &str) -> bool,
        pick: impl Fn(&'a str, &'a str) -> &'a str,
    ) -> Vec<&'a str> {
        let (s, t) = (self.edges.column("source"), self.edges.column("target"));
        self.edges_where(kind, keep)
            .into_iter()
            .map(|r| pick(&r[s], &r[t]))
            .collect()
    }

    /// The edge rows of one kind whose (source, target) pass `keep`.
    fn edges_where<'a>(
        &'a self,
        kind: &str,
        keep: impl Fn(&str, &str) -> bool,
    ) -> Vec<&'a [String]> {
        let (s, t, k) = (
            self.edges.column("source"),
            self.edges.column("target"),
            self.edges.column("kind"),
        );
        self.edges
            .rows
            .iter()
            .filter(|r| r[k] == kind && keep(&r[s], &r[t]))
            .map(Vec::as_slice)
            .collect()
    }

    /// Whether the fixture node stands for several unnamed actors.
    pub(crate) fn is_aggregate(&self, id: &str) -> bool {
        self.aggregates.contains(id)
    }

    /// The node rows of one kind that the generator writes (aggregates left out).
    pub(crate) fn node_rows(&self, kind: &str) -> Vec<&[String]> {
        let (id, k) = (self.nodes.column("id"), self.nodes.column("kind"));
        self.nodes
            .rows
            .iter()
            .filter(|r| r[k] == kind && !self.is_aggregate(&r[id]))
            .map(Vec::as_slice)
            .collect()
    }

    /// The edge rows of one kind that the generator writes (none touching an aggregate).
    pub(crate) fn edge_rows(&self, kind: &str) -> Vec<&[String]> {
        self.edges_where(kind, |s, t| !self.is_aggregate(s) && !self.is_aggregate(t))
    }
}

/// How the generator's file of one kind holds the fixture rows of that kind: the generator's
/// columns, then each fixture column it lacks that has a value in one of those rows.
#[derive(Debug)]
pub(crate) struct Layout {
    /// The file's header.
    pub header: Vec<String>,
    /// For each header column, the fixture column it takes its cells from.
    from_fixture: Vec<Option<usize>>,
}

impl Layout {
    /// `fixed` are the leading columns (`id,kind,name,name_en` or `source,target,kind`),
    /// `generated` the generator's property columns of this kind.
    pub(crate) fn new(
        fixture: &RawTable,
        rows: &[&[String]],
        fixed: &[&str],
        generated: &[&str],
    ) -> Layout {
        let mut header: Vec<String> = fixed
            .iter()
            .chain(generated)
            .map(|c| c.to_string())
            .collect();
        let mut from_fixture: Vec<Option<usize>> = header
            .iter()
            .map(|h| {
                fixture
                    .header
                    .iter()
                    .position(|f| base_name(f) == base_name(h))
            })
            .collect();
        for (i, column) in fixture.header.iter().enumerate() {
            let used = rows.iter().any(|r| !r[i].is_empty());
            if used && !from_fixture.contains(&Some(i)) {
                header.push(column.clone());
                from_fixture.push(Some(i));
            }
        }
        Layout {
            header,
            from_fixture,
        }
    }

    /// Columns after the generator's own, which generated rows leave empty.
    pub(crate) fn extra(&self, generated_columns: usize) -> usize {
        self.header.len() - generated_columns
    }

    /// A fixture row laid out in this file's columns.
    pub(crate) fn row<'a>(&self, row: &'a [String]) -> Vec<&'a str> {
        self.from_fixture
            .iter()
            .map(|c| c.map_or("", |i| row[i].as_str()))
            .collect()
    }
}
