//! `train`: the learned rankers of a generation trained ahead of the questions that read
//! them, like a database's `ANALYZE` after a bulk load.
//!
//! `gaps`, `partners` and candidate consortia each train the ranker of a pair of
//! organisation kinds the first time they need it on a generation, and keep it
//! ([`super::learned_kept`]); on a large store that first call costs seconds per pair (five
//! pairs for candidate consortia). `train` pays that once, for the pairs those questions
//! ask for on this store, side by side, so every later question on the generation reads
//! kept rankers. It changes no answer: a kept ranker is the one the question would train.
//!
//! **The pairs** (unless given): every pair of organisation kinds tied at least once in the
//! collab view, named as candidate consortia name them (the kinds in name order); each
//! organisation kind tied to enterprises, source first, as `partners` names it; and `gaps`'
//! default, university × enterprise.

use std::collections::BTreeSet;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use super::gaps::{organisation_kind, CollabContext};
use super::learned::{space_of, LinkGraph};
use super::learned_kept::{model, Keeping};
use super::relations::Relations;
use super::QueryError;
use crate::algo::link_model::TrainOptions;
use crate::model::Schema;
use crate::store::Snapshot;

/// One pair of kinds trained (or found kept).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainedPair {
    /// The two organisation kinds, source first.
    pub kinds: [String; 2],
    /// The ranker chosen: a model, or the single heuristic it fell back to.
    pub chosen: String,
    /// Whether it is a learned model.
    pub learned: bool,
    /// Whether a ranker was already kept for this generation (nothing trained).
    pub already_kept: bool,
    /// The hidden ties it learned from.
    pub positives: usize,
    /// Wall-clock seconds this pair took (trained side by side with the others).
    pub seconds: f64,
}

/// The pairs `train` trains on this snapshot by default (see the module docs), in order.
pub fn default_pairs(ctx: &CollabContext<'_>, full: &LinkGraph) -> Vec<(String, String)> {
    let mut pairs: BTreeSet<(String, String)> = BTreeSet::new();
    pairs.insert(("university".to_string(), "enterprise".to_string()));
    let graph = &full.graph;
    for u in 0..graph.node_count() {
        let ku = ctx.kind(u as u32);
        for &v in graph.out_neighbors(u) {
            if (v as usize) < u {
                continue;
            }
            let kv = ctx.kind(v);
            let (a, b) = if ku <= kv { (ku, kv) } else { (kv, ku) };
            pairs.insert((a.to_string(), b.to_string()));
            for (source, other) in [(ku, kv), (kv, ku)] {
                if other == "enterprise" {
                    pairs.insert((source.to_string(), other.to_string()));
                }
            }
        }
    }
    pairs.into_iter().collect()
}

/// Trains and keeps the rankers of `pairs` (when empty, every pair the questions ask for:
/// see the module docs) with `seed`, where `keeping` says; the pairs already kept for this
/// generation are read, not trained again.
pub fn train_kept(
    snapshot: &Snapshot,
    schema: &Schema,
    pairs: &[(String, String)],
    seed: u64,
    keeping: &Keeping<'_>,
) -> Result<Vec<TrainedPair>, QueryError> {
    for (a, b) in pairs {
        organisation_kind(schema, a)?;
        organisation_kind(schema, b)?;
    }
    let ctx = CollabContext::build(snapshot, schema)?;
    let relations = Relations::of(snapshot, &ctx.view);
    let attrs = &ctx.attributes;
    let full = LinkGraph::from_relations(&relations, &attrs.fields, &attrs.districts, |_| true);
    let pairs = if pairs.is_empty() {
        default_pairs(&ctx, &full)
    } else {
        // Each pair once: two trainings of one pair would write one file at once.
        let mut seen = BTreeSet::new();
        pairs.iter().filter(|p| seen.insert(*p)).cloned().collect()
    };
    let options = TrainOptions {
        seed,
        ..TrainOptions::default()
    };
    let trained = pairs
        .into_par_iter()
        .filter_map(|(a, b)| {
            let clock = Instant::now();
            let space = space_of(&ctx, &a, &b, |_| true)?;
            let found = model(
                keeping,
                &ctx,
                &relations,
                &full,
                (a.as_str(), b.as_str()),
                &space,
                &options,
            );
            let card = &found.learned.trained.card;
            Some(TrainedPair {
                chosen: card.chosen.clone(),
                learned: card.learned,
                already_kept: found.was_kept,
                positives: card.positives,
                seconds: clock.elapsed().as_secs_f64(),
                kinds: [a, b],
            })
        })
        .collect();
    Ok(trained)
}
