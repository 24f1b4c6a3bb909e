//! The shipped planners' report spec (`fixtures/reports/shanghai-planners.toml`) run by
//! `innograph report` on a generated ecosystem: each planners' section's JSON file is what
//! its command prints, and one figure of each, taken from the command's JSON, stands in the
//! section's Markdown and in its part of the self-contained `report.html`.

use std::path::Path;

use serde_json::Value;

use crate::case;
use crate::common::generated_db;
use crate::common::{run, s};

/// A table row as the HTML report writes it (`numeric` cells right-aligned) and as the
/// Markdown writes it.
fn row(cells: &[(String, bool)]) -> (String, String) {
    let mut html = String::from("<tr>");
    for (text, numeric) in cells {
        let class = if *numeric { " class=\"n\"" } else { "" };
        html.push_str(&format!("<td{class}>{text}</td>"));
    }
    let md = cells
        .iter()
        .map(|(t, _)| t.as_str())
        .collect::<Vec<_>>()
        .join(" | ");
    (html, format!("| {md} |"))
}

fn text(v: &str) -> (String, bool) {
    (v.to_string(), false)
}

fn n(v: &Value) -> (String, bool) {
    (
        v.as_u64()
            .unwrap_or_else(|| panic!("not a count: {v}"))
            .to_string(),
        true,
    )
}

/// The `<section>` of `question` in the HTML report.
fn html_section<'a>(html: &'a str, question: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"p-{question}\">"))
        .unwrap_or_else(|| panic!("report.html has no section p-{question}"));
    let end = start
        + html[start..]
            .find("</section>")
            .expect("an unclosed section");
    &html[start..end]
}

/// The row of each section checked: built from the command's own JSON.
fn expected_row(question: &str, json: &Value) -> Vec<(String, bool)> {
    match question {
        "trends" => {
            let all = json["series"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["section"] == "contracts" && x["key"] == "all")
                .expect("the all-contracts series");
            let mut cells = vec![text("contracts"), text("all contracts")];
            cells.extend(all["counts"].as_array().unwrap().iter().map(n));
            cells
        }
        "consortia" => {
            let all = &json["shares"][0];
            assert_eq!(all["programme"], "all");
            assert!(all["year"].is_null());
            vec![
                text("all"),
                text("all"),
                n(&all["projects"]),
                n(&all["cross_region_projects"]),
                n(&all["ties"]),
            ]
        }
        "synergy" => {
            let all = &json["rows"][0];
            assert_eq!(all["scope"], "all");
            assert!(all["year"].is_null());
            vec![text("(whole ecosystem)"), text("all"), n(&all["units"])]
        }
        "engagement" => {
            let leaders = json["totals"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["class"] == "chain_leader")
                .expect("a chain-leader total");
            vec![
                text("chain leader"),
                n(&leaders["firms"]),
                n(&leaders["explorer"]),
                n(&leaders["open_competition"]),
                n(&leaders["yrd_joint"]),
                n(&leaders["engaged"]),
                n(&leaders["not_engaged"]),
            ]
        }
        "platforms" => {
            let first = &json["types"][0];
            vec![
                text(first["platform_type"].as_str().unwrap()),
                n(&first["platforms"]),
                n(&first["dated"]),
            ]
        }
        "universities" => {
            let pilot = &json["groups"][0];
            assert_eq!(pilot["group"], "pilot");
            vec![
                text("pilot"),
                n(&pilot["universities"]),
                n(&pilot["owned"]),
                n(&pilot["granted"]),
                n(&pilot["offered"]),
                n(&pilot["contracted"]),
                n(&pilot["contracts"]),
            ]
        }
        other => panic!("unexpected planners' section {other}"),
    }
}

fn the_shipped_report_spec_shows_each_planners_section_as_its_command() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = generated_db(dir.path());
    let spec =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reports/shanghai-planners.toml");
    let out = dir.path().join("report");
    run(&db, &["report", "--batch", s(&spec), "--out", s(&out)]).ok();
    let read = |name: &str| {
        std::fs::read_to_string(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let html = read("report.html");
    let index = read("index.md");
    assert!(!html.contains("<script") && !html.contains("src=") && !html.contains("http"));
    for question in [
        "trends",
        "consortia",
        "synergy",
        "engagement",
        "platforms",
        "universities",
    ] {
        let cli = run(&db, &[question, "--format", "json"]).ok().json();
        let file: Value = serde_json::from_str(&read(&format!("{question}.json"))).unwrap();
        assert_eq!(
            file, cli,
            "{question}.json differs from `innograph {question}`"
        );

        let (html_row, md_row) = row(&expected_row(question, &cli));
        let section = html_section(&html, question);
        assert!(
            section.contains(&html_row),
            "report.html's {question} lacks {html_row}"
        );
        assert!(section.contains("<svg"), "{question} has no chart");
        assert!(
            section.contains(cli["source"].as_str().unwrap()),
            "{question}: no source"
        );
        let md = read(&format!("{question}.md"));
        assert!(md.contains(&md_row), "{question}.md lacks {md_row}:\n{md}");

        let csv = read(&format!("{question}.csv"));
        let csv_rows = csv.lines().count() - 1;
        assert!(
            index.contains(&format!("| {csv_rows} | [md]({question}.md) [csv]({question}.csv) [json]({question}.json) [html](report.html#p-{question}) |")),
            "index.md lacks the {question} row ({csv_rows} rows):\n{index}"
        );
        if question == "trends" {
            let series = cli["series"].as_array().unwrap().len();
            let years = cli["years"].as_array().unwrap().len();
            assert_eq!(csv_rows, series * years, "one CSV row per series and year");
        }
    }
}
case!(the_shipped_report_spec_shows_each_planners_section_as_its_command);
