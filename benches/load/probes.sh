#!/usr/bin/env bash
# Probes of `innograph serve` under hostile and careless clients, on a generated scale-1 store
# (release build, loopback only): memory under 10,000 distinct keys, slow clients under a
# descriptor limit, /healthz and neighbourhood latency while heavy analyses run.
#
#   benches/load/probes.sh [WORKDIR]            # default WORKDIR: target/probes
#   PROBES="memory heavy" benches/load/probes.sh
#   BASELINE_BIN=path/to/older/innograph benches/load/probes.sh   # also run `heavy` on it
#
# Figures are in BENCHMARKS.md ("HTTP service under hostile clients").
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${1:-target/probes}
PROBES=${PROBES:-memory slow heavy cost}
mkdir -p "$WORK"
cargo build --release --bin innograph
BIN=target/release/innograph
if [ ! -d "$WORK/s1.db" ]; then
  rm -rf "$WORK/gen"
  "$BIN" generate --scale 1 --out "$WORK/gen"
  "$BIN" --db "$WORK/s1.db" init
  "$BIN" --db "$WORK/s1.db" import "$WORK"/gen/*
fi
echo "load average before: $(cat /proc/loadavg)"
failed=""
for probe in $PROBES; do
  python3 benches/load/probes.py "$probe" --bin "$BIN" --db "$WORK/s1.db" --label current ||
    failed="$failed $probe"
  if [ "$probe" = heavy ] && [ -n "${BASELINE_BIN:-}" ]; then
    python3 benches/load/probes.py heavy --bin "$BASELINE_BIN" --db "$WORK/s1.db" --label baseline ||
      true
  fi
  echo "load average: $(cat /proc/loadavg)"
done
if [ -n "$failed" ]; then
  echo "failed:$failed"
  exit 1
fi
