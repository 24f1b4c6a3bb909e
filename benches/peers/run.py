#!/usr/bin/env python3
"""Peer comparison of innograph's graph algorithms (issue "Parallel analytics").

    python3 benches/peers/run.py [--quick] [--full] [--reps N] [--only ALGO,...]

* Creates ``benches/.venv`` (gitignored) and pip-installs the pinned peers of
  ``benches/peers/requirements.txt`` one by one (a failed install is reported and that tool
  skipped), then re-executes itself with the venv's Python.
* Generates the graphs ONCE with NetworkX and fixed seeds, cached under ``benches/out/``:
  ``ba_10k.edges`` = ``barabasi_albert_graph(10000, 4, seed=1)`` and
  ``hk_200k.edges`` = ``powerlaw_cluster_graph(200000, 5, 0.3, seed=1)``; plain ``u v``
  lines, 0-based ids. Every tool reads these files, so all compute on identical graphs.
* Times every tool two ways, in the same run, from the same child processes: for each
  algorithm, N rounds, each running every tool once (interleaved, so that the load of a
  shared machine hits all tools alike); each child reads the edge list and computes once:
  (a) in-process: the algorithm call alone, timed by the child with the tool's own timer
      (first call in a fresh process; innograph: ``peer_algo``, which prints JSON);
  (b) whole process: the child's wall time as a user runs it (``python -c`` per peer;
      innograph: ``peer_algo`` reading the edge list, and ``innograph --db DB centrality
      --algo ALGO --format csv --out FILE`` on a database imported once from the same
      graph — "n/a (centrality command not built)" while that command does not exist).
  Peak RSS of every child via ``/usr/bin/time -f %M`` (fallback ``os.wait4``).
* Prints one table per algorithm and writes them as Markdown to ``benches/out/peers.md``
  (and raw results to ``benches/out/peers.json``).

``--quick``: N = 1. Default N = 3. ``--full`` also runs the slow pure-Python NetworkX
algorithms (exact betweenness, closeness, harmonic, Louvain); without it NetworkX's exact
betweenness is estimated from 200 sampled sources (marked "est.", never the best peer).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / "benches" / ".venv"
OUT = ROOT / "benches" / "out"
REQ = ROOT / "benches" / "peers" / "requirements.txt"
PEER_ALGO = ROOT / "target" / "release" / "examples" / "peer_algo"
INNOGRAPH = ROOT / "target" / "release" / "innograph"
TIMEOUT = 3600  # seconds per child process

GRAPHS = {
    "ba_10k": "Barabási–Albert n=10,000 m=4 (networkx barabasi_albert_graph(10000, 4, seed=1))",
    "hk_200k": "Holme–Kim n=200,000 m=5 p=0.3 (networkx powerlaw_cluster_graph(200000, 5, 0.3, seed=1))",
}

# (algorithm, graph) in report order.
ALGOS = [
    ("betweenness", "ba_10k"),
    ("closeness", "ba_10k"),
    ("harmonic", "ba_10k"),
    ("pagerank", "hk_200k"),
    ("core", "hk_200k"),
    ("louvain", "hk_200k"),
    ("approx_betweenness", "hk_200k"),
]

# innograph CLI `centrality --algo` value per algorithm (None: not offered by the CLI).
CLI_ALGO = {
    "betweenness": "betweenness",
    "closeness": "closeness",
    "harmonic": "harmonic",
    "pagerank": "pagerank",
    "core": "core",
    "louvain": "community",
    "approx_betweenness": None,
}

MODULES = {"networkit": "networkit", "igraph": "igraph", "rustworkx": "rustworkx", "networkx": "networkx"}


# --------------------------------------------------------------------------------------
# venv


def in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def ensure_venv() -> None:
    if in_venv():
        return
    py = VENV / "bin" / "python"
    if not py.exists():
        print(f"creating {VENV}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    failed = []
    for line in REQ.read_text().splitlines():
        req = line.split("#")[0].strip()
        if not req:
            continue
        r = subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", req],
            capture_output=True,
            text=True,
        )
        if r.returncode != 0:
            print(f"WARNING: pip install {req} failed; continuing without it:\n{r.stderr[-2000:]}", flush=True)
            failed.append(req)
    os.environ["PEERS_INSTALL_FAILED"] = json.dumps(failed)
    os.execv(str(py), [str(py), str(Path(__file__).resolve()), *sys.argv[1:]])


def tool_versions() -> dict:
    v = {}
    for dist in ["networkit", "igraph", "rustworkx", "networkx", "numpy", "scipy"]:
        try:
            v[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            v[dist] = None
    return v


# --------------------------------------------------------------------------------------
# graphs


def generate_graphs() -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    info = {}
    for name in GRAPHS:
        path = OUT / f"{name}.edges"
        meta = OUT / f"{name}.json"
        if not (path.exists() and meta.exists()):
            import networkx as nx

            t = time.perf_counter()
            print(f"generating {name} with networkx (cached afterwards) ...", flush=True)
            if name == "ba_10k":
                g = nx.barabasi_albert_graph(10000, 4, seed=1)
            else:
                g = nx.powerlaw_cluster_graph(200000, 5, 0.3, seed=1)
            tmp = path.with_suffix(".tmp")
            with open(tmp, "w") as f:
                for u, v in g.edges():
                    f.write(f"{u} {v}\n")
            tmp.rename(path)
            meta.write_text(
                json.dumps(
                    {
                        "n": g.number_of_nodes(),
                        "m": g.number_of_edges(),
                        "generator_seconds": time.perf_counter() - t,
                        "networkx": nx.__version__,
                    }
                )
            )
            print(f"  {name}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges, "
                  f"{time.perf_counter() - t:.1f} s", flush=True)
        info[name] = json.loads(meta.read_text())
    return info


# --------------------------------------------------------------------------------------
# child processes


TIME = shutil.which("time", path="/usr/bin:/bin") if os.path.exists("/usr/bin/time") else None


def run_child(cmd: list[str], env: dict | None = None, timeout: int = TIMEOUT) -> dict:
    """Runs cmd; returns wall seconds, peak RSS (MiB), rc, stdout, stderr.

    Peak RSS: Linux keeps a process's RSS high-water mark across fork and exec, so a child
    forked from this (Python) driver would report at least the driver's own RSS. The child
    is therefore started by `/usr/bin/time -f %M` (a small process) when it exists, else
    `os.wait4`'s `ru_maxrss` is used (the driver keeps its own RSS small: the peers are
    never imported in it). Wall time includes `time`'s own fork/exec (~1 ms).
    """
    marker = "@@PEAK_RSS_KB "
    argv = [TIME, "-f", marker + "%M", *cmd] if TIME else cmd
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        p = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=ROOT)
        timer = threading.Timer(timeout, p.kill)
        timer.start()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        timer.cancel()
        rc = os.waitstatus_to_exitcode(status)
        p.returncode = rc
        out.seek(0)
        err.seek(0)
        stderr = err.read()
        rss_kb = ru.ru_maxrss
        if TIME:
            lines = stderr.rstrip("\n").split("\n")
            for i in range(len(lines) - 1, -1, -1):
                if lines[i].startswith(marker):
                    rss_kb = int(lines[i][len(marker):])
                    del lines[i]
                    break
            stderr = "\n".join(l for l in lines if not l.startswith("Command exited with non-zero"))
        return {"wall": wall, "rss_mib": rss_kb / 1024.0, "rc": rc, "stdout": out.read(), "stderr": stderr}


def last_json(text: str) -> dict | None:
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                return None
    return None


# Peer scripts: LOAD defines load(path) -> G; ALGO defines run(G) -> (checksum, extra dict).
HARNESS = r"""
import json, sys, time
path, reps = sys.argv[1], int(sys.argv[2])
t = time.perf_counter()
G = load(path)
load_seconds = time.perf_counter() - t
seconds = []
for _ in range(reps):
    t = time.perf_counter()
    checksum, extra = run(G)
    seconds.append(time.perf_counter() - t)
s = sorted(seconds)
median = s[len(s) // 2] if len(s) % 2 else (s[len(s) // 2 - 1] + s[len(s) // 2]) / 2
print(json.dumps(dict(load_seconds=load_seconds, seconds=seconds, median=median,
                      checksum=checksum, **extra)))
"""

LOAD = {
    "networkit": r"""
import os, networkit as nk
nk.engineering.setLogLevel("ERROR")
if os.environ.get("PEER_THREADS"):
    nk.engineering.setNumberOfThreads(int(os.environ["PEER_THREADS"]))
def load(p):
    return nk.graphio.EdgeListReader(" ", 0, "#", True, False).read(p)
""",
    "igraph": r"""
import random, igraph as ig
random.seed(1)
ig.set_random_number_generator(random)
def load(p):
    return ig.Graph.Read_Edgelist(p, directed=False)
""",
    "rustworkx": r"""
import rustworkx as rx
def load(p):
    return rx.PyGraph.read_edge_list(p, deliminator=" ", comment="#")
""",
    "networkx": r"""
import networkx as nx
import scipy.sparse  # noqa: F401  (nx.pagerank imports it lazily: keep that out of the timer)
def load(p):
    return nx.read_edgelist(p, nodetype=int)
""",
}

PEER_ALGOS = {
    "networkit": {
        "betweenness": r"""
def run(G):
    b = nk.centrality.Betweenness(G, normalized=True); b.run()
    return sum(b.scores()), {}
""",
        "closeness": r"""
def run(G):
    c = nk.centrality.Closeness(G, True, nk.centrality.ClosenessVariant.GENERALIZED); c.run()
    return sum(c.scores()), {}
""",
        "harmonic": r"""
def run(G):
    c = nk.centrality.HarmonicCloseness(G, normalized=False); c.run()
    return sum(c.scores()), {}
""",
        # NetworkX's stopping rule (as innograph and rustworkx): sum |x' - x| < n * 1e-6.
        "pagerank": r"""
def run(G):
    pr = nk.centrality.PageRank(G, damp=0.85, tol=G.numberOfNodes() * 1e-6)
    pr.norm = nk.centrality.Norm.L1_NORM
    pr.run()
    return sum(pr.scores()), {"iterations": pr.numberOfIterations()}
""",
        "core": r"""
def run(G):
    c = nk.centrality.CoreDecomposition(G); c.run()
    return sum(c.scores()), {}
""",
        "louvain": r"""
def run(G):
    plm = nk.community.PLM(G, refine=False); plm.run()
    p = plm.getPartition()
    return nk.community.Modularity().getQuality(p, G), {"communities": p.numberOfSubsets()}
""",
        "approx_betweenness": r"""
import os
C = float(os.environ.get("PEER_UNIVERSAL_CONSTANT", "1.0"))
def run(G):
    a = nk.centrality.ApproxBetweenness(G, epsilon=0.05, delta=0.1, universalConstant=C); a.run()
    return sum(a.scores()), {"samples": a.numberOfSamples()}
""",
    },
    "igraph": {
        "betweenness": r"""
def run(G):
    return sum(G.betweenness(directed=False)), {}
""",
        "closeness": r"""
def run(G):
    return sum(G.closeness()), {}
""",
        "harmonic": r"""
def run(G):
    return sum(G.harmonic_centrality(normalized=False)), {}
""",
        "pagerank": r"""
def run(G):
    return sum(G.pagerank(damping=0.85)), {"method": "PRPACK"}
""",
        "core": r"""
def run(G):
    return sum(G.coreness()), {}
""",
        "louvain": r"""
def run(G):
    c = G.community_multilevel()
    return c.modularity, {"communities": len(c)}
""",
    },
    "rustworkx": {
        "betweenness": r"""
def run(G):
    return sum(rx.betweenness_centrality(G, normalized=True).values()), {}
""",
        "closeness": r"""
def run(G):
    return sum(rx.closeness_centrality(G, wf_improved=True).values()), {}
""",
        # rustworkx's pagerank takes a PyDiGraph: converted outside the timer.
        "pagerank": r"""
_load = load
def load(p):
    return _load(p).to_directed()
def run(G):
    return sum(rx.pagerank(G, alpha=0.85, tol=1e-6).values()), {}
""",
        "core": r"""
def run(G):
    return sum(rx.core_number(G).values()), {}
""",
    },
    "networkx": {
        "betweenness": r"""
import os
K = int(os.environ.get("PEER_NX_K", "0")) or None
def run(G):
    return sum(nx.betweenness_centrality(G, k=K, seed=1).values()), {"k": K}
""",
        "closeness": r"""
def run(G):
    return sum(nx.closeness_centrality(G).values()), {}
""",
        "harmonic": r"""
def run(G):
    return sum(nx.harmonic_centrality(G).values()), {}
""",
        "pagerank": r"""
def run(G):
    return sum(nx.pagerank(G, alpha=0.85, tol=1e-6).values()), {}
""",
        "core": r"""
def run(G):
    return sum(nx.core_number(G).values()), {}
""",
        "louvain": r"""
def run(G):
    c = nx.community.louvain_communities(G, seed=1)
    return nx.community.modularity(G, c), {"communities": len(c)}
""",
    },
}

NX_SLOW = {"betweenness", "closeness", "harmonic", "louvain"}
NX_SAMPLE_K = 200


def median(xs):
    return statistics.median(xs) if xs else None


class Row:
    def __init__(self, tool, note=""):
        self.tool = tool
        self.note = note
        self.inproc = None  # median seconds
        self.inproc_all = []
        self.inproc_rss = None
        self.whole = None
        self.whole_all = []
        self.whole_rss = None
        self.checksum = None
        self.extra = {}
        self.error = None
        self.whole_error = None
        self.estimated = False
        self.is_peer = True
        self.whole_cmd = None  # (argv, env) of the whole-process run
        self.expects_json = True  # the child prints its own algorithm timing
        self.scale = 1.0  # multiplies the in-process time (NetworkX estimate)

    def as_dict(self):
        return {k: v for k, v in self.__dict__.items() if k != "whole_cmd"}


def peer_row(tool, algo, graph_file, env_extra=None, label=None, note="", scale=1.0):
    """A peer row: `python -c` script that loads the graph, runs the algorithm once under
    the tool's own timer and prints JSON (run by run_rounds)."""
    row = Row(label or tool, note)
    script = LOAD[tool] + PEER_ALGOS[tool][algo] + HARNESS
    env = dict(os.environ)
    env.update(env_extra or {})
    row.whole_cmd = ([sys.executable, "-c", script, str(graph_file), "1"], env)
    row.scale = scale
    return row


def innograph_inproc(row, algo, graph_file, reps, threads=None, dump=None, extra_args=()):
    cmd = [str(PEER_ALGO), algo, str(graph_file), "--repeat", str(reps), *extra_args]
    if threads:
        cmd += ["--threads", str(threads)]
    if dump:
        cmd += ["--dump", str(dump)]
    r = run_child(cmd)
    res = last_json(r["stdout"])
    if r["rc"] != 0 or res is None:
        row.error = f"failed (rc {r['rc']}): {r['stderr'].strip()[-300:]}"
        return row
    row.inproc, row.inproc_all, row.inproc_rss = res["median"], res["seconds"], r["rss_mib"]
    row.checksum = res["checksum"]
    row.extra = {k: v for k, v in res.items() if k not in ("seconds", "median", "checksum", "algo")}
    return row


def run_rounds(rows, reps):
    """Runs every row's command `reps` times, interleaved: round i runs every tool once, so
    that the load of the shared machine hits all tools alike. Each child reads the edge list
    and computes once: its wall time is the whole-process time, the algorithm time it
    prints (JSON; its own timer around the algorithm call only) the in-process time, and
    its peak RSS both."""
    for _ in range(reps):
        for row in rows:
            if row.whole_cmd is None or row.whole_error:
                continue
            cmd, env = row.whole_cmd
            w = run_child(cmd, env=env)
            if w["rc"] != 0:
                msg = (w["stderr"].strip().splitlines() or ["?"])[-1][:120]
                row.whole_error = f"n/a (rc {w['rc']}: {msg})"
                if row.expects_json:
                    row.error = row.whole_error
                continue
            row.whole_all.append(w["wall"])
            row.whole_rss = max(row.whole_rss or 0.0, w["rss_mib"])
            if row.expects_json:
                res = last_json(w["stdout"])
                if res is None:
                    row.error = row.whole_error = "n/a (no JSON output)"
                    continue
                row.inproc_all.append(res["seconds"][0] * row.scale)
                row.checksum = res.get("checksum")
                row.extra = {k: v for k, v in res.items()
                             if k not in ("seconds", "median", "checksum", "algo")}
    for row in rows:
        ok = row.whole_all and not row.whole_error
        row.whole = median(row.whole_all) if ok else None
        if not ok:
            row.whole_rss = None
        if row.expects_json and ok:
            row.inproc = median(row.inproc_all)
            row.inproc_rss = row.whole_rss


# --------------------------------------------------------------------------------------
# innograph database + CLI


def centrality_available() -> tuple[bool, str]:
    if not INNOGRAPH.exists():
        return False, "n/a (innograph binary not built)"
    r = subprocess.run([str(INNOGRAPH), "centrality", "--help"], capture_output=True, text=True)
    if r.returncode != 0 or "unrecognized subcommand" in r.stderr:
        return False, "n/a (centrality command not built)"
    return True, r.stdout


def ensure_db(graph: str) -> tuple[Path | None, dict]:
    """Imports benches/out/<graph>.edges once into benches/out/db_<graph> (cached)."""
    db = OUT / f"db_{graph}"
    stamp = OUT / f"db_{graph}.json"
    if db.exists() and stamp.exists():
        return db, json.loads(stamp.read_text())
    if db.exists():
        shutil.rmtree(db)
    csv_dir = OUT / f"csv_{graph}"
    csv_dir.mkdir(exist_ok=True)
    n = json.loads((OUT / f"{graph}.json").read_text())["n"]
    with open(csv_dir / "nodes.csv", "w") as f:
        f.write("id,kind,name\n")
        for i in range(n):
            f.write(f"n{i},enterprise,n{i}\n")
    with open(csv_dir / "edges.csv", "w") as f, open(OUT / f"{graph}.edges") as e:
        f.write("source,target,kind\n")
        for line in e:
            u, v = line.split()[:2]
            f.write(f"n{u},n{v},collaborates_with\n")
    print(f"importing {graph} into {db} ...", flush=True)
    r = run_child([str(INNOGRAPH), "--db", str(db), "init"])
    if r["rc"] != 0:
        print(f"  init failed: {r['stderr'][-500:]}", flush=True)
        return None, {"error": r["stderr"][-500:]}
    r = run_child([str(INNOGRAPH), "--db", str(db), "import",
                   str(csv_dir / "nodes.csv"), str(csv_dir / "edges.csv")])
    if r["rc"] != 0:
        print(f"  import failed: {r['stderr'][-500:]}", flush=True)
        return None, {"error": r["stderr"][-500:]}
    info = {"import_seconds": r["wall"], "import_rss_mib": r["rss_mib"]}
    stamp.write_text(json.dumps(info))
    print(f"  imported in {r['wall']:.1f} s, peak RSS {r['rss_mib']:.0f} MiB", flush=True)
    return db, info


def innograph_cli_row(algo, graph, reps, cli_ok, cli_msg):
    row = Row("innograph CLI", "centrality --format csv on the imported DB")
    row.is_peer = False
    row.expects_json = False
    if not cli_ok:
        row.whole_error = cli_msg
        return row
    name = CLI_ALGO.get(algo)
    if name is None:
        row.whole_error = "n/a (not offered by centrality)"
        return row
    db, info = ensure_db(graph)
    if db is None:
        row.whole_error = f"n/a (import failed)"
        return row
    out = OUT / f"cli_{algo}_{graph}.csv"
    row.whole_cmd = ([str(INNOGRAPH), "--db", str(db), "centrality", "--algo", name,
                      "--format", "csv", "--out", str(out)], None)
    return row


# --------------------------------------------------------------------------------------
# report


def fmt_s(x):
    if x is None:
        return "–"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def fmt_mib(x):
    return "–" if x is None else f"{x:.0f}"


def best_peer(rows, attr):
    vals = [(getattr(r, attr), r.tool) for r in rows
            if r.is_peer and not r.estimated and getattr(r, attr) is not None]
    return min(vals) if vals else (None, None)


def algo_table(algo, graph, rows, reps):
    lines = []
    lines.append(f"### {algo} — {graph}\n")
    lines.append("| tool | in-process median (s) | in-process peak RSS (MiB) | whole process median (s) "
                 "| whole process peak RSS (MiB) | checksum | notes |")
    lines.append("|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        ip = r.error or fmt_s(r.inproc)
        if r.estimated and r.inproc is not None:
            ip = f"~{fmt_s(r.inproc)} (est.)"
        wp = r.whole_error or fmt_s(r.whole)
        if r.estimated and r.whole is not None:
            wp = f"{fmt_s(r.whole)} (k={NX_SAMPLE_K} only)"
        ck = "–" if r.checksum is None else (f"{r.checksum:.6g}")
        notes = [r.note] if r.note else []
        for k in ("iterations", "samples", "communities", "levels", "vertex_diameter_bound", "method"):
            if k in r.extra and r.extra[k] is not None:
                notes.append(f"{k} {r.extra[k]}")
        lines.append(f"| {r.tool} | {ip} | {fmt_mib(r.inproc_rss)} | {wp} | {fmt_mib(r.whole_rss)} "
                     f"| {ck} | {'; '.join(notes)} |")
    inno = next((r for r in rows if r.tool == "innograph"), None)
    cli = next((r for r in rows if r.tool == "innograph CLI"), None)
    summary = []
    if inno is not None:
        b, bt = best_peer(rows, "inproc")
        if b and inno.inproc:
            summary.append(f"in-process: innograph {fmt_s(inno.inproc)} s vs best peer {bt} "
                           f"{fmt_s(b)} s → **{inno.inproc / b:.2f}×**")
        b, bt = best_peer(rows, "whole")
        if b and inno.whole:
            summary.append(f"whole process (edge list): innograph {fmt_s(inno.whole)} s vs {bt} "
                           f"{fmt_s(b)} s → **{inno.whole / b:.2f}×**")
        if b and cli is not None and cli.whole:
            summary.append(f"whole process (CLI on DB): {fmt_s(cli.whole)} s → **{cli.whole / b:.2f}×**")
        b, bt = best_peer(rows, "whole_rss")
        if b and inno.whole_rss:
            summary.append(f"peak RSS (whole process, edge list): innograph {fmt_mib(inno.whole_rss)} MiB "
                           f"vs {bt} {fmt_mib(b)} MiB → **{inno.whole_rss / b:.2f}×**")
        if b and cli is not None and cli.whole_rss:
            summary.append(f"peak RSS CLI {fmt_mib(cli.whole_rss)} MiB → **{cli.whole_rss / b:.2f}×**")
    lines.append("")
    lines.append(f"Ratios to the best peer (median of {reps}): " + ("; ".join(summary) or "–"))
    lines.append("")
    return "\n".join(lines)


def summary_tables(results, tools):
    out = []
    for attr, title in (("inproc", "In-process (algorithm alone), median seconds"),
                        ("whole", "Whole process (read edge list + compute), median wall seconds")):
        out.append(f"#### {title}\n")
        out.append("| algorithm | graph | " + " | ".join(tools) + " | innograph ÷ best peer |")
        out.append("|---|---|" + "---:|" * (len(tools) + 1))
        for (algo, graph), rows in results:
            cells = []
            by = {r.tool: r for r in rows}
            for t in tools:
                r = by.get(t)
                if r is None:
                    cells.append("n/a")
                    continue
                v = getattr(r, attr)
                err = r.error if attr == "inproc" else (r.whole_error or r.error)
                if v is None:
                    cells.append("n/a" if not err else err.split(":")[0][:40])
                elif r.estimated:
                    cells.append(f"~{fmt_s(v)} (est.)" if attr == "inproc" else "–")
                else:
                    cells.append(fmt_s(v))
            inno = by.get("innograph")
            b, bt = best_peer(rows, attr)
            ratio = f"{getattr(inno, attr) / b:.2f}× ({bt})" if inno and b and getattr(inno, attr) else "–"
            out.append(f"| {algo} | {graph} | " + " | ".join(cells) + f" | {ratio} |")
        out.append("")
    return "\n".join(out)


def machine_info():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    free = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": cpu, "free_g": free, "python": platform.python_version(),
            "kernel": platform.release(), "loadavg": os.getloadavg()}


# --------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="one repetition instead of three")
    ap.add_argument("--full", action="store_true", help="also the slow pure-Python NetworkX runs")
    ap.add_argument("--reps", type=int, help="repetitions (overrides --quick)")
    ap.add_argument("--only", help="comma-separated algorithms")
    ap.add_argument("--no-build", action="store_true", help="do not run cargo build")
    args = ap.parse_args()
    ensure_venv()
    reps = args.reps or (1 if args.quick else 3)
    failed = json.loads(os.environ.get("PEERS_INSTALL_FAILED", "[]"))

    tools = []
    for t, mod in MODULES.items():
        # Imported in a child, never here: the driver must stay small (see run_child).
        r = subprocess.run([sys.executable, "-c", f"import {mod}"], capture_output=True, text=True)
        if r.returncode == 0:
            tools.append(t)
        else:
            print(f"WARNING: {t} not importable ({r.stderr.strip()[-300:]}); skipped", flush=True)
    versions = tool_versions()

    if not args.no_build:
        print("cargo build --release --example peer_algo --bin innograph", flush=True)
        subprocess.run(["cargo", "build", "--release", "--example", "peer_algo", "--bin", "innograph"],
                       cwd=ROOT, check=True)
    # In a child, so that the driver never imports NetworkX (see run_child).
    subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, %r); import run; run.generate_graphs()"
                    % str(Path(__file__).resolve().parent)], check=True)
    info = generate_graphs()
    cli_ok, cli_msg = centrality_available()
    if not cli_ok:
        print(f"innograph centrality: {cli_msg}", flush=True)

    selected = [a for a in ALGOS if not args.only or a[0] in args.only.split(",")]
    results = []
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    load_start = os.getloadavg()
    for algo, graph in selected:
        gfile = OUT / f"{graph}.edges"
        print(f"\n== {algo} on {graph} (reps {reps}) ==", flush=True)
        rows = []
        # innograph first
        r = Row("innograph", "peer_algo, default threads")
        r.is_peer = False
        r.whole_cmd = ([str(PEER_ALGO), algo, str(gfile), "--repeat", "1"], None)
        rows.append(r)
        if algo == "pagerank":
            r1 = Row("innograph 1 thread", "peer_algo --threads 1")
            r1.is_peer = False
            r1.whole_cmd = ([str(PEER_ALGO), algo, str(gfile), "--repeat", "1", "--threads", "1"], None)
            rows.append(r1)
        rows.append(innograph_cli_row(algo, graph, reps, cli_ok, cli_msg))
        for tool in tools:
            if algo not in PEER_ALGOS[tool]:
                row = Row(tool)
                row.error = "n/a (no such algorithm)"
                row.whole_error = row.error
                rows.append(row)
                continue
            if tool == "networkx" and algo in NX_SLOW and not args.full:
                if algo == "betweenness":
                    n = info[graph]["n"]
                    row = peer_row(tool, algo, gfile, {"PEER_NX_K": str(NX_SAMPLE_K)}, scale=n / NX_SAMPLE_K,
                                   note=f"estimate: k={NX_SAMPLE_K} sampled sources × n/k (use --full)")
                    row.estimated = True
                else:
                    row = Row(tool)
                    row.error = "skipped (--full)"
                    row.whole_error = row.error
                rows.append(row)
                continue
            if tool == "networkit" and algo == "approx_betweenness":
                rows.append(peer_row(tool, algo, gfile, label="networkit", note="universalConstant=1.0 (default)"))
                rows.append(peer_row(tool, algo, gfile, {"PEER_UNIVERSAL_CONSTANT": "0.5"},
                                     label="networkit c=0.5", note="universalConstant=0.5 (innograph's c)"))
                continue
            if tool == "networkit" and algo == "pagerank":
                rows.append(peer_row(tool, algo, gfile, {"PEER_THREADS": "1"}, label="networkit 1 thread"))
            rows.append(peer_row(tool, algo, gfile))
        run_rounds(rows, reps)
        for row in rows:
            if row.estimated:
                row.checksum = None
        for row in rows:
            print(f"  {row.tool:22s} in-process {fmt_s(row.inproc):>8s} s  RSS {fmt_mib(row.inproc_rss):>6s} MiB"
                  f" | whole {fmt_s(row.whole):>8s} s  RSS {fmt_mib(row.whole_rss):>6s} MiB"
                  f"  checksum {row.checksum}  {row.error or ''} {row.whole_error or ''}", flush=True)
        results.append(((algo, graph), rows))

    # Approximation error on the 10k graph: innograph approx vs innograph exact.
    approx_err = None
    if not args.only or "approx_betweenness" in args.only:
        g10 = OUT / "ba_10k.edges"
        ex, ap_ = OUT / "exact_bc_10k.txt", OUT / "approx_bc_10k.txt"
        a = innograph_inproc(Row("x"), "betweenness", g10, 1, dump=ex)
        b = innograph_inproc(Row("y"), "approx_betweenness", g10, 1, dump=ap_)
        if a.error is None and b.error is None:
            xs = [float(x) for x in ex.read_text().split()]
            ys = [float(x) for x in ap_.read_text().split()]
            approx_err = {
                "max_abs_error": max(abs(x - y) for x, y in zip(xs, ys)),
                "mean_abs_error": sum(abs(x - y) for x, y in zip(xs, ys)) / len(xs),
                "max_exact": max(xs),
                "samples": b.extra.get("samples"),
                "seconds": b.inproc,
            }
            print(f"\napprox betweenness on ba_10k: {approx_err}", flush=True)

    # Report
    finished = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    mi = machine_info()
    tool_cols = ["innograph", "innograph 1 thread", "innograph CLI", "networkit", "networkit 1 thread",
                 "networkit c=0.5", "igraph", "rustworkx", "networkx"]
    md = []
    md.append(f"# Algorithms against peers — raw report\n")
    md.append(f"Command: `python3 benches/peers/run.py {' '.join(sys.argv[1:])}`; started {started}, "
              f"finished {finished}; repetitions {reps}.\n")
    md.append(f"Machine: {mi['nproc']} CPUs ({mi['cpu']}), Python {mi['python']}, kernel {mi['kernel']}.\n")
    md.append("Load average (1, 5, 15 min) at start %.1f %.1f %.1f, at end %.1f %.1f %.1f "
              "(the machine is shared: other processes compete for the %d CPUs).\n"
              % (*load_start, *mi["loadavg"], mi["nproc"]))
    md.append("```\n" + mi["free_g"] + "\n```\n")
    md.append("Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items() if v) +
              (f"; install failed: {', '.join(failed)}" if failed else "") + "\n")
    md.append("Graphs: " + "; ".join(f"`{g}` = {GRAPHS[g]}: {info[g]['n']} nodes, {info[g]['m']} edges"
                                      for g in info) + "\n")
    md.append(summary_tables(results, tool_cols))
    for (algo, graph), rows in results:
        md.append(algo_table(algo, graph, rows, reps))
    if approx_err:
        md.append("### approximate betweenness error on ba_10k\n")
        md.append(f"innograph `approximate_betweenness(ε=0.05, δ=0.1, seed=1)` vs exact innograph: "
                  f"max abs error {approx_err['max_abs_error']:.5f} (bound 0.05), mean abs error "
                  f"{approx_err['mean_abs_error']:.2e}, largest exact value {approx_err['max_exact']:.4f}, "
                  f"{approx_err['samples']} samples, {fmt_s(approx_err['seconds'])} s.\n")
    text = "\n".join(md)
    (OUT / "peers.md").write_text(text)
    (OUT / "peers.json").write_text(json.dumps({
        "started": started, "finished": finished, "reps": reps, "machine": mi, "versions": versions,
        "install_failed": failed, "graphs": info, "approx_error_10k": approx_err,
        "results": [{"algo": a, "graph": g, "rows": [r.as_dict() for r in rows]} for (a, g), rows in results],
    }, indent=1))
    print("\n" + text)
    print(f"\nwritten {OUT / 'peers.md'} and {OUT / 'peers.json'}")


if __name__ == "__main__":
    main()
