#!/usr/bin/env python3
"""Whole-process time of the planners' commands (issue 14: <= 2 s each on the generated
scale-10 store): each command run REPS times as a separate process, binaries interleaved
(the order alternates per round) when more than one is given, output discarded.

    python3 benches/planners/time.py --db s10.db --bin new=target/release/innograph \
        [--bin old=/tmp/innograph-old] [--reps 5] [--format json] \
        [--case 'consortia-candidates=consortia --field F --with ID --with ID']

Prints every run (round, case, binary, wall s, CPU s = user + sys, peak RSS MB, 1-minute load)
and a Markdown table of the medians. Wall time is measured around the child (fork to exit);
CPU and RSS come from wait4."""
import argparse
import os
import shlex
import statistics
import subprocess
import time

CASES = [
    ("trends", "trends"),
    ("consortia", "consortia"),
    ("synergy", "synergy"),
    ("engagement", "engagement"),
    ("platforms", "platforms"),
    ("universities", "universities"),
]


def load():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def once(binary, db, args, fmt):
    argv = [binary, "--db", db, *args, "--format", fmt]
    with open(os.devnull, "wb") as null:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=null, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        err = child.stderr.read().decode(errors="replace")
        child.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--bin", action="append", required=True, help="NAME=PATH")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--format", default="json")
    p.add_argument("--case", action="append", default=[], help="NAME=ARGS (added)")
    p.add_argument("--only", help="comma-separated case names")
    a = p.parse_args()
    bins = [b.split("=", 1) for b in a.bin]
    cases = [(n, shlex.split(c)) for n, c in CASES]
    cases += [(n, shlex.split(c)) for n, c in (x.split("=", 1) for x in a.case)]
    if a.only:
        keep = a.only.split(",")
        cases = [c for c in cases if c[0] in keep]
    runs = {}
    print("load before:", open("/proc/loadavg").read().strip(), flush=True)
    for r in range(a.reps):
        for name, args in cases:
            order = bins if r % 2 == 0 else list(reversed(bins))
            for bname, path in order:
                wall, cpu, rss = once(path, a.db, args, a.format)
                runs.setdefault((name, bname), []).append((wall, cpu, rss))
                print(r, name, bname, f"{wall:.3f}", f"{cpu:.3f}", f"{rss:.0f}", load(), flush=True)
    print("load after:", open("/proc/loadavg").read().strip())
    print("\n| command | binary | wall (median) | CPU user+sys (median) | peak RSS | wall min–max |")
    print("|---|---|---:|---:|---:|---|")
    for name, _ in cases:
        for bname, _ in bins:
            xs = runs[(name, bname)]
            w = statistics.median(x[0] for x in xs)
            c = statistics.median(x[1] for x in xs)
            m = max(x[2] for x in xs)
            lo, hi = min(x[0] for x in xs), max(x[0] for x in xs)
            print(f"| {name} | {bname} | {w:.2f} s | {c:.2f} s | {m:.0f} MB | {lo:.2f}–{hi:.2f} s |")


if __name__ == "__main__":
    main()
