//! Tests of the generator: determinism, validity of every record against the built-in schema,
//! and calibration at scale 1, counted from the written files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::fixtures::Fixtures;
use super::world::{assumed, source};
use super::*;
use crate::model::{EdgeRecord, NodeRecord, PropType, PropValue, Props, Schema};

/// Reads the generated files as the importer would: header `id,kind,name[,name_en],props…`
/// or `source,target,kind[,key][,weight],props…`; empty cell = absent; `col:type` annotates
/// undeclared properties.
fn read_all(dir: &Path, schema: &Schema) -> (Vec<NodeRecord>, Vec<EdgeRecord>) {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    paths.sort();
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for path in paths {
        let mut r = csv::ReaderBuilder::new().from_path(&path).unwrap();
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        let is_node = header[0] == "id";
        let fixed: &[&str] = if is_node {
            &["id", "kind", "name", "name_en"]
        } else {
            &["source", "target", "kind", "key", "weight"]
        };
        for rec in r.records() {
            let rec = rec.unwrap();
            let cell = |name: &str| header.iter().position(|h| h == name).map(|i| &rec[i]);
            let kind = cell("kind").unwrap().to_string();
            let defs = if is_node {
                schema.node_kind(&kind).map(|k| &k.props)
            } else {
                schema.edge_kind(&kind).map(|k| &k.props)
            };
            let mut props = Props::new();
            for (i, h) in header.iter().enumerate() {
                if fixed.contains(&h.as_str()) || rec[i].is_empty() {
                    continue;
                }
                let body = h.strip_prefix("props.").unwrap_or(h);
                let (name, ty) = match body.split_once(':') {
                    Some((n, t)) => (n, Some(parse_type(t))),
                    None => (body, None),
                };
                let def = defs.and_then(|d| d.get(name));
                let v = Schema::parse_prop_text(def, ty, name, &rec[i])
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                props.insert(name.to_string(), v);
            }
            if is_node {
                nodes.push(NodeRecord {
                    id: cell("id").unwrap().into(),
                    kind,
                    name: cell("name").unwrap().into(),
                    name_en: cell("name_en").filter(|s| !s.is_empty()).map(String::from),
                    props,
                });
            } else {
                edges.push(EdgeRecord {
                    source: cell("source").unwrap().into(),
                    target: cell("target").unwrap().into(),
                    kind,
                    key: cell("key").unwrap_or("").into(),
                    weight: cell("weight")
                        .filter(|s| !s.is_empty())
                        .map(|s| s.parse().unwrap()),
                    props,
                });
            }
        }
    }
    (nodes, edges)
}

fn parse_type(t: &str) -> PropType {
    match t {
        "int" => PropType::Int,
        "float" => PropType::Float,
        "bool" => PropType::Bool,
        "string" => PropType::String,
        other => panic!("unknown type annotation {other}"),
    }
}

fn files_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn generate_is_deterministic() {
    let opts = GenerateOptions {
        scale: 0.3,
        seed: 7,
    };
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let sa = generate(&opts, a.path()).unwrap();
    let sb = generate(&opts, b.path()).unwrap();
    assert_eq!(sa.nodes, sb.nodes);
    assert_eq!(sa.edges, sb.edges);
    let (fa, fb) = (files_of(a.path()), files_of(b.path()));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, bytes) in &fa {
        assert!(bytes == &fb[name], "{name} differs between runs");
    }
    // Another seed gives other data.
    let c = tempfile::tempdir().unwrap();
    generate(&GenerateOptions { seed: 8, ..opts }, c.path()).unwrap();
    let fc = files_of(c.path());
    let contracts = fa
        .keys()
        .find(|k| k.ends_with("-edges-contracts_with.csv"))
        .unwrap();
    assert_ne!(fa[contracts], fc[contracts]);
}

#[test]
fn generate_rejects_bad_scales() {
    let dir = tempfile::tempdir().unwrap();
    for scale in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e6] {
        let r = generate(&GenerateOptions { scale, seed: 1 }, dir.path());
        assert!(matches!(r, Err(GenerateError::InvalidScale(_))), "{scale}");
    }
}

/// Checks every record against the schema and the identity rules; returns the node kinds.
fn check_valid(nodes: &mut [NodeRecord], edges: &mut [EdgeRecord]) -> BTreeMap<String, String> {
    let schema = Schema::builtin();
    let mut kinds = BTreeMap::new();
    for n in nodes.iter_mut() {
        let errors = schema.validate_node(n);
        assert!(errors.is_empty(), "node {}: {errors:?}", n.id);
        assert!(
            n.id.split_once(':')
                .is_some_and(|(ns, _)| ns == ns.to_lowercase()),
            "{}",
            n.id
        );
        assert!(
            kinds.insert(n.id.clone(), n.kind.clone()).is_none(),
            "duplicate node id {}",
            n.id
        );
    }
    let fixtures = Fixtures::shanghai();
    let mut ids = BTreeSet::new();
    for e in edges.iter_mut() {
        let def = schema.edge_kind(&e.kind).expect("edge kind");
        if !def.directed && !fixtures.has_edge(&e.kind, &e.source, &e.target, &e.key) {
            assert!(
                e.source < e.target,
                "undirected edge not canonical: {}",
                e.id()
            );
        }
        let errors = schema.validate_edge(e);
        assert!(errors.is_empty(), "edge {}: {errors:?}", e.id());
        let sk = kinds
            .get(&e.source)
            .unwrap_or_else(|| panic!("missing source {}", e.id()));
        let tk = kinds
            .get(&e.target)
            .unwrap_or_else(|| panic!("missing target {}", e.id()));
        schema
            .check_endpoints(&e.kind, sk, tk)
            .unwrap_or_else(|err| panic!("{}: {err}", e.id()));
        assert!(ids.insert(e.id()), "duplicate edge {}", e.id());
    }
    kinds
}

#[test]
fn generate_writes_only_valid_records() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(
        &GenerateOptions {
            scale: 0.5,
            seed: 3,
        },
        dir.path(),
    )
    .unwrap();
    let (mut nodes, mut edges) = read_all(dir.path(), &Schema::builtin());
    assert_eq!(nodes.len() as u64, summary.node_total());
    assert_eq!(edges.len() as u64, summary.edge_total());
    check_valid(&mut nodes, &mut edges);
    // Node files sort before edge files, so `DIR/*.csv` imports nodes first.
    let names: Vec<String> = summary
        .files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn generate_tiny_scale_still_valid() {
    let dir = tempfile::tempdir().unwrap();
    generate(
        &GenerateOptions {
            scale: 0.01,
            seed: 11,
        },
        dir.path(),
    )
    .unwrap();
    let (mut nodes, mut edges) = read_all(dir.path(), &Schema::builtin());
    check_valid(&mut nodes, &mut edges);
}

fn within(label: &str, actual: f64, target: f64) {
    let dev = (actual - target).abs() / target;
    assert!(
        dev <= 0.05,
        "{label}: generated {actual}, target {target} ({:+.1} %)",
        dev * 100.0
    );
}

fn prop<'a>(props: &'a Props, name: &str) -> Option<&'a PropValue> {
    props.get(name)
}

/// A fixture record that stands for several unnamed actors (`aggregate_count`, or a note
/// saying so); counts of individual actors leave them out.
fn is_aggregate(n: &NodeRecord) -> bool {
    n.props.contains_key("aggregate_count")
        || prop(&n.props, "note")
            .and_then(PropValue::as_str)
            .is_some_and(|t| t.starts_with("Aggregate record"))
}

#[test]
fn generate_scale_1_matches_the_source_figures() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(&GenerateOptions::default(), dir.path()).unwrap();
    for f in &summary.figures {
        assert!(f.holds(), "{f:?}");
    }
    let display = summary.to_string();
    assert!(display.contains("9,179"), "{display}");

    let (mut nodes, mut edges) = read_all(dir.path(), &Schema::builtin());
    let kinds = &check_valid(&mut nodes, &mut edges);
    let aggregates: BTreeSet<&str> = nodes
        .iter()
        .filter(|n| is_aggregate(n))
        .map(|n| n.id.as_str())
        .collect();
    let count_nodes = |kind: &str| {
        nodes
            .iter()
            .filter(|n| n.kind == kind && !aggregates.contains(n.id.as_str()))
            .count() as f64
    };
    let edges = &edges;
    fn of_kind<'a>(edges: &'a [EdgeRecord], kind: &'a str) -> impl Iterator<Item = &'a EdgeRecord> {
        edges.iter().filter(move |e| e.kind == kind)
    }
    let edges_of = |kind: &'static str| of_kind(edges, kind);
    let node = |id: &str| nodes.iter().find(|n| n.id == id).unwrap();

    // Universities and the pilot.
    within(
        "universities",
        count_nodes("university"),
        assumed::UNIVERSITIES,
    );
    let pilots: BTreeSet<&str> = nodes
        .iter()
        .filter(|n| prop(&n.props, "pilot_2023") == Some(&PropValue::Bool(true)))
        .filter(|n| !aggregates.contains(n.id.as_str()))
        .map(|n| n.id.as_str())
        .collect();
    within(
        "pilot universities",
        pilots.len() as f64,
        source::PILOT_UNIVERSITIES,
    );
    let granted: BTreeSet<&str> = nodes
        .iter()
        .filter(|n| n.kind == "achievement")
        .filter(|n| prop(&n.props, "ownership_granted") == Some(&PropValue::Bool(true)))
        .map(|n| n.id.as_str())
        .collect();
    within(
        "granted results",
        granted.len() as f64,
        source::PILOT_GRANTED,
    );
    assert!(edges_of("owns")
        .filter(|e| granted.contains(e.target.as_str()))
        .all(|e| pilots.contains(e.source.as_str())));

    // Explorer.
    let explorer_firms: BTreeSet<&str> = edges_of("funds")
        .filter(|e| e.target == "prog:explorer" && kinds[&e.source] == "enterprise")
        .map(|e| e.source.as_str())
        .collect();
    within(
        "Explorer firms",
        explorer_firms.len() as f64,
        source::EXPLORER_FIRMS,
    );
    for f in &explorer_firms {
        assert_eq!(
            prop(&node(f).props, "chain_leader"),
            Some(&PropValue::Bool(true))
        );
    }
    let explorer = node("prog:explorer");
    within(
        "guide directions",
        prop(&explorer.props, "guide_directions")
            .unwrap()
            .as_f64()
            .unwrap(),
        source::EXPLORER_DIRECTIONS,
    );
    let explorer_projects: Vec<&str> = edges_of("part_of")
        .filter(|e| e.target == "prog:explorer")
        .map(|e| e.source.as_str())
        .collect();
    within(
        "Explorer projects",
        explorer_projects.len() as f64,
        source::EXPLORER_PROJECTS,
    );
    let directions: BTreeSet<&str> = explorer_projects
        .iter()
        .filter_map(|p| prop(&node(p).props, "guide_direction").and_then(PropValue::as_str))
        .collect();
    within(
        "directions with projects",
        directions.len() as f64,
        source::EXPLORER_DIRECTIONS,
    );
    let explorer_amount: f64 = explorer_projects
        .iter()
        .filter_map(|p| prop(&node(p).props, "amount").and_then(PropValue::as_f64))
        .sum();
    within(
        "Explorer funding",
        explorer_amount,
        source::EXPLORER_FUNDING,
    );
    within(
        "open-competition projects",
        edges_of("part_of")
            .filter(|e| e.target == "prog:open-competition")
            .count() as f64,
        source::OPEN_COMPETITION_PROJECTS,
    );

    // InnoMatch.
    within("demands", edges_of("posts").count() as f64, source::DEMANDS);
    within(
        "achievements",
        edges_of("owns").count() as f64,
        source::ACHIEVEMENTS,
    );
    let solves: Vec<&EdgeRecord> = edges_of("solves").collect();
    within("solutions", solves.len() as f64, source::SOLUTIONS);
    let matched = solves
        .iter()
        .filter(|e| prop(&e.props, "matched") == Some(&PropValue::Bool(true)))
        .count() as f64;
    within(
        "match rate",
        matched / solves.len() as f64,
        source::MATCH_RATE,
    );
    let signed: f64 = solves
        .iter()
        .filter(|e| prop(&e.props, "signed") == Some(&PropValue::Bool(true)))
        .filter_map(|e| prop(&e.props, "amount").and_then(PropValue::as_f64))
        .sum();
    within("signed amount", signed, source::SIGNED_AMOUNT);

    // Technology contracts.
    let univ_contracts = |year: i64| {
        edges_of("contracts_with")
            .filter(move |e| kinds[&e.source] == "university")
            .filter(move |e| prop(&e.props, "year") == Some(&PropValue::Int(year)))
    };
    within(
        "contracts 2024",
        univ_contracts(2024).count() as f64,
        source::CONTRACTS_2024,
    );
    let amount = |year: i64| -> f64 {
        univ_contracts(year)
            .map(|e| prop(&e.props, "amount").unwrap().as_f64().unwrap())
            .sum()
    };
    within(
        "contract value 2024",
        amount(2024),
        source::CONTRACT_AMOUNT_2024,
    );
    for year in 2016..=2024 {
        let (now, before) = (amount(year), amount(year - 1));
        assert!(now > before * 1.2, "{year}: {now} vs {before}");
        assert!(univ_contracts(year).count() > univ_contracts(year - 1).count());
    }
    let modes: BTreeSet<&str> = edges_of("contracts_with")
        .filter_map(|e| prop(&e.props, "mode").and_then(PropValue::as_str))
        .collect();
    assert_eq!(modes.len(), 6, "{modes:?}");
    // Heavy tail: the largest 1 % of 2024 contracts hold a large share of the value.
    let mut amounts: Vec<f64> = univ_contracts(2024)
        .map(|e| prop(&e.props, "amount").unwrap().as_f64().unwrap())
        .collect();
    amounts.sort_by(|a, b| b.total_cmp(a));
    let top: f64 = amounts[..amounts.len() / 100].iter().sum();
    assert!(
        top / amount(2024) > 0.15,
        "top 1 % share {}",
        top / amount(2024)
    );
    // Parallel contracts between one pair exist and carry distinct keys.
    let mut pairs: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for e in edges_of("contracts_with") {
        *pairs.entry((&e.source, &e.target)).or_default() += 1;
    }
    assert!(pairs.values().any(|n| *n > 1));

    // Incubation and platforms.
    let incubated_by = |pred: &dyn Fn(&str) -> bool| {
        edges_of("incubates")
            .filter(|e| pred(&e.source) && !aggregates.contains(e.target.as_str()))
            .count() as f64
    };
    let platform_type = |id: &str| {
        prop(&node(id).props, "platform_type")
            .and_then(PropValue::as_str)
            .map(String::from)
    };
    within(
        "functional-platform incubations",
        incubated_by(&|s| {
            kinds[s] == "platform" && platform_type(s).as_deref() == Some("functional_platform")
        }),
        source::FUNCTIONAL_INCUBATED,
    );
    within(
        "pilot-university incubations",
        incubated_by(&|s| pilots.contains(s)),
        source::PILOT_INCUBATED,
    );
    let platforms_of = |t: &str| {
        nodes
            .iter()
            .filter(|n| n.kind == "platform" && !aggregates.contains(n.id.as_str()))
            .filter(|n| prop(&n.props, "platform_type").and_then(PropValue::as_str) == Some(t))
            .count() as f64
    };
    within(
        "pilot bases",
        platforms_of("pilot_base"),
        source::PILOT_BASES,
    );
    within(
        "functional platforms",
        platforms_of("functional_platform"),
        source::FUNCTIONAL_PLATFORMS,
    );
    assert!(platforms_of("concept_verification") >= source::MICROPORT_CV_PLATFORMS);
    // SJTU's team (the fixtures' record) serves its projects; its 17 specialists are SJTU's
    // only technology managers, as the fixtures' tech_manager_count says.
    let team = "tm:sjtu-specialists";
    let served = edges_of("serves").filter(|e| e.source == team).count() as f64;
    within("SJTU projects served", served, source::SJTU_PROJECTS_SERVED);
    assert_eq!(
        prop(&node(team).props, "projects_served"),
        Some(&PropValue::Int(served as i64))
    );
    let sjtu_staff = edges_of("works_for")
        .filter(|e| e.target == "univ:sjtu" && e.source != team)
        .count() as i64;
    assert_eq!(
        prop(&node("univ:sjtu").props, "tech_manager_count"),
        Some(&PropValue::Int(sjtu_staff))
    );
    // Miracle Point and the SJTU biomedicine centre: the fixtures' published counts.
    for (id, label) in [
        ("inc:miracle-point", "Miracle Point"),
        ("plat:sjtu-biomed-cv", "SJTU biomedicine centre"),
    ] {
        let made = incubated_by(&|s| s == id) as i64;
        assert_eq!(
            prop(&node(id).props, "incubated_count"),
            Some(&PropValue::Int(made)),
            "{label}"
        );
    }

    // The figures the generator reports are what the files say.
    let figure = |label: &str| {
        summary
            .figures
            .iter()
            .find(|f| f.label == label)
            .unwrap_or_else(|| panic!("no figure {label}"))
            .actual
    };
    assert_eq!(
        figure("universities (assumed 64)"),
        count_nodes("university")
    );
    assert_eq!(figure("pilot universities (2023)"), pilots.len() as f64);
    assert_eq!(figure("Explorer firms"), explorer_firms.len() as f64);
    assert_eq!(figure("Explorer projects"), explorer_projects.len() as f64);
    assert_eq!(figure("pilot bases"), platforms_of("pilot_base"));
    assert_eq!(
        figure("functional platforms"),
        platforms_of("functional_platform")
    );
    assert_eq!(
        figure("companies incubated by Miracle Point"),
        incubated_by(&|s| s == "inc:miracle-point")
    );
    assert_eq!(
        figure("SJTU technology-transfer specialists"),
        sjtu_staff as f64
    );
    assert_eq!(figure("projects served by the SJTU specialists"), served);

    // Structure: every organisation has one district and 1–3 fields; degrees are heavy-tailed.
    let schema = Schema::builtin();
    let mut located: BTreeMap<&str, usize> = BTreeMap::new();
    let mut fielded: BTreeMap<&str, usize> = BTreeMap::new();
    for e in edges {
        match e.kind.as_str() {
            "located_in" => *located.entry(&e.source).or_default() += 1,
            "in_field" => *fielded.entry(&e.source).or_default() += 1,
            _ => {}
        }
    }
    for n in nodes.iter().filter(|n| !aggregates.contains(n.id.as_str())) {
        if schema.is_organisation(&n.kind) {
            assert_eq!(located.get(n.id.as_str()), Some(&1), "{}", n.id);
            if n.kind != "agency" {
                let k = fielded.get(n.id.as_str()).copied().unwrap_or(0);
                assert!((1..=3).contains(&k), "{}: {k} fields", n.id);
            }
        }
    }
    let mut degree: BTreeMap<&str, usize> = BTreeMap::new();
    for e in edges_of("contracts_with") {
        *degree.entry(&e.target).or_default() += 1;
    }
    let max = *degree.values().max().unwrap() as f64;
    let mean = degree.values().sum::<usize>() as f64 / degree.len() as f64;
    assert!(max > 20.0 * mean, "max firm degree {max}, mean {mean}");
}

/// The fixtures' own files read as the importer reads them.
fn fixture_records() -> (Vec<NodeRecord>, Vec<EdgeRecord>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("nodes.csv"),
        crate::fixtures::SHANGHAI_NODES_CSV,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("edges.csv"),
        crate::fixtures::SHANGHAI_EDGES_CSV,
    )
    .unwrap();
    read_all(dir.path(), &Schema::builtin())
}

/// Generated data extends the fixtures: each of their records is in the files exactly once
/// and exactly as they have it (so importing the files after them changes nothing), and
/// none of their actors or fields appears again under another id. Their aggregate records
/// are left out (the generator makes their members one by one), and nothing refers to them.
#[test]
fn generate_extends_the_fixtures_without_changing_them() {
    let schema = Schema::builtin();
    let (mut want_nodes, mut want_edges) = fixture_records();
    let aggregates: BTreeSet<String> = want_nodes
        .iter()
        .filter(|n| is_aggregate(n))
        .map(|n| n.id.clone())
        .collect();
    assert_eq!(aggregates.len(), 10, "{aggregates:?}");
    want_nodes.retain(|n| !aggregates.contains(&n.id));
    want_edges.retain(|e| !aggregates.contains(&e.source) && !aggregates.contains(&e.target));
    for e in want_edges.iter_mut() {
        let directed = schema.edge_kind(&e.kind).unwrap().directed;
        e.canonicalise(directed);
    }
    for scale in [0.05, 1.0] {
        let dir = tempfile::tempdir().unwrap();
        let summary = generate(&GenerateOptions { scale, seed: 42 }, dir.path()).unwrap();
        let (nodes, mut edges) = read_all(dir.path(), &schema);
        assert_eq!(nodes.len() as u64, summary.node_total());
        assert_eq!(edges.len() as u64, summary.edge_total());
        for e in edges.iter_mut() {
            let directed = schema.edge_kind(&e.kind).unwrap().directed;
            e.canonicalise(directed);
            assert!(
                !aggregates.contains(&e.source) && !aggregates.contains(&e.target),
                "{}",
                e.id()
            );
        }
        assert!(nodes.iter().all(|n| !aggregates.contains(&n.id)));
        for want in &want_nodes {
            let got: Vec<&NodeRecord> = nodes.iter().filter(|n| n.id == want.id).collect();
            assert_eq!(got, [want], "scale {scale}: node {}", want.id);
        }
        for want in &want_edges {
            let got: Vec<&EdgeRecord> = edges.iter().filter(|e| e.id() == want.id()).collect();
            assert_eq!(got, [want], "scale {scale}: edge {}", want.id());
        }
        for want in &want_nodes {
            for name in [Some(&want.name), want.name_en.as_ref()]
                .into_iter()
                .flatten()
            {
                let others: Vec<&str> = nodes
                    .iter()
                    .filter(|n| n.id != want.id)
                    .filter(|n| &n.name == name || n.name_en.as_ref() == Some(name))
                    .map(|n| n.id.as_str())
                    .collect();
                assert!(
                    others.is_empty(),
                    "scale {scale}: {name} is {} and {others:?}",
                    want.id
                );
            }
        }
    }
    // The fixtures' node and edge kinds are all among the generator's files.
    want_nodes.retain(|n| !output::N::ALL.iter().any(|k| k.kind() == n.kind));
    want_edges.retain(|e| !output::E::ALL.iter().any(|k| k.kind() == e.kind));
    assert!(want_nodes.is_empty() && want_edges.is_empty());
}
