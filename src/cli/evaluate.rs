//! `innograph evaluate gaps`: held-out AUC and precision@k of the `gaps` scores, or with
//! `--tune` a grid search of the blend's weights.

use std::io::Write;

use anyhow::{bail, Result};

use super::args::{EvaluateCommand, EvaluateFormat};
use super::output::Table;
use super::output::{out, outln};
use crate::evaluate::{self, DatasetEvaluation, EvaluateGapsRequest, EvaluateRequest};
use crate::query::Blend;

/// `innograph evaluate ...`.
pub(super) fn evaluate(cmd: EvaluateCommand) -> Result<i32> {
    let EvaluateCommand::Gaps(args) = cmd;
    let blend = match &args.blend {
        None => Blend::default(),
        Some(text) => match Blend::default().with_overrides(text) {
            Ok(b) => b,
            Err(e) => bail!("--blend: {e}"),
        },
    };
    if args.tune {
        let mut samples = Vec::new();
        for k in 0..3 {
            let protocol = EvaluateRequest {
                holdout: args.holdout,
                seed: args.seed + k,
                negatives: args.negatives,
                blend,
                core_only: true,
            };
            let mut runs = evaluate::evaluate_cordis(&args.cordis_dir, &protocol)?;
            samples.push(runs.swap_remove(0).1);
        }
        let tried = evaluate::tune_blend(&samples, args.seed);
        let mut t = Table::new(&[
            "aa",
            "ra",
            "pa",
            "activity",
            "district",
            "auc",
            "precision@100",
            "precision@positives",
            "objective",
        ]);
        for x in tried.iter().take(15) {
            t.rows.push(vec![
                x.blend.aa.to_string(),
                x.blend.ra.to_string(),
                x.blend.pa.to_string(),
                x.blend.activity.to_string(),
                x.blend.district.to_string(),
                format!("{:.4}", x.auc),
                format!("{:.4}", x.precision_at_100),
                format!("{:.4}", x.precision_at_positives),
                format!("{:.4}", x.objective),
            ]);
        }
        outln!(
            "{} blends tried on CORDIS (core scope), seeds {}..={}; best first:",
            tried.len(),
            args.seed,
            args.seed + 2
        )?;
        t.write_aligned(&mut std::io::stdout().lock())?;
        return Ok(0);
    }
    let request = EvaluateGapsRequest {
        protocol: EvaluateRequest {
            holdout: args.holdout,
            seed: args.seed,
            negatives: args.negatives,
            blend,
            core_only: true,
        },
        cordis_dir: (!args.skip_cordis).then(|| args.cordis_dir.clone()),
        generated_scale: (!args.skip_generated).then_some(args.generated_scale),
        generator_seed: 42,
    };
    let evaluations = evaluate::evaluate_gaps(&request)?;
    match args.format {
        EvaluateFormat::Md => out!("{}", evaluate::to_markdown(&evaluations, &blend))?,
        EvaluateFormat::Json => {
            outln!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "blend": blend,
                    "holdout": args.holdout,
                    "seed": args.seed,
                    "evaluations": evaluations,
                }))?
            )?;
        }
        EvaluateFormat::Table => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for e in &evaluations {
                eval_table(e, &mut out)?;
            }
        }
    }
    Ok(0)
}

fn eval_table(e: &DatasetEvaluation, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "{} [{}]: {} organisations, {}/{} projects held out, {} training ties, {} positives ({} both seen), {} negatives",
        e.dataset,
        e.scope,
        e.organisations,
        e.held_out_projects,
        e.projects,
        e.training_ties,
        e.positives,
        e.positives_both_seen,
        e.negatives
    )?;
    let mut t = Table::new(&["score", "auc", "precision@100", "precision@positives"]);
    for r in &e.results {
        t.rows.push(vec![
            r.method.clone(),
            format!("{:.4}", r.auc),
            format!("{:.4}", r.precision_at_100),
            format!("{:.4}", r.precision_at_positives),
        ]);
    }
    t.write_aligned(out)?;
    writeln!(out)?;
    Ok(())
}
