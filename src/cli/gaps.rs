//! `innograph gaps`: missing ties ranked by link prediction, or with `--coverage` the
//! coverage gaps of the system.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use super::args::{GapsArgs, OutputFormat};
use super::output::{emit, markdown, outln, Table};
use crate::query::{
    self, Blend, CoverageReport, CoverageRequest, Gap, GapsMethod, GapsRequest, ModelReport,
};
use crate::query::{Snapshot, Store};

/// `innograph gaps`.
pub(super) fn gaps(store: &Store, args: GapsArgs) -> Result<i32> {
    if args.coverage {
        let report = query::coverage(
            store,
            &CoverageRequest {
                top: args.top,
                seed: args.seed,
            },
        )?;
        match &args.out {
            Some(dir) => write_coverage(&report, args.format.format, dir)?,
            None => print_coverage(&report, args.format.format)?,
        }
        return Ok(0);
    }
    let request = GapsRequest {
        between: query::parse_kind_pair(&args.between, "--between")?,
        method: args.method.into(),
        fields: args.field,
        districts: args.district,
        top: args.top,
        blend: Blend::default(),
        seed: args.seed,
    };
    let snapshot = store.snapshot()?;
    let outcome = query::gaps_kept(
        &snapshot,
        &store.schema(),
        &request,
        &query::Keeping::store(store),
    )?;
    let result = &outcome.gaps;
    let json = args.format.format == OutputFormat::Json;
    if result.is_empty() && !json {
        let why = match (request.method, &outcome.model) {
            (GapsMethod::Learned, Some(m)) if !m.card.learned => format!(
                " (too little to learn from: `{}` ranks instead and gives every untied pair a zero score)",
                m.card.chosen
            ),
            (GapsMethod::Learned, _) => String::new(),
            _ => " within two steps in the collab view or sharing a field".to_string(),
        };
        eprintln!(
            "no untied {} × {} pair to suggest{why}",
            request.between.0, request.between.1,
        );
    }
    if json && args.model {
        // The list stays the array `gaps` prints; the card goes beside it.
        let value = serde_json::json!({ "gaps": result, "model": outcome.model });
        emit(args.format.format, &value, Table::default)?;
    } else {
        emit(args.format.format, &serde_json::to_value(result)?, || {
            gap_table(&snapshot, result, args.format.format == OutputFormat::Csv)
        })?;
    }
    if let Some(model) = &outcome.model {
        if args.model && !json {
            print_model_card(model)?;
        } else if args.format.format == OutputFormat::Table {
            eprintln!("{}", footer(model, "gaps"));
        }
    }
    Ok(0)
}

/// One line on the learned ranking (below the table of `command`).
pub(super) fn footer(model: &ModelReport, command: &str) -> String {
    let card = &model.card;
    let chosen = card
        .candidates
        .iter()
        .find(|f| f.method == card.chosen)
        .map(|f| {
            format!(
                ", {} of {} hidden ties in its validation top 100 ({} folds pooled)",
                f.hits[1], card.validation_positives, card.validation_folds
            )
        })
        .unwrap_or_default();
    let mut line = format!(
        "ranked by {} ({}{chosen}); `{command} --model` prints the model card",
        card.chosen,
        if card.learned {
            "a model learned on this graph"
        } else {
            "the single method that ranked ties hidden from this graph best"
        }
    );
    for w in &card.warnings {
        line.push_str(&format!("\nwarning: {w}"));
    }
    line
}

/// The model card as text.
pub(super) fn print_model_card(model: &ModelReport) -> Result<()> {
    let card = &model.card;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out)?;
    writeln!(out, "Model card (seed {})", card.seed)?;
    writeln!(out, "  hidden to learn: {}", model.hidden.description)?;
    writeln!(
        out,
        "  sources: {} of {} took part; positives: {} (each validated once in {} folds, whose models were fitted on {} others on average)",
        card.sources_used,
        card.sources,
        card.positives,
        card.validation_folds,
        card.training_positives
    )?;
    writeln!(
        out,
        "  negatives sampled at distance 2 / 3 / farther: {} / {} / {} (of {} / {} / {})",
        card.negatives_sampled[0],
        card.negatives_sampled[1],
        card.negatives_sampled[2],
        card.negative_population[0],
        card.negative_population[1],
        card.negative_population[2]
    )?;
    writeln!(
        out,
        "  chosen: {} ({})",
        card.chosen,
        if card.learned {
            "a model"
        } else {
            "a single method"
        }
    )?;
    for w in &card.warnings {
        writeln!(out, "  warning: {w}")?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Validation (every candidate pair of each fold's sources ranked; hits summed over the folds, AUC averaged):"
    )?;
    let mut t = Table::new(&["ranker", "hits@10", "hits@100", "hits@1000", "p@100", "auc"]);
    for f in &card.candidates {
        t.rows.push(vec![
            f.method.clone(),
            f.hits[0].to_string(),
            f.hits[1].to_string(),
            f.hits[2].to_string(),
            format!("{:.3}", f.precision[1]),
            format!("{:.3}", f.auc),
        ]);
    }
    t.write_aligned(&mut out)?;
    if !card.features.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Features of the chosen model (logistic regression: weight of the standardised feature; trees: share of split gain):"
        )?;
        let mut t = Table::new(&["feature", "weight"]);
        for f in &card.features {
            t.rows
                .push(vec![f.feature.to_string(), format!("{:+.4}", f.weight)]);
        }
        t.write_aligned(&mut out)?;
    }
    Ok(())
}

fn names(snapshot: &Snapshot, ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| match snapshot.node_index(id) {
            Some(v) => snapshot.node_name(v).to_string(),
            None => id.clone(),
        })
        .collect()
}

fn gap_table(snapshot: &Snapshot, gaps: &[Gap], full: bool) -> Table {
    let mut t = Table::new(&[
        "rank",
        "score",
        "source",
        "source_name",
        "target",
        "target_name",
        "shared_partners",
        "shared_fields",
        "shared_districts",
        "path",
        "why",
    ]);
    for (i, g) in gaps.iter().enumerate() {
        let list = |ids: &[String]| {
            if full {
                ids.join(";")
            } else {
                let shown = names(snapshot, &ids[..ids.len().min(3)]).join(", ");
                if ids.len() > 3 {
                    format!("{shown} (+{})", ids.len() - 3)
                } else {
                    shown
                }
            }
        };
        let path = if full {
            g.evidence.path.join(";")
        } else {
            names(snapshot, &g.evidence.path).join(" → ")
        };
        t.rows.push(vec![
            (i + 1).to_string(),
            format!("{:.4}", g.score),
            g.source.clone(),
            g.source_name.clone(),
            g.target.clone(),
            g.target_name.clone(),
            list(&g.evidence.shared_partners),
            list(&g.evidence.shared_fields),
            list(&g.evidence.shared_districts),
            path,
            g.why
                .iter()
                .map(|w| w.feature)
                .collect::<Vec<_>>()
                .join(if full { ";" } else { ", " }),
        ]);
    }
    t
}

/// The sections of a coverage report as titled tables.
fn coverage_tables(r: &CoverageReport) -> Vec<(String, Table)> {
    let t = &r.totals;
    let mut out = Vec::new();
    let mut a = Table::new(&[
        "field",
        "field_name",
        "demands",
        "unanswered",
        "enterprises",
        "achievements",
    ]);
    for x in &r.unanswered_demands {
        a.rows.push(vec![
            x.field.id.clone(),
            x.field.name.clone(),
            x.demands.to_string(),
            x.unanswered.to_string(),
            x.enterprises.to_string(),
            x.achievements.to_string(),
        ]);
    }
    out.push((
        format!(
            "Fields with unanswered demands ({} fields; {} of {} demands unanswered)",
            t.unanswered_demand_fields, t.unanswered_demands, t.demands
        ),
        a,
    ));
    let mut b = Table::new(&["university", "name", "achievements", "contracts"]);
    for x in &r.universities_without_contracts {
        b.rows.push(vec![
            x.university.id.clone(),
            x.university.name.clone(),
            x.achievements.to_string(),
            x.contracts.to_string(),
        ]);
    }
    out.push((
        format!(
            "Universities with achievements but no technology contract ({})",
            t.universities_without_contracts
        ),
        b,
    ));
    let mut c = Table::new(&[
        "enterprise",
        "name",
        "field",
        "field_name",
        "university_ties",
        "field_universities",
    ]);
    for x in &r.chain_leaders_without_university {
        c.rows.push(vec![
            x.enterprise.id.clone(),
            x.enterprise.name.clone(),
            x.field.id.clone(),
            x.field.name.clone(),
            x.university_ties.to_string(),
            x.field_universities.to_string(),
        ]);
    }
    out.push((
        format!(
            "Chain-leader firms with no university tie in their field ({})",
            t.chain_leaders_without_university
        ),
        c,
    ));
    let mut d = Table::new(&[
        "district",
        "district_name",
        "field",
        "field_name",
        "enterprises",
        "platforms_elsewhere",
    ]);
    for x in &r.districts_without_platform {
        d.rows.push(vec![
            x.district.id.clone(),
            x.district.name.clone(),
            x.field.id.clone(),
            x.field.name.clone(),
            x.enterprises.to_string(),
            x.platforms_elsewhere.to_string(),
        ]);
    }
    out.push((
        format!(
            "Districts with enterprises in a field but no platform for it ({})",
            t.districts_without_platform
        ),
        d,
    ));
    let mut e = Table::new(&[
        "community_a",
        "size_a",
        "members_a",
        "community_b",
        "size_b",
        "members_b",
        "observed",
        "expected",
        "ratio",
    ]);
    let members = |c: &query::Community| {
        c.top_members
            .iter()
            .map(|m| m.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for x in &r.sparse_community_pairs {
        e.rows.push(vec![
            x.a.id.to_string(),
            x.a.size.to_string(),
            members(&x.a),
            x.b.id.to_string(),
            x.b.size.to_string(),
            members(&x.b),
            x.observed.to_string(),
            format!("{:.2}", x.expected),
            format!("{:.3}", x.ratio),
        ]);
    }
    out.push((
        format!(
            "Community pairs tied far below their expected density ({} pairs among {} communities with ties)",
            t.sparse_community_pairs, t.communities
        ),
        e,
    ));
    out
}

/// File names of the coverage sections, in the order of `coverage_tables`.
const SECTION_FILES: [&str; 5] = [
    "unanswered_fields",
    "idle_universities",
    "untied_chain_leaders",
    "districts_without_platforms",
    "sparse_community_pairs",
];

/// Writes one file per coverage section into `dir`: CSV, Markdown, or (JSON) the whole
/// report as `coverage.json`.
fn write_coverage(report: &CoverageReport, format: OutputFormat, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    if format == OutputFormat::Json {
        let path = dir.join("coverage.json");
        std::fs::write(&path, serde_json::to_string_pretty(report)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    } else {
        for ((title, table), name) in coverage_tables(report).into_iter().zip(SECTION_FILES) {
            let (ext, mut text) = match format {
                OutputFormat::Md => ("md", format!("## {title}\n\n").into_bytes()),
                _ => ("csv", Vec::new()),
            };
            if format == OutputFormat::Md {
                markdown(&table, &mut text)?;
            } else {
                table.write_csv(&mut text)?;
            }
            let path = dir.join(format!("{name}.{ext}"));
            std::fs::write(&path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            written.push(path);
        }
    }
    outln!(
        "wrote {}",
        written
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    Ok(())
}

fn print_coverage(report: &CoverageReport, format: OutputFormat) -> Result<()> {
    if format == OutputFormat::Json {
        emit(format, &serde_json::to_value(report)?, Table::default)?;
        return Ok(());
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (i, (title, table)) in coverage_tables(report).into_iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        match format {
            OutputFormat::Csv => {
                writeln!(out, "# {title}")?;
                table.write_csv(&mut out)?;
            }
            OutputFormat::Md => {
                writeln!(out, "## {title}\n")?;
                markdown(&table, &mut out)?;
            }
            _ => {
                writeln!(out, "{title}")?;
                if table.rows.is_empty() {
                    writeln!(out, "  (none)")?;
                } else {
                    table.write_aligned(&mut out)?;
                }
            }
        }
    }
    Ok(())
}
