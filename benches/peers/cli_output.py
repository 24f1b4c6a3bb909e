#!/usr/bin/env python3
"""The whole `innograph centrality --algo pagerank` command, output included, against the
peers' whole processes computing the same PageRank (issue 11, section 3).

    python3 benches/peers/cli_output.py [--reps 5] [--before OLD_INNOGRAPH] [--networkx]

Uses `benches/.venv`, the graph `benches/out/hk_200k.edges` and its store
`benches/out/db_hk_200k` as `benches/peers/run.py` makes them (run that once first, e.g.
`python3 benches/peers/run.py --quick --only pagerank`). Each round runs every command once,
interleaved, under `/usr/bin/time -f "%e %U %S %M"`: innograph writing every row in each
format to a file in `benches/out/` (not a terminal: JSON is compact, one row per line; also
`--pretty`), with `--top 10` (nothing to write), optionally an older binary (`--before`),
and the peers as `run.py` runs them (read the edge list, compute PageRank, print a line).
Prints medians of wall time, CPU time (user + system) and peak RSS, the output's size and
write rate (bytes / the CPU time over the same command with `--top 10`), the ratios to the best peer, and the load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as peers  # noqa: E402  (the peers' scripts, venv and paths)

OUT = peers.OUT
DB = OUT / "db_hk_200k"
EDGES = OUT / "hk_200k.edges"


def timed(cmd: list[str], stdout_path: Path | None) -> dict:
    """Wall, CPU and peak RSS of one run, stdout to a file (or discarded)."""
    sink = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    try:
        r = subprocess.run(["/usr/bin/time", "-f", "@@ %e %U %S %M", *cmd], stdout=sink,
                           stderr=subprocess.PIPE, text=True, cwd=peers.ROOT)
    finally:
        if stdout_path:
            sink.close()
    line = [l for l in r.stderr.splitlines() if l.startswith("@@ ")][-1].split()
    if r.returncode != 0:
        raise SystemExit(f"{cmd} failed: {r.stderr[-500:]}")
    return {"wall": float(line[1]), "cpu": float(line[2]) + float(line[3]),
            "rss_mib": int(line[4]) / 1024,
            "bytes": stdout_path.stat().st_size if stdout_path else 0}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--before", help="an older innograph binary to run beside")
    ap.add_argument("--networkx", action="store_true", help="also NetworkX (slow)")
    args = ap.parse_args()
    if Path(sys.prefix).resolve() != peers.VENV.resolve():
        py = peers.VENV / "bin" / "python"
        if not py.exists():
            raise SystemExit("no benches/.venv: run `python3 benches/peers/run.py --quick --only pagerank` first")
        os.execv(str(py), [str(py), str(Path(__file__).resolve()), *sys.argv[1:]])
    if not DB.exists() or not EDGES.exists():
        raise SystemExit("run `python3 benches/peers/run.py --quick --only pagerank` first")
    cli = [str(peers.INNOGRAPH), "--db", str(DB), "centrality", "--algo", "pagerank"]
    cases: list[tuple[str, list[str], Path | None]] = []
    for fmt in ["json", "ndjson", "csv", "table", "md"]:
        cases.append((f"innograph --format {fmt}", cli + ["--format", fmt], OUT / f"out.{fmt}"))
    cases.append(("innograph --format json --pretty", cli + ["--format", "json", "--pretty"],
                  OUT / "out.pretty.json"))
    cases.append(("innograph --top 10 --format json", cli + ["--top", "10", "--format", "json"],
                  OUT / "out.top10.json"))
    if args.before:
        old = [args.before, "--db", str(DB), "centrality", "--algo", "pagerank"]
        cases.append(("before: --format json", old + ["--format", "json"], OUT / "old.json"))
        cases.append(("before: --format csv", old + ["--format", "csv"], OUT / "old.csv"))
        cases.append(("before: --top 10 --format json", old + ["--top", "10", "--format", "json"],
                      OUT / "old.top10.json"))
    tools = ["igraph", "networkit", "rustworkx"] + (["networkx"] if args.networkx else [])
    for tool in tools:
        script = peers.LOAD[tool] + peers.PEER_ALGOS[tool]["pagerank"] + peers.HARNESS
        cases.append((f"peer: {tool}", [sys.executable, "-c", script, str(EDGES), "1"], None))
    results: dict[str, list[dict]] = {name: [] for name, _, _ in cases}
    loads = []
    for rep in range(args.reps):
        order = cases if rep % 2 == 0 else list(reversed(cases))
        for name, cmd, out in order:
            results[name].append(timed(cmd, out))
        loads.append(os.getloadavg()[0])
        print(f"round {rep + 1}/{args.reps} done, load {loads[-1]:.1f}", flush=True)

    def med(name, key):
        return statistics.median(r[key] for r in results[name])

    peer_names = [n for n, _, _ in cases if n.startswith("peer:")]
    best = min(peer_names, key=lambda n: med(n, "wall"))
    best_cpu = min(peer_names, key=lambda n: med(n, "cpu"))
    print(f"\nmedians of {args.reps} interleaved rounds; load average {min(loads):.1f}–{max(loads):.1f}")
    print(f"best peer by wall time: {best} ({med(best, 'wall'):.3f} s); "
          f"by CPU time: {best_cpu} ({med(best_cpu, 'cpu'):.3f} s)\n")
    print("| command | wall (s) | CPU (s) | peak RSS (MiB) | output | write rate | wall / best peer | CPU / best peer |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, _, out in cases:
        wall, cpu, rss = med(name, "wall"), med(name, "cpu"), med(name, "rss_mib")
        size = med(name, "bytes")
        rate = "–"
        base = ("before: --top 10 --format json" if name.startswith("before")
                else "innograph --top 10 --format json")
        if size > 1_000_000 and not name.startswith("peer"):
            spent = cpu - med(base, "cpu")
            rate = f"{size / spent / 1e6:.0f} MB/s" if spent > 0 else "n/a"
        shown = f"{size / 1e6:.1f} MB" if size else "–"
        print(f"| {name} | {wall:.3f} | {cpu:.3f} | {rss:.0f} | {shown} | {rate} | "
              f"{wall / med(best, 'wall'):.2f}× | {cpu / med(best_cpu, 'cpu'):.2f}× |")


if __name__ == "__main__":
    main()
