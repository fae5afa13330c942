#!/usr/bin/env bash
# Browser test: serves a store holding the seed story and checks, in headless Chromium, what a person sees on
# the story list and on the story view. Usage: bash crates/parallax-cli/tests/browser.sh [BINARY]
set -euo pipefail
BIN=${1:-target/release/parallax}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
TMP=$(mktemp -d)
cleanup() { [ -n "${SP:-}" ] && kill "$SP" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
"$BIN" ingest --db "$TMP/s.db" "$ROOT"/samples/seed/*.txt 2>/dev/null
PORT=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
PARALLAX_TOKEN=test "$BIN" serve --db "$TMP/s.db" --addr "127.0.0.1:$PORT" >"$TMP/serve.log" 2>&1 &
SP=$!
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done
dump() {
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --no-first-run --disable-sync --user-data-dir="$TMP/chr" --virtual-time-budget=5000 --dump-dom "$1" 2>/dev/null
}
fail=0
home=$(dump "http://127.0.0.1:$PORT/")
for w in "Kyiv Post" "The Moscow Times" "Secret Talks"; do
  grep -q "$w" <<<"$home" || { echo "story list lacks: $w"; fail=1; }
done
story=$(dump "http://127.0.0.1:$PORT/#/story/s1")
for w in "Kyiv Post" "The Moscow Times" "Reuters" "Riyadh" "lost their relevance" "2025-02-18" "Why grouped"; do
  grep -q "$w" <<<"$story" || { echo "story view lacks: $w"; fail=1; }
done
if [ $fail = 0 ]; then echo "browser: 2 passed, 0 failed"; else echo "browser: 0 passed, 2 failed"; exit 1; fi
