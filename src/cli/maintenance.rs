//! The database maintenance commands: `compact`, `backup`, `restore`.

use std::path::Path;

use anyhow::Result;

use crate::query::{Manifest, Store};

/// Bytes as megabytes, for people.
fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn describe(m: &Manifest) -> String {
    format!(
        "generation {} ({} nodes, {} edges, digest {:016x})",
        m.generation, m.nodes, m.edges, m.checksum
    )
}

/// `innograph compact`.
pub fn compact(db: &Path) -> Result<i32> {
    let report = Store::compact(db)?;
    println!(
        "compacted {}: {} before, {} after; {}",
        db.display(),
        mb(report.before),
        mb(report.after),
        describe(&report.manifest)
    );
    Ok(0)
}

/// `innograph backup --out DIR`.
pub fn backup(db: &Path, out: &Path) -> Result<i32> {
    let report = Store::backup(db, out)?;
    println!(
        "backed up {} to {} ({} copied, checked): {}",
        db.display(),
        report.path.display(),
        mb(report.bytes),
        describe(&report.manifest)
    );
    Ok(0)
}

/// `innograph restore --from DIR`.
pub fn restore(db: &Path, from: &Path) -> Result<i32> {
    let report = Store::restore(db, from)?;
    println!(
        "restored {} from {} ({} copied, checked): {}",
        db.display(),
        from.display(),
        mb(report.bytes),
        describe(&report.manifest)
    );
    Ok(0)
}
