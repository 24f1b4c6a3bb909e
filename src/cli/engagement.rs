//! `innograph engagement`: chain leaders and large firms in the Explorer Programme, the open
//! competition and YRD joint research, and the call list of those in none (see
//! `query::engagement`).

use anyhow::Result;

use super::args::EngagementArgs;
use super::output::Table;
use super::planning::{emit, names, Chart, Printable, Section};
use crate::query::{
    self, Ecosystem, EngagementReport, EngagementRequest, FirmClass, FirmEngagement,
};
use crate::query::{PlannerAnswer, Store};

/// `innograph engagement`.
pub(super) fn engagement(store: &Store, args: EngagementArgs) -> Result<i32> {
    let classes = args
        .class
        .iter()
        .map(|c| FirmClass::parse(c))
        .collect::<Result<Vec<_>, _>>()?;
    let eco = Ecosystem::load(store, &query::engagement_needs())?;
    let report = query::engagement(
        &eco,
        &EngagementRequest {
            classes,
            field: args.field,
            district: args.district,
            not_engaged: args.not_engaged,
            top: args.top,
        },
    )?;
    emit(&printable(report), &args.output)?;
    Ok(0)
}

fn class_name(c: FirmClass) -> &'static str {
    match c {
        FirmClass::ChainLeader => "chain leader",
        FirmClass::LargeFirm => "large firm",
    }
}

fn firm_row(f: &FirmEngagement) -> Vec<String> {
    vec![
        f.id.clone(),
        f.name.clone(),
        class_name(f.class).into(),
        names(&f.fields),
        names(&f.districts),
        format!(
            "{}{}",
            f.explorer,
            if f.explorer_funder { " +funder" } else { "" }
        ),
        f.open_competition.to_string(),
        f.yrd_joint.to_string(),
        f.contracts.to_string(),
        f.demands.to_string(),
    ]
}

const FIRM_HEADERS: [&str; 10] = [
    "id",
    "name",
    "class",
    "fields",
    "districts",
    "explorer",
    "open_competition",
    "yrd_joint",
    "contracts",
    "demands",
];

/// The report as the totals per class, the engaged firms and the call list.
pub(super) fn printable(report: EngagementReport) -> Printable {
    let mut totals = Table::new(&[
        "class",
        "firms",
        "explorer",
        "open_competition",
        "yrd_joint",
        "in any",
        "in none",
    ]);
    for t in &report.totals {
        totals.rows.push(vec![
            class_name(t.class).into(),
            t.firms.to_string(),
            t.explorer.to_string(),
            t.open_competition.to_string(),
            t.yrd_joint.to_string(),
            t.engaged.to_string(),
            t.not_engaged.to_string(),
        ]);
    }
    let mut engaged = Table::new(&FIRM_HEADERS);
    let mut call_list = Table::new(&FIRM_HEADERS);
    for f in &report.firms {
        if f.engaged {
            engaged.rows.push(firm_row(f));
        } else {
            call_list.rows.push(firm_row(f));
        }
    }
    let mut csv_headers = FIRM_HEADERS.to_vec();
    csv_headers.extend(["explorer_funder", "engaged", "field_ids", "district_ids"]);
    let mut csv = Table::new(&csv_headers);
    for f in &report.firms {
        let mut r = firm_row(f);
        r[5] = f.explorer.to_string();
        r.push(f.explorer_funder.to_string());
        r.push(f.engaged.to_string());
        r.push(
            f.fields
                .iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join(";"),
        );
        r.push(
            f.districts
                .iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join(";"),
        );
        csv.rows.push(r);
    }
    let charts = vec![Chart {
        caption: "Firms engaged in a programme and not yet (the call list), per class".into(),
        bars: report
            .totals
            .iter()
            .flat_map(|t| {
                let class = serde_json::to_value(t.class)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                [
                    (format!("{class} engaged"), t.engaged as f64),
                    (format!("{class} not engaged"), t.not_engaged as f64),
                ]
            })
            .collect(),
    }];
    Printable {
        heading: "Engagement: chain leaders and large firms in the Commission's programmes".into(),
        source: report.source,
        conventions: vec![
            "counts = projects the firm leads, joins or funds in each programme; +funder = it co-funds the Explorer Programme itself".into(),
        ],
        sections: vec![
            Section::new("Firms per class", totals),
            Section::new("Engaged firms, most projects first", engaged),
            Section::new(
                "Call list: firms in none of the three programmes, most active first",
                call_list,
            ),
        ],
        charts,
        csv,
        notes: report.notes.clone(),
        answer: PlannerAnswer::Engagement(report),
    }
}
