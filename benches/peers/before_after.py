#!/usr/bin/env python3
"""Before/after speed bars of one change (issue 11: "within 5 % of before"): two builds of
`peer_algo`, interleaved in one run (the order alternates per round), one thread each.

    # build peer_algo at both commits into one target dir, copy the two binaries, then:
    python3 benches/peers/before_after.py OLD_PEER_ALGO NEW_PEER_ALGO benches/out [ROUNDS]

Prints every run (round, algorithm, side, median of 3 in-process runs, checksum, load) and a
Markdown table of the medians over rounds."""
import json
import statistics
import subprocess
import sys

old, new, graphs = sys.argv[1], sys.argv[2], sys.argv[3]
rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
cases = [("betweenness", "ba_10k"), ("closeness", "ba_10k"), ("pagerank", "hk_200k"),
         ("core", "hk_200k"), ("louvain", "hk_200k")]
times = {(a, s): [] for a, _ in cases for s in ("old", "new")}
checksums = {}
for r in range(rounds):
    for algo, g in cases:
        sides = [("old", old), ("new", new)] if r % 2 == 0 else [("new", new), ("old", old)]
        for side, binary in sides:
            out = subprocess.run(
                [binary, algo, f"{graphs}/{g}.edges", "--repeat", "3", "--threads", "1"],
                capture_output=True, text=True, check=True).stdout
            j = json.loads(out.strip().splitlines()[-1])
            times[(algo, side)].append(j["median"])
            checksums.setdefault(algo, {})[side] = j["checksum"]
            load = open("/proc/loadavg").read().split()[0]
            print(r, algo, side, f"{j['median']:.4f}", j["checksum"], load, flush=True)
print("\n| algorithm (graph) | before | after | after / before | checksum before / after |")
print("|---|---:|---:|---:|---|")
for algo, g in cases:
    o = statistics.median(times[(algo, "old")])
    n = statistics.median(times[(algo, "new")])
    c = checksums[algo]
    print(f"| {algo} ({g}) | {o:.4f} s | {n:.4f} s | {n / o:.3f} | {c['old']} / {c['new']} |")
