//! `innograph evaluate gaps`: held-out precision@k, hits@k and AUC of the `gaps` ranking,
//! for the learned default and every single method.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Result};

use super::args::{EvaluateCommand, EvaluateFormat, EvaluateGapsArgs};
use super::output::out;
use super::output::Table;
use crate::evaluate::{self, Dataset, DatasetRun, EvaluateGapsRequest, ProtocolChoice};
use crate::generate::families::Family;
use crate::query;
use crate::query::Store;

/// `innograph evaluate ...`.
pub(super) fn evaluate(cmd: EvaluateCommand, db: &Path) -> Result<i32> {
    let EvaluateCommand::Gaps(args) = cmd;
    let protocol = protocol(&args);
    let on_database = args.database || args.truth.is_some();
    let mut datasets = Vec::new();
    if on_database {
        datasets.push(Dataset::Database);
    } else {
        match &args.cordis_dir {
            Some(dir) => datasets.push(Dataset::Cordis(dir.clone())),
            None => eprintln!("CORDIS skipped: no --cordis-dir given"),
        }
        if !args.skip_generated {
            datasets.push(Dataset::Generated(args.generated_scale));
        }
        if !args.skip_families {
            for family in Family::ALL {
                datasets.push(Dataset::Family(family, args.family_actors));
            }
        }
    }
    if datasets.is_empty() {
        bail!("nothing to evaluate: every dataset was skipped");
    }
    let request = EvaluateGapsRequest {
        datasets,
        protocol,
        seeds: args.seeds.clone(),
        between: query::parse_kind_pair(&args.between, "--between")?,
        auc_negatives: args.auc_negatives,
        ..EvaluateGapsRequest::default()
    };
    let store = on_database.then(|| Store::open(db)).transpose()?;
    let runs = evaluate::evaluate_gaps(&request, store.as_ref(), &mut |what| {
        eprintln!("evaluating {what}");
    })?;
    match args.format {
        EvaluateFormat::Md => out!("{}", evaluate::to_markdown(&runs))?,
        EvaluateFormat::Json => super::json::print(&runs)?,
        EvaluateFormat::Table => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for r in &runs {
                run_table(r, &mut out)?;
            }
        }
    }
    Ok(0)
}

fn protocol(args: &EvaluateGapsArgs) -> Option<ProtocolChoice> {
    if let Some(share) = args.holdout_projects {
        return Some(ProtocolChoice::HoldoutProjects(share));
    }
    if let Some(share) = args.holdout_ties {
        return Some(ProtocolChoice::HoldoutTies(share));
    }
    if let Some(year) = args.temporal {
        return Some(ProtocolChoice::Temporal(year));
    }
    args.truth.clone().map(ProtocolChoice::Truth)
}

fn run_table(r: &DatasetRun, out: &mut dyn Write) -> Result<()> {
    let rep = &r.report;
    writeln!(
        out,
        "{}, seed {}: {}; {} organisations, {} candidate pairs, {} positives ({} with a newcomer end{}), AUC on {} uniform negatives",
        r.dataset,
        r.seed,
        rep.protocol,
        r.organisations,
        rep.candidates,
        rep.positives,
        rep.positives_cold,
        if rep.truth_not_candidates > 0 {
            format!("; {} truth pairs not candidates", rep.truth_not_candidates)
        } else {
            String::new()
        },
        rep.auc_negatives
    )?;
    writeln!(
        out,
        "  learned model trained by hiding {}",
        rep.learned_hid.description
    )?;
    for w in &rep.model.warnings {
        writeln!(out, "  warning: {w}")?;
    }
    let mut t = Table::new(&[
        "method",
        "p@10",
        "p@100",
        "p@1000",
        "hits@10",
        "hits@100",
        "hits@1000",
        "auc",
    ]);
    for f in &rep.results {
        t.rows.push(vec![
            f.method.clone(),
            format!("{:.2}", f.precision[0]),
            format!("{:.3}", f.precision[1]),
            format!("{:.4}", f.precision[2]),
            f.hits[0].to_string(),
            f.hits[1].to_string(),
            f.hits[2].to_string(),
            format!("{:.3}", f.auc),
        ]);
    }
    t.write_aligned(out)?;
    writeln!(out)?;
    Ok(())
}
