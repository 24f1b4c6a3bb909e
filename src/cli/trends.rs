//! `innograph trends`: yearly series of technology contracts and of the other activities,
//! with compound growth (see `query::trends`).

use anyhow::Result;

use super::args::TrendsArgs;
use super::output::Table;
use super::planning::{emit, millions, percent, Chart, Printable, Section};
use crate::query::{self, Breakdown, Ecosystem, Series, TrendsReport, TrendsRequest};
use crate::query::{PlannerAnswer, Store};

/// `innograph trends`.
pub(super) fn trends(store: &Store, args: TrendsArgs) -> Result<i32> {
    let by = args
        .by
        .iter()
        .map(|b| Breakdown::parse(b))
        .collect::<Result<Vec<_>, _>>()?;
    let eco = Ecosystem::load(store, &query::trends_needs())?;
    let report = query::trends(
        &eco,
        &TrendsRequest {
            years: args.years,
            by,
        },
    )?;
    emit(&printable(report, args.top), &args.output)?;
    Ok(0)
}

/// The report as tables: contract counts, contract amounts, districts and fields (top
/// `top` by the last year), other activities; the CSV holds every series in long form.
pub(super) fn printable(report: TrendsReport, top: usize) -> Printable {
    let years = &report.years;
    let span = match (years.first(), years.last()) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => "no years".into(),
    };
    let header = |first: &str, growth: &str| {
        let mut h = vec!["series".to_string(), first.to_string()];
        h.extend(years.iter().map(|y| y.to_string()));
        h.push(growth.to_string());
        h.push("undated".into());
        Table {
            headers: h,
            rows: Vec::new(),
        }
    };
    let count_row = |s: &Series| {
        let mut r = vec![s.section.clone(), s.label.clone()];
        r.extend(s.counts.iter().map(u64::to_string));
        r.push(percent(s.count_growth));
        r.push(s.undated.to_string());
        r
    };
    let amount_row = |s: &Series| {
        let mut r = vec![s.section.clone(), s.label.clone()];
        r.extend(s.amounts.iter().flatten().map(|a| millions(*a)));
        r.push(percent(s.amount_growth));
        r.push(s.undated.to_string());
        r
    };
    let contract_sections = ["contracts", "signer", "mode"];
    let mut counts = header("contracts", "growth/yr");
    let mut amounts = header("amount (m CNY)", "growth/yr");
    let mut district = header("contracts by firm's district", "growth/yr");
    let mut field = header("contracts by firm's field", "growth/yr");
    let mut activity = header("records", "growth/yr");
    for s in &report.series {
        if contract_sections.contains(&s.section.as_str()) {
            counts.rows.push(count_row(s));
            amounts.rows.push(amount_row(s));
        } else if s.section == "district" && district.rows.len() < top {
            district.rows.push(count_row(s));
        } else if s.section == "field" && field.rows.len() < top {
            field.rows.push(count_row(s));
        } else if s.section == "activity" {
            activity.rows.push(count_row(s));
        }
    }
    let mut csv = Table::new(&["section", "key", "label", "year", "count", "amount"]);
    for s in &report.series {
        for (i, y) in years.iter().enumerate() {
            csv.rows.push(vec![
                s.section.clone(),
                s.key.clone(),
                s.label.clone(),
                y.to_string(),
                s.counts[i].to_string(),
                s.amounts
                    .as_ref()
                    .map(|a| format!("{:.2}", a[i]))
                    .unwrap_or_default(),
            ]);
        }
    }
    let mut sections = vec![
        Section::new(format!("Technology contracts per year, {span}"), counts),
        Section::new(
            format!("Contract value per year (million CNY), {span}"),
            amounts,
        ),
    ];
    if !district.rows.is_empty() {
        sections.push(Section::new(
            format!("Contracts by the firm's district (top {top} in the last year)"),
            district,
        ));
    }
    if !field.rows.is_empty() {
        sections.push(Section::new(
            format!("Contracts by the firm's field (top {top} in the last year)"),
            field,
        ));
    }
    sections.push(Section::new(
        "Achievements, demands, solutions, incubations and spin-offs per year",
        activity,
    ));
    let all = report
        .series
        .iter()
        .find(|s| s.section == "contracts" && s.key == "all");
    let charts = all
        .and_then(|s| s.amounts.as_ref())
        .map(|amounts| Chart {
            caption: format!("Contract value per year, million CNY, {span}"),
            bars: years
                .iter()
                .zip(amounts)
                .map(|(y, a)| (y.to_string(), a / 1e6))
                .collect(),
        })
        .into_iter()
        .collect();
    Printable {
        heading: "Trends: technology contracts and transfer activity by year".into(),
        source: report.source,
        conventions: vec![
            "growth/yr = compound yearly growth (last/first)^(1/(years-1)) - 1 over the range shown".into(),
            "a contract counts once in each district and field of its firm".into(),
        ],
        sections,
        charts,
        csv,
        notes: report.notes.clone(),
        answer: PlannerAnswer::Trends(report),
    }
}
