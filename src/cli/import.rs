//! `innograph import`: CSV / JSON Lines / CORDIS files as one transaction, or `--undo`.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use super::args::ImportArgs;
use super::output::outln;
use super::progress::{interrupt_flag, Progress, Unit};
use super::values::UsageError;
use crate::ingest::formats::{EdgeListOptions, ForeignFiles, ForeignFormat, KindDefaults};
use crate::ingest::{self, Files, ImportError, ImportOptions, ImportPlan, InputFile};
use crate::model::Schema;
use crate::query::{Store, StoreError};

/// `innograph import FILES… | DIR | --undo`.
pub(super) fn import(db: &Path, args: ImportArgs) -> Result<i32> {
    if args.undo {
        let store = super::open(db)?;
        let before = store.manifest();
        let restored = store.undo()?;
        outln!(
            "undid generation {} ({}); the database is back at generation {} ({} nodes, {} edges)",
            before.generation,
            before.note,
            restored.generation,
            restored.nodes,
            restored.edges
        )?;
        if store.reclaim_pending() {
            drop(store);
            reclaim(db);
        }
        return Ok(0);
    }
    // Every file is checked before anything is created or written.
    let plan = if args.from.as_deref() == Some("cordis") {
        for f in &args.files {
            ingest::check_file(f)?;
        }
        ImportPlan {
            files: args.files.clone(),
            ..ImportPlan::default()
        }
    } else {
        ingest::plan_import(&args.files)?
    };
    for p in &plan.left_out {
        eprintln!("note: {} is not data; left out", p.display());
    }
    if plan.files.is_empty() {
        return Err(
            UsageError("no data files to import (CSV, JSON Lines, GraphML, GEXF)".into()).into(),
        );
    }
    let extension = match &plan.schema {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Some(
                Schema::extension_from_toml(&text)
                    .with_context(|| format!("in {}", path.display()))?,
            )
        }
    };
    let (store, created) = match Store::open(db) {
        Ok(store) => {
            if let (Some(ext), Some(path)) = (extension, &plan.schema) {
                let current = store.schema();
                let mut merged = current.clone();
                merged
                    .merge(ext)
                    .with_context(|| format!("in {}", path.display()))?;
                if merged != current {
                    bail!(
                        "{} adds kinds or properties to the database's schema; apply it first with \
                         `innograph init --schema {}`, then import again",
                        path.display(),
                        path.display()
                    );
                }
                eprintln!(
                    "note: {} is the database's schema already; nothing to apply",
                    path.display()
                );
            }
            (store, false)
        }
        Err(StoreError::Missing(_)) => {
            let (store, _) = Store::init(db, Schema::builtin(), extension)?;
            let schema_note = plan
                .schema
                .as_ref()
                .map(|p| format!(" with the schema of {}", p.display()))
                .unwrap_or_default();
            eprintln!("created the database {}{schema_note}", db.display());
            (store, true)
        }
        Err(e) => return Err(e.into()),
    };
    let code = import_into(&store, db, &args, &plan.files);
    if !created && store.reclaim_pending() {
        drop(store);
        reclaim(db);
        return code;
    }
    if created && !matches!(code, Ok(0)) {
        // The database did not exist before this command: leave nothing behind.
        drop(store);
        if std::fs::remove_dir_all(db).is_ok() {
            eprintln!(
                "removed the new database {}; nothing was imported",
                db.display()
            );
        }
    }
    code
}

fn import_into(store: &Store, db: &Path, args: &ImportArgs, files: &[PathBuf]) -> Result<i32> {
    let note = format!(
        "import {}",
        files
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
            if files.is_empty() || files.len() > 2 {
                bail!("--from cordis takes organization.csv and optionally topics.csv");
            }
            match ingest::cordis::Cordis::read(&files[0], files.get(1).map(PathBuf::as_path)) {
                Ok(c) => Box::new(c),
                Err(issues) => {
                    report_issues(&issues, issues.len() as u64);
                    eprintln!("error: the CORDIS files have problems; nothing was imported");
                    return Ok(1);
                }
            }
        }
        Some(foreign) => {
            let inputs = files.iter().map(InputFile::new).collect();
            Box::new(ForeignFiles::new(
                store,
                inputs,
                foreign_format(foreign, args)?,
            )?)
        }
        None => Box::new(Files(files.iter().map(InputFile::new).collect())),
    };
    let bar = Progress::new("importing", Unit::Bytes);
    bar.set_length(input.size() * 2);
    let flag = interrupt_flag();
    let result = ingest::import(
        store,
        input.as_mut(),
        options,
        &note,
        &mut |n| bar.inc(n),
        &|| flag.load(Ordering::Relaxed),
    );
    bar.finish();
    match result {
        Ok(report) => {
            if report.issue_count > 0 {
                report_issues(&report.issues, report.issue_count);
                eprintln!("skipped {} invalid record(s)", report.issue_count);
            }
            let secs = started.elapsed().as_secs_f64();
            let records = report.nodes_read + report.edges_read;
            let manifest = report.manifest.unwrap_or_else(|| store.manifest());
            outln!(
                "read {} nodes and {} edges in {:.2} s ({:.0} records/s): {} new, {} changed, {} unchanged",
                report.nodes_read,
                report.edges_read,
                secs,
                records as f64 / secs.max(1e-9),
                report.inserted,
                report.updated,
                report.unchanged
            )?;
            outln!(
                "database {} is at generation {}: {} nodes, {} edges",
                db.display(),
                manifest.generation,
                manifest.nodes,
                manifest.edges
            )?;
            if report.inserted + report.updated >= TRAIN_HINT_RECORDS {
                eprintln!(
                    "note: gaps, partners and candidate consortia train their rankers on their first call after a write; `innograph train` trains them now"
                );
            }
            Ok(0)
        }
        Err(ImportError::Interrupted) => {
            eprintln!("interrupted; nothing was imported");
            Ok(130)
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

/// Records written from which `import` points to `innograph train`: below, the first
/// learned question trains in about a second anyway.
const TRAIN_HINT_RECORDS: u64 = 50_000;

/// Gives back the space a discarded write (undone, interrupted or failed) left in the
/// database, saying so; a failure only leaves the space for the next open to reclaim.
fn reclaim(db: &Path) {
    match Store::reclaim(db) {
        Ok(Some(r)) => eprintln!(
            "gave back the space the discarded write took: {:.1} MB -> {:.1} MB",
            r.before as f64 / 1e6,
            r.after as f64 / 1e6
        ),
        Ok(None) => {}
        Err(e) => eprintln!(
            "note: the space the discarded write took is reclaimed at the next open ({e})"
        ),
    }
}

/// The foreign format `--from` names, with the kinds the options give.
fn foreign_format(name: &str, args: &ImportArgs) -> Result<ForeignFormat> {
    let defaults = KindDefaults {
        node_kind: args.node_kind.clone(),
        edge_kind: args.edge_kind.clone(),
    };
    Ok(match name {
        "graphml" => ForeignFormat::GraphMl(defaults),
        "gexf" => ForeignFormat::Gexf(defaults),
        _ => {
            let Some(edge_kind) = args.edge_kind.clone() else {
                return Err(UsageError(
                    "--from edgelist needs --edge-kind (the kind of every tie), and --node-kind \
                     (or --source-kind/--target-kind) for endpoints not yet stored"
                        .into(),
                )
                .into());
            };
            ForeignFormat::EdgeList(EdgeListOptions {
                edge_kind,
                source_kind: args.source_kind.clone().or(args.node_kind.clone()),
                target_kind: args.target_kind.clone().or(args.node_kind.clone()),
                delimiter: None,
            })
        }
    })
}

/// Prints the listed issues, then how many more there are.
fn report_issues(issues: &[ingest::Issue], total: u64) {
    for issue in issues {
        eprintln!("{issue}");
    }
    if total > issues.len() as u64 {
        eprintln!("... and {} more", total - issues.len() as u64);
    }
}
