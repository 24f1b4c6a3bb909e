//! `innograph platforms`: the performance of concept-verification centres, pilot bases and
//! functional platforms, normalised by age and compared within their type (see
//! `query::platforms`).

use anyhow::Result;

use super::args::PlatformsArgs;
use super::output::Table;
use super::planning::{emit, millions, names, num, Chart, Printable, Section};
use crate::query::{self, Ecosystem, PlatformRow, PlatformsReport, PlatformsRequest, MEASURES};
use crate::query::{PlannerAnswer, Store};

/// `innograph platforms`.
pub(super) fn platforms(store: &Store, args: PlatformsArgs) -> Result<i32> {
    let eco = Ecosystem::load(store, &query::platforms_needs())?;
    let report = query::platforms(
        &eco,
        &PlatformsRequest {
            types: args.r#type,
            district: args.district,
            field: args.field,
            as_of: args.as_of,
            under_only: args.under,
            top: args.top,
        },
    )?;
    emit(&printable(report), &args.output)?;
    Ok(0)
}

fn opt<T: ToString>(x: Option<T>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

fn platform_row(p: &PlatformRow) -> Vec<String> {
    vec![
        opt(p.rank),
        p.id.clone(),
        p.name.clone(),
        opt(p.year),
        opt(p.age),
        p.incubated.to_string(),
        p.projects.to_string(),
        p.contracts.to_string(),
        millions(p.amount),
        p.spin_offs.to_string(),
        p.score.map(|s| format!("{s:.2}")).unwrap_or_default(),
        if p.under {
            "UNDER".into()
        } else {
            String::new()
        },
    ]
}

/// Most bars of a type's chart: the best half and the worst half of the listed platforms.
const CHART_BARS: usize = 16;

/// The first and last `CHART_BARS / 2` bars when there are more than `CHART_BARS`.
fn ends(mut bars: Vec<(String, f64)>) -> Vec<(String, f64)> {
    if bars.len() > CHART_BARS {
        bars.drain(CHART_BARS / 2..bars.len() - CHART_BARS / 2);
    }
    bars
}

const HEADERS: [&str; 12] = [
    "rank",
    "id",
    "name",
    "opened",
    "age",
    "incubated",
    "projects",
    "contracts",
    "amount (m CNY)",
    "spin_offs",
    "score",
    "",
];

/// The report as one summary of the types and one table per type; the CSV holds every
/// platform with its rates and percentiles.
pub(super) fn printable(report: PlatformsReport) -> Printable {
    let mut types = Table::new(&[
        "type",
        "platforms",
        "dated",
        "median incubated/yr",
        "projects/yr",
        "contracts/yr",
        "amount/yr (m CNY)",
        "spin_offs/yr",
        "lower quartile score",
        "under-performers",
    ]);
    for t in &report.types {
        let m = &t.median_rates;
        types.rows.push(vec![
            t.platform_type.clone(),
            t.platforms.to_string(),
            t.dated.to_string(),
            num(m[0]),
            num(m[1]),
            num(m[2]),
            millions(m[3]),
            num(m[4]),
            t.lower_quartile
                .map(|q| format!("{q:.2}"))
                .unwrap_or_default(),
            t.under.to_string(),
        ]);
    }
    let mut sections = vec![Section::new("Platform types and their medians", types)];
    for t in &report.types {
        let mut table = Table::new(&HEADERS);
        for p in report
            .platforms
            .iter()
            .filter(|p| p.platform_type == t.platform_type)
        {
            table.rows.push(platform_row(p));
        }
        if !table.rows.is_empty() {
            sections.push(Section::new(
                format!("{}: best score first", t.platform_type),
                table,
            ));
        }
    }
    let mut headers: Vec<String> = [
        "platform_type",
        "rank",
        "id",
        "name",
        "year",
        "age",
        "operators",
        "districts",
        "fields",
        "incubated",
        "incubated_published",
        "projects",
        "contracts",
        "amount",
        "spin_offs",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    headers.extend(MEASURES.iter().map(|m| format!("{m}_per_year")));
    headers.extend(MEASURES.iter().map(|m| format!("{m}_percentile")));
    headers.extend(["score".to_string(), "under".to_string()]);
    let mut csv = Table {
        headers,
        rows: Vec::new(),
    };
    for p in &report.platforms {
        let mut r = vec![
            p.platform_type.clone(),
            opt(p.rank),
            p.id.clone(),
            p.name.clone(),
            opt(p.year),
            opt(p.age),
            names(&p.operators),
            names(&p.districts),
            names(&p.fields),
            p.incubated.to_string(),
            opt(p.incubated_published),
            p.projects.to_string(),
            p.contracts.to_string(),
            format!("{:.2}", p.amount),
            p.spin_offs.to_string(),
        ];
        for values in [p.rates, p.percentiles] {
            match values {
                Some(v) => r.extend(v.iter().map(|x| format!("{x:.6}"))),
                None => r.extend(std::iter::repeat_n(String::new(), MEASURES.len())),
            }
        }
        r.push(p.score.map(|s| format!("{s:.6}")).unwrap_or_default());
        r.push(p.under.to_string());
        csv.rows.push(r);
    }
    let charts = report
        .types
        .iter()
        .map(|t| Chart {
            caption: format!(
                "{}: score (mean percentile within the type), best and worst listed",
                t.platform_type
            ),
            bars: ends(
                report
                    .platforms
                    .iter()
                    .filter(|p| p.platform_type == t.platform_type)
                    .filter_map(|p| Some((p.name.clone(), p.score?)))
                    .collect(),
            ),
        })
        .filter(|c| !c.bars.is_empty())
        .collect();
    Printable {
        heading: format!(
            "Platforms: performance per year of age, compared within each type (as of {})",
            opt(report.as_of)
        ),
        source: report.source,
        conventions: vec![
            "score = mean percentile within the type of incubated, projects, contracts, amount and spin-offs per year of age".into(),
            format!(
                "UNDER = score at or below the type's lower quartile and below its median, in a type with at least {} dated platforms",
                query::MIN_PEERS
            ),
        ],
        sections,
        charts,
        csv,
        notes: report.notes.clone(),
        answer: PlannerAnswer::Platforms(report),
    }
}
