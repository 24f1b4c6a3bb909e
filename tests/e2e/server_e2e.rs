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
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: String,
}

impl Reply {
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One request on a fresh connection (`Connection: close`, read to the end).
pub(crate) fn http(addr: &str, method: &str, path: &str, token: Option<&str>, body: &str) -> Reply {
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
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(db: &std::path::Path, args: &[&str]) -> Server {
    start_with_token(db, args, None)
}

/// Starts `serve` with the write token in `INNOGRAPH_TOKEN`.
pub(crate) fn start_with_token(db: &std::path::Path, args: &[&str], token: Option<&str>) -> Server {
    let mut c = cmd();
    c.arg("--db").arg(db).arg("serve").args(args);
    match token {
        Some(t) => c.env("INNOGRAPH_TOKEN", t),
        None => c.env_remove("INNOGRAPH_TOKEN"),
    };
    c.env("RUST_LOG", "warn")
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

pub(crate) fn terminate(mut server: Server) -> i32 {
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
    let server = start_with_token(&db, &["--addr", "127.0.0.1:0"], Some("t"));
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
    let server = start_with_token(&db, &["--addr", "127.0.0.1:0", "--read-only"], Some("t"));
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

// --- hostile and careless clients, on real sockets ----------------------------------------

/// Reads until the server closes the connection (or `limit` passes); returns what arrived
/// and whether it was closed in time.
fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, bool) {
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let deadline = Instant::now() + limit;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while Instant::now() < deadline {
        match stream.read(&mut buf) {
            Ok(0) => return (String::from_utf8_lossy(&got).into_owned(), true),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return (String::from_utf8_lossy(&got).into_owned(), true),
        }
    }
    (String::from_utf8_lossy(&got).into_owned(), false)
}

fn silent_and_slow_clients_are_cut_off_by_the_header_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let server = start(&db, &["--addr", "127.0.0.1:0", "--header-timeout-s", "1"]);
    let started = Instant::now();
    let mut silent = TcpStream::connect(&server.addr).unwrap();
    let mut partial = TcpStream::connect(&server.addr).unwrap();
    partial
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x")
        .unwrap();
    let (_, closed) = read_until_closed(&mut silent, Duration::from_secs(5));
    assert!(closed, "a silent connection stays open");
    let (_, closed) = read_until_closed(&mut partial, Duration::from_secs(5));
    assert!(closed, "a connection with a partial head stays open");
    assert!(started.elapsed() < Duration::from_secs(5));
    // A kept-alive connection is closed once idle for the same time.
    let mut kept = TcpStream::connect(&server.addr).unwrap();
    write!(
        kept,
        "GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    )
    .unwrap();
    let (answer, closed) = read_until_closed(&mut kept, Duration::from_secs(5));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(closed, "an idle kept-alive connection stays open");
    assert_eq!(terminate(server), 0);
}
case!(silent_and_slow_clients_are_cut_off_by_the_header_timeout);

/// The value of an unlabelled Prometheus counter in a `/metrics` text (0 when absent).
fn counter(metrics: &str, name: &str) -> u64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

fn at_the_cap_the_oldest_connection_without_a_request_makes_room() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let server = start(
        &db,
        &[
            "--addr",
            "127.0.0.1:0",
            "--max-connections",
            "3",
            "--header-timeout-s",
            "60",
        ],
    );
    // Three slow clients: connected, no complete request head.
    let mut idle: Vec<TcpStream> = (0..3)
        .map(|_| {
            let s = TcpStream::connect(&server.addr).unwrap();
            std::thread::sleep(Duration::from_millis(50));
            s
        })
        .collect();
    idle[1].write_all(b"GET /healthz HTTP/1.1\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let r = http(&server.addr, "GET", "/healthz", None, "");
    assert_eq!(r.status, 200, "{}", r.body);
    // The oldest was closed to make room.
    let (_, closed) = read_until_closed(&mut idle[0], Duration::from_secs(5));
    assert!(closed, "the oldest idle connection was not closed");
    // At least that one was evicted (the /metrics request below may evict another if the
    // health check's place is not yet free), and nobody was refused.
    let r = http(&server.addr, "GET", "/metrics", None, "");
    let evicted = counter(&r.body, "innograph_connections_evicted_total");
    assert!(evicted >= 1, "{}", r.body);
    assert!(
        r.body.contains("innograph_connections_refused_total 0"),
        "{}",
        r.body
    );
    drop(idle);
    assert_eq!(terminate(server), 0);
}
case!(at_the_cap_the_oldest_connection_without_a_request_makes_room);

fn connections_over_the_cap_get_503_when_every_connection_has_a_request() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let server = start_with_token(
        &db,
        &[
            "--addr",
            "127.0.0.1:0",
            "--max-connections",
            "3",
            "--header-timeout-s",
            "60",
            "--body-timeout-s",
            "60",
        ],
        Some("t"),
    );
    // Three uploads in flight: the head is in, the body comes slowly.
    let busy: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut s = TcpStream::connect(&server.addr).unwrap();
            write!(
                s,
                "POST /api/v1/import HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t\r\nContent-Type: application/x-ndjson\r\nContent-Length: 1000\r\n\r\n{{\"node\":"
            )
            .unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let mut extra = TcpStream::connect(&server.addr).unwrap();
    write!(
        extra,
        "GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    )
    .unwrap();
    let (answer, closed) = read_until_closed(&mut extra, Duration::from_secs(5));
    assert!(closed);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("retry-after: 1"),
        "{answer}"
    );
    assert!(answer.contains("\"code\":\"unavailable\""), "{answer}");
    drop(busy);
    // The uploads end once the server sees their clients gone; then it answers again.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let mut s = TcpStream::connect(&server.addr).unwrap();
        write!(
            s,
            "GET /metrics HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.addr
        )
        .unwrap();
        let (answer, _) = read_until_closed(&mut s, Duration::from_secs(5));
        if answer.starts_with("HTTP/1.1 200") {
            // At least the one above (more if a retry here came before the uploads ended).
            let refused = counter(&answer, "innograph_connections_refused_total");
            assert!(refused >= 1, "{answer}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not recover: {answer}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(terminate(server), 0);
}
case!(connections_over_the_cap_get_503_when_every_connection_has_a_request);

fn sigterm_with_slow_clients_open_exits_after_the_grace_period_and_flushes() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let server = start_with_token(
        &db,
        &[
            "--addr",
            "127.0.0.1:0",
            "--header-timeout-s",
            "120",
            "--body-timeout-s",
            "120",
            "--shutdown-grace-s",
            "1",
        ],
        Some("t"),
    );
    let node = r#"{"id":"ent:late","kind":"enterprise","name":"晚到公司"}"#;
    assert_eq!(
        http(&server.addr, "POST", "/api/v1/nodes", Some("t"), node).status,
        201
    );
    // 50 clients: half send part of a head, half a head and part of a body.
    let mut slow = Vec::new();
    for i in 0..50 {
        let mut s = TcpStream::connect(&server.addr).unwrap();
        if i % 2 == 0 {
            s.write_all(b"GET /api/v1/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .unwrap();
        } else {
            write!(
                s,
                "POST /api/v1/import HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t\r\nContent-Length: 1000\r\n\r\n{{\"node\":"
            )
            .unwrap();
        }
        slow.push(s);
    }
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    assert_eq!(terminate(server), 0);
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "shutdown took {:?}",
        started.elapsed()
    );
    drop(slow);
    let r = run(&db, &["node", "get", "ent:late", "--format", "json"]);
    r.ok();
    run(&db, &["check"]).ok();
}
case!(sigterm_with_slow_clients_open_exits_after_the_grace_period_and_flushes);

fn a_write_body_that_stops_arriving_is_408() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let server = start_with_token(
        &db,
        &["--addr", "127.0.0.1:0", "--body-timeout-s", "1"],
        Some("t"),
    );
    let mut s = TcpStream::connect(&server.addr).unwrap();
    write!(
        s,
        "POST /api/v1/import HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t\r\nContent-Length: 100\r\n\r\n{{\"node\":"
    )
    .unwrap();
    let (answer, closed) = read_until_closed(&mut s, Duration::from_secs(6));
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(closed);
    assert_eq!(terminate(server), 0);
    assert_eq!(crate::common::generation(&db), 1);
}
case!(a_write_body_that_stops_arriving_is_408);

fn the_token_comes_from_a_file_or_the_environment_never_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let refused = run(&db, &["serve", "--addr", "127.0.0.1:0", "--token", "t"]);
    assert_ne!(refused.code, 0);
    assert!(
        refused.stderr.contains("INNOGRAPH_TOKEN"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("--token-file"),
        "{}",
        refused.stderr
    );
    let file = crate::common::write(dir.path(), "token", "from-file\n");
    let server = start(
        &db,
        &[
            "--addr",
            "127.0.0.1:0",
            "--token-file",
            crate::common::s(&file),
        ],
    );
    let node = r#"{"id":"ent:file","kind":"enterprise","name":"文件公司"}"#;
    let r = http(
        &server.addr,
        "POST",
        "/api/v1/nodes",
        Some("from-file"),
        node,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(terminate(server), 0);
}
case!(the_token_comes_from_a_file_or_the_environment_never_the_command_line);

/// A file-size limit (`ulimit -f`, with SIGXFSZ ignored so that writes fail with EFBIG
/// instead of killing the process) stands in for a full disk.
fn healthz_reports_failing_writes_when_the_disk_is_full() {
    let dir = tempfile::tempdir().unwrap();
    let db = base_db(dir.path());
    let size_kib = std::fs::metadata(db.join("db")).map_or(64, |m| m.len() / 1024);
    let limit_blocks = (size_kib + 256) * 2; // 512-byte blocks: 256 KiB of room
    let script = format!(
        "trap '' XFSZ; ulimit -f {limit_blocks}; exec \"$0\" --db \"$1\" serve --addr 127.0.0.1:0"
    );
    let mut child = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .arg(crate::common::BIN)
        .arg(&db)
        .env("INNOGRAPH_TOKEN", "t")
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot run bash");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let server = Server {
        addr: line
            .trim()
            .trim_start_matches("listening on http://")
            .to_string(),
        child,
    };
    assert_eq!(
        http(&server.addr, "GET", "/healthz", None, "").json()["status"],
        "ok"
    );
    let mut body = String::new();
    for i in 0..5_000 {
        body.push_str(&format!(
            "{{\"node\":{{\"id\":\"ent:fill{i}\",\"kind\":\"enterprise\",\"name\":\"{}\"}}}}\n",
            "填".repeat(100)
        ));
    }
    let r = http(&server.addr, "POST", "/api/v1/import", Some("t"), &body);
    assert_eq!(r.status, 500, "{}", r.body);
    let health = http(&server.addr, "GET", "/healthz", None, "").json();
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(health["writes"], false);
    assert!(
        health["writes_error"]
            .as_str()
            .unwrap()
            .contains("too large"),
        "{health}"
    );
    // Reads still answer, from the last published generation.
    let r = http(&server.addr, "GET", "/api/v1/stats", None, "");
    assert_eq!(r.json()["nodes"]["enterprise"], 1);
}
case!(healthz_reports_failing_writes_when_the_disk_is_full);
