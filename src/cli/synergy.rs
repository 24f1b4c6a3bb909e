//! `innograph synergy`: Leydesdorff's triple-helix mutual information T(UIG) per district
//! and field, by year (see `query::synergy`).

use anyhow::Result;

use super::args::SynergyArgs;
use super::output::Table;
use super::planning::{emit, Chart, Printable, Section};
use crate::query::{self, Ecosystem, Scope, SynergyReport, SynergyRequest, SynergyRow};
use crate::query::{PlannerAnswer, Store};

/// `innograph synergy`.
pub(super) fn synergy(store: &Store, args: SynergyArgs) -> Result<i32> {
    let by = args
        .by
        .iter()
        .map(|b| Scope::parse(b))
        .collect::<Result<Vec<_>, _>>()?;
    let eco = Ecosystem::load(store, &query::synergy_needs())?;
    let report = query::synergy(
        &eco,
        &SynergyRequest {
            by,
            years: args.years,
            per_year: !args.no_years,
            min_units: args.min_units,
        },
    )?;
    emit(&printable(report), &args.output)?;
    Ok(0)
}

fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::All => "all",
        Scope::District => "district",
        Scope::Field => "field",
    }
}

fn row(r: &SynergyRow) -> Vec<String> {
    let h = &r.helix;
    vec![
        r.name.clone(),
        r.year
            .map(|y| y.to_string())
            .unwrap_or_else(|| "all".into()),
        r.units.to_string(),
        format!("{:.2}", r.share_u),
        format!("{:.2}", r.share_i),
        format!("{:.2}", r.share_g),
        format!("{:.2}", r.share_uig),
        format!("{:.1}", h.t_ui * 1000.0),
        format!("{:.1}", h.t_ug * 1000.0),
        format!("{:.1}", h.t_ig * 1000.0),
        format!("{:.1}", h.t_uig * 1000.0),
    ]
}

const HEADERS: [&str; 11] = [
    "group", "year", "units", "U", "I", "G", "UIG", "T_ui", "T_ug", "T_ig", "T_uig",
];

/// The report as one table per grouping (all-years rows first within each group); the CSV
/// holds every row with the cell counts and the measures in bits.
pub(super) fn printable(report: SynergyReport) -> Printable {
    let mut sections = Vec::new();
    for scope in Scope::ALL {
        let mut t = Table::new(&HEADERS);
        for r in report.rows.iter().filter(|r| r.scope == scope) {
            t.rows.push(row(r));
        }
        if t.rows.is_empty() {
            continue;
        }
        let title = match scope {
            Scope::All => "The whole ecosystem, all years and per year",
            Scope::District => "Per district (where the project or platform is located)",
            Scope::Field => "Per field",
        };
        sections.push(Section::new(title, t));
    }
    let mut csv = Table::new(&[
        "scope",
        "key",
        "name",
        "year",
        "units",
        "c000",
        "c100",
        "c010",
        "c110",
        "c001",
        "c101",
        "c011",
        "c111",
        "share_u",
        "share_i",
        "share_g",
        "share_uig",
        "h_u",
        "h_i",
        "h_g",
        "h_ui",
        "h_ug",
        "h_ig",
        "h_uig",
        "t_ui",
        "t_ug",
        "t_ig",
        "t_uig",
    ]);
    for r in &report.rows {
        let h = &r.helix;
        let mut cells = vec![
            scope_name(r.scope).to_string(),
            r.key.clone(),
            r.name.clone(),
            r.year.map(|y| y.to_string()).unwrap_or_default(),
            r.units.to_string(),
        ];
        cells.extend(r.cells.iter().map(u64::to_string));
        cells.extend(
            [
                r.share_u,
                r.share_i,
                r.share_g,
                r.share_uig,
                h.h_u,
                h.h_i,
                h.h_g,
                h.h_ui,
                h.h_ug,
                h.h_ig,
                h.h_uig,
                h.t_ui,
                h.t_ug,
                h.t_ig,
                h.t_uig,
            ]
            .iter()
            .map(|x| format!("{x:.9}")),
        );
        csv.rows.push(cells);
    }
    let mut notes = report.notes.clone();
    if report.small_years > 0 {
        notes.push(format!(
            "{} single years with fewer units than --min-units are left out",
            report.small_years
        ));
    }
    if report.small_groups > 0 {
        notes.push(format!(
            "{} districts and fields with fewer units than --min-units are left out",
            report.small_groups
        ));
    }
    let charts = [Scope::All, Scope::District, Scope::Field]
        .into_iter()
        .map(|scope| Chart {
            caption: format!(
                "T(UIG) in millibits per {} (all years; negative = synergy)",
                if scope == Scope::All {
                    "whole ecosystem"
                } else {
                    scope_name(scope)
                }
            ),
            bars: report
                .rows
                .iter()
                .filter(|r| r.scope == scope && r.year.is_none())
                .map(|r| (r.name.clone(), r.helix.t_uig * 1000.0))
                .collect(),
        })
        .filter(|c| !c.bars.is_empty())
        .collect();
    Printable {
        heading: "Synergy: triple-helix mutual information of university, industry and government".into(),
        source: report.source,
        conventions: vec![
            report.convention.to_string(),
            "units = projects and platforms; U, I, G, UIG = share of units with a university/institute, a firm/incubator, government, all three; T in millibits".into(),
        ],
        sections,
        charts,
        csv,
        notes,
        answer: PlannerAnswer::Synergy(report),
    }
}
