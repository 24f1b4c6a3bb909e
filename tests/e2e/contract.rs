//! The HTTP API against its OpenAPI document: schemathesis (pinned in
//! `tests/requirements.txt`) runs every check (`--checks all`) against the real server on
//! the Shanghai fixtures, a few examples per operation. The long run, a few hundred examples
//! per operation, is `benches/schemathesis/run.sh`; both use the configuration and hooks in
//! `benches/schemathesis/`.

use std::path::PathBuf;
use std::process::Command;

use crate::common::shanghai_db;
use crate::server_e2e::{start_with_token, terminate};
use crate::{case, harness};

fn the_api_matches_its_openapi_document() {
    let dir = tempfile::tempdir().unwrap();
    let db = shanghai_db(dir.path(), "db");
    let server = start_with_token(&db, &["--addr", "127.0.0.1:0"], Some("contract-token"));
    let url = format!("http://{}", server.addr);
    let config_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/schemathesis");
    let output = Command::new(harness::python())
        // Schemathesis and Hypothesis keep their caches in the working directory.
        .current_dir(dir.path())
        .env("PYTHONPATH", &config_dir)
        .env("SCHEMATHESIS_TELEMETRY", "false")
        .args(["-m", "schemathesis.cli", "--config-file"])
        .arg(config_dir.join("schemathesis.toml"))
        .arg("run")
        .arg(format!("{url}/openapi.json"))
        .args(["--url", &url])
        .args(["--checks", "all"])
        .args(["--header", "Authorization: Bearer contract-token"])
        .args(["--max-examples", "8", "--seed", "1", "--workers", "2"])
        .args(["--no-color", "--report-dir"])
        .arg(dir.path().join("report"))
        .output()
        .expect("cannot run schemathesis");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "schemathesis found failures:\n{stdout}\n{stderr}"
    );
    // "Selected: X/Y" then "Tested: X": every operation was selected and run.
    let selected = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("Selected: "))
        .and_then(|v| v.split_once('/'))
        .and_then(|(x, y)| Some((x.parse::<usize>().ok()?, y.parse::<usize>().ok()?)));
    let Some((selected, total)) = selected else {
        panic!("no operation count in:\n{stdout}");
    };
    assert_eq!(selected, total, "{stdout}");
    assert!(
        stdout.contains(&format!("Tested: {selected}")),
        "not every one of the {selected} operations was tested:\n{stdout}"
    );
    assert!(stdout.contains(" passed"), "{stdout}");
    assert_eq!(terminate(server), 0);
}
case!(the_api_matches_its_openapi_document, requires(Python));
