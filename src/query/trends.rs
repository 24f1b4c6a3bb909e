//! `trends`: yearly series of technology contracts (count and amount) — all, by signer
//! (pilot and other universities, institutes), by mode, by the firm's district and field —
//! and of achievements, demands, solutions, incubations and spin-offs, with the compound
//! yearly growth over a range.
//!
//! It answers the source's sentence [`TRENDS_SOURCE`]: the growth of university technology
//! contracts since 2015.
//!
//! Conventions:
//! - a contract is dated by its `year`; one without a year is counted as *undated* and left
//!   out of the series;
//! - *by district* and *by field* use the firm's `located_in` and `in_field`: a contract
//!   counts once in each district and field of its firm, so these rows may sum to more than
//!   the total;
//! - achievements and demands are dated by their `year` (a demand without one by its
//!   `posts` edge), solutions, incubations and spin-offs by their edge's `year`; an
//!   aggregate company record counts its `aggregate_count` — unless named companies are
//!   stored too: then the named ones count, and the aggregates only for their excess over
//!   them, as undated (see [`super::ecosystem`], "Aggregate records");
//! - growth over `A..B` is the compound yearly rate `(x_B / x_A)^(1/(B−A)) − 1`, absent when
//!   `x_A` is 0 or `A = B`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::ecosystem::{Ecosystem, Needs, CONTRACT_MODES};
use super::years::YearRange;
use super::QueryError;

/// The sentence of the source document the trends answer.
pub const TRENDS_SOURCE: &str = "高校技术转移规模稳步增长,2024年技术合同达9179项,成交金额79.13亿元,自2015年国家科技成果转化法颁布以来,年均增长率超过20%。";

/// How contracts are broken down, besides the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Breakdown {
    /// By the signer: pilot universities, other universities, institutes.
    Signer,
    /// By contract mode (development, service, consulting, transfer, licence, equity).
    Mode,
    /// By the firm's district.
    District,
    /// By the firm's field.
    Field,
}

impl Breakdown {
    /// Every breakdown, in the order the report lists them.
    pub const ALL: [Breakdown; 4] = [
        Breakdown::Signer,
        Breakdown::Mode,
        Breakdown::District,
        Breakdown::Field,
    ];

    /// Parses `signer`, `mode`, `district` or `field`.
    pub fn parse(text: &str) -> Result<Breakdown, QueryError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "signer" | "university" | "kind" => Ok(Breakdown::Signer),
            "mode" => Ok(Breakdown::Mode),
            "district" => Ok(Breakdown::District),
            "field" => Ok(Breakdown::Field),
            other => Err(QueryError::BadParameter(format!(
                "unknown breakdown `{other}` (signer, mode, district, field)"
            ))),
        }
    }
}

/// Options of [`trends`].
#[derive(Debug, Clone, Default)]
pub struct TrendsRequest {
    /// Years of the series and of the growth rate; default: the span of dated contracts
    /// (or of any dated activity when there is no contract).
    pub years: Option<(i32, i32)>,
    /// Contract breakdowns to add (default: all).
    pub by: Vec<Breakdown>,
}

/// One yearly series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// `contracts`, `signer`, `mode`, `district`, `field` or `activity`.
    pub section: String,
    /// What is counted within the section (a mode, a district id, `university`, ...).
    pub key: String,
    /// A readable label (names for districts and fields).
    pub label: String,
    /// Count per year of the range.
    pub counts: Vec<u64>,
    /// Amount (CNY) per year of the range; absent for series without amounts.
    pub amounts: Option<Vec<f64>>,
    /// Compound yearly growth of the count over the range.
    pub count_growth: Option<f64>,
    /// Compound yearly growth of the amount over the range.
    pub amount_growth: Option<f64>,
    /// Records of this series with no year (not in `counts`).
    pub undated: u64,
}

/// The yearly series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendsReport {
    /// The sentence of the source this answers.
    pub source: &'static str,
    /// The years of every series, ascending.
    pub years: Vec<i32>,
    /// The series: contracts first, then each breakdown, then the other activities.
    pub series: Vec<Series>,
    /// What the data lacks (no contracts, no dated ties, ...).
    pub notes: Vec<String>,
}

/// What [`trends`] reads beyond the snapshot.
pub fn trends_needs() -> Needs {
    Needs {
        node_kinds: vec!["university", "achievement", "demand"],
        contracts: true,
        companies: true,
    }
}

/// The companies of a series: the named ones or the aggregates' — whichever are more, never
/// both (see [`super::ecosystem`], "Aggregate records"). With named companies, the
/// aggregates' excess over them counts as undated.
fn larger_of(named: Vec<Option<i32>>, aggregated: Vec<Option<i32>>) -> Vec<Option<i32>> {
    if named.is_empty() {
        return aggregated;
    }
    let excess = aggregated.len().saturating_sub(named.len());
    let mut years = named;
    years.extend(std::iter::repeat_n(None, excess));
    years
}

/// Compound yearly growth from `first` to `last` over `span` years.
pub fn growth(first: f64, last: f64, span: i32) -> Option<f64> {
    (first > 0.0 && span > 0 && last >= 0.0).then(|| (last / first).powf(1.0 / span as f64) - 1.0)
}

#[derive(Default)]
struct Acc {
    label: String,
    by_year: BTreeMap<i32, (u64, f64)>,
    undated: u64,
}

impl Acc {
    fn add(&mut self, year: Option<i32>, amount: f64) {
        match year {
            Some(y) => {
                let e = self.by_year.entry(y).or_default();
                e.0 += 1;
                e.1 += amount;
            }
            None => self.undated += 1,
        }
    }
}

/// The yearly series of the ecosystem.
pub fn trends(eco: &Ecosystem, request: &TrendsRequest) -> Result<TrendsReport, QueryError> {
    let s = &eco.snapshot;
    let by: BTreeSet<Breakdown> = if request.by.is_empty() {
        Breakdown::ALL.into_iter().collect()
    } else {
        request.by.iter().copied().collect()
    };
    let mut notes = Vec::new();
    // One pass over the contracts into accumulators keyed by numbers: (order, node or
    // code), where the order places the sections (0 all, 1..=9 signer, 10..=19 mode,
    // 20 district, 30 field) and the node or code the row within them. Keys and labels
    // become text once, for the few hundred rows.
    let mut by_code: HashMap<(u8, u32), Acc> = HashMap::new();
    let located_in = eco.code("located_in");
    let in_field = eco.code("in_field");
    let university = s.node_kind_code_of("university");
    let mut tags: Vec<u32> = Vec::new();
    let mut pilot: HashMap<u32, bool> = HashMap::new();
    for c in &eco.contracts {
        let (y, a) = (c.year, c.amount);
        let mut add = |order: u8, code: u32| by_code.entry((order, code)).or_default().add(y, a);
        add(0, 0);
        if by.contains(&Breakdown::Signer) {
            let kind = s.node_kind_code(c.signer);
            if Some(kind) == university {
                add(1, 0);
                let is_pilot = *pilot
                    .entry(c.signer)
                    .or_insert_with(|| eco.flag(c.signer, "pilot_2023"));
                add(if is_pilot { 2 } else { 3 }, 0);
            } else {
                add(4, u32::from(kind));
            }
        }
        if by.contains(&Breakdown::Mode) {
            add(10 + c.mode.unwrap_or(CONTRACT_MODES.len() as u8), 0);
        }
        for (breakdown, order, code) in [
            (Breakdown::District, 20, located_in),
            (Breakdown::Field, 30, in_field),
        ] {
            if by.contains(&breakdown) {
                eco.out_into(c.firm, code, &mut tags);
                for &d in &tags {
                    add(order, d);
                }
            }
        }
    }
    let kind_names = s.node_kind_names();
    let contracts: BTreeMap<(u8, String), Acc> = by_code
        .into_iter()
        .map(|((order, code), mut acc)| {
            let (key, label) = match order {
                0 => ("all".to_string(), "all contracts".to_string()),
                1 => ("university".into(), "university contracts".into()),
                2 => (
                    "pilot_university".into(),
                    "pilot universities (2023)".into(),
                ),
                3 => ("other_university".into(), "other universities".into()),
                4 => {
                    let kind = kind_names[code as usize].clone();
                    let label = format!("{kind} contracts");
                    (kind, label)
                }
                10..=19 => {
                    let mode = CONTRACT_MODES
                        .get(usize::from(order - 10))
                        .copied()
                        .unwrap_or("(other)");
                    (mode.to_string(), mode.to_string())
                }
                _ => (s.node_id(code).to_string(), s.node_name(code).to_string()),
            };
            acc.label = label;
            ((order, key), acc)
        })
        .collect();
    if eco.contracts.is_empty() {
        notes.push(
            "no technology contract (contracts_with) is stored: the contract series are empty"
                .into(),
        );
    }

    // Other activities.
    let mut activity: Vec<(&str, &str, Acc)> = Vec::new();
    let mut dated = |key: &'static str, label: &'static str, years: Vec<Option<i32>>| {
        let mut acc = Acc {
            label: label.into(),
            ..Acc::default()
        };
        for y in years {
            acc.add(y, 0.0);
        }
        activity.push((key, label, acc));
    };
    dated(
        "achievements",
        "achievements disclosed",
        eco.nodes_of("achievement")
            .into_iter()
            .map(|v| eco.year(v))
            .collect(),
    );
    let posts = eco.code("posts");
    dated(
        "demands",
        "demands posted",
        eco.nodes_of("demand")
            .into_iter()
            .map(|v| {
                eco.year(v).or_else(|| {
                    s.in_edges(v)
                        .iter()
                        .filter(|&&e| Some(s.edge_kind_codes()[e as usize]) == posts)
                        .find_map(|&e| s.edge(e as usize).year)
                })
            })
            .collect(),
    );
    for (key, label, kind) in [
        ("solutions", "solutions offered", "solves"),
        ("incubations", "companies incubated", "incubates"),
        ("spin_offs", "spin-offs", "spun_off_from"),
    ] {
        // Named companies one by one; aggregate company records by their count.
        let (mut years, mut aggregated) = (Vec::new(), Vec::new());
        for e in eco.edges_of(kind) {
            let edge = s.edge(e);
            let company = match kind {
                "incubates" => Some(edge.target),
                "spun_off_from" => Some(edge.source),
                _ => None,
            };
            match company.and_then(|c| eco.aggregate(c)) {
                Some(n) => aggregated.extend(std::iter::repeat_n(edge.year, n as usize)),
                None => years.push(edge.year),
            }
        }
        dated(key, label, larger_of(years, aggregated));
    }

    // The range.
    let (lo, hi) = match request.years {
        Some(r) => r,
        None => {
            let span = |accs: &mut dyn Iterator<Item = &Acc>| {
                accs.flat_map(|a| a.by_year.keys().copied()).fold(
                    None,
                    |r: Option<(i32, i32)>, y| {
                        Some(r.map_or((y, y), |(a, b)| (a.min(y), b.max(y))))
                    },
                )
            };
            match span(&mut contracts.values()) {
                Some(r) => r,
                None => match span(&mut activity.iter().map(|x| &x.2)) {
                    Some(r) => r,
                    None => {
                        notes.push(
                            "no dated tie or record is stored: there is no year to show".into(),
                        );
                        return Ok(TrendsReport {
                            source: TRENDS_SOURCE,
                            years: Vec::new(),
                            series: Vec::new(),
                            notes,
                        });
                    }
                },
            }
        }
    };
    YearRange::new(Some((lo, hi)))?;
    if hi - lo > 200 {
        return Err(QueryError::BadParameter(format!(
            "years {lo}..{hi} span more than 200 years"
        )));
    }
    let years: Vec<i32> = (lo..=hi).collect();
    let series_of = |section: &str, key: &str, acc: &Acc, with_amounts: bool| {
        let counts: Vec<u64> = years
            .iter()
            .map(|y| acc.by_year.get(y).map_or(0, |x| x.0))
            .collect();
        let amounts: Vec<f64> = years
            .iter()
            .map(|y| acc.by_year.get(y).map_or(0.0, |x| x.1))
            .collect();
        let span = hi - lo;
        Series {
            section: section.into(),
            key: key.into(),
            label: acc.label.clone(),
            count_growth: growth(counts[0] as f64, counts[counts.len() - 1] as f64, span),
            amount_growth: with_amounts
                .then(|| growth(amounts[0], amounts[amounts.len() - 1], span))
                .flatten(),
            counts,
            amounts: with_amounts.then_some(amounts),
            undated: acc.undated,
        }
    };
    let mut series = Vec::new();
    for ((order, key), acc) in &contracts {
        let section = match order {
            0 => "contracts",
            1..=9 => "signer",
            10..=19 => "mode",
            20 => "district",
            _ => "field",
        };
        series.push(series_of(section, key, acc, true));
    }
    // Districts and fields: largest in the last year first.
    let last = |x: &Series| std::cmp::Reverse(x.counts.last().copied().unwrap_or(0));
    let start = series
        .iter()
        .position(|x| x.section == "district" || x.section == "field")
        .unwrap_or(series.len());
    series[start..].sort_by(|a, b| {
        (a.section.as_str(), last(a), a.key.as_str()).cmp(&(
            b.section.as_str(),
            last(b),
            b.key.as_str(),
        ))
    });
    for (key, _, acc) in &activity {
        series.push(series_of("activity", key, acc, false));
    }
    if !eco.contracts.is_empty() && contracts.values().all(|a| a.by_year.is_empty()) {
        notes.push("no technology contract carries a year".into());
    }
    Ok(TrendsReport {
        source: TRENDS_SOURCE,
        years,
        series,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::planning_testing::{csv_rows, figure, generated, shanghai};

    #[test]
    fn aggregate_companies_count_only_beyond_the_named_ones() {
        let (y, n) = (Some(2024), None);
        assert_eq!(larger_of(vec![], vec![y, n, n]), vec![y, n, n]);
        assert_eq!(larger_of(vec![y, y, y], vec![n, n]), vec![y, y, y]);
        assert_eq!(larger_of(vec![y], vec![n, y, n]), vec![y, n, n]);
    }

    #[test]
    fn growth_is_the_compound_yearly_rate() {
        assert!((growth(100.0, 121.0, 2).unwrap() - 0.1).abs() < 1e-12);
        assert_eq!(growth(0.0, 5.0, 3), None);
        assert_eq!(growth(5.0, 5.0, 0), None);
        assert_eq!(growth(4.0, 0.0, 2), Some(-1.0));
    }

    #[test]
    fn generated_contracts_reproduce_the_generator_figures() {
        let (t, summary) = generated(0.1);
        let eco = Ecosystem::load(&t.store, &trends_needs()).unwrap();
        let report = trends(&eco, &TrendsRequest::default()).unwrap();
        assert_eq!(report.years.first(), Some(&2015));
        assert_eq!(report.years.last(), Some(&2024));
        let university = report
            .series
            .iter()
            .find(|x| x.section == "signer" && x.key == "university")
            .unwrap();
        let i2024 = report.years.iter().position(|y| *y == 2024).unwrap();
        assert_eq!(
            university.counts[i2024] as f64,
            figure(&summary, "university contracts signed in 2024")
        );
        let amount = university.amounts.as_ref().unwrap()[i2024];
        let target = figure(&summary, "value of 2024 university contracts");
        assert!(
            (amount - target).abs() / target < 1e-9,
            "{amount} vs {target}"
        );
        let g = university.amount_growth.unwrap();
        let target = figure(&summary, "yearly growth of contract value 2015-2024");
        assert!((g - target).abs() < 1e-9, "{g} vs {target}");

        // Recounted from the CSV file: contracts per mode in 2020, incubations per year.
        let rows = csv_rows(t.dir.path(), "edges-contracts_with.csv");
        for mode in CONTRACT_MODES {
            let expected = rows
                .iter()
                .filter(|r| r["mode"] == mode && r["year"] == "2020")
                .count() as u64;
            let got = report
                .series
                .iter()
                .find(|x| x.section == "mode" && x.key == mode)
                .unwrap()
                .counts[report.years.iter().position(|y| *y == 2020).unwrap()];
            assert_eq!(got, expected, "{mode}");
        }
        let all = &report.series[0];
        assert_eq!(
            (all.section.as_str(), all.key.as_str()),
            ("contracts", "all")
        );
        assert_eq!(
            all.counts.iter().sum::<u64>() + all.undated,
            rows.len() as u64
        );
        let incubations = report
            .series
            .iter()
            .find(|x| x.key == "incubations")
            .unwrap();
        let rows = csv_rows(t.dir.path(), "edges-incubates.csv");
        for (i, y) in report.years.iter().enumerate() {
            let expected = rows.iter().filter(|r| r["year"] == y.to_string()).count() as u64;
            assert_eq!(incubations.counts[i], expected, "{y}");
        }
    }

    #[test]
    fn a_range_restricts_the_series_and_the_growth() {
        let (t, _) = generated(0.05);
        let eco = Ecosystem::load(&t.store, &trends_needs()).unwrap();
        let whole = trends(&eco, &TrendsRequest::default()).unwrap();
        let part = trends(
            &eco,
            &TrendsRequest {
                years: Some((2020, 2022)),
                by: vec![Breakdown::Mode],
            },
        )
        .unwrap();
        assert_eq!(part.years, vec![2020, 2021, 2022]);
        assert!(part.series.iter().all(|x| x.section != "district"));
        let a = &whole.series[0];
        let b = &part.series[0];
        assert_eq!(b.counts, a.counts[5..8].to_vec());
        let expected = growth(a.counts[5] as f64, a.counts[7] as f64, 2);
        assert_eq!(b.count_growth, expected);
    }

    #[test]
    fn the_fixtures_have_no_contracts_and_say_so() {
        let t = shanghai();
        let eco = Ecosystem::load(&t.store, &trends_needs()).unwrap();
        let report = trends(&eco, &TrendsRequest::default()).unwrap();
        assert!(report.notes[0].contains("no technology contract"));
        // The one dated incubation: the SJTU biomedicine centre's 7 companies, 2024 (an
        // aggregate record).
        assert_eq!(report.years, vec![2024]);
        let inc = report
            .series
            .iter()
            .find(|x| x.key == "incubations")
            .unwrap();
        assert_eq!(inc.counts, vec![7]);
    }
}
