//! Synthetic data for innograph: a deterministic generator of Shanghai's technology-transfer
//! ecosystem, calibrated at scale 1 to the figures of the source document (see
//! `docs/generator.md` for every figure, definition and assumption).
//!
//! [`generate`] writes CSV files that `innograph import DIR/*.csv` reads: one file per node
//! kind (`NN-nodes-KIND.csv`, header `id,kind,name,name_en,…`) and one per edge kind
//! (`NN-edges-KIND.csv`, header `source,target,kind,…`), numbered so node files sort first.
//! The same scale and seed give byte-identical files; the generator uses its own PRNG and
//! ordered collections only.
//!
//! The output extends the Shanghai fixtures ([`crate::fixtures`]) instead of replacing them:
//! each file opens with the fixtures' records of its kind, cell for cell, and holds no
//! generated record under a fixture node's id or a fixture edge's identity. The actors the
//! source names keep the fixtures' ids, names and properties; the generator ties synthetic
//! actors to them. Importing the output after the fixtures adds records and changes none.
//!
//! This module imports only [`crate::model`] and [`crate::fixtures`]; it knows nothing of
//! the store.

pub mod families;
mod fixtures;
mod names;
mod output;
mod rng;
mod world;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GenerateOptions {
    /// Size multiplier: 1 reproduces the source's figures; counts of fixed sets (districts,
    /// fields, programmes, agencies) do not scale. Must be finite and in (0, 10 000].
    pub scale: f64,
    /// Seed of the pseudo-random streams.
    pub seed: u64,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            scale: 1.0,
            seed: 42,
        }
    }
}

/// Why generation failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// The scale is not a finite number in (0, 10 000].
    #[error("scale must be a finite number greater than 0 and at most 10000, got {0}")]
    InvalidScale(f64),
    /// A file or directory could not be created or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The CSV writer failed.
    #[error("{}: {source}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: csv::Error,
    },
}

/// How a calibration figure is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureUnit {
    /// A count.
    Count,
    /// An amount in CNY.
    Cny,
    /// A share, 0..1.
    Share,
}

/// One calibration figure: what the source says (times the scale) and what was generated.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// What is counted, e.g. "university contracts signed in 2024".
    pub label: &'static str,
    /// The source's figure times the scale (shares are not scaled).
    pub target: f64,
    /// The generated value.
    pub actual: f64,
    /// How to show the numbers.
    pub unit: FigureUnit,
    /// The source gives a lower bound ("more than"), so any value from `target` up is right.
    pub at_least: bool,
}

impl Figure {
    /// Relative deviation of `actual` from `target`.
    pub fn deviation(&self) -> f64 {
        if self.target == 0.0 {
            self.actual
        } else {
            (self.actual - self.target) / self.target
        }
    }

    /// Whether the generated value reproduces the figure: within ±5 %, or above a lower bound.
    pub fn holds(&self) -> bool {
        self.deviation().abs() <= 0.05 || (self.at_least && self.actual >= self.target)
    }
}

/// What [`generate`] made.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateSummary {
    /// The options used.
    pub options: GenerateOptions,
    /// Files written, node files first.
    pub files: Vec<PathBuf>,
    /// Nodes written per node kind.
    pub nodes: BTreeMap<String, u64>,
    /// Edges written per edge kind.
    pub edges: BTreeMap<String, u64>,
    /// The calibration figures, in the order of `docs/generator.md`.
    pub figures: Vec<Figure>,
}

impl GenerateSummary {
    /// Total nodes written.
    pub fn node_total(&self) -> u64 {
        self.nodes.values().sum()
    }

    /// Total edges written.
    pub fn edge_total(&self) -> u64 {
        self.edges.values().sum()
    }
}

/// Writes `n` with thousands separators.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn show(value: f64, unit: FigureUnit) -> String {
    match unit {
        FigureUnit::Count => grouped(value.round() as u64),
        FigureUnit::Cny if value >= 1e9 => format!("{:.3} bn CNY", value / 1e9),
        FigureUnit::Cny => format!("{:.1} m CNY", value / 1e6),
        FigureUnit::Share => format!("{:.1} %", value * 100.0),
    }
}

impl fmt::Display for GenerateSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "generated scale {} seed {}: {} nodes, {} edges in {} files",
            self.options.scale,
            self.options.seed,
            grouped(self.node_total()),
            grouped(self.edge_total()),
            self.files.len()
        )?;
        writeln!(f, "\nnodes")?;
        for (kind, n) in &self.nodes {
            writeln!(f, "  {:>12}  {kind}", grouped(*n))?;
        }
        writeln!(f, "\nedges")?;
        for (kind, n) in &self.edges {
            writeln!(f, "  {:>12}  {kind}", grouped(*n))?;
        }
        writeln!(f, "\ncalibration (source figure x scale -> generated)")?;
        let width = self
            .figures
            .iter()
            .map(|x| x.label.len())
            .max()
            .unwrap_or(0);
        for x in &self.figures {
            let bound = if x.at_least { ">" } else { "" };
            writeln!(
                f,
                "  {:<width$}  {:>17}  {:>16}  {:+6.1} %{}",
                x.label,
                format!("{bound}{}", show(x.target, x.unit)),
                show(x.actual, x.unit),
                x.deviation() * 100.0,
                if x.holds() { "" } else { "  (off)" }
            )?;
        }
        Ok(())
    }
}

/// Generates the ecosystem at `options.scale` into `out_dir` (created if missing; files of the
/// same names are overwritten) and returns what was written.
///
/// # Errors
/// [`GenerateError::InvalidScale`] for a scale that is not finite or outside (0, 10 000];
/// [`GenerateError::Io`] / [`GenerateError::Csv`] when a file cannot be written.
pub fn generate(
    options: &GenerateOptions,
    out_dir: &Path,
) -> Result<GenerateSummary, GenerateError> {
    let scale = options.scale;
    if !scale.is_finite() || scale <= 0.0 || scale > 10_000.0 {
        return Err(GenerateError::InvalidScale(scale));
    }
    std::fs::create_dir_all(out_dir).map_err(|source| GenerateError::Io {
        path: out_dir.to_path_buf(),
        source,
    })?;
    world::run(*options, out_dir)
}
