#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what the end-to-end tests need when it is
# missing (Debian's chromium for the browser test, a Python venv for the independent readers
# and protocol checkers listed in tests/requirements.txt), then runs `cargo test` with every
# end-to-end test enabled. `cargo test` alone is the fast inner loop: tests whose tools are
# absent show as ignored there, with the reason.
#
# Environment it sets for the tests:
#   INNOGRAPH_PYTHON    the venv's python (tests that read exports or drive a browser use it)
#   INNOGRAPH_CHROMIUM  the headless browser
#   INNOGRAPH_E2E_ALL=1 a test whose tool is missing fails instead of being skipped
#                       (CORDIS data stays optional: it is never installed here)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

log() { printf '[tests/all.sh] %s\n' "$*" >&2; }
start=$(date +%s)

# --- Chromium (Debian package) -------------------------------------------------------------
chromium=${INNOGRAPH_CHROMIUM:-}
if [ -z "$chromium" ]; then
  chromium=$(command -v chromium || command -v chromium-browser || true)
fi
if [ -z "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian's chromium (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || true
    apt-get install -y -qq --no-install-recommends chromium >/dev/null
    chromium=$(command -v chromium || true)
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    log "installing Debian's chromium (sudo apt-get)"
    sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || true
    sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
    chromium=$(command -v chromium || true)
  fi
fi
if [ -n "$chromium" ]; then
  export INNOGRAPH_CHROMIUM="$chromium"
  log "chromium: $("$chromium" --version 2>/dev/null || echo "$chromium")"
else
  log "chromium: not available (no root to apt-get it); the browser test will fail under INNOGRAPH_E2E_ALL"
fi

# --- A Chinese font (Debian package), so the browser test's screenshots show the page's
# Chinese text; the test itself passes without one. -------------------------------------------
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh 2>/dev/null)" ] \
   && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  log "installing a Chinese font (apt-get fonts-wqy-microhei)"
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-wqy-microhei >/dev/null \
    || log "no Chinese font installed; screenshots will show boxes for Chinese text"
fi

# --- Python venv -----------------------------------------------------------------------------
venv="$root/target/test-venv"
req="$root/tests/requirements.txt"
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "creating the Python venv at target/test-venv from tests/requirements.txt"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
  echo "$want" > "$stamp"
fi
export INNOGRAPH_PYTHON="$venv/bin/python"
export INNOGRAPH_E2E_ALL=1
log "set-up took $(( $(date +%s) - start )) s"

# --- The suite ---------------------------------------------------------------------------------
cargo test "$@"
log "whole run took $(( $(date +%s) - start )) s"
