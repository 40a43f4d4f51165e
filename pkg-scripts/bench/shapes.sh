#!/usr/bin/env bash
# Runs only the shape-teaching benchmark (bench.js, ?only=shapes) in headless Firefox and
# Chromium on the built site (pkg-scripts/build.sh first), and prints its part of BENCHMARKS.md.
# bench.sh runs it too, with everything else.
set -euo pipefail
source "$(dirname "$0")/../common.sh"
cd "$ROOT"

work=$(mktemp -d)
mkdir -p "$work/serve" "$work/results"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
for entry in www/*; do ln -s "$ROOT/$entry" "$work/serve/$(basename "$entry")"; done
ln -s "$ROOT/pkg-scripts/bench" "$work/serve/bench"
PORT="${PORT:-8766}"
python3 pkg-scripts/bench/serve.py "$work/serve" "$PORT" "$work/results" &
sleep 1

for name in firefox chromium; do
  profile="$work/profile-$name"
  url="http://127.0.0.1:$PORT/bench/bench.html?label=$name&only=shapes"
  mkdir -p "$profile"
  say "$name"
  case "$name" in
    firefox) firefox-esr --headless --no-remote --profile "$profile" "$url" >/dev/null 2>&1 & ;;
    chromium) chromium --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$url" >/dev/null 2>&1 & ;;
  esac
  browser=$!
  for _ in $(seq 600); do
    [ -s "$work/results/$name.json" ] && break
    sleep 1
  done
  kill "$browser" 2>/dev/null || true
  wait "$browser" 2>/dev/null || true
  [ -s "$work/results/$name.json" ] || { echo "$name: no result within 10 minutes" >&2; exit 1; }
done
python3 pkg-scripts/bench/shapes_table.py "$work/results"/*.json
