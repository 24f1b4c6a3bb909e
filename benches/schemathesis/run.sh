#!/usr/bin/env bash
# The HTTP API against its OpenAPI document, the long run: schemathesis with every check
# (`--checks all`) and a few hundred examples per operation, all phases (examples, coverage,
# fuzzing, stateful), against the real server (release build) on the Shanghai fixtures.
# The test suite runs the same with 8 examples (tests/e2e/contract.rs).
#
#   benches/schemathesis/run.sh [WORKDIR]     # default WORKDIR: target/schemathesis
#
# Environment: EXAMPLES (default 300), SEED (default 1), PORT (default 18090),
# PHASES (default: all; e.g. `stateful` or `fuzzing,stateful`),
# PYTHON (default: a venv at target/test-venv built from tests/requirements.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
WORK=${1:-target/schemathesis}
EXAMPLES=${EXAMPLES:-300}
SEED=${SEED:-1}
PORT=${PORT:-18090}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

if [ -z "${PYTHON:-}" ]; then
  venv="$root/target/test-venv"
  if ! "$venv/bin/python" -c 'import schemathesis' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r tests/requirements.txt
  fi
  PYTHON="$venv/bin/python"
fi

cargo build --release --bin innograph
BIN=$root/target/release/innograph
rm -rf "$WORK/db"
"$BIN" --db "$WORK/db" init >/dev/null
"$BIN" --db "$WORK/db" import fixtures/shanghai/nodes.csv fixtures/shanghai/edges.csv

TOKEN=schemathesis-$$
INNOGRAPH_TOKEN=$TOKEN RUST_LOG=warn "$BIN" --db "$WORK/db" serve --addr "127.0.0.1:$PORT" \
  >"$WORK/serve.out" 2>"$WORK/serve.log" &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q "listening on" "$WORK/serve.out" 2>/dev/null && break
  sleep 0.1
done

# Schemathesis and Hypothesis keep their caches in the working directory.
cd "$WORK"
start=$(date +%s)
status=0
PYTHONPATH=$root/benches/schemathesis SCHEMATHESIS_TELEMETRY=false "$PYTHON" -m schemathesis.cli \
  --config-file "$root/benches/schemathesis/schemathesis.toml" run "http://127.0.0.1:$PORT/openapi.json" \
  --url "http://127.0.0.1:$PORT" --checks all --header "Authorization: Bearer $TOKEN" \
  --max-examples "$EXAMPLES" --seed "$SEED" --workers 2 --no-color \
  ${PHASES:+--phases "$PHASES"} \
  --report junit --report-dir "$WORK/report" | tee "$WORK/schemathesis.txt" || status=$?
echo "schemathesis: $EXAMPLES examples per operation, seed $SEED, $(( $(date +%s) - start )) s, exit $status"
echo "server errors logged: $(grep -c ' ERROR ' "$WORK/serve.log" || true)"
exit $status
