//! `innograph import`: CSV / JSON Lines / CORDIS files as one transaction, or `--undo`.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Instant;

use anyhow::{bail, Result};

use super::args::ImportArgs;
use super::output::outln;
use super::progress::{interrupt_flag, progress_bar};
use crate::ingest::{self, Files, ImportError, ImportOptions, InputFile};

/// `innograph import FILES… | --undo`.
pub(super) fn import(db: &Path, args: ImportArgs) -> Result<i32> {
    let store = super::open(db)?;
    if args.undo {
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

/// Prints the listed issues, then how many more there are.
fn report_issues(issues: &[ingest::Issue], total: u64) {
    for issue in issues {
        eprintln!("{issue}");
    }
    if total > issues.len() as u64 {
        eprintln!("... and {} more", total - issues.len() as u64);
    }
}
