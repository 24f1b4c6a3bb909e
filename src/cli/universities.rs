//! `innograph universities`: the conversion funnel per university and the 2023 pilot
//! universities against the others (see `query::universities`).

use anyhow::Result;

use super::args::UniversitiesArgs;
use super::output::Table;
use super::planning::{emit, millions, names, Chart, Printable, Section};
use crate::query::{self, Ecosystem, Funnel, UniversitiesReport, UniversitiesRequest};
use crate::query::{PlannerAnswer, Store};

/// `innograph universities`.
pub(super) fn universities(store: &Store, args: UniversitiesArgs) -> Result<i32> {
    let eco = Ecosystem::load(store, &query::universities_needs())?;
    let report = query::universities(
        &eco,
        &UniversitiesRequest {
            years: args.years,
            pilot_only: args.pilot,
            top: args.top,
        },
    )?;
    emit(&printable(report), &args.output)?;
    Ok(0)
}

fn rate(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_default()
}

fn funnel_cells(f: &Funnel) -> Vec<String> {
    vec![
        f.owned.to_string(),
        f.granted.to_string(),
        f.offered.to_string(),
        f.contracted.to_string(),
        f.contracts.to_string(),
        millions(f.amount),
        f.transfer_contracts.to_string(),
        millions(f.transfer_amount),
        f.spin_offs.to_string(),
        f.managers.to_string(),
        rate(f.offered_rate),
        rate(f.contracted_rate),
        f.managers_per_100_results
            .map(|x| format!("{x:.1}"))
            .unwrap_or_default(),
    ]
}

const FUNNEL_HEADERS: [&str; 13] = [
    "owned",
    "granted",
    "offered",
    "contracted",
    "contracts",
    "amount (m CNY)",
    "transfer/licence/equity",
    "their amount (m CNY)",
    "spin_offs",
    "managers",
    "offered %",
    "contracted %",
    "managers/100 results",
];

/// The report as the group comparison and the per-university funnel; the CSV holds every
/// university with its contracts per mode.
pub(super) fn printable(report: UniversitiesReport) -> Printable {
    let mut headers = vec!["group", "universities"];
    headers.extend(FUNNEL_HEADERS);
    let mut groups = Table::new(&headers);
    for g in &report.groups {
        let mut r = vec![g.group.to_string(), g.universities.to_string()];
        r.extend(funnel_cells(&g.funnel));
        groups.rows.push(r);
    }
    let mut headers = vec!["id", "name", "pilot"];
    headers.extend(FUNNEL_HEADERS);
    let mut rows = Table::new(&headers);
    for u in &report.universities {
        let mut r = vec![
            u.id.clone(),
            u.name.clone(),
            if u.pilot { "yes".into() } else { String::new() },
        ];
        r.extend(funnel_cells(&u.funnel));
        rows.rows.push(r);
    }
    let mut csv_headers: Vec<String> = ["id", "name", "pilot", "districts"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    csv_headers.extend(
        [
            "owned",
            "granted",
            "offered",
            "contracted",
            "contracts",
            "amount",
            "transfer_contracts",
            "transfer_amount",
            "spin_offs",
            "managers",
            "offered_rate",
            "contracted_rate",
            "managers_per_100_results",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    if let Some(first) = report.universities.first() {
        for m in &first.modes {
            csv_headers.push(format!("{}_contracts", m.mode));
            csv_headers.push(format!("{}_amount", m.mode));
        }
    }
    let mut csv = Table {
        headers: csv_headers,
        rows: Vec::new(),
    };
    let opt = |x: Option<f64>| x.map(|v| format!("{v:.6}")).unwrap_or_default();
    for u in &report.universities {
        let f = &u.funnel;
        let mut r = vec![
            u.id.clone(),
            u.name.clone(),
            u.pilot.to_string(),
            names(&u.districts),
            f.owned.to_string(),
            f.granted.to_string(),
            f.offered.to_string(),
            f.contracted.to_string(),
            f.contracts.to_string(),
            format!("{:.2}", f.amount),
            f.transfer_contracts.to_string(),
            format!("{:.2}", f.transfer_amount),
            f.spin_offs.to_string(),
            f.managers.to_string(),
            opt(f.offered_rate),
            opt(f.contracted_rate),
            opt(f.managers_per_100_results),
        ];
        for m in &u.modes {
            r.push(m.contracts.to_string());
            r.push(format!("{:.2}", m.amount));
        }
        csv.rows.push(r);
    }
    let charts = report
        .groups
        .iter()
        .map(|g| Chart {
            caption: format!(
                "Conversion funnel, {} ({} universities)",
                g.group, g.universities
            ),
            bars: vec![
                ("owned".into(), g.funnel.owned as f64),
                ("offered".into(), g.funnel.offered as f64),
                ("contracted".into(), g.funnel.contracted as f64),
                ("spin-offs".into(), g.funnel.spin_offs as f64),
            ],
        })
        .collect();
    Printable {
        heading: "Universities: the conversion funnel, pilot universities against the others".into(),
        source: report.source,
        conventions: vec![
            format!("pilot read against: {}", report.pilot_source),
            "owned → offered (as a solution) → contracted (named by a contract) → spin-offs; rates are shares of owned results; group rates are ratios of sums".into(),
        ],
        sections: vec![
            Section::new("Pilot universities (2023) against the others", groups),
            Section::new("Per university, largest contract value first", rows),
        ],
        charts,
        csv,
        notes: report.notes.clone(),
        answer: PlannerAnswer::Universities(report),
    }
}
