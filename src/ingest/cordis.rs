//! CORDIS (EU Horizon 2020) participations as innograph records.
//!
//! `organization.csv` has one row per (project, organisation) participation. It becomes:
//! - one node per organisation, id `org:<organisationID>`, kind by `activityType`
//!   (HES → university, PRC → enterprise, REC → research_institute, PUB → agency,
//!   OTH → organisation), with `sme`, `country`, `city`, `activity_type`, `short_name`;
//! - one `project` node per project, id `project:<projectID>`, named by its acronym, with
//!   its call `topic` and topic title when `topics.csv` is given;
//! - a `leads` edge from the coordinator and a `participates_in` edge from every other
//!   participant, with `role`, the EU contribution as `amount` (currency EUR), `order`;
//! - one `district` node per country (`country:DE`) with `located_in` edges, so analyses
//!   can filter by country, and a `programme` node `programme:h2020` with `part_of` edges.
//!
//! Hazards of the real file handled here: decimal commas (`211562,5`), empty amounts,
//! duplicated participation rows (merged: the larger contribution is kept, a coordinator
//! row wins), and the `UK`/`EL` country codes (kept as published).

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use super::{Input, Issue, Located, Pass, Record};
use crate::model::{EdgeRecord, NodeRecord, PropValue, Props, Schema};

/// The CORDIS files, read once and turned into records.
pub struct Cordis {
    nodes: Vec<(String, Located)>,
    edges: Vec<(String, Located)>,
    size: u64,
}

fn col(header: &csv::StringRecord, name: &str, file: &str) -> Result<usize, Issue> {
    header.iter().position(|h| h == name).ok_or_else(|| Issue {
        file: file.to_string(),
        line: 1,
        field: "header".into(),
        reason: format!("column `{name}` is missing (is this a CORDIS organization.csv?)"),
    })
}

fn kind_of_activity(code: &str) -> Option<&'static str> {
    Some(match code {
        "HES" => "university",
        "PRC" => "enterprise",
        "REC" => "research_institute",
        "PUB" => "agency",
        "OTH" => "organisation",
        _ => return None,
    })
}

struct Participation {
    line: u64,
    role: String,
    coordinator: bool,
    amount: Option<f64>,
    net_amount: Option<f64>,
    total_cost: Option<f64>,
    order: Option<i64>,
    ended: Option<bool>,
}

fn amount(text: &str) -> Result<Option<f64>, ()> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    crate::model::parse_float(t).map(Some).ok_or(())
}

impl Cordis {
    /// Reads `organization.csv` and, optionally, `topics.csv`.
    pub fn read(organizations: &Path, topics: Option<&Path>) -> Result<Cordis, Vec<Issue>> {
        let org_name = organizations.display().to_string();
        let open_issue = |file: &str, e: std::io::Error| {
            vec![Issue {
                file: file.to_string(),
                line: 0,
                field: "file".into(),
                reason: e.to_string(),
            }]
        };
        let file = File::open(organizations).map_err(|e| open_issue(&org_name, e))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(BufReader::new(file));
        let header = reader
            .headers()
            .map_err(|e| {
                vec![Issue {
                    file: org_name.clone(),
                    line: 1,
                    field: "header".into(),
                    reason: e.to_string(),
                }]
            })?
            .clone();
        let need = [
            "projectID",
            "projectAcronym",
            "organisationID",
            "name",
            "shortName",
            "SME",
            "activityType",
            "city",
            "country",
            "role",
            "ecContribution",
            "netEcContribution",
            "totalCost",
            "order",
            "endOfParticipation",
        ];
        let mut idx = HashMap::new();
        for n in need {
            idx.insert(n, col(&header, n, &org_name).map_err(|e| vec![e])?);
        }
        let mut issues = Vec::new();
        let mut nodes: Vec<(String, Located)> = Vec::new();
        let mut org_seen: HashMap<String, ()> = HashMap::new();
        let mut projects: BTreeMap<String, (u64, String)> = BTreeMap::new();
        let mut countries: BTreeMap<String, u64> = BTreeMap::new();
        let mut located: BTreeMap<String, (u64, String)> = BTreeMap::new();
        let mut participations: BTreeMap<(String, String), Participation> = BTreeMap::new();
        let mut row = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut row) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    issues.push(Issue {
                        file: org_name.clone(),
                        line,
                        field: "row".into(),
                        reason: e.to_string(),
                    });
                    break;
                }
            }
            let line = row.position().map_or(0, |p| p.line());
            let get = |n: &str| row.get(idx[n]).unwrap_or("").trim();
            let mut bad = |field: &str, reason: String| {
                issues.push(Issue {
                    file: org_name.clone(),
                    line,
                    field: field.into(),
                    reason,
                })
            };
            let org = get("organisationID");
            let project = get("projectID");
            if org.is_empty() {
                bad("organisationID", "is empty".into());
                continue;
            }
            if project.is_empty() {
                bad("projectID", "is empty".into());
                continue;
            }
            let Some(kind) = kind_of_activity(get("activityType")) else {
                bad(
                    "activityType",
                    format!(
                        "unknown type `{}` (HES, PRC, REC, PUB, OTH)",
                        get("activityType")
                    ),
                );
                continue;
            };
            let org_id = format!("org:{org}");
            let project_id = format!("project:{project}");
            let country = get("country").to_string();
            if org_seen.insert(org_id.clone(), ()).is_none() {
                let mut props = Props::new();
                let text = |v: &str| PropValue::Text(v.to_string());
                props.insert("activity_type".into(), text(get("activityType")));
                for (key, col) in [
                    ("short_name", "shortName"),
                    ("city", "city"),
                    ("country", "country"),
                ] {
                    if !get(col).is_empty() {
                        props.insert(key.into(), text(get(col)));
                    }
                }
                match get("SME") {
                    "True" => {
                        props.insert("sme".into(), PropValue::Bool(true));
                    }
                    "False" => {
                        props.insert("sme".into(), PropValue::Bool(false));
                    }
                    _ => {}
                }
                props.insert("source".into(), text("CORDIS H2020 organization.csv"));
                let name = if get("name").is_empty() {
                    org
                } else {
                    get("name")
                };
                nodes.push((
                    org_name.clone(),
                    Located {
                        line,
                        record: Ok(Record::Node(NodeRecord {
                            id: org_id.clone(),
                            kind: kind.into(),
                            name: name.to_string(),
                            name_en: None,
                            props,
                        })),
                    },
                ));
                if !country.is_empty() {
                    countries.entry(country.clone()).or_insert(line);
                    located.insert(org_id.clone(), (line, country.clone()));
                }
            }
            projects
                .entry(project_id.clone())
                .or_insert_with(|| (line, get("projectAcronym").to_string()));
            let parse = |field: &str| amount(get(field));
            let (Ok(amount_v), Ok(net), Ok(total)) = (
                parse("ecContribution"),
                parse("netEcContribution"),
                parse("totalCost"),
            ) else {
                bad("ecContribution", "an amount is not a number".into());
                continue;
            };
            let role = get("role").to_string();
            let p = Participation {
                line,
                coordinator: role == "coordinator",
                role,
                amount: amount_v,
                net_amount: net,
                total_cost: total,
                order: get("order").parse().ok(),
                ended: match get("endOfParticipation") {
                    "True" => Some(true),
                    "False" => Some(false),
                    _ => None,
                },
            };
            match participations.get_mut(&(org_id.clone(), project_id.clone())) {
                None => {
                    participations.insert((org_id, project_id), p);
                }
                Some(existing) => {
                    // A duplicated participation: keep the larger contribution, and the
                    // coordinator role if either row has it.
                    if p.amount.unwrap_or(0.0) > existing.amount.unwrap_or(0.0) {
                        let coordinator = existing.coordinator || p.coordinator;
                        *existing = p;
                        existing.coordinator |= coordinator;
                    } else {
                        existing.coordinator |= p.coordinator;
                    }
                }
            }
        }
        let topics = match topics {
            Some(path) => read_topics(path, &projects)?,
            None => HashMap::new(),
        };
        let mut add_node = |line: u64, id: String, kind: &str, name: String, props: Props| {
            nodes.push((
                org_name.clone(),
                Located {
                    line,
                    record: Ok(Record::Node(NodeRecord {
                        id,
                        kind: kind.into(),
                        name,
                        name_en: None,
                        props,
                    })),
                },
            ));
        };
        add_node(
            1,
            "programme:h2020".into(),
            "programme",
            "Horizon 2020".into(),
            Props::from([("since".to_string(), PropValue::Int(2014))]),
        );
        for (id, (line, acronym)) in &projects {
            let mut props = Props::new();
            props.insert(
                "programme".into(),
                PropValue::Text("programme:h2020".into()),
            );
            if let Some((topic, title)) = topics.get(id.as_str()) {
                props.insert("topic".into(), PropValue::Text(topic.clone()));
                if !title.is_empty() {
                    props.insert("topic_title".into(), PropValue::Text(title.clone()));
                }
            }
            let name = if acronym.is_empty() {
                id.clone()
            } else {
                acronym.clone()
            };
            add_node(*line, id.clone(), "project", name, props);
        }
        for (country, line) in &countries {
            add_node(
                *line,
                format!("country:{country}"),
                "district",
                country.clone(),
                Props::from([("country_code".to_string(), PropValue::Text(country.clone()))]),
            );
        }
        let mut edges: Vec<(String, Located)> = Vec::new();
        let mut add_edge = |line: u64, source: &str, target: &str, kind: &str, props: Props| {
            edges.push((
                org_name.clone(),
                Located {
                    line,
                    record: Ok(Record::Edge(EdgeRecord {
                        source: source.into(),
                        target: target.into(),
                        kind: kind.into(),
                        key: String::new(),
                        weight: None,
                        props,
                    })),
                },
            ));
        };
        for ((org, project), p) in &participations {
            let mut props = Props::new();
            props.insert("role".into(), PropValue::Text(p.role.clone()));
            if let Some(a) = p.amount {
                props.insert("amount".into(), PropValue::Float(a));
                props.insert("currency".into(), PropValue::Text("EUR".into()));
            }
            if let Some(a) = p.net_amount {
                props.insert("net_amount".into(), PropValue::Float(a));
            }
            if let Some(a) = p.total_cost {
                props.insert("total_cost".into(), PropValue::Float(a));
            }
            if let Some(o) = p.order {
                props.insert("order".into(), PropValue::Int(o));
            }
            if let Some(e) = p.ended {
                props.insert("end_of_participation".into(), PropValue::Bool(e));
            }
            let kind = if p.coordinator {
                "leads"
            } else {
                "participates_in"
            };
            add_edge(p.line, org, project, kind, props);
        }
        for (project, (line, _)) in &projects {
            add_edge(*line, project, "programme:h2020", "part_of", Props::new());
        }
        for (org, (line, country)) in &located {
            add_edge(
                *line,
                org,
                &format!("country:{country}"),
                "located_in",
                Props::new(),
            );
        }
        if !issues.is_empty() {
            return Err(issues);
        }
        Ok(Cordis { nodes, edges, size })
    }
}

fn read_topics(
    path: &Path,
    projects: &BTreeMap<String, (u64, String)>,
) -> Result<HashMap<String, (String, String)>, Vec<Issue>> {
    let name = path.display().to_string();
    let issue = |line: u64, reason: String| {
        vec![Issue {
            file: name.clone(),
            line,
            field: "file".into(),
            reason,
        }]
    };
    let file = File::open(path).map_err(|e| issue(0, e.to_string()))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(BufReader::new(file));
    let header = reader
        .headers()
        .map_err(|e| issue(1, e.to_string()))?
        .clone();
    let find = |n: &str| {
        header
            .iter()
            .position(|h| h == n)
            .ok_or_else(|| issue(1, format!("column `{n}` is missing")))
    };
    let (p, t, ti) = (find("projectID")?, find("topic")?, find("title")?);
    let mut out = HashMap::new();
    for row in reader.records() {
        let row = row.map_err(|e| issue(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let id = format!("project:{}", row.get(p).unwrap_or("").trim());
        if projects.contains_key(&id) && !out.contains_key(&id) {
            out.insert(
                id,
                (
                    row.get(t).unwrap_or("").trim().to_string(),
                    row.get(ti).unwrap_or("").trim().to_string(),
                ),
            );
        }
    }
    Ok(out)
}

impl Input for Cordis {
    fn size(&self) -> u64 {
        self.size
    }

    fn read(
        &mut self,
        pass: Pass,
        _schema: &Schema,
        sink: &mut dyn FnMut(&str, Located),
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), Vec<Issue>> {
        let items = match pass {
            Pass::Nodes => std::mem::take(&mut self.nodes),
            Pass::Edges => std::mem::take(&mut self.edges),
        };
        for (file, located) in items {
            sink(&file, located);
        }
        progress(self.size);
        Ok(())
    }
}
