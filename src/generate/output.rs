//! The CSV files the generator writes: one file per node kind (held in memory until the end,
//! because some node properties count edges) and one per edge kind (streamed as edges are
//! made). File names start with a number so that `DIR/*.csv` lists node files before edge
//! files.
//!
//! Each file opens with the Shanghai fixtures' records of its kind, cell for cell (the
//! fixture columns the generator does not write are added after its own), and never holds a
//! generated record with a fixture node's id or a fixture edge's identity: generated data
//! extends the fixtures and importing it after them changes none of their records.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::fixtures::{Fixtures, Layout};
use super::GenerateError;

/// The node kinds written, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum N {
    District,
    Field,
    Programme,
    Agency,
    University,
    Institute,
    Enterprise,
    Incubator,
    Organisation,
    TechManager,
    Project,
    Platform,
    Achievement,
    Demand,
}

impl N {
    pub(crate) const ALL: [N; 14] = [
        N::District,
        N::Field,
        N::Programme,
        N::Agency,
        N::University,
        N::Institute,
        N::Enterprise,
        N::Incubator,
        N::Organisation,
        N::TechManager,
        N::Project,
        N::Platform,
        N::Achievement,
        N::Demand,
    ];

    /// Schema kind name.
    pub(crate) fn kind(self) -> &'static str {
        match self {
            N::District => "district",
            N::Field => "field",
            N::Programme => "programme",
            N::Agency => "agency",
            N::University => "university",
            N::Institute => "research_institute",
            N::Enterprise => "enterprise",
            N::Incubator => "incubator",
            N::Organisation => "organisation",
            N::TechManager => "tech_manager",
            N::Project => "project",
            N::Platform => "platform",
            N::Achievement => "achievement",
            N::Demand => "demand",
        }
    }

    /// Property columns after `id,kind,name,name_en` (undeclared ones typed by annotation).
    pub(crate) fn columns(self) -> &'static [&'static str] {
        match self {
            N::District => &["district_type"],
            N::Field => &[],
            N::Programme => &["since", "amount", "guide_directions:int"],
            N::Agency => &[],
            N::University => &["pilot_2023", "tech_manager_count"],
            N::Institute => &[],
            N::Enterprise => &["chain_leader", "sme", "founded"],
            N::Incubator => &["high_quality", "incubated_count"],
            N::Organisation => &["org_type"],
            N::TechManager => &["team_size", "projects_served"],
            N::Project => &["programme", "year", "amount", "guide_direction"],
            N::Platform => &["platform_type", "incubated_count", "year"],
            N::Achievement => &["year", "ownership_granted"],
            N::Demand => &["year"],
        }
    }

    fn file_name(self) -> String {
        let pos = N::ALL.iter().position(|n| *n == self).unwrap_or(0);
        format!("{:02}-nodes-{}.csv", pos + 1, self.kind())
    }
}

/// The edge kinds written, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum E {
    LocatedIn,
    InField,
    Funds,
    Supports,
    PartOf,
    Leads,
    ParticipatesIn,
    Operates,
    Owns,
    Posts,
    Solves,
    ContractsWith,
    Incubates,
    SpunOffFrom,
    WorksFor,
    Serves,
    CollaboratesWith,
}

impl E {
    pub(crate) const ALL: [E; 17] = [
        E::LocatedIn,
        E::InField,
        E::Funds,
        E::Supports,
        E::PartOf,
        E::Leads,
        E::ParticipatesIn,
        E::Operates,
        E::Owns,
        E::Posts,
        E::Solves,
        E::ContractsWith,
        E::Incubates,
        E::SpunOffFrom,
        E::WorksFor,
        E::Serves,
        E::CollaboratesWith,
    ];

    pub(crate) fn kind(self) -> &'static str {
        match self {
            E::LocatedIn => "located_in",
            E::InField => "in_field",
            E::Funds => "funds",
            E::Supports => "supports",
            E::PartOf => "part_of",
            E::Leads => "leads",
            E::ParticipatesIn => "participates_in",
            E::Operates => "operates",
            E::Owns => "owns",
            E::Posts => "posts",
            E::Solves => "solves",
            E::ContractsWith => "contracts_with",
            E::Incubates => "incubates",
            E::SpunOffFrom => "spun_off_from",
            E::WorksFor => "works_for",
            E::Serves => "serves",
            E::CollaboratesWith => "collaborates_with",
        }
    }

    /// Columns after `source,target,kind` (including `key` / `weight` where used).
    pub(crate) fn columns(self) -> &'static [&'static str] {
        match self {
            E::LocatedIn | E::InField | E::PartOf | E::Owns | E::WorksFor => &[],
            E::Funds | E::Supports => &["amount", "year"],
            E::Leads | E::ParticipatesIn => &["role", "amount", "year"],
            E::Operates | E::Posts | E::Incubates | E::SpunOffFrom | E::Serves => &["year"],
            E::Solves => &["year", "matched:bool", "signed", "amount:float"],
            E::ContractsWith => &["key", "mode", "amount", "year", "achievement"],
            E::CollaboratesWith => &["weight", "year"],
        }
    }

    fn file_name(self) -> String {
        let pos = E::ALL.iter().position(|e| *e == self).unwrap_or(0);
        format!("{:02}-edges-{}.csv", pos + 21, self.kind())
    }
}

type CsvOut = csv::Writer<BufWriter<File>>;

fn create(path: &Path) -> Result<CsvOut, GenerateError> {
    let file = File::create(path).map_err(|source| GenerateError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(BufWriter::with_capacity(1 << 16, file)))
}

fn csv_err(path: &Path) -> impl FnOnce(csv::Error) -> GenerateError + '_ {
    move |source| GenerateError::Csv {
        path: path.to_path_buf(),
        source,
    }
}

/// One node: id, names and the property cells in [`N::columns`] order ("" = absent).
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub cells: Vec<String>,
}

/// All nodes of one kind.
#[derive(Debug)]
pub(crate) struct Table {
    pub n: N,
    pub rows: Vec<Row>,
}

impl Table {
    pub(crate) fn new(n: N) -> Table {
        Table {
            n,
            rows: Vec::new(),
        }
    }

    /// Adds a node and returns its index.
    pub(crate) fn push(
        &mut self,
        id: String,
        name: String,
        name_en: impl Into<String>,
        props: &[(&str, String)],
    ) -> u32 {
        let cols = self.n.columns();
        let mut cells = vec![String::new(); cols.len()];
        for (name, value) in props {
            cells[col_index(cols, name)] = value.clone();
        }
        self.rows.push(Row {
            id,
            name,
            name_en: name_en.into(),
            cells,
        });
        (self.rows.len() - 1) as u32
    }

    pub(crate) fn set(&mut self, idx: u32, column: &str, value: String) {
        let c = col_index(self.n.columns(), column);
        self.rows[idx as usize].cells[c] = value;
    }

    pub(crate) fn id(&self, idx: u32) -> &str {
        &self.rows[idx as usize].id
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// Writes the fixtures' nodes of this kind, then every generated node whose id is not a
    /// fixture's; returns the file and the number of nodes in it.
    pub(crate) fn write(
        &self,
        dir: &Path,
        fixtures: &Fixtures,
    ) -> Result<(PathBuf, u64), GenerateError> {
        let path = dir.join(self.n.file_name());
        let mut w = create(&path)?;
        let kind = self.n.kind();
        let theirs = fixtures.node_rows(kind);
        let cols = self.n.columns();
        let layout = Layout::new(&fixtures.nodes, &theirs, &NODE_FIXED, cols);
        w.write_record(&layout.header).map_err(csv_err(&path))?;
        for row in &theirs {
            w.write_record(layout.row(row)).map_err(csv_err(&path))?;
        }
        let pad = vec![""; layout.extra(NODE_FIXED.len() + cols.len())];
        let mut written = theirs.len() as u64;
        for row in self.rows.iter().filter(|r| !fixtures.has_node(&r.id)) {
            let head = [row.id.as_str(), kind, &row.name, &row.name_en];
            let cells = row.cells.iter().map(String::as_str);
            w.write_record(head.into_iter().chain(cells).chain(pad.iter().copied()))
                .map_err(csv_err(&path))?;
            written += 1;
        }
        w.flush().map_err(|source| GenerateError::Io {
            path: path.clone(),
            source,
        })?;
        Ok((path, written))
    }
}

const NODE_FIXED: [&str; 4] = ["id", "kind", "name", "name_en"];
const EDGE_FIXED: [&str; 3] = ["source", "target", "kind"];

fn col_index(cols: &[&str], name: &str) -> usize {
    cols.iter()
        .position(|c| c.split(':').next() == Some(name))
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// One open edge file.
struct EdgeFile {
    path: PathBuf,
    out: CsvOut,
    /// Edges written, the fixtures' included.
    count: u64,
    /// Empty cells after the generator's columns (fixture columns it does not write).
    pad: Vec<&'static str>,
    /// The position of `key` among the generator's columns.
    key: Option<usize>,
}

/// The open edge files, one per edge kind, each opened with the fixtures' edges of its kind.
pub(crate) struct EdgeFiles {
    files: Vec<EdgeFile>,
    fixtures: Rc<Fixtures>,
}

impl EdgeFiles {
    pub(crate) fn create(dir: &Path, fixtures: Rc<Fixtures>) -> Result<EdgeFiles, GenerateError> {
        let mut files = Vec::new();
        for e in E::ALL {
            let path = dir.join(e.file_name());
            let mut out = create(&path)?;
            let cols = e.columns();
            let theirs = fixtures.edge_rows(e.kind());
            let layout = Layout::new(&fixtures.edges, &theirs, &EDGE_FIXED, cols);
            out.write_record(&layout.header).map_err(csv_err(&path))?;
            for row in &theirs {
                out.write_record(layout.row(row)).map_err(csv_err(&path))?;
            }
            files.push(EdgeFile {
                path,
                out,
                count: theirs.len() as u64,
                pad: vec![""; layout.extra(EDGE_FIXED.len() + cols.len())],
                key: cols.iter().position(|c| *c == "key"),
            });
        }
        Ok(EdgeFiles { files, fixtures })
    }

    /// Writes one edge, unless the fixtures hold an edge of the same kind, endpoints and key
    /// (theirs stands); `cells` are in [`E::columns`] order ("" = absent).
    pub(crate) fn emit(
        &mut self,
        e: E,
        source: &str,
        target: &str,
        cells: &[&str],
    ) -> Result<(), GenerateError> {
        debug_assert_eq!(cells.len(), e.columns().len(), "{}", e.kind());
        debug_assert_ne!(source, target);
        let file = &mut self.files[e as usize];
        let key = file.key.map_or("", |i| cells[i]);
        if self.fixtures.has_edge(e.kind(), source, target, key) {
            return Ok(());
        }
        let head = [source, target, e.kind()];
        let row = head.iter().chain(cells).chain(&file.pad);
        file.out
            .write_record(row)
            .map_err(|source| GenerateError::Csv {
                path: file.path.clone(),
                source,
            })?;
        file.count += 1;
        Ok(())
    }

    /// Edges of one kind in its file, the fixtures' included.
    pub(crate) fn count(&self, e: E) -> u64 {
        self.files[e as usize].count
    }

    /// Flushes every file; returns their paths.
    pub(crate) fn finish(self) -> Result<Vec<PathBuf>, GenerateError> {
        let mut paths = Vec::new();
        for mut file in self.files {
            file.out.flush().map_err(|source| GenerateError::Io {
                path: file.path.clone(),
                source,
            })?;
            paths.push(file.path);
        }
        Ok(paths)
    }
}
