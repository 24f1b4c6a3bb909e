//! End to end: start the real binary with `serve --addr 127.0.0.1:0`, read the address it
//! prints, talk HTTP/1.1 to it over a plain TCP socket, stop it with SIGTERM, and check
//! that it exits 0, flushed the store, and released the database.

use crate::case;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{base_db, cmd, run};

/// A response: status code and body.
struct Reply {
    status: u16,
    body: String,
}

impl Reply {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One request on a fresh connection (`Connection: close`, read to the end).
fn http(addr: &str, method: &str, path: &str, token: Option<&str>, body: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("cannot connect to the server");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8(raw).expect("response is not UTF-8");
    let (head, rest) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in: {text}"));
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in: {head}"));
    assert!(
        head.to_ascii_lowercase().contains("x-request-id:"),
        "no request id in: {head}"
    );
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    Reply { status, body }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    loop {
        let Some((size, rest)) = s.split_once("\r\n") else {
            return out;
        };
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            return out;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
}

/// The running server; killed if a test fails before stopping it.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(db: &std::path::Path, args: &[&str]) -> Server {
    let mut c = cmd();
    c.arg("--db")
        .arg(db)
        .arg("serve")
        .args(args)
        .env_remove("INNOGRAPH_TOKEN")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = c.spawn().expect("cannot start innograph serve");
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("no output from serve");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_string();
    assert!(!addr.ends_with(":0"), "the real port is printed: {addr}");
    Server { child, addr }
}

fn terminate(mut server: Server) -> i32 {
    let pid = server.child.id().to_string();
    let status = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("cannot run kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn serve_answers_over_tcp_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let server = start(&db, &["--addr", "127.0.0.1:0", "--token", "t"]);
    let addr = server.addr.clone();

    // A read.
    let r = http(&addr, "GET", "/api/v1/nodes/univ:a", None, "");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["name"], "甲大学");

    // A write without the token, then with it.
    let node = r#"{"id":"ent:e2e","kind":"enterprise","name":"端到端公司"}"#;
    let r = http(&addr, "POST", "/api/v1/nodes", None, node);
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "unauthorized");
    let r = http(&addr, "POST", "/api/v1/nodes", Some("t"), node);
    assert_eq!(r.status, 201, "{}", r.body);
    let r = http(&addr, "GET", "/api/v1/nodes/ent:e2e", None, "");
    assert_eq!(r.status, 200, "{}", r.body);
    let r = http(&addr, "GET", "/api/v1/stats", None, "");
    assert_eq!(r.json()["nodes"]["enterprise"], 2);

    // While it runs, the CLI cannot open the database and says why.
    let busy = run(&db, &["stats"]);
    assert_eq!(busy.code, 1);
    assert!(busy.stderr.contains("in use"), "{}", busy.stderr);

    assert_eq!(terminate(server), 0);

    // The write survived and the database opens again.
    let r = run(&db, &["node", "get", "ent:e2e", "--format", "json"]);
    r.ok();
    assert_eq!(r.json()["name"], "端到端公司");
    run(&db, &["check"]).ok();
}
case!(serve_answers_over_tcp_and_stops_on_sigterm);

fn read_only_server_refuses_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let server = start(
        &db,
        &["--addr", "127.0.0.1:0", "--token", "t", "--read-only"],
    );
    let r = http(
        &server.addr,
        "DELETE",
        "/api/v1/nodes/univ:a",
        Some("t"),
        "",
    );
    assert_eq!(r.status, 403, "{}", r.body);
    let r = http(&server.addr, "GET", "/healthz", None, "");
    assert_eq!(r.json()["writes"], false);
    assert_eq!(terminate(server), 0);
}
case!(read_only_server_refuses_writes);
