//! Batch reports: many centrality computations described in a TOML spec, run against one
//! load of the store, views built once and shared between the reports that use them.

use std::collections::HashMap;
use std::time::Instant;

use serde::Deserialize;

use super::{
    centrality_on, report_histogram, Algo, CentralityReport, CentralityRequest, Histogram,
    PlannerSpec, QueryError,
};
use crate::algo::Observer;
use crate::graph::{build_view, View, ViewKind, ViewOptions, WeightMode};
use crate::model::Schema;
use crate::store::Snapshot;

/// A batch spec: a title and a list of reports.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchSpec {
    /// Title of the index page.
    #[serde(default)]
    pub title: Option<String>,
    /// The centrality reports.
    #[serde(rename = "report", default)]
    pub reports: Vec<ReportSpec>,
    /// The planners' sections (`[[planner]]`): trends, consortia, synergy, engagement,
    /// platforms, universities.
    #[serde(rename = "planner", default)]
    pub planners: Vec<PlannerSpec>,
}

/// One report of a batch.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSpec {
    /// File name stem (letters, digits, `-`, `_`).
    pub name: String,
    /// Heading.
    #[serde(default)]
    pub title: Option<String>,
    /// Comma-separated algorithms; rows are ranked by the first.
    pub algos: String,
    /// `full` or `collab`.
    #[serde(default = "default_view")]
    pub view: String,
    /// `count`, `weight` or `amount`.
    #[serde(default = "default_weight")]
    pub weight: String,
    /// Use tie weights.
    #[serde(default)]
    pub weighted: bool,
    /// Keep direction (full view).
    #[serde(default)]
    pub directed: bool,
    /// Keep attribute edges (full view).
    #[serde(default)]
    pub with_attributes: bool,
    /// `A..B`.
    #[serde(default)]
    pub years: Option<String>,
    /// Restrict to nodes in these fields.
    #[serde(default)]
    pub fields: Vec<String>,
    /// Restrict to nodes in these districts.
    #[serde(default)]
    pub districts: Vec<String>,
    /// Output only these kinds.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Restrict the graph to `kinds`.
    #[serde(default)]
    pub induce: bool,
    /// A separate top-N table per kind.
    #[serde(default)]
    pub per_kind: bool,
    /// A separate report per field (the view restricted to each field's nodes).
    #[serde(default)]
    pub per_field: bool,
    /// Rows per table.
    #[serde(default)]
    pub top: Option<usize>,
    /// Betweenness sample size.
    #[serde(default)]
    pub samples: Option<usize>,
    /// Betweenness approximation error.
    #[serde(default)]
    pub epsilon: Option<f64>,
    /// Seed.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Output formats: any of `md`, `csv`, `json`, `html` (the tables of every report asking
    /// for `html` go into one self-contained `report.html`).
    #[serde(default = "default_formats")]
    pub formats: Vec<String>,
}

fn default_view() -> String {
    "collab".into()
}
fn default_weight() -> String {
    "count".into()
}
fn default_seed() -> u64 {
    42
}
fn default_formats() -> Vec<String> {
    vec!["md".into(), "csv".into()]
}

/// One computed table of a report.
#[derive(Debug, Clone)]
pub struct ReportPart {
    /// Report name plus qualifiers (`-university`, `-field-biomedicine`).
    pub name: String,
    /// Heading.
    pub title: String,
    /// The result.
    pub result: CentralityReport,
    /// Formats to write.
    pub formats: Vec<String>,
    /// For `html`: a histogram of each measure over every reported node (before the top-N
    /// cut), for the measures where a distribution means something (not ids or flags).
    pub histograms: Vec<Histogram>,
    /// For `html`: the view's ties among the rows, as pairs of row indices (a < b).
    pub ties: Vec<(usize, usize)>,
}

/// The formats a report may ask for.
pub const REPORT_FORMATS: [&str; 4] = ["md", "csv", "json", "html"];

/// Bins of the histograms of an HTML report.
pub const REPORT_HISTOGRAM_BINS: usize = 20;

/// Measures whose distribution an HTML report draws (component and community ids,
/// articulation flags and bridge counts are not distributions worth a histogram).
fn has_distribution(algo: Algo) -> bool {
    !matches!(
        algo,
        Algo::Component | Algo::Community | Algo::Articulation | Algo::Bridges
    )
}

/// A part's rows, its histograms and the ties among its rows.
type ComputedPart = (CentralityReport, Vec<Histogram>, Vec<(usize, usize)>);

/// Computes one report part: the centrality rows (top N), and for HTML the histograms over
/// all rows and the ties among the kept rows.
fn compute_part(
    snapshot: &Snapshot,
    view: &View,
    view_seconds: f64,
    request: &CentralityRequest,
    html: bool,
    observer: &dyn Observer,
) -> Result<ComputedPart, QueryError> {
    if !html {
        let result = centrality_on(snapshot, view, view_seconds, request, observer)?;
        return Ok((result, Vec::new(), Vec::new()));
    }
    let all = CentralityRequest {
        top: None,
        ..request.clone()
    };
    let mut result = centrality_on(snapshot, view, view_seconds, &all, observer)?;
    let histograms = result
        .algos
        .iter()
        .enumerate()
        .filter(|(_, a)| has_distribution(**a))
        .map(|(column, _)| report_histogram(&result, column, REPORT_HISTOGRAM_BINS))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(n) = request.top {
        result.rows.truncate(n);
    }
    let ties = ties_among(snapshot, view, &result);
    Ok((result, histograms, ties))
}

/// The view's ties among a report's rows, as (row, row) index pairs with a < b.
fn ties_among(snapshot: &Snapshot, view: &View, report: &CentralityReport) -> Vec<(usize, usize)> {
    let mut position = HashMap::with_capacity(view.nodes.len());
    for (i, &v) in view.nodes.iter().enumerate() {
        position.insert(v, i as u32);
    }
    let in_view: Vec<Option<u32>> = report
        .rows
        .iter()
        .map(|r| {
            snapshot
                .node_index(&r.id)
                .and_then(|v| position.get(&v).copied())
        })
        .collect();
    let g = &view.graph;
    let mut ties = Vec::new();
    for (a, va) in in_view.iter().enumerate() {
        let Some(va) = *va else { continue };
        for (b, vb) in in_view.iter().enumerate().skip(a + 1) {
            let Some(vb) = *vb else { continue };
            let linked = g.out_neighbors(va as usize).binary_search(&vb).is_ok()
                || g.out_neighbors(vb as usize).binary_search(&va).is_ok();
            if linked {
                ties.push((a, b));
            }
        }
    }
    ties
}

/// Parses `A..B` (or a single year) into an inclusive range.
pub fn parse_years(text: &str) -> Result<(i32, i32), QueryError> {
    let bad = || QueryError::BadParameter(format!("years must look like 2020..2024, got `{text}`"));
    let (a, b) = match text.split_once("..") {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (text.trim(), text.trim()),
    };
    let a: i32 = a.parse().map_err(|_| bad())?;
    let b: i32 = b.parse().map_err(|_| bad())?;
    if a > b {
        return Err(bad());
    }
    Ok((a, b))
}

/// Parses a view name.
pub fn parse_view(text: &str) -> Result<ViewKind, QueryError> {
    match text {
        "full" => Ok(ViewKind::Full),
        "collab" => Ok(ViewKind::Collab),
        other => Err(QueryError::BadParameter(format!(
            "unknown view `{other}` (full, collab)"
        ))),
    }
}

/// Parses a weight mode.
pub fn parse_weight(text: &str) -> Result<WeightMode, QueryError> {
    match text {
        "count" => Ok(WeightMode::Count),
        "weight" => Ok(WeightMode::Weight),
        "amount" => Ok(WeightMode::Amount),
        other => Err(QueryError::BadParameter(format!(
            "unknown weight `{other}` (count, weight, amount)"
        ))),
    }
}

impl BatchSpec {
    /// Parses a spec.
    pub fn from_toml(text: &str) -> Result<BatchSpec, QueryError> {
        let spec: BatchSpec =
            toml::from_str(text).map_err(|e| QueryError::BadParameter(e.to_string()))?;
        for r in &spec.reports {
            if r.name.is_empty()
                || !r
                    .name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(QueryError::BadParameter(format!(
                    "report name `{}` must be letters, digits, `-` or `_`",
                    r.name
                )));
            }
            for f in &r.formats {
                check_format(&r.name, f)?;
            }
            Algo::parse_list(&r.algos)?;
        }
        for p in &spec.planners {
            p.check()?;
        }
        if spec.reports.is_empty() && spec.planners.is_empty() {
            return Err(QueryError::BadParameter(
                "the spec has no [[report]] and no [[planner]] section".into(),
            ));
        }
        Ok(spec)
    }
}

/// Refuses a format no report can be written in.
pub fn check_format(report: &str, format: &str) -> Result<(), QueryError> {
    if REPORT_FORMATS.contains(&format) {
        return Ok(());
    }
    Err(QueryError::BadParameter(format!(
        "report `{report}`: unknown format `{format}` ({})",
        REPORT_FORMATS.join(", ")
    )))
}

/// Runs every report of a spec. `progress(done, total, name)` is called per table.
pub fn run_batch(
    snapshot: &Snapshot,
    schema: &Schema,
    spec: &BatchSpec,
    observer: &dyn Observer,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<Vec<ReportPart>, QueryError> {
    // Expand per-field reports first, so the total is known.
    let mut jobs: Vec<(String, String, &ReportSpec, Vec<String>)> = Vec::new();
    for r in &spec.reports {
        let title = r.title.clone().unwrap_or_else(|| r.name.clone());
        if r.per_field {
            let Some(field_code) = snapshot.node_kind_code_of("field") else {
                continue;
            };
            for v in 0..snapshot.node_count() as u32 {
                if snapshot.node_kind_code(v) != field_code {
                    continue;
                }
                let id = snapshot.node_id(v).to_string();
                let stem = id
                    .trim_start_matches("field:")
                    .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
                jobs.push((
                    format!("{}-{stem}", r.name),
                    format!("{title} — {} ({id})", snapshot.node_name(v)),
                    r,
                    vec![id],
                ));
            }
        } else {
            jobs.push((r.name.clone(), title, r, r.fields.clone()));
        }
    }
    let mut views: HashMap<String, (View, f64)> = HashMap::new();
    let mut parts = Vec::new();
    let total = jobs.len();
    for (done, (name, title, r, fields)) in jobs.into_iter().enumerate() {
        progress(done, total, &name);
        let view_options = ViewOptions {
            kind: parse_view(&r.view)?,
            with_attributes: r.with_attributes,
            directed: r.directed,
            weight: parse_weight(&r.weight)?,
            years: r.years.as_deref().map(parse_years).transpose()?,
            fields,
            districts: r.districts.clone(),
            induce: if r.induce {
                r.kinds.clone()
            } else {
                Vec::new()
            },
        };
        let key = format!("{view_options:?}");
        if !views.contains_key(&key) {
            let t = Instant::now();
            let view = build_view(snapshot, schema, &view_options)
                .map_err(|e| QueryError::BadParameter(format!("report `{}`: {e}", r.name)))?;
            views.insert(key.clone(), (view, t.elapsed().as_secs_f64()));
        }
        let (view, view_seconds) = &views[&key];
        let html = r.formats.iter().any(|f| f == "html");
        let request = CentralityRequest {
            algos: Algo::parse_list(&r.algos)?,
            view: view_options,
            weighted: r.weighted,
            samples: r.samples,
            epsilon: r.epsilon,
            seed: r.seed,
            kinds: r.kinds.clone(),
            top: if r.per_kind { None } else { r.top },
            ..CentralityRequest::default()
        };
        if r.per_kind {
            let kinds: Vec<String> = if r.kinds.is_empty() {
                let mut k: Vec<String> = view
                    .nodes
                    .iter()
                    .map(|&v| snapshot.node_kind(v).to_string())
                    .collect();
                k.sort();
                k.dedup();
                k
            } else {
                r.kinds.clone()
            };
            for kind in kinds {
                let req = CentralityRequest {
                    kinds: vec![kind.clone()],
                    top: r.top,
                    ..request.clone()
                };
                let (result, histograms, ties) =
                    match compute_part(snapshot, view, *view_seconds, &req, html, observer) {
                        Ok(res) => res,
                        Err(QueryError::BadParameter(_)) => continue,
                        Err(e) => return Err(e),
                    };
                parts.push(ReportPart {
                    name: format!("{name}-{kind}"),
                    title: format!("{title} — {kind}"),
                    result,
                    formats: r.formats.clone(),
                    histograms,
                    ties,
                });
            }
        } else {
            let (result, histograms, ties) =
                compute_part(snapshot, view, *view_seconds, &request, html, observer)?;
            parts.push(ReportPart {
                name,
                title,
                result,
                formats: r.formats.clone(),
                histograms,
                ties,
            });
        }
    }
    progress(total, total, "");
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_parse_as_inclusive_ranges() {
        assert_eq!(parse_years("2020..2024").unwrap(), (2020, 2024));
        assert_eq!(parse_years("2024").unwrap(), (2024, 2024));
        assert!(parse_years("2024..2020").is_err());
        assert!(parse_years("soon").is_err());
    }

    #[test]
    fn the_shipped_planners_spec_parses() {
        let spec = BatchSpec::from_toml(include_str!(
            "../../fixtures/reports/shanghai-planners.toml"
        ))
        .unwrap();
        assert!(spec.reports.len() >= 3);
    }

    #[test]
    fn html_parts_carry_histograms_over_every_row_and_the_ties_among_the_top() {
        use crate::model::{EdgeRecord, NodeRecord, Props};
        use crate::store::SnapshotBuilder;
        let schema = Schema::builtin();
        let mut b = SnapshotBuilder::new(
            1,
            schema.node_kinds.keys().cloned().collect(),
            schema.edge_kinds.keys().cloned().collect(),
        );
        for id in ["ent:a", "ent:b", "ent:c", "ent:d"] {
            b.push_node(&NodeRecord {
                id: id.into(),
                kind: "enterprise".into(),
                name: id.into(),
                name_en: None,
                props: Props::new(),
            })
            .unwrap();
        }
        // a–b, a–c, b–c: a triangle; d alone.
        for (s, t) in [("ent:a", "ent:b"), ("ent:a", "ent:c"), ("ent:b", "ent:c")] {
            b.push_edge(&EdgeRecord {
                source: s.into(),
                target: t.into(),
                kind: "collaborates_with".into(),
                key: String::new(),
                weight: None,
                props: Props::new(),
            })
            .unwrap();
        }
        let snapshot = b.finish();
        let view = build_view(&snapshot, &schema, &ViewOptions::default()).unwrap();
        let request = CentralityRequest {
            algos: vec![Algo::Degree, Algo::Component],
            top: Some(2),
            ..CentralityRequest::default()
        };
        let silent = crate::algo::Silent;
        let (report, histograms, ties) =
            compute_part(&snapshot, &view, 0.0, &request, true, &silent).unwrap();
        assert_eq!(report.rows.len(), 2, "the top-N cut still applies");
        assert_eq!(ties, [(0, 1)], "the two kept rows are tied");
        assert_eq!(histograms.len(), 1, "component ids get no histogram");
        assert_eq!(histograms[0].count, 4, "the histogram covers every row");
        let (plain, none, no_ties) =
            compute_part(&snapshot, &view, 0.0, &request, false, &silent).unwrap();
        assert_eq!(plain.rows.len(), 2);
        assert!(none.is_empty() && no_ties.is_empty());
    }

    #[test]
    fn bad_specs_are_refused() {
        assert!(BatchSpec::from_toml("[[report]]\nname = \"a b\"\nalgos = \"degree\"").is_err());
        assert!(BatchSpec::from_toml("[[report]]\nname = \"a\"\nalgos = \"fame\"").is_err());
        assert!(BatchSpec::from_toml(
            "[[report]]\nname = \"a\"\nalgos = \"degree\"\nformats = [\"pdf\"]"
        )
        .is_err());
        assert!(BatchSpec::from_toml(
            "[[report]]\nname = \"a\"\nalgos = \"degree\"\nformats = [\"html\"]"
        )
        .is_ok());
    }
}
