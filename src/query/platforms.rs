//! `platforms`: a performance table of concept-verification centres, pilot bases and
//! functional platforms, normalised by age and compared within their type, so a planner
//! sees which centres under-perform their peers.
//!
//! It answers the source's sentence [`PLATFORMS_SOURCE`] (a performance evaluation
//! "oriented to quality and results").
//!
//! **Measures** of a platform `p` of type `T`, opened in year `y` (its `year`), as of year
//! `A` (`--as-of`, default the latest year in the data):
//! - *incubated*: companies it incubates (`incubates` edges from it; an aggregate record
//!   counts its `aggregate_count`); when its record publishes `incubated_count`, the larger
//!   of the two;
//! - *projects*: projects its operators (`operates` sources) lead or join in one of its
//!   fields, started in or after `y`;
//! - *contracts* and *amount*: technology contracts its operating universities or
//!   institutes sign with firms of one of its fields, in or after `y` — the transfers that
//!   pass through its universities;
//! - *spin-offs*: firms of one of its fields spun off (`spun_off_from`) from an operator, in
//!   or after `y`.
//!
//! Undated ties count (their year is unknown, so they are not excluded). *Age* is
//! `A − y + 1` years (none when `y` is unknown or after `A`); each measure divided by the age
//! is its *rate per year*. Within each type, a platform's *percentile* on a measure is its
//! mid-rank among the type's platforms with an age, scaled to 0..1 (ties share the average
//! rank; a lone platform gets 0.5); its *score* is the mean percentile over the five rates,
//! and it *under-performs* when the type has at least [`MIN_PEERS`] platforms with an age
//! and its score is at or below the type's lower quartile of scores and below its median
//! (so a type whose platforms all score alike has none; quartiles interpolate linearly,
//! as NumPy's default). A quarter of a type's platforms are flagged when scores differ,
//! more when many tie at the bottom (every centre with nothing on any measure).
//!
//! **Platforms of a type** count the larger of the aggregate records' `aggregate_count` (the
//! fixtures' "11 municipal pilot bases") and the named platforms of the type, never both (see
//! [`super::ecosystem`], "Aggregate records"); an aggregate keeps its own row, undated.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ecosystem::{Ecosystem, Needs};
use super::engagement::{resolve, tags, Tag};
use super::QueryError;

/// The sentence of the source document the platform table answers.
pub const PLATFORMS_SOURCE: &str = "四是形成概念验证中心建设实施方案和工作指引,推动本市概念验证平台有序发展、高质量推进,鼓励各类创新主体自主建设概念验证中心,引导高校院所建立概念验证成果初始验证机制,建立质量、绩效导向的绩效评估机制。";

/// A type needs this many dated platforms before any of them is called an under-performer.
pub const MIN_PEERS: usize = 4;

/// The latest year `as_of` may name (ages are counted in calendar years).
pub const MAX_AS_OF: i32 = 9999;

/// The measures, in the order of [`PlatformRow::rates`].
pub const MEASURES: [&str; 5] = ["incubated", "projects", "contracts", "amount", "spin_offs"];

/// Options of [`platforms`].
#[derive(Debug, Clone, Default)]
pub struct PlatformsRequest {
    /// Only platforms of these types (`concept_verification`, `pilot_base`,
    /// `functional_platform`, `other`).
    pub types: Vec<String>,
    /// Only platforms in this district (id or name).
    pub district: Option<String>,
    /// Only platforms in this field (id or name).
    pub field: Option<String>,
    /// The year ages are measured to (default: the latest year in the data).
    pub as_of: Option<i32>,
    /// Only the under-performers.
    pub under_only: bool,
    /// At most this many platform rows (type summaries count them all).
    pub top: Option<usize>,
}

/// One platform's performance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlatformRow {
    /// Platform id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `platform_type` (`unknown` when absent).
    pub platform_type: String,
    /// Year opened.
    pub year: Option<i32>,
    /// Years open as of the report year.
    pub age: Option<i32>,
    /// Who operates it.
    pub operators: Vec<Tag>,
    /// Where it is.
    pub districts: Vec<Tag>,
    /// Its fields.
    pub fields: Vec<Tag>,
    /// Companies incubated (see the module docs).
    pub incubated: u64,
    /// `incubated_count` as published on the record, when present.
    pub incubated_published: Option<i64>,
    /// Projects of its operators in its fields since it opened.
    pub projects: u64,
    /// Contracts of its operating universities/institutes with firms of its fields.
    pub contracts: u64,
    /// Their summed amount (CNY).
    pub amount: f64,
    /// Spin-offs of its operators in its fields.
    pub spin_offs: u64,
    /// Each measure per year of age, in [`MEASURES`] order; absent without an age.
    pub rates: Option<[f64; 5]>,
    /// Percentile within its type per measure; absent without an age.
    pub percentiles: Option<[f64; 5]>,
    /// Mean percentile.
    pub score: Option<f64>,
    /// Rank within its type by score (1 = best).
    pub rank: Option<usize>,
    /// Under-performs its peers.
    pub under: bool,
}

/// A type's peers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeSummary {
    /// The type.
    pub platform_type: String,
    /// Platforms of the type: the larger of the aggregate records' counts and the named
    /// platforms.
    pub platforms: usize,
    /// Of which with an age.
    pub dated: usize,
    /// Median rate per measure among the dated ones.
    pub median_rates: [f64; 5],
    /// The lower quartile of the dated platforms' scores (the under-performance mark).
    pub lower_quartile: Option<f64>,
    /// Their median score.
    pub median_score: Option<f64>,
    /// Under-performers.
    pub under: usize,
}

/// The platform table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlatformsReport {
    /// The sentence of the source this answers.
    pub source: &'static str,
    /// The year ages are measured to.
    pub as_of: Option<i32>,
    /// One summary per type.
    pub types: Vec<TypeSummary>,
    /// Platforms by type, best score first (undated last).
    pub platforms: Vec<PlatformRow>,
    /// What the data lacks.
    pub notes: Vec<String>,
}

/// What [`platforms`] reads beyond the snapshot.
pub fn platforms_needs() -> Needs {
    Needs {
        node_kinds: vec!["platform", "project"],
        companies: true,
        ..Needs::default()
    }
}

/// Mid-rank percentiles of `values` in 0..1 (ties share their average rank; one value gets
/// 0.5).
pub fn percentiles(values: &[f64]) -> Vec<f64> {
    let n = values.len();
    if n == 1 {
        return vec![0.5];
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; n];
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let mid = (i + j) as f64 / 2.0;
        for k in i..=j {
            out[order[k]] = mid / (n - 1) as f64;
        }
        i = j + 1;
    }
    out
}

fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// The `q` quantile of sorted values, interpolating linearly between ranks (NumPy's
/// default); `None` when there is no value.
fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let at = q * last as f64;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo as f64))
}

fn shares_field(eco: &Ecosystem, v: u32, fields: &[u32]) -> bool {
    fields.is_empty() || eco.out(v, "in_field").iter().any(|f| fields.contains(f))
}

/// The latest year of any dated edge.
fn latest_year(eco: &Ecosystem) -> Option<i32> {
    let s = &eco.snapshot;
    (0..s.edge_count()).filter_map(|e| s.edge(e).year).max()
}

/// The performance table of the platforms.
pub fn platforms(
    eco: &Ecosystem,
    request: &PlatformsRequest,
) -> Result<PlatformsReport, QueryError> {
    let s = &eco.snapshot;
    let district = request
        .district
        .as_deref()
        .map(|d| resolve(eco, "district", d))
        .transpose()?;
    let field = request
        .field
        .as_deref()
        .map(|f| resolve(eco, "field", f))
        .transpose()?;
    for t in &request.types {
        if ![
            "concept_verification",
            "pilot_base",
            "functional_platform",
            "other",
            "unknown",
        ]
        .contains(&t.as_str())
        {
            return Err(QueryError::BadParameter(format!(
                "unknown platform type `{t}` (concept_verification, pilot_base, functional_platform, other)"
            )));
        }
    }
    if let Some(y) = request.as_of {
        if !(1..=MAX_AS_OF).contains(&y) {
            return Err(QueryError::BadParameter(format!(
                "as_of must be a year from 1 to {MAX_AS_OF}, got {y}"
            )));
        }
    }
    let as_of = request.as_of.or_else(|| latest_year(eco));
    let mut notes = Vec::new();
    let mut rows = Vec::new();
    // Each row's `aggregate_count` when it is an aggregate record.
    let mut aggregates: Vec<Option<u64>> = Vec::new();
    let after = |year: Option<i32>, since: Option<i32>| match (year, since) {
        (Some(y), Some(from)) => y >= from,
        _ => true,
    };
    let contracts_code = eco.code("contracts_with");
    let spun_code = eco.code("spun_off_from");
    for p in eco.nodes_of("platform") {
        let ptype = eco
            .text(p, "platform_type")
            .unwrap_or("unknown")
            .to_string();
        if !request.types.is_empty() && !request.types.contains(&ptype) {
            continue;
        }
        let districts = eco.out(p, "located_in");
        let fields = eco.out(p, "in_field");
        if district.is_some_and(|d| !districts.contains(&d))
            || field.is_some_and(|f| !fields.contains(&f))
        {
            continue;
        }
        let year = eco.year(p);
        let age = match (year, as_of) {
            (Some(y), Some(a)) if a >= y => a.checked_sub(y).and_then(|d| d.checked_add(1)),
            _ => None,
        };
        let operators = eco.into(p, "operates");
        let incubated_edges: u64 = eco
            .out(p, "incubates")
            .into_iter()
            .map(|c| eco.companies(c))
            .sum();
        let published = eco.int(p, "incubated_count");
        let incubated = incubated_edges.max(published.unwrap_or(0).max(0) as u64);
        let mut projects: Vec<u32> = Vec::new();
        let (mut contracts, mut amount, mut spin_offs) = (0u64, 0.0f64, 0u64);
        for &op in &operators {
            for kind in ["leads", "participates_in"] {
                for proj in eco.out(op, kind) {
                    if after(eco.year(proj), year) && shares_field(eco, proj, &fields) {
                        projects.push(proj);
                    }
                }
            }
            for e in s.out_edges(op) {
                if Some(s.edge_kind_codes()[e]) != contracts_code {
                    continue;
                }
                let edge = s.edge(e);
                if after(edge.year, year) && shares_field(eco, edge.target, &fields) {
                    contracts += 1;
                    amount += edge.amount.unwrap_or(0.0);
                }
            }
            for &e in s.in_edges(op) {
                let e = e as usize;
                if Some(s.edge_kind_codes()[e]) != spun_code {
                    continue;
                }
                let edge = s.edge(e);
                if after(edge.year, year) && shares_field(eco, edge.source, &fields) {
                    spin_offs += 1;
                }
            }
        }
        projects.sort_unstable();
        projects.dedup();
        let values = [
            incubated as f64,
            projects.len() as f64,
            contracts as f64,
            amount,
            spin_offs as f64,
        ];
        aggregates.push(eco.aggregate(p));
        rows.push(PlatformRow {
            id: s.node_id(p).to_string(),
            name: s.node_name(p).to_string(),
            platform_type: ptype,
            year,
            age,
            operators: tags(eco, &operators),
            districts: tags(eco, &districts),
            fields: tags(eco, &fields),
            incubated,
            incubated_published: published,
            projects: projects.len() as u64,
            contracts,
            amount,
            spin_offs,
            rates: age.map(|a| values.map(|x| x / a as f64)),
            percentiles: None,
            score: None,
            rank: None,
            under: false,
        });
    }
    if rows.is_empty() {
        notes.push("no platform matches".into());
    } else if rows.iter().all(|r| r.age.is_none()) {
        notes.push("no platform has a year (or as-of year): rates and comparisons need one".into());
    }

    // Compare within each type.
    let mut by_type: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        by_type.entry(r.platform_type.clone()).or_default().push(i);
    }
    let mut types = Vec::new();
    for (ptype, members) in &by_type {
        let dated: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| rows[i].rates.is_some())
            .collect();
        let mut median_rates = [0.0; 5];
        let mut per_measure = Vec::new();
        for (k, slot) in median_rates.iter_mut().enumerate() {
            let mut values: Vec<f64> = dated
                .iter()
                .map(|&i| rows[i].rates.map_or(0.0, |r| r[k]))
                .collect();
            per_measure.push(if values.is_empty() {
                Vec::new()
            } else {
                percentiles(&values)
            });
            *slot = median(&mut values);
        }
        for (j, &i) in dated.iter().enumerate() {
            let mut pct = [0.0; 5];
            for (k, p) in pct.iter_mut().enumerate() {
                *p = per_measure[k][j];
            }
            let score = pct.iter().sum::<f64>() / 5.0;
            rows[i].percentiles = Some(pct);
            rows[i].score = Some(score);
        }
        let mut scores: Vec<f64> = dated.iter().filter_map(|&i| rows[i].score).collect();
        scores.sort_by(f64::total_cmp);
        let lower_quartile = quantile(&scores, 0.25);
        let median_score = quantile(&scores, 0.5);
        if let (Some(q), Some(m)) = (lower_quartile, median_score) {
            if dated.len() >= MIN_PEERS {
                for &i in &dated {
                    let score = rows[i].score.unwrap_or(f64::NAN);
                    rows[i].under = score <= q && score < m;
                }
            }
        }
        let mut ranked = dated.clone();
        ranked.sort_by(|&a, &b| {
            rows[b]
                .score
                .unwrap_or(0.0)
                .total_cmp(&rows[a].score.unwrap_or(0.0))
                .then(rows[a].id.cmp(&rows[b].id))
        });
        for (rank, &i) in ranked.iter().enumerate() {
            rows[i].rank = Some(rank + 1);
        }
        types.push(TypeSummary {
            platform_type: ptype.clone(),
            platforms: {
                let aggregated: u64 = members.iter().filter_map(|&i| aggregates[i]).sum();
                let named = members.iter().filter(|&&i| aggregates[i].is_none()).count();
                named.max(aggregated as usize)
            },
            dated: dated.len(),
            median_rates,
            lower_quartile,
            median_score,
            under: dated.iter().filter(|&&i| rows[i].under).count(),
        });
    }
    rows.sort_by(|a, b| {
        a.platform_type
            .cmp(&b.platform_type)
            .then(
                a.rank
                    .unwrap_or(usize::MAX)
                    .cmp(&b.rank.unwrap_or(usize::MAX)),
            )
            .then(a.id.cmp(&b.id))
    });
    if request.under_only {
        rows.retain(|r| r.under);
    }
    if let Some(top) = request.top {
        rows.truncate(top);
    }
    Ok(PlatformsReport {
        source: PLATFORMS_SOURCE,
        as_of,
        types,
        platforms: rows,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::query::planning_testing::{csv_rows, figure, generated, shanghai};

    #[test]
    fn quantiles_interpolate_like_numpy() {
        // numpy.quantile([1, 2, 3, 4], [0.25, 0.5]) = [1.75, 2.5]
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.25), Some(1.75));
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
        assert_eq!(quantile(&[5.0], 0.25), Some(5.0));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn percentiles_share_ties() {
        assert_eq!(percentiles(&[3.0, 1.0, 2.0]), vec![1.0, 0.0, 0.5]);
        assert_eq!(
            percentiles(&[0.0, 0.0, 5.0, 0.0]),
            vec![1.0 / 3.0, 1.0 / 3.0, 1.0, 1.0 / 3.0]
        );
        assert_eq!(percentiles(&[7.0]), vec![0.5]);
    }

    #[test]
    fn generated_incubations_per_platform_match_the_csv() {
        let (t, summary) = generated(0.5);
        let eco = Ecosystem::load(&t.store, &platforms_needs()).unwrap();
        let report = platforms(&eco, &PlatformsRequest::default()).unwrap();
        let mut per_platform: BTreeMap<String, u64> = BTreeMap::new();
        for r in csv_rows(t.dir.path(), "edges-incubates.csv") {
            if r["source"].starts_with("plat:") {
                *per_platform.entry(r["source"].clone()).or_default() += 1;
            }
        }
        // A published incubated_count (the fixtures' named platforms) counts when larger.
        let published: BTreeMap<String, u64> = csv_rows(t.dir.path(), "nodes-platform.csv")
            .into_iter()
            .filter_map(|r| Some((r["id"].clone(), r["incubated_count"].parse().ok()?)))
            .collect();
        assert_eq!(report.platforms.len() as u64, summary.nodes["platform"]);
        for row in &report.platforms {
            let edges = per_platform.get(&row.id).copied().unwrap_or(0);
            let expected = edges.max(published.get(&row.id).copied().unwrap_or(0));
            assert_eq!(row.incubated, expected, "{}", row.id);
        }
        let functional: u64 = report
            .platforms
            .iter()
            .filter(|r| r.platform_type == "functional_platform")
            .map(|r| r.incubated)
            .sum();
        assert_eq!(
            functional as f64,
            figure(&summary, "companies incubated by functional platforms")
        );
        let biomed = report
            .platforms
            .iter()
            .find(|r| r.id == "plat:sjtu-biomed-cv")
            .unwrap();
        assert!(
            biomed.incubated as f64
                >= figure(&summary, "companies incubated by SJTU biomedicine centre")
        );
        // Within a type, ranks run 1..n and under-performers have the lowest scores.
        for ty in &report.types {
            let rows: Vec<&PlatformRow> = report
                .platforms
                .iter()
                .filter(|r| r.platform_type == ty.platform_type && r.rank.is_some())
                .collect();
            assert_eq!(rows.len(), ty.dated);
            for (i, r) in rows.iter().enumerate() {
                assert_eq!(r.rank, Some(i + 1));
                if r.under {
                    assert!(r.score.unwrap() <= ty.lower_quartile.unwrap());
                    assert!(r.score.unwrap() < ty.median_score.unwrap());
                }
            }
        }
        assert_eq!(report.as_of, Some(2025));
        let under = platforms(
            &eco,
            &PlatformsRequest {
                under_only: true,
                types: vec!["concept_verification".into()],
                ..PlatformsRequest::default()
            },
        )
        .unwrap();
        assert!(under
            .platforms
            .iter()
            .all(|r| r.under && r.platform_type == "concept_verification"));
        assert_eq!(under.platforms.len(), under.types[0].under);
        // Some type has under-performers. (MicroPort's hospital platforms show nothing on any
        // measure, but with the named centres undated fixture records they are over half of
        // the dated concept-verification centres, hence the median, and not flagged.)
        assert!(report.types.iter().any(|t| t.under > 0));
    }

    #[test]
    fn contracts_pass_through_the_operating_university() {
        let nodes = "id,kind,name,platform_type,year\n\
            univ:a,university,甲大学,,\n\
            ent:b,enterprise,乙公司,,\n\
            ent:c,enterprise,丙公司,,\n\
            field:f,field,生物医药,,\n\
            field:g,field,材料,,\n\
            plat:x,platform,概念验证中心,concept_verification,2022\n";
        let edges = "source,target,kind,key,mode,amount:float,year:int\n\
            univ:a,plat:x,operates,,,,\n\
            plat:x,field:f,in_field,,,,\n\
            ent:b,field:f,in_field,,,,\n\
            ent:c,field:g,in_field,,,,\n\
            univ:a,ent:b,contracts_with,k1,transfer,100.0,2021\n\
            univ:a,ent:b,contracts_with,k2,licence,200.0,2023\n\
            univ:a,ent:c,contracts_with,k3,transfer,400.0,2023\n\
            plat:x,ent:c,incubates,,,,2023\n\
            ent:b,univ:a,spun_off_from,,,,2024\n";
        let t = crate::query::planning_testing::from_csv(nodes, edges);
        let eco = Ecosystem::load(&t.store, &platforms_needs()).unwrap();
        let report = platforms(&eco, &PlatformsRequest::default()).unwrap();
        let x = &report.platforms[0];
        // Only the 2023 contract with the biomedicine firm: 2021 is before the centre opened,
        // ent:c is in another field.
        assert_eq!(
            (x.contracts, x.amount, x.incubated, x.spin_offs),
            (1, 200.0, 1, 1)
        );
        assert_eq!((report.as_of, x.age), (Some(2024), Some(3)));
        assert_eq!(x.rates.unwrap()[3], 200.0 / 3.0);
        assert_eq!((x.score, x.rank, x.under), (Some(0.5), Some(1), false));
    }

    #[test]
    fn fixtures_use_the_published_incubation_counts() {
        let t = shanghai();
        let eco = Ecosystem::load(&t.store, &platforms_needs()).unwrap();
        let report = platforms(&eco, &PlatformsRequest::default()).unwrap();
        let get = |id: &str| report.platforms.iter().find(|r| r.id == id).unwrap();
        assert_eq!(get("plat:functional-platforms").incubated, 385);
        assert_eq!(get("plat:sjtu-biomed-cv").incubated, 7);
        assert_eq!(
            get("plat:sjtu-biomed-cv").platform_type,
            "concept_verification"
        );
        assert!(report.notes.is_empty() || report.notes[0].contains("year"));
        assert!(platforms(
            &eco,
            &PlatformsRequest {
                types: vec!["spaceport".into()],
                ..PlatformsRequest::default()
            }
        )
        .is_err());
    }
}
