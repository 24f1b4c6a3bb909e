//! `innograph consortia`: ties across regions, fields and kinds of actor by programme and
//! year, and the cross-region consortia of the YRD joint research (see `query::consortia`).

use anyhow::Result;

use super::args::ConsortiaArgs;
use super::output::Table;
use super::planning::{emit, Chart, Printable, Section};
use crate::query::{
    self, CandidatesReport, CandidatesRequest, ConsortiaReport, ConsortiaRequest, Ecosystem,
    Member, Region,
};
use crate::query::{PlannerAnswer, Store};

/// `innograph consortia`.
pub(super) fn consortia(store: &Store, args: ConsortiaArgs) -> Result<i32> {
    let eco = Ecosystem::load(store, &query::consortia_needs())?;
    let report = query::consortia_kept(
        &eco,
        &ConsortiaRequest {
            years: args.years,
            per_year: !args.no_years,
            top: Some(args.top),
            candidates: args.field.map(|field| CandidatesRequest {
                field,
                with: args.with,
                top: args.candidates,
            }),
        },
        &query::Keeping::store(store),
    )?;
    emit(&printable(report), &args.output)?;
    Ok(0)
}

fn share(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_default()
}

fn region(r: Region) -> &'static str {
    match r {
        Region::Shanghai => "Shanghai",
        Region::Outside => "outside",
        Region::Unknown => "",
    }
}

fn member(m: &Member) -> String {
    format!(
        "{} ({})",
        m.name,
        m.districts.first().map_or("?", |d| d.name.as_str())
    )
}

/// The report as the shares table and the consortia; the CSV holds one row per consortium
/// member.
pub(super) fn printable(report: ConsortiaReport) -> Printable {
    let mut shares = Table::new(&[
        "programme",
        "year",
        "projects",
        "cross-region projects",
        "ties",
        "cross-region",
        "cross-field",
        "cross-kind",
    ]);
    for r in &report.shares {
        shares.rows.push(vec![
            r.programme.clone(),
            r.year
                .map(|y| y.to_string())
                .unwrap_or_else(|| "all".into()),
            r.projects.to_string(),
            r.cross_region_projects.to_string(),
            r.ties.to_string(),
            share(r.cross_region_share),
            share(r.cross_field_share),
            share(r.cross_kind_share),
        ]);
    }
    let mut groups = Table::new(&[
        "#",
        "projects",
        "years",
        "Shanghai members",
        "provincial members",
        "provinces",
        "fields",
    ]);
    let mut csv = Table::new(&[
        "consortium",
        "member_id",
        "member_name",
        "kind",
        "region",
        "districts",
        "projects_in_consortium",
        "consortium_projects",
    ]);
    for (i, c) in report.consortia.iter().enumerate() {
        let join = |items: Vec<String>| items.join("; ");
        groups.rows.push(vec![
            (i + 1).to_string(),
            c.projects.len().to_string(),
            c.years.map(|(a, b)| format!("{a}–{b}")).unwrap_or_default(),
            join(
                c.members
                    .iter()
                    .filter(|m| m.region != Region::Outside)
                    .map(member)
                    .collect(),
            ),
            join(
                c.members
                    .iter()
                    .filter(|m| m.region == Region::Outside)
                    .map(member)
                    .collect(),
            ),
            join(c.provinces.iter().map(|t| t.name.clone()).collect()),
            join(c.fields.iter().map(|t| t.name.clone()).collect()),
        ]);
        for m in &c.members {
            csv.rows.push(vec![
                (i + 1).to_string(),
                m.id.clone(),
                m.name.clone(),
                m.kind.clone(),
                region(m.region).into(),
                join(m.districts.iter().map(|t| t.id.clone()).collect()),
                m.projects.to_string(),
                join(c.projects.iter().map(|t| t.id.clone()).collect()),
            ]);
        }
    }
    let mut sections = vec![
        Section::new(
            "Shares of ties that cross regions, fields and kinds",
            shares,
        ),
        Section::new(
            "Cross-region consortia: connected groups in YRD joint projects",
            groups,
        ),
    ];
    let mut conventions = vec![
        "a tie = two organisations in one project (per programme) or a declared collaboration; cross-region = Shanghai and a province".into(),
        format!(
            "{} YRD joint projects with {} distinct members outside Shanghai; {} consortia (connected groups), largest first",
            report.yrd_projects, report.yrd_outside_members, report.consortia_total
        ),
    ];
    let mut notes = report.notes.clone();
    if let Some(c) = &report.candidates {
        conventions.push(format!(
            "candidate consortia in {}: ranked by {}",
            c.field, c.ranking
        ));
        sections.push(Section::new(
            "Candidate consortia: the smallest sets of actors tying the given ones together",
            candidates_table(c, &mut csv),
        ));
        notes.extend(c.notes.iter().cloned());
    }
    let charts = vec![Chart {
        caption: "Cross-region ties, % of each programme's ties (all years)".into(),
        bars: report
            .shares
            .iter()
            .filter(|s| s.year.is_none())
            .filter_map(|s| Some((s.programme.clone(), s.cross_region_share? * 100.0)))
            .collect(),
    }];
    Printable {
        heading:
            "Consortia: ties across regions, fields and kinds, and the YRD joint research groups"
                .into(),
        source: report.source,
        conventions,
        sections,
        charts,
        csv,
        notes,
        answer: PlannerAnswer::Consortia(report),
    }
}

/// The candidates as a table (one row each), and their members as CSV rows
/// (`candidate N`).
fn candidates_table(c: &CandidatesReport, csv: &mut Table) -> Table {
    let mut table = Table::new(&[
        "rank",
        "given",
        "added",
        "Shanghai / outside",
        "existing ties",
        "new pairs",
        "score",
    ]);
    let names = |given: bool, rows: &crate::query::Candidate| {
        rows.members
            .iter()
            .filter(|m| m.given == given)
            .map(|m| format!("{} [{}]", m.name, m.id))
            .collect::<Vec<_>>()
            .join("; ")
    };
    for cand in &c.candidates {
        let count = |r: Region| cand.members.iter().filter(|m| m.region == r).count();
        table.rows.push(vec![
            cand.rank.to_string(),
            names(true, cand),
            names(false, cand),
            format!("{} / {}", count(Region::Shanghai), count(Region::Outside)),
            cand.ties.len().to_string(),
            cand.new_pairs.to_string(),
            cand.score.map(|s| format!("{s:.3}")).unwrap_or_default(),
        ]);
        for m in &cand.members {
            csv.rows.push(vec![
                format!("candidate {}", cand.rank),
                m.id.clone(),
                m.name.clone(),
                m.kind.clone(),
                region(m.region).into(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    table
}
