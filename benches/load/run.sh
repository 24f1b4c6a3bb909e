#!/usr/bin/env bash
# Load test of `innograph serve` on a generated scale-10 store (loopback only, bounded in
# time: about 2 x 30 s of load plus the one-off build, generate and import).
#
#   benches/load/run.sh [WORKDIR]     # default WORKDIR: target/load
#
# (a) open loop, 200 requests/s for 30 s: p50/p99 and errors (goal: p99 <= 50 ms, no errors)
# (b) closed loop, 64 connections for 30 s: throughput and p50/p99
# The mix: 50% nodes/{id}, 25% neighbors, 25% centrality (see examples/load.rs).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${1:-target/load}
PORT=${PORT:-18080}
SECONDS_EACH=${SECONDS_EACH:-30}
mkdir -p "$WORK"
cargo build --release --bin innograph --example load
BIN=target/release/innograph
if [ ! -d "$WORK/s10.db" ]; then
  rm -rf "$WORK/gen"
  "$BIN" generate --scale 10 --out "$WORK/gen"
  "$BIN" --db "$WORK/s10.db" init
  "$BIN" --db "$WORK/s10.db" import "$WORK"/gen/*
fi
RUST_LOG=${RUST_LOG:-info} "$BIN" --db "$WORK/s10.db" serve --addr "127.0.0.1:$PORT" \
  >"$WORK/serve.out" 2>"$WORK/serve.log" &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q "listening on" "$WORK/serve.out" 2>/dev/null && break
  sleep 0.1
done
cat "$WORK/serve.out"
target/release/examples/load --addr "127.0.0.1:$PORT" --mode open --rate 200 --seconds "$SECONDS_EACH"
target/release/examples/load --addr "127.0.0.1:$PORT" --mode closed --connections 64 --seconds "$SECONDS_EACH"
echo "request log lines: $(wc -l <"$WORK/serve.log")"
