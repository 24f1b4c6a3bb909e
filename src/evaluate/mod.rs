//! `evaluate gaps`: held-out evaluation of the `gaps` ranking the way users read it — hide
//! ties, rank *every* candidate pair of the two kinds on what is left (no sampled
//! negatives), count the hidden pairs at the top — for the learned default and every single
//! method side by side, on datasets this module builds into temporary stores (CORDIS H2020,
//! the generated Shanghai ecosystem, the synthetic families) or on the user's database. An
//! experiment harness above the query layer; the protocols themselves are in [`holdout`].
//!
//! Each dataset has a natural protocol, used unless one is asked for:
//! - **CORDIS** — a seeded random 10 % of the projects hidden (`--holdout-projects 0.1`);
//! - **generated ecosystem** — every tie dated 2024 or later hidden (`--temporal 2024`);
//! - **synthetic families** (undated ties) — a seeded random 10 % of the university–enterprise
//!   ties hidden;
//! - **the database** — no natural protocol: one of `--holdout-projects`, `--temporal` or
//!   `--truth` is required.
//!
//! Every figure is computed on data the learned model never saw: it trains on the training
//! graph of the protocol, hiding ties of it in turn ([`crate::query::learned`]).

pub mod holdout;
pub mod partners;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use holdout::{evaluate_holdout, HoldoutReport, Protocol};
pub use partners::{PartnersFigures, PARTNERS_K};

use crate::algo::link_model::{PairSpace, TrainOptions};
use crate::algo::parallel::Parallelism;
use crate::generate::families::{generate_family, Family, FamilyOptions};
use crate::ingest::{self, Files, ImportOptions, InputFile};
use crate::model::Schema;
use crate::query::learned::space_of;
use crate::query::relations::Relations;
use crate::query::{CollabContext, QueryError};
use crate::store::{Snapshot, Store};

/// The protocol asked for on the command line.
#[derive(Debug, Clone, PartialEq)]
pub enum ProtocolChoice {
    /// A seeded random share of the projects hidden.
    HoldoutProjects(f64),
    /// A seeded random share of the ties between the two kinds hidden.
    HoldoutTies(f64),
    /// Ties dated this year or later hidden.
    Temporal(i32),
    /// Pairs of this CSV file (`source,target` ids) known to have formed later.
    Truth(PathBuf),
}

/// A dataset to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub enum Dataset {
    /// CORDIS H2020 from this folder (`organization.csv`, optionally `topics.csv`).
    Cordis(PathBuf),
    /// The generated Shanghai ecosystem at this scale (generator seed = the run's seed).
    Generated(f64),
    /// A synthetic family with this many actors (generator seed = the run's seed).
    Family(Family, usize),
    /// The database the command was given.
    Database,
}

impl Dataset {
    /// The protocol used when none is asked for.
    pub fn natural_protocol(&self) -> Option<ProtocolChoice> {
        match self {
            Dataset::Cordis(_) => Some(ProtocolChoice::HoldoutProjects(0.1)),
            Dataset::Generated(_) => Some(ProtocolChoice::Temporal(2024)),
            Dataset::Family(..) => Some(ProtocolChoice::HoldoutTies(0.1)),
            Dataset::Database => None,
        }
    }

    /// A short description.
    pub fn describe(&self) -> String {
        match self {
            Dataset::Cordis(_) => "CORDIS H2020".into(),
            Dataset::Generated(scale) => format!("generated ecosystem (scale {scale})"),
            Dataset::Family(family, actors) => format!("{} ({actors} actors)", family.name()),
            Dataset::Database => "the database".into(),
        }
    }
}

/// What `evaluate gaps` asks.
#[derive(Debug, Clone)]
pub struct EvaluateGapsRequest {
    /// The datasets, in report order.
    pub datasets: Vec<Dataset>,
    /// The protocol for every dataset; each dataset's natural one when `None`.
    pub protocol: Option<ProtocolChoice>,
    /// One run per seed and dataset (seed of the hide, of training and of generated data).
    pub seeds: Vec<u64>,
    /// Kind of the sources and of the targets.
    pub between: (String, String),
    /// Uniform negatives drawn for the AUC estimate.
    pub auc_negatives: usize,
    /// Threads.
    pub parallelism: Parallelism,
}

impl Default for EvaluateGapsRequest {
    fn default() -> Self {
        EvaluateGapsRequest {
            datasets: Vec::new(),
            protocol: None,
            seeds: vec![42],
            between: ("university".into(), "enterprise".into()),
            auc_negatives: 100_000,
            parallelism: Parallelism::auto(),
        }
    }
}

/// One dataset evaluated with one seed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatasetRun {
    /// The dataset.
    pub dataset: String,
    /// The seed.
    pub seed: u64,
    /// Organisations of the collab view.
    pub organisations: usize,
    /// Sources and targets of the two kinds.
    pub sources: usize,
    /// Targets of the second kind.
    pub targets: usize,
    /// The figures.
    pub report: HoldoutReport,
}

fn bad(message: String) -> QueryError {
    QueryError::BadParameter(message)
}

fn bad_file(message: String) -> QueryError {
    QueryError::BadFile(message)
}

/// Reads a truth file: a CSV with a header and `source,target` ids; every id must be a node
/// of the collab view.
fn read_truth(
    path: &Path,
    snapshot: &Snapshot,
    ctx: &CollabContext<'_>,
) -> Result<Vec<(u32, u32)>, QueryError> {
    let file = path.display();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .map_err(|e| bad_file(format!("{file}: {e}")))?;
    let headers = reader
        .headers()
        .map_err(|e| bad_file(format!("{file}: {e}")))?
        .clone();
    let column = |name: &str| {
        headers.iter().position(|h| h.trim() == name).ok_or_else(|| {
            bad_file(format!("{file}: line 1: no `{name}` column (the header must name `source` and `target`)"))
        })
    };
    let (source, target) = (column("source")?, column("target")?);
    let mut pairs = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| bad_file(format!("{file}: line {line}: {e}")))?;
        let end = |col: usize, field: &str| -> Result<u32, QueryError> {
            let id = record.get(col).unwrap_or("").trim();
            let v = snapshot.node_index(id).ok_or_else(|| {
                bad_file(format!(
                    "{file}: line {line}: field `{field}`: no node `{id}`"
                ))
            })?;
            ctx.view.index_of(v).ok_or_else(|| {
                bad_file(format!("{file}: line {line}: field `{field}`: `{id}` is not an organisation of the collab view"))
            })
        };
        pairs.push((end(source, "source")?, end(target, "target")?));
    }
    if pairs.is_empty() {
        return Err(bad_file(format!("{file}: no pairs")));
    }
    Ok(pairs)
}

/// Runs `protocol` once on `store` with `seed`.
pub fn evaluate_store(
    store: &Store,
    dataset: &str,
    protocol: &ProtocolChoice,
    seed: u64,
    request: &EvaluateGapsRequest,
) -> Result<DatasetRun, QueryError> {
    let snapshot = store.snapshot()?;
    let schema = store.schema();
    let (kind_a, kind_b) = (&request.between.0, &request.between.1);
    crate::query::organisation_kind(&schema, kind_a)?;
    crate::query::organisation_kind(&schema, kind_b)?;
    let ctx = CollabContext::build(&snapshot, &schema)?;
    let space: PairSpace = space_of(&ctx, kind_a, kind_b, |_| true).ok_or_else(|| {
        bad(format!(
            "{dataset}: no {kind_a} or no {kind_b} in the collab view"
        ))
    })?;
    let relations = Relations::of(&snapshot, &ctx.view);
    let protocol = match protocol {
        ProtocolChoice::HoldoutProjects(share) => {
            let projects: Vec<u32> = match snapshot.node_kind_code_of("project") {
                Some(code) => (0..snapshot.node_count() as u32)
                    .filter(|&v| snapshot.node_kind_code(v) == code)
                    .collect(),
                None => Vec::new(),
            };
            let rule = ctx
                .view
                .rule_names
                .iter()
                .position(|r| r == "shared_project")
                .map(|i| i as u16);
            if projects.is_empty() || rule.is_none() {
                return Err(bad(format!(
                    "{dataset}: no projects to hide (try --temporal or --holdout-ties)"
                )));
            }
            Protocol::HoldoutProjects {
                share: *share,
                projects,
                rule,
            }
        }
        ProtocolChoice::HoldoutTies(share) => Protocol::HoldoutTies { share: *share },
        ProtocolChoice::Temporal(year) => Protocol::Temporal { year: *year },
        ProtocolChoice::Truth(path) => Protocol::Truth {
            pairs: read_truth(path, &snapshot, &ctx)?,
        },
    };
    let options = TrainOptions {
        seed,
        parallelism: request.parallelism,
        ..TrainOptions::default()
    };
    let report = evaluate_holdout(
        &relations,
        &ctx.attributes.fields,
        &ctx.attributes.districts,
        &space,
        &protocol,
        &options,
        request.auc_negatives,
    );
    if report.positives == 0 {
        return Err(bad(format!(
            "{dataset}: {} leaves no hidden {kind_a}–{kind_b} pair to find",
            protocol.describe()
        )));
    }
    Ok(DatasetRun {
        dataset: dataset.to_string(),
        seed,
        organisations: ctx.view.nodes.len(),
        sources: space.sources.len(),
        targets: space.targets.len(),
        report,
    })
}

/// Checks a protocol's parameters.
fn check(protocol: &ProtocolChoice) -> Result<(), QueryError> {
    match protocol {
        ProtocolChoice::HoldoutProjects(share) | ProtocolChoice::HoldoutTies(share)
            if !(*share > 0.0 && *share < 1.0) =>
        {
            Err(bad(
                "a hidden share must be between 0 and 1 (exclusive)".into()
            ))
        }
        _ => Ok(()),
    }
}

/// Builds the dataset for `seed` into a temporary store and evaluates it (the database:
/// `database`, which must be given).
fn run_dataset(
    dataset: &Dataset,
    protocol: &ProtocolChoice,
    seed: u64,
    request: &EvaluateGapsRequest,
    database: Option<&Store>,
) -> Result<DatasetRun, QueryError> {
    let name = dataset.describe();
    match dataset {
        Dataset::Database => {
            let store = database.ok_or_else(|| bad("no database to evaluate".into()))?;
            evaluate_store(store, &name, protocol, seed, request)
        }
        Dataset::Cordis(dir) => {
            let orgs = dir.join("organization.csv");
            if !orgs.is_file() {
                return Err(bad(format!(
                    "no CORDIS organization.csv in {} (--cordis-dir)",
                    dir.display()
                )));
            }
            let topics = dir.join("topics.csv");
            let topics = topics.is_file().then_some(topics);
            let mut input =
                ingest::cordis::Cordis::read(&orgs, topics.as_deref()).map_err(|issues| {
                    bad(format!(
                        "the CORDIS files have problems: {}",
                        issues
                            .iter()
                            .take(3)
                            .map(|i| i.to_string())
                            .collect::<Vec<_>>()
                            .join("; ")
                    ))
                })?;
            let tmp = TempDir::new("cordis")?;
            let store = import_into(&tmp.0, &mut input, "CORDIS")?;
            evaluate_store(&store, &name, protocol, seed, request)
        }
        Dataset::Generated(scale) => {
            let tmp = TempDir::new("generated")?;
            let summary = crate::generate::generate(
                &crate::generate::GenerateOptions {
                    scale: *scale,
                    seed,
                },
                &tmp.0.join("files"),
            )
            .map_err(|e| bad(format!("generating: {e}")))?;
            let mut input = Files(summary.files.iter().map(InputFile::new).collect());
            let store = import_into(&tmp.0, &mut input, "the generated ecosystem")?;
            evaluate_store(&store, &name, protocol, seed, request)
        }
        Dataset::Family(family, actors) => {
            let tmp = TempDir::new(family.name())?;
            let summary = generate_family(
                &FamilyOptions {
                    family: *family,
                    actors: *actors,
                    seed,
                },
                &tmp.0.join("files"),
            )
            .map_err(|e| bad(format!("generating {}: {e}", family.name())))?;
            let mut input = Files(summary.files.iter().map(InputFile::new).collect());
            let store = import_into(&tmp.0, &mut input, family.name())?;
            evaluate_store(&store, &name, protocol, seed, request)
        }
    }
}

/// Every dataset of `request` with every seed, in order; `progress` hears what starts.
pub fn evaluate_gaps(
    request: &EvaluateGapsRequest,
    database: Option<&Store>,
    progress: &mut dyn FnMut(&str),
) -> Result<Vec<DatasetRun>, QueryError> {
    if request.seeds.is_empty() {
        return Err(bad("at least one seed is needed".into()));
    }
    let mut out = Vec::new();
    for dataset in &request.datasets {
        let protocol = request
            .protocol
            .clone()
            .or_else(|| dataset.natural_protocol())
            .ok_or_else(|| {
                bad(format!(
                    "{}: say how to hold out: --holdout-projects SHARE, --holdout-ties SHARE, --temporal YEAR or --truth FILE",
                    dataset.describe()
                ))
            })?;
        check(&protocol)?;
        for &seed in &request.seeds {
            progress(&format!("{} with seed {seed}", dataset.describe()));
            out.push(run_dataset(dataset, &protocol, seed, request, database)?);
        }
    }
    Ok(out)
}

/// The runs as Markdown tables, as in EVALUATION.md: one table per dataset and protocol,
/// one row per method and seed.
pub fn to_markdown(runs: &[DatasetRun]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let mut i = 0;
    while i < runs.len() {
        let head = &runs[i];
        let group: Vec<&DatasetRun> = runs[i..]
            .iter()
            .take_while(|r| r.dataset == head.dataset && r.report.protocol == head.report.protocol)
            .collect();
        i += group.len();
        let _ = writeln!(out, "### {} — {}\n", head.dataset, head.report.protocol);
        for r in &group {
            let m = &r.report.model;
            let _ = writeln!(
                out,
                "- seed {}: {} organisations, {} × {} candidates ranked ({}), {} positives ({} with a newcomer end); learned method chose **{}** (it trained by hiding {})",
                r.seed,
                r.organisations,
                r.sources,
                r.targets,
                r.report.candidates,
                r.report.positives,
                r.report.positives_cold,
                m.chosen,
                r.report.learned_hid.description
            );
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "| method | seed | p@10 | p@100 | p@1000 | hits@10 | hits@100 | hits@1000 | AUC |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for k in 0..head.report.results.len() {
            for r in &group {
                let Some(f) = r.report.results.get(k) else {
                    continue;
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {:.2} | {:.3} | {:.4} | {} | {} | {} | {:.3} |",
                    f.method,
                    r.seed,
                    f.precision[0],
                    f.precision[1],
                    f.precision[2],
                    f.hits[0],
                    f.hits[1],
                    f.hits[2],
                    f.auc
                );
            }
        }
        if group.iter().any(|r| !r.report.partners.is_empty()) {
            let _ = writeln!(
                out,
                "\n`partners` on the same hold-out (each source's own list of every untied firm; hits summed over sources):\n"
            );
            let _ = writeln!(
                out,
                "| partners ranking | seed | sources | positives | hits@1 | hits@10 | hits@100 | sources with a hit in their top 10 | MRR |"
            );
            let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            let methods = group
                .iter()
                .map(|r| r.report.partners.len())
                .max()
                .unwrap_or(0);
            for k in 0..methods {
                for r in &group {
                    let Some(f) = r.report.partners.get(k) else {
                        continue;
                    };
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | {} | {} | {} | {} | {} | {:.3} |",
                        f.method,
                        r.seed,
                        f.sources,
                        f.positives,
                        f.hits[0],
                        f.hits[1],
                        f.hits[2],
                        f.sources_hit,
                        f.mrr
                    );
                }
            }
        }
        let _ = writeln!(out);
    }
    out
}

/// A temporary directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Result<TempDir, QueryError> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "innograph-eval-{tag}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).map_err(|e| {
            QueryError::BadParameter(format!("cannot create {}: {e}", dir.display()))
        })?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn import_into(dir: &Path, input: &mut dyn ingest::Input, what: &str) -> Result<Store, QueryError> {
    let (store, _) = Store::init(&dir.join("db"), Schema::builtin(), None)?;
    ingest::import(
        &store,
        input,
        ImportOptions::default(),
        &format!("import {what}"),
        &mut |_| {},
        &|| false,
    )
    .map_err(|e| QueryError::BadParameter(format!("importing {what}: {e}")))?;
    Ok(store)
}
