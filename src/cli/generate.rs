//! `innograph generate`: write the calibrated synthetic Shanghai ecosystem.

use std::path::Path;
use std::time::Instant;

use anyhow::Result;

use super::output::outln;
use crate::generate::{generate as write_ecosystem, GenerateOptions};

/// `innograph generate --scale S --seed N --out DIR`.
pub(super) fn generate(scale: f64, seed: u64, out: &Path) -> Result<i32> {
    let started = Instant::now();
    let summary = write_ecosystem(&GenerateOptions { scale, seed }, out)?;
    outln!("{summary}")?;
    outln!(
        "wrote {} in {:.1} s; import with: innograph import {}",
        out.display(),
        started.elapsed().as_secs_f64(),
        summary
            .files
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    )?;
    Ok(0)
}
