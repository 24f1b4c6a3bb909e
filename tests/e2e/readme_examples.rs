//! Every `innograph …` example in the README's shell blocks runs on the bundled Shanghai
//! database and prints something, or its comment says why it prints nothing there.
//!
//! The examples run in README order in one temporary directory whose `innograph.db` is built
//! by `innograph overview` (what the README's first command does). An example is left out only
//! for a reason listed in [`NOT_RUN`] (it needs the reader's own files, rolls the fixtures back,
//! or is a long run another test covers); a new example is run unless it is listed there.

use std::path::Path;

use crate::case;
use crate::common::{run_in, Run};

/// Examples not run here, by the start of their command line, with the reason.
const NOT_RUN: &[(&str, &str)] = &[
    (
        "init",
        "creates a database where the fixtures' one already is",
    ),
    ("import nodes.csv", "needs the reader's own files"),
    (
        "import dump/",
        "runs after `export` below (see EXPORT_THEN_IMPORT)",
    ),
    (
        "import --skip-invalid data.csv",
        "needs the reader's own files",
    ),
    (
        "import --from cordis",
        "needs the CORDIS files (tests/e2e/cordis.rs)",
    ),
    (
        "import g/graph.graphml",
        "runs after `export` below (see EXPORT_THEN_IMPORT)",
    ),
    ("import --from edgelist", "needs the reader's own files"),
    (
        "import --undo",
        "would roll the fixtures back (tests/e2e/store.rs)",
    ),
    (
        "generate",
        "tests/e2e/planners.rs and gaps.rs generate and import data",
    ),
    (
        "import gen/",
        "tests/e2e/planners.rs and gaps.rs generate and import data",
    ),
    ("node delete", "deletes; tests/e2e/cli.rs"),
    ("edge delete", "deletes; tests/e2e/cli.rs"),
    (
        "evaluate",
        "minutes of held-out evaluation; tests/e2e/gaps.rs",
    ),
    ("serve", "a server; tests/e2e/server_e2e.rs"),
    ("restore", "runs after `backup` (see BACKUP_THEN_RESTORE)"),
];

/// Imports of an export folder, run once the exports exist.
const EXPORT_THEN_IMPORT: &[&str] = &["import dump/", "import g/graph.graphml"];

/// The `innograph …` lines of the README's shell code blocks, each with its comment.
fn examples(readme: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut in_shell = false;
    for line in readme.lines() {
        if let Some(info) = line.strip_prefix("```") {
            in_shell = !in_shell && (info == "sh" || info == "bash" || info == "shell");
            continue;
        }
        if in_shell {
            if let Some(rest) = line.strip_prefix("innograph ") {
                let (command, comment) = match rest.find(" # ") {
                    Some(at) => (&rest[..at], rest[at + 3..].trim()),
                    None => (rest, ""),
                };
                out.push((command.trim().to_string(), comment.to_string()));
            }
        }
    }
    out
}

/// Splits a command line into arguments (double quotes group; no other shell syntax).
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut started = false;
    for c in command.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                started = true;
            }
            c if c.is_whitespace() && !quoted => {
                if started {
                    out.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            c => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(word);
    }
    out
}

/// Whether a run printed something a reader would call a result: not nothing, not an empty
/// JSON array or object, not a table with a header and no rows.
fn printed_something(run: &Run, cwd: &Path, args: &[String]) -> bool {
    let out = run.stdout.trim();
    if let Some(at) = args.iter().position(|a| a == "--out") {
        // Written to a file or folder: what was written counts.
        return args.get(at + 1).is_some_and(|target| {
            let path = cwd.join(target);
            match std::fs::read_dir(&path) {
                Ok(mut entries) => entries.next().is_some(),
                Err(_) => std::fs::metadata(&path).is_ok_and(|m| m.len() > 2),
            }
        });
    }
    if out.is_empty() || out == "[]" || out == "{}" {
        return false;
    }
    let last = out.lines().last().unwrap_or("").trim();
    !(last
        .chars()
        .all(|c| c == '-' || c == ' ' || c == '|' || c == ':')
        && last.contains('-'))
}

/// Whether the example's comment says why it prints nothing on the bundled data.
fn explains_empty(comment: &str) -> bool {
    comment.contains("nothing on the fixtures")
}

fn every_readme_example_runs_on_the_bundled_data_and_prints_something() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).expect("README.md");
    let all = examples(&readme);
    assert!(all.len() > 40, "found only {} examples", all.len());
    let dir = tempfile::tempdir().expect("temp dir");
    let cwd = dir.path();
    run_in(cwd, &["overview"]).ok();
    std::fs::create_dir_all(cwd.join("fixtures/reports")).expect("fixtures dir");
    std::fs::copy(
        format!("{root}/fixtures/reports/shanghai-planners.toml"),
        cwd.join("fixtures/reports/shanghai-planners.toml"),
    )
    .expect("planners' spec");

    let mut failures = Vec::new();
    let mut ran = 0;
    let mut deferred = Vec::new();
    for (command, comment) in &all {
        if let Some((_, why)) = NOT_RUN.iter().find(|(start, _)| command.starts_with(start)) {
            if EXPORT_THEN_IMPORT.iter().any(|s| command.starts_with(s))
                || command.starts_with("restore")
            {
                deferred.push((command.clone(), comment.clone()));
            } else {
                println!("    not run: innograph {command}  ({why})");
            }
            continue;
        }
        // Placeholders in brackets (`[--format toml|json]`) are usage, not a command.
        let command = command.replace("/backups/", "backups/");
        let args = words(&command);
        if args.iter().any(|a| a.starts_with('[')) {
            failures.push(format!(
                "`innograph {command}`: write a runnable example, not usage brackets"
            ));
            continue;
        }
        check(cwd, &command, &args, comment, &mut failures);
        ran += 1;
    }
    for (command, comment) in &deferred {
        let command = command.replace("/backups/", "backups/");
        let args = words(&command);
        check(cwd, &command, &args, comment, &mut failures);
        ran += 1;
    }
    println!("    ran {ran} README examples");
    assert!(
        failures.is_empty(),
        "README examples that fail or print nothing on the bundled data:\n{}",
        failures.join("\n")
    );
}
case!(every_readme_example_runs_on_the_bundled_data_and_prints_something);

fn check(cwd: &Path, command: &str, args: &[String], comment: &str, failures: &mut Vec<String>) {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = run_in(cwd, &refs);
    if run.code != 0 {
        failures.push(format!(
            "`innograph {command}` exited {}: {}",
            run.code,
            run.stderr.lines().next().unwrap_or("")
        ));
    } else {
        // An import reports what it wrote on stderr.
        let imported = args.first().is_some_and(|a| a == "import") && run.stderr.contains("new");
        if printed_something(&run, cwd, args) || imported || explains_empty(comment) {
            return;
        }
        failures.push(format!(
            "`innograph {command}` printed nothing on the bundled data and its comment does not \
             say why (write \"nothing on the fixtures: …\")"
        ));
    }
}
