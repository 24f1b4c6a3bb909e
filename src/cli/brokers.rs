//! `innograph brokers`: Burt's constraint and Gould–Fernandez brokerage per organisation.

use anyhow::Result;

use super::args::{BrokersArgs, OutputFormat};
use super::output::outln;
use super::output::{emit, f3, Table};
use crate::query::Store;
use crate::query::{self, BrokersRequest};

/// `innograph brokers`.
pub(super) fn brokers(store: &Store, args: BrokersArgs) -> Result<i32> {
    let between = args
        .between
        .as_deref()
        .map(|text| query::parse_kind_pair(text, "--between"))
        .transpose()?;
    let snapshot = store.snapshot()?;
    let report = query::brokers(
        &snapshot,
        &store.schema(),
        &BrokersRequest {
            directed: args.directed,
            between,
            kinds: args.kind,
            top: args.top,
            permutations: args.permutations,
            seed: args.seed,
        },
    )?;
    let format = args.format.format;
    if format == OutputFormat::Table {
        outln!(
            "Brokerage on the {} ({}), groups = node kinds{}; z-scores from {} label permutations (seed {})\n",
            if report.directed {
                "organisations' directed ties"
            } else {
                "collab view"
            },
            if report.directed {
                "directed"
            } else {
                "undirected"
            },
            args.between
                .as_deref()
                .map(|b| format!("; only two-paths between {b}"))
                .unwrap_or_default(),
            report.permutations,
            args.seed
        )?;
    }
    emit(format, &report.to_json(), || {
        let mut headers: Vec<String> = ["id", "kind", "name", "constraint"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        headers.extend(report.roles.iter().cloned());
        headers.push("total".into());
        headers.extend(report.roles.iter().map(|r| format!("z_{r}")));
        let mut t = Table {
            headers,
            rows: Vec::new(),
        };
        for r in &report.rows {
            let mut row = vec![
                r.id.clone(),
                r.kind.clone(),
                r.name.clone(),
                r.constraint.map(f3).unwrap_or_default(),
            ];
            row.extend(r.counts.iter().map(u64::to_string));
            row.push(r.total.to_string());
            row.extend(
                r.z.iter()
                    .map(|z| z.map(|x| format!("{x:.2}")).unwrap_or_default()),
            );
            t.rows.push(row);
        }
        t
    })?;
    Ok(0)
}
