//! The planners' commands (`trends`, `synergy`, `engagement`, `platforms`, `universities`)
//! run as the real binary on a generated ecosystem, checked against figures recounted here
//! from the generated CSV files, and on the Shanghai fixtures.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use serde_json::Value;

use crate::case;
use crate::common::{assert_quiet_on_closed_pipe, generated_db, run, s, shanghai_db};

/// Rows of the generated file whose name ends in `suffix`, keyed by column name (type
/// annotations removed).
fn rows(gen: &Path, suffix: &str) -> Vec<HashMap<String, String>> {
    let path = std::fs::read_dir(gen)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(suffix))
        .unwrap_or_else(|| panic!("no generated *{suffix}"));
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.split(':').next().unwrap_or(h).to_string())
        .collect();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn json(db: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    run(db, &all).ok().json()
}

fn planners_answer_on_generated_data() {
    let dir = tempfile::tempdir().unwrap();
    let (db, gen) = generated_db(dir.path());
    let contracts = rows(&gen, "edges-contracts_with.csv");

    // trends: the 2024 university contracts and the growth of their value, recounted.
    let t = json(&db, &["trends", "--years", "2015..2024"]);
    let years: Vec<i64> = t["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y.as_i64().unwrap())
        .collect();
    assert_eq!(years, (2015..=2024).collect::<Vec<_>>());
    let university = t["series"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["section"] == "signer" && x["key"] == "university")
        .expect("a university series");
    let of_year = |y: &str| {
        let r: Vec<&HashMap<String, String>> = contracts
            .iter()
            .filter(|r| r["source"].starts_with("univ:") && r["year"] == y)
            .collect();
        (
            r.len() as u64,
            r.iter()
                .map(|r| r["amount"].parse::<f64>().unwrap())
                .sum::<f64>(),
        )
    };
    let (n2024, a2024) = of_year("2024");
    let (_, a2015) = of_year("2015");
    assert_eq!(university["counts"][9].as_u64(), Some(n2024));
    let amount = university["amounts"][9].as_f64().unwrap();
    assert!((amount - a2024).abs() < 1e-6 * a2024, "{amount} vs {a2024}");
    let growth = university["amount_growth"].as_f64().unwrap();
    let expected = (a2024 / a2015).powf(1.0 / 9.0) - 1.0;
    assert!((growth - expected).abs() < 1e-9, "{growth} vs {expected}");
    // The generator is calibrated to +28 %/year (docs/generator.md).
    assert!((0.25..0.31).contains(&growth), "{growth}");

    // engagement: the chain-leader list is the generator's, with their Explorer projects.
    let e = json(&db, &["engagement", "--class", "chain_leader"]);
    let leaders: BTreeSet<String> = rows(&gen, "nodes-enterprise.csv")
        .into_iter()
        .filter(|r| r["chain_leader"] == "true")
        .map(|r| r["id"].clone())
        .collect();
    let listed: BTreeSet<String> = e["firms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, leaders);
    assert_eq!(e["totals"][0]["firms"].as_u64(), Some(leaders.len() as u64));
    let explorer: BTreeSet<String> = rows(&gen, "edges-part_of.csv")
        .into_iter()
        .filter(|r| r["target"] == "prog:explorer")
        .map(|r| r["source"].clone())
        .collect();
    let mut per_firm: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for kind in ["leads", "participates_in", "funds"] {
        for r in rows(&gen, &format!("edges-{kind}.csv")) {
            if explorer.contains(&r["target"]) {
                per_firm
                    .entry(r["source"].clone())
                    .or_default()
                    .insert(r["target"].clone());
            }
        }
    }
    for f in e["firms"].as_array().unwrap() {
        let id = f["id"].as_str().unwrap();
        let n = per_firm.get(id).map_or(0, BTreeSet::len) as u64;
        assert_eq!(f["explorer"].as_u64(), Some(n), "{id}");
    }
    let call_list = json(
        &db,
        &["engagement", "--class", "chain_leader", "--not-engaged"],
    );
    assert!(call_list["firms"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["engaged"] == false));
    assert_eq!(
        call_list["firms"].as_array().unwrap().len() as u64,
        e["totals"][0]["not_engaged"].as_u64().unwrap()
    );

    // platforms: incubations per platform, recounted from the edges.
    let p = json(&db, &["platforms"]);
    let mut incubated: BTreeMap<String, u64> = BTreeMap::new();
    for r in rows(&gen, "edges-incubates.csv") {
        if r["source"].starts_with("plat:") {
            *incubated.entry(r["source"].clone()).or_default() += 1;
        }
    }
    let published: HashMap<String, u64> = rows(&gen, "nodes-platform.csv")
        .into_iter()
        .filter_map(|r| Some((r["id"].clone(), r["incubated_count"].parse().ok()?)))
        .collect();
    let platforms = p["platforms"].as_array().unwrap();
    assert_eq!(platforms.len(), rows(&gen, "nodes-platform.csv").len());
    for row in platforms {
        let id = row["id"].as_str().unwrap();
        let edges = incubated.get(id).copied().unwrap_or(0);
        let expected = edges.max(published.get(id).copied().unwrap_or(0));
        assert_eq!(row["incubated"].as_u64(), Some(expected), "{id}");
    }

    // universities: contracts and owned results per university, recounted.
    let u = json(&db, &["universities"]);
    let mut signed: BTreeMap<String, u64> = BTreeMap::new();
    for r in &contracts {
        *signed.entry(r["source"].clone()).or_default() += 1;
    }
    let mut owned: BTreeMap<String, u64> = BTreeMap::new();
    for r in rows(&gen, "edges-owns.csv") {
        *owned.entry(r["source"].clone()).or_default() += 1;
    }
    let pilots = rows(&gen, "nodes-university.csv")
        .into_iter()
        .filter(|r| r["pilot_2023"] == "true")
        .count() as u64;
    assert_eq!(u["groups"][0]["group"], "pilot");
    assert_eq!(u["groups"][0]["universities"].as_u64(), Some(pilots));
    for row in u["universities"].as_array().unwrap() {
        let id = row["id"].as_str().unwrap();
        assert_eq!(
            row["contracts"].as_u64(),
            Some(signed.get(id).copied().unwrap_or(0)),
            "{id}"
        );
        assert_eq!(
            row["owned"].as_u64(),
            Some(owned.get(id).copied().unwrap_or(0)),
            "{id}"
        );
    }

    // consortia: the YRD joint projects and their members outside Shanghai, recounted.
    let c = json(&db, &["consortia", "--no-years", "--top", "1000"]);
    let yrd: BTreeSet<String> = rows(&gen, "edges-part_of.csv")
        .into_iter()
        .filter(|r| r["target"] == "prog:yrd-joint")
        .map(|r| r["source"].clone())
        .collect();
    let provinces: BTreeSet<String> = rows(&gen, "nodes-district.csv")
        .into_iter()
        .filter(|r| r["district_type"] == "province")
        .map(|r| r["id"].clone())
        .collect();
    let outside: BTreeSet<String> = rows(&gen, "edges-located_in.csv")
        .into_iter()
        .filter(|r| provinces.contains(&r["target"]))
        .map(|r| r["source"].clone())
        .collect();
    let mut partners: BTreeSet<String> = BTreeSet::new();
    for kind in ["leads", "participates_in"] {
        for r in rows(&gen, &format!("edges-{kind}.csv")) {
            if yrd.contains(&r["target"]) && outside.contains(&r["source"]) {
                partners.insert(r["source"].clone());
            }
        }
    }
    assert_eq!(c["yrd_projects"].as_u64(), Some(yrd.len() as u64));
    assert_eq!(
        c["yrd_outside_members"].as_u64(),
        Some(partners.len() as u64)
    );
    let listed: BTreeSet<String> = c["consortia"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["members"].as_array().unwrap().iter())
        .filter(|m| m["region"] == "outside")
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, partners);

    // synergy: every project and platform is a unit; T recomputed from the cells here.
    let y = json(&db, &["synergy", "--by", "all", "--no-years"]);
    let all = &y["rows"][0];
    let units = rows(&gen, "nodes-project.csv").len() + rows(&gen, "nodes-platform.csv").len();
    assert_eq!(all["units"].as_u64(), Some(units as u64));
    let cells: Vec<f64> = all["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_f64().unwrap())
        .collect();
    let n: f64 = cells.iter().sum();
    let h = |mask: usize| {
        let mut m = [0.0; 8];
        for (pattern, c) in cells.iter().enumerate() {
            m[pattern & mask] += c;
        }
        -m.iter()
            .filter(|&&c| c > 0.0)
            .map(|&c| c / n * (c / n).log2())
            .sum::<f64>()
    };
    let t_uig = h(1) + h(2) + h(4) - h(3) - h(5) - h(6) + h(7);
    let got = all["helix"]["t_uig"].as_f64().unwrap();
    assert!((got - t_uig).abs() < 1e-9, "{got} vs {t_uig}");
}
case!(planners_answer_on_generated_data);

fn planners_print_every_format_on_the_fixtures() {
    let dir = tempfile::tempdir().unwrap();
    let db = shanghai_db(dir.path(), "db");
    for command in [
        "trends",
        "consortia",
        "synergy",
        "engagement",
        "platforms",
        "universities",
    ] {
        let table = run(&db, &[command]);
        table.ok();
        assert!(
            table.stdout.contains("Source: "),
            "{command}: {}",
            table.stdout
        );
        let md = run(&db, &[command, "--format", "md"]);
        md.ok();
        assert!(md.stdout.starts_with("## "), "{command}");
        assert!(md.stdout.contains("\n> "), "{command}: no quoted source");
        let csv = run(&db, &[command, "--format", "csv"]);
        csv.ok();
        let mut reader = csv::Reader::from_reader(csv.stdout.as_bytes());
        let width = reader.headers().unwrap().len();
        for r in reader.records() {
            assert_eq!(r.unwrap().len(), width, "{command}");
        }
        let json = run(&db, &[command, "--format", "json"]).ok().json();
        assert!(
            json["source"].as_str().is_some_and(|x| !x.is_empty()),
            "{command}"
        );
    }
    // The fixtures hold no contract, and say so.
    let t = run(&db, &["trends", "--format", "json"]).ok().json();
    assert!(t["notes"][0]
        .as_str()
        .unwrap()
        .contains("no technology contract"));
    // The 14 pilot universities' published 157 companies.
    let u = run(&db, &["universities", "--format", "json"]).ok().json();
    assert_eq!(u["groups"][0]["spin_offs"].as_u64(), Some(157));
}
case!(planners_print_every_format_on_the_fixtures);

/// The list of a planners' report that `--format ndjson` writes, by command.
const ROW_LISTS: [(&str, &str); 6] = [
    ("trends", "series"),
    ("consortia", "consortia"),
    ("synergy", "rows"),
    ("engagement", "firms"),
    ("platforms", "platforms"),
    ("universities", "universities"),
];

/// JSON in a pipe is one compact object whose lists hold a row per line; `--compact` gives
/// the same, `--pretty` indents it, `--out` writes the pipe's layout to a file, `--format
/// ndjson` is the report's rows one per line; all hold the same values, and a closed pipe
/// ends each quietly.
fn planners_json_layouts_hold_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = shanghai_db(dir.path(), "db");
    for (command, list) in ROW_LISTS {
        let with = |extra: &[&str]| {
            let mut args = vec![command];
            args.extend_from_slice(extra);
            let r = run(&db, &args);
            r.ok();
            r.stdout
        };
        let compact = with(&["--format", "json"]);
        let report: Value = serde_json::from_str(&compact).unwrap();
        let lines: Vec<&str> = compact.lines().collect();
        assert!(lines[0].starts_with('{'), "{command}: {compact}");
        assert!(
            !lines.iter().any(|l| l.starts_with(' ')),
            "{command}: indented"
        );
        // Each row of each list of the report on its own line, as the list holds it.
        let lists = report.as_object().unwrap().iter();
        let mut rows_seen = 0;
        for (name, rows) in lists.filter_map(|(k, v)| Some((k, v.as_array()?))) {
            if rows.is_empty() {
                continue;
            }
            let open = format!("\"{name}\":[");
            let at = lines
                .iter()
                .position(|l| l.ends_with(&open))
                .unwrap_or_else(|| panic!("{command}: no line opens {name}: {compact}"));
            for (i, row) in rows.iter().enumerate() {
                let line = lines[at + 1 + i];
                let line = line.strip_suffix(',').unwrap_or(line);
                let got: Value =
                    serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
                assert_eq!(&got, row, "{command}");
            }
            assert!(lines[at + 1 + rows.len()].starts_with(']'), "{command}");
            rows_seen += rows.len();
        }
        assert!(rows_seen > 0, "{command}: no rows on the fixtures");
        assert_eq!(
            with(&["--format", "json", "--compact"]),
            compact,
            "{command}"
        );
        let pretty = with(&["--format", "json", "--pretty"]);
        assert!(pretty.starts_with("{\n  \""), "{command}: {pretty}");
        assert_eq!(serde_json::from_str::<Value>(&pretty).unwrap(), report);
        let ndjson = with(&["--format", "ndjson"]);
        let objects: Vec<Value> = ndjson
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
            .collect();
        assert_eq!(Some(&objects), report[list].as_array(), "{command}");
        assert_eq!(with(&["--format", "jsonl"]), ndjson, "{command}");
        for (format, expected) in [("json", &compact), ("ndjson", &ndjson)] {
            let out = dir.path().join(format!("{command}.{format}"));
            let r = run(&db, &[command, "--format", format, "--out", s(&out)]);
            r.ok();
            assert!(r.stdout.is_empty(), "{command}: {}", r.stdout);
            assert!(r.stderr.contains(s(&out)), "{command}: {}", r.stderr);
            assert_eq!(
                &std::fs::read_to_string(&out).unwrap(),
                expected,
                "{command}"
            );
        }
        for format in ["table", "json", "ndjson", "csv", "md"] {
            assert_quiet_on_closed_pipe(&["--db", s(&db), command, "--format", format]);
        }
    }
    let bad = run(
        &db,
        &["trends", "--out", s(&dir.path().join("no/such/dir/t.json"))],
    );
    bad.expect_code(1);
    assert!(bad.stderr.contains("no/such/dir/t.json"), "{}", bad.stderr);
}
case!(planners_json_layouts_hold_the_same_report);

fn planners_refuse_bad_options_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = crate::common::base_db(dir.path());
    let backwards = run(&db, &["trends", "--years", "2024..2015"]);
    backwards.expect_code(2);
    assert!(
        backwards.stderr.contains("2020..2024"),
        "{}",
        backwards.stderr
    );
    let field = run(&db, &["engagement", "--field", "no-such-field"]);
    assert_ne!(field.code, 0);
    assert!(field.stderr.contains("no-such-field"), "{}", field.stderr);
    let by = run(&db, &["synergy", "--by", "county"]);
    assert_ne!(by.code, 0);
    assert!(by.stderr.contains("county"), "{}", by.stderr);
    let kind = run(&db, &["platforms", "--type", "lab"]);
    assert_ne!(kind.code, 0);
    assert!(
        kind.stderr.contains("concept_verification"),
        "{}",
        kind.stderr
    );
}
case!(planners_refuse_bad_options_with_a_message);

/// `GET path` on the router over `state`, as status and JSON.
async fn http_get(state: &innograph::server::AppState, path: &str) -> (u16, Value) {
    use tower::ServiceExt;
    let request = axum::http::Request::get(path)
        .body(axum::body::Body::empty())
        .unwrap();
    let response = innograph::server::app(state.clone())
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, serde_json::from_slice(&bytes).unwrap())
}

async fn planners_endpoints_answer_what_the_cli_prints() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = generated_db(dir.path());
    let asks = [
        ("trends", vec!["--years", "2020..2024"], "years=2020..2024"),
        ("consortia", vec!["--no-years"], "no_years=true"),
        ("synergy", vec!["--by", "district"], "by=district"),
        (
            "engagement",
            vec!["--not-engaged", "--class", "chain_leader"],
            "not_engaged=true&class=chain_leader",
        ),
        (
            "platforms",
            vec!["--type", "functional_platform"],
            "type=functional_platform",
        ),
        ("universities", vec!["--pilot"], "pilot=true"),
        (
            "consortia",
            vec![
                "--no-years",
                "--field",
                "biomedicine",
                "--with",
                "univ:sjtu",
            ],
            "no_years=true&field=biomedicine&with=univ:sjtu",
        ),
    ];
    let mut printed = Vec::new();
    for (command, args, _) in &asks {
        let mut all = vec![*command];
        all.extend(args);
        printed.push(json(&db, &all));
    }
    let store = innograph::store::Store::open(&db).unwrap();
    let state = innograph::server::AppState::new(
        std::sync::Arc::new(store),
        innograph::server::ServerOptions::default(),
    )
    .unwrap();
    for ((command, _, query), cli) in asks.iter().zip(&printed) {
        let (status, body) = http_get(&state, &format!("/api/v1/{command}?{query}")).await;
        assert_eq!(status, 200, "{command}: {body}");
        assert_eq!(&body, cli, "{command}");
    }
    let (_, doc) = http_get(&state, "/openapi.json").await;
    for (command, _, _) in &asks {
        assert!(
            doc["paths"][format!("/api/v1/{command}")]["get"].is_object(),
            "/api/v1/{command} is not in openapi.json"
        );
    }
    for bad in [
        "/api/v1/trends?years=2024..2015",
        "/api/v1/trends?by=colour",
        "/api/v1/synergy?by=county",
        "/api/v1/engagement?field=no-such-field",
        "/api/v1/platforms?type=lab",
        "/api/v1/universities?colour=red",
        "/api/v1/consortia?top=many",
        // What schemathesis found answered 400 while the document allowed it, and the
        // bounds the document now states.
        "/api/v1/trends?by=0",
        "/api/v1/engagement?class=0",
        "/api/v1/engagement?top=1.9e22",
        "/api/v1/universities?top=0",
        "/api/v1/platforms?top=10001",
        "/api/v1/platforms?as_of=0",
        "/api/v1/platforms?as_of=10000",
        "/api/v1/synergy?min_units=-1",
        "/api/v1/trends?years=1800..2024",
        // Booleans are `true` or `false`, as the document says; an empty value is refused.
        "/api/v1/universities?pilot=",
        // Candidate consortia need a field and actors, and the actors must exist.
        "/api/v1/consortia?field=biomedicine",
        "/api/v1/consortia?with=univ:sjtu",
        "/api/v1/consortia?field=biomedicine&with=univ:nowhere",
        "/api/v1/consortia?field=biomedicine&with=univ:sjtu&candidates=0",
    ] {
        let (status, body) = http_get(&state, bad).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(body["error"]["message"].is_string(), "{bad}: {body}");
    }
}
case!(async planners_endpoints_answer_what_the_cli_prints);

/// Candidate consortia on generated data: the given actors are in every candidate, each
/// candidate is connected through ties that exist, has a Shanghai and a provincial member,
/// and its other members are in the field (recounted from the generated `in_field` file);
/// fewest members first. Two members of one YRD joint project are tied already, so their
/// smallest consortium is the two of them.
fn candidate_consortia_tie_the_given_actors_within_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let (db, gen) = generated_db(dir.path());
    let mut in_field: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in rows(&gen, "edges-in_field.csv") {
        in_field
            .entry(r["target"].clone())
            .or_default()
            .insert(r["source"].clone());
    }
    // A YRD joint project with a Shanghai member and a provincial one, from the CSV files.
    let outside_districts: BTreeSet<String> = rows(&gen, "nodes-district.csv")
        .into_iter()
        .filter(|r| matches!(r["district_type"].as_str(), "province" | "country"))
        .map(|r| r["id"].clone())
        .collect();
    let mut outside_org: BTreeMap<String, bool> = BTreeMap::new();
    for r in rows(&gen, "edges-located_in.csv") {
        *outside_org.entry(r["source"].clone()).or_default() |=
            outside_districts.contains(&r["target"]);
    }
    let yrd: BTreeSet<String> = rows(&gen, "edges-part_of.csv")
        .into_iter()
        .filter(|r| r["target"] == "prog:yrd-joint")
        .map(|r| r["source"].clone())
        .collect();
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in ["edges-leads.csv", "edges-participates_in.csv"] {
        for r in rows(&gen, file) {
            if yrd.contains(&r["target"]) {
                members
                    .entry(r["target"].clone())
                    .or_default()
                    .push(r["source"].clone());
            }
        }
    }
    let (shanghai, outside) = members
        .values()
        .find_map(|m| {
            let s = m.iter().find(|x| outside_org.get(*x) == Some(&false))?;
            let o = m.iter().find(|x| outside_org.get(*x) == Some(&true))?;
            Some((s.clone(), o.clone()))
        })
        .expect("a YRD project with a Shanghai and a provincial member");
    let field = in_field
        .iter()
        .find(|(_, orgs)| orgs.contains(&shanghai))
        .map(|(f, _)| f.clone())
        .expect("the Shanghai member's field");
    let field = field.as_str();

    let check = |report: &Value, given: &[&str]| {
        let cands = report["candidates"]["candidates"].as_array().unwrap();
        assert!(!cands.is_empty(), "{report}");
        let mut last = 0;
        for cand in cands {
            let members: Vec<&str> = cand["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["id"].as_str().unwrap())
                .collect();
            assert!(members.len() >= last, "not fewest members first: {cand}");
            last = members.len();
            for g in given {
                assert!(members.contains(g), "{g} missing from {cand}");
            }
            for m in &members {
                assert!(
                    given.contains(m) || in_field[field].contains(*m),
                    "{m} is not in {field}"
                );
            }
            let regions: BTreeSet<&str> = cand["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["region"].as_str().unwrap())
                .collect();
            assert!(
                regions.contains("shanghai") && regions.contains("outside"),
                "{cand}"
            );
            // Connected through its existing ties.
            let mut reached: BTreeSet<&str> = BTreeSet::from([members[0]]);
            loop {
                let before = reached.len();
                for t in cand["ties"].as_array().unwrap() {
                    let (a, b) = (t[0].as_str().unwrap(), t[1].as_str().unwrap());
                    if reached.contains(a) || reached.contains(b) {
                        reached.insert(a);
                        reached.insert(b);
                    }
                }
                if reached.len() == before {
                    break;
                }
            }
            assert_eq!(reached.len(), members.len(), "not connected: {cand}");
        }
        cands.clone()
    };

    let in_field = [
        "consortia",
        "--no-years",
        "--field",
        field,
        "--with",
        &shanghai,
    ];
    let both = json(&db, &[&in_field[..], &["--with", &outside]].concat());
    assert_eq!(both["candidates"]["formed_by"], "given", "{both}");
    let cands = check(&both, &[&shanghai, &outside]);
    assert_eq!(
        cands[0]["members"].as_array().unwrap().len(),
        2,
        "{}",
        cands[0]
    );
    assert_eq!(cands[0]["new_pairs"], 0);

    let one_side = [&in_field[..], &["--candidates", "3"]].concat();
    let one = json(&db, &one_side);
    assert_eq!(one["candidates"]["formed_by"], "partner_outside", "{one}");
    let cands = check(&one, &[&shanghai]);
    assert!(cands.len() <= 3);
    // NDJSON holds the candidate consortia asked for, one per line.
    let ndjson = run(&db, &[&one_side[..], &["--format", "ndjson"]].concat());
    let lines: Vec<Value> = ndjson
        .ok()
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines, cands);
    assert!(cands
        .iter()
        .all(|c| c["score"].is_number() || c["new_pairs"] == 0));

    let bad = run(&db, &["consortia", "--field", field]);
    assert_ne!(bad.code, 0, "--field without --with must be refused");
    let unknown = run(
        &db,
        &["consortia", "--field", field, "--with", "ent:nobody"],
    );
    assert_ne!(unknown.code, 0);
    assert!(unknown.stderr.contains("ent:nobody"), "{}", unknown.stderr);
}
case!(candidate_consortia_tie_the_given_actors_within_the_field);
