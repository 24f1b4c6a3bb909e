#!/usr/bin/env python3
"""Probes of `innograph serve` under hostile and careless clients (Python 3 standard library).

    probes.py memory --bin BIN --db DB [--cache-mb 64] [--keys 10000]
    probes.py slow   --bin BIN --db DB [--nofile 1024] [--clients 1100] [--seconds 30]
    probes.py heavy  --bin BIN --db DB [--heavy 4] [--seconds 30] [--label NAME]
    probes.py cost   --bin BIN --db DB [--repeat 500] [--cpu-verdict]

memory: distinct-key requests (unique search texts of ~6 KB, centrality with distinct `top`,
        failing requests with unique 6 KB parameters); samples the server's RSS and reports
        its peak against the cache cap.
slow:   the server under a descriptor limit (`--nofile`, soft and hard), `--clients` slow
        connections that send half a request head and are reopened when closed; a checker
        asks /healthz every 100 ms on a fresh connection. Then SIGTERM with the slow clients
        still connected, timed.
heavy:  `--heavy` concurrent exact-betweenness requests with distinct keys (the heavy lane
        and its queue full) while /healthz and neighbourhood pages are timed, 10 requests/s
        each; passes when every cheap request is answered 200 with a p99 under
        `--health-p99-ms` (100) and `--neighbors-p99-ms` (1000).
cost:   unknown ids of 7,000, 600 and 100 bytes on the node, neighbours, edges, partners and
        path routes, timed; ids over 512 bytes must be answered 404 within 1 ms (p99), the
        100-byte ones (suggestions computed, capped at 100 ms) within 250 ms. The server's
        CPU per request is printed too; `--cpu-verdict` judges it instead of the wall p99.

Each prints its figures and a verdict line. See benches/load/probes.sh and BENCHMARKS.md.
"""

import argparse
import http.client
import json
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import threading
import time


def percentile(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, max(0, int(round(p / 100 * len(v) + 0.5)) - 1))]


def summary_ms(values):
    return "n={} p50={:.2f} p99={:.2f} max={:.2f} ms".format(
        len(values), percentile(values, 50) * 1e3, percentile(values, 99) * 1e3,
        (max(values) if values else float("nan")) * 1e3)


class Server:
    def __init__(self, binary, db, args, nofile=None, env=None):
        def limit():
            if nofile:
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
        e = dict(os.environ)
        e.setdefault("RUST_LOG", "warn")
        e.pop("INNOGRAPH_TOKEN", None)
        e.update(env or {})
        self.log = open(os.path.join(os.path.dirname(os.path.abspath(db)), "probe-serve.log"), "w")
        self.proc = subprocess.Popen(
            [binary, "--db", db, "serve", "--addr", "127.0.0.1:0", *args],
            stdout=subprocess.PIPE, stderr=self.log, preexec_fn=limit, env=e, text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith("listening on http://"):
            raise SystemExit(f"unexpected first line from serve: {line!r}")
        self.addr = line[len("listening on http://"):]
        self.host, port = self.addr.rsplit(":", 1)
        self.port = int(port)

    def status(self, key):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
        return 0

    def rss(self):
        return self.status("VmRSS")

    def cpu_seconds(self):
        """User + system CPU time the server has used so far (all its threads)."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_rss(self):
        return self.status("VmHWM")

    def stop(self):
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = "killed after 120 s"
        self.log.close()
        return code, time.monotonic() - started


def get(server, path, timeout=60, conn=None):
    """One GET; returns (status, body bytes, seconds)."""
    c = conn or http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    if c.sock is None:
        c.connect()
        # http.client writes a long request in two parts; with Nagle's algorithm the second
        # waits for the server's delayed ACK (40 ms), which would be timed as server latency.
        c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    started = time.monotonic()
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    elapsed = time.monotonic() - started
    if conn is None:
        c.close()
    return r.status, body, elapsed


def metric(server, name):
    _, body, _ = get(server, "/metrics")
    for line in body.decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return float("nan")


def node_ids(server, kinds=("university", "enterprise", "research_institute"), per_kind=200):
    ids = []
    for kind in kinds:
        _, body, _ = get(server, f"/api/v1/nodes?kind={kind}&limit={per_kind}")
        ids += [n["id"] for n in json.loads(body)["items"]]
    return ids


def run_parallel(jobs, workers, fn):
    """Runs fn(job, conn) for every job on `workers` threads with keep-alive connections."""
    lock = threading.Lock()
    it = iter(jobs)
    results = []

    def worker():
        conn = None
        while True:
            with lock:
                job = next(it, None)
            if job is None:
                break
            try:
                r = fn(job, conn)
                conn = r[-1]
                with lock:
                    results.append(r[:-1])
            except Exception as e:  # a dropped connection: reopen
                conn = None
                with lock:
                    results.append(("error", str(e)))

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


# --- memory ------------------------------------------------------------------------------

def probe_memory(args):
    cap = args.cache_mb << 20
    server = Server(args.bin, args.db, ["--cache-mb", str(args.cache_mb)])
    get(server, "/api/v1/stats")
    baseline = server.rss()
    samples = []
    stop = threading.Event()

    def sampler():
        while not stop.is_set():
            samples.append(server.rss())
            time.sleep(0.25)

    threading.Thread(target=sampler, daemon=True).start()

    def make_conn():
        return http.client.HTTPConnection(server.host, server.port, timeout=120)

    def ask(path, conn):
        conn = conn or make_conn()
        status, _, _ = get(server, path, conn=conn)
        return status, conn

    rng = random.Random(1)
    search = args.keys * 8 // 10
    centrality = args.keys - search
    pad = "x" * 6000
    jobs = [f"/api/v1/nodes?q={i}-{rng.random()}-{pad}" for i in range(search)]
    jobs += [f"/api/v1/centrality?algo=degree&top={i + 1}" for i in range(centrality)]
    failing = [f"/api/v1/centrality?algo=degree&field={i}-{pad}" for i in range(args.keys // 5)]
    started = time.monotonic()
    ok = run_parallel(jobs, 4, ask)
    bad = run_parallel(failing, 4, ask)
    seconds = time.monotonic() - started
    stop.set()
    time.sleep(0.3)
    cache_bytes = metric(server, "innograph_cache_bytes")
    entries = metric(server, "innograph_cache_entries")
    evictions = metric(server, "innograph_cache_evictions_total")
    peak = server.peak_rss()
    final = server.rss()
    code, _ = server.stop()
    statuses = {}
    for r in ok + bad:
        statuses[r[0]] = statuses.get(r[0], 0) + 1
    mib = lambda b: b / (1 << 20)
    print(f"memory probe: {len(jobs)} distinct-key requests ({search} searches with ~6 KB texts, "
          f"{centrality} centrality with distinct top) + {len(failing)} failing ones with ~6 KB "
          f"parameters, 4 connections, {seconds:.0f} s; statuses {statuses}")
    print(f"  cache cap {mib(cap):.0f} MiB; cache at the end {mib(cache_bytes):.1f} MiB in "
          f"{entries:.0f} entries, {evictions:.0f} evictions")
    print(f"  RSS: before {mib(baseline):.1f} MiB, peak {mib(peak):.1f} MiB, at the end "
          f"{mib(final):.1f} MiB (max sampled {mib(max(samples) if samples else 0):.1f} MiB)")
    limit = cap + (50 << 20)
    verdict = "PASS" if peak <= limit else "FAIL"
    print(f"  {verdict}: peak RSS {mib(peak):.1f} MiB vs cap + 50 MiB = {mib(limit):.0f} MiB; "
          f"growth over the start {mib(peak - baseline):.1f} MiB; server exit {code}")
    return verdict == "PASS"


# --- slow clients ---------------------------------------------------------------------------

def probe_slow(args):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    server = Server(args.bin, args.db, [], nofile=args.nofile)
    stop = threading.Event()
    opened = [0]
    closed_by_server = [0]
    lock = threading.Lock()
    sockets = []

    def slow_client():
        try:
            s = socket.create_connection((server.host, server.port), timeout=2)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            with lock:
                opened[0] += 1
                sockets.append(s)
        except OSError:
            pass

    for _ in range(args.clients):
        slow_client()

    def keeper():
        # Reopens the slow connections the server closes (header timeout, refusals).
        while not stop.is_set():
            with lock:
                alive = []
                for s in sockets:
                    s.setblocking(False)
                    try:
                        data = s.recv(4096)
                        if data == b"" or data.startswith(b"HTTP/1.1 503"):
                            closed_by_server[0] += 1
                            s.close()
                            continue
                    except BlockingIOError:
                        pass
                    except OSError:
                        closed_by_server[0] += 1
                        s.close()
                        continue
                    alive.append(s)
                sockets[:] = alive
                missing = args.clients - len(sockets)
            for _ in range(missing):
                slow_client()
            time.sleep(0.2)

    threading.Thread(target=keeper, daemon=True).start()
    results = []
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            status, _, elapsed = get(server, "/healthz", timeout=5)
            results.append((status, elapsed))
        except Exception as e:
            results.append(("error: " + type(e).__name__, time.monotonic() - started))
        time.sleep(max(0, 0.1 - (time.monotonic() - started)))
    refused = metric(server, "innograph_connections_refused_total")
    open_now = metric(server, "innograph_connections_open")
    stop.set()
    time.sleep(0.3)
    with lock:
        still_open = len(sockets)
    code, seconds = server.stop()
    with lock:
        for s in sockets:
            s.close()
    log = open(os.path.join(os.path.dirname(os.path.abspath(args.db)), "probe-serve.log")).read()
    statuses = {}
    for status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    ok = [e for s, e in results if s == 200]
    print(f"slow-client probe: descriptor limit {args.nofile}, {args.clients} slow connections "
          f"(half a request head each, reopened when closed; {opened[0]} opened in all, "
          f"{closed_by_server[0]} closed by the server), /healthz every 100 ms for {args.seconds} s")
    print(f"  /healthz: {statuses}; answered 200: {summary_ms(ok)}")
    print(f"  server: {refused:.0f} connections refused with 503, {open_now:.0f} open at the end; "
          f"'Too many open files' in its log: {log.count('Too many open files')}")
    print(f"  SIGTERM with {still_open} slow clients connected: exit {code} after {seconds:.2f} s")
    errors = sum(n for s, n in statuses.items() if not isinstance(s, int))
    verdict = "PASS" if errors == 0 and code == 0 and seconds < 15 else "FAIL"
    print(f"  {verdict}: no /healthz without an answer ({errors} errors or timeouts), clean exit in "
          f"{seconds:.2f} s")
    return verdict == "PASS"


# --- cost of unknown ids -------------------------------------------------------------------

def probe_cost(args):
    server = Server(args.bin, args.db, [])
    conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
    rng = random.Random(3)
    routes = ["/api/v1/nodes/{}", "/api/v1/nodes/{}/neighbors", "/api/v1/nodes/{}/edges",
              "/api/v1/partners/{}", "/api/v1/path?from={}&to=univ:sjtu"]
    lines = []
    ok = True
    # Over 512 bytes: refused before any work. 100 bytes: a plausible length, so "did you
    # mean" suggestions are computed (capped at 100 ms).
    for label, size, limit in [("7,000-byte ids", 7000, 0.001), ("600-byte ids", 600, 0.001),
                               ("100-byte ids", 100, 0.25)]:
        times, statuses = [], {}
        paths = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(size))
                 for _ in range(args.repeat)]
        cpu_before = server.cpu_seconds()
        for i, unknown in enumerate(paths):
            path = routes[i % len(routes)].format(unknown)
            status, _, elapsed = get(server, path, conn=conn)
            statuses[status] = statuses.get(status, 0) + 1
            times.append(elapsed)
        # The server's own CPU per request: the work it did, whatever the machine's load
        # adds to the wall-clock times (which include the client and the run queue).
        cpu_per_request = (server.cpu_seconds() - cpu_before) / args.repeat
        p99 = percentile(times, 99)
        quick = cpu_per_request < limit if args.cpu_verdict else p99 < limit
        passed = quick and set(statuses) == {404}
        ok = ok and passed
        lines.append(f"  {label}: {statuses}; wall {summary_ms(times)}; server CPU "
                     f"{cpu_per_request * 1e3:.3f} ms/request; {'PASS' if passed else 'FAIL'} "
                     f"({'server CPU' if args.cpu_verdict else 'wall p99'} limit "
                     f"{limit * 1e3:g} ms)")
    code, _ = server.stop()
    print(f"cost probe: {args.repeat} unknown ids of each length over {len(routes)} routes "
          f"(node, neighbours, edges, partners, path), one keep-alive connection")
    print("\n".join(lines))
    print(f"  {'PASS' if ok else 'FAIL'}; server exit {code}")
    return ok


# --- heavy analyses ------------------------------------------------------------------------

def probe_heavy(args):
    server = Server(args.bin, args.db, [], env={"RUST_LOG": "warn"})
    ids = node_ids(server)
    rng = random.Random(2)
    kinds = ["university", "enterprise", "research_institute", "incubator", "agency",
             "organisation", "platform", "project"]
    heavy_results = []

    def heavy(i):
        kind = kinds[i % len(kinds)]
        started = time.monotonic()
        try:
            status, body, _ = get(server, f"/api/v1/centrality?algo=betweenness&kind={kind}&top=5",
                                  timeout=600)
            code = json.loads(body).get("error", {}).get("code", "") if status != 200 else ""
            heavy_results.append((status, code, time.monotonic() - started))
        except Exception as e:
            heavy_results.append(("error", type(e).__name__, time.monotonic() - started))

    threads = [threading.Thread(target=heavy, args=(i,), daemon=True) for i in range(args.heavy)]
    for t in threads:
        t.start()
    time.sleep(1)
    health, neigh = [], []
    failures = []
    deadline = time.monotonic() + args.seconds
    conn_h = http.client.HTTPConnection(server.host, server.port, timeout=60)
    conn_n = http.client.HTTPConnection(server.host, server.port, timeout=60)
    while time.monotonic() < deadline:
        started = time.monotonic()
        for path, sink, conn in [
            ("/healthz", health, conn_h),
            (f"/api/v1/nodes/{rng.choice(ids)}/neighbors?depth=2&limit=20", neigh, conn_n),
        ]:
            try:
                status, _, elapsed = get(server, path, conn=conn)
                if status == 200:
                    sink.append(elapsed)
                else:
                    failures.append(status)
            except Exception as e:
                failures.append(type(e).__name__)
        time.sleep(max(0, 0.1 - (time.monotonic() - started)))
    for t in threads:
        t.join(timeout=1)
    code, stop_seconds = server.stop()
    print(f"heavy probe [{args.label}]: {args.heavy} exact-betweenness requests with distinct keys "
          f"started together; /healthz and depth-2 neighbourhood pages 10/s each for {args.seconds} s")
    print(f"  /healthz:   {summary_ms(health)}")
    print(f"  neighbours: {summary_ms(neigh)}")
    print(f"  other answers: {failures[:10]}{' …' if len(failures) > 10 else ''} ({len(failures)})")
    done = [(s, c, round(t, 1)) for s, c, t in heavy_results]
    print(f"  heavy requests answered during the probe (status, code, seconds): {done}")
    print(f"  SIGTERM: exit {code} after {stop_seconds:.2f} s")
    health_p99 = percentile(health, 99)
    neigh_p99 = percentile(neigh, 99)
    verdict = ("PASS" if health and neigh and not failures and health_p99 < args.health_p99_ms / 1e3
               and neigh_p99 < args.neighbors_p99_ms / 1e3 else "FAIL")
    print(f"  {verdict}: /healthz p99 {health_p99 * 1e3:.1f} ms (limit {args.health_p99_ms} ms), "
          f"neighbours p99 {neigh_p99 * 1e3:.1f} ms (limit {args.neighbors_p99_ms} ms), "
          f"{len(failures)} cheap requests not answered 200")
    return verdict == "PASS"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("probe", choices=["memory", "slow", "heavy", "cost"])
    p.add_argument("--bin", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--cache-mb", type=int, default=64)
    p.add_argument("--keys", type=int, default=10000)
    p.add_argument("--nofile", type=int, default=1024)
    p.add_argument("--clients", type=int, default=1100)
    p.add_argument("--seconds", type=int, default=30)
    p.add_argument("--heavy", type=int, default=4)
    p.add_argument("--label", default="")
    p.add_argument("--repeat", type=int, default=500)
    p.add_argument("--cpu-verdict", action="store_true",
                   help="cost: judge the server's CPU per request, not the wall-clock p99 "
                        "(for a loaded machine, where the run queue dominates wall time)")
    p.add_argument("--health-p99-ms", type=float, default=100)
    p.add_argument("--neighbors-p99-ms", type=float, default=1000)
    args = p.parse_args()
    ok = {"memory": probe_memory, "slow": probe_slow, "heavy": probe_heavy,
          "cost": probe_cost}[args.probe](args)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
