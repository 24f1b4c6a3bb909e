//! The learned part of `partners`: the ranker `gaps` learns ([`super::learned`]), trained on
//! the ties between the actor's kind and enterprises, read for the actor's own row.
//!
//! **The actor.** An organisation source is its own actor. A technology manager's actors are
//! the organisations it works for (`works_for`), an achievement's those that own it (`owns`):
//! the firms such a source should approach are the ones its organisation would tie to next.
//! A field, or a source with no organisation in the collab view, has no actor: `partners`
//! then ranks by its personalised-PageRank blend and says so.
//!
//! **The learned part** of a firm is the actor's learned score of the pair rescaled over the
//! enterprises of the view not yet tied to it (min–max: the actor's best-scored new firm has
//! 1, its worst 0; a tied firm is clamped into that range), so it
//! blends with the field part whatever the ranker's scale (log-odds for a model, a count or
//! an index for a single heuristic it fell back to); with several actors, the largest.
//! Firms already tied to the actor are scored as if untied (the model never saw tied pairs,
//! so their value is an extrapolation; they are only listed with `--include-existing`).

use std::collections::BTreeMap;

use super::gaps::{CollabContext, ModelReport};
use super::learned::{space_of, LinkGraph};
use super::learned_kept::{model, Keeping, Model};
use super::relations::Relations;
use super::QueryError;
use crate::algo::link_model::{score_rows, PairSpace, TrainOptions};
use crate::model::Schema;
use crate::store::Snapshot;

/// What the learned part of `partners` found.
#[derive(Debug, Clone)]
pub(crate) struct LearnedPart {
    /// Learned part of every snapshot node (rescaled to [0, 1]; `None` off the view or for
    /// a node that is no enterprise).
    pub rescaled: Vec<Option<f64>>,
    /// The ranker's own score of the best actor's pair (log-odds for a model).
    pub raw: Vec<Option<f64>>,
    /// The model card of each actor kind's training, by kind.
    pub models: Vec<(String, ModelReport)>,
    /// The actors (snapshot indices).
    pub actors: Vec<u32>,
}

/// The organisations whose learned row ranks firms for `source` (see the module docs).
pub(crate) fn actors(snapshot: &Snapshot, schema: &Schema, source: u32) -> Vec<u32> {
    if schema.is_organisation(snapshot.node_kind(source)) {
        return vec![source];
    }
    let mut out = Vec::new();
    if let Some(code) = snapshot.edge_kind_code_of("works_for") {
        out.extend(
            snapshot
                .out_edges(source)
                .filter(|&e| snapshot.edge_kind_codes()[e] == code)
                .map(|e| snapshot.edge_targets()[e]),
        );
    }
    if let Some(code) = snapshot.edge_kind_code_of("owns") {
        out.extend(
            snapshot
                .in_edges(source)
                .iter()
                .filter(|&&e| snapshot.edge_kind_codes()[e as usize] == code)
                .map(|&e| snapshot.edge_sources()[e as usize]),
        );
    }
    out.retain(|&v| schema.is_organisation(snapshot.node_kind(v)));
    out.sort_unstable();
    out.dedup();
    out
}

/// The learned part for `actors` (snapshot indices, organisations); `None` when none of
/// them is in the collab view or the snapshot has no enterprise.
pub(crate) fn learned_part(
    snapshot: &Snapshot,
    schema: &Schema,
    actors: &[u32],
    seed: u64,
    keeping: &Keeping<'_>,
) -> Result<Option<LearnedPart>, QueryError> {
    let ctx = CollabContext::build(snapshot, schema)?;
    // Actors in the view, by kind.
    let mut by_kind: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for &a in actors {
        if let Some(i) = ctx.view.index_of(a) {
            by_kind
                .entry(snapshot.node_kind(a).to_string())
                .or_default()
                .push(i);
        }
    }
    if by_kind.is_empty() {
        return Ok(None);
    }
    let relations = Relations::of(snapshot, &ctx.view);
    let attrs = &ctx.attributes;
    let full = LinkGraph::from_relations(&relations, &attrs.fields, &attrs.districts, |_| true);
    let options = TrainOptions {
        seed,
        ..TrainOptions::default()
    };
    let n = snapshot.node_count();
    let mut rescaled: Vec<Option<f64>> = vec![None; n];
    let mut raw: Vec<Option<f64>> = vec![None; n];
    let mut models = Vec::new();
    let mut used = Vec::new();
    for (kind, view_actors) in by_kind {
        let Some(space) = space_of(&ctx, &kind, "enterprise", |_| true) else {
            return Ok(None);
        };
        if space.targets.is_empty() {
            return Ok(None);
        }
        let Model {
            learned, structure, ..
        } = model(
            keeping,
            &ctx,
            &relations,
            &full,
            (kind.as_str(), "enterprise"),
            &space,
            &options,
        );
        let rows = score_rows(
            &full.ground(&structure, &space, &view_actors),
            &learned.trained.ranker,
        );
        for (&actor, row) in view_actors.iter().zip(&rows) {
            used.push(ctx.view.nodes[actor as usize]);
            let tied = full.graph.out_neighbors(actor as usize);
            merge_row(&ctx, &space, row, tied, &mut rescaled, &mut raw);
        }
        models.push((
            kind,
            ModelReport {
                card: learned.trained.card,
                hidden: learned.hidden,
            },
        ));
    }
    used.sort_unstable();
    Ok(Some(LearnedPart {
        rescaled,
        raw,
        models,
        actors: used,
    }))
}

/// Rescales one actor's row to [0, 1] over the firms not `tied` to it (ascending) — tied
/// firms, scored by extrapolation, are clamped into the range — and keeps, per firm, the
/// larger of it and what earlier actors gave.
fn merge_row(
    ctx: &CollabContext<'_>,
    space: &PairSpace,
    row: &[Option<f64>],
    tied: &[u32],
    rescaled: &mut [Option<f64>],
    raw: &mut [Option<f64>],
) {
    let (lo, hi) = space
        .targets
        .iter()
        .zip(row)
        .filter(|(v, _)| tied.binary_search(v).is_err())
        .filter_map(|(_, s)| *s)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), s| {
            (lo.min(s), hi.max(s))
        });
    for (&v, score) in space.targets.iter().zip(row) {
        let Some(s) = *score else { continue };
        let part = if hi > lo {
            ((s - lo) / (hi - lo)).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let at = ctx.view.nodes[v as usize] as usize;
        if rescaled[at].is_none_or(|old| part > old) {
            rescaled[at] = Some(part);
            raw[at] = Some(s);
        }
    }
}
