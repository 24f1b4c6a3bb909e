//! `innograph train`: the learned rankers of this generation trained and kept ahead of the
//! questions that read them (see `query::train_kept`).

use anyhow::Result;

use super::args::TrainArgs;
use super::output::{emit, Table};
use crate::query::{self, Store, TrainedPair};

/// `innograph train`.
pub(super) fn train(store: &Store, args: TrainArgs) -> Result<i32> {
    let pairs = args
        .between
        .iter()
        .map(|b| query::parse_kind_pair(b, "--between"))
        .collect::<Result<Vec<_>, _>>()?;
    let snapshot = store.snapshot()?;
    let trained = query::train_kept(
        &snapshot,
        &store.schema(),
        &pairs,
        args.seed,
        &query::Keeping::store(store),
    )?;
    emit(args.format.format, &serde_json::to_value(&trained)?, || {
        table(&trained)
    })?;
    let fresh = trained.iter().filter(|t| !t.already_kept).count();
    eprintln!(
        "{} pairs of kinds: {fresh} trained and kept, {} already kept for this generation",
        trained.len(),
        trained.len() - fresh
    );
    Ok(0)
}

fn table(trained: &[TrainedPair]) -> Table {
    let mut table = Table::new(&[
        "source kind",
        "target kind",
        "ranker",
        "hidden ties",
        "kept",
        "seconds",
    ]);
    for t in trained {
        table.rows.push(vec![
            t.kinds[0].clone(),
            t.kinds[1].clone(),
            t.chosen.clone(),
            t.positives.to_string(),
            if t.already_kept { "already" } else { "now" }.to_string(),
            format!("{:.2}", t.seconds),
        ]);
    }
    table
}
