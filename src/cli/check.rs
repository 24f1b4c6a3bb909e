//! `innograph check`: verify the database against its manifest.

use std::path::Path;

use super::output::outln;
use anyhow::Result;

/// `innograph check`.
pub(super) fn check(db: &Path) -> Result<i32> {
    let store = super::open(db)?;
    let report = store.check()?;
    let m = store.manifest();
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    if report.is_ok() {
        outln!(
            "ok: generation {} ({}), {} nodes, {} edges; {} stored versions read; records, counts, checksum and snapshot agree",
            report.generation, m.note, m.nodes, m.edges, report.records_read
        )?;
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
