#!/usr/bin/env bash
# Web page benchmark: generates the scale-10 store under $WORK (default /tmp/innograph-web-bench)
# if absent, serves it with the release binary on a loopback port, and times the page in
# headless Chromium (bench_web.py). Needs chromium and a Python with Playwright
# (tests/all.sh makes target/test-venv).
#   benches/web/run.sh [--repeat N]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=${WORK:-/tmp/innograph-web-bench}
bin="$root/target/release/innograph"
python=${INNOGRAPH_PYTHON:-$root/target/test-venv/bin/python}
export INNOGRAPH_CHROMIUM=${INNOGRAPH_CHROMIUM:-$(command -v chromium)}
cargo build --release --quiet
if [ ! -d "$work/db" ]; then
  mkdir -p "$work"
  "$bin" generate --scale 10 --out "$work/gen"
  "$bin" --db "$work/db" init
  "$bin" --db "$work/db" import "$work"/gen/*.csv
fi
out=$(mktemp)
"$bin" --db "$work/db" serve --addr 127.0.0.1:0 --read-only >"$out" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q listening "$out" && break; sleep 0.2; done
url=$(sed -n 's/^listening on //p' "$out")
"$python" "$root/benches/web/bench_web.py" --url "$url" "$@"
