//! What each command does: open the store, call the library, print the result.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use super::args::{Cli, Command, EdgeCommand, ImportArgs, NodeCommand, OutputFormat};
use super::output::{emit, node_table, Table};
use crate::ingest::{self, ExportFormat, Files, ImportError, ImportOptions, InputFile};
use crate::model::{EdgeId, Schema};
use crate::query::{self, NeighborOptions};
use crate::store::{Store, WriteOutcome};

/// The Shanghai fixtures, embedded so the default database can be built anywhere.
const SHANGHAI_NODES: &str = include_str!("../../fixtures/shanghai/nodes.csv");
const SHANGHAI_EDGES: &str = include_str!("../../fixtures/shanghai/edges.csv");

/// Runs a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    let db = cli.db.clone();
    match cli
        .command
        .unwrap_or(Command::Overview(super::args::FormatArg {
            format: OutputFormat::Table,
        })) {
        Command::Overview(f) => overview(&db, f.format),
        Command::Init { schema } => init(&db, schema.as_deref()),
        Command::Schema { format } => print_schema(&db, &format),
        Command::Import(args) => import(&db, args),
        Command::Generate { scale, seed, out } => {
            let started = Instant::now();
            let summary =
                crate::generate::generate(&crate::generate::GenerateOptions { scale, seed }, &out)?;
            println!("{summary}");
            println!(
                "wrote {} in {:.1} s; import with: innograph import {}",
                out.display(),
                started.elapsed().as_secs_f64(),
                summary
                    .files
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            Ok(0)
        }
        Command::Stats(f) => {
            let store = open(&db)?;
            let stats = query::stats(&store);
            emit(f.format, &serde_json::to_value(&stats)?, || {
                let mut t = Table::new(&["what", "kind", "count"]);
                for (k, n) in &stats.nodes {
                    t.rows.push(vec!["node".into(), k.clone(), n.to_string()]);
                }
                for (k, n) in &stats.edges {
                    t.rows.push(vec!["edge".into(), k.clone(), n.to_string()]);
                }
                t
            })?;
            Ok(0)
        }
        Command::Node(cmd) => node(&db, cmd),
        Command::Edge(EdgeCommand::Delete {
            source,
            target,
            kind,
            key,
        }) => {
            let store = open(&db)?;
            let schema = store.schema();
            let Some(def) = schema.edge_kind(&kind) else {
                bail!("unknown edge kind `{kind}`");
            };
            let (source, target) = if !def.directed && target < source {
                (target, source)
            } else {
                (source, target)
            };
            let id = EdgeId {
                source,
                target,
                kind,
                key,
            };
            let mut txn = store.write(&format!("edge delete {id}"))?;
            let outcome = txn.delete_edge(&id)?;
            if outcome == WriteOutcome::Absent {
                txn.abort()?;
                bail!("no edge {id}");
            }
            txn.commit()?;
            println!("deleted edge {id}");
            Ok(0)
        }
        Command::Check => check(&db),
        Command::Centrality(args) => {
            super::analysis::centrality(&open(&db)?, args, interrupt_flag())
        }
        Command::Report { batch, out } => {
            super::analysis::report(&open(&db)?, &batch, &out, interrupt_flag())
        }
        Command::Search {
            text,
            kind,
            limit,
            format,
        } => {
            let store = open(&db)?;
            let nodes = query::search(&store, &text, kind.as_deref(), limit)?;
            emit(format.format, &serde_json::to_value(&nodes)?, || {
                node_table(&nodes)
            })?;
            Ok(0)
        }
        Command::Neighbors {
            id,
            depth,
            edge_kind,
            limit,
            format,
        } => {
            let store = open(&db)?;
            let nodes = query::neighbors(
                &store,
                &id,
                &NeighborOptions {
                    depth,
                    edge_kinds: edge_kind,
                    limit,
                },
            )?;
            emit(format.format, &serde_json::to_value(&nodes)?, || {
                node_table(&nodes)
            })?;
            Ok(0)
        }
        Command::Partners(args) => super::partners::partners(&open(&db)?, args),
        Command::Path(args) => super::partners::path(&open(&db)?, args),
        Command::Brokers(args) => super::partners::brokers(&open(&db)?, args),
        Command::Match(args) => super::partners::matching(&open(&db)?, args),
        Command::Export { format, out } => {
            let store = open(&db)?;
            let format = if format == "csv" {
                ExportFormat::Csv
            } else {
                ExportFormat::JsonLines
            };
            let summary = ingest::export(&store, format, &out)?;
            println!(
                "exported {} nodes and {} edges to {}",
                summary.nodes,
                summary.edges,
                summary
                    .files
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            Ok(0)
        }
        Command::Gaps(args) => super::gaps::gaps(&open(&db)?, args),
        Command::Evaluate(cmd) => super::gaps::evaluate(cmd),
        Command::Serve(args) => {
            let config = super::serve::config(args)?;
            crate::server::serve(open(&db)?, config)?;
            Ok(0)
        }
    }
}

fn open(db: &Path) -> Result<Store> {
    Ok(Store::open(db)?)
}

fn init(db: &Path, schema_file: Option<&Path>) -> Result<i32> {
    let extension = match schema_file {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read schema file {}", path.display()))?;
            Some(
                Schema::extension_from_toml(&text)
                    .with_context(|| format!("in schema file {}", path.display()))?,
            )
        }
    };
    let had_extension = extension.is_some();
    let (store, created) = Store::init(db, Schema::builtin(), extension)?;
    let schema = store.schema();
    if created {
        println!(
            "created {} ({} node kinds, {} edge kinds)",
            db.display(),
            schema.node_kinds.len(),
            schema.edge_kinds.len()
        );
    } else if had_extension {
        println!(
            "extended the schema of {} (now {} node kinds, {} edge kinds)",
            db.display(),
            schema.node_kinds.len(),
            schema.edge_kinds.len()
        );
    } else {
        println!("{} already exists; nothing to do", db.display());
    }
    Ok(0)
}

fn print_schema(db: &Path, format: &str) -> Result<i32> {
    let schema = if db.exists() {
        open(db)?.schema()
    } else {
        Schema::builtin()
    };
    if format == "json" {
        println!("{}", serde_json::to_string_pretty(&schema)?);
    } else {
        print!("{}", schema.to_toml());
    }
    Ok(0)
}

/// Set by the Ctrl-C handler.
fn interrupt_flag() -> Arc<AtomicBool> {
    static FLAG: std::sync::OnceLock<Arc<AtomicBool>> = std::sync::OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let f = Arc::clone(&flag);
        // If a handler cannot be installed, Ctrl-C simply ends the process, which the
        // store survives too (the write stays unpublished).
        let _ = ctrlc::set_handler(move || f.store(true, Ordering::SeqCst));
        flag
    })
    .clone()
}

fn progress_bar(total: u64) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{msg:>10} [{bar:40}] {bytes}/{total_bytes} ({eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

fn import(db: &Path, args: ImportArgs) -> Result<i32> {
    let store = open(db)?;
    if args.undo {
        let before = store.manifest();
        let restored = store.undo()?;
        println!(
            "undid generation {} ({}); the database is back at generation {} ({} nodes, {} edges)",
            before.generation, before.note, restored.generation, restored.nodes, restored.edges
        );
        return Ok(0);
    }
    let note = format!(
        "import {}",
        args.files
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    );
    let options = ImportOptions {
        skip_invalid: args.skip_invalid,
    };
    let started = Instant::now();
    let mut input: Box<dyn ingest::Input> = match args.from.as_deref() {
        Some("cordis") => {
            if args.files.is_empty() || args.files.len() > 2 {
                bail!("--from cordis takes organization.csv and optionally topics.csv");
            }
            match ingest::cordis::Cordis::read(
                &args.files[0],
                args.files.get(1).map(PathBuf::as_path),
            ) {
                Ok(c) => Box::new(c),
                Err(issues) => {
                    report_issues(&issues, issues.len() as u64);
                    eprintln!("error: the CORDIS files have problems; nothing was imported");
                    return Ok(1);
                }
            }
        }
        _ => Box::new(Files(args.files.iter().map(InputFile::new).collect())),
    };
    let bar = progress_bar(input.size() * 2);
    bar.set_message("importing");
    let flag = interrupt_flag();
    let result = ingest::import(
        &store,
        input.as_mut(),
        options,
        &note,
        &mut |n| bar.inc(n),
        &|| flag.load(Ordering::Relaxed),
    );
    bar.finish_and_clear();
    match result {
        Ok(report) => {
            if report.issue_count > 0 {
                report_issues(&report.issues, report.issue_count);
                eprintln!("skipped {} invalid record(s)", report.issue_count);
            }
            let secs = started.elapsed().as_secs_f64();
            let records = report.nodes_read + report.edges_read;
            let manifest = report.manifest.unwrap_or_else(|| store.manifest());
            println!(
                "read {} nodes and {} edges in {:.2} s ({:.0} records/s): {} new, {} changed, {} unchanged",
                report.nodes_read,
                report.edges_read,
                secs,
                records as f64 / secs.max(1e-9),
                report.inserted,
                report.updated,
                report.unchanged
            );
            println!(
                "database {} is at generation {}: {} nodes, {} edges",
                db.display(),
                manifest.generation,
                manifest.nodes,
                manifest.edges
            );
            Ok(0)
        }
        Err(ImportError::Invalid(report)) => {
            report_issues(&report.issues, report.issue_count);
            eprintln!(
                "error: {} invalid record(s); nothing was imported (use --skip-invalid to import the valid ones)",
                report.issue_count
            );
            Ok(1)
        }
        Err(e) => Err(e.into()),
    }
}

fn report_issues(issues: &[ingest::Issue], total: u64) {
    for issue in issues {
        eprintln!("{issue}");
    }
    if total > issues.len() as u64 {
        eprintln!("... and {} more", total - issues.len() as u64);
    }
}

fn node(db: &Path, cmd: NodeCommand) -> Result<i32> {
    let store = open(db)?;
    match cmd {
        NodeCommand::Get { id, format } => {
            let node = query::get_node(&store, &id)?;
            emit(format.format, &serde_json::to_value(&node)?, || {
                let mut t = Table::new(&["field", "value"]);
                t.rows.push(vec!["id".into(), node.id.clone()]);
                t.rows.push(vec!["kind".into(), node.kind.clone()]);
                t.rows.push(vec!["name".into(), node.name.clone()]);
                t.rows.push(vec![
                    "name_en".into(),
                    node.name_en.clone().unwrap_or_default(),
                ]);
                t.rows.push(vec!["degree".into(), node.degree.to_string()]);
                if let serde_json::Value::Object(props) = &node.props {
                    for (k, v) in props {
                        let text = match v {
                            serde_json::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        t.rows.push(vec![format!("props.{k}"), text]);
                    }
                }
                t
            })?;
        }
        NodeCommand::List {
            kind,
            limit,
            offset,
            format,
        } => {
            let nodes = query::list_nodes(&store, kind.as_deref(), offset, limit)?;
            emit(format.format, &serde_json::to_value(&nodes)?, || {
                node_table(&nodes)
            })?;
        }
        NodeCommand::Delete { id } => {
            let mut txn = store.write(&format!("node delete {id}"))?;
            let (outcome, edges) = txn.delete_node(&id)?;
            if outcome == WriteOutcome::Absent {
                txn.abort()?;
                let snapshot = store.snapshot()?;
                return Err(query::QueryError::UnknownNode {
                    suggestions: query::suggest(&snapshot, &id, 3),
                    id,
                }
                .into());
            }
            txn.commit()?;
            println!("deleted node {id} and {edges} edge(s) touching it");
        }
    }
    Ok(0)
}

fn check(db: &Path) -> Result<i32> {
    let store = open(db)?;
    let report = store.check()?;
    let m = store.manifest();
    if report.is_ok() {
        println!(
            "ok: generation {} ({}), {} nodes, {} edges; {} stored versions read; records, counts, checksum and snapshot agree",
            report.generation, m.note, m.nodes, m.edges, report.records_read
        );
        return Ok(0);
    }
    for p in &report.problems {
        eprintln!("problem: {p}");
    }
    if report.previous_available {
        eprintln!("the previous generation is intact; `innograph import --undo` restores it");
    }
    eprintln!("error: {} problem(s) found", report.problems.len());
    Ok(1)
}

/// Builds the default database from the embedded Shanghai fixtures.
fn build_default(db: &Path) -> Result<Store> {
    let (store, _) = Store::init(db, Schema::builtin(), None)?;
    let dir = tempfile_dir()?;
    let nodes = dir.join("shanghai-nodes.csv");
    let edges = dir.join("shanghai-edges.csv");
    std::fs::write(&nodes, SHANGHAI_NODES)?;
    std::fs::write(&edges, SHANGHAI_EDGES)?;
    let mut input = Files(vec![
        InputFile {
            path: nodes.clone(),
            display: "fixtures/shanghai/nodes.csv".into(),
        },
        InputFile {
            path: edges.clone(),
            display: "fixtures/shanghai/edges.csv".into(),
        },
    ]);
    let result = ingest::import(
        &store,
        &mut input,
        ImportOptions::default(),
        "import fixtures/shanghai",
        &mut |_| {},
        &|| false,
    );
    let _ = std::fs::remove_dir_all(&dir);
    result.map_err(|e| anyhow::anyhow!("building the default database: {e}"))?;
    Ok(store)
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("innograph-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn overview(db: &Path, format: OutputFormat) -> Result<i32> {
    let store = if db.exists() {
        open(db)?
    } else {
        eprintln!(
            "no database at {}; building it from the Shanghai fixtures (the STCSM 2025 reply)",
            db.display()
        );
        build_default(db)?
    };
    let stats = query::stats(&store);
    let snapshot = store.snapshot()?;
    let schema = store.schema();
    // The best-connected organisations per kind.
    let mut hubs: Vec<serde_json::Value> = Vec::new();
    let mut table = Table::new(&["kind", "id", "name", "name_en", "degree"]);
    for kind in schema.organisation_kinds() {
        let Some(code) = snapshot.node_kind_code_of(kind) else {
            continue;
        };
        let mut members: Vec<(usize, u32)> = (0..snapshot.node_count() as u32)
            .filter(|&v| snapshot.node_kind_code(v) == code)
            .map(|v| (snapshot.degree(v), v))
            .collect();
        members.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(degree, v) in members.iter().take(3) {
            hubs.push(serde_json::json!({
                "kind": kind, "id": snapshot.node_id(v), "name": snapshot.node_name(v),
                "name_en": snapshot.node_name_en(v), "degree": degree,
            }));
            table.rows.push(vec![
                kind.to_string(),
                snapshot.node_id(v).to_string(),
                snapshot.node_name(v).to_string(),
                snapshot.node_name_en(v).unwrap_or("").to_string(),
                degree.to_string(),
            ]);
        }
    }
    let m = store.manifest();
    if format == OutputFormat::Json {
        emit(
            format,
            &serde_json::json!({"database": db.display().to_string(), "generation": m.generation,
                "stats": stats, "hubs": hubs}),
            Table::default,
        )?;
        return Ok(0);
    }
    println!(
        "innograph database {} — generation {} ({}): {} nodes, {} edges\n",
        db.display(),
        m.generation,
        m.note,
        m.nodes,
        m.edges
    );
    let mut counts = Table::new(&["nodes by kind", "count", "edges by kind", "count"]);
    let nodes: Vec<_> = stats.nodes.iter().collect();
    let edges: Vec<_> = stats.edges.iter().collect();
    for i in 0..nodes.len().max(edges.len()) {
        let (nk, nc) = nodes
            .get(i)
            .map_or((String::new(), String::new()), |(k, c)| {
                (k.to_string(), c.to_string())
            });
        let (ek, ec) = edges
            .get(i)
            .map_or((String::new(), String::new()), |(k, c)| {
                (k.to_string(), c.to_string())
            });
        counts.rows.push(vec![nk, nc, ek, ec]);
    }
    emit(format, &serde_json::Value::Null, || counts)?;
    println!("\nBest-connected organisations per kind (edge records touching them):");
    emit(format, &serde_json::Value::Null, || table)?;
    println!(
        "\nNext: `innograph search 交通大学`, `innograph node get univ:sjtu`, `innograph neighbors univ:sjtu`."
    );
    Ok(0)
}
